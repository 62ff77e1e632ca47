"""Passwords as NIST SP 800-63B says: length, known passwords, one's own name; NFKC; rehash."""

import time
import unicodedata

import pytest
from argon2 import PasswordHasher
from sqlalchemy import func, select

from lms.auth import passwords
from lms.auth import services as accounts
from lms.auth.models import User
from lms.auth.registration import PendingRegistration
from lms.extensions import db
from tests.auth.conftest import mailed_path
from tests.auth.test_accounts import register_data
from tests.conftest import PASSWORD, csrf_from


@pytest.mark.parametrize(("password", "message"), [
    ("aaaaaaaaaa", "termasuk yang pertama kali dicoba"),
    ("1234567890", "termasuk yang pertama kali dicoba"),
    ("password12", "termasuk yang pertama kali dicoba"),
    ("qwertyuiop2024", "termasuk yang pertama kali dicoba"),
    ("abcdefghijkl", "termasuk yang pertama kali dicoba"),
    ("Perpustakaan123", "termasuk yang pertama kali dicoba"),
    ("rahayu-suka-membaca", "memuat nama atau alamat email"),
    ("pendek", "Gunakan minimal 10 karakter."),
])
def test_registration_refuses_weak_passwords_with_a_reason(app, client, password, message):
    response = client.post("/auth/register", data=register_data(
        client, password=password, password_confirm=password))
    assert response.status_code == 200
    assert message in response.text
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(PendingRegistration)) == 0


def test_no_composition_rules_a_long_phrase_of_lowercase_words_is_accepted(app):
    with app.test_request_context():
        assert passwords.problem("lampu meja hijau tua", email="sri@example.org",
                                 full_name="Sri Rahayu") is None


def test_the_registration_form_gives_a_hint_in_indonesian(client):
    assert "Beberapa kata yang tidak saling berhubungan mudah diingat" in \
        client.get("/auth/register").text


def test_changing_and_resetting_refuse_a_common_password(app, client, auth, make_user):
    _, email = make_user(full_name="Bambang Sutrisno")
    auth.login(email)
    response = auth.post("/profile/password", form_url="/profile", data={
        "current_password": PASSWORD, "new_password": "bambang-sutrisno-1",
        "new_password_confirm": "bambang-sutrisno-1"})
    assert response.status_code == 400
    assert "memuat nama atau alamat email" in response.text
    auth.logout()
    client.post("/auth/forgot", data={"email": email,
                                      "csrf_token": csrf_from(client.get("/auth/forgot").text)})
    link = mailed_path(app, email, "/auth/reset/")
    response = client.post(link, data={"new_password": "1234567890",
                                       "new_password_confirm": "1234567890",
                                       "csrf_token": csrf_from(client.get(link).text)})
    assert response.status_code == 200
    assert "termasuk yang pertama kali dicoba" in response.text
    assert auth.login(email).status_code == 302  # the old password still works


def test_the_cli_refuses_a_common_password(app, runner):
    result = runner.invoke(args=["users", "create", "admin@example.org", "--role", "admin",
                                 "--name", "Admin", "--password", "password123"])
    assert result.exit_code != 0
    assert "termasuk yang pertama kali dicoba" in result.output or \
        "first that attackers try" in result.output
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(User)) == 0


def test_a_unicode_password_is_the_same_composed_or_with_combining_marks(app, client, auth,
                                                                          make_user):
    composed = unicodedata.normalize("NFC", "kopi-café-señor-ﬁne")  # with the "fi" ligature
    decomposed = unicodedata.normalize("NFD", "kopi-café-señor-fine")
    assert composed != decomposed
    _, email = make_user(password=composed)
    assert auth.login(email, decomposed).status_code == 302


def test_a_hash_made_before_normalization_still_signs_in_and_is_upgraded(app, auth, make_user):
    typed = unicodedata.normalize("NFD", "kopi-café-hangat-pagi")
    user_id, email = make_user()
    with app.app_context():
        user = db.session.get(User, user_id)
        user.password_hash = accounts._hasher().hash(typed)  # as the old code stored it
        old = user.password_hash
        db.session.commit()
    assert auth.login(email, typed).status_code == 302
    with app.app_context():
        new = db.session.get(User, user_id).password_hash
    assert new != old
    assert accounts._hasher().verify(new, unicodedata.normalize("NFKC", typed))


def test_a_megabyte_password_is_refused_without_hashing(app, client, make_user):
    _, email = make_user()
    huge = "a" * 1024 * 1024
    start = time.perf_counter()
    response = client.post("/auth/login", data={
        "email": email, "password": huge, "csrf_token": csrf_from(client.get("/auth/login").text)})
    assert response.status_code == 200
    assert "Traceback" not in response.text
    response = client.post("/auth/register", data=register_data(
        client, password=huge, password_confirm=huge))
    assert response.status_code == 200
    assert "Gunakan paling banyak 1024 karakter." in response.text
    assert time.perf_counter() - start < 5
    with app.app_context(), pytest.raises(ValueError, match="too long"):
        accounts.hash_password(huge)
    with app.app_context():
        assert not accounts.password_matches(db.session.scalar(select(User)), huge)


def test_a_hash_with_old_parameters_is_rehashed_at_sign_in(app, auth, make_user):
    user_id, email = make_user()
    weaker = PasswordHasher(time_cost=2, memory_cost=16, parallelism=1)
    with app.app_context():
        user = db.session.get(User, user_id)
        user.password_hash = weaker.hash(PASSWORD)
        db.session.commit()
        assert accounts._hasher().check_needs_rehash(user.password_hash)
    assert auth.login(email).status_code == 302
    with app.app_context():
        stored = db.session.get(User, user_id).password_hash
        assert not accounts._hasher().check_needs_rehash(stored)
        assert stored.startswith("$argon2id$v=19$m=8,t=1,p=1$")


def test_production_parameters_meet_owasp_argon2id_minimum():
    # OWASP Password Storage Cheat Sheet: Argon2id with m >= 19 MiB and t >= 2 (or the
    # equivalent pairs, m=12 MiB t=3 ...); RFC 9106's second profile is m=64 MiB, t=3, p=4.
    hasher = accounts.STRONG_HASHER
    assert hasher.type.name == "ID"
    assert hasher.memory_cost >= 19 * 1024
    assert hasher.time_cost >= 2
