"""A program of one course, a cohort, members, certificate holders and signed-in clients."""

import email
import email.policy
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from lms.auth.models import User
from lms.certificates import services as certificates
from lms.cohorts import services as cohorts
from lms.cohorts.models import Cohort
from lms.content import load_tree, sync_tree
from lms.courses.models import Module, ModuleProgress
from lms.extensions import db
from tests.conftest import AuthActions, csrf_from, write_course


@pytest.fixture
def cohort_id(app, content_dir):
    write_course(content_dir, "satu", 2, title="Kursus Satu")
    (content_dir / "_programs").mkdir()
    (content_dir / "_programs" / "p.yml").write_text(
        "id: program-contoh\ntitle: Diklat Contoh\ncourses:\n  - satu\n")
    with app.app_context():
        assert sync_tree(load_tree(content_dir)).ok
        cohort = cohorts.create_cohort(cohorts.programs()[0], "angkatan-1", {
            "name": "Angkatan I Tahun 2026", "number": 1, "year": 2026,
            "starts_on": date(2026, 12, 1), "ends_on": date(2026, 12, 20), "capacity": 40,
            "enrollment_mode": "invitation"}, None)
        db.session.commit()
        return cohort.id


@pytest.fixture
def member(app, cohort_id, make_user):
    """A new account enrolled in the cohort; returns (user_id, email)."""

    def make(**fields):
        user_id, address = make_user(**fields)
        with app.app_context():
            cohorts.enroll_user(db.session.get(Cohort, cohort_id), db.session.get(User, user_id),
                                None)
            db.session.commit()
        return user_id, address

    return make


@pytest.fixture
def holder(app, cohort_id, member):
    """A participant who completed the cohort and holds its certificate:
    returns (user_id, email, certificate_id)."""

    def make(**fields):
        user_id, address = member(**fields)
        with app.app_context():
            for module in db.session.scalars(select(Module)):
                db.session.add(ModuleProgress(user_id=user_id, module_id=module.id,
                                              completed_at=db.func.now()))
            db.session.flush()
            certificate = certificates.issue(db.session.get(Cohort, cohort_id),
                                             db.session.get(User, user_id), None)
            db.session.commit()
            return user_id, address, certificate.id

    return make


@pytest.fixture
def login_as(app, make_user):
    """A new client signed in as a new user of the role; returns (client, user_id)."""

    def login(role="participant", **fields):
        user_id, address = make_user(role=role, **fields)
        client = app.test_client()
        assert AuthActions(client).login(address).status_code == 302
        return client, user_id

    return login


def post(client, url: str, data: dict | None = None, form_url: str = "/profile"):
    """POST with a valid CSRF token taken from a page the client may open."""
    return client.post(url, data={"csrf_token": csrf_from(client.get(form_url).text),
                                  **(data or {})})


def mails(app) -> list[email.message.EmailMessage]:
    folder = Path(app.instance_path) / "outbox"
    return [email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
            for path in sorted(folder.glob("*.eml"))] if folder.is_dir() else []
