"""Who sees a cohort's forums: its participants, instructors and coordinators; nobody else."""

import pytest
from sqlalchemy import select

from lms.cohorts import services as cohorts
from lms.extensions import db
from lms.forums.models import Post, Thread
from tests.forums.conftest import CODE, OTHER, count, forum_ids, start_thread, token


@pytest.fixture
def seeded(app, people):
    """A thread with a reply in CODE's forum of course "satu"."""
    alice, _ = people.alice
    ids = forum_ids(alice)
    thread_id = start_thread(alice, ids["satu"], "Katalogisasi", "Bagaimana RDA?")
    with app.app_context():
        post_id = db.session.scalar(select(Post.id).where(Post.thread_id == thread_id))
    return {"forum": ids["satu"], "thread": thread_id, "post": post_id}


def forum_urls(seeded, code=CODE):
    f, t, p = seeded["forum"], seeded["thread"], seeded["post"]
    gets = [f"/cohorts/{code}/forums", f"/cohorts/{code}/forums/{f}",
            f"/cohorts/{code}/forums/{f}/new", f"/cohorts/{code}/threads/{t}",
            f"/cohorts/{code}/posts/{p}", f"/cohorts/{code}/posts/{p}/edit",
            f"/cohorts/{code}/forums/search?q=RDA"]
    posts = [(f"/cohorts/{code}/forums/{f}/new", {"title": "x", "body": "y"}),
             (f"/cohorts/{code}/threads/{t}", {"body": "balasan"}),
             (f"/cohorts/{code}/posts/{p}/edit", {"title": "x", "body": "y"}),
             (f"/cohorts/{code}/forums/digest", {"on": "1"}),
             (f"/cohorts/{code}/threads/{t}/move", {"forum": str(f)}),
             *[(f"/cohorts/{code}/threads/{t}/{a}", {})
               for a in ("pin", "unpin", "lock", "unlock", "hide", "unhide")],
             *[(f"/cohorts/{code}/posts/{p}/{a}", {}) for a in ("hide", "unhide")]]
    return gets, posts


@pytest.mark.parametrize("who", ["stranger", "outsider"])
def test_every_forum_url_is_404_outside_the_cohort(app, people, seeded, who):
    client, _ = getattr(people, who)
    gets, posts = forum_urls(seeded)
    for url in gets:
        assert client.get(url).status_code == 404, url
    csrf = token(client)
    for url, data in posts:
        assert client.post(url, data={"csrf_token": csrf, **data}).status_code == 404, url
    with app.app_context():
        thread = db.session.get(Thread, seeded["thread"])
        assert (thread.pinned, thread.locked, thread.hidden) == (False, False, False)
    assert count(app, Post) == 1
    assert count(app, Thread) == 1


def test_a_thread_is_not_reachable_through_another_cohorts_address(app, people, seeded):
    """The stranger's own cohort code with this cohort's ids: still 404."""
    stranger, _ = people.stranger
    forum_ids(stranger, OTHER)
    gets, posts = forum_urls(seeded, code=OTHER)
    for url in gets[1:6]:
        assert stranger.get(url).status_code == 404, url
    csrf = token(stranger)
    for url, data in posts:
        if url.endswith("/digest"):
            continue
        assert stranger.post(url, data={"csrf_token": csrf, **data}).status_code == 404, url
    assert count(app, Post) == 1


def test_members_instructors_and_coordinators_get_in(people, seeded):
    for who in ("alice", "bob", "teacher", "other_teacher", "coordinator"):
        client, _ = getattr(people, who)
        assert client.get(f"/cohorts/{CODE}/forums").status_code == 200, who
        assert client.get(f"/cohorts/{CODE}/threads/{seeded['thread']}").status_code == 200


def test_a_withdrawn_participant_is_out(app, people, seeded):
    bob, bob_id = people.bob
    with app.app_context():
        cohorts.withdraw(cohorts.membership(cohorts.get_cohort(CODE), bob_id), None)
        db.session.commit()
    assert bob.get(f"/cohorts/{CODE}/forums").status_code == 404
    assert bob.get(f"/cohorts/{CODE}/threads/{seeded['thread']}").status_code == 404


def test_signed_out_visitors_are_sent_to_sign_in(app, people, seeded):
    response = app.test_client().get(f"/cohorts/{CODE}/threads/{seeded['thread']}")
    assert response.status_code == 302
    assert "/auth/login" in response.headers["Location"]


def test_unknown_cohort_forum_thread_and_pages_are_404(people, seeded):
    alice, _ = people.alice
    for url in ("/cohorts/nope/forums", f"/cohorts/{CODE}/forums/999",
                f"/cohorts/{CODE}/threads/999", f"/cohorts/{CODE}/posts/999/edit",
                f"/cohorts/{CODE}/forums/{seeded['forum']}?page=2",
                f"/cohorts/{CODE}/forums/{seeded['forum']}?page=0",
                f"/cohorts/{CODE}/threads/{seeded['thread']}?page=-1"):
        assert alice.get(url).status_code == 404, url
