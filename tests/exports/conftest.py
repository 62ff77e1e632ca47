"""A running cohort with everything exportable: hostile names, a NIP, a quiz, attendance,
evaluation answers. Every export of the cohort is then downloaded in each format."""

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from lms.auth.models import User
from lms.clock import utcnow
from lms.cohorts import services as cohorts
from lms.cohorts.access import cohort_access
from lms.content import load_tree, sync_tree
from lms.courses.models import Course
from lms.extensions import db
from lms.live import services as live
from lms.live.models import LiveSession
from tests.cohorts.conftest import login_as, make_cohort, program  # noqa: F401
from tests.evaluations.conftest import answer, survey  # noqa: F401
from tests.quizzes.conftest import QUIZ
from tests.quizzes.test_reports import take

CODE = "angkatan-1"
NIP = "198001012005011001"
# Each would be a live formula in an Indonesian spreadsheet if written naively.
HOSTILE_NAME = '=HYPERLINK("http://evil.example","klik")'
HOSTILE_INSTITUTION = "Perpustakaan Desa;=1+1;"
PEOPLE = [
    {"full_name": HOSTILE_NAME, "institution": HOSTILE_INSTITUTION, "nip": NIP},
    {"full_name": "Budi Santoso", "institution": "Dinas Perpustakaan, -2+3"},
    {"full_name": "@Sari Wulandari", "institution": "+62 Perpustakaan Kota"},
]


@pytest.fixture
def office(app, content_dir, program, make_cohort, survey, login_as):  # noqa: F811
    """The scenario; returns (coordinator client, {full_name: user_id})."""
    folder = content_dir / "satu" / "quizzes"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "kuis.yml").write_text(
        QUIZ.format(kind="practice", limit=0, attempts=0, answers="immediately"))
    with app.app_context():
        assert sync_tree(load_tree(content_dir)).ok
        db.session.commit()
    today = date.today()
    make_cohort(CODE, mode="invitation", registration_opens_on=today - timedelta(days=20),
                registration_closes_on=today - timedelta(days=10),
                starts_on=today - timedelta(days=1), ends_on=today + timedelta(days=30))
    ids, clients = {}, []
    for fields in PEOPLE:
        client, user_id = login_as("participant", **fields)
        ids[fields["full_name"]] = user_id
        clients.append(client)
        with app.app_context():
            cohorts.enroll_user(cohorts.get_cohort(CODE), db.session.get(User, user_id), None)
            db.session.commit()
    # One of seven points: a grade of 14.29 in the results, 14,29 in Indonesian CSV.
    take(app, ids[HOSTILE_NAME], {"q-single": "a"})
    coordinator, coordinator_id = login_as("coordinator")
    with app.app_context():
        cohort = cohorts.get_cohort(CODE)
        start = utcnow().replace(microsecond=0) - timedelta(hours=3)
        session = LiveSession(cohort_id=cohort.id, topic="=Sesi satu", starts_at=start,
                              ends_at=start + timedelta(minutes=90),
                              course_id=db.session.scalar(select(Course.id).where(
                                  Course.slug == "satu")))
        db.session.add(session)
        db.session.flush()
        who = cohort_access(cohort, db.session.get(User, coordinator_id))
        live.set_attendance(session, {ids[HOSTILE_NAME]: "present",
                                      ids["Budi Santoso"]: "absent"}, who, utcnow())
        db.session.commit()
    for client, text in zip(clients, ["=1+1;@SUM(A1)", "Bagus", ""], strict=True):
        assert answer(client, 4, text).status_code == 302
    return coordinator, ids
