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
    loads = [s for s in statements if "FROM user_sessions" in s]
    assert len(loads) == 1
    assert "JOIN users" in loads[0]
    assert not any(s.lstrip().startswith("SELECT users.") and "user_sessions" not in s
                   and "WHERE users.id = ?" in s for s in statements)
