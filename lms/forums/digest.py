"""The email digest: each subscriber gets one email with the new posts of their cohorts.

Subscribing is per cohort; the first digest covers the posts written after it. Only the
cohorts the subscriber still belongs to count (accepted participant, instructor,
coordinator or admin), and only posts everyone there can see: no hidden thread or post,
nor the subscriber's own posts. Mail leaves after the caller commits.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from flask_babel import force_locale, ngettext
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from lms.auth.models import Role, User
from lms.clock import utcnow
from lms.cohorts.access import CohortAccess
from lms.cohorts.models import Cohort, CohortInstructor, CohortMember, MemberStatus
from lms.extensions import db
from lms.forums.models import DigestSubscription, Forum, Post, Thread
from lms.forums.services import forum_name, plain_text
from lms.i18n import long_datetime
from lms.jobs.queue import job
from lms.mail import language_of, queue_mail
from lms.urls import external_url

MAX_ENTRIES = 50  # per email; the rest is counted, and waits in the forums
EXCERPT = 300


def subscription(user_id: int, cohort: Cohort) -> DigestSubscription | None:
    return db.session.scalar(select(DigestSubscription).where(
        DigestSubscription.user_id == user_id, DigestSubscription.cohort_id == cohort.id))


def set_digest(acc: CohortAccess, on: bool, now: datetime | None = None) -> bool:
    """Turn the digest of this cohort's forums on or off; the first covers posts from now."""
    current = subscription(acc.user_id, acc.cohort)
    if on and current is None:
        try:
            with db.session.begin_nested():
                db.session.add(DigestSubscription(user_id=acc.user_id, cohort_id=acc.cohort.id,
                                                  last_sent_at=now or utcnow()))
        except IntegrityError:  # a double click
            pass
    elif not on and current is not None:
        db.session.delete(current)
        db.session.flush()
    return on


@dataclass
class Entry:
    cohort: Cohort
    forum: Forum
    thread: str
    author: User | None
    created_at: datetime
    excerpt: str
    url: str


def _entries(rows) -> dict[int, list[tuple[datetime, int | None, Entry]]]:
    out: dict[int, list] = defaultdict(list)
    for post, thread, forum, cohort in rows:
        text = plain_text(post.body_html)
        excerpt = text if len(text) <= EXCERPT else text[:EXCERPT].rsplit(" ", 1)[0] + " …"
        out[cohort.id].append((post.created_at, post.author_id, Entry(
            cohort=cohort, forum=forum, thread=thread.title, author=post.author,
            created_at=post.created_at, excerpt=excerpt,
            url=external_url("forums.post", code=cohort.code, post_id=post.id))))
    return out


def send_digests(now: datetime | None = None) -> int:
    """Queue one email per subscriber with the new posts of their cohorts; the count mailed.

    Every subscription still in use moves on to `now`, mailed or not (nothing new).
    """
    now = now or utcnow()
    subs = list(db.session.scalars(select(DigestSubscription).options(
        selectinload(DigestSubscription.user), selectinload(DigestSubscription.cohort))
        .order_by(DigestSubscription.user_id, DigestSubscription.cohort_id)))
    if not subs:
        return 0
    cohort_ids = sorted({s.cohort_id for s in subs})
    user_ids = sorted({s.user_id for s in subs})
    belongs = {tuple(row) for row in db.session.execute(select(
        CohortMember.cohort_id, CohortMember.user_id).where(
        CohortMember.cohort_id.in_(cohort_ids), CohortMember.user_id.in_(user_ids),
        CohortMember.status == MemberStatus.ACCEPTED))}
    belongs |= {tuple(row) for row in db.session.execute(select(
        CohortInstructor.cohort_id, CohortInstructor.user_id).where(
        CohortInstructor.cohort_id.in_(cohort_ids),
        CohortInstructor.user_id.in_(user_ids)))}
    live = [s for s in subs if s.user.is_active and (
        (s.cohort_id, s.user_id) in belongs or s.user.has_role(Role.COORDINATOR, Role.ADMIN))]
    if not live:
        return 0
    rows = db.session.execute(
        select(Post, Thread, Forum, Cohort).join(Thread, Thread.id == Post.thread_id)
        .join(Forum, Forum.id == Thread.forum_id).join(Cohort, Cohort.id == Forum.cohort_id)
        .where(Forum.cohort_id.in_(sorted({s.cohort_id for s in live})),
               Post.hidden.is_(False), Thread.hidden.is_(False),
               Post.created_at > min(s.last_sent_at for s in live), Post.created_at <= now)
        .options(selectinload(Post.author), selectinload(Forum.course))
        .order_by(Post.created_at, Post.id))
    by_cohort = _entries(rows)

    by_user: dict[int, list[DigestSubscription]] = defaultdict(list)
    for sub in live:
        by_user[sub.user_id].append(sub)
    mailed = 0
    for user_subs in by_user.values():
        user = user_subs[0].user
        entries = [entry for sub in user_subs for created, author_id, entry
                   in by_cohort.get(sub.cohort_id, [])
                   if created > sub.last_sent_at and author_id != user.id]
        for sub in user_subs:
            sub.last_sent_at = now
        if entries:
            _mail(user, entries, [s.cohort for s in user_subs])
            mailed += 1
    db.session.flush()
    return mailed


def _mail(user: User, entries: list[Entry], cohorts: list[Cohort]) -> None:
    """One plain-text email in the recipient's language, grouped by cohort."""
    with force_locale(language_of(user)):
        lines = [_("Hello %(name)s,", name=user.full_name), "",
                 _("These posts are new in the forums of your cohorts:")]
        cohort_id = None
        for entry in entries[:MAX_ENTRIES]:
            if entry.cohort.id != cohort_id:
                cohort_id = entry.cohort.id
                lines += ["", f"== {entry.cohort.name} =="]
            author = entry.author.full_name if entry.author else _("(deleted account)")
            lines += ["", f"{forum_name(entry.forum)} › {entry.thread}",
                      f"{author}, {long_datetime(entry.created_at)}",
                      entry.excerpt, entry.url]
        if len(entries) > MAX_ENTRIES:
            lines += ["", ngettext("… and %(num)d more post: read it in the forums.",
                                   "… and %(num)d more posts: read them in the forums.",
                                   len(entries) - MAX_ENTRIES)]
        lines += ["", _("To stop these emails, open the forums and choose \"Stop the email "
                        "digest\":")]
        lines += [f"{c.name}: {external_url('forums.index', code=c.code)}" for c in cohorts]
        subject = _("New forum posts: %(n)d", n=len(entries))
    queue_mail(user.email, subject, "\n".join(lines) + "\n")


@job("forums.digest")
def digest_job(row, **_params) -> dict:
    """The scheduled digest (lms/jobs/schedule.py): once a day on all hosts together."""
    return {"mailed": send_digests()}
