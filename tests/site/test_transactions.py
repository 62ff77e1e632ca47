"""When a request takes SQLite's write lock (lms/db_setup.py), as a participant would notice:
pages that only read do not queue behind writers, a module page is not a write at every
visit, and a sign-in does not hold the lock while the password is checked."""

from datetime import timedelta

import pytest
from sqlalchemy import event, select

from lms.courses.models import ModuleProgress
from lms.extensions import db
from tests.conftest import csrf_from


@pytest.fixture
def begins(app):
    """What SQLite receives: "BEGIN" or "BEGIN IMMEDIATE", the first word of every other
    statement ("SELECT", "INSERT", ...), and "COMMIT" / "ROLLBACK". Read from SQLite's own
    trace of each connection, which sees the BEGIN that lms.db_setup sends past
    SQLAlchemy."""
    sent: list[str] = []
    with app.app_context():
        engine = db.engine
    if engine.dialect.name != "sqlite":
        pytest.skip("BEGIN IMMEDIATE and DEFERRED are SQLite's")

    def record(statement):
        if statement.startswith(("COMMIT", "ROLLBACK")):
            return  # counted by the events below, once per transaction
        sent.append(statement if statement.startswith("BEGIN") else
                    "SELECT users" if "FROM users WHERE users.email" in " ".join(statement.split())
                    else statement.split()[0].upper())

    def trace(dbapi_connection, _record):
        dbapi_connection.set_trace_callback(record)

    def commit(_conn):
        sent.append("COMMIT")

    def rollback(_conn):
        sent.append("ROLLBACK")

    engine.dispose()  # connections opened from here on are traced
    event.listen(engine, "connect", trace)
    event.listen(engine, "commit", commit)
    event.listen(engine, "rollback", rollback)
    yield sent
    event.remove(engine, "connect", trace)
    event.remove(engine, "commit", commit)
    event.remove(engine, "rollback", rollback)
    engine.dispose()


@pytest.fixture
def studying(course_factory, make_user, enroll, auth):
    course_factory("contoh", 3)
    user_id, email = make_user()
    enroll(user_id, "contoh")
    auth.login(email)
    return user_id


def test_reading_pages_begin_deferred_and_forms_immediate(client, studying, begins):
    client.get("/courses/contoh")
    client.get("/learning")
    assert "BEGIN IMMEDIATE" not in begins
    assert "BEGIN" in begins
    page = client.get("/courses/contoh/modules/contoh-m1").get_data(as_text=True)
    begins.clear()
    client.post("/courses/contoh/modules/contoh-m1/progress",
                data={"csrf_token": csrf_from(page), "done": "1"})
    assert begins[0] == "BEGIN IMMEDIATE"


def test_a_module_page_writes_its_view_once_then_only_reads(app, client, studying, begins,
                                                            freeze_clock):
    client.get("/courses/contoh/modules/contoh-m1")
    assert "BEGIN IMMEDIATE" in begins
    assert "INSERT" in begins
    begins.clear()
    client.get("/courses/contoh/modules/contoh-m1")
    assert "BEGIN IMMEDIATE" not in begins
    assert not {"INSERT", "UPDATE"} & set(begins)
    with app.app_context():
        first = db.session.scalar(select(ModuleProgress.last_viewed_at))
    freeze_clock(first + timedelta(minutes=6))
    client.get("/courses/contoh/modules/contoh-m1")
    assert "UPDATE" in begins
    with app.app_context():
        assert db.session.scalar(select(ModuleProgress.last_viewed_at)) > first


def test_a_sign_in_checks_the_password_between_two_short_transactions(client, make_user,
                                                                     begins):
    _user_id, email = make_user()
    token = csrf_from(client.get("/auth/login").get_data(as_text=True))
    begins.clear()
    response = client.post("/auth/login", data={"csrf_token": token, "email": email,
                                                "password": "wrong-password-123"})
    assert response.status_code == 401
    # The throttle's count and the account's hash are read, then committed, before Argon2
    # runs: no transaction (and no write lock) is held while it does.
    lookup = begins.index("SELECT users")
    assert begins[lookup + 1] == "COMMIT"
    assert "BEGIN IMMEDIATE" not in begins[lookup + 1:]
