"""Running cohorts: create, apply, select, enroll, withdraw, import, assign instructors.

Plain values in; rows flushed; the caller commits once. Every coordinator action
is written to the audit log in the same transaction. Mail leaves after commit.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import joinedload

from lms.audit import services as audit
from lms.auth import services as accounts
from lms.auth.models import Role, User
from lms.clock import utcnow
from lms.cohorts import mails
from lms.cohorts.models import (
    Announcement,
    Cohort,
    CohortInstructor,
    CohortMember,
    EnrollmentMode,
    MemberStatus,
)
from lms.cohorts.roster import RosterRow
from lms.courses.models import Course, Enrollment, Program, ProgramCourse
from lms.extensions import db
from lms.markup import render_markdown
from lms.statements import prepared, rows

COHORT_FIELDS = ("name", "number", "year", "description", "registration_opens_on",
                 "registration_closes_on", "starts_on", "ends_on", "capacity",
                 "enrollment_mode", "enrollment_key")


class CohortError(ValueError):
    """A refused action; `code` picks the message, `detail` adds what and where."""

    def __init__(self, code: str, detail: str = ""):
        super().__init__(f"{code}: {detail}" if detail else code)
        self.code = code
        self.detail = detail


# Programs ---------------------------------------------------------------------------

def programs() -> list[Program]:
    return list(db.session.scalars(select(Program).where(Program.is_active.is_(True))
                                   .order_by(Program.title)))


def get_program(slug: str) -> Program | None:
    return db.session.scalar(select(Program).where(Program.slug == slug))


def program_courses(program: Program) -> list[Course]:
    return list(db.session.scalars(
        select(Course).join(ProgramCourse, ProgramCourse.course_id == Course.id)
        .where(ProgramCourse.program_id == program.id).order_by(ProgramCourse.position)))


# Cohorts ----------------------------------------------------------------------------

def get_cohort(code: str) -> Cohort | None:
    """The cohort with its program (nearly every cohort page names it)."""
    return db.session.scalar(_cohort_by_code(), {"code": code})


@prepared
def _cohort_by_code():
    return select(Cohort).options(joinedload(Cohort.program)).where(
        Cohort.code == bindparam("code"))


def all_cohorts() -> list[Cohort]:
    """Every cohort, newest first, with its program (the lists show it)."""
    return list(db.session.scalars(select(Cohort).options(joinedload(Cohort.program))
                                   .order_by(Cohort.starts_on.desc(), Cohort.code)))


def open_cohorts(today: date) -> list[Cohort]:
    """Cohorts whose registration is open today (invitation-only ones never are), with
    their programs (the list shows them)."""
    return [c for c in db.session.scalars(
        select(Cohort).options(joinedload(Cohort.program))
        .order_by(Cohort.starts_on.desc(), Cohort.code)) if c.registration_open(today)]


def accepted_counts(cohort_ids: list[int]) -> dict[int, int]:
    """Accepted members per cohort, in one statement."""
    if not cohort_ids:
        return {}
    found = dict(db.session.execute(
        select(CohortMember.cohort_id, func.count()).where(
            CohortMember.cohort_id.in_(cohort_ids),
            CohortMember.status == MemberStatus.ACCEPTED).group_by(CohortMember.cohort_id)).all())
    return {i: found.get(i, 0) for i in cohort_ids}


def _check_fields(fields: dict) -> None:
    if fields["ends_on"] < fields["starts_on"]:
        raise CohortError("dates", _("The end date is before the start date."))
    opens, closes = fields.get("registration_opens_on"), fields.get("registration_closes_on")
    if opens and closes and closes < opens:
        raise CohortError("dates", _("Registration closes before it opens."))
    if not 1 <= int(fields["capacity"]) <= 10_000:
        raise CohortError("capacity", _("Capacity must be between 1 and 10000."))
    if fields["enrollment_mode"] == EnrollmentMode.KEY and not fields.get("enrollment_key"):
        raise CohortError("key", _("An enrollment key is needed for this enrollment mode."))


def create_cohort(program: Program, code: str, fields: dict, actor_id: int | None) -> Cohort:
    """A new cohort of program; refuses a code already used and inconsistent dates."""
    _check_fields(fields)
    if get_cohort(code):
        raise CohortError("code", _("The code %(code)s is already used.", code=code))
    cohort = Cohort(program_id=program.id, code=code,
                    **{k: fields.get(k) for k in COHORT_FIELDS if k in fields})
    db.session.add(cohort)
    db.session.flush()
    audit.record(actor_id, "cohort.create", "cohort", cohort.id, f"{code}: {cohort.name}",
                 audit.diff({}, {k: getattr(cohort, k) for k in COHORT_FIELDS
                                 if k != "enrollment_key"}))
    return cohort


def update_cohort(cohort: Cohort, fields: dict, actor_id: int | None) -> dict:
    """Change settings; capacity may not drop below the accepted participants."""
    _check_fields(fields)
    accepted = count_status(cohort, MemberStatus.ACCEPTED)
    if int(fields["capacity"]) < accepted:
        raise CohortError("capacity", _("%(n)d participants are already accepted.", n=accepted))
    before = {k: getattr(cohort, k) for k in COHORT_FIELDS}
    for key in COHORT_FIELDS:
        if key in fields:
            setattr(cohort, key, fields[key])
    after = {k: getattr(cohort, k) for k in COHORT_FIELDS}
    changes = audit.diff(before, after)
    if "enrollment_key" in changes:
        changes["enrollment_key"] = ["…", "…"]  # never store keys in the log
    if changes:
        audit.record(actor_id, "cohort.update", "cohort", cohort.id, cohort.code, changes)
    db.session.flush()
    return changes


def count_status(cohort: Cohort, status: MemberStatus) -> int:
    return db.session.scalar(select(func.count()).select_from(CohortMember).where(
        CohortMember.cohort_id == cohort.id, CohortMember.status == status)) or 0


def members(cohort: Cohort, status: str | None = None) -> list[CohortMember]:
    query = (select(CohortMember).join(User, User.id == CohortMember.user_id)
             .where(CohortMember.cohort_id == cohort.id))
    if status:
        query = query.where(CohortMember.status == status)
    return list(db.session.scalars(query.order_by(CohortMember.applied_at, CohortMember.id)))


def membership(cohort: Cohort, user_id: int) -> CohortMember | None:
    return db.session.scalar(select(CohortMember).where(
        CohortMember.cohort_id == cohort.id, CohortMember.user_id == user_id))


def memberships_of(user_id: int) -> list[CohortMember]:
    """The person's memberships, newest first, with their cohorts and programs."""
    return list(db.session.scalars(select(CohortMember).options(
        joinedload(CohortMember.cohort).joinedload(Cohort.program)).where(
        CohortMember.user_id == user_id).order_by(CohortMember.applied_at.desc())))


# Joining ----------------------------------------------------------------------------

@dataclass
class ApplicationForm:
    motivation: str = ""
    statement: str = ""
    institution: str = ""
    position: str = ""
    key: str = ""


def apply(cohort: Cohort, user: User, form: ApplicationForm, today: date) -> CohortMember:
    """Apply (application mode) or join (open, key). Refuses outside the window."""
    if not cohort.registration_open(today):
        raise CohortError("closed", _("Registration for this cohort is not open."))
    existing = membership(cohort, user.id)
    if existing and existing.status != MemberStatus.WITHDRAWN:
        raise CohortError("duplicate", _("You have already applied to this cohort."))
    if cohort.enrollment_mode == EnrollmentMode.KEY and not secrets.compare_digest(
            (form.key or "").strip(), cohort.enrollment_key or ""):
        raise CohortError("key", _("The enrollment key is wrong."))
    member = existing or CohortMember(cohort_id=cohort.id, user_id=user.id)
    member.motivation = form.motivation.strip()
    member.statement = form.statement.strip()
    member.institution = (form.institution or user.institution).strip()
    member.position = (form.position or user.position).strip()
    member.source = cohort.enrollment_mode
    member.applied_at = utcnow()
    member.status = MemberStatus.APPLIED
    member.decided_at = member.decided_by_id = member.waitlisted_at = None
    db.session.add(member)
    db.session.flush()
    audit.record(user.id, "member.apply", "cohort_member", member.id,
                 f"{cohort.code}: {user.email}")
    if cohort.enrollment_mode in (EnrollmentMode.OPEN, EnrollmentMode.KEY):
        if not _accept(cohort, member, None):
            _waitlist(member, None)
    else:
        mails.application_sent(user, cohort)
    return member


def _lock(cohort: Cohort) -> None:
    """Serialize decisions on one cohort (row lock on PostgreSQL; SQLite writes are serial)."""
    db.session.execute(select(Cohort.id).where(Cohort.id == cohort.id).with_for_update())


def _accept(cohort: Cohort, member: CohortMember, actor_id: int | None,
            notify: bool = True) -> bool:
    _lock(cohort)
    if member.status == MemberStatus.ACCEPTED:
        return True
    if count_status(cohort, MemberStatus.ACCEPTED) >= cohort.capacity:
        return False
    member.status = MemberStatus.ACCEPTED
    member.decided_at = utcnow()
    member.decided_by_id = actor_id
    member.waitlisted_at = None
    _enroll_in_courses(cohort, member.user_id)
    db.session.flush()
    if notify:
        mails.accepted(db.session.get(User, member.user_id), cohort,
                       "decision" if member.source == "application" else "enrollment")
    return True


def _waitlist(member: CohortMember, actor_id: int | None) -> None:
    member.status = MemberStatus.WAITLISTED
    member.waitlisted_at = utcnow()
    member.decided_at = utcnow()
    member.decided_by_id = actor_id
    db.session.flush()


def _enroll_in_courses(cohort: Cohort, user_id: int) -> None:
    course_ids = db.session.scalars(select(ProgramCourse.course_id).where(
        ProgramCourse.program_id == cohort.program_id))
    have = set(db.session.scalars(select(Enrollment.course_id).where(
        Enrollment.user_id == user_id)))
    for course_id in course_ids:
        if course_id not in have:
            db.session.add(Enrollment(user_id=user_id, course_id=course_id))


def _unenroll_from_courses(cohort: Cohort, user_id: int) -> None:
    """Remove course access unless another accepted cohort of the user still gives it."""
    other = select(ProgramCourse.course_id).join(
        Cohort, Cohort.program_id == ProgramCourse.program_id).join(
        CohortMember, CohortMember.cohort_id == Cohort.id).where(
        CohortMember.user_id == user_id, CohortMember.status == MemberStatus.ACCEPTED,
        Cohort.id != cohort.id)
    kept = set(db.session.scalars(other))
    for enrollment in db.session.scalars(select(Enrollment).join(
            ProgramCourse, ProgramCourse.course_id == Enrollment.course_id).where(
            ProgramCourse.program_id == cohort.program_id, Enrollment.user_id == user_id)):
        if enrollment.course_id not in kept:
            db.session.delete(enrollment)


@dataclass
class DecisionResult:
    changed: int = 0
    unchanged: int = 0
    full: int = 0


def decide(cohort: Cohort, member_ids: list[int], decision: str,
           actor_id: int) -> DecisionResult:
    """Accept, reject or waitlist applicants; acceptance stops at capacity (the rest wait)."""
    if decision not in ("accept", "reject", "waitlist"):
        raise CohortError("decision", decision)
    result = DecisionResult()
    rows = list(db.session.scalars(select(CohortMember).where(
        CohortMember.cohort_id == cohort.id, CohortMember.id.in_(member_ids))
        .order_by(CohortMember.applied_at, CohortMember.id)))
    if len(rows) != len(set(member_ids)):
        raise CohortError("unknown", _("Some selected people are not in this cohort."))
    previous = []
    for member in rows:
        before = member.status
        previous.append(before)
        if decision == "accept":
            if before == MemberStatus.ACCEPTED:
                result.unchanged += 1
                continue
            if not _accept(cohort, member, actor_id):
                result.full += 1
                if before != MemberStatus.WAITLISTED:
                    _waitlist(member, actor_id)
                continue
        elif decision == "reject":
            if before == MemberStatus.REJECTED:
                result.unchanged += 1
                continue
            if before == MemberStatus.ACCEPTED:
                _unenroll_from_courses(cohort, member.user_id)
            member.status = MemberStatus.REJECTED
            member.decided_at, member.decided_by_id = utcnow(), actor_id
            mails.rejected(member.user, cohort)
        else:
            if before == MemberStatus.WAITLISTED:
                result.unchanged += 1
                continue
            if before == MemberStatus.ACCEPTED:
                _unenroll_from_courses(cohort, member.user_id)
            _waitlist(member, actor_id)
            mails.waitlisted(member.user, cohort)
        result.changed += 1
        audit.record(actor_id, f"member.{decision}", "cohort_member", member.id,
                     f"{cohort.code}: {member.user.email}",
                     {"status": [str(before), str(member.status)]})
    # A place freed by this decision goes to the first on the waiting list, but never to
    # someone the coordinator has just put there on purpose (nor does a deliberate
    # "waiting list" while places are free turn into an acceptance).
    if decision != "accept" and MemberStatus.ACCEPTED in previous:
        promote_waitlist(cohort, actor_id, skip=frozenset(m.id for m in rows))
    db.session.flush()
    return result


def promote_waitlist(cohort: Cohort, actor_id: int | None,
                     skip: frozenset[int] = frozenset()) -> list[CohortMember]:
    """Fill free places from the waiting list, first come first served (members in skip
    stay where they are)."""
    promoted = []
    waiting = db.session.scalars(select(CohortMember).where(
        CohortMember.cohort_id == cohort.id, CohortMember.status == MemberStatus.WAITLISTED,
        CohortMember.id.not_in(skip))
        .order_by(CohortMember.waitlisted_at, CohortMember.id))
    for member in list(waiting):
        if not _accept(cohort, member, actor_id):
            break
        promoted.append(member)
        audit.record(actor_id, "member.promote", "cohort_member", member.id,
                     f"{cohort.code}: {member.user.email}",
                     {"status": ["waitlisted", "accepted"]})
    return promoted


def withdraw(member: CohortMember, actor_id: int | None) -> list[CohortMember]:
    """Withdraw a participant or applicant; a freed place goes to the first on the waitlist."""
    if member.status == MemberStatus.WITHDRAWN:
        raise CohortError("withdrawn", _("Already withdrawn."))
    cohort = member.cohort
    before = member.status
    if before == MemberStatus.ACCEPTED:
        _unenroll_from_courses(cohort, member.user_id)
    member.status = MemberStatus.WITHDRAWN
    member.decided_at, member.decided_by_id = utcnow(), actor_id
    audit.record(actor_id, "member.withdraw", "cohort_member", member.id,
                 f"{cohort.code}: {member.user.email}",
                 {"status": [str(before), "withdrawn"]})
    db.session.flush()
    return promote_waitlist(cohort, actor_id) if before == MemberStatus.ACCEPTED else []


def enroll_user(cohort: Cohort, user: User, actor_id: int | None, source: str = "coordinator"
                ) -> bool:
    """Make user a participant (coordinator's choice or CSV); False when the cohort is full."""
    member = membership(cohort, user.id)
    if member is None:
        member = CohortMember(cohort_id=cohort.id, user_id=user.id, source=source,
                              institution=user.institution, position=user.position)
        db.session.add(member)
        db.session.flush()
    return _accept(cohort, member, actor_id)


# Import ------------------------------------------------------------------------------

@dataclass
class ImportResult:
    created_users: int = 0
    enrolled: int = 0
    unchanged: int = 0
    full: int = 0


def import_roster(cohort: Cohort, rows: list[RosterRow], actor_id: int | None) -> ImportResult:
    """Enroll every row (creating accounts as needed); importing twice changes nothing."""
    result = ImportResult()
    emails = [r.email for r in rows]
    existing = {u.email: u for u in db.session.scalars(select(User).where(
        User.email.in_(emails)))}
    for row in rows:
        user = existing.get(row.email)
        created = user is None
        if user is None:
            user = accounts.create_user(
                email=row.email, password=secrets.token_urlsafe(32), full_name=row.full_name,
                institution=row.institution, position=row.position, nip=row.nip,
                role=Role.PARTICIPANT)
            existing[row.email] = user
            result.created_users += 1
        member = membership(cohort, user.id)
        if member and member.status == MemberStatus.ACCEPTED:
            result.unchanged += 1
            continue
        if member is None:
            member = CohortMember(cohort_id=cohort.id, user_id=user.id, source="csv",
                                  institution=row.institution, position=row.position)
            db.session.add(member)
            db.session.flush()
        # A new account gets one mail that says both: the account, and the place or the
        # waiting list (never "participant" to someone who is waiting).
        if _accept(cohort, member, actor_id, notify=not created):
            result.enrolled += 1
        else:
            result.full += 1
            if member.status != MemberStatus.WAITLISTED:
                _waitlist(member, actor_id)
                if not created:
                    mails.waitlisted(user, cohort)
        if created:
            mails.account_created(user, cohort, member.status == MemberStatus.ACCEPTED)
    audit.record(actor_id, "cohort.import", "cohort", cohort.id, cohort.code,
                 {"rows": len(rows), "created_users": result.created_users,
                  "enrolled": result.enrolled, "unchanged": result.unchanged,
                  "waitlisted_full": result.full})
    db.session.flush()
    return result


# Instructors and announcements -------------------------------------------------------

def instructors(cohort: Cohort) -> list[CohortInstructor]:
    return list(db.session.scalars(select(CohortInstructor).options(
        joinedload(CohortInstructor.user), joinedload(CohortInstructor.course)).where(
        CohortInstructor.cohort_id == cohort.id).order_by(CohortInstructor.course_id)))


def assign_instructor(cohort: Cohort, course: Course, user: User, actor_id: int) -> None:
    if user.role not in (Role.INSTRUCTOR, Role.COORDINATOR, Role.ADMIN):
        raise CohortError("role", _("%(email)s is not an instructor.", email=user.email))
    if course.id not in {c.id for c in program_courses(cohort.program)}:
        raise CohortError("course", _("This course is not part of the cohort's program."))
    exists = db.session.scalar(select(CohortInstructor).where(
        CohortInstructor.cohort_id == cohort.id, CohortInstructor.course_id == course.id,
        CohortInstructor.user_id == user.id))
    if exists:
        return
    db.session.add(CohortInstructor(cohort_id=cohort.id, course_id=course.id, user_id=user.id))
    audit.record(actor_id, "instructor.assign", "cohort", cohort.id,
                 f"{cohort.code}: {user.email} → {course.slug}")
    db.session.flush()


def unassign_instructor(assignment: CohortInstructor, actor_id: int) -> None:
    audit.record(actor_id, "instructor.unassign", "cohort", assignment.cohort_id,
                 f"{assignment.user.email} → {assignment.course.slug}")
    db.session.delete(assignment)
    db.session.flush()


def post_announcement(cohort: Cohort, author_id: int, title: str, body: str) -> Announcement:
    """Markdown rendered and sanitized once, when posted."""
    if not title.strip() or not body.strip():
        raise CohortError("empty", _("An announcement needs a title and a text."))
    announcement = Announcement(cohort_id=cohort.id, author_id=author_id,
                                title=title.strip()[:200], body_markdown=body,
                                body_html=render_markdown(body).html)
    db.session.add(announcement)
    audit.record(author_id, "announcement.post", "cohort", cohort.id,
                 f"{cohort.code}: {announcement.title}")
    db.session.flush()
    mails.announcement(db.session.scalars(
        select(User).join(CohortMember, CohortMember.user_id == User.id)
        .where(CohortMember.cohort_id == cohort.id, CohortMember.status == MemberStatus.ACCEPTED,
               User.is_active_account.is_(True), User.id != author_id)),
        cohort, announcement)
    return announcement


def announcements_for(user_id: int, limit: int = 10) -> list:
    """Announcements of the cohorts the user takes part in, newest first (one statement),
    as rows: id, title, created_at, body_html, cohort_name ("My learning" prints them)."""
    return rows(_announcements_for(), {"user_id": user_id, "limit": limit})


@prepared
def _announcements_for():
    return (select(Announcement.id, Announcement.title, Announcement.created_at,
                   Announcement.body_html, Cohort.name.label("cohort_name"))
            .join(Cohort, Cohort.id == Announcement.cohort_id)
            .join(CohortMember, CohortMember.cohort_id == Cohort.id)
            .where(CohortMember.user_id == bindparam("user_id"),
                   CohortMember.status == MemberStatus.ACCEPTED)
            .order_by(Announcement.created_at.desc(), Announcement.id.desc())
            .limit(bindparam("limit")))


def cohort_announcements(cohort: Cohort) -> list[Announcement]:
    return list(db.session.scalars(select(Announcement).options(
        joinedload(Announcement.author)).where(
        Announcement.cohort_id == cohort.id).order_by(Announcement.created_at.desc(),
                                                      Announcement.id.desc())))
