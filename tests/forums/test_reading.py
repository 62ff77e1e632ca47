"""Pagination, unread markers, the dashboard's unread count and search within a cohort."""

import re
from datetime import timedelta

from sqlalchemy import select

from lms.clock import utcnow
from lms.extensions import db
from lms.forums import services
from lms.forums.models import Forum, Post, Thread
from tests.conftest import count_queries
from tests.forums.conftest import CODE, OTHER, forum_ids, post_form, seed_posts, start_thread


def make_threads(app, forum_id, author_id, n):
    """n threads of one post each, the oldest first."""
    start = utcnow() - timedelta(days=2)
    with app.app_context():
        for i in range(n):
            at = start + timedelta(minutes=i)
            thread = Thread(forum_id=forum_id, author_id=author_id, title=f"Topik {i:02d}",
                            last_post_at=at, created_at=at)
            db.session.add(thread)
            db.session.flush()
            db.session.add(Post(thread_id=thread.id, author_id=author_id, created_at=at,
                                body_markdown=f"Isi {i}", body_html=f"<p>Isi {i}</p>"))
        db.session.commit()


def test_threads_are_paginated_twenty_per_page(app, people):
    alice, alice_id = people.alice
    forum = forum_ids(alice)["general"]
    make_threads(app, forum, alice_id, 45)
    url = f"/cohorts/{CODE}/forums/{forum}"
    first = alice.get(url).text
    assert len(re.findall(r'class="thread-item', first)) == 20
    assert "Topik 44" in first
    assert "Topik 24" not in first
    assert '<nav class="pagination" aria-label="Pages of threads">' in first
    assert f'href="{url}?page=1" aria-current="page"' in first
    assert f'href="{url}?page=2" rel="next"' in first
    third = alice.get(f"{url}?page=3").text
    assert len(re.findall(r'class="thread-item', third)) == 5
    assert "Topik 00" in third
    assert 'rel="next"' not in third
    assert alice.get(f"{url}?page=4").status_code == 404
    assert alice.get(f"{url}?page=0").status_code == 404


def test_posts_are_paginated_and_a_reply_lands_on_the_last_page(app, people):
    alice, _ = people.alice
    bob, bob_id = people.bob
    thread_id = start_thread(alice, forum_ids(alice)["general"])
    seed_posts(app, thread_id, bob_id, 44, start=utcnow() - timedelta(hours=2))
    url = f"/cohorts/{CODE}/threads/{thread_id}"
    page = alice.get(url).text
    assert page.count('<article class="post') == 20
    assert "Isi pertanyaan" in page
    assert "Balasan 19" not in page
    assert "page 1 of 3" in page
    assert alice.get(f"{url}?page=3").text.count('<article class="post') == 5
    response = post_form(alice, url, {"body": "Balasan terakhir"})
    assert response.status_code == 303
    with app.app_context():
        newest = db.session.scalar(select(Post.id).order_by(Post.id.desc()))
    assert response.headers["Location"].endswith(f"{url}?page=3#post-{newest}")
    assert alice.get(f"/cohorts/{CODE}/posts/{newest}").headers["Location"].endswith(
        f"?page=3#post-{newest}")


def test_unread_markers_go_away_after_reading(app, people):
    alice, alice_id = people.alice
    bob, bob_id = people.bob
    forum = forum_ids(alice)["general"]
    thread_id = start_thread(bob, forum, "Dari Bob")
    listing = f"/cohorts/{CODE}/forums/{forum}"
    assert '<span class="badge badge-new">New</span>' in alice.get(listing).text
    assert "1 with new posts" in alice.get(f"/cohorts/{CODE}/forums").text
    assert "badge-new" not in bob.get(listing).text  # one's own post is not news
    with app.app_context():
        assert services.unread_count(alice_id) == 1
        assert services.unread_count(bob_id) == 0

    alice.get(f"/cohorts/{CODE}/threads/{thread_id}")
    assert "badge-new" not in alice.get(listing).text
    with app.app_context():
        assert services.unread_count(alice_id) == 0

    make_threads(app, forum_ids(alice)["dua"], bob_id, 2)
    assert "2 with new posts" in alice.get(f"/cohorts/{CODE}/forums").text
    with app.app_context():
        assert services.unread_count(alice_id) == 2
    post_form(bob, f"/cohorts/{CODE}/threads/{thread_id}", {"body": "Tambahan"})
    assert "badge-new" in alice.get(listing).text
    post_form(alice, f"/cohorts/{CODE}/threads/{thread_id}", {"body": "Balasan Alice"})
    assert "badge-new" not in alice.get(listing).text  # replying means having read it
    assert "badge-new" in bob.get(listing).text


def test_reading_page_one_leaves_later_pages_unread(app, people):
    alice, alice_id = people.alice
    bob, bob_id = people.bob
    thread_id = start_thread(bob, forum_ids(alice)["general"])
    seed_posts(app, thread_id, bob_id, 30, start=utcnow() - timedelta(hours=1))
    alice.get(f"/cohorts/{CODE}/threads/{thread_id}")
    with app.app_context():
        assert services.unread_count(alice_id) == 1
    alice.get(f"/cohorts/{CODE}/threads/{thread_id}?page=2")
    with app.app_context():
        assert services.unread_count(alice_id) == 0


def test_unread_count_ignores_hidden_and_other_cohorts_in_one_query(app, people):
    alice, alice_id = people.alice
    bob, bob_id = people.bob
    stranger, stranger_id = people.stranger
    teacher, teacher_id = people.teacher
    ids = forum_ids(alice)
    other = forum_ids(stranger, OTHER)
    make_threads(app, ids["general"], bob_id, 3)
    make_threads(app, other["general"], stranger_id, 4)
    with app.app_context():
        db.session.get(Thread, 1).hidden = True
        hidden_post_thread = db.session.get(Thread, 2)
        for post in db.session.scalars(select(Post).where(Post.thread_id == 2)):
            post.hidden = True
        assert hidden_post_thread
        db.session.commit()
    with count_queries(app) as statements, app.app_context():
        assert services.unread_count(alice_id) == 1
        assert services.unread_count(teacher_id) == 1  # teaches in the cohort
        assert services.unread_count(stranger_id) == 0  # wrote them all
        assert services.unread_count(people.outsider[1]) == 0
    assert len(statements) == 4
    make_threads(app, ids["satu"], bob_id, 30)
    with count_queries(app) as statements, app.app_context():
        assert services.unread_count(alice_id) == 31
    assert len(statements) == 1


def test_search_stays_in_the_cohort_and_escapes_wildcards(app, people):
    alice, _ = people.alice
    stranger, _ = people.stranger
    coordinator, _ = people.coordinator
    ids = forum_ids(alice)
    start_thread(alice, ids["general"], "Layanan referensi", "Pakai OPAC_baru ya")
    secret = start_thread(stranger, forum_ids(stranger, OTHER)["general"], "Rahasia",
                          "Layanan referensi angkatan lain", code=OTHER)
    hidden = start_thread(alice, ids["satu"], "Tersembunyi", "Layanan yang disembunyikan")
    with app.app_context():
        db.session.get(Thread, hidden).hidden = True
        db.session.commit()

    url = f"/cohorts/{CODE}/forums/search"
    found = alice.get(url, query_string={"q": "LAYANAN"}).text
    assert "1 result for" in found
    assert "Layanan referensi" in found
    assert "angkatan lain" not in found
    assert "Tersembunyi" not in found
    assert "Pakai <mark>OPAC</mark>_baru ya" in alice.get(url, query_string={"q": "opac"}).text
    moderated = coordinator.get(url, query_string={"q": "layanan"}).text
    assert "2 results for" in moderated
    assert "Hidden from participants" in moderated
    assert "Rahasia" not in moderated
    teacher, _ = people.teacher  # the hidden thread is in the forum of the course they teach
    assert "2 results for" in teacher.get(url, query_string={"q": "layanan"}).text
    other_teacher, _ = people.other_teacher
    assert "1 result for" in other_teacher.get(url, query_string={"q": "layanan"}).text
    assert "0 results for" in alice.get(url, query_string={"q": "%%"}).text
    assert "0 results for" in alice.get(url, query_string={"q": "P_kai"}).text
    assert "1 result for" in alice.get(url, query_string={"q": "OPAC_b"}).text
    assert "1 result for" in alice.get(url, query_string={"q": "referensi"}).text  # title
    assert "Type at least 2 characters" in alice.get(url, query_string={"q": "a"}).text
    assert "&lt;b&gt;" in alice.get(url, query_string={"q": "<b>x"}).text
    assert "Rahasia" in stranger.get(f"/cohorts/{OTHER}/forums/search",
                                     query_string={"q": "layanan"}).text
    assert secret


def test_forums_are_made_once_general_first(app, people):
    alice, _ = people.alice
    bob, _ = people.bob
    first = forum_ids(alice)
    assert forum_ids(bob) == first
    with app.app_context():
        forums = db.session.scalars(select(Forum).order_by(Forum.id)).all()
        assert [f.course_id is None for f in forums] == [True, False, False]
    page = alice.get(f"/cohorts/{CODE}/forums").text
    assert page.index("General forum") < page.index("Kursus Satu") < page.index("Kursus Dua")
