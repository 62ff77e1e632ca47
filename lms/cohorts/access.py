"""One answer to "may this person see this cohort, this course in this cohort".

A person's standing in a cohort (coordinator or admin, accepted participant, the courses
they teach there) is read once per request, in two queries, into a CohortAccess that is
then asked freely. `cohort_required` is the one view decorator of pages under a cohort's
`code`. Rules that belong to one feature (who moderates a forum, who schedules a live
session) are small functions in that feature that take a CohortAccess.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import wraps

from flask import abort, has_request_context, request
from flask_login import current_user, login_required
from sqlalchemy import select

from lms.audit import services as audit
from lms.auth.access import is_manager
from lms.auth.models import Role
from lms.cohorts.models import (
    Cohort,
    CohortInstructor,
    CohortMember,
    MemberStatus,
    ProgramCoordinator,
)
from lms.cohorts.services import get_cohort
from lms.extensions import db

LEVELS = ("known", "view", "watch", "manage")
_CACHE = "lms.cohort_access"


@dataclass(frozen=True)
class CohortAccess:
    """What one person may do in one cohort."""

    cohort: Cohort
    user_id: int | None  # None: not signed in
    manager: bool  # an admin, or a coordinator of the cohort's program: every course
    participant: bool  # an accepted member
    taught: frozenset[int]  # ids of the courses the person teaches in this cohort

    @property
    def may_view(self) -> bool:
        """Its pages at all (forums, schedule): members, its instructors, managers."""
        return self.manager or self.participant or bool(self.taught)

    @property
    def may_watch(self) -> bool:
        """Everyone's progress (grid, attendance register, reports): staff of the cohort."""
        return self.manager or bool(self.taught)

    @property
    def instructs(self) -> bool:
        return bool(self.taught)

    def teaches(self, course_id: int | None) -> bool:
        return course_id is not None and course_id in self.taught

    def may_grade(self, course_id: int | None) -> bool:
        """Participants' work in a course of the cohort: managers and its instructors."""
        return self.manager or self.teaches(course_id)


def _cache() -> dict | None:
    # Per request, not in flask.g: g belongs to the app context, which outlives a request
    # whenever the caller pushed one (the CLI, tests), and a standing must not go stale.
    return request.environ.setdefault(_CACHE, {}) if has_request_context() else None


def managed_program_ids(user) -> frozenset[int] | None:
    """The programs whose cohorts the person manages: None for every program (admins, and
    coordinators not limited to any program), an empty set for everyone else. One query
    per request for a coordinator."""
    if not is_manager(user):
        return frozenset()
    if user.has_role(Role.ADMIN):
        return None
    cache = _cache()
    key = ("programs", user.id)
    if cache is not None and key in cache:
        return cache[key]
    found = frozenset(db.session.scalars(select(ProgramCoordinator.program_id).where(
        ProgramCoordinator.user_id == user.id))) or None
    if cache is not None:
        cache[key] = found
    return found


def manages(user, cohort: Cohort) -> bool:
    """Whether the person is an admin, or a coordinator of the cohort's program."""
    scope = managed_program_ids(user)
    return is_manager(user) and (scope is None or cohort.program_id in scope)


def cohort_access(cohort: Cohort, user=None) -> CohortAccess:
    """The standing of user (the signed-in person by default) in cohort, read at most once
    per request: the courses taught there, then the membership."""
    user = current_user if user is None else user
    if not user.is_authenticated:
        return CohortAccess(cohort, None, False, False, frozenset())
    cache = _cache()
    key = (cohort.id, user.id)
    if cache is not None and key in cache:
        return cache[key]
    taught = frozenset(db.session.scalars(select(CohortInstructor.course_id).where(
        CohortInstructor.cohort_id == cohort.id, CohortInstructor.user_id == user.id)))
    status = db.session.scalar(select(CohortMember.status).where(
        CohortMember.cohort_id == cohort.id, CohortMember.user_id == user.id))
    found = CohortAccess(cohort, user.id, manages(user, cohort),
                         status == MemberStatus.ACCEPTED, taught)
    if cache is not None:
        cache[key] = found
    return found


def cohort_required(level: str = "view"):
    """Pages of the cohort named by the `code` URL argument; the view receives `access`.

    Visitors who are not signed in are sent to sign in. Then, by level:
    "known": any signed-in person; 404 for an unknown cohort.
    "view": members, its instructors and managers; 404 for everyone else (the cohort is
    not revealed).
    "watch": its instructors and managers; 403 for everyone else.
    "manage": coordinators and admins; 403 for everyone else, asked before the cohort is
    looked up; a coordinator limited to other programs also gets 403, and the refusal is
    written to the audit log.
    """
    if level not in LEVELS:
        raise ValueError(f"unknown access level {level!r}")

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if level == "manage" and not is_manager(current_user):
                abort(403)
            cohort = get_cohort(kwargs["code"])
            if cohort is None:
                abort(404)
            access = cohort_access(cohort)
            if level == "manage" and not access.manager:
                refuse_outside_programs(cohort)
            if level == "view" and not access.may_view:
                abort(404)
            if level == "watch" and not access.may_watch:
                abort(403)
            return view(*args, access=access, **kwargs)

        return wrapped

    return decorator


def refuse_outside_programs(cohort: Cohort):
    """403 for a coordinator acting on a cohort of a program they do not coordinate; the
    attempt is audited (committed on its own, since the request ends here)."""
    audit.record(current_user.id, "cohort.refused", "cohort", cohort.id,
                 f"{request.method} {request.path}"[:200])
    db.session.commit()
    abort(403)


def visible_participant_ids(user, course_id: int) -> set[int] | None:
    """Whose results in a course (all cohorts) a person may see: None means everyone
    (managers); an instructor sees the accepted participants of the cohorts where they
    teach that course; anyone else nobody."""
    scope = managed_program_ids(user)
    if is_manager(user) and scope is None:
        return None
    cohorts = select(CohortInstructor.cohort_id).where(
        CohortInstructor.user_id == user.id, CohortInstructor.course_id == course_id)
    if scope:
        cohorts = select(Cohort.id).where(Cohort.program_id.in_(sorted(scope))).union(cohorts)
    return set(db.session.scalars(select(CohortMember.user_id).where(
        CohortMember.cohort_id.in_(cohorts), CohortMember.status == MemberStatus.ACCEPTED)))


def taught_cohort_ids(user_id: int) -> set[int]:
    """The cohorts in which the person teaches at least one course (one query)."""
    return set(db.session.scalars(select(CohortInstructor.cohort_id).where(
        CohortInstructor.user_id == user_id)))
