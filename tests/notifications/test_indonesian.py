"""The new pages in the default language: no English words on them (tests/english.py)."""

from tests.conftest import csrf_from
from tests.english import english_in
from tests.notifications.conftest import CODE
from tests.site.test_bad_input import _visible


def test_the_new_pages_speak_indonesian(app, member, login_as, add_session):
    from datetime import timedelta

    app.config["BABEL_DEFAULT_LOCALE"] = "id"
    coordinator, _ = login_as("coordinator")
    participant, user_id = member()
    add_session(timedelta(minutes=20), topic="Sesi pagi")
    page = coordinator.get(f"/cohorts/{CODE}/messages")
    response = coordinator.post(f"/cohorts/{CODE}/messages", data={
        "csrf_token": csrf_from(page.text), "audience": "all", "person": "",
        "subject": "Jadwal", "body": "Isi pesan."})
    assert response.status_code == 302
    message_url = response.headers["Location"]
    empty = coordinator.post(f"/cohorts/{CODE}/messages", data={
        "csrf_token": csrf_from(page.text), "audience": "waitlist", "person": "",
        "subject": "Jadwal", "body": "Isi pesan."})
    assert "Tidak ada pesan yang dikirim" in empty.text
    pages = {
        "coordinator messages": coordinator.get(f"/cohorts/{CODE}/messages").text,
        "coordinator message": coordinator.get(message_url).text,
        "empty group": empty.text,
        "list": participant.get("/notifications").text,
        "choices": participant.get("/profile/notifications").text,
        "participant messages": participant.get(f"/cohorts/{CODE}/messages").text,
        "participant message": participant.get(message_url).text,
        "new session": coordinator.get(f"/cohorts/{CODE}/sessions/new").text,
    }
    assert "Notifikasi" in pages["list"]
    assert "Pesan dari" in pages["list"]
    for name, html in pages.items():
        assert english_in(_visible(html)) == [], name
