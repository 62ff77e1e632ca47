"""Managing accounts: who may see whom, search, edit, roles, deactivation, reset links.

Plain values in; rows flushed; the caller (a view or `lms users ...`) commits once.
Every change is written to the audit log with the values before and after. `actor`
is the signed-in staff member, or None for the command line (which may do anything).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from email_validator import EmailNotValidError, validate_email
from flask_babel import gettext as _
from sqlalchemy import Select, func, or_, select

from lms.audit import services as audit
from lms.auth import services as accounts
from lms.auth.models import Role, User
from lms.certificates import revisions
from lms.certificates import services as certificate_services
from lms.certificates.models import Certificate
from lms.cohorts.models import Cohort, CohortInstructor, CohortMember
from lms.extensions import db
from lms.mail import queue_mail
from lms.urls import external_url

MANAGERS = (Role.COORDINATOR, Role.ADMIN)
# Coordinators look after the people of cohorts; staff above them are the admins' business
# (a coordinator who could change an admin's email could take the account over).
COORDINATED_ROLES = (Role.PARTICIPANT.value, Role.INSTRUCTOR.value)
EDITABLE = ("full_name", "academic_title", "nip", "institution", "position", "email")
MAX_LENGTHS = {"full_name": 200, "academic_title": 100, "institution": 200, "position": 200}
PER_PAGE = 50


class PeopleError(ValueError):
    """A request that cannot be honoured; `detail` is the message for the person."""

    def __init__(self, code: str, detail: str = ""):
        super().__init__(f"{code}: {detail}" if detail else code)
        self.code = code
        self.detail = detail


# Who may see whom ----------------------------------------------------------------------

def coordinated_cohort_ids(actor: User | None) -> Select | None:
    """The cohorts whose people the actor looks after; None means every account (admins
    and the command line).

    A coordinator limited to some programs (lms.cohorts.access.managed_program_ids) looks
    after those programs' cohorts; one not limited after every cohort. The list, the person
    page and the corrections follow."""
    if actor is None or actor.has_role(Role.ADMIN):
        return None
    from lms.cohorts.access import managed_program_ids

    scope = managed_program_ids(actor)
    query = select(Cohort.id)
    return query if scope is None else query.where(Cohort.program_id.in_(sorted(scope)))


def _reachable(actor: User | None) -> Select | None:
    """Ids of the accounts the actor may open, as a subquery; None means all."""
    cohorts = coordinated_cohort_ids(actor)
    if cohorts is None:
        return None
    members = select(CohortMember.user_id).where(CohortMember.cohort_id.in_(cohorts))
    teachers = select(CohortInstructor.user_id).where(CohortInstructor.cohort_id.in_(cohorts))
    return (select(User.id).where(User.role.in_(COORDINATED_ROLES))
            .where(or_(User.id.in_(members), User.id.in_(teachers))))


def may_see(actor: User, user: User) -> bool:
    reachable = _reachable(actor)
    if reachable is None:
        return True
    return bool(db.session.scalar(select(func.count()).where(User.id == user.id,
                                                              User.id.in_(reachable))))


def person_for(actor: User, user_id: int) -> User | None:
    """The account if the actor may open it. An existing account outside the actor's
    cohorts gives None like an unknown one, and the attempt is recorded in the audit log."""
    user = db.session.get(User, user_id)
    if user is None:
        return None
    if not may_see(actor, user):
        audit.record(actor.id, "person.refused", "user", user.id,
                     f"{actor.email} opened an account outside their cohorts")
        db.session.flush()
        return None
    return user


# Search ------------------------------------------------------------------------------

@dataclass
class PeopleFilter:
    q: str = ""
    role: str = ""
    status: str = ""  # "", "active" or "inactive"
    cohort_id: int | None = None
    page: int = 1


@dataclass
class PeoplePage:
    people: list[User]
    cohorts_of: dict[int, list[Cohort]]
    total: int
    page: int
    pages: int


def _like(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped.casefold()}%"


def search(actor: User | None, flt: PeopleFilter, per_page: int = PER_PAGE) -> PeoplePage:
    """One page of the accounts the actor may see, matching the filter, in three queries
    whatever the number of people: the count, the page, and the cohorts of that page."""
    query = select(User)
    reachable = _reachable(actor)
    if reachable is not None:
        query = query.where(User.id.in_(reachable))
    words = flt.q.strip()[:200]
    if words:
        pattern = _like(words)
        query = query.where(or_(*(func.lower(column).like(pattern, escape="\\") for column in
                                  (User.full_name, User.email, User.institution, User.nip))))
    if flt.role in {r.value for r in Role}:
        query = query.where(User.role == flt.role)
    if flt.status in {"active", "inactive"}:
        query = query.where(User.is_active_account.is_(flt.status == "active"))
    if flt.cohort_id:
        query = query.where(User.id.in_(select(CohortMember.user_id).where(
            CohortMember.cohort_id == flt.cohort_id)))
    total = db.session.scalar(select(func.count()).select_from(query.subquery())) or 0
    pages = max(1, -(-total // per_page))
    page = min(max(1, flt.page), pages)
    people = list(db.session.scalars(query.order_by(func.lower(User.full_name), User.id)
                                      .offset((page - 1) * per_page).limit(per_page)))
    cohorts_of: dict[int, list[Cohort]] = {p.id: [] for p in people}
    if people:
        rows = db.session.execute(
            select(CohortMember.user_id, Cohort).join(Cohort, Cohort.id == CohortMember.cohort_id)
            .where(CohortMember.user_id.in_(list(cohorts_of)))
            .order_by(Cohort.starts_on.desc(), Cohort.code))
        for user_id, cohort in rows:
            cohorts_of[user_id].append(cohort)
    return PeoplePage(people, cohorts_of, total, page, pages)


def cohort_choices(actor: User) -> list[Cohort]:
    cohorts = coordinated_cohort_ids(actor)
    query = select(Cohort).order_by(Cohort.starts_on.desc(), Cohort.code)
    if cohorts is not None:
        query = query.where(Cohort.id.in_(cohorts))
    return list(db.session.scalars(query))


def find(identifier: str) -> User | None:
    """An account by email or numeric id (the command line accepts both)."""
    if identifier.isdigit():
        return db.session.get(User, int(identifier))
    return accounts.find_user_by_email(identifier)


# Editing ------------------------------------------------------------------------------

def _clean(fields: dict) -> dict:
    """Normalized values; PeopleError naming the first field that is wrong."""
    clean = {}
    for key in EDITABLE:
        if key not in fields or fields[key] is None:
            continue
        value = " ".join(str(fields[key]).split())
        if key in MAX_LENGTHS and key != "full_name" and len(value) > MAX_LENGTHS[key]:
            raise PeopleError(key, _("%(field)s has at most %(max)d characters; this one has "
                                     "%(n)d.", field=field_label(key), max=MAX_LENGTHS[key],
                                     n=len(value)))
        clean[key] = value
    if "full_name" in clean:
        clean["full_name"] = check_name(clean["full_name"])
    if "nip" in clean:
        clean["nip"] = clean["nip"].replace(" ", "") or None
        if clean["nip"] is not None and not re.fullmatch(r"\d{18}", clean["nip"]):
            raise PeopleError("nip", _("A NIP has exactly 18 digits."))
    if "email" in clean:
        try:
            clean["email"] = accounts.normalize_email(validate_email(
                clean["email"], check_deliverability=False).normalized)
        except EmailNotValidError:
            raise PeopleError("email", _("%(email)s is not an email address.",
                                         email=clean["email"][:254])) from None
    return clean


def field_label(key: str) -> str:
    return {"full_name": _("Name as printed on certificates"), "academic_title":
            _("Academic title"), "nip": _("NIP"), "institution": _("Institution or library"),
            "position": _("Position"), "email": _("Email")}[key]


def check_name(name: str) -> str:
    """A name as it will be printed: 3 to 200 characters, spaces tidied."""
    name = " ".join((name or "").split())
    if not name:
        raise PeopleError("full_name", _("Write the name as it should be printed on the "
                                    "certificate."))
    if len(name) > MAX_LENGTHS["full_name"]:
        raise PeopleError("full_name", _("A name has at most %(max)d characters; this one has "
                                    "%(n)d.", max=MAX_LENGTHS["full_name"], n=len(name)))
    if len(name) < 3:
        raise PeopleError("full_name", _("A name has at least 3 characters."))
    return name


def update_person(user: User, fields: dict, actor: User | None) -> dict:
    """Change the account's details; returns {field: [before, after]} (empty: nothing
    changed). Refuses a bad value, naming it, and an email another account uses. The old
    address is told when the email changes."""
    clean = _clean(fields)
    if "email" in clean and clean["email"] != user.email:
        taken = db.session.scalar(select(func.count()).select_from(User).where(
            User.email == clean["email"], User.id != user.id))
        if taken:
            raise PeopleError("email", _("Another account already uses %(email)s.",
                                         email=clean["email"]))
    before = {key: getattr(user, key) for key in clean}
    for key, value in clean.items():
        setattr(user, key, value)
    changes = audit.diff(before, clean)
    if changes:
        audit.record(_id(actor), "person.update", "user", user.id, user.email, changes)
        if "email" in changes:
            queue_mail(before["email"], _("Your email address was changed"),
                       _("The email address of your account was changed to %(email)s by "
                         "%(who)s. If this is wrong, contact the training organiser.",
                         email=user.email, who=_who(actor)))
    db.session.flush()
    return changes


def _id(actor: User | None) -> int | None:
    return actor.id if actor is not None else None


def _who(actor: User | None) -> str:
    return actor.full_name if actor is not None else _("an administrator")


def _active_admin_ids() -> list[int]:
    """Locked until commit, so two admins removing each other at once cannot leave none."""
    return list(db.session.scalars(select(User.id).where(
        User.role == Role.ADMIN.value, User.is_active_account.is_(True)).with_for_update()))


def _refuse_last_admin(user: User) -> None:
    if user.role == Role.ADMIN.value and user.is_active_account and \
            _active_admin_ids() == [user.id]:
        raise PeopleError("last-admin", _("%(name)s is the last active administrator; make "
                                          "someone else an administrator first.",
                                          name=user.full_name))


def set_role(user: User, role: str, actor: User | None) -> bool:
    """Give the account another role (admins and the command line only). Refuses an
    unknown role, changing one's own role and taking away the last administrator.
    Returns False when the role was already that."""
    if actor is not None and not actor.has_role(Role.ADMIN):
        raise PeopleError("forbidden", _("Only administrators change roles."))
    if role not in {r.value for r in Role}:
        raise PeopleError("role", _("Unknown role %(role)s.", role=str(role)[:40]))
    if user.role == role:
        return False
    if actor is not None and actor.id == user.id:
        raise PeopleError("self", _("You cannot change your own role."))
    _refuse_last_admin(user)
    audit.record(_id(actor), "person.role", "user", user.id, user.email,
                 {"role": [user.role, role]})
    user.role = role
    # Signed in again, with the new role's pages; also ends what a stolen cookie could do.
    accounts.end_all_sessions(user)
    db.session.flush()
    return True


def deactivate(user: User, actor: User | None) -> None:
    """The account can no longer sign in and every session of it ends at once; its
    records (memberships, attempts, submissions, certificates) stay. Refuses one's own
    account, the last active administrator and an account already deactivated."""
    if not user.is_active_account:
        raise PeopleError("inactive", _("%(name)s is already deactivated.", name=user.full_name))
    if actor is not None and actor.id == user.id:
        raise PeopleError("self", _("You cannot deactivate your own account."))
    _refuse_last_admin(user)
    user.is_active_account = False
    accounts.end_all_sessions(user)
    audit.record(_id(actor), "person.deactivate", "user", user.id, user.email,
                 {"is_active_account": [True, False]})
    db.session.flush()


def reactivate(user: User, actor: User | None) -> None:
    """The account may sign in again with its password. Refuses an active account."""
    if user.is_active_account:
        raise PeopleError("active", _("%(name)s is already active.", name=user.full_name))
    user.is_active_account = True
    audit.record(_id(actor), "person.reactivate", "user", user.id, user.email,
                 {"is_active_account": [False, True]})
    db.session.flush()


def send_reset_link(user: User, actor: User | None) -> str:
    """Mail the account a link to choose a new password (the same link as "forgot
    password": two days, works once) and return it. Refuses a deactivated account."""
    if not user.is_active_account:
        raise PeopleError("inactive", _("%(name)s is deactivated; reactivate the account "
                                        "first.", name=user.full_name))
    link = external_url("auth.reset", token=accounts.reset_token(user))
    queue_mail(user.email, _("Choose a new password"),
               _("%(who)s has sent you a link to choose a new password. Open it within two "
                 "days:\n\n%(link)s", who=_who(actor), link=link))
    audit.record(_id(actor), "person.reset_link", "user", user.id, user.email)
    db.session.flush()
    return link


# Certificates ---------------------------------------------------------------------------

def reissue_certificate(certificate: Certificate, actor: User | None) -> Certificate:
    """Reissue after a name correction: the one place people calls into certificates for
    it (certificates.revisions.reissue_for_name_correction keeps the old one as
    superseded and reuses its completion snapshot, never re-evaluating completion against
    today's content). Refuses a certificate that already carries the holder's current name."""
    if certificate.holder_name == certificate.user.full_name:
        raise PeopleError("same-name", _("Certificate %(number)s already carries the name "
                                         "%(name)s.", number=certificate.number,
                                         name=certificate.holder_name))
    try:
        return revisions.reissue_for_name_correction(certificate, None, _id(actor))
    except certificate_services.CertificateError as exc:
        raise PeopleError(exc.code, exc.detail or str(exc)) from None


# One's own profile ----------------------------------------------------------------------

OWN_FIELDS = ("full_name", "academic_title", "nip", "institution", "position")


def valid_certificates(user: User) -> list[Certificate]:
    return list(db.session.scalars(select(Certificate).where(
        Certificate.user_id == user.id, Certificate.status == "valid")
        .order_by(Certificate.issued_at.desc(), Certificate.id.desc())))


def update_own_profile(user: User, fields: dict) -> dict:
    """What anyone may change on their own account. The name only while no valid
    certificate prints it; after that a correction request goes to the coordinators."""
    fields = {key: value for key, value in fields.items() if key in OWN_FIELDS}
    if "full_name" in fields and check_name(fields["full_name"]) != user.full_name \
            and valid_certificates(user):
        raise PeopleError("name-locked", _("Your name is printed on a certificate: ask for a "
                                         "correction below instead."))
    return update_person(user, fields, user)
