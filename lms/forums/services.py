"""Forums of a cohort: who may read and moderate, threads, posts, unread markers, search.

Plain values in; rows flushed; the caller commits once. A user sees a cohort's forums
only as an accepted participant, as one of its instructors, or as a coordinator or admin.
Instructors moderate the forums of the courses they teach in that cohort; coordinators
and admins moderate every forum. Moderation is written to the audit log.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from html import escape
from html.parser import HTMLParser

from flask import current_app
from flask_babel import gettext as _
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import and_, exists, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import aliased, joinedload, selectinload

from lms import db_setup
from lms.audit import services as audit
from lms.auth.models import User
from lms.clock import utcnow
from lms.cohorts import services as cohorts
from lms.cohorts.access import CohortAccess
from lms.cohorts.models import Cohort, CohortInstructor, CohortMember, MemberStatus
from lms.extensions import db
from lms.forums.models import Forum, Post, Thread, ThreadRead
from lms.markup import render_markdown
from lms.notifications.services import notify

PER_PAGE = 20
MAX_BODY = 20_000
MAX_TITLE = 200
DUPLICATE_SECONDS = 10
DEFAULT_EDIT_MINUTES = 30
THREAD_ACTIONS = {"pin": ("pinned", True), "unpin": ("pinned", False),
                  "lock": ("locked", True), "unlock": ("locked", False),
                  "hide": ("hidden", True), "unhide": ("hidden", False)}


class ForumError(ValueError):
    """A refused action; `code` says which, `message` says it to the person."""

    def __init__(self, code: str, message: str = ""):
        super().__init__(f"{code}: {message}" if message else code)
        self.code = code
        self.message = message


# Access -----------------------------------------------------------------------------

def moderates(acc: CohortAccess, forum: Forum) -> bool:
    """Coordinators and admins every forum; instructors the forums of their courses."""
    return acc.manager or acc.teaches(forum.course_id)


def forum_name(forum: Forum) -> str:
    return forum.course.title if forum.course is not None else _("General forum")


# Forums -----------------------------------------------------------------------------

def cohort_forums(cohort: Cohort) -> list[Forum]:
    """The general forum, then one per course of the program in order; missing ones are made."""
    courses = {c.id: c for c in cohorts.program_courses(cohort.program)}
    wanted = [None, *courses]
    found = {f.course_id: f for f in db.session.scalars(
        select(Forum).where(Forum.cohort_id == cohort.id).options(selectinload(Forum.course)))}
    if any(course_id not in found for course_id in wanted):
        db_setup.writing()
    for course_id in wanted:
        if course_id in found:
            continue
        try:
            with db.session.begin_nested():
                forum = Forum(cohort_id=cohort.id, course_id=course_id,
                              course=courses.get(course_id))
                db.session.add(forum)
        except IntegrityError:  # another request made it first
            forum = db.session.scalar(select(Forum).where(
                Forum.cohort_id == cohort.id,
                Forum.course_id.is_(None) if course_id is None else Forum.course_id == course_id))
        found[course_id] = forum
    return [found[c] for c in wanted]


def get_forum(cohort: Cohort, forum_id: int) -> Forum | None:
    forum = db.session.get(Forum, forum_id, options=[joinedload(Forum.course)])
    return forum if forum is not None and forum.cohort_id == cohort.id else None


@dataclass
class ForumSummary:
    threads: int = 0
    last_post_at: datetime | None = None
    unread: int = 0


def forum_summaries(acc: CohortAccess, forums: list[Forum]) -> dict[int, ForumSummary]:
    """Visible threads, newest post and unread threads per forum, in two queries."""
    ids = [f.id for f in forums]
    out = {i: ForumSummary() for i in ids}
    for forum_id, count, last in db.session.execute(
            select(Thread.forum_id, func.count(Thread.id), func.max(Thread.last_post_at))
            .where(Thread.forum_id.in_(ids), Thread.hidden.is_(False))
            .group_by(Thread.forum_id)):
        out[forum_id].threads, out[forum_id].last_post_at = count, last
    for forum_id, count in db.session.execute(
            _unread_threads(acc.user_id, Thread.forum_id, func.count(Thread.id))
            .where(Thread.forum_id.in_(ids)).group_by(Thread.forum_id)):
        out[forum_id].unread = count
    return out


# Reading ----------------------------------------------------------------------------

def _unread_threads(user_id: int, *columns):
    """SELECT columns over the threads with a visible post by someone else not yet read."""
    newer = exists().where(
        Post.thread_id == Thread.id, Post.hidden.is_(False),
        or_(Post.author_id.is_(None), Post.author_id != user_id),
        or_(ThreadRead.last_read_at.is_(None), Post.created_at > ThreadRead.last_read_at))
    return (select(*columns).select_from(Thread)
            .outerjoin(ThreadRead, and_(ThreadRead.thread_id == Thread.id,
                                        ThreadRead.user_id == user_id))
            .where(Thread.hidden.is_(False), newer))


def unread_count(user_id: int) -> int:
    """Threads with posts the user has not read, in the user's cohorts, in one query.

    The user's cohorts are those they take part in as an accepted participant or teach
    in. Hidden threads and hidden posts never count, nor the user's own posts.
    """
    member_of = select(CohortMember.cohort_id).where(
        CohortMember.user_id == user_id, CohortMember.status == MemberStatus.ACCEPTED)
    teaches_in = select(CohortInstructor.cohort_id).where(CohortInstructor.user_id == user_id)
    query = (_unread_threads(user_id, func.count(Thread.id))
             .join(Forum, Forum.id == Thread.forum_id)
             .where(or_(Forum.cohort_id.in_(member_of), Forum.cohort_id.in_(teaches_in))))
    return db.session.scalar(query) or 0


def threads_page(acc: CohortAccess, forum: Forum, page: int) -> Pagination:
    """Threads of a forum, pinned first, then by newest post; hidden ones only to moderators."""
    query = select(Thread).where(Thread.forum_id == forum.id).options(
        selectinload(Thread.author))
    if not moderates(acc, forum):
        query = query.where(Thread.hidden.is_(False))
    query = query.order_by(Thread.pinned.desc(), Thread.last_post_at.desc(), Thread.id.desc())
    return db.paginate(query, page=page, per_page=PER_PAGE, error_out=False)


@dataclass
class ThreadSummary:
    replies: int = 0
    unread: bool = False


def thread_summaries(acc: CohortAccess, threads: list[Thread]) -> dict[int, ThreadSummary]:
    """Replies a reader can see and the unread marker of each thread, in two queries."""
    ids = [t.id for t in threads]
    out = {i: ThreadSummary() for i in ids}
    moderated = {t.id for t in threads if moderates(acc, t.forum)}
    for thread_id, hidden, count in db.session.execute(
            select(Post.thread_id, Post.hidden, func.count(Post.id))
            .where(Post.thread_id.in_(ids)).group_by(Post.thread_id, Post.hidden)):
        if not hidden or thread_id in moderated:
            out[thread_id].replies += count
    for summary in out.values():
        summary.replies = max(summary.replies - 1, 0)  # the first post is not a reply
    for (thread_id,) in db.session.execute(
            _unread_threads(acc.user_id, Thread.id).where(Thread.id.in_(ids))):
        out[thread_id].unread = True
    return out


def get_thread(acc: CohortAccess, thread_id: int, *, hidden_ok: bool = False) -> Thread | None:
    """The thread if it is in this cohort and the reader may see it (hidden: moderators).

    hidden_ok also returns a thread hidden from the reader: to tell someone replying why
    the reply is refused, never to show it.
    """
    thread = db.session.get(Thread, thread_id)
    if thread is None or thread.forum.cohort_id != acc.cohort.id:
        return None
    if thread.hidden and not (hidden_ok or moderates(acc, thread.forum)):
        return None
    return thread


def get_post(acc: CohortAccess, post_id: int) -> Post | None:
    """The post if the reader may see it and its thread."""
    post = db.session.get(Post, post_id)
    if post is None or get_thread(acc, post.thread_id) is None:
        return None
    if post.hidden and not moderates(acc, post.thread.forum):
        return None
    return post


def _visible_posts(acc: CohortAccess, thread: Thread):
    query = select(Post).where(Post.thread_id == thread.id)
    if not moderates(acc, thread.forum):
        query = query.where(Post.hidden.is_(False))
    return query


def posts_page(acc: CohortAccess, thread: Thread, page: int) -> Pagination:
    query = _visible_posts(acc, thread).options(selectinload(Post.author)).order_by(
        Post.created_at, Post.id)
    return db.paginate(query, page=page, per_page=PER_PAGE, error_out=False)


def page_of(acc: CohortAccess, post: Post) -> int:
    """The page of its thread on which this reader finds the post."""
    before = _visible_posts(acc, post.thread).where(or_(
        Post.created_at < post.created_at,
        and_(Post.created_at == post.created_at, Post.id <= post.id)))
    count = db.session.scalar(select(func.count()).select_from(before.subquery())) or 1
    return (count - 1) // PER_PAGE + 1


def mark_read(user_id: int, thread: Thread, upto: datetime) -> None:
    """Remember the user has read the thread up to `upto` (never moves back)."""
    mine = select(ThreadRead).where(ThreadRead.user_id == user_id,
                                    ThreadRead.thread_id == thread.id)
    read = db.session.scalar(mine)
    if read is not None and read.last_read_at >= upto:
        return
    db_setup.writing()  # a GET request: now that there is something to write
    read = db.session.scalar(mine.execution_options(populate_existing=True))
    if read is not None:
        if read.last_read_at < upto:
            read.last_read_at = upto
        db.session.flush()
        return
    try:
        with db.session.begin_nested():
            db.session.add(ThreadRead(user_id=user_id, thread_id=thread.id, last_read_at=upto))
    except IntegrityError:  # the same reader in another tab
        pass


# Writing ----------------------------------------------------------------------------

def check_body(text: str | None) -> str:
    """The text as stored (stripped); refuses an empty or too long one."""
    body = (text or "").strip()
    if not body:
        raise ForumError("empty", _("The message is empty. Write something before posting."))
    if len(body) > MAX_BODY:
        raise ForumError("long", _(
            "The message is too long: %(n)s characters, at most %(max)s are allowed. "
            "Nothing was saved.", n=f"{len(body):,}", max=f"{MAX_BODY:,}"))
    return body


def check_title(text: str | None) -> str:
    title = " ".join((text or "").split())
    if not title:
        raise ForumError("title", _("The thread needs a title."))
    if len(title) > MAX_TITLE:
        raise ForumError("title", _("The title is too long: at most %(max)d characters.",
                                    max=MAX_TITLE))
    return title


HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})


class _ThreadPageHtml(HTMLParser):
    """Writes sanitized HTML again, fit to share a page with other posts.

    Headings become bold paragraphs (the page's own headings keep their order) and ids
    go (they would collide with the page's and with other posts'). Every text and
    attribute value is escaped again on the way out; nothing is added but fixed markup.
    """

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in HEADINGS:
            self.out.append('<p class="post-heading"><strong>')
            return
        # Fragment links led to ids that are gone (footnotes, [TOC]): keep their text only.
        kept = [(name, value or "") for name, value in attrs
                if name != "id" and not (name == "href" and (value or "").startswith("#"))]
        if tag == "a" and any(name == "href" for name, _value in kept):
            kept.append(("rel", "nofollow noopener ugc"))
        self.out.append(f"<{tag}" + "".join(f' {name}="{escape(value, quote=True)}"'
                                            for name, value in kept) + ">")

    handle_startendtag = handle_starttag

    def handle_endtag(self, tag):
        self.out.append("</strong></p>" if tag in HEADINGS else f"</{tag}>")

    def handle_data(self, data):
        self.out.append(escape(data, quote=False))


class _PlainText(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []

    def handle_data(self, data):
        self.out.append(data)

    def handle_starttag(self, tag, attrs):
        self.out.append(" ")  # "a<br>b", "</p><p>": words stay apart

    def handle_endtag(self, tag):
        self.out.append(" ")


def plain_text(html: str) -> str:
    """The words of a post's HTML on one line, for search results and emails."""
    parser = _PlainText()
    parser.feed(html)
    parser.close()
    return " ".join("".join(parser.out).split())


def render_post(body: str) -> str:
    """Sanitized HTML of a post: render_markdown, then made fit for a page of many posts."""
    writer = _ThreadPageHtml()
    writer.feed(render_markdown(body).html)
    writer.close()
    return "".join(writer.out)


def _check_duplicate(query, now: datetime) -> None:
    since = now - timedelta(seconds=DUPLICATE_SECONDS)
    if db.session.scalar(select(query.where(Post.created_at >= since).exists())):
        raise ForumError("duplicate", _("You have just posted this message: it was not "
                                        "saved a second time."))


def start_thread(acc: CohortAccess, forum: Forum, title: str, body: str,
                 now: datetime | None = None) -> Thread:
    """A new thread with its first post; refuses an empty title or body, or a double submit."""
    now = now or utcnow()
    title, body = check_title(title), check_body(body)
    # Serialize new threads of one forum (PostgreSQL), so a double submit meets the first.
    db.session.execute(select(Forum.id).where(Forum.id == forum.id).with_for_update())
    _check_duplicate(select(Post).join(Thread, Thread.id == Post.thread_id).where(
        Thread.forum_id == forum.id, Thread.title == title, Post.author_id == acc.user_id,
        Post.body_markdown == body), now)
    thread = Thread(forum_id=forum.id, author_id=acc.user_id, title=title,
                    last_post_at=now, created_at=now)
    db.session.add(thread)
    db.session.flush()
    db.session.add(Post(thread_id=thread.id, author_id=acc.user_id, body_markdown=body,
                        body_html=render_post(body), created_at=now))
    db.session.flush()
    mark_read(acc.user_id, thread, now)
    return thread


def _check_open(locked: bool, hidden: bool) -> None:
    if hidden:
        raise ForumError("hidden", _("This thread has been hidden by a moderator: replies are "
                                     "closed. Your reply was not saved."))
    if locked:
        raise ForumError("locked", _("This thread is locked: replies are closed. Your reply "
                                     "was not saved."))


def check_open(thread: Thread) -> None:
    """Refuses a reply to a hidden or locked thread, whatever the reply says."""
    _check_open(thread.locked, thread.hidden)


def reply(acc: CohortAccess, thread: Thread, body: str, now: datetime | None = None) -> Post:
    """A reply; refuses a locked or hidden thread, an empty or too long body, a double submit."""
    now = now or utcnow()
    # Lock the thread's row (PostgreSQL; SQLite writes are serial) and read its state afresh.
    locked, hidden = db.session.execute(select(Thread.locked, Thread.hidden).where(
        Thread.id == thread.id).with_for_update()).one()
    _check_open(locked, hidden)
    body = check_body(body)
    _check_duplicate(select(Post).where(Post.thread_id == thread.id,
                                        Post.author_id == acc.user_id,
                                        Post.body_markdown == body), now)
    post = Post(thread_id=thread.id, author_id=acc.user_id, body_markdown=body,
                body_html=render_post(body), created_at=now)
    db.session.add(post)
    thread.last_post_at = max(thread.last_post_at, now)
    db.session.flush()
    mark_read(acc.user_id, thread, now)
    _tell_followers(thread, post)
    return post


def followers(thread: Thread) -> list[User]:
    """Who follows a thread: whoever started it or wrote in it (as Moodle subscribes
    those who post), still active and still allowed to read the cohort's forums."""
    from lms.cohorts.access import cohort_access

    ids = set(db.session.scalars(select(Post.author_id).where(
        Post.thread_id == thread.id, Post.author_id.is_not(None)).distinct()))
    if thread.author_id:
        ids.add(thread.author_id)
    if not ids:
        return []
    cohort = thread.forum.cohort
    return [u for u in db.session.scalars(select(User).where(
        User.id.in_(ids), User.is_active_account.is_(True)).order_by(User.id))
        if cohort_access(cohort, u).may_view]


def _tell_followers(thread: Thread, post: Post) -> None:
    """A notification of the reply to each follower but its author."""
    cohort = thread.forum.cohort
    author = post.author.full_name if post.author else ""
    for user in followers(thread):
        if user.id == post.author_id:
            continue
        notify(user, "forum_reply", f"reply:{post.id}", lambda: (
            _("%(name)s replied in “%(thread)s”", name=author, thread=thread.title),
            plain_text(post.body_html)[:500]),
            endpoint="forums.post", params={"code": cohort.code, "post_id": post.id},
            target=("forum_post", post.id), cohort_id=cohort.id)


def edit_minutes() -> int:
    return int(current_app.config.get("FORUM_EDIT_MINUTES", DEFAULT_EDIT_MINUTES))


def is_first_post(post: Post) -> bool:
    first = db.session.scalar(select(func.min(Post.id)).where(Post.thread_id == post.thread_id))
    return first == post.id


def may_edit(acc: CohortAccess, post: Post, now: datetime | None = None) -> bool:
    """Moderators any time; the author within FORUM_EDIT_MINUTES, in an open thread."""
    thread = post.thread
    if moderates(acc, thread.forum):
        return True
    if post.author_id != acc.user_id or post.hidden or thread.hidden or thread.locked:
        return False
    return (now or utcnow()) - post.created_at <= timedelta(minutes=edit_minutes())


def edit_post(acc: CohortAccess, post: Post, body: str, title: str | None = None,
              now: datetime | None = None) -> None:
    """Change a post (and the thread's title, given for a first post); re-rendered once."""
    now = now or utcnow()
    if not may_edit(acc, post, now):
        raise ForumError("window", _("This post can no longer be edited: authors may edit "
                                     "for %(n)d minutes after posting.", n=edit_minutes()))
    body = check_body(body)
    thread = post.thread
    new_title = check_title(title) if title is not None else thread.title
    if body == post.body_markdown and new_title == thread.title:
        return
    post.body_markdown, post.body_html, post.edited_at = body, render_post(body), now
    thread.title = new_title
    if post.author_id != acc.user_id:
        audit.record(acc.user_id, "forum.post.edit", "forum_post", post.id,
                     f"{acc.cohort.code}: {thread.title}")
    db.session.flush()


# Moderation -------------------------------------------------------------------------

def _require_moderator(acc: CohortAccess, forum: Forum) -> None:
    if not moderates(acc, forum):
        raise ForumError("forbidden", _("Only the course's instructors and the coordinators "
                                        "may moderate this forum."))


def moderate_thread(acc: CohortAccess, thread: Thread, action: str) -> None:
    """Pin, unpin, lock, unlock, hide or unhide a thread (moderators of its forum only)."""
    _require_moderator(acc, thread.forum)
    if action not in THREAD_ACTIONS:
        raise ForumError("action", action)
    field, value = THREAD_ACTIONS[action]
    if getattr(thread, field) == value:
        return
    setattr(thread, field, value)
    audit.record(acc.user_id, f"forum.thread.{action}", "forum_thread", thread.id,
                 f"{acc.cohort.code}: {thread.title}")
    db.session.flush()


def move_thread(acc: CohortAccess, thread: Thread, target: Forum) -> None:
    """Move a thread to another forum of the same cohort; the mover moderates both."""
    _require_moderator(acc, thread.forum)
    if target.cohort_id != acc.cohort.id:
        raise ForumError("target", _("Threads only move between forums of the same cohort."))
    _require_moderator(acc, target)
    if target.id == thread.forum_id:
        return
    audit.record(acc.user_id, "forum.thread.move", "forum_thread", thread.id,
                 f"{acc.cohort.code}: {thread.title}",
                 {"forum_id": [thread.forum_id, target.id]})
    thread.forum = target
    db.session.flush()


def moderate_post(acc: CohortAccess, post: Post, hide: bool) -> None:
    _require_moderator(acc, post.thread.forum)
    if post.hidden == hide:
        return
    post.hidden = hide
    audit.record(acc.user_id, "forum.post.hide" if hide else "forum.post.unhide",
                 "forum_post", post.id, f"{acc.cohort.code}: {post.thread.title}")
    db.session.flush()


def move_targets(acc: CohortAccess, thread: Thread) -> list[Forum]:
    return [f for f in cohort_forums(acc.cohort) if f.id != thread.forum_id and moderates(acc, f)]


# Search -----------------------------------------------------------------------------

MIN_QUERY = 2
MAX_QUERY = 100


def search(acc: CohortAccess, text: str, page: int) -> Pagination:
    """Posts of this cohort whose text contains `text`, or that open a thread whose title does.

    Case-insensitive LIKE with % and _ escaped, newest first. Hidden posts and threads
    appear only in the forums the reader moderates.
    """
    first = aliased(Post)
    opens_thread = Post.id == select(func.min(first.id)).where(
        first.thread_id == Post.thread_id).scalar_subquery()
    query = (select(Post).join(Thread, Thread.id == Post.thread_id)
             .join(Forum, Forum.id == Thread.forum_id)
             .where(Forum.cohort_id == acc.cohort.id,
                    or_(Post.body_markdown.icontains(text, autoescape=True),
                        and_(Thread.title.icontains(text, autoescape=True), opens_thread))))
    if not acc.manager:
        visible = and_(Post.hidden.is_(False), Thread.hidden.is_(False))
        query = query.where(or_(visible, Forum.course_id.in_(sorted(acc.taught)))
                            if acc.taught else visible)
    query = query.options(selectinload(Post.author),
                          selectinload(Post.thread).selectinload(Thread.forum)
                          .selectinload(Forum.course))
    query = query.order_by(Post.created_at.desc(), Post.id.desc())
    return db.paginate(query, page=page, per_page=PER_PAGE, error_out=False)
