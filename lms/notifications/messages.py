"""Messages to a cohort: from its coordinators and instructors to everyone, to a group
(who has not taken the post-test, who is below the attendance rule, the waiting list) or
to one person; each recipient gets a notification (and a mail, as they chose), and may
reply to the sender only. Every message and reply is audited and rate-limited.

Plain values in; rows flushed; the caller commits. A refusal raises MessageError before
anything is written, with the sentence to show.
"""

from __future__ import annotations

from datetime import timedelta

from flask import current_app
from flask_babel import format_number
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from lms.audit import services as audit
from lms.auth.models import User
from lms.clock import utcnow
from lms.cohorts.access import CohortAccess
from lms.cohorts.models import Cohort, CohortMember, MemberStatus
from lms.extensions import db
from lms.notifications.models import CohortMessage, Notification
from lms.notifications.services import notify

MAX_SUBJECT = 200
MAX_BODY = 10_000  # characters: a long letter; anything bigger belongs in a file or a module
AUDIENCES = {
    "all": _l("Every participant"),
    "no_posttest": _l("Participants who have not taken every post-test"),
    "low_attendance": _l("Participants below the attendance rule"),
    "waitlist": _l("The waiting list"),
    "person": _l("One person"),
}


class MessageError(ValueError):
    def __init__(self, code: str, detail: str):
        super().__init__(f"{code}: {detail}")
        self.code, self.detail = code, detail


def may_send(who: CohortAccess) -> bool:
    """Coordinators of the cohort and its instructors."""
    return who.manager or who.instructs


# Who gets it ---------------------------------------------------------------------------

def _members(cohort: Cohort, status: str) -> list[User]:
    return list(db.session.scalars(select(User).join(
        CohortMember, CohortMember.user_id == User.id).where(
        CohortMember.cohort_id == cohort.id, CohortMember.status == status,
        User.is_active_account.is_(True)).order_by(User.full_name, User.id)))


def people_to_choose(cohort: Cohort) -> list[User]:
    """Whom "one person" may be: accepted participants and the waiting list."""
    return _members(cohort, MemberStatus.ACCEPTED) + _members(cohort, MemberStatus.WAITLISTED)


def recipients(cohort: Cohort, audience: str, person_id: int | None = None) -> list[User]:
    """The people a message to `audience` reaches now (possibly nobody)."""
    if audience == "all":
        return _members(cohort, MemberStatus.ACCEPTED)
    if audience == "waitlist":
        return _members(cohort, MemberStatus.WAITLISTED)
    if audience == "person":
        return [u for u in people_to_choose(cohort) if u.id == person_id]
    if audience == "no_posttest":
        from lms.progress.build import for_cohort
        from lms.progress.model import QUIZ

        progress = for_cohort(cohort)
        missing = {user_id for user_id, person in progress.people.items()
                   if any(p.item.kind == QUIZ and p.item.quiz_kind == "posttest"
                          and p.grade is None for c in person.courses for p in c.items)}
        return [u for u in _members(cohort, MemberStatus.ACCEPTED) if u.id in missing]
    if audience == "low_attendance":
        minimum = attendance_rule(cohort)
        if minimum is None:
            return []
        from lms.live.services import attendance_percent_by_user

        percents = attendance_percent_by_user(cohort.id)
        return [u for u in _members(cohort, MemberStatus.ACCEPTED)
                if percents.get(u.id, 100.0) < minimum]
    raise MessageError("audience", _("Choose who the message is for."))


def attendance_rule(cohort: Cohort) -> float | None:
    from lms.certificates.services import typed_settings

    return typed_settings(cohort).min_attendance_percent


# Sending -------------------------------------------------------------------------------

def _check_text(subject: str, body: str) -> tuple[str, str]:
    subject = " ".join((subject or "").split())
    body = (body or "").replace("\r\n", "\n").strip()
    if not subject or not body:
        raise MessageError("empty", _("A message needs a subject and a text."))
    if len(subject) > MAX_SUBJECT:
        raise MessageError("subject", _("The subject is longer than %(n)d characters.",
                                        n=MAX_SUBJECT))
    if len(body) > MAX_BODY:
        raise MessageError("body", _(
            "The message is %(size)s characters long; a message may have at most %(max)s. "
            "Shorten it, or put the long text in a forum post or a file and link to it.",
            size=format_number(len(body)), max=format_number(MAX_BODY)))
    return subject, body


def _check_rate(sender_id: int) -> None:
    limit = int(current_app.config["MESSAGES_PER_HOUR"])
    since = utcnow() - timedelta(hours=1)
    sent = db.session.scalar(select(func.count(CohortMessage.id)).where(
        CohortMessage.sender_id == sender_id, CohortMessage.created_at > since)) or 0
    if sent >= limit:
        raise MessageError("rate", _("You have sent %(n)d messages in the last hour, the most "
                                     "allowed. Wait a little before sending another.",
                                     n=limit))


def send(cohort: Cohort, who: CohortAccess, audience: str, subject: str, body: str,
         person_id: int | None = None) -> tuple[CohortMessage, int]:
    """Send a message; refuses a sender who may not, an empty or too long text, too many
    messages in an hour, and a group that holds nobody (nothing is sent then)."""
    if not may_send(who):
        raise MessageError("access", _("Only the cohort's coordinators and instructors can "
                                       "send messages to it."))
    if audience not in AUDIENCES:
        raise MessageError("audience", _("Choose who the message is for."))
    subject, body = _check_text(subject, body)
    people = [u for u in recipients(cohort, audience, person_id) if u.id != who.user_id]
    if not people:
        if audience == "low_attendance" and attendance_rule(cohort) is None:
            raise MessageError("nobody", _("This cohort's program has no attendance rule, so "
                                           "nobody is below it. Nothing was sent."))
        raise MessageError("nobody", _("Nobody is in this group right now. Nothing was sent."))
    _check_rate(who.user_id)
    message = CohortMessage(cohort_id=cohort.id, sender_id=who.user_id, audience=audience,
                            subject=subject, body=body, recipient_ids=[u.id for u in people],
                            created_at=utcnow())
    db.session.add(message)
    db.session.flush()
    sender = db.session.get(User, who.user_id)
    _tell(message, cohort, sender, people)
    audit.record(who.user_id, "message.send", "cohort", cohort.id,
                 f"{cohort.code}: {subject} → {audience} ({len(people)})",
                 {"message": [None, message.id], "recipients": [None, len(people)]})
    return message, len(people)


def _tell(message: CohortMessage, cohort: Cohort, sender: User, people: list[User]) -> None:
    for user in people:
        notify(user, "message", f"message:{message.id}", lambda: (
            _("Message from %(name)s: %(subject)s", name=sender.full_name,
              subject=message.subject), message.body),
            endpoint="notifications.message", params={"code": cohort.code,
                                                      "message_id": message.id},
            target=("cohort_message", message.id), cohort_id=cohort.id)


def received(message: CohortMessage, user_id: int) -> bool:
    return user_id in (message.recipient_ids or [])


def reply(message: CohortMessage, user: User, body: str) -> CohortMessage:
    """A recipient's answer, to the sender only."""
    if message.parent_id is not None or not received(message, user.id):
        raise MessageError("access", _("Only the people a message was sent to can reply."))
    if message.sender_id is None:
        raise MessageError("sender", _("The sender's account no longer exists: replies cannot "
                                       "reach anyone."))
    subject, body = _check_text(_("Re: %(subject)s", subject=message.subject)[:MAX_SUBJECT],
                                body)
    _check_rate(user.id)
    cohort = db.session.get(Cohort, message.cohort_id)
    answer = CohortMessage(cohort_id=message.cohort_id, sender_id=user.id, parent_id=message.id,
                           audience="reply", subject=subject, body=body,
                           recipient_ids=[message.sender_id], created_at=utcnow())
    db.session.add(answer)
    db.session.flush()
    sender = db.session.get(User, message.sender_id)
    notify(sender, "message", f"message:{answer.id}", lambda: (
        _("Reply from %(name)s: %(subject)s", name=user.full_name, subject=message.subject),
        body), endpoint="notifications.message",
        params={"code": cohort.code, "message_id": message.id},
        target=("cohort_message", message.id), cohort_id=cohort.id)
    audit.record(user.id, "message.reply", "cohort", cohort.id,
                 f"{cohort.code}: {subject}", {"message": [None, answer.id]})
    return answer


# Reading -------------------------------------------------------------------------------

def cohort_messages(cohort: Cohort) -> list[CohortMessage]:
    """The cohort's messages (not the replies), newest first: the staff's list."""
    return list(db.session.scalars(select(CohortMessage).where(
        CohortMessage.cohort_id == cohort.id, CohortMessage.parent_id.is_(None))
        .order_by(CohortMessage.created_at.desc(), CohortMessage.id.desc())))


def messages_for(cohort: Cohort, user_id: int) -> list[CohortMessage]:
    """The messages of the cohort user_id received, newest first (through their
    notifications: one query)."""
    return list(db.session.scalars(select(CohortMessage).join(
        Notification, (Notification.target_type == "cohort_message")
        & (Notification.target_id == CohortMessage.id) & (Notification.kind == "message"))
        .where(Notification.user_id == user_id, CohortMessage.cohort_id == cohort.id,
               CohortMessage.parent_id.is_(None), CohortMessage.sender_id != user_id)
        .order_by(CohortMessage.created_at.desc(), CohortMessage.id.desc())))


def replies_seen_by(message: CohortMessage, user_id: int, staff: bool) -> list[CohortMessage]:
    """Replies to message: all of them for its sender (and the cohort's coordinators),
    only their own for a participant."""
    query = select(CohortMessage).where(CohortMessage.parent_id == message.id)
    if not (staff or message.sender_id == user_id):
        query = query.where(CohortMessage.sender_id == user_id)
    return list(db.session.scalars(query.order_by(CohortMessage.created_at,
                                                  CohortMessage.id)))
