"""Deleting an account on request: asked by the person, processed by a coordinator.

Processing happens in one transaction, so it is all or nothing:

- what the person did in courses (quiz attempts with their answers, submissions with
  their files, module progress, attendance, cohort memberships with their applications,
  the "has answered the evaluation" marks) moves to a new account that has no name, no
  address and cannot sign in: the records stay for the cohort's statistics, detached
  from the person;
- forum threads and posts lose their author (they show as by a deleted user);
- evaluation answers were never attached to anyone, so nothing changes there;
- the account itself is anonymised (name, email, NIP, institution, position, password,
  sessions, second factor) and closed. It keeps only the issued certificates, which stay
  verifiable for RETENTION_CERTIFICATE_YEARS (docs/privacy.md), the consents and the
  request itself.

Refused, with nothing changed: a request already processed, an instructor still teaching
a cohort that has not ended, a coordinator or an administrator (their role is taken away
first, by an administrator).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import delete, func, select, update

from lms.applications.models import ApplicationDocument
from lms.assignments.models import Submission
from lms.audit import services as audit
from lms.auth.models import Role, User
from lms.auth.registration import PendingRegistration
from lms.auth.second_factor import RecoveryCode, SecondFactor
from lms.auth.sessions import UserSession
from lms.clock import utcnow
from lms.cohorts.models import Cohort, CohortInstructor, CohortMember
from lms.courses.models import Enrollment, ModuleProgress
from lms.evaluations.models import EvaluationSubmission
from lms.extensions import db
from lms.forums.models import DigestSubscription, Post, Thread, ThreadRead
from lms.live.models import Attendance, UserPreference
from lms.notifications.models import CohortMessage, Notification, NotificationSettings
from lms.people.models import NameCorrection
from lms.privacy.models import DeletionRequest, DeletionStatus
from lms.quizzes.models import Attempt

UNUSABLE_PASSWORD = "!"  # noqa: S105 - not an Argon2 hash: no password matches it


class DeletionError(ValueError):
    def __init__(self, code: str, detail: str = ""):
        super().__init__(f"{code}: {detail}" if detail else code)
        self.code = code
        self.detail = detail


def pending_request(user: User) -> DeletionRequest | None:
    return db.session.scalar(select(DeletionRequest).where(
        DeletionRequest.user_id == user.id, DeletionRequest.status == DeletionStatus.PENDING))


def request_deletion(user: User, reason: str) -> DeletionRequest:
    """Record the person's request (one pending at a time) and audit it."""
    if pending_request(user) is not None:
        raise DeletionError("pending", _("You have already asked for your account to be "
                                         "deleted; the coordinators will process it."))
    found = DeletionRequest(user_id=user.id, reason=(reason or "").strip()[:2000],
                            status=DeletionStatus.PENDING)
    db.session.add(found)
    db.session.flush()
    audit.record(user.id, "privacy.deletion_requested", "user", user.id,
                 f"deletion request {found.id}")
    return found


def teaching_now(user: User, today: date) -> list[Cohort]:
    """The cohorts the person teaches in that have not ended."""
    return list(db.session.scalars(
        select(Cohort).join(CohortInstructor, CohortInstructor.cohort_id == Cohort.id)
        .where(CohortInstructor.user_id == user.id, Cohort.ends_on >= today)
        .distinct().order_by(Cohort.starts_on)))


def _refuse_if_not_allowed(found: DeletionRequest, today: date) -> None:
    user = found.user
    if found.status != DeletionStatus.PENDING:
        raise DeletionError("status", _("This request was already processed; nothing was "
                                        "changed."))
    if user.role in (Role.COORDINATOR, Role.ADMIN):
        raise DeletionError("role", _(
            "%(name)s is a coordinator or administrator: an administrator takes that role "
            "away first. Nothing was changed.", name=user.full_name))
    cohorts = teaching_now(user, today)
    if cohorts:
        raise DeletionError("teaching", _(
            "%(name)s still teaches in %(cohorts)s. Replace them as instructor there, or "
            "wait until those cohorts have ended. Nothing was changed.",
            name=user.full_name, cohorts=", ".join(c.name for c in cohorts)))


@dataclass
class DeletionSummary:
    detached_to: int  # the id of the account that now holds the detached records
    moved: dict[str, int]
    posts: int
    documents: list[str]  # stored names of application documents to remove from disk


def process(found: DeletionRequest, actor: User, today: date) -> DeletionSummary:
    """Anonymise the account and detach its records (see the module docstring). Flushes;
    the caller commits, then removes the application documents' files. Refuses
    (DeletionError, nothing changed) what the module docstring lists."""
    _refuse_if_not_allowed(found, today)
    user = found.user
    uid = user.id
    detached = User(email=f"detached-{secrets.token_hex(8)}@deleted.invalid",
                    full_name=_("Deleted participant"), password_hash=UNUSABLE_PASSWORD,
                    role=Role.PARTICIPANT.value, is_active_account=False,
                    announcement_mails=False)
    db.session.add(detached)
    db.session.flush()
    documents = list(db.session.scalars(
        select(ApplicationDocument.stored_name).join(
            CohortMember, CohortMember.id == ApplicationDocument.member_id)
        .where(CohortMember.user_id == uid)))
    db.session.execute(delete(ApplicationDocument).where(ApplicationDocument.member_id.in_(
        select(CohortMember.id).where(CohortMember.user_id == uid))))
    moved = {}
    for model in (Attempt, Submission, ModuleProgress, Enrollment, Attendance, CohortMember,
                  EvaluationSubmission):
        moved[model.__tablename__] = db.session.execute(
            update(model).where(model.user_id == uid).values(user_id=detached.id)
            .execution_options(synchronize_session=False)).rowcount
    posts = db.session.scalar(select(func.count()).select_from(Post)
                              .where(Post.author_id == uid)) or 0
    db.session.execute(update(Post).where(Post.author_id == uid).values(author_id=None)
                       .execution_options(synchronize_session=False))
    db.session.execute(update(Thread).where(Thread.author_id == uid).values(author_id=None)
                       .execution_options(synchronize_session=False))
    # Messages they wrote stay with the cohort, without their name (like forum posts);
    # what they were told, and their choices, go.
    db.session.execute(update(CohortMessage).where(CohortMessage.sender_id == uid)
                       .values(sender_id=None).execution_options(synchronize_session=False))
    for model in (ThreadRead, DigestSubscription, UserPreference, UserSession, RecoveryCode,
                  SecondFactor, NameCorrection, Notification, NotificationSettings):
        db.session.execute(delete(model).where(model.user_id == uid)
                           .execution_options(synchronize_session=False))
    db.session.execute(delete(PendingRegistration).where(
        PendingRegistration.email == user.email))
    user.full_name = _("Deleted user %(id)d", id=uid)
    user.email = f"deleted-{uid}@deleted.invalid"
    user.academic_title = user.institution = user.position = ""
    user.nip = user.locale = None
    user.password_hash = UNUSABLE_PASSWORD
    user.session_token = secrets.token_hex(32)
    user.is_active_account = False
    user.announcement_mails = False
    found.status = DeletionStatus.DONE
    found.decided_at = utcnow()
    found.decided_by_id = actor.id
    db.session.flush()
    db.session.expire_all()  # the bulk updates above left loaded rows stale
    audit.record(actor.id, "privacy.deletion_processed", "user", uid,
                 f"deletion request {found.id}: account anonymised",
                 {"moved": moved, "posts_detached": posts, "documents": len(documents),
                  "detached_to": detached.id})
    return DeletionSummary(detached.id, moved, posts, documents)


def refuse(found: DeletionRequest, actor: User, note: str) -> None:
    """Decline a pending request with the reason the person is told."""
    if found.status != DeletionStatus.PENDING:
        raise DeletionError("status", _("This request was already processed; nothing was "
                                        "changed."))
    if not (note or "").strip():
        raise DeletionError("note", _("Say why the request is refused."))
    found.status = DeletionStatus.REFUSED
    found.decided_at = utcnow()
    found.decided_by_id = actor.id
    found.decision_note = note.strip()[:2000]
    audit.record(actor.id, "privacy.deletion_refused", "user", found.user_id,
                 f"deletion request {found.id}: {note.strip()[:200]}")
    db.session.flush()


def pending_requests(actor: User) -> list[DeletionRequest]:
    """Pending and recent requests of the people the actor may see (admins: everyone)."""
    from lms.people.services import _reachable

    query = select(DeletionRequest).order_by(DeletionRequest.status != DeletionStatus.PENDING,
                                             DeletionRequest.created_at.desc()).limit(200)
    reachable = _reachable(actor)
    if reachable is not None:
        query = query.where(DeletionRequest.user_id.in_(reachable))
    return list(db.session.scalars(query))
