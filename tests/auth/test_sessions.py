"""Sessions a person sees and ends; remember-me at most 30 days, rotated; strong keys."""

import secrets
from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select

from lms import ConfigurationError
from lms.auth.models import Role, User
from lms.auth.sessions import UserSession, device
from lms.extensions import db
from lms.people import services as people
from tests.conftest import PASSWORD, AuthActions, csrf_from
from tests.site.test_site import build

FIREFOX = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0"
ANDROID = ("Mozilla/5.0 (Linux; Android 14; SM-A155F) AppleWebKit/537.36 (KHTML, like Gecko) "
           "Chrome/131.0 Mobile Safari/537.36")
START = datetime(2026, 11, 26, 8, 0)


def browser(app, user_agent: str, address: str):
    client = app.test_client()
    client.environ_base.update(HTTP_USER_AGENT=user_agent, REMOTE_ADDR=address)
    return client, AuthActions(client)


def test_profile_lists_sessions_and_signs_out_everywhere_else(app, make_user):
    _, email = make_user()
    laptop, laptop_auth = browser(app, FIREFOX, "192.0.2.1")
    phone, phone_auth = browser(app, ANDROID, "198.51.100.2")
    laptop_auth.login(email)
    phone_auth.login(email)
    page = laptop.get("/profile").text
    assert "Firefox · Windows <strong>(perangkat ini)</strong>" in page
    assert "Chrome · Android" in page
    assert "198.51.100.2" in page

    response = laptop_auth.post("/profile/sessions/end-others", {}, form_url="/profile")
    assert response.status_code == 302
    assert "Berhasil keluar dari 1 perangkat lain." in laptop.get("/profile").text
    assert phone.get("/learning").status_code == 302
    assert laptop.get("/learning").status_code == 200
    assert "Chrome · Android" not in laptop.get("/profile").text


def test_signing_out_ends_only_this_browsers_session(app, make_user):
    _, email = make_user()
    first, first_auth = browser(app, FIREFOX, "192.0.2.1")
    second, second_auth = browser(app, ANDROID, "192.0.2.2")
    first_auth.login(email)
    second_auth.login(email)
    first_auth.logout()
    assert first.get("/learning").status_code == 302
    assert second.get("/learning").status_code == 200


def test_a_forged_form_cannot_end_anothers_sessions(app, make_user):
    _, victim = make_user()
    _, attacker = make_user()
    victim_client, victim_auth = browser(app, FIREFOX, "192.0.2.1")
    victim_auth.login(victim)
    other, other_auth = browser(app, ANDROID, "192.0.2.3")
    other_auth.login(attacker)
    assert other.post("/profile/sessions/end-others").status_code == 400  # no CSRF token
    other_auth.post("/profile/sessions/end-others", {}, form_url="/profile")
    assert victim_client.get("/learning").status_code == 200


def _remember_cookie(client):
    return client.get_cookie("remember_token")


def test_remember_me_lasts_thirty_days_and_is_replaced_when_used(app, make_user,
                                                                 freeze_clock):
    _, email = make_user()
    freeze_clock(START)
    client, auth = browser(app, FIREFOX, "192.0.2.1")
    auth.login(email, remember="y")
    cookie = _remember_cookie(client)
    assert cookie is not None
    lifetime = cookie.expires - datetime.now(cookie.expires.tzinfo)
    assert timedelta(days=29) < lifetime <= timedelta(days=30, minutes=1)

    # The browser is closed (session cookie gone) and opened the next day.
    freeze_clock(START + timedelta(days=1))
    client.delete_cookie("session")
    assert client.get("/learning").status_code == 200
    rotated = _remember_cookie(client)
    assert rotated.value != cookie.value
    # The old cookie, copied before, no longer signs anyone in.
    thief = app.test_client()
    thief.set_cookie("remember_token", cookie.value)
    assert thief.get("/learning").status_code == 302

    # Thirty days after signing in, the cookie signs in no more, however often it was used.
    freeze_clock(START + timedelta(days=30, minutes=1))
    client.delete_cookie("session")
    assert client.get("/learning").status_code == 302


def test_a_session_idle_longer_than_its_lifetime_ends(app, client, auth, make_user,
                                                      freeze_clock):
    _, email = make_user()
    freeze_clock(START)
    auth.login(email)
    freeze_clock(START + timedelta(hours=11))
    assert client.get("/learning").status_code == 200
    freeze_clock(START + timedelta(hours=23, minutes=1))
    assert client.get("/learning").status_code == 302


def test_deactivation_and_a_role_change_end_every_session(app, make_user):
    user_id, email = make_user(role=Role.COORDINATOR)
    client, auth = browser(app, FIREFOX, "192.0.2.1")
    auth.login(email)
    with app.app_context():
        people.set_role(db.session.get(User, user_id), Role.PARTICIPANT.value, None)
        db.session.commit()
        assert db.session.scalar(select(func.count()).select_from(UserSession)) == 0
    assert client.get("/learning").status_code == 302
    auth.login(email)
    with app.app_context():
        people.deactivate(db.session.get(User, user_id), None)
        db.session.commit()
    assert client.get("/learning").status_code == 302
    assert auth.login(email, PASSWORD).status_code == 401


def test_a_cookie_from_before_sessions_had_keys_signs_nobody_in(app, client, auth, make_user):
    user_id, email = make_user()
    auth.login(email)
    with client.session_transaction() as session:
        ident, token, _key = session["_user_id"].split(":")
        session["_user_id"] = f"{ident}:{token}"
    assert client.get("/learning").status_code == 302
    assert csrf_from(client.get("/auth/login").text)


def test_devices_are_named_from_the_user_agent():
    assert device(FIREFOX) == ("Firefox", "Windows")
    assert device(ANDROID) == ("Chrome", "Android")
    assert device("curl/8.0") == ("", "")


@pytest.mark.parametrize("key", [
    "a" * 32, "changeme" * 4, "0123456789abcdef" * 3, "abcabcabcabcabcabcabcabcabcabcabc",
    "Password1Password1Password1Password1", "passwordpassword-passwordpassword",
])
def test_production_refuses_a_long_but_guessable_secret_key(tmp_path, monkeypatch, key):
    with pytest.raises(ConfigurationError, match="LMS_SECRET_KEY"):
        build(tmp_path, monkeypatch, LMS_ENV="production", LMS_SECRET_KEY=key,
              LMS_PUBLIC_URL="https://diklat.example.id")


@pytest.mark.parametrize("make", [lambda: secrets.token_urlsafe(48), secrets.token_hex,
                                  lambda: secrets.token_hex(16)],
                         ids=["token_urlsafe(48)", "token_hex()", "token_hex(16)"])
def test_production_accepts_a_random_secret_key(tmp_path, monkeypatch, make):
    key = make()  # drawn at run time: test ids stay the same across test processes
    app = build(tmp_path, monkeypatch, LMS_ENV="production", LMS_SECRET_KEY=key,
                LMS_PUBLIC_URL="https://diklat.example.id")
    assert app.secret_key == key
