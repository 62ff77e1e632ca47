"""Second factor: enrolment from /profile, the sign-in step, replay, recovery codes, an
admin's reset, the requirement for coordinators and admins, the limit on guesses."""

import re
import secrets
from datetime import datetime, timedelta

import pyotp
import pytest
from sqlalchemy import select

from lms.audit.models import AuditEntry
from lms.auth.models import Role
from lms.auth.second_factor import STEP_SECONDS, RecoveryCode, SecondFactor
from lms.extensions import db
from tests.conftest import PASSWORD, _build_app

START = datetime(2026, 11, 20, 3, 0, 0)


def code_at(secret: str, moment: datetime) -> str:
    step = int((moment - datetime(1970, 1, 1)).total_seconds()) // STEP_SECONDS
    return pyotp.TOTP(secret).generate_otp(step)


def enrol(client, auth, moment: datetime = START) -> tuple[str, list[str]]:
    """Turn the factor on through the pages; returns the secret and the recovery codes."""
    assert auth.post("/profile/second-factor/start", {},
                     "/profile/second-factor").status_code == 302
    page = client.get("/profile/second-factor").text
    secret = re.search(r'id="totp-secret">([A-Z2-7]+)<', page).group(1)
    response = auth.post("/profile/second-factor/confirm",
                         {"code": code_at(secret, moment), "password": PASSWORD},
                         "/profile/second-factor")
    assert response.status_code == 200, response.text
    codes = re.findall(r"<li><code>([0-9a-f]{5}-[0-9a-f]{5})</code></li>", response.text)
    return secret, codes


def sign_in_with_code(client, auth, email, code):
    """Password, then the code; returns the answer to the code."""
    response = auth.login(email)
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/auth/second-factor")
    return auth.post("/auth/second-factor", {"code": code})


@pytest.fixture
def enrolled(app, client, auth, make_user, freeze_clock):
    """A participant with a factor turned on at START, signed out."""
    freeze_clock(START)
    user_id, email = make_user()
    auth.login(email)
    secret, codes = enrol(client, auth)
    auth.logout()
    return {"id": user_id, "email": email, "secret": secret, "codes": codes}


def test_enrolment_shows_a_qr_code_and_needs_a_correct_code(app, client, auth, make_user,
                                                           freeze_clock):
    freeze_clock(START)
    user_id, email = make_user()
    auth.login(email)
    profile = client.get("/profile").text
    assert "/profile/second-factor" in profile
    auth.post("/profile/second-factor/start", {}, "/profile")
    page = client.get("/profile/second-factor")
    assert page.headers["Cache-Control"] == "no-store"
    svg = re.search(r"<svg.*?</svg>", page.text, re.S).group(0)
    # The Content-Security-Policy forbids inline style and script: the QR code has neither.
    assert "style" not in svg
    assert "<script" not in svg
    secret = re.search(r'id="totp-secret">([A-Z2-7]+)<', page.text).group(1)

    wrong = auth.post("/profile/second-factor/confirm", {"code": "000000", "password": PASSWORD},
                      "/profile/second-factor")
    assert wrong.status_code == 400
    assert "Kode ini salah" in wrong.text
    # Someone holding a stolen session cannot put their phone on the account.
    thief = auth.post("/profile/second-factor/confirm",
                      {"code": code_at(secret, START), "password": "not-the-password"},
                      "/profile/second-factor")
    assert thief.status_code == 400
    assert "Kata sandi salah" in thief.text
    with app.app_context():
        factor = db.session.scalar(select(SecondFactor).where(SecondFactor.user_id == user_id))
        assert factor.confirmed_at is None

    right = auth.post("/profile/second-factor/confirm",
                      {"code": code_at(secret, START), "password": PASSWORD},
                      "/profile/second-factor")
    assert right.status_code == 200
    codes = re.findall(r"<li><code>([0-9a-f]{5}-[0-9a-f]{5})</code></li>", right.text)
    assert len(set(codes)) == 10
    with app.app_context():
        factor = db.session.scalar(select(SecondFactor).where(SecondFactor.user_id == user_id))
        assert factor.confirmed_at == START
        stored = db.session.scalars(select(RecoveryCode.code_hash).where(
            RecoveryCode.user_id == user_id)).all()
        assert len(stored) == 10
        assert not set(stored) & {c.replace("-", "") for c in codes}  # hashed, not in clear
        assert db.session.scalar(select(AuditEntry.action).where(
            AuditEntry.target_id == user_id)) == "second_factor.enrolled"
    assert "10" in client.get("/profile").text


def test_sign_in_needs_the_code_after_the_password(app, client, auth, enrolled, freeze_clock):
    response = auth.login(enrolled["email"])
    assert response.headers["Location"].endswith("/auth/second-factor")
    # Half signed in: nothing opens yet.
    assert "/auth/login" in client.get("/learning").headers["Location"]
    assert "/auth/login" in client.get("/profile").headers["Location"]
    wrong = auth.post("/auth/second-factor", {"code": "123456"})
    assert wrong.status_code == 401
    assert "/auth/login" in client.get("/learning").headers["Location"]

    later = START + timedelta(seconds=STEP_SECONDS)
    freeze_clock(later)
    right = auth.post("/auth/second-factor", {"code": code_at(enrolled["secret"], later)})
    assert right.status_code == 302
    assert client.get("/learning").status_code == 200


def test_a_code_is_accepted_once_within_its_window(app, client, auth, enrolled, freeze_clock):
    later = START + timedelta(minutes=5)
    freeze_clock(later)
    code = code_at(enrolled["secret"], later)
    assert sign_in_with_code(client, auth, enrolled["email"], code).status_code == 302
    auth.logout()
    replay = sign_in_with_code(client, auth, enrolled["email"], code)
    assert replay.status_code == 401
    assert "sudah dipakai" in replay.text
    # The previous step's code is inside the window but older than the one used: refused.
    previous = code_at(enrolled["secret"], later - timedelta(seconds=STEP_SECONDS))
    assert previous != code
    assert auth.post("/auth/second-factor", {"code": previous}).status_code == 401
    # The next step's code is new: accepted.
    following = later + timedelta(seconds=STEP_SECONDS)
    freeze_clock(following)
    assert auth.post("/auth/second-factor",
                     {"code": code_at(enrolled["secret"], following)}).status_code == 302


def test_a_code_from_long_ago_is_refused(app, client, auth, enrolled, freeze_clock):
    now = START + timedelta(hours=1)
    freeze_clock(now)
    stale = code_at(enrolled["secret"], now - timedelta(minutes=3))
    assert sign_in_with_code(client, auth, enrolled["email"], stale).status_code == 401


def test_a_recovery_code_works_once(app, client, auth, enrolled):
    first = enrolled["codes"][0]
    response = sign_in_with_code(client, auth, enrolled["email"], first)
    assert response.status_code == 302
    assert "9" in client.get(response.headers["Location"]).text  # codes left, in the flash
    auth.logout()
    again = sign_in_with_code(client, auth, enrolled["email"], first)
    assert again.status_code == 401
    # Typed loosely (capitals, spaces): still the code.
    loose = " " + enrolled["codes"][1].upper().replace("-", " - ") + " "
    assert auth.post("/auth/second-factor", {"code": loose}).status_code == 302
    with app.app_context():
        used = db.session.scalars(select(RecoveryCode.used_at).where(
            RecoveryCode.user_id == enrolled["id"], RecoveryCode.used_at.is_not(None))).all()
        assert len(used) == 2


def test_a_half_signed_in_session_expires(app, client, auth, enrolled, freeze_clock):
    auth.login(enrolled["email"])
    later = START + timedelta(minutes=11)
    freeze_clock(later)
    response = client.post("/auth/second-factor", data={
        "code": code_at(enrolled["secret"], later), "csrf_token": auth.token("/auth/login")})
    assert "/auth/login" in response.headers["Location"]
    assert "/auth/login" in client.get("/learning").headers["Location"]


def test_new_recovery_codes_and_turning_off_need_the_password(app, client, auth, enrolled,
                                                              freeze_clock):
    now = START + timedelta(minutes=2)
    freeze_clock(now)
    sign_in_with_code(client, auth, enrolled["email"], code_at(enrolled["secret"], now))
    refused = auth.post("/profile/second-factor/disable", {"factor_password": "wrong-password!"},
                        "/profile")
    assert refused.status_code == 302
    with app.app_context():
        assert db.session.scalar(select(SecondFactor)) is not None
    fresh = auth.post("/profile/second-factor/recovery-codes", {"factor_password": PASSWORD},
                      "/profile")
    new_codes = re.findall(r"<li><code>([0-9a-f]{5}-[0-9a-f]{5})</code></li>", fresh.text)
    assert len(new_codes) == 10
    assert not set(new_codes) & set(enrolled["codes"])
    assert auth.post("/profile/second-factor/disable", {"factor_password": PASSWORD},
                     "/profile").status_code == 302
    with app.app_context():
        assert db.session.scalar(select(SecondFactor)) is None
        assert db.session.scalar(select(RecoveryCode)) is None
    auth.logout()
    assert auth.login(enrolled["email"]).headers["Location"].endswith("/learning")


def test_an_admin_resets_a_lost_factor_audited(app, client, auth, enrolled, make_user):
    coord_id, coord = make_user(Role.COORDINATOR)
    admin_id, admin = make_user(Role.ADMIN)
    other = app.test_client()
    from tests.conftest import AuthActions

    person = AuthActions(other)
    sign_in_with_code(other, person, enrolled["email"], enrolled["codes"][0])
    assert other.get("/learning").status_code == 200

    url = f"/people/{enrolled['id']}/second-factor/reset"
    auth.login(coord)
    assert auth.post(url, {}, "/learning").status_code == 403
    auth.logout()
    auth.login(admin)
    page = client.get(f"/people/{enrolled['id']}").text
    assert url in page
    response = auth.post(url, {}, "/learning")
    assert response.status_code == 302
    with app.app_context():
        assert db.session.scalar(select(SecondFactor)) is None
        entry = db.session.scalar(select(AuditEntry).where(
            AuditEntry.action == "second_factor.reset"))
        assert (entry.actor_id, entry.target_id) == (admin_id, enrolled["id"])
    # The person's sessions ended; the password alone signs in again, and they enrol anew.
    assert "/auth/login" in other.get("/learning").headers["Location"]
    assert person.login(enrolled["email"]).headers["Location"].endswith("/learning")
    assert url not in client.get(f"/people/{enrolled['id']}").text


def test_an_admin_reset_refuses_a_forged_form(app, client, auth, enrolled, make_user):
    _admin_id, admin = make_user(Role.ADMIN)
    auth.login(admin)
    response = client.post(f"/people/{enrolled['id']}/second-factor/reset",
                           data={"csrf_token": "forged"})
    assert response.status_code == 400
    assert client.post("/people/99999/second-factor/reset",
                       data={"csrf_token": auth.token("/learning")}).status_code == 404
    with app.app_context():
        assert db.session.scalar(select(SecondFactor)) is not None


def test_the_requirement_follows_production(tmp_path, content_dir):
    development = _build_app(tmp_path / "dev", content_dir)
    assert development.config["REQUIRE_SECOND_FACTOR_FOR_STAFF"] is False
    production = _build_app(
        tmp_path / "prod", content_dir, ENV="production", PASSWORD_HASHING="argon2id",
        SECRET_KEY=secrets.token_urlsafe(48), PUBLIC_URL="https://lms.example.org")
    assert production.config["REQUIRE_SECOND_FACTOR_FOR_STAFF"] is True
    switched_off = _build_app(
        tmp_path / "off", content_dir, ENV="production", PASSWORD_HASHING="argon2id",
        SECRET_KEY=secrets.token_urlsafe(48), PUBLIC_URL="https://lms.example.org",
        REQUIRE_SECOND_FACTOR_FOR_STAFF=False)
    assert switched_off.config["REQUIRE_SECOND_FACTOR_FOR_STAFF"] is False
    for app in (development, production, switched_off):
        with app.app_context():
            db.engine.dispose()


@pytest.mark.parametrize("app", [{"REQUIRE_SECOND_FACTOR_FOR_STAFF": True}], indirect=True)
@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.ADMIN])
def test_staff_enrol_before_anything_else_when_required(app, client, auth, make_user,
                                                        freeze_clock, role):
    freeze_clock(START)
    _pid, participant = make_user()
    _sid, staff = make_user(role)
    auth.login(participant)
    assert client.get("/learning").status_code == 200
    auth.logout()

    auth.login(staff)
    for url in ("/manage/cohorts", "/people/", "/profile", "/learning"):
        response = client.get(url)
        assert response.headers["Location"].endswith("/profile/second-factor"), url
    page = client.get("/profile/second-factor")
    assert page.status_code == 200
    enrol(client, auth)
    assert client.get("/manage/cohorts").status_code == 200


@pytest.mark.parametrize("app", [{"RATELIMIT_ENABLED": True,
                                  "SECOND_FACTOR_RATE_LIMIT": "3 per minute"}], indirect=True)
def test_wrong_codes_are_limited_per_account(app, client, auth, enrolled):
    auth.login(enrolled["email"])
    for _n in range(3):
        assert auth.post("/auth/second-factor", {"code": "000000"}).status_code == 401
    # Another address changes nothing: the guesser already has the password.
    token = auth.token("/auth/second-factor")
    response = client.post("/auth/second-factor", data={
        "code": enrolled["codes"][0], "csrf_token": token},
        environ_base={"REMOTE_ADDR": "203.0.113.9"})
    assert response.status_code == 429
    with app.app_context():
        assert db.session.scalar(select(RecoveryCode).where(
            RecoveryCode.used_at.is_not(None))) is None


def test_the_command_line_resets_a_lost_factor(app, runner, enrolled):
    """For the day the only admin loses their phone and codes."""
    result = runner.invoke(args=["users", "reset-second-factor", enrolled["email"]])
    assert result.exit_code == 0, result.output
    assert "reset the second factor" in result.output
    with app.app_context():
        assert db.session.scalar(select(SecondFactor)) is None
        entry = db.session.scalar(select(AuditEntry).where(
            AuditEntry.action == "second_factor.reset"))
        assert entry.actor_id is None
    again = runner.invoke(args=["users", "reset-second-factor", enrolled["email"]])
    assert "has no second factor" in again.output
