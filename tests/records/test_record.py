"""The training record: every program completed with its JP, final grade, predikat and
certificate; JP per year against the yearly target; a PDF; and the coordinators' report
of JP per institution and year, exportable without formulas."""

import io
from datetime import date

from openpyxl import load_workbook

from lms.auth.models import Role
from lms.certificates import services
from lms.cohorts import services as cohorts
from lms.cohorts.models import Cohort
from lms.extensions import db
from lms.people import scope
from lms.records.record import jp_by_year
from tests.certificates.test_issuing import participant
from tests.certificates.test_truth import pdf_text, signed_in


def _issue_all(app, cohort_id):
    with app.app_context():
        issued = services.issue_all(db.session.get(Cohort, cohort_id), None).issued
        db.session.commit()
        return [c.number for c in issued]


def test_the_record_lists_what_was_completed_and_the_jp_of_each_year(app, cohort_id,
                                                                    make_user, tmp_path):
    _, email = participant(app, cohort_id, make_user, full_name="Rina Marlina",
                           nip="198001012005012001")
    [number] = _issue_all(app, cohort_id)
    client = signed_in(app, email)
    page = client.get("/profile/record").text
    assert "Diklat Contoh" in page
    assert "Angkatan I Tahun 2026" in page
    assert number in page
    assert "100.00" in page
    assert "Sangat Memuaskan" in page
    # Four JP in 2026, the year the cohort ended; the target is 20.
    assert "<th scope=\"row\">2026</th><td>4</td><td>20</td>" in page
    assert "kurang 16 JP" in page
    pdf = client.get("/profile/record.pdf")
    assert pdf.status_code == 200
    assert pdf.mimetype == "application/pdf"
    text = pdf_text(pdf.data, tmp_path)
    assert "RIWAYAT PELATIHAN" in text
    assert "Rina Marlina" in text
    assert "2026 4 20 Kurang 16 JP" in text
    assert "4 100,00 Sangat Memuaskan" in text
    assert "Jumlah 4" in text


def test_the_yearly_target_is_configurable(app, cohort_id, make_user):
    _, email = participant(app, cohort_id, make_user)
    _issue_all(app, cohort_id)
    app.config["RECORD_YEARLY_JP_TARGET"] = 4
    page = signed_in(app, email).get("/profile/record").text
    assert "<td>4</td><td>4</td>" in page
    assert "tercapai" in page


def test_years_without_training_show_zero(app):
    with app.app_context():
        assert [(y.year, y.hours_jp) for y in jp_by_year([], today=date(2026, 5, 1))] == [
            (2026, 0)]


def test_someone_with_nothing_completed_sees_an_empty_record(app, make_user):
    _, email = make_user()
    page = signed_in(app, email).get("/profile/record").text
    assert "Belum ada pelatihan yang diselesaikan." in page


def test_coordinators_get_jp_per_institution_and_year_exported_safely(app, cohort_id,
                                                                     make_user):
    participant(app, cohort_id, make_user, institution="Perpustakaan Kota Bogor")
    participant(app, cohort_id, make_user, institution="Perpustakaan Kota Bogor")
    participant(app, cohort_id, make_user, institution="=HYPERLINK(\"http://x\")")
    _issue_all(app, cohort_id)
    _, coordinator = make_user(Role.COORDINATOR)
    client = signed_in(app, coordinator)
    page = client.get("/manage/records/jp").text
    assert "<th scope=\"row\">Perpustakaan Kota Bogor</th><td>2026</td><td>2</td><td>8</td>" \
        in page
    csv = client.get("/manage/records/jp.csv").data.decode("utf-8-sig")
    assert '"Perpustakaan Kota Bogor";"2026";"2";"8";"0"' in csv
    assert "\"'=HYPERLINK" in csv  # never a live formula
    book = load_workbook(io.BytesIO(client.get("/manage/records/jp.xlsx").data))
    cells = [[c.value for c in row] for row in book.active.iter_rows()]
    assert ["Perpustakaan Kota Bogor", 2026, 2, 8, 0] in cells
    assert all(c.data_type == "s" for row in book.active.iter_rows() for c in row[:1])
    assert "Perpustakaan Kota Bogor" not in client.get("/manage/records/jp?year=2025").text


def test_a_coordinator_limited_to_other_programs_sees_none_of_these(app, cohort_id,
                                                                    make_user, content_dir):
    participant(app, cohort_id, make_user, institution="Perpustakaan Kota Bogor")
    _issue_all(app, cohort_id)
    user_id, coordinator = make_user(Role.COORDINATOR)
    with app.app_context():
        from lms.auth.models import User
        from lms.courses.models import Program

        other = Program(slug="lain", title="Program Lain")
        db.session.add(other)
        db.session.flush()
        scope.set_programs(db.session.get(User, user_id), ["lain"], None)
        db.session.commit()
        assert cohorts.programs()
    page = signed_in(app, coordinator).get("/manage/records/jp").text
    assert "Perpustakaan Kota Bogor" not in page
    assert "Belum ada sertifikat." in page
