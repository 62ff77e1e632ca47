"""Storing survey files: by stable id, a new version per change, the last good one kept."""

from sqlalchemy import func, select

from lms.courses.models import Program
from lms.evaluations import services
from lms.evaluations.models import EvaluationSurvey, EvaluationSurveyVersion
from lms.evaluations.sync import sync_surveys
from lms.extensions import db
from tests.evaluations.conftest import CODE, answer, close_evaluation


def versions(app) -> list[tuple[int, bool, str]]:
    with app.app_context():
        return [(v.number, v.is_current, v.data["organiser_items"][0]["text"])
                for v in db.session.scalars(select(EvaluationSurveyVersion)
                                            .order_by(EvaluationSurveyVersion.number))]


def resync(app, content_dir) -> list[str]:
    with app.app_context():
        problems = sync_surveys(content_dir)
        db.session.commit()
        return problems


def test_unchanged_file_makes_no_new_version(app, content_dir, survey):
    assert versions(app) == [(1, True, "Kejelasan dan kelengkapan informasi penyelenggaraan "
                                       "pelatihan")]
    survey.write_text("# sebuah komentar baru\n" + survey.read_text())
    assert resync(app, content_dir) == []
    assert len(versions(app)) == 1


def test_a_changed_file_is_a_new_version_and_old_answers_keep_their_meaning(
        app, content_dir, survey, running, participant, login_as):
    for rating in (5, 4, 3):
        client, _ = participant()
        assert answer(client, rating).status_code == 302
    survey.write_text(survey.read_text().replace(
        "Kejelasan dan kelengkapan informasi penyelenggaraan pelatihan",
        "Informasi sebelum pelatihan dimulai"))
    assert resync(app, content_dir) == []
    assert versions(app) == [
        (1, False, "Kejelasan dan kelengkapan informasi penyelenggaraan pelatihan"),
        (2, True, "Informasi sebelum pelatihan dimulai")]
    client, _ = participant()
    form = client.get(f"/cohorts/{CODE}/evaluation").text
    assert "Informasi sebelum pelatihan dimulai" in form
    for rating in (2, 2, 2):
        client, _ = participant()
        assert answer(client, rating).status_code == 302
    close_evaluation(app)
    coordinator, _ = login_as("coordinator")
    html = coordinator.get(f"/manage/cohorts/{CODE}/evaluation").text
    # Each version is reported with its own texts: the old answers are not relabelled.
    assert html.index("Kejelasan dan kelengkapan informasi") < html.index("4,00")
    assert html.index("Informasi sebelum pelatihan dimulai") < html.index("2,00")
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(EvaluationSurveyVersion)) == 2


def test_a_broken_file_is_refused_and_the_last_good_version_keeps_serving(
        app, content_dir, survey, running, participant):
    good = survey.read_text()
    lines = good.splitlines()
    first, second = (lines.index(f"  - id: {i}") + 1 for i in ("penguasaan-materi", "jadwal"))
    survey.write_text(good.replace("  - id: jadwal\n", "  - id: penguasaan-materi\n"))
    problems = resync(app, content_dir)
    assert problems == [f"{survey}:{second}: item id 'penguasaan-materi' is already used on "
                        f"line {first}"]
    assert versions(app)[-1][:2] == (1, True)
    client, _ = participant()
    assert answer(client, 4).status_code == 302
    survey.write_text("id: [rusak\n")
    assert resync(app, content_dir)[0].startswith(f"{survey}:")
    with app.app_context():  # an unreadable file deactivates nothing
        assert db.session.scalar(select(EvaluationSurvey.is_active))


def test_a_removed_survey_is_deactivated_and_the_missing_one_reported(
        app, content_dir, survey, running, participant):
    survey.unlink()
    problems = resync(app, content_dir)
    assert problems == [f"{content_dir / '_surveys'}:0: EVALUATION_SURVEY is 'evaluasi-diklat' "
                        "but no valid survey file has that id; participants cannot give an "
                        "evaluation"]
    with app.app_context():
        assert services.current_version("evaluasi-diklat") is None
    client, _ = participant()
    assert client.get(f"/cohorts/{CODE}/evaluation").status_code == 404
    (content_dir / "_surveys").rmdir()
    assert resync(app, content_dir) == []  # no surveys at all: no evaluation, no problem
    with app.app_context():
        program = db.session.scalar(select(Program))
        program.certificate = {**program.certificate, "require_evaluation": True}
        db.session.commit()
    assert resync(app, content_dir) == [
        f"{content_dir / '_surveys'}:0: EVALUATION_SURVEY is 'evaluasi-diklat' but no valid "
        "survey file has that id; programs program-contoh require it for the certificate"]
