"""Notifications: what makes one, the list and its badge, opening and marking read, the
choices per kind and channel, the daily digest, and what happens to bad cases."""

import re

from sqlalchemy import select

from lms.assignments import services as assignments
from lms.assignments.models import Assignment
from lms.auth.models import User
from lms.cohorts import services as cohorts
from lms.cohorts.access import cohort_access
from lms.cohorts.models import CohortMember
from lms.extensions import db
from lms.forums import services as forums
from lms.forums.models import Thread
from lms.notifications import services
from lms.notifications.models import MAIL_DIGEST, MAIL_DIGESTED, Notification
from tests.conftest import count_queries, csrf_from
from tests.notifications.conftest import CODE, clear_outbox, email_of, mails_to, notes


def _forum_thread(app, author_id: int, title="Tanya modul 2") -> int:
    with app.app_context():
        cohort = cohorts.get_cohort(CODE)
        author = db.session.get(User, author_id)
        forum = forums.cohort_forums(cohort)[0]
        thread = forums.start_thread(cohort_access(cohort, author), forum, title,
                                     "Bagaimana caranya?")
        db.session.commit()
        return thread.id


def _reply(app, thread_id: int, user_id: int, body="Begini caranya.") -> int:
    with app.app_context():
        cohort = cohorts.get_cohort(CODE)
        user = db.session.get(User, user_id)
        post = forums.reply(cohort_access(cohort, user), db.session.get(Thread, thread_id),
                            body)
        db.session.commit()
        return post.id


def test_each_event_makes_a_notification_that_links_to_its_page(
        app, tasks, member, login_as, instructor):
    coordinator, coordinator_id = login_as("coordinator")
    asker, asker_id = member()
    helper, helper_id = member()
    teacher, teacher_id = instructor("satu")

    # Enrollment by a coordinator: a notification, and the mail (always sent).
    (enrolled,) = notes(app, asker_id, "enrollment")
    assert enrolled.endpoint == "courses.dashboard"
    assert mails_to(app, email_of(app, asker_id))

    # An application decided.
    applicant_id = login_as()[1]
    with app.app_context():
        cohort = cohorts.get_cohort(CODE)
        row = CohortMember(cohort_id=cohort.id, user_id=applicant_id, status="applied")
        db.session.add(row)
        db.session.flush()
        cohorts.decide(cohort, [row.id], "waitlist", coordinator_id)
        db.session.commit()
    (decision,) = notes(app, applicant_id, "decision")
    assert decision.title == "Waiting list: Angkatan I Tahun 2026"

    # An announcement: every participant but the author.
    with app.app_context():
        cohorts.post_announcement(cohorts.get_cohort(CODE), coordinator_id, "Jadwal baru",
                                  "Sesi pindah ke **Kamis**.")
        db.session.commit()
    (told,) = notes(app, asker_id, "announcement")
    assert told.anchor.startswith("announcement-")
    assert told.body == "Sesi pindah ke Kamis."  # the words, not the Markdown
    assert told.endpoint == "courses.dashboard"
    assert notes(app, coordinator_id, "announcement") == []

    # A reply in a thread the person started (followed); not to the one who replied.
    thread_id = _forum_thread(app, asker_id)
    post_id = _reply(app, thread_id, helper_id)
    (reply,) = notes(app, asker_id, "forum_reply")
    assert reply.params == {"code": CODE, "post_id": post_id}
    assert notes(app, helper_id, "forum_reply") == []
    _reply(app, thread_id, asker_id, "Terima kasih!")  # the helper follows it now
    assert len(notes(app, helper_id, "forum_reply")) == 1

    # Assignment returned for revision, then graded.
    with app.app_context():
        assignment = db.session.scalar(select(Assignment))
        cohort = cohorts.get_cohort(CODE)
        submission = assignments.submit(assignment, cohort, db.session.get(User, asker_id),
                                        "Rencana saya.", [])
        assignments.grade(submission, {}, "Tambahkan jadwal.", teacher_id, "return")
        db.session.commit()
    (returned,) = notes(app, asker_id, "assignment_graded")
    assert returned.title == "Returned for revision: Rencana Tindak Lanjut"
    assert returned.body == "Tambahkan jadwal."

    # Each one opens its page and is then read.
    for row in (enrolled, told, reply, returned):
        response = asker.get(f"/notifications/{row.id}")
        assert response.status_code == 302, row.kind
        assert response.headers["Location"].split("#")[0] in (
            "/learning", f"/cohorts/{CODE}/posts/{post_id}",
            "/courses/satu/assignments/tugas-rtl"), response.headers["Location"]
    assert all(n.read_at for n in notes(app, asker_id) if n.id in (
        enrolled.id, told.id, reply.id, returned.id))
    # Somebody else's notification is not found.
    assert helper.get(f"/notifications/{enrolled.id}").status_code == 404


def test_the_list_the_badge_and_marking_read(app, member, login_as):
    participant, user_id = member()
    coordinator_id = login_as("coordinator")[1]
    with app.app_context():
        for n in range(3):
            cohorts.post_announcement(cohorts.get_cohort(CODE), coordinator_id,
                                      f"Pengumuman {n}", "Isi.")
        db.session.commit()
    page = participant.get("/notifications").text
    badge = re.search(r'href="/notifications"[^>]*>Notifications <span class="badge badge-count">'
                      r'(\d+)', page)
    assert badge
    assert badge.group(1) == "4"
    assert page.count('class="notification unread"') == 4
    assert "Pengumuman 2" in page
    first = notes(app, user_id)[0]
    token = csrf_from(page)
    assert participant.post("/notifications/read", data={"id": first.id}).status_code == 400
    assert participant.post("/notifications/read",
                            data={"id": first.id, "csrf_token": token}).status_code == 302
    assert "badge badge-count\">3" in participant.get("/learning").text
    assert participant.post("/notifications/read", data={"csrf_token": token}).status_code == 302
    after = participant.get("/notifications").text
    assert 'class="notification unread"' not in after
    assert 'aria-current="page">Notifications</a>' in after  # no badge when all are read
    assert app.test_client().get("/notifications").status_code == 302  # sign in first


def test_the_page_and_the_badge_take_the_same_number_of_queries_however_many(
        app, member, login_as):
    participant, user_id = member()
    coordinator_id = login_as("coordinator")[1]

    def announce(n):
        with app.app_context():
            cohort = cohorts.get_cohort(CODE)
            for i in range(n):
                cohorts.post_announcement(cohort, coordinator_id, f"P{i}", "Isi.")
            db.session.commit()

    def queries(url):
        participant.get(url)
        with count_queries(app) as statements:
            assert participant.get(url).status_code == 200
        return len(statements)

    announce(2)
    few = {url: queries(url) for url in ("/notifications", "/learning")}
    announce(40)  # more than a page
    many = {url: queries(url) for url in ("/notifications", "/learning")}
    assert few == many
    badge = [s for s in _badge_statements(app, participant)]
    assert len(badge) == 1  # the header's count is one statement


def _badge_statements(app, client):
    with count_queries(app) as statements:
        client.get("/learning")
    return [s for s in statements if "count(notifications.id)" in s.lower()]


def test_a_notification_about_a_deleted_thread_degrades_to_the_list(app, member):
    asker, asker_id = member()
    _helper, helper_id = member()
    thread_id = _forum_thread(app, asker_id)
    _reply(app, thread_id, helper_id)
    (reply,) = notes(app, asker_id, "forum_reply")
    with app.app_context():
        db.session.delete(db.session.get(Thread, thread_id))
        db.session.commit()
    response = asker.get(f"/notifications/{reply.id}", follow_redirects=True)
    assert response.status_code == 200
    assert "no longer available" in response.text
    assert f'id="notification-{reply.id}"' in response.text
    assert notes(app, asker_id, "forum_reply")[0].read_at is not None


def test_choices_per_kind_and_channel(app, member, login_as):
    participant, user_id = member()
    coordinator_id = login_as("coordinator")[1]
    page = participant.get("/profile/notifications")
    assert page.status_code == 200
    assert 'name="announcement_mails"' in page.text
    assert 'name="forum_reply-web"' in page.text
    assert 'id="certificate-mail" checked disabled' in page.text  # always mailed
    # Announcements: in the list but not by mail; forum replies: by mail but not listed.
    wanted = {f"{k}-{c}" for k in services.KINDS for c in ("web", "mail")}
    wanted -= {"announcement-mail", "forum_reply-web"}
    data = {name: "y" for name in wanted} | {"announcement_mails": ""}
    data.pop("announcement-mail", None)
    response = participant.post("/profile/notifications",
                                data={"csrf_token": csrf_from(page.text), **data})
    assert response.status_code == 302
    page = participant.get("/profile/notifications").text
    assert 'name="forum_reply-web" value="y">' in page  # unticked
    assert 'name="forum_reply-mail" value="y" checked>' in page
    clear_outbox(app)
    with app.app_context():
        cohorts.post_announcement(cohorts.get_cohort(CODE), coordinator_id, "Info", "Isi.")
        db.session.commit()
    (told,) = notes(app, user_id, "announcement")
    assert told.shown
    assert told.mail_state == "none"
    assert mails_to(app, email_of(app, user_id)) == []
    _other, other_id = member()
    thread_id = _forum_thread(app, user_id)
    _reply(app, thread_id, other_id)
    (reply,) = notes(app, user_id, "forum_reply")
    assert not reply.shown
    assert reply.mail_state == "sent"
    assert len(mails_to(app, email_of(app, user_id))) == 1
    assert f'id="notification-{reply.id}"' not in participant.get("/notifications").text


def test_a_person_with_every_mail_turned_off_still_gets_decisions_and_the_list(
        app, member, login_as):
    participant, user_id = member()
    coordinator_id = login_as("coordinator")[1]
    page = participant.get("/profile/notifications")
    web_only = {f"{k}-web": "y" for k in services.KINDS}
    assert participant.post("/profile/notifications", data={
        "csrf_token": csrf_from(page.text), **web_only}).status_code == 302
    with app.app_context():
        user = db.session.get(User, user_id)
        choices = services.choices_of(user)
        assert not user.announcement_mails
        assert [k for k in services.KINDS if choices.wants(k, "mail")] == [
            "decision", "enrollment", "certificate"]
    clear_outbox(app)
    with app.app_context():
        cohort = cohorts.get_cohort(CODE)
        cohorts.post_announcement(cohort, coordinator_id, "Info", "Isi.")
        member_row = cohorts.membership(cohort, user_id)
        cohorts.decide(cohort, [member_row.id], "waitlist", coordinator_id)
        db.session.commit()
    (mail,) = mails_to(app, email_of(app, user_id))  # the decision only
    assert mail["Subject"] == "Waiting list: Angkatan I Tahun 2026"
    assert {n.kind for n in notes(app, user_id)} == {"enrollment", "announcement", "decision"}


def test_the_daily_digest_gathers_the_mails_into_one_sent_once(app, member, login_as):
    participant, user_id = member()
    coordinator_id = login_as("coordinator")[1]
    page = participant.get("/profile/notifications")
    everything = {f"{k}-{c}": "y" for k in services.KINDS for c in ("web", "mail")}
    everything["announcement_mails"] = "y"
    assert participant.post("/profile/notifications", data={
        "csrf_token": csrf_from(page.text), **everything, "daily_digest": "y"}
    ).status_code == 302
    clear_outbox(app)
    with app.app_context():
        cohort = cohorts.get_cohort(CODE)
        for title in ("Satu", "Dua"):
            cohorts.post_announcement(cohort, coordinator_id, title, "Isi.")
        db.session.commit()
    assert mails_to(app, email_of(app, user_id)) == []
    assert {n.mail_state for n in notes(app, user_id, "announcement")} == {MAIL_DIGEST}
    with app.app_context():
        assert services.send_digests("2026-11-26") == 1
        db.session.commit()
        assert services.send_digests("2026-11-26") == 0  # a second run finds nothing
        db.session.commit()
    (digest,) = mails_to(app, email_of(app, user_id))
    assert digest["Subject"] == "Your daily summary: 2 notifications"
    body = digest.get_content()
    assert "Angkatan I Tahun 2026: Satu" in body
    assert "Angkatan I Tahun 2026: Dua" in body
    assert "/learning#announcement-" in body
    assert "/notifications" in body
    assert {n.mail_state for n in notes(app, user_id, "announcement")} == {MAIL_DIGESTED}


def test_the_same_key_twice_tells_once(app, member):
    _client, user_id = member()
    with app.app_context():
        user = db.session.get(User, user_id)
        first = services.notify(user, "message", "message:99", lambda: ("Hai", "Isi"))
        again = services.notify(user, "message", "message:99", lambda: ("Hai", "Isi"))
        db.session.commit()
        assert first is not None
        assert again is None
        assert db.session.scalar(select(Notification.id).where(
            Notification.key == "message:99")) == first.id


def test_an_inactive_person_is_not_told(app, member, login_as):
    _client, user_id = member()
    coordinator_id = login_as("coordinator")[1]
    with app.app_context():
        db.session.get(User, user_id).is_active_account = False
        db.session.commit()
        cohorts.post_announcement(cohorts.get_cohort(CODE), coordinator_id, "Info", "Isi.")
        db.session.commit()
    assert notes(app, user_id, "announcement") == []


def test_opening_a_notification_of_a_removed_page_says_so(app, member):
    participant, user_id = member()
    with app.app_context():
        row = services.notify(db.session.get(User, user_id), "live_soon", "live:404:x",
                              lambda: ("Sesi", ""), endpoint="live.schedule",
                              params={"code": CODE}, target=("live_session", 404))
        db.session.commit()
        row_id = row.id
    response = participant.get(f"/notifications/{row_id}")
    assert response.status_code == 302
    assert response.headers["Location"] == f"/notifications#notification-{row_id}"


def test_stale_notifications_do_not_grow_the_page_beyond_a_page(app, member):
    participant, user_id = member()
    with app.app_context():
        user = db.session.get(User, user_id)
        for n in range(services.PAGE_SIZE + 5):
            services.notify(user, "message", f"message:{n}", lambda n=n: (f"Pesan {n}", ""))
        db.session.commit()
    first = participant.get("/notifications").text
    assert first.count('<li id="notification-') == services.PAGE_SIZE
    assert 'href="/notifications?page=2"' in first
    second = participant.get("/notifications?page=2").text
    assert second.count('<li id="notification-') == 6  # the rest and the enrollment
