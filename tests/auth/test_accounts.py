"""Register, sign in, sign out, change password: as a participant experiences them."""

from sqlalchemy import func, select

from lms.auth.models import User
from lms.extensions import db
from tests.auth.conftest import mailed_path
from tests.conftest import PASSWORD, csrf_from


def register_data(client, **overrides):
    token = csrf_from(client.get("/auth/register").get_data(as_text=True))
    data = {
        "csrf_token": token,
        "full_name": "Dra. Sri Rahayu, M.Hum.",
        "email": "Sri@Perpus.example.org",
        "password": "kata-sandi-panjang",
        "password_confirm": "kata-sandi-panjang",
        "institution": "Perpustakaan Kota Contoh",
        "position": "Pustakawan Ahli Muda",
        "nip": "198001012005012001",
        "privacy_consent": "y",
    }
    data.update(overrides)
    return data


def test_register_creates_account_with_argon2_hash(app, client):
    response = client.post("/auth/register", data=register_data(client))
    assert response.status_code == 302
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(User)) == 0
    link = mailed_path(app, "sri@perpus.example.org", "/auth/register/")
    assert client.get(link).status_code == 302
    with app.app_context():
        user = db.session.scalar(select(User))
        assert user.email == "sri@perpus.example.org"
        assert user.full_name == "Dra. Sri Rahayu, M.Hum."
        assert user.nip == "198001012005012001"
        assert user.role == "participant"
        assert user.password_hash.startswith("$argon2id$")
    assert "Halo, Dra. Sri Rahayu" in client.get("/learning").get_data(as_text=True)


def test_invalid_fields_are_named(client):
    response = client.post("/auth/register", data=register_data(
        client, nip="123", password_confirm="lain-lain-lain"))
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "NIP terdiri atas tepat 18 angka." in html
    assert "Kedua kata sandi tidak sama." in html
    assert 'aria-invalid="true"' in html


def test_missing_csrf_token_is_refused_and_nothing_saved(app, client):
    data = register_data(client)
    del data["csrf_token"]
    response = client.post("/auth/register", data=data)
    assert response.status_code == 400
    assert "Formulir kedaluwarsa" in response.get_data(as_text=True)
    assert "Traceback" not in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(User)) == 0


def test_wrong_password_gives_clear_message(client, auth, make_user):
    _, email = make_user()
    response = auth.login(email, "salah-sekali-kata-sandi")
    assert response.status_code == 401
    assert "Email atau kata sandi salah." in response.get_data(as_text=True)
    assert auth.login("tidak-ada@example.org").status_code == 401


def test_login_and_safe_next(client, auth, make_user):
    _, email = make_user()
    response = auth.login(email, next="/courses")
    assert response.headers["Location"] == "/courses"
    auth.logout()
    for evil in ("https://evil.example/", "//evil.example/", "/\\evil.example", "javascript:x"):
        response = auth.login(email, next=evil)
        assert response.headers["Location"] == "/learning", evil
        auth.logout()


def test_session_changes_at_login(client, auth, make_user):
    _, email = make_user()
    client.get("/auth/login")
    before = client.get_cookie("session").value
    auth.login(email)
    assert client.get_cookie("session").value != before


def test_cookie_copied_before_logout_no_longer_works(app, client, auth, make_user):
    _, email = make_user()
    auth.login(email)
    stolen = client.get_cookie("session").value
    auth.logout()
    thief = app.test_client()
    thief.set_cookie("session", stolen)
    response = thief.get("/learning")
    assert response.status_code == 302
    assert "/auth/login" in response.headers["Location"]


def test_password_change_ends_other_sessions_but_keeps_this_one(app, client, auth, make_user):
    _, email = make_user()
    auth.login(email)
    other = app.test_client()
    AuthLike = type(auth)
    AuthLike(other).login(email)
    assert other.get("/learning").status_code == 200
    response = auth.post("/profile/password", form_url="/profile", data={
        "current_password": PASSWORD, "new_password": "kata-sandi-baru-123",
        "new_password_confirm": "kata-sandi-baru-123"})
    assert response.status_code == 302
    assert client.get("/learning").status_code == 200
    assert other.get("/learning").status_code == 302
    auth.logout()
    assert auth.login(email, "kata-sandi-baru-123").status_code == 302


def test_password_change_with_wrong_current_password(client, auth, make_user):
    _, email = make_user()
    auth.login(email)
    response = auth.post("/profile/password", form_url="/profile", data={
        "current_password": "bukan-ini-sandinya", "new_password": "kata-sandi-baru-123",
        "new_password_confirm": "kata-sandi-baru-123"})
    assert response.status_code == 400
    assert "Kata sandi saat ini salah." in response.get_data(as_text=True)
    auth.logout()
    assert auth.login(email).status_code == 302


def test_logout_needs_post(client, auth, make_user):
    _, email = make_user()
    auth.login(email)
    assert client.get("/auth/logout").status_code == 405
    assert client.get("/learning").status_code == 200


def test_users_create_cli(app, runner):
    result = runner.invoke(args=["users", "create", "koordinator@example.org", "--role",
                                 "coordinator", "--name", "Koordinator", "--password",
                                 "rahasia-panjang-sekali"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        user = db.session.scalar(select(User))
        assert user.role == "coordinator"
    again = runner.invoke(args=["users", "create", "koordinator@example.org", "--password",
                                "rahasia-panjang-sekali"])
    assert again.exit_code != 0
    assert "already exists" in again.output
