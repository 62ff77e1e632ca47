"""`lms demo`: every printed login works, the running cohort has its weekly sessions, the
finished cohort's evaluation report is visible."""

import re
import shutil
from datetime import UTC, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from lms.auth import services as accounts
from lms.cohorts import services as cohorts
from lms.demo import FINISHED, RUNNING, create_demo
from lms.evaluations.models import EvaluationSubmission
from lms.evaluations.sync import sync_surveys
from lms.extensions import db
from lms.live.models import LiveSession
from tests.conftest import AuthActions

SURVEY = (Path(__file__).resolve().parents[2] / "course_content" / "_surveys"
          / "evaluasi-diklat.yml")


@pytest.fixture
def demo(app, program, content_dir):
    (content_dir / "_surveys").mkdir(exist_ok=True)
    shutil.copy(SURVEY, content_dir / "_surveys" / "evaluasi-diklat.yml")
    with app.app_context():
        assert sync_surveys(content_dir) == []
        lines = create_demo()
        db.session.commit()
    return lines


def logins(lines):
    return [m.groups() for m in (re.match(r"^\s+(\S+)\s+(\S+@\S+)\s+(\S+)$", line)
                                 for line in lines) if m]


def test_every_printed_login_works_including_the_graduates(app, demo):
    printed = logins(demo)
    labels = [label for label, _, _ in printed]
    assert labels.count("graduate") == 2
    assert len(printed) >= 7
    for _label, email, password in printed:
        response = AuthActions(app.test_client()).login(email, password)
        assert response.status_code == 302, email
    graduate = app.test_client()
    AuthActions(graduate).login("lulusan1@example.org", "demo-lulusan-2026")
    assert "Unduh PDF" in graduate.get("/certificates").text


def test_the_running_cohort_has_its_daily_sessions(app, demo):
    with app.app_context():
        running = cohorts.get_cohort(RUNNING)
        sessions = list(db.session.scalars(select(LiveSession).where(
            LiveSession.cohort_id == running.id)))
        assert len(sessions) >= 8  # a 12-day angkatan: every working day
        jakarta = ZoneInfo("Asia/Jakarta")
        for session in sessions:
            local = session.starts_at.replace(tzinfo=UTC).astimezone(jakarta)
            assert local.weekday() < 5  # a working day
            assert (local.hour, local.minute) == (13, 0)  # 13.00 WIB
            assert running.starts_on <= local.date() <= running.ends_on
        assert session.ends_at - session.starts_at == timedelta(minutes=90)
    participant = app.test_client()
    AuthActions(participant).login("peserta@example.org", "demo-peserta-2026")
    page = participant.get(f"/cohorts/{RUNNING}/sessions").text
    assert "Sesi sinkron: tanya jawab dan diskusi" in page


def test_the_finished_cohort_evaluation_report_is_visible(app, demo):
    with app.app_context():
        finished = cohorts.get_cohort(FINISHED)
        answered = db.session.scalar(select(func.count()).select_from(EvaluationSubmission)
                                     .where(EvaluationSubmission.cohort_id == finished.id))
    assert answered >= app.config["EVALUATION_MIN_RESPONSES"]
    coordinator = app.test_client()
    AuthActions(coordinator).login("koordinator@example.org", "demo-koordinator-2026")
    report = coordinator.get(f"/manage/cohorts/{FINISHED}/evaluation")
    assert report.status_code == 200
    assert "<meter" in report.text
    assert "Pelatihan sangat bermanfaat" in report.text


def test_running_the_demo_again_changes_nothing(app, demo):
    def counts():
        with app.app_context():
            return (db.session.scalar(select(func.count()).select_from(LiveSession)),
                    db.session.scalar(select(func.count()).select_from(EvaluationSubmission)))

    before = counts()
    with app.app_context():
        again = create_demo()
        db.session.commit()
    assert counts() == before
    assert logins(again) == logins(demo)


def test_an_older_demo_graduate_gets_the_printed_password(app, demo):
    with app.app_context():
        user = accounts.find_user_by_email("lulusan2@example.org")
        accounts.set_password(user, accounts.new_random_password())  # as older demos did
        db.session.commit()
        lines = create_demo()
        db.session.commit()
    assert ("graduate", "lulusan2@example.org", "demo-lulusan-2026") in logins(lines)
    response = AuthActions(app.test_client()).login("lulusan2@example.org", "demo-lulusan-2026")
    assert response.status_code == 302
