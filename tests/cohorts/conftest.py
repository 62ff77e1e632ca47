"""A program of two synced courses, a cohort factory and signed-in clients per role."""

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from lms.cohorts import services
from lms.content import load_tree, sync_tree
from lms.courses.models import Program
from lms.extensions import db
from tests.conftest import AuthActions, write_course


@pytest.fixture
def program(app, content_dir):
    write_course(content_dir, "satu", 2, title="Kursus Satu")
    write_course(content_dir, "dua", 2, title="Kursus Dua")
    (content_dir / "_programs").mkdir()
    (content_dir / "_programs" / "p.yml").write_text(
        "id: program-contoh\ntitle: Diklat Contoh\ncourses:\n  - satu\n  - dua\n")
    with app.app_context():
        assert sync_tree(load_tree(content_dir)).ok
        db.session.commit()
        return db.session.scalar(select(Program)).id


@pytest.fixture
def make_cohort(app, program):
    def make(code="angkatan-1", capacity=40, mode="application", key=None, **extra):
        today = date.today()
        fields = {"name": "Angkatan I Tahun 2026", "number": 1, "year": 2026,
                  "description": "", "registration_opens_on": today - timedelta(days=5),
                  "registration_closes_on": today + timedelta(days=5),
                  "starts_on": today + timedelta(days=10), "ends_on": today + timedelta(days=40),
                  "capacity": capacity, "enrollment_mode": mode, "enrollment_key": key, **extra}
        with app.app_context():
            cohort = services.create_cohort(db.session.get(Program, program), code, fields, None)
            db.session.commit()
            return cohort.id

    return make


@pytest.fixture
def login_as(app, make_user):
    """A new client signed in as a new user of the role; returns (client, user_id)."""

    def login(role="participant", **fields):
        user_id, email = make_user(role=role, **fields)
        client = app.test_client()
        AuthActions(client).login(email)
        return client, user_id

    return login
