"""The session cookie's contents are kept per app once verified (lms/security.py
CookieSessions): the same cookie is not verified again, an altered one is refused, an old
one expires as before, and a session holding something changeable (flash messages) is
read afresh each time."""

from lms import security
from tests.conftest import AuthActions


def _signed_in(app, make_user):
    make_user(email="peserta@example.org")
    client = app.test_client()
    AuthActions(client).login("peserta@example.org")
    client.get("/learning")  # the welcome message shown and gone
    return client


def test_a_cookie_seen_before_is_not_decoded_again_and_still_signs_in(app, make_user,
                                                                      monkeypatch):
    client = _signed_in(app, make_user)
    assert client.get("/learning").status_code == 200
    cookie = client.get_cookie("session").value
    assert cookie in app.extensions["lms_session_cookies"]
    decoded = []
    original = security.CookieSessions.get_signing_serializer

    def counting(self, app_):
        decoded.append(1)
        return original(self, app_)

    monkeypatch.setattr(security.CookieSessions, "get_signing_serializer", counting)
    page = client.get("/learning")
    assert page.status_code == 200
    assert "Keluar" in page.get_data(as_text=True)
    assert decoded == []


def test_an_altered_cookie_is_refused(app, make_user):
    client = _signed_in(app, make_user)
    cookie = client.get_cookie("session").value
    client.get("/learning")
    altered = cookie[:-2] + ("AA" if cookie[-2:] != "AA" else "BB")
    stranger = app.test_client()
    stranger.set_cookie("session", altered)
    response = stranger.get("/learning")
    assert response.status_code == 302
    assert "/auth/login" in response.location


def test_a_kept_cookie_still_expires_with_the_session_lifetime(app, make_user, monkeypatch):
    client = _signed_in(app, make_user)
    assert client.get("/learning").status_code == 200
    lifetime = app.permanent_session_lifetime.total_seconds()
    now = security.time.time()
    monkeypatch.setattr(security.time, "time", lambda: now + lifetime + 60)
    response = client.get("/learning")
    assert response.status_code == 302
    assert "/auth/login" in response.location


def test_flash_messages_are_shown_once(app, make_user):
    client = _signed_in(app, make_user)
    with client.session_transaction() as session:
        session["_flashes"] = [("info", "Pesan sekali saja")]
    cookie = client.get_cookie("session").value
    first = client.get("/learning").get_data(as_text=True)
    assert "Pesan sekali saja" in first
    assert cookie not in app.extensions["lms_session_cookies"]
    assert "Pesan sekali saja" not in client.get("/learning").get_data(as_text=True)
