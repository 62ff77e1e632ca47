"""The nilai akhir in the app: frozen on the certificate at issue and printed on its
transcript with the predikat, shown to coordinators in the grid and its export."""

from sqlalchemy import select

from lms.auth.models import Role, User
from lms.certificates import revisions, services
from lms.certificates.models import Certificate
from lms.cohorts.models import Cohort
from lms.content import load_tree, sync_tree
from lms.extensions import db
from tests.certificates.test_issuing import participant
from tests.certificates.test_truth import pdf_text, signed_in
from tests.records.conftest import write_program

CHANGED = """\
final_grade:
  components:
    - {source: posttests, weight: 50}
    - {source: exams, weight: 50}
  predikat:
    - {from: 50, to: 100, label: Lulus}
    - {from: 0, to: 50, label: Belum Lulus}
"""


def test_the_final_grade_is_frozen_at_issue_and_printed_with_its_predikat(
        app, cohort_id, make_user, content_dir, tmp_path):
    user_id, email = participant(app, cohort_id, make_user, full_name="Dewi Lestari")
    with app.app_context():
        certificate = services.issue(db.session.get(Cohort, cohort_id),
                                     db.session.get(User, user_id), None)
        db.session.commit()
        certificate_id = certificate.id
        frozen = certificate.completion["final_grade"]
    assert (frozen["grade"], frozen["predikat"], frozen["complete"]) == (
        100.0, "Sangat Memuaskan", True)
    assert [(c["title"], c["weight"], c["score"]) for c in frozen["components"]] == [
        ("Post-test", 70.0, 100.0), ("Keaktifan", 30.0, 100.0)]
    holder = signed_in(app, email)
    text = pdf_text(holder.get(f"/certificates/{certificate_id}.pdf").data, tmp_path)
    assert "Nilai Akhir : 100,00" in text
    assert "Predikat : Sangat Memuaskan" in text

    # The author changes the weights and bands after the cohort: the certificate, and a
    # reissue after a name correction, keep what was decided.
    write_program(content_dir, CHANGED)
    with app.app_context():
        assert sync_tree(load_tree(content_dir)).ok
        old = db.session.get(Certificate, certificate_id)
        new = revisions.reissue_for_name_correction(old, "Dewi Lestari, S.IP.", None)
        db.session.commit()
        assert new.completion["final_grade"] == frozen
        assert new.data["final_grade"]["predikat"] == "Sangat Memuaskan"
    page = holder.get("/profile/record").text
    assert "Sangat Memuaskan" in page
    assert "Lulus" not in page


def test_coordinators_see_the_final_grade_in_the_grid_and_its_export(app, cohort_id,
                                                                    make_user):
    participant(app, cohort_id, make_user, study=False, post=("true", "true"),
                full_name="Budi Santoso")
    _, coordinator = make_user(Role.COORDINATOR)
    client = signed_in(app, coordinator)
    grid = client.get("/manage/cohorts/angkatan-1/grid").text
    # Post-test 50 (one of two right) × 70 %, no module done: 35, "Kurang".
    assert "Nilai akhir" in grid
    assert '<td class="final-grade">35<br>' in grid  # in the reader's locale, as every number
    assert "Kurang" in grid
    export = client.get("/manage/cohorts/angkatan-1/grid.csv").data.decode("utf-8-sig")
    header, row = export.splitlines()[:2]
    assert header.endswith('"Nilai akhir";"Predikat"')
    assert row.startswith('"Budi Santoso"')
    assert row.endswith('"35";"Kurang"')


def test_the_participant_sees_each_component_of_the_grade_so_far(app, cohort_id, make_user):
    _, email = participant(app, cohort_id, make_user, study=False, post=("true", "true"))
    page = signed_in(app, email).get("/profile/record").text
    assert "Pelatihan yang sedang berjalan" in page
    assert "35.00" in page
    assert "Kurang" in page
    assert "Keaktifan" in page
    assert "sementara" in page


def test_a_program_without_a_final_grade_prints_none(app, cohort_id, make_user, content_dir):
    write_program(content_dir, "")
    with app.app_context():
        assert sync_tree(load_tree(content_dir)).ok
    user_id, _ = participant(app, cohort_id, make_user)
    with app.app_context():
        services.issue(db.session.get(Cohort, cohort_id), db.session.get(User, user_id), None)
        db.session.commit()
        certificate = db.session.scalar(select(Certificate))
        assert "final_grade" not in certificate.data
        assert "final_grade" not in certificate.completion
