"""Writing: Markdown made inert, bad input refused with nothing saved, the edit window."""

from datetime import timedelta
from html.parser import HTMLParser

import pytest
from sqlalchemy import select, update

from lms.clock import utcnow
from lms.extensions import db
from lms.forums.models import Post, Thread
from tests.forums.conftest import CODE, count, forum_ids, post_form, start_thread

ATTACKS = [
    "<script>alert('script')</script>",
    '<img src="x" onerror="alert(\'img\')">',
    "[klik](javascript:alert('link'))",
    "[klik2](JaVaScRiPt:alert('link2'))",
    '<svg onload="alert(\'svg\')"><circle r="5"/></svg>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">data</a>',
    '<p style="background:url(javascript:alert(1))">gaya</p>',
    '<iframe src="https://example.org"></iframe><object data="x"></object>',
    '<a title="<h1><img src=x onerror=alert(1)>">judul</a>',
    "# main\n\n## body\n\nIds of the page stay unique.",
]


class InertCheck(HTMLParser):
    """Collects anything in a page that could run script or style."""

    DANGEROUS_TAGS = {"script", "svg", "math", "iframe", "object", "embed", "style", "base",
                      "form-in-post"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self.ids: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "script" and attrs == [("src", dict(attrs).get("src", "")), ("defer", None)] \
                and dict(attrs)["src"].startswith("/static/js/"):
            return  # the site's own script files (base.html), not content
        if tag in self.DANGEROUS_TAGS:
            self.problems.append(f"<{tag}>")
        for name, value in attrs:
            value = (value or "").strip().lower()
            if name.startswith("on") or name == "style":
                self.problems.append(f"{tag} {name}")
            if name in {"href", "src", "action", "formaction", "data", "xlink:href"} and \
                    value.startswith(("javascript:", "data:", "vbscript:")):
                self.problems.append(f"{tag} {name}={value}")
            if name == "id":
                self.ids.append(value)

    handle_startendtag = handle_starttag


def assert_inert(html: str) -> None:
    check = InertCheck()
    check.feed(html)
    assert check.problems == []
    assert len(check.ids) == len(set(check.ids)), "duplicate ids"


def test_stored_xss_is_inert_in_thread_pages_and_search(app, people):
    alice, _ = people.alice
    coordinator, _ = people.coordinator
    forum = forum_ids(alice)["general"]
    thread_id = start_thread(alice, forum, "<script>alert('title')</script> serangan",
                             "serangan pertama " + ATTACKS[0])
    for attack in ATTACKS[1:]:
        response = post_form(alice, f"/cohorts/{CODE}/threads/{thread_id}",
                             {"body": "serangan " + attack})
        assert response.status_code == 303, response.text
    assert count(app, Post) == len(ATTACKS)
    for client in (alice, coordinator):  # the moderator's page has more controls
        page = client.get(f"/cohorts/{CODE}/threads/{thread_id}")
        assert page.status_code == 200
        assert "&lt;script&gt;alert(&#39;title&#39;)&lt;/script&gt; serangan" in page.text
        assert_inert(page.text)
        assert page.headers["Content-Security-Policy"].startswith("default-src 'self'")
        found = client.get(f"/cohorts/{CODE}/forums/search?q=serangan")
        assert found.status_code == 200
        assert f"{len(ATTACKS)} results" in found.text
        assert_inert(found.text)
        assert_inert(client.get(f"/cohorts/{CODE}/forums/{forum}").text)
    with app.app_context():
        stored = db.session.scalars(select(Post.body_html)).all()
    for html in stored:
        assert_inert(html)
        assert "<script" not in html
        assert "javascript:" not in html


def test_links_and_formatting_survive(app, people):
    alice, _ = people.alice
    forum = forum_ids(alice)["general"]
    thread_id = start_thread(alice, forum, "Tautan", "**tebal** dan [OPAC](https://opac.example.org)")
    page = alice.get(f"/cohorts/{CODE}/threads/{thread_id}").text
    assert "<strong>tebal</strong>" in page
    assert 'href="https://opac.example.org" rel="nofollow noopener ugc"' in page


@pytest.mark.parametrize(("body", "message"), [
    ("", "The message is empty"),
    ("   \n\t  ", "The message is empty"),
    ("x" * 1_048_576, "The message is too long: 1,048,576 characters"),
    ("y" * 20_001, "The message is too long: 20,001 characters"),
])
def test_empty_and_huge_posts_are_refused_and_nothing_changes(app, people, body, message):
    alice, _ = people.alice
    forum = forum_ids(alice)["general"]
    thread_id = start_thread(alice, forum)
    with app.app_context():
        before = db.session.get(Thread, thread_id).last_post_at
    reply = post_form(alice, f"/cohorts/{CODE}/threads/{thread_id}", {"body": body})
    assert reply.status_code == 400
    assert message in reply.text
    assert len(reply.data) < 200_000  # a megabyte is not sent back
    started = post_form(alice, f"/cohorts/{CODE}/forums/{forum}/new",
                        {"title": "Judul", "body": body})
    assert started.status_code == 400
    assert message in started.text
    assert count(app, Post) == 1
    assert count(app, Thread) == 1
    with app.app_context():
        assert db.session.get(Thread, thread_id).last_post_at == before


def test_twenty_thousand_characters_after_stripping_are_fine(app, people):
    alice, _ = people.alice
    thread_id = start_thread(alice, forum_ids(alice)["general"])
    response = post_form(alice, f"/cohorts/{CODE}/threads/{thread_id}",
                         {"body": "\n  " + "z" * 20_000 + "  \n"})
    assert response.status_code == 303
    assert count(app, Post) == 2


def test_a_thread_needs_a_title(app, people):
    alice, _ = people.alice
    forum = forum_ids(alice)["general"]
    response = post_form(alice, f"/cohorts/{CODE}/forums/{forum}/new",
                         {"title": "   ", "body": "isi"})
    assert response.status_code == 400
    assert "The thread needs a title." in response.text
    assert count(app, Thread) == 0


def test_double_submit_is_refused_as_a_duplicate(app, people):
    alice, alice_id = people.alice
    forum = forum_ids(alice)["general"]
    thread_id = start_thread(alice, forum)
    url = f"/cohorts/{CODE}/threads/{thread_id}"
    assert post_form(alice, url, {"body": "Terima kasih!"}).status_code == 303
    second = post_form(alice, url, {"body": "  Terima kasih!  "})
    assert second.status_code == 303
    assert "You have just posted this message" in alice.get(second.headers["Location"]).text
    assert count(app, Post) == 2
    bob, _ = people.bob  # someone else may say the same
    assert post_form(bob, url, {"body": "Terima kasih!"}).status_code == 303
    assert count(app, Post) == 3
    with app.app_context():  # ten seconds later, saying it again is a new post
        db.session.execute(update(Post).where(Post.author_id == alice_id).values(
            created_at=utcnow() - timedelta(seconds=11)))
        db.session.commit()
    assert post_form(alice, url, {"body": "Terima kasih!"}).status_code == 303
    assert count(app, Post) == 4
    # A second identical thread within ten seconds too.
    again = post_form(alice, f"/cohorts/{CODE}/forums/{forum}/new",
                      {"title": "Pertanyaan", "body": "Isi pertanyaan"})
    assert again.status_code == 303
    assert count(app, Thread) == 1 + 1  # the first was eleven seconds ago: a new one
    double = post_form(alice, f"/cohorts/{CODE}/forums/{forum}/new",
                       {"title": "Pertanyaan", "body": "Isi pertanyaan"})
    assert double.status_code == 400
    assert "You have just posted this message" in double.text
    assert count(app, Thread) == 2


def close(app, thread_id, **flags):
    with app.app_context():
        db.session.execute(update(Thread).where(Thread.id == thread_id).values(**flags))
        db.session.commit()


def test_a_locked_thread_refuses_replies_with_a_message(app, people):
    alice, _ = people.alice
    coordinator, _ = people.coordinator
    thread_id = start_thread(alice, forum_ids(alice)["general"])
    url = f"/cohorts/{CODE}/threads/{thread_id}"
    form_page = alice.get(url).text  # opened before the lock
    close(app, thread_id, locked=True)
    from tests.conftest import csrf_from

    response = alice.post(url, data={"csrf_token": csrf_from(form_page), "body": "Masih?"})
    assert response.status_code == 303
    page = alice.get(response.headers["Location"])
    assert "This thread is locked: replies are closed. Your reply was not saved." in page.text
    assert 'id="body"' not in page.text  # no reply form
    # Even an empty reply hears about the lock first; moderators are refused too.
    assert "This thread is locked" in alice.get(post_form(
        alice, url, {"body": ""}).headers["Location"]).text
    post_form(coordinator, url, {"body": "Ditutup."})
    assert count(app, Post) == 1


def test_a_hidden_thread_is_404_and_refuses_replies_with_a_message(app, people):
    alice, _ = people.alice
    bob, _ = people.bob
    coordinator, _ = people.coordinator
    forum = forum_ids(alice)["general"]
    thread_id = start_thread(alice, forum)
    url = f"/cohorts/{CODE}/threads/{thread_id}"
    from tests.conftest import csrf_from

    token = csrf_from(bob.get(url).text)  # bob had the page open
    close(app, thread_id, hidden=True)
    assert bob.get(url).status_code == 404
    response = bob.post(url, data={"csrf_token": token, "body": "Halo?"})
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/cohorts/{CODE}/forums/{forum}")
    assert "This thread has been hidden by a moderator" in bob.get(
        response.headers["Location"]).text
    moderator_view = coordinator.get(url)
    assert moderator_view.status_code == 200
    assert "Hidden from participants" in moderator_view.text
    post_form(coordinator, url, {"body": "Catatan moderator."})
    assert count(app, Post) == 1


def set_created(app, post_id, minutes_ago):
    with app.app_context():
        db.session.execute(update(Post).where(Post.id == post_id).values(
            created_at=utcnow() - timedelta(minutes=minutes_ago)))
        db.session.commit()


def first_post(app, thread_id) -> int:
    with app.app_context():
        return db.session.scalar(select(Post.id).where(Post.thread_id == thread_id))


def test_authors_edit_within_the_window_moderators_any_time(app, people):
    alice, _ = people.alice
    bob, _ = people.bob
    teacher, _ = people.teacher
    other_teacher, _ = people.other_teacher
    thread_id = start_thread(alice, forum_ids(alice)["satu"], "Judul lama", "Isi lama")
    post_id = first_post(app, thread_id)
    edit = f"/cohorts/{CODE}/posts/{post_id}/edit"
    saved = post_form(alice, edit, {"title": "Judul baru", "body": "Isi **baru**"})
    assert saved.status_code == 303
    with app.app_context():
        post = db.session.get(Post, post_id)
        assert post.body_html == "<p>Isi <strong>baru</strong></p>"
        assert post.edited_at is not None
        assert post.thread.title == "Judul baru"
    assert "edited" in alice.get(saved.headers["Location"]).text

    assert bob.get(edit).status_code == 403  # not the author
    assert other_teacher.get(edit).status_code == 403  # teaches another course

    set_created(app, post_id, 31)
    late = alice.get(edit)
    assert late.status_code == 303
    assert "can no longer be edited" in alice.get(late.headers["Location"]).text
    post_form(alice, edit, {"title": "X", "body": "Terlambat"}, form_url=f"/cohorts/{CODE}/forums")
    with app.app_context():
        assert db.session.get(Post, post_id).body_markdown == "Isi **baru**"
    assert f'href="/cohorts/{CODE}/posts/{post_id}/edit"' not in alice.get(
        f"/cohorts/{CODE}/threads/{thread_id}").text

    assert post_form(teacher, edit, {"title": "Judul baru", "body": "Dirapikan"}).status_code \
        == 303
    with app.app_context():
        assert db.session.get(Post, post_id).body_markdown == "Dirapikan"
        from lms.audit.models import AuditEntry

        assert db.session.scalar(select(AuditEntry.action).where(
            AuditEntry.target_type == "forum_post")) == "forum.post.edit"


def test_empty_edit_is_refused(app, people):
    alice, _ = people.alice
    thread_id = start_thread(alice, forum_ids(alice)["general"])
    post_id = first_post(app, thread_id)
    response = post_form(alice, f"/cohorts/{CODE}/posts/{post_id}/edit",
                         {"title": "Pertanyaan", "body": " "})
    assert response.status_code == 400
    assert "The message is empty" in response.text
    with app.app_context():
        assert db.session.get(Post, post_id).body_markdown == "Isi pertanyaan"


@pytest.mark.parametrize("app", [{"FORUM_EDIT_MINUTES": 5}], indirect=True)
def test_the_edit_window_comes_from_the_configuration(app, people):
    alice, _ = people.alice
    thread_id = start_thread(alice, forum_ids(alice)["general"])
    post_id = first_post(app, thread_id)
    set_created(app, post_id, 4)
    assert alice.get(f"/cohorts/{CODE}/posts/{post_id}/edit").status_code == 200
    set_created(app, post_id, 6)
    assert alice.get(f"/cohorts/{CODE}/posts/{post_id}/edit").status_code == 303
