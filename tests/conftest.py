"""Fixtures: app, client, runner, auth, plus content and account factories.

Every test gets a fresh app and an empty real database: SQLite in a temporary
folder by default (a copy of a schema built once per run), PostgreSQL when
LMS_TEST_DATABASE_URL is set (tables built once per run, emptied after each test).
"""

import os
import re
import shutil
import textwrap
from contextlib import ExitStack, contextmanager
from pathlib import Path

import pytest
from sqlalchemy import event

from lms import clock, create_app
from lms.auth import services as accounts
from lms.auth.models import Role
from lms.extensions import db, limiter


def _database_of_this_worker(url: str | None) -> str | None:
    """With pytest-xdist, each worker gets its own PostgreSQL database beside the given one
    (`<name>_gw0`, ...), made empty here and dropped at the end of the run, so the suite
    runs on two cores on PostgreSQL too. Without xdist, or on SQLite: the URL as given."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not url or not worker or not url.startswith("postgresql"):
        return url
    from sqlalchemy import create_engine, make_url

    given = make_url(url)
    name = f"{given.database}_{worker}"
    admin = create_engine(given.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}"')
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    admin.dispose()
    return given.set(database=name).render_as_string(hide_password=False)


def _drop_worker_database(url: str | None) -> None:
    if not url or url == os.environ.get("LMS_TEST_DATABASE_URL"):
        return
    from sqlalchemy import create_engine, make_url

    mine = make_url(url)
    admin = create_engine(mine.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{mine.database}" WITH (FORCE)')
    admin.dispose()


TEST_DB_URL = _database_of_this_worker(os.environ.get("LMS_TEST_DATABASE_URL"))
PASSWORD = "correct-horse-battery"


def pytest_sessionfinish(session, exitstatus):
    _drop_worker_database(TEST_DB_URL)


@pytest.fixture
def content_dir(tmp_path) -> Path:
    root = tmp_path / "course_content"
    root.mkdir()
    return root


def _build_app(tmp_path, content_dir, database_url=None, **overrides):
    config = {
        "TESTING": True,
        "SQLALCHEMY_DATABASE_URI": database_url or TEST_DB_URL
        or f"sqlite:///{tmp_path / 'test.sqlite3'}",
        "CONTENT_DIR": str(content_dir),
        "RATELIMIT_ENABLED": False,
        "SECRET_KEY": "test-secret-key-" + "x" * 32,
        # Cheap Argon2id for the suite only; production refuses it (tests/site/test_site.py).
        "PASSWORD_HASHING": "fast-for-tests",
        **overrides,
    }
    os.environ["LMS_INSTANCE_PATH"] = str(tmp_path / "instance")
    try:
        return create_app(config)
    finally:
        del os.environ["LMS_INSTANCE_PATH"]


@pytest.fixture(scope="session")
def schema(tmp_path_factory):
    """Build the schema once per run. On SQLite: a template file each test copies. On
    PostgreSQL: the tables themselves, emptied after each test."""
    folder = tmp_path_factory.mktemp("schema")
    url = None if TEST_DB_URL else f"sqlite:///{folder / 'template.sqlite3'}"
    app = _build_app(folder, folder, database_url=url)
    with app.app_context():
        db.drop_all()
        db.create_all()
        db.session.remove()
        db.engine.dispose()
    template = None if TEST_DB_URL else folder / "template.sqlite3"
    yield template
    if TEST_DB_URL:
        with app.app_context():
            db.drop_all()
            db.engine.dispose()


def _empty_tables() -> None:
    """Empty every table (PostgreSQL), restarting ids, after a test. Tables a test dropped
    (the migration test) are built again."""
    tables = [t.name for t in reversed(db.metadata.sorted_tables)]
    with db.engine.begin() as conn:
        present = set(db.inspect(conn).get_table_names())
    if not set(tables) <= present:
        db.create_all()
    with db.engine.begin() as conn:
        quoted = ", ".join(f'"{name}"' for name in tables)
        conn.exec_driver_sql(f"TRUNCATE {quoted} RESTART IDENTITY CASCADE")


@pytest.fixture
def app(tmp_path, content_dir, request, schema):
    overrides = getattr(request, "param", None) or {}
    if schema is not None:
        shutil.copyfile(schema, tmp_path / "test.sqlite3")
    app = _build_app(tmp_path, content_dir, **overrides)
    with app.app_context():
        if app.config["RATELIMIT_ENABLED"]:
            limiter.reset()
    yield app
    with app.app_context():
        db.session.remove()
        if TEST_DB_URL:
            _empty_tables()
        db.engine.dispose()


@pytest.fixture
def freeze_clock():
    """`freeze_clock(datetime(...))` stops lms.clock there until the test ends (aware, or
    naive UTC). Services read time only through lms.clock, so this moves the whole app."""
    with ExitStack() as stack:
        yield lambda at: stack.enter_context(clock.frozen(at))


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


def csrf_from(html: str) -> str:
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html)
    assert match, "page has no CSRF token"
    return match.group(1)


class AuthActions:
    def __init__(self, client):
        self.client = client

    def token(self, url: str = "/auth/login") -> str:
        return csrf_from(self.client.get(url).get_data(as_text=True))

    def login(self, email: str, password: str = PASSWORD, **extra):
        data = {"email": email, "password": password, "csrf_token": self.token(), **extra}
        return self.client.post("/auth/login", data=data)

    def logout(self):
        return self.client.post("/auth/logout", data={"csrf_token": self.token("/learning")})

    def post(self, url: str, data: dict, form_url: str | None = None):
        data = {"csrf_token": self.token(form_url or url), **data}
        return self.client.post(url, data=data)


@pytest.fixture
def auth(client):
    return AuthActions(client)


@pytest.fixture
def make_user(app):
    counter = {"n": 0}

    def make(role: Role = Role.PARTICIPANT, email: str | None = None, **fields):
        counter["n"] += 1
        with app.app_context():
            user = accounts.create_user(
                email=email or f"user{counter['n']}@example.org",
                password=fields.pop("password", PASSWORD),
                full_name=fields.pop("full_name", f"Peserta {counter['n']}"),
                institution=fields.pop("institution", "Perpustakaan Contoh"),
                position=fields.pop("position", "Pustakawan"),
                role=role,
                **fields,
            )
            db.session.commit()
            return user.id, user.email

    return make


def write_course(root: Path, course_id: str = "contoh", modules: int = 3, *,
                 folder: str | None = None, title: str = "Kursus Contoh") -> Path:
    """Write a valid course folder with `modules` modules, an asset and cross-links."""
    base = root / (folder or course_id)
    (base / "modules").mkdir(parents=True, exist_ok=True)
    (base / "assets").mkdir(exist_ok=True)
    (base / "assets" / "diagram.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
        "<title>Diagram</title><rect width='10' height='10'/></svg>"
    )
    ids = [f"{course_id}-m{i}" for i in range(1, modules + 1)]
    (base / "course.yml").write_text(textwrap.dedent(f"""\
        id: {course_id}
        title: {title}
        summary: Ringkasan kursus contoh.
        hours_jp: 4
        instructors:
          - Widyaiswara Ahli Madya
        objectives:
          - Memahami contoh.
        modules:
        """) + "".join(f"  - {m}\n" for m in ids))
    for i, module_id in enumerate(ids, start=1):
        following = f"[lanjut]({i + 1:02d}-modul.md#bagian-pertama)" if i < modules else ""
        (base / "modules" / f"{i:02d}-modul.md").write_text(textwrap.dedent(f"""\
            ---
            id: {module_id}
            title: Modul {i}
            minutes: {180 // modules + (180 % modules if i == 1 else 0)}
            objectives:
              - Tujuan modul {i}.
            ---

            [TOC]

            ## Bagian pertama

            Isi modul {i} dengan catatan kaki[^1].

            !!! tip "Kiat"
                Sebuah kiat.

            | Kolom | Nilai |
            | --- | --- |
            | a | 1 |

            ![Diagram contoh](../assets/diagram.svg)

            {following}

            [^1]: Sumber contoh.
            """))
    return base


@pytest.fixture
def course_factory(app, content_dir):
    """Write a course folder and sync the whole content folder; returns the sync report."""
    from lms.content import load_tree, sync_tree

    def make(course_id: str = "contoh", modules: int = 3, **kw):
        write_course(content_dir, course_id, modules, **kw)
        with app.app_context():
            return sync_tree(load_tree(content_dir))

    return make


@pytest.fixture
def enroll(app):
    from lms.auth.models import User
    from lms.courses import services

    def do(user_id: int, course_id: str):
        with app.app_context():
            services.enroll(db.session.get(User, user_id), services.get_course(course_id))
            db.session.commit()

    return do


@contextmanager
def count_queries(app):
    """Count the SQL statements sent while the block runs."""
    statements: list[str] = []
    with app.app_context():
        engine = db.engine

    def record(conn, cursor, statement, *args):
        if not statement.lstrip().upper().startswith(("BEGIN", "COMMIT", "ROLLBACK", "PRAGMA")):
            statements.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", record)
