"""A running cohort of the two-course program, the standard survey synced, helpers to answer."""

import shutil
from datetime import date, timedelta
from pathlib import Path

import pytest

from lms.auth.models import User
from lms.cohorts import services as cohorts
from lms.courses.models import Course
from lms.evaluations.sync import sync_surveys
from lms.extensions import db
from tests.cohorts.conftest import login_as, make_cohort, program  # noqa: F401
from tests.conftest import csrf_from

STANDARD = (Path(__file__).resolve().parents[2] / "course_content" / "_surveys"
            / "evaluasi-diklat.yml")
CODE = "angkatan-1"


@pytest.fixture
def survey(app, content_dir):
    """The shipped standard survey, copied into the test content folder and synced."""
    (content_dir / "_surveys").mkdir(exist_ok=True)
    shutil.copy(STANDARD, content_dir / "_surveys" / "evaluasi-diklat.yml")
    with app.app_context():
        assert sync_surveys(content_dir) == []
        db.session.commit()
    return content_dir / "_surveys" / "evaluasi-diklat.yml"


@pytest.fixture
def running(app, make_cohort, survey):  # noqa: F811
    """A cohort that started yesterday; returns its code."""
    today = date.today()
    make_cohort(CODE, registration_opens_on=today - timedelta(days=20),
                registration_closes_on=today - timedelta(days=10),
                starts_on=today - timedelta(days=1), ends_on=today + timedelta(days=30))
    return CODE


@pytest.fixture
def join(app):
    """Make an existing user an accepted participant of the cohort."""

    def do(user_id: int, code: str = CODE):
        with app.app_context():
            assert cohorts.enroll_user(cohorts.get_cohort(code), db.session.get(User, user_id),
                                       None)
            db.session.commit()

    return do


@pytest.fixture
def teach(app):
    """Assign a user as instructor of a course (slug) in the cohort."""

    def do(user_id: int, course_slug: str, code: str = CODE):
        with app.app_context():
            course = db.session.query(Course).filter_by(slug=course_slug).one()
            cohorts.assign_instructor(cohorts.get_cohort(code), course,
                                      db.session.get(User, user_id), user_id)
            db.session.commit()

    return do


@pytest.fixture
def participant(login_as, join):  # noqa: F811
    """A new signed-in accepted participant: (client, user_id)."""

    def make(**fields):
        client, user_id = login_as("participant", **fields)
        join(user_id)
        return client, user_id

    return make


def fill_in(page_html: str, rating: int = 4, text: str = "") -> dict:
    """Form data answering every rating with `rating` and every open question with `text`."""
    import re

    data = {"csrf_token": csrf_from(page_html)}
    for name in set(re.findall(r'type="radio" id="[^"]+" name="([^"]+)"', page_html)):
        data[name] = str(rating)
    for name in re.findall(r'<textarea id="[^"]+" name="([^"]+)"', page_html):
        data[name] = text
    return data


def answer(client, rating: int = 4, text: str = "", code: str = CODE, **overrides):
    page = client.get(f"/cohorts/{code}/evaluation")
    assert page.status_code == 200, page.text
    return client.post(f"/cohorts/{code}/evaluation",
                       data={**fill_in(page.text, rating, text), **overrides})


def translated(app, text: str, **values) -> str:
    """A message as the pages print it in the default language (English until translated)."""
    from flask_babel import gettext

    with app.test_request_context():
        return gettext(text, **values)


def close_evaluation(app, code: str = CODE) -> None:
    """Move the cohort far enough into the past that its evaluation has closed and the
    results are out (answers are shown only then; see lms/evaluations/window.py)."""
    today = date.today()
    with app.app_context():
        cohort = cohorts.get_cohort(code)
        cohort.registration_opens_on = today - timedelta(days=120)
        cohort.registration_closes_on = today - timedelta(days=100)
        cohort.starts_on = today - timedelta(days=90)
        cohort.ends_on = today - timedelta(days=60)
        db.session.commit()
