"""Correcting the name printed on an issued certificate: the holder asks, the cohort's
coordinators approve (the name changes, a reissue is offered) or reject (with a reason).

Plain values in; rows flushed; the caller commits. Each step is audited and mailed.
"""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import case, func, select
from sqlalchemy.orm import joinedload

from lms.audit import services as audit
from lms.auth.models import Role, User
from lms.certificates.models import Certificate
from lms.clock import utcnow
from lms.cohorts.models import Cohort
from lms.extensions import db
from lms.mail import queue_mail
from lms.people.models import CorrectionStatus, NameCorrection
from lms.people.services import (
    PeopleError,
    check_name,
    coordinated_cohort_ids,
)
from lms.urls import external_url

MAX_REASON = 1000


def cohort_coordinators(cohort: Cohort) -> list[User]:
    """Who is told about a request for the cohort: its coordinators (today every active
    coordinator, see services.coordinated_cohort_ids), else the administrators."""
    coordinators = list(db.session.scalars(select(User).where(
        User.role == Role.COORDINATOR.value, User.is_active_account.is_(True))
        .order_by(User.id)))
    return coordinators or list(db.session.scalars(select(User).where(
        User.role == Role.ADMIN.value, User.is_active_account.is_(True)).order_by(User.id)))


def pending_for(user_id: int) -> NameCorrection | None:
    return db.session.scalar(select(NameCorrection).where(
        NameCorrection.user_id == user_id, NameCorrection.status == CorrectionStatus.PENDING))


def history_of(user_id: int, limit: int = 20) -> list[NameCorrection]:
    return list(db.session.scalars(select(NameCorrection).where(
        NameCorrection.user_id == user_id).order_by(NameCorrection.id.desc()).limit(limit)))


def request_correction(user: User, certificate: Certificate | None, requested_name: str,
                       reason: str = "") -> NameCorrection:
    """Ask for another name on a valid certificate the user holds. Refuses an empty or too
    long name, the name already printed, someone else's or an invalid certificate, and a
    second request while one waits for a decision."""
    if certificate is None or certificate.user_id != user.id or certificate.status != "valid":
        raise PeopleError("certificate", _("Choose one of your valid certificates."))
    name = check_name(requested_name)
    if name == certificate.holder_name:
        raise PeopleError("same-name", _("%(name)s is already the name printed on "
                                         "certificate %(number)s.", name=name,
                                         number=certificate.number))
    if pending_for(user.id) is not None:
        raise PeopleError("pending", _("You already have a request waiting for a decision."))
    reason = (reason or "").strip()
    if len(reason) > MAX_REASON:
        raise PeopleError("reason", _("The explanation has at most %(max)d characters; this "
                                      "one has %(n)d.", max=MAX_REASON, n=len(reason)))
    correction = NameCorrection(user_id=user.id, certificate_id=certificate.id,
                                cohort_id=certificate.cohort_id,
                                current_name=certificate.holder_name, requested_name=name,
                                reason=reason, created_at=utcnow())
    db.session.add(correction)
    db.session.flush()
    audit.record(user.id, "name_correction.request", "user", user.id,
                 f"{certificate.number}: {certificate.holder_name} → {name}",
                 {"full_name": [certificate.holder_name, name]})
    link = external_url("people.corrections_list")
    for coordinator in cohort_coordinators(certificate.cohort):
        queue_mail(coordinator.email, _("Name correction requested: %(name)s", name=name),
                   _("%(holder)s asks for the name on certificate %(number)s (%(cohort)s) to "
                     "be printed as:\n\n%(name)s\n\nReason: %(reason)s\n\nDecide at %(link)s",
                     holder=certificate.holder_name, number=certificate.number,
                     cohort=certificate.cohort.name, name=name, reason=reason or "—",
                     link=link))
    return correction


def _visible(actor: User):
    query = select(NameCorrection)
    cohorts = coordinated_cohort_ids(actor)
    if cohorts is not None:
        query = query.where(NameCorrection.cohort_id.in_(cohorts))
    return query


def for_staff(actor: User, limit: int = 100) -> list[NameCorrection]:
    """Requests of the actor's cohorts: waiting ones first (oldest first), then decided."""
    waiting = case((NameCorrection.status == CorrectionStatus.PENDING, 0), else_=1)
    return list(db.session.scalars(_visible(actor).options(
        joinedload(NameCorrection.user), joinedload(NameCorrection.certificate),
        joinedload(NameCorrection.cohort), joinedload(NameCorrection.decided_by)).order_by(
        waiting, case((NameCorrection.status == CorrectionStatus.PENDING,
                       NameCorrection.id), else_=-NameCorrection.id)).limit(limit)))


def pending_count(actor: User) -> int:
    query = _visible(actor).where(NameCorrection.status == CorrectionStatus.PENDING)
    return db.session.scalar(select(func.count()).select_from(query.subquery())) or 0


def correction_for(actor: User, correction_id: int) -> NameCorrection | None:
    """The request if it belongs to one of the actor's cohorts, locked for a decision."""
    return db.session.scalar(_visible(actor).where(NameCorrection.id == correction_id)
                             .with_for_update().execution_options(populate_existing=True))


def _decide(correction: NameCorrection, actor: User, status: CorrectionStatus,
            note: str) -> None:
    if correction.status != CorrectionStatus.PENDING:
        raise PeopleError("decided", _("This request was already decided."))
    correction.status = status
    correction.decided_at = utcnow()
    correction.decided_by_id = actor.id
    correction.decision_note = note


def approve(correction: NameCorrection, actor: User, note: str = "") -> None:
    """Print the requested name from now on: the account's name changes (audited with
    before and after); reissuing the certificate is the coordinator's next step."""
    _decide(correction, actor, CorrectionStatus.APPROVED, (note or "").strip()[:MAX_REASON])
    user = correction.user
    before = user.full_name
    user.full_name = correction.requested_name
    audit.record(actor.id, "name_correction.approve", "user", user.id,
                 f"{correction.certificate.number}: {before} → {user.full_name}",
                 {"full_name": [before, user.full_name]})
    queue_mail(user.email, _("Your name correction was approved"),
               _("Your name is now written %(name)s. Certificate %(number)s will be reissued "
                 "with it; you will find it at %(link)s", name=user.full_name,
                 number=correction.certificate.number,
                 link=external_url("certificates.mine")))
    db.session.flush()


def reject(correction: NameCorrection, actor: User, note: str) -> None:
    """Refuse the request, saying why (the reason is mailed to the holder)."""
    note = (note or "").strip()
    if not note:
        raise PeopleError("note", _("Say why the request is rejected; the participant will "
                                    "read it."))
    if len(note) > MAX_REASON:
        raise PeopleError("note", _("The explanation has at most %(max)d characters; this "
                                    "one has %(n)d.", max=MAX_REASON, n=len(note)))
    _decide(correction, actor, CorrectionStatus.REJECTED, note)
    audit.record(actor.id, "name_correction.reject", "user", correction.user_id,
                 f"{correction.certificate.number}: {correction.requested_name}",
                 {"status": [CorrectionStatus.PENDING.value, CorrectionStatus.REJECTED.value]})
    queue_mail(correction.user.email, _("Your name correction was not approved"),
               _("The request to print %(name)s on certificate %(number)s was not approved:"
                 "\n\n%(note)s\n\n%(link)s", name=correction.requested_name,
                 number=correction.certificate.number, note=note,
                 link=external_url("profile.show")))
    db.session.flush()
