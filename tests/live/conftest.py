"""A cohort of the two-course program with a participant, instructors and sessions.

Session times are set relative to utcnow(), so windows (check-in, meeting link) are tested
against the real clock with wide margins.
"""

from datetime import timedelta

import pytest
from sqlalchemy import select

from lms.auth.models import User
from lms.clock import utcnow
from lms.cohorts import services as cohorts
from lms.cohorts.models import Cohort
from lms.courses.models import Course
from lms.extensions import db
from lms.live.models import LiveSession
from tests.cohorts.conftest import login_as, make_cohort, program  # noqa: F401

CODE = "angkatan-1"


@pytest.fixture(autouse=True)
def _english(request):
    """Pages in English: this feature's messages are English msgids until the Indonesian
    catalog has them, so the tests do not depend on when the translations land."""
    if "app" in request.fixturenames:
        request.getfixturevalue("app").config["BABEL_DEFAULT_LOCALE"] = "en"


@pytest.fixture
def cohort_id(make_cohort):  # noqa: F811
    return make_cohort(code=CODE, mode="invitation")


def course_id(app, slug: str) -> int:
    with app.app_context():
        return db.session.scalar(select(Course.id).where(Course.slug == slug))


@pytest.fixture
def member(app, cohort_id, login_as):  # noqa: F811
    """A signed-in accepted participant of the cohort: (client, user_id)."""

    def make(code: str = CODE, **fields):
        client, user_id = login_as("participant", **fields)
        with app.app_context():
            cohorts.enroll_user(cohorts.get_cohort(code), db.session.get(User, user_id), None)
            db.session.commit()
        return client, user_id

    return make


@pytest.fixture
def instructor(app, cohort_id, login_as):  # noqa: F811
    """A signed-in instructor teaching the course (slug) in the cohort: (client, user_id)."""

    def make(slug: str = "satu", code: str = CODE):
        client, user_id = login_as("instructor")
        with app.app_context():
            cohort = cohorts.get_cohort(code)
            course = db.session.scalar(select(Course).where(Course.slug == slug))
            cohorts.assign_instructor(cohort, course, db.session.get(User, user_id), user_id)
            db.session.commit()
        return client, user_id

    return make


@pytest.fixture
def add_session(app, cohort_id):
    """A session starting `starts_in` from now and lasting `minutes`; returns its id."""

    def make(starts_in: timedelta, minutes: int = 90, code: str = CODE,
             course: str | None = "satu", topic: str = "Sesi daring", **fields):
        with app.app_context():
            cohort = db.session.scalar(select(Cohort).where(Cohort.code == code))
            start = utcnow().replace(microsecond=0) + starts_in
            session = LiveSession(
                cohort_id=cohort.id, topic=topic, starts_at=start,
                ends_at=start + timedelta(minutes=minutes),
                course_id=db.session.scalar(select(Course.id).where(Course.slug == course))
                if course else None, **fields)
            db.session.add(session)
            db.session.commit()
            return session.id

    return make
