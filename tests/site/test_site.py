"""Configuration, security headers, health check, SQLite settings, dates."""

import os
import re
from datetime import datetime

import pytest
from sqlalchemy import text

from lms import ConfigurationError, create_app
from lms.extensions import db
from tests.conftest import TEST_DB_URL

# A key production accepts: long, many distinct characters, no repeated pattern.
STRONG_KEY = "vR7q-Xk2pLm9Zt4Wc8Nh3Jd6Bf1Gs5Ya0Ue_Io"


def build(tmp_path, monkeypatch, **env):
    monkeypatch.setenv("LMS_INSTANCE_PATH", str(tmp_path / "inst"))
    for key in ("LMS_SECRET_KEY", "LMS_ENV", "LMS_PUBLIC_URL", "LMS_PASSWORD_HASHING",
                "WEB_CONCURRENCY", "LMS_WORKERS"):
        monkeypatch.delenv(key, raising=False)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    return create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'x.sqlite3'}"})


def test_secret_key_is_generated_once_into_instance(tmp_path, monkeypatch):
    first = build(tmp_path, monkeypatch)
    key_file = tmp_path / "inst" / "secret_key"
    assert key_file.exists()
    assert oct(key_file.stat().st_mode)[-3:] == "600"
    second = build(tmp_path, monkeypatch)
    assert first.secret_key == second.secret_key
    assert len(first.secret_key) >= 32


@pytest.mark.parametrize("key", [None, "dev", "change-me", "short"])
def test_production_refuses_missing_or_default_key(tmp_path, monkeypatch, key):
    env = {"LMS_ENV": "production"}
    if key:
        env["LMS_SECRET_KEY"] = key
    with pytest.raises(ConfigurationError, match="LMS_SECRET_KEY"):
        build(tmp_path, monkeypatch, **env)


def test_production_marks_cookies_secure(tmp_path, monkeypatch):
    app = build(tmp_path, monkeypatch, LMS_ENV="production", LMS_SECRET_KEY=STRONG_KEY,
                LMS_PUBLIC_URL="https://diklat.example.id")
    assert app.config["SESSION_COOKIE_SECURE"]
    assert app.config["REMEMBER_COOKIE_SECURE"]
    assert not (tmp_path / "inst" / "secret_key").exists()


def test_environment_overrides_instance_config(tmp_path, monkeypatch):
    (tmp_path / "inst").mkdir()
    (tmp_path / "inst" / "config.py").write_text(
        "CONTENT_DIR = '/from/instance'\nLOGIN_RATE_LIMIT = '3 per minute'\n")
    app = build(tmp_path, monkeypatch, LMS_CONTENT_DIR="/from/env")
    assert app.config["CONTENT_DIR"] == "/from/env"
    assert app.config["LOGIN_RATE_LIMIT"] == "3 per minute"


def test_security_headers_on_every_page(client):
    response = client.get("/")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "same-origin"


def test_pages_have_no_inline_script_or_style(client, course_factory):
    course_factory("contoh", 1)
    for url in ("/", "/courses", "/courses/contoh", "/auth/login", "/auth/register"):
        html = client.get(url).get_data(as_text=True)
        # Our own script files (menu.js, tables.js) are fine: the CSP allows 'self' only.
        html = re.sub(r'<script src="/static/js/[\w.-]+\.js" defer></script>', "", html)
        for inline in ("<script", "style=", "<style"):
            assert inline not in html, (url, inline)
        assert '<main id="main"' in html
        assert 'lang="id"' in html


def test_healthz_checks_the_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok"}


@pytest.mark.skipif(bool(TEST_DB_URL), reason="SQLite settings")
def test_sqlite_runs_in_wal_with_foreign_keys(app):
    with app.app_context():
        assert db.session.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert db.session.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert db.session.execute(text("PRAGMA busy_timeout")).scalar() >= 5000


@pytest.mark.skipif(bool(TEST_DB_URL), reason="SQLite settings")
def test_two_writers_wait_instead_of_failing(app):
    """A second connection that writes while the first holds a write transaction waits."""
    import threading

    with app.app_context():
        engine = db.engine
    results = []

    def writer(delay: float):
        import time
        with engine.begin() as conn:
            count = conn.execute(text("SELECT count(*) FROM users")).scalar()
            time.sleep(delay)
            conn.execute(text(
                "INSERT INTO users (email, full_name, password_hash, institution, position, "
                "role, session_token, is_active_account) VALUES "
                f"('w{count}-{delay}@example.org', 'W', 'x', '', '', 'participant', 't', 1)"))
        results.append(count)

    threads = [threading.Thread(target=writer, args=(d,)) for d in (0.3, 0.1)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    # Immediate transactions serialize: the second saw the first's row.
    assert sorted(results) == [0, 1]


def test_indonesian_dates(app):
    from lms.i18n import long_date

    with app.test_request_context():
        assert long_date(datetime(2026, 8, 17, 3, 0)) == "17 Agustus 2026"


def test_indonesian_catalog_is_complete():
    from babel.messages.pofile import read_po

    path = os.path.join(os.path.dirname(__file__), "..", "..", "lms", "translations", "id",
                        "LC_MESSAGES", "messages.po")
    with open(path, "rb") as fh:
        catalog = read_po(fh)
    untranslated = [m.id for m in catalog if m.id and (not m.string or m.fuzzy
                    or (isinstance(m.string, tuple) and not all(m.string)))]
    assert untranslated == []


def test_every_interface_string_is_in_the_catalog(tmp_path):
    """Extract the strings from the code and templates: each one has an Indonesian entry."""
    from babel.messages.frontend import CommandLineInterface
    from babel.messages.pofile import read_po

    root = os.path.join(os.path.dirname(__file__), "..", "..")
    pot = tmp_path / "messages.pot"
    CommandLineInterface().run(["pybabel", "-q", "extract", "-F", os.path.join(root, "babel.cfg"),
                                "-k", "_l", "-k", "lazy_gettext", "-o", str(pot), root])
    with open(pot, "rb") as fh:
        wanted = {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(fh) if m.id}
    po = os.path.join(root, "lms", "translations", "id", "LC_MESSAGES", "messages.po")
    with open(po, "rb") as fh:
        have = {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(fh) if m.id}
    assert sorted(wanted - have) == []


@pytest.mark.parametrize(("url", "why"), [
    (None, "not set"), ("http://127.0.0.1:5000", "loopback"), ("http://localhost:8000", "loopback"),
    ("https://[::1]/", "loopback"), ("http://0.0.0.0", "loopback"), ("lms.example.org", "http(s)"),
])
def test_production_refuses_a_missing_or_loopback_public_url(tmp_path, monkeypatch, url, why):
    env = {"LMS_ENV": "production", "LMS_SECRET_KEY": STRONG_KEY}
    if url:
        env["LMS_PUBLIC_URL"] = url
    monkeypatch.delenv("LMS_PUBLIC_URL", raising=False)
    with pytest.raises(ConfigurationError, match="LMS_PUBLIC_URL") as refused:
        build(tmp_path, monkeypatch, **env)
    assert why in str(refused.value)


def test_links_that_leave_the_site_follow_where_it_is_served(app, client):
    """In development without LMS_PUBLIC_URL: the served address in requests, and
    LMS_DEV_SERVER_URL (set by `make run` from its PORT) outside them."""
    from lms.urls import external_url, public_base

    with app.test_request_context("/", base_url="http://127.0.0.1:5101"):
        assert public_base() == "http://127.0.0.1:5101"
        assert external_url("site.home") == "http://127.0.0.1:5101/"
    app.config["DEV_SERVER_URL"] = "http://127.0.0.1:5101"
    with app.app_context():
        assert public_base() == "http://127.0.0.1:5101"
    app.config["PUBLIC_URL"] = "https://diklat.example.id/"
    with app.test_request_context("/", base_url="http://127.0.0.1:5101"):
        assert public_base() == "https://diklat.example.id"


def test_production_hashes_passwords_with_the_strong_argon2id_parameters(tmp_path, monkeypatch):
    from argon2 import extract_parameters

    from lms.auth.services import hash_password

    app = build(tmp_path, monkeypatch, LMS_ENV="production", LMS_SECRET_KEY=STRONG_KEY,
                LMS_PUBLIC_URL="https://diklat.example.id")
    with app.app_context():
        params = extract_parameters(hash_password("correct-horse-battery"))
    assert params.type.name == "ID"
    assert (params.time_cost, params.memory_cost, params.parallelism) == (3, 65536, 4)
    with pytest.raises(ConfigurationError, match="Argon2id"):
        build(tmp_path, monkeypatch, LMS_ENV="production", LMS_SECRET_KEY=STRONG_KEY,
              LMS_PUBLIC_URL="https://diklat.example.id", LMS_PASSWORD_HASHING="fast-for-tests")


def test_the_clock_gives_today_in_the_site_zone_and_can_be_frozen(app, freeze_clock):
    from lms import clock

    freeze_clock(datetime(2026, 12, 31, 18, 30))  # naive UTC: 01.30 WIB on New Year's Day
    assert clock.utcnow() == datetime(2026, 12, 31, 18, 30)
    with app.app_context():
        assert clock.today().isoformat() == "2027-01-01"
    assert clock.today("UTC").isoformat() == "2026-12-31"
    assert clock.now_in("Asia/Jayapura").hour == 3
