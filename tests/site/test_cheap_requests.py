"""Requests that need nobody: static files touch no database and /healthz sends its one
check, signed in or not; a signed-in page loads its user and session in one statement
(issue #23). Statement counts, never timings."""

from tests.conftest import count_queries


def test_static_files_and_healthz_load_no_user(app, client, auth, make_user):
    make_user(email="peserta@example.org")
    auth.login("peserta@example.org")
    with count_queries(app) as static:
        assert client.get("/static/css/app.css").status_code == 200
    assert static == []
    with count_queries(app) as health:
        assert client.get("/healthz").status_code == 200
    assert health == ["SELECT 1"]


def test_the_signed_in_user_is_loaded_once_with_the_session(app, client, auth, make_user):
    make_user(email="peserta@example.org")
    auth.login("peserta@example.org")
    with count_queries(app) as statements:
        assert client.get("/learning").status_code == 200
    loads = [s for s in statements if "user_sessions" in s]
    assert len(loads) == 1
    assert "FROM users JOIN user_sessions" in loads[0]
    assert not any(s.lstrip().startswith("SELECT users.") and "user_sessions" not in s
                   and "WHERE users.id = ?" in s for s in statements)


def test_a_page_seen_before_builds_no_statement_and_compiles_none(
        app, client, auth, make_user, course_factory, enroll, monkeypatch):
    """The module page's and the dashboard's statements are built once per process
    (lms.statements.prepared) and found in SQLAlchemy's compiled cache: visited again,
    they build no select() and compile nothing."""
    from sqlalchemy import event
    from sqlalchemy.engine.interfaces import CacheStats
    from sqlalchemy.sql.selectable import Select

    from lms.extensions import db

    course_factory("contoh", 3)
    user_id, _email = make_user(email="peserta@example.org")
    enroll(user_id, "contoh")
    auth.login("peserta@example.org")
    pages = ["/courses/contoh/modules/contoh-m1", "/learning"]
    for url in pages:  # the first visit of each builds and compiles
        assert client.get(url).status_code == 200
    with app.app_context():
        engine = db.engine
    seen: list[tuple[str, CacheStats]] = []
    built: list[str] = []
    original_init = Select.__init__

    def counting_init(self, *entities, **kw):
        built.append(repr(entities)[:80])
        original_init(self, *entities, **kw)

    def record(conn, cursor, statement, parameters, context, executemany):
        if context is None:  # run directly on the DBAPI (lms.statements): compiled once
            seen.append((" ".join(statement.split()[:4]), "direct"))
        elif context.compiled is not None:
            seen.append((" ".join(statement.split()[:4]), context.cache_hit))

    monkeypatch.setattr(Select, "__init__", counting_init)
    event.listen(engine, "before_cursor_execute", record)
    try:
        for url in pages:
            assert client.get(url).status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", record)
        monkeypatch.undo()
    assert len(seen) >= 5
    assert [s for s in seen if s[1] not in (CacheStats.CACHE_HIT, "direct")] == []
    assert built == []
