"""Registration answers the same whether or not the address has an account."""

import re
import time
from datetime import timedelta

from sqlalchemy import func, select

from lms import clock, mail
from lms.auth.models import User
from lms.extensions import db
from tests.auth.conftest import mailed_path
from tests.auth.test_accounts import register_data
from tests.conftest import PASSWORD
from tests.mail.conftest import mails_to


def timed_register(client, **overrides):
    data = register_data(client, **overrides)
    start = time.perf_counter()
    response = client.post("/auth/register", data=data)
    return time.perf_counter() - start, response


def test_an_existing_address_gets_the_same_answer_and_its_owner_a_warning(app, make_user):
    user_id, _ = make_user(email="sri@perpus.example.org")
    with app.app_context():
        before = db.session.get(User, user_id).password_hash
    answers = []
    for address in ("sri@perpus.example.org", "baru@perpus.example.org"):
        client = app.test_client()
        _, response = timed_register(client, email=address)
        page = client.get(response.headers["Location"]).text
        answers.append((response.status_code, response.headers["Location"],
                        re.sub(r'value="[^"]{40,}"', "TOKEN", page.replace(address, "ADDRESS"))))
    assert answers[0] == answers[1]
    assert answers[0][0] == 302
    assert "Buka tautan di dalamnya" in answers[0][2]

    (warning,) = mails_to(app, "sri@perpus.example.org")
    assert warning["Subject"] == "Seseorang mencoba mendaftar dengan alamat email Anda"
    assert "/auth/register/" not in warning.get_content()
    (invitation,) = mails_to(app, "baru@perpus.example.org")
    assert "/auth/register/" in invitation.get_content()
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(User)) == 1
        assert db.session.get(User, user_id).password_hash == before


def test_registration_timing_does_not_depend_on_the_account(app, make_user, slow_smtp):
    make_user(email="sri@perpus.example.org")
    known, response = timed_register(app.test_client())
    assert response.status_code == 302
    unknown, response = timed_register(app.test_client(), email="baru@perpus.example.org")
    assert response.status_code == 302
    # The SMTP server makes each mail wait 3 s; neither answer waited for it.
    assert known < 1.5, known
    assert unknown < 1.5, unknown
    assert abs(known - unknown) < 1.0
    assert mail.flush(app, timeout=30)
    assert len(slow_smtp.messages) == 2


def test_the_link_creates_the_account_once(app, client):
    client.post("/auth/register", data=register_data(client))
    link = mailed_path(app, "sri@perpus.example.org", "/auth/register/")
    assert client.get(link).status_code == 302
    assert client.get("/learning").status_code == 200
    other = app.test_client()
    response = other.get(link)
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/auth/register")
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(User)) == 1


def test_two_registrations_for_one_address_make_one_account(app):
    first, second = app.test_client(), app.test_client()
    first.post("/auth/register", data=register_data(first))
    second.post("/auth/register", data=register_data(
        second, password="sandi-yang-kedua-ini", password_confirm="sandi-yang-kedua-ini"))
    links = mails_to(app, "sri@perpus.example.org")
    assert len(links) == 2
    paths = [re.search(r"/auth/register/\S+", m.get_content()).group(0) for m in links]
    assert first.get(paths[1]).status_code == 302
    response = second.get(paths[0])  # the other link ended with the first account
    assert response.headers["Location"].endswith("/auth/register")
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(User)) == 1


def test_a_link_older_than_two_days_is_refused(app, client, freeze_clock):
    freeze_clock(clock.utcnow())
    client.post("/auth/register", data=register_data(client))
    link = mailed_path(app, "sri@perpus.example.org", "/auth/register/")
    freeze_clock(clock.utcnow() + timedelta(days=2, minutes=1))
    assert client.get(link).headers["Location"].endswith("/auth/register")
    assert client.get("/learning").status_code == 302


def test_a_forged_link_is_refused(client):
    response = client.get("/auth/register/" + "x" * 43)
    assert response.status_code == 302
    assert "kedaluwarsa" in client.get(response.headers["Location"]).text


def test_the_owner_can_still_sign_in_after_someone_tried_to_register(app, client, auth,
                                                                       make_user):
    _, email = make_user(email="sri@perpus.example.org")
    client.post("/auth/register", data=register_data(client))
    assert auth.login(email, PASSWORD).status_code == 302
