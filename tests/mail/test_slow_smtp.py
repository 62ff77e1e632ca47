"""Mail leaves after the response: a slow SMTP server slows no page and tells no secret."""

import email
import email.policy
import time

from lms import mail
from tests.cohorts.test_cohorts import apply
from tests.conftest import csrf_from


def timed_post(client, url: str, data: dict) -> tuple[float, int]:
    start = time.perf_counter()
    response = client.post(url, data=data)
    return time.perf_counter() - start, response.status_code


def test_forgot_password_answers_at_once_whether_or_not_the_account_exists(
        app, client, make_user, slow_smtp):
    _, address = make_user(email="ada@example.org")
    token = csrf_from(client.get("/auth/forgot").text)
    known, status = timed_post(client, "/auth/forgot", {"csrf_token": token, "email": address})
    assert status == 302
    unknown, status = timed_post(client, "/auth/forgot",
                                 {"csrf_token": token, "email": "tidak-ada@example.org"})
    assert status == 302
    # The server keeps every client waiting 3 seconds; neither answer waited for it, so the
    # time taken does not tell whether a mail was sent.
    assert known < 1.5, known
    assert unknown < 1.5, unknown
    assert abs(known - unknown) < 1.0
    assert slow_smtp.messages == []  # not yet: the mail thread is still waiting

    assert mail.flush(app, timeout=20)
    assert len(slow_smtp.messages) == 1  # the known address only
    message = email.message_from_bytes(slow_smtp.messages[0], policy=email.policy.default)
    assert message["To"] == address
    assert "http://localhost/auth/reset/" in message.get_content()


def test_applying_is_not_slowed_by_the_mail_it_sends(app, make_cohort, login_as, slow_smtp):
    make_cohort()
    participant, _ = login_as()
    participant.get("/cohorts/angkatan-1/apply")
    start = time.perf_counter()
    assert apply(participant).status_code == 302
    assert time.perf_counter() - start < 2.5  # the page itself is fetched too, in apply()
    assert mail.flush(app, timeout=20)
    assert len(slow_smtp.messages) == 1


def test_mail_is_not_sent_when_the_change_is_rolled_back(app, make_user, slow_smtp):
    from lms.extensions import db

    with app.test_request_context():
        mail.queue_mail("x@example.org", "subject", "body")
        db.session.rollback()
    assert mail.flush(app, timeout=5)
    assert slow_smtp.messages == []
