"""Pin, lock, hide and move: instructors in their courses' forums, coordinators everywhere."""

import pytest
from sqlalchemy import select

from lms.audit.models import AuditEntry
from lms.extensions import db
from lms.forums.models import Post, Thread
from tests.forums.conftest import CODE, forum_ids, post_form, seed_posts, start_thread


def flags(app, thread_id):
    with app.app_context():
        thread = db.session.get(Thread, thread_id)
        return {"pinned": thread.pinned, "locked": thread.locked, "hidden": thread.hidden,
                "forum": thread.forum_id}


def act(client, thread_id, action):
    return post_form(client, f"/cohorts/{CODE}/threads/{thread_id}/{action}", {},
                     form_url=f"/cohorts/{CODE}/forums")


@pytest.fixture
def threads(people):
    alice, _ = people.alice
    ids = forum_ids(alice)
    return ids, {name: start_thread(alice, ids[name], f"Di forum {name}")
                 for name in ("general", "satu", "dua")}


def test_the_courses_instructor_locks_and_others_cannot(app, people, threads):
    _ids, made = threads
    teacher, _ = people.teacher
    other_teacher, _ = people.other_teacher
    alice, _ = people.alice
    satu = made["satu"]
    assert act(other_teacher, satu, "lock").status_code == 403
    assert act(alice, satu, "lock").status_code == 403
    assert act(alice, satu, "pin").status_code == 403
    assert act(alice, satu, "hide").status_code == 403
    assert flags(app, satu)["locked"] is False
    assert act(teacher, made["general"], "lock").status_code == 403  # general: coordinators
    assert act(teacher, made["dua"], "lock").status_code == 403
    assert flags(app, made["dua"])["locked"] is False

    response = act(teacher, satu, "lock")
    assert response.status_code == 303
    assert flags(app, satu)["locked"] is True
    page = teacher.get(response.headers["Location"]).text
    assert "Thread locked: no more replies." in page
    assert "Unlock" in page
    assert "Lock (no more replies)" not in alice.get(f"/cohorts/{CODE}/threads/{satu}").text
    with app.app_context():
        assert db.session.scalar(select(AuditEntry.action).where(
            AuditEntry.target_id == satu, AuditEntry.target_type == "forum_thread")) \
            == "forum.thread.lock"


def test_coordinators_moderate_everywhere(app, people, threads):
    _ids, made = threads
    coordinator, _ = people.coordinator
    for name, thread_id in made.items():
        for action in ("pin", "lock", "hide"):
            assert act(coordinator, thread_id, action).status_code == 303, (name, action)
        assert flags(app, thread_id) | {"forum": 0} == {
            "pinned": True, "locked": True, "hidden": True, "forum": 0}
        for action in ("unpin", "unlock", "unhide"):
            assert act(coordinator, thread_id, action).status_code == 303
        assert flags(app, thread_id) | {"forum": 0} == {
            "pinned": False, "locked": False, "hidden": False, "forum": 0}


def test_pinned_threads_come_first(app, people, threads):
    ids, made = threads
    alice, _ = people.alice
    coordinator, _ = people.coordinator
    newer = start_thread(alice, ids["general"], "Yang terbaru")
    act(coordinator, made["general"], "pin")
    page = alice.get(f"/cohorts/{CODE}/forums/{ids['general']}").text
    assert page.index("Di forum general") < page.index("Yang terbaru")
    assert "Pinned" in page
    act(coordinator, made["general"], "unpin")
    page = alice.get(f"/cohorts/{CODE}/forums/{ids['general']}").text
    assert page.index("Yang terbaru") < page.index("Di forum general")
    assert newer


def test_hidden_threads_and_posts_are_only_for_moderators(app, people, threads):
    ids, made = threads
    alice, alice_id = people.alice
    bob, _ = people.bob
    teacher, _ = people.teacher
    satu = made["satu"]
    act(teacher, satu, "hide")
    assert bob.get(f"/cohorts/{CODE}/threads/{satu}").status_code == 404
    assert "Di forum satu" not in bob.get(f"/cohorts/{CODE}/forums/{ids['satu']}").text
    listing = teacher.get(f"/cohorts/{CODE}/forums/{ids['satu']}").text
    assert "Di forum satu" in listing
    assert "Hidden from participants" in listing
    act(teacher, satu, "unhide")

    reply_id = seed_posts(app, satu, alice_id, 1)[0]
    hide = post_form(teacher, f"/cohorts/{CODE}/posts/{reply_id}/hide", {},
                     form_url=f"/cohorts/{CODE}/forums")
    assert hide.status_code == 303
    assert "Balasan 0" not in bob.get(f"/cohorts/{CODE}/threads/{satu}").text
    assert bob.get(f"/cohorts/{CODE}/posts/{reply_id}").status_code == 404
    assert alice.get(f"/cohorts/{CODE}/posts/{reply_id}/edit").status_code == 404
    moderator_page = teacher.get(f"/cohorts/{CODE}/threads/{satu}").text
    assert "Balasan 0" in moderator_page
    assert "Hidden from participants" in moderator_page
    assert "0 replies" in bob.get(f"/cohorts/{CODE}/forums/{ids['satu']}").text
    assert post_form(bob, f"/cohorts/{CODE}/posts/{reply_id}/unhide", {},
                     form_url=f"/cohorts/{CODE}/forums").status_code == 404
    other_teacher, _ = people.other_teacher
    assert post_form(other_teacher, f"/cohorts/{CODE}/posts/{reply_id}/unhide", {},
                     form_url=f"/cohorts/{CODE}/forums").status_code == 404
    with app.app_context():
        assert db.session.get(Post, reply_id).hidden is True


def test_moving_a_thread(app, people, threads):
    ids, made = threads
    teacher, _ = people.teacher
    coordinator, _ = people.coordinator
    alice, _ = people.alice
    satu = made["satu"]
    url = f"/cohorts/{CODE}/threads/{satu}/move"
    # The instructor of "satu" moderates no other forum: nowhere to move it to.
    assert 'id="forum"' not in teacher.get(f"/cohorts/{CODE}/threads/{satu}").text
    assert post_form(teacher, url, {"forum": str(ids["general"])},
                     form_url=f"/cohorts/{CODE}/forums").status_code == 303
    assert post_form(alice, url, {"forum": str(ids["general"])},
                     form_url=f"/cohorts/{CODE}/forums").status_code == 403
    assert flags(app, satu)["forum"] == ids["satu"]
    moved = post_form(coordinator, url, {"forum": str(ids["dua"])},
                      form_url=f"/cohorts/{CODE}/forums")
    assert moved.status_code == 303
    assert flags(app, satu)["forum"] == ids["dua"]
    assert "Di forum satu" in alice.get(f"/cohorts/{CODE}/forums/{ids['dua']}").text
    # Now in "dua", the instructor of "satu" no longer moderates it.
    assert act(teacher, satu, "lock").status_code == 403


def test_a_thread_does_not_move_to_another_cohort(app, people, threads):
    from tests.forums.conftest import OTHER

    _ids, made = threads
    coordinator, _ = people.coordinator
    elsewhere = forum_ids(coordinator, OTHER)["general"]
    response = post_form(coordinator, f"/cohorts/{CODE}/threads/{made['satu']}/move",
                         {"forum": str(elsewhere)}, form_url=f"/cohorts/{CODE}/forums")
    assert response.status_code == 303
    assert "Choose a forum" in coordinator.get(response.headers["Location"]).text
    assert flags(app, made["satu"])["forum"] != elsewhere
