"""notify(): tell one person about one thing, in the app and by mail, as they chose.

Imports no feature: features call it with plain values (a user, a kind, a stable key, a
compose function run in the recipient's language, where it leads). Rows are flushed; the
caller commits once, so a rolled-back change tells nobody (the mail is a job in the same
transaction, lms/mail.py).

Once: (user, kind, key) is unique in the database, and the row is inserted in a savepoint,
so two hosts or threads asking at the same moment make one row and one mail; the mail's
own job key is the notification's id.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask import g, has_app_context
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from lms import db_setup
from lms.auth.models import User
from lms.clock import utcnow
from lms.extensions import db
from lms.mail import language_of, send_to
from lms.notifications.models import (
    MAIL_DIGEST,
    MAIL_NONE,
    MAIL_SENT,
    Notification,
    NotificationSettings,
)
from lms.urls import external_url

WEB, MAIL = "web", "mail"
CHANNELS = (WEB, MAIL)


@dataclass(frozen=True)
class Kind:
    name: str
    label: object  # lazy string
    always_mailed: bool = False  # decisions and certificates: mailed whatever the choice


KINDS: dict[str, Kind] = {k.name: k for k in (
    Kind("decision", _l("Decisions on my applications"), always_mailed=True),
    Kind("enrollment", _l("Enrollment in a cohort"), always_mailed=True),
    Kind("certificate", _l("Certificates issued or revoked"), always_mailed=True),
    Kind("announcement", _l("Announcements of my cohorts")),
    Kind("message", _l("Messages from coordinators and instructors")),
    Kind("forum_reply", _l("Replies in forum threads I take part in")),
    Kind("assignment_graded", _l("Assignments graded or returned for revision")),
    Kind("essay_graded", _l("Essays graded")),
    Kind("live_soon", _l("Live session starting in 30 minutes")),
    Kind("due_soon", _l("Quiz or assignment due within 24 hours")),
)}


# Choices ------------------------------------------------------------------------------

@dataclass
class Choices:
    off: frozenset[str]
    daily_digest: bool
    announcement_mails: bool

    def wants(self, kind: str, channel: str) -> bool:
        if channel == MAIL and KINDS[kind].always_mailed:
            return True
        if kind == "announcement" and channel == MAIL:
            return self.announcement_mails
        return f"{kind}:{channel}" not in self.off


def choices_of(user: User) -> Choices:
    row = db.session.scalar(select(NotificationSettings).where(
        NotificationSettings.user_id == user.id))
    return Choices(off=frozenset(row.off or []) if row else frozenset(),
                   daily_digest=bool(row and row.daily_digest),
                   announcement_mails=bool(user.announcement_mails))


def save_choices(user: User, wanted: set[str], daily_digest: bool) -> None:
    """wanted: the "kind:channel" boxes ticked; every other pair is off (mail of the
    always-mailed kinds cannot be turned off and is ignored)."""
    off = sorted(f"{k}:{c}" for k in KINDS for c in CHANNELS
                 if f"{k}:{c}" not in wanted and not (c == MAIL and KINDS[k].always_mailed)
                 and not (k == "announcement" and c == MAIL))
    user.announcement_mails = "announcement:mail" in wanted
    row = db.session.scalar(select(NotificationSettings).where(
        NotificationSettings.user_id == user.id))
    if row is None:
        row = NotificationSettings(user_id=user.id)
        db.session.add(row)
    row.off, row.daily_digest = off, bool(daily_digest)
    db.session.flush()


# Telling ------------------------------------------------------------------------------

def notify(user: User, kind: str, key: str, compose: Callable[[], tuple[str, str]], *,
           endpoint: str | None = None, params: dict | None = None,
           anchor: str | None = None, target: tuple[str, int] | None = None,
           cohort_id: int | None = None,
           mail: Callable[[], tuple[str, str]] | None = None,
           choices: Choices | None = None) -> Notification | None:
    """Tell user about one thing, once: the new row, or None when this (kind, key) was
    told before or the person is inactive. compose() gives (title, text) and mail() (the
    mail's subject and body, when it is not just the title, the text and the link) run in
    the recipient's language. The mail follows the person's choices: sent now, kept for
    the daily digest, or not at all; decisions and certificates are always sent."""
    if kind not in KINDS:
        raise ValueError(f"unknown notification kind {kind!r}")
    if not user.is_active_account:
        return None
    db_setup.writing()
    _forget_unread_count()
    choices = choices or choices_of(user)
    with force_locale(language_of(user)):
        title, body = compose()
    row = Notification(user_id=user.id, kind=kind, key=key[:200], title=" ".join(
        str(title).split())[:300], body=str(body), endpoint=endpoint, params=params or {},
        anchor=anchor, target_type=target[0] if target else None,
        target_id=target[1] if target else None, cohort_id=cohort_id,
        shown=choices.wants(kind, WEB), mail_state=MAIL_NONE, created_at=utcnow())
    try:
        with db.session.begin_nested():
            db.session.add(row)
    except IntegrityError:  # told already (another host, an earlier run)
        return None
    if choices.wants(kind, MAIL):
        if choices.daily_digest and not KINDS[kind].always_mailed:
            row.mail_state = MAIL_DIGEST
        else:
            row.mail_state = MAIL_SENT
            link = _link(row)
            send_to(user, mail or (lambda: (row.title, _letter(user, row.body, link))),
                    key=f"notification:{row.id}")
    db.session.flush()
    return row


def _link(row: Notification) -> str | None:
    if not row.endpoint:
        return None
    try:
        return external_url(row.endpoint, row.anchor, **(row.params or {}))
    except Exception:  # noqa: BLE001 - a page that no longer exists: no link
        return None


def _letter(user: User, body: str, link: str | None) -> str:
    lines = [_("Hello %(name)s,", name=user.full_name), "", body, ""]
    if link:
        lines += [link, ""]
    lines += [_("Choose which notifications you receive by email: %(url)s",
                url=external_url("notifications.settings")), ""]
    return "\n".join(lines)


# Reading ------------------------------------------------------------------------------

def unread_count_column(user_id):
    """The person's unread, shown notifications as a scalar subquery: the header's badge,
    selected with the signed-in user (lms/auth/sessions.py) so a page spends no statement
    on it. `user_id` is a value or a column."""
    return (select(func.count(Notification.id)).where(
        Notification.user_id == user_id, Notification.shown.is_(True),
        Notification.read_at.is_(None)).scalar_subquery())


def unread_count(user_id: int) -> int:
    """The header's badge: the count selected with the signed-in user, unless this
    request changed it (notify, mark_read); else one query."""
    if has_app_context() and g.get("unread_notifications") is not None:
        return g.unread_notifications
    return db.session.scalar(select(unread_count_column(user_id))) or 0


def _forget_unread_count() -> None:
    if has_app_context():
        g.pop("unread_notifications", None)


PAGE_SIZE = 30


def page_of(user_id: int, page: int) -> tuple[list[Notification], bool]:
    """One page of the person's notifications, newest first, and whether more follow."""
    rows = list(db.session.scalars(select(Notification).where(
        Notification.user_id == user_id, Notification.shown.is_(True))
        .order_by(Notification.created_at.desc(), Notification.id.desc())
        .offset((page - 1) * PAGE_SIZE).limit(PAGE_SIZE + 1)))
    return rows[:PAGE_SIZE], len(rows) > PAGE_SIZE


def mark_read(user_id: int, ids: list[int] | None = None) -> int:
    """Mark the person's notifications read (all of them when ids is None)."""
    _forget_unread_count()
    query = update(Notification).where(Notification.user_id == user_id,
                                       Notification.read_at.is_(None))
    if ids is not None:
        query = query.where(Notification.id.in_(ids))
    return db.session.execute(query.values(read_at=utcnow())).rowcount


def mark_target_read(user_id: int, target_type: str, target_id: int) -> int:
    """The person has seen the page itself (a message read on its page): its unread
    notifications are read. Reads first, and takes the write lock only when needed (GET)."""
    unread = list(db.session.scalars(select(Notification.id).where(
        Notification.user_id == user_id, Notification.target_type == target_type,
        Notification.target_id == target_id, Notification.read_at.is_(None))))
    if not unread:
        return 0
    db_setup.writing()
    changed = mark_read(user_id, unread)
    db.session.commit()
    return changed


# The daily digest -----------------------------------------------------------------------

def send_digests(day: str) -> int:
    """One mail per person with notifications kept for the digest; each person's digest
    of a day is sent once (its mail key), and its notifications are marked digested by a
    conditional UPDATE, so a second run finds nothing. How many mails."""
    from lms.notifications.models import MAIL_DIGESTED

    pending = list(db.session.scalars(select(Notification).where(
        Notification.mail_state == MAIL_DIGEST).order_by(Notification.user_id,
                                                          Notification.created_at,
                                                          Notification.id)))
    by_user: dict[int, list[Notification]] = {}
    for row in pending:
        by_user.setdefault(row.user_id, []).append(row)
    sent = 0
    users = {u.id: u for u in db.session.scalars(select(User).where(
        User.id.in_(list(by_user))))} if by_user else {}
    for user_id, rows in by_user.items():
        taken = db.session.execute(update(Notification).where(
            Notification.id.in_([r.id for r in rows]),
            Notification.mail_state == MAIL_DIGEST).values(mail_state=MAIL_DIGESTED)).rowcount
        user = users.get(user_id)
        if not taken or user is None or not user.is_active_account:
            continue

        def compose(user=user, rows=rows):
            lines = [_("Hello %(name)s,", name=user.full_name), "",
                     _("What happened since yesterday:"), ""]
            for row in rows:
                lines.append(f"- {row.title}")
                link = _link(row)
                if link:
                    lines.append(f"  {link}")
            lines += ["", _("All your notifications: %(url)s",
                            url=external_url("notifications.index")),
                      _("Choose which notifications you receive by email: %(url)s",
                        url=external_url("notifications.settings")), ""]
            return _("Your daily summary: %(n)d notifications", n=len(rows)), "\n".join(lines)

        send_to(user, compose, key=f"notification-digest:{user_id}:{day}")
        sent += 1
    db.session.flush()
    return sent
