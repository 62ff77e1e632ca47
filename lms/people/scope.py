"""Which programs a coordinator looks after.

A coordinator with no program here manages every program (a small site needs no setup);
one limited to some programs manages only their cohorts: the cohort pages, certificates,
people and corrections of other programs answer 403 or 404, and the attempt is audited
(lms/cohorts/access.py). Admins manage everything and are never limited.
"""

from flask_babel import gettext as _
from sqlalchemy import delete, select

from lms.audit import services as audit
from lms.auth.models import Role, User
from lms.cohorts.models import ProgramCoordinator
from lms.courses.models import Program
from lms.extensions import db
from lms.people.services import PeopleError


def programs_of(user: User) -> list[Program]:
    """The programs the coordinator is limited to; empty means every program."""
    return list(db.session.scalars(
        select(Program).join(ProgramCoordinator, ProgramCoordinator.program_id == Program.id)
        .where(ProgramCoordinator.user_id == user.id).order_by(Program.slug)))


def set_programs(user: User, slugs: list[str], actor: User | None) -> bool:
    """Limit a coordinator to the programs named by slug (an empty list: every program).
    Admins and the command line only; refuses an unknown program and an account that is
    not a coordinator. Audited with before and after; False when nothing changed."""
    if actor is not None and not actor.has_role(Role.ADMIN):
        raise PeopleError("forbidden", _("Only administrators limit coordinators to programs."))
    if user.role != Role.COORDINATOR:
        raise PeopleError("role", _("Only coordinators are limited to programs."))
    wanted = sorted(set(slugs))
    found = {p.slug: p for p in db.session.scalars(select(Program).where(
        Program.slug.in_(wanted)))}
    unknown = [slug for slug in wanted if slug not in found]
    if unknown:
        raise PeopleError("program", _("Unknown program: %(slugs)s.",
                                       slugs=", ".join(s[:60] for s in unknown)))
    before = [p.slug for p in programs_of(user)]
    if before == wanted:
        return False
    db.session.execute(delete(ProgramCoordinator).where(ProgramCoordinator.user_id == user.id))
    for slug in wanted:
        db.session.add(ProgramCoordinator(program_id=found[slug].id, user_id=user.id))
    audit.record(actor.id if actor else None, "person.programs", "user", user.id, user.email,
                 {"programs": [before, wanted]})
    db.session.flush()
    return True
