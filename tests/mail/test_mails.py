"""Mails people can act on: a link to the page, the recipient's language, their real status."""

import pytest
from sqlalchemy import select

from lms.auth.models import User
from lms.cohorts.models import CohortMember
from lms.extensions import db
from tests.cohorts.test_cohorts import apply, decide, member_ids
from tests.cohorts.test_manage import upload
from tests.conftest import csrf_from
from tests.mail.conftest import clear_outbox, mails_to, outbox

SITE = "https://diklat.example.go.id/lms"


def set_language(app, user_id: int, locale: str | None) -> None:
    with app.app_context():
        db.session.get(User, user_id).locale = locale
        db.session.commit()


def address(app, user_id: int) -> str:
    with app.app_context():
        return db.session.get(User, user_id).email


def only_mail(app, email: str):
    (message,) = mails_to(app, email)
    return message["Subject"], message.get_content()


@pytest.mark.parametrize("app", [{"PUBLIC_URL": SITE}], indirect=True)
def test_every_selection_mail_links_to_its_page_at_the_public_address(
        app, make_cohort, login_as):
    make_cohort(capacity=1)
    first, first_id = login_as()
    second, second_id = login_as()
    third, third_id = login_as()
    for client in (first, second, third):
        assert apply(client).status_code == 302
    subject, body = only_mail(app, address(app, first_id))
    assert subject == "Lamaran terkirim, menunggu seleksi: Angkatan I Tahun 2026"
    assert "diterima" not in subject.lower()  # "accepted" to an Indonesian reader
    assert f"{SITE}/cohorts\n" in body

    coordinator, _ = login_as("coordinator")
    clear_outbox(app)
    ids = member_ids(app)
    decide(coordinator, [ids[first_id]], "accept")
    decide(coordinator, [ids[second_id]], "waitlist")
    decide(coordinator, [ids[third_id]], "reject")
    subject, body = only_mail(app, address(app, first_id))
    assert subject == "Anda diterima: Angkatan I Tahun 2026"
    assert f"{SITE}/learning\n" in body
    assert "http://localhost" not in body  # never the address the coordinator used
    for user_id in (second_id, third_id):
        _subject, body = only_mail(app, address(app, user_id))
        assert f"{SITE}/cohorts\n" in body
    assert len(outbox(app)) == 3


def test_a_mail_is_written_in_the_recipients_language_not_the_senders(
        app, make_cohort, login_as):
    make_cohort()
    english, english_id = login_as()
    indonesian, indonesian_id = login_as()
    set_language(app, english_id, "en")
    apply(english)
    apply(indonesian)
    assert only_mail(app, address(app, english_id))[0] == (
        "Application sent: Angkatan I Tahun 2026")

    coordinator, coordinator_id = login_as("coordinator")
    set_language(app, coordinator_id, "en")  # the coordinator works in English...
    clear_outbox(app)
    ids = member_ids(app)
    decide(coordinator, [ids[english_id], ids[indonesian_id]], "accept")
    subject, body = only_mail(app, address(app, english_id))
    assert subject == "You are accepted: Angkatan I Tahun 2026"
    assert body.startswith("Hello ")
    subject, body = only_mail(app, address(app, indonesian_id))
    assert subject == "Anda diterima: Angkatan I Tahun 2026"  # ...each reads their own
    assert body.startswith("Halo ")
    assert "Selamat! Anda menjadi peserta" in body


def test_an_imported_account_on_the_waiting_list_is_not_told_it_is_a_participant(
        app, make_cohort, login_as):
    make_cohort(capacity=1)
    coordinator, _ = login_as("coordinator")
    rows = ("email,full_name,institution,position\n"
            "pertama@example.org,Pertama Sekali,Perpustakaan A,Pustakawan\n"
            "kedua@example.org,Kedua Kali,Perpustakaan B,Pustakawan\n")
    response = upload(coordinator, rows.encode())
    assert response.status_code in (200, 302), response.text
    with app.app_context():
        status = {u.email: m.status for m, u in db.session.execute(
            select(CohortMember, User).join(User, User.id == CohortMember.user_id))}
    assert status == {"pertama@example.org": "accepted", "kedua@example.org": "waitlisted"}
    subject, body = only_mail(app, "pertama@example.org")  # one mail, not two
    assert subject == "Akun Anda untuk Angkatan I Tahun 2026"
    assert "sebagai peserta Angkatan I Tahun 2026" in body
    assert "http://localhost/auth/forgot" in body
    subject, body = only_mail(app, "kedua@example.org")
    assert "peserta" not in body
    assert "daftar tunggu Angkatan I Tahun 2026" in body
    assert "http://localhost/auth/forgot" in body


def post_announcement(client, title: str, body: str, code: str = "angkatan-1"):
    page = client.get(f"/manage/cohorts/{code}/announcements")
    return client.post(f"/manage/cohorts/{code}/announcements", data={
        "csrf_token": csrf_from(page.text), "title": title, "body": body})


def test_announcements_are_mailed_to_the_cohort_and_one_can_opt_out(
        app, make_cohort, login_as):
    make_cohort(capacity=3)
    people = [login_as() for _ in range(4)]
    for client, _ in people:
        apply(client)
    coordinator, _ = login_as("coordinator")
    ids = member_ids(app)
    decide(coordinator, [ids[u] for _, u in people[:3]], "accept")
    decide(coordinator, [ids[people[3][1]]], "waitlist")
    (reader, reader_id), (english, english_id), (quiet, quiet_id), (waiting, waiting_id) = people
    set_language(app, english_id, "en")

    # Opting out: a page of its own, with a form that needs its CSRF token.
    page = quiet.get("/profile/notifications")
    assert page.status_code == 200
    assert 'name="announcement_mails"' in page.text
    assert "checked" in page.text
    assert quiet.post("/profile/notifications", data={}).status_code == 400
    assert quiet.post("/profile/notifications",
                      data={"csrf_token": csrf_from(page.text)}).status_code == 302
    assert "checked" not in quiet.get("/profile/notifications").text.split(
        'name="announcement_mails"')[1].split(">")[0]
    assert app.test_client().get("/profile/notifications").status_code == 302  # sign in first

    clear_outbox(app)
    assert post_announcement(coordinator, "Sesi daring Kamis",
                             "Sesi daring dimulai **pukul 09.00 WIB**.").status_code == 302
    with app.app_context():
        from lms.cohorts.models import Announcement

        announcement_id = db.session.scalar(select(Announcement.id))
    link = f"http://localhost/learning#announcement-{announcement_id}"
    subject, body = only_mail(app, address(app, reader_id))
    assert subject == "Angkatan I Tahun 2026: Sesi daring Kamis"
    assert "pukul 09.00 WIB" in body
    assert link in body
    assert "http://localhost/profile/notifications" in body
    _subject, body = only_mail(app, address(app, english_id))
    assert "Read it on the site:" in body
    assert mails_to(app, address(app, quiet_id)) == []  # opted out
    assert mails_to(app, address(app, waiting_id)) == []  # not a participant (yet)
    assert len(outbox(app)) == 2
    assert f'id="announcement-{announcement_id}"' in reader.get("/learning").text


def test_a_line_break_in_a_title_does_not_become_a_mail_header(app, make_cohort, login_as):
    make_cohort()
    participant, participant_id = login_as()
    apply(participant)
    coordinator, _ = login_as("coordinator")
    decide(coordinator, [member_ids(app)[participant_id]], "accept")
    clear_outbox(app)
    post_announcement(coordinator, "Rapat\r\nBcc: semua@example.org", "Isi pengumuman.")
    (message,) = mails_to(app, address(app, participant_id))
    assert message["Bcc"] is None
    assert message["Subject"] == "Angkatan I Tahun 2026: Rapat Bcc: semua@example.org"
