"""The email digest: one email per subscriber, only posts of the subscriber's cohorts."""

import email
import email.policy
from pathlib import Path

from sqlalchemy import select

from lms.extensions import db
from lms.forums.cli import forums_group
from lms.forums.models import DigestSubscription, Thread
from tests.forums.conftest import CODE, OTHER, forum_ids, post_form, start_thread


def outbox(app) -> dict[str, list[email.message.EmailMessage]]:
    folder = Path(app.instance_path) / "outbox"
    mails: dict[str, list] = {}
    for path in sorted(folder.glob("*.eml")) if folder.exists() else []:
        message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        mails.setdefault(message["To"], []).append(message)
    return mails


def clear_outbox(app) -> None:
    for path in (Path(app.instance_path) / "outbox").glob("*.eml"):
        path.unlink()


def subscribe(client, code=CODE, on="1"):
    response = post_form(client, f"/cohorts/{code}/forums/digest", {"on": on},
                         form_url=f"/cohorts/{code}/forums")
    assert response.status_code == 303
    return client.get(response.headers["Location"]).text


def emails(app, *names_people):
    from lms.auth.models import User

    with app.app_context():
        return [db.session.get(User, user_id).email for _client, user_id in names_people]


def run_digest(runner):
    result = runner.invoke(forums_group, ["digest"])
    assert result.exit_code == 0, result.output
    return result.output


def test_the_digest_mails_each_subscriber_the_new_posts_of_their_cohorts(app, runner, people):
    alice, bob, stranger, coordinator = people.alice, people.bob, people.stranger, \
        people.coordinator
    page = subscribe(alice[0])
    assert "You will receive an email with the new posts" in page
    assert "Stop the email digest" in page
    subscribe(stranger[0], OTHER)
    ids, other = forum_ids(alice[0]), forum_ids(stranger[0], OTHER)

    start_thread(bob[0], ids["satu"], "Tentang DDC", "Klasifikasi **DDC** edisi 23")
    start_thread(alice[0], ids["general"], "Dari Alice", "Pesan Alice sendiri")
    hidden = start_thread(bob[0], ids["general"], "Disembunyikan", "Isi yang disembunyikan")
    with app.app_context():
        db.session.get(Thread, hidden).hidden = True
        db.session.commit()
    start_thread(coordinator[0], other["general"], "Angkatan dua", "Hanya untuk angkatan dua",
                 code=OTHER)
    start_thread(stranger[0], other["dua"], "Tulisan stranger", "Pesan stranger sendiri",
                 code=OTHER)

    clear_outbox(app)  # the acceptance emails of the fixture
    assert "2 digest email(s) sent" in run_digest(runner)
    mails = outbox(app)
    alice_email, stranger_email, bob_email = emails(app, alice, stranger, bob)
    assert set(mails) == {alice_email, stranger_email}
    assert len(mails[alice_email]) == 1
    to_alice = mails[alice_email][0].get_content()
    assert "Tentang DDC" in to_alice
    assert "Klasifikasi DDC edisi 23" in to_alice
    assert "Kursus Satu" in to_alice
    assert "/cohorts/angkatan-1/posts/" in to_alice
    for absent in ("Pesan Alice sendiri", "disembunyikan", "angkatan dua", "stranger"):
        assert absent not in to_alice
    to_stranger = mails[stranger_email][0].get_content()
    assert "Hanya untuk angkatan dua" in to_stranger
    for absent in ("DDC", "Alice", "Pesan stranger sendiri"):
        assert absent not in to_stranger
    assert mails[alice_email][0]["Subject"]

    clear_outbox(app)
    assert "0 digest email(s) sent" in run_digest(runner)  # nothing new
    post_form(bob[0], f"/cohorts/{CODE}/threads/{hidden - 2}", {"body": "Balasan baru Bob"})
    run_digest(runner)
    again = outbox(app)[alice_email][0].get_content()
    assert "Balasan baru Bob" in again
    assert "Klasifikasi" not in again

    clear_outbox(app)
    assert "Send me the email digest" in subscribe(alice[0], on="0")
    post_form(bob[0], f"/cohorts/{CODE}/threads/{hidden - 2}", {"body": "Lagi dari Bob"})
    run_digest(runner)
    assert outbox(app) == {}
    with app.app_context():
        assert db.session.scalar(select(DigestSubscription.user_id)) == stranger[1]


def test_a_former_participant_gets_no_digest(app, runner, people):
    from lms.cohorts import services as cohorts

    alice, bob = people.alice, people.bob
    subscribe(bob[0])
    start_thread(alice[0], forum_ids(alice[0])["general"], "Masih ada?", "Isi baru")
    with app.app_context():
        cohorts.withdraw(cohorts.membership(cohorts.get_cohort(CODE), bob[1]), None)
        db.session.commit()
    clear_outbox(app)
    assert "0 digest email(s) sent" in run_digest(runner)
    assert outbox(app) == {}


def test_subscribing_twice_keeps_one_subscription(app, people):
    alice, _user_id = people.alice
    subscribe(alice)
    subscribe(alice)
    with app.app_context():
        assert len(db.session.scalars(select(DigestSubscription)).all()) == 1


def test_a_long_digest_is_cut_and_counts_the_rest(app, runner, people, monkeypatch):
    from lms.forums import digest

    alice, bob = people.alice, people.bob
    subscribe(alice[0])
    forum = forum_ids(alice[0])["general"]
    for i in range(3):
        start_thread(bob[0], forum, f"Topik {i}", f"Isi {i}")
    monkeypatch.setattr(digest, "MAX_ENTRIES", 2)
    clear_outbox(app)
    run_digest(runner)
    (mail,) = outbox(app)[emails(app, alice)[0]]
    body = mail.get_content()
    assert "Isi 0" in body
    assert "Isi 1" in body
    assert "Isi 2" not in body
    assert "and 1 more post" in body
    assert mail["Subject"] == "New forum posts: 3"
