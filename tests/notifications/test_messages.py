"""Messages to a cohort: who may send, the groups, one person, replies to the sender
only, the rate limit, the audit log, and the refusals (an empty group, a 100 KB text)."""

from sqlalchemy import select

from lms.audit.models import AuditEntry
from lms.auth.models import User
from lms.cohorts import services as cohorts
from lms.cohorts.models import CohortMember
from lms.extensions import db
from lms.notifications.messages import MAX_BODY
from lms.notifications.models import CohortMessage
from tests.conftest import csrf_from
from tests.live.test_next import pass_the_posttest
from tests.notifications.conftest import CODE, clear_outbox, email_of, mails_to, notes

URL = f"/cohorts/{CODE}/messages"


def send(client, **fields):
    page = client.get(URL)
    assert page.status_code == 200
    data = {"audience": "all", "person": "", "subject": "Jadwal", "body": "Isi pesan.",
            **fields}
    return client.post(URL, data={"csrf_token": csrf_from(page.text), **data})


def _waitlist(app, user_id, coordinator_id):
    with app.app_context():
        cohort = cohorts.get_cohort(CODE)
        row = CohortMember(cohort_id=cohort.id, user_id=user_id, status="applied")
        db.session.add(row)
        db.session.flush()
        cohorts.decide(cohort, [row.id], "waitlist", coordinator_id)
        db.session.commit()


def test_a_coordinator_writes_to_the_whole_cohort_and_a_participant_replies(
        app, member, login_as):
    coordinator, coordinator_id = login_as("coordinator")
    (first, first_id), (second, second_id) = member(), member()
    clear_outbox(app)
    response = send(coordinator, subject="Sesi Kamis", body="Sesi Kamis pindah\nke pukul 10.")
    assert response.status_code == 302
    message_url = response.headers["Location"]
    for user_id in (first_id, second_id):
        (told,) = notes(app, user_id, "message")
        assert told.title == "Message from Peserta 1: Sesi Kamis".replace(
            "Peserta 1", _name(app, coordinator_id))
        (mail,) = mails_to(app, email_of(app, user_id))
        assert "Sesi Kamis pindah" in mail.get_content()
    # Kept on the cohort's pages: the staff's list and each participant's.
    assert "Sesi Kamis" in coordinator.get(URL).text
    assert "Sesi Kamis" in first.get(URL).text
    page = first.get(message_url)
    assert page.status_code == 200
    assert "Sesi Kamis pindah\nke pukul 10." in page.text
    assert notes(app, first_id, "message")[0].read_at is not None  # read on its page
    # The audit log has it.
    with app.app_context():
        (entry,) = db.session.scalars(select(AuditEntry).where(
            AuditEntry.action == "message.send"))
        assert entry.actor_id == coordinator_id
        assert "→ all (2)" in entry.summary
    # A reply goes to the sender only: the other participant neither is told nor sees it.
    clear_outbox(app)
    reply = first.post(message_url, data={"csrf_token": csrf_from(page.text),
                                          "body": "Baik, terima kasih."})
    assert reply.status_code == 302
    (told,) = notes(app, coordinator_id, "message")
    assert told.title.startswith("Reply from")
    assert [m["To"] for m in mails_to(app, email_of(app, coordinator_id))]
    assert mails_to(app, email_of(app, second_id)) == []
    assert "Baik, terima kasih." in coordinator.get(message_url).text
    assert "Baik, terima kasih." in first.get(message_url).text
    assert "Baik, terima kasih." not in second.get(message_url).text
    with app.app_context():
        assert db.session.scalar(select(AuditEntry.id).where(
            AuditEntry.action == "message.reply"))


def _name(app, user_id):
    with app.app_context():
        return db.session.get(User, user_id).full_name


def test_groups_and_one_person(app, member, login_as, tasks):
    coordinator, coordinator_id = login_as("coordinator")
    (_lazy, lazy_id), (_done, done_id) = member(), member()
    pass_the_posttest(app, done_id)
    waiting_id = login_as()[1]
    _waitlist(app, waiting_id, coordinator_id)

    assert send(coordinator, audience="no_posttest", subject="Post-test").status_code == 302
    assert len(notes(app, lazy_id, "message")) == 1
    assert notes(app, done_id, "message") == []
    assert send(coordinator, audience="waitlist", subject="Daftar tunggu").status_code == 302
    (told,) = notes(app, waiting_id, "message")
    assert told.title.endswith("Daftar tunggu")
    # The waiting list is not in the cohort, yet may read and answer its message.
    waiting = app.test_client()
    from tests.conftest import AuthActions

    AuthActions(waiting).login(email_of(app, waiting_id))
    assert waiting.get(URL).status_code == 404
    opened = waiting.get(f"/notifications/{told.id}")
    assert waiting.get(opened.headers["Location"]).status_code == 200
    assert send(coordinator, audience="person", person=str(done_id),
                subject="Untuk Anda").status_code == 302
    assert [n.title for n in notes(app, done_id, "message")] == [
        f"Message from {_name(app, coordinator_id)}: Untuk Anda"]
    assert len(notes(app, lazy_id, "message")) == 1


def test_an_empty_group_sends_nothing_and_says_why(app, member, login_as):
    coordinator, _ = login_as("coordinator")
    _participant, user_id = member()
    response = send(coordinator, audience="waitlist")
    assert response.status_code == 400
    assert "Nobody is in this group right now. Nothing was sent." in response.text
    response = send(coordinator, audience="low_attendance")
    assert response.status_code == 400
    assert "no attendance rule" in response.text
    response = send(coordinator, audience="person", person="")
    assert response.status_code == 400
    with app.app_context():
        assert db.session.scalar(select(CohortMessage.id)) is None
    assert notes(app, user_id, "message") == []
    assert 'value="Jadwal"' in response.text  # what was typed is kept


def test_a_100_kb_message_is_refused_with_the_limit_stated(app, member, login_as):
    coordinator, _ = login_as("coordinator")
    _participant, user_id = member()
    response = send(coordinator, body="a" * 100_000)
    assert response.status_code == 400
    assert "100,000 characters long; a message may have at most 10,000" in response.text
    assert notes(app, user_id, "message") == []
    assert send(coordinator, body="a" * MAX_BODY).status_code == 302  # the limit itself passes


def test_the_rate_limit_and_who_may_send(app, member, login_as, instructor):
    app.config["MESSAGES_PER_HOUR"] = 2
    coordinator, _ = login_as("coordinator")
    participant, _ = member()
    teacher, _ = instructor("satu")
    assert send(teacher, subject="Dari pengajar").status_code == 302  # instructors may
    assert send(coordinator, subject="Satu").status_code == 302
    assert send(coordinator, subject="Dua").status_code == 302
    refused = send(coordinator, subject="Tiga")
    assert refused.status_code == 400
    assert "the most allowed" in refused.text
    # A participant reads the list, cannot send.
    page = participant.get(URL)
    assert page.status_code == 200
    assert 'name="audience"' not in page.text
    assert participant.post(URL, data={"csrf_token": csrf_from(page.text), "audience": "all",
                                       "subject": "x", "body": "y"}).status_code == 403
    # Somebody outside the cohort sees nothing.
    stranger, _ = login_as()
    assert stranger.get(URL).status_code == 404


def test_only_recipients_reply_and_outsiders_do_not_see_a_message(app, member, login_as):
    coordinator, _ = login_as("coordinator")
    (_first, first_id) = member()
    message_url = send(coordinator, audience="person", person=str(first_id)).headers["Location"]
    other, _ = member()  # joined later: not a recipient
    assert other.get(message_url).status_code == 404
    stranger, _ = login_as()
    assert stranger.get(message_url).status_code == 404
    page = coordinator.get(message_url)
    assert page.status_code == 200
    assert 'name="body"' not in page.text  # the sender does not reply to themself
