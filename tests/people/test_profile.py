"""/profile: own details, language, time zone and password, for every role."""

import pytest

from lms.auth.models import User
from lms.extensions import db
from lms.live.models import UserPreference
from tests.conftest import PASSWORD, AuthActions
from tests.people.conftest import post

OWN = {"full_name": "Budi Santoso", "academic_title": "", "nip": "",
       "institution": "Perpustakaan Contoh", "position": "Pustakawan"}


def test_profile_needs_a_sign_in(client):
    response = client.get("/profile")
    assert response.status_code == 302
    assert "/auth/login" in response.headers["Location"]
    for url in ("/profile/details", "/profile/preferences", "/profile/password",
                "/profile/correction"):
        assert client.post(url).status_code in {302, 400}


@pytest.mark.parametrize("role", ["participant", "instructor", "coordinator", "admin"])
def test_everyone_has_a_profile(login_as, role):
    client, _ = login_as(role, full_name="Budi Santoso")
    page = client.get("/profile")
    assert page.status_code == 200
    assert "Profil saya" in page.text
    assert 'value="Budi Santoso"' in page.text
    assert "Ganti kata sandi" in page.text
    assert client.get("/auth/password").headers["Location"].endswith("/profile#password")


def test_own_details_are_saved_and_audited(app, login_as):
    client, user_id = login_as(full_name="Budi Santosa")
    response = post(client, "/profile/details", {
        **OWN, "academic_title": "S.IP.", "nip": "198001012005011001"})
    assert response.status_code == 302
    assert "Data Anda telah disimpan." in client.get("/profile").text
    with app.app_context():
        user = db.session.get(User, user_id)
        assert (user.full_name, user.academic_title, user.nip) == (
            "Budi Santoso", "S.IP.", "198001012005011001")
    bad = post(client, "/profile/details", {**OWN, "nip": "12"})
    assert bad.status_code == 400
    assert "NIP terdiri atas tepat 18 angka." in bad.text
    with app.app_context():
        assert db.session.get(User, user_id).nip == "198001012005011001"


def test_the_name_on_a_certificate_is_changed_only_by_a_correction(app, holder):
    user_id, address, _ = holder(full_name="Budi Santosa")
    client = app.test_client()
    AuthActions(client).login(address)
    page = client.get("/profile")
    assert 'name="full_name" value="Budi Santosa"' in page.text  # hidden, not editable
    assert "ajukan permohonan koreksi" in page.text
    forged = post(client, "/profile/details", {**OWN, "full_name": "Orang Lain"})
    assert forged.status_code == 400
    assert "ajukan permohonan koreksi di bawah" in forged.text
    assert post(client, "/profile/details", {**OWN, "full_name": "Budi Santosa",
                                             "position": "Kepala"}).status_code == 302
    with app.app_context():
        user = db.session.get(User, user_id)
        assert (user.full_name, user.position) == ("Budi Santosa", "Kepala")


def test_language_and_time_zone(app, login_as):
    client, user_id = login_as()
    response = post(client, "/profile/preferences", {"locale": "en",
                                                     "time_zone": "Asia/Makassar"})
    assert response.status_code == 302
    page = client.get("/profile")
    assert "My profile" in page.text
    assert '<option selected value="Asia/Makassar">' in page.text
    with app.app_context():
        assert db.session.get(User, user_id).locale == "en"
        assert db.session.query(UserPreference).one().time_zone == "Asia/Makassar"
    bad = post(client, "/profile/preferences", {"locale": "fr", "time_zone": "Europe/Paris"})
    assert bad.status_code == 400
    assert "Choose one of the languages." in bad.text
    with app.app_context():
        assert db.session.get(User, user_id).locale == "en"


def test_password_change_from_the_profile(app, login_as, make_user):
    client, user_id = login_as()
    with app.app_context():
        address = db.session.get(User, user_id).email
    other = app.test_client()
    AuthActions(other).login(address)
    wrong = post(client, "/profile/password", {
        "current_password": "salah-sekali-ini", "new_password": "kata-sandi-baru-123",
        "new_password_confirm": "kata-sandi-baru-123"})
    assert wrong.status_code == 400
    assert "Kata sandi saat ini salah." in wrong.text
    short = post(client, "/profile/password", {
        "current_password": PASSWORD, "new_password": "pendek", "new_password_confirm": "pendek"})
    assert short.status_code == 400
    good = post(client, "/profile/password", {
        "current_password": PASSWORD, "new_password": "kata-sandi-baru-123",
        "new_password_confirm": "kata-sandi-baru-123"})
    assert good.status_code == 302
    assert client.get("/profile").status_code == 200
    assert other.get("/profile").status_code == 302  # signed out elsewhere
    assert AuthActions(app.test_client()).login(address, "kata-sandi-baru-123").status_code == 302
