"""Everyone's progress in a cohort, in a constant number of queries.

`for_cohort`: ten statements whatever the size of the cohort or the program: courses,
modules, quizzes, assignments, members, module progress, attempts, latest submissions,
attendance, evaluations (none of the last two for a cohort with nobody accepted).
`for_person`: the same ten for one person across all their cohorts, however many.
`for_course`: one course for one person (the course page), seven at most.
Everything else happens in Python.
"""

from __future__ import annotations

import functools
from collections import defaultdict, namedtuple
from datetime import datetime

from sqlalchemy import String, bindparam, case, cast, func, select

from lms.assignments.models import Assignment, Submission
from lms.assignments.services import due_at
from lms.auth.models import User
from lms.cohorts.models import Cohort, CohortMember, MemberStatus
from lms.courses.models import Course as CourseRow
from lms.courses.models import Module, ModuleProgress, ProgramCourse
from lms.extensions import db
from lms.progress.model import (
    ASSIGNMENT,
    DONE,
    MODULE,
    QUIZ,
    STARTED,
    CohortProgress,
    Course,
    CourseProgress,
    Enrolment,
    Item,
    ItemProgress,
    PersonOverview,
    PersonProgress,
)
from lms.quizzes.models import Attempt, Quiz
from lms.quizzes.services import grade_by_method
from lms.statements import prepared, rows


def _later(first: datetime | None, second: datetime | None) -> datetime | None:
    if first is None or (second is not None and second > first):
        return second
    return first


def _items(course_ids: list[int], modules: list[Module] | None = None
           ) -> dict[int, list[Item]]:
    """Each course's active modules, quizzes and assignments in position order (three
    statements of the columns an Item needs, built once per process; two when the caller
    has the active modules already)."""
    items: dict[int, list[Item]] = defaultdict(list)
    if not course_ids:
        return items
    ids = {"course_ids": list(course_ids)}
    for statement, kind in ((_module_items, MODULE), (_quiz_items, QUIZ),
                            (_assignment_items, ASSIGNMENT)):
        found_rows = modules if kind == MODULE and modules is not None \
            else rows(statement(), ids)
        for found in sorted(found_rows, key=lambda r: r.position):
            quiz = kind == QUIZ
            items[found.course_id].append(Item(
                kind, found.id, found.slug, found.title,
                quiz_kind=found.kind if quiz else None,
                pass_mark=getattr(found, "pass_mark", None),
                grading=found.grading if quiz else None,
                attempts_allowed=found.attempts_allowed if quiz else None,
                opens_at=found.opens_at if quiz else None,
                closes_at=found.closes_at if quiz else None,
                due_days=found.due_days if kind == ASSIGNMENT else None,
                max_score=found.max_score if kind == ASSIGNMENT else None))
    return items


def _active_of(model, *columns):
    return (select(model.id, model.course_id, model.slug, model.title, model.position,
                   *columns)
            .where(model.course_id.in_(bindparam("course_ids", expanding=True)),
                   model.is_active.is_(True)))


@prepared
def _module_items():
    return _active_of(Module)


@prepared
def _quiz_items():
    return _active_of(Quiz, Quiz.kind, Quiz.pass_mark, Quiz.grading, Quiz.attempts_allowed,
                      Quiz.opens_at, Quiz.closes_at)


@prepared
def _assignment_items():
    return _active_of(Assignment, Assignment.pass_mark, Assignment.due_days,
                      Assignment.max_score)


def outlines(program_ids: set[int]) -> dict[int, tuple[Course, ...]]:
    """Each program's courses in order, each with its active modules, quizzes and
    assignments in position order (four queries for any number of programs)."""
    rows = list(db.session.execute(
        select(ProgramCourse.program_id, CourseRow)
        .join(CourseRow, ProgramCourse.course_id == CourseRow.id)
        .where(ProgramCourse.program_id.in_(program_ids))
        .order_by(ProgramCourse.program_id, ProgramCourse.position)))
    items = _items(sorted({c.id for _p, c in rows}))
    found: dict[int, list[Course]] = {p: [] for p in program_ids}
    for program_id, c in rows:
        found[program_id].append(
            Course(c.id, c.slug, c.title, c.hours_jp, tuple(items[c.id]), c.is_published))
    return {p: tuple(courses) for p, courses in found.items()}


def outline(cohort: Cohort) -> tuple[Course, ...]:
    """The program's courses in order, each with its items (four queries)."""
    return outlines({cohort.program_id})[cohort.program_id]


class _Results:
    """The rows of the four progress queries, folded into ItemProgress per person and
    item key, with each person's last activity."""

    def __init__(self, items: list[Item]):
        self.by_key = {i.key: i for i in items}
        self.found: dict[int, dict[str, ItemProgress]] = defaultdict(dict)
        self.activity: dict[int, datetime | None] = {}

    def _touch(self, user_id: int, moment: datetime | None) -> None:
        self.activity[user_id] = _later(self.activity.get(user_id), moment)

    def modules(self, rows) -> None:
        """Rows of `_module_rows`: one per person, the ids of the modules they completed
        and of those they only opened, and their last view. A module is done or started,
        nothing else: one frozen value per module and state, shared by everyone."""
        modules = [i for i in self.by_key.values() if i.kind == MODULE]
        done = {str(i.id): (i.key, ItemProgress(i, DONE)) for i in modules}
        started = {str(i.id): (i.key, ItemProgress(i, STARTED)) for i in modules}
        for uid, completed, opened, viewed in rows:
            mine = self.found[uid]
            if completed:
                mine.update([done[m] for m in completed.split(",")])
            if opened:
                mine.update([started[m] for m in opened.split(",")])
            self._touch(uid, viewed)

    def attempts(self, rows) -> None:
        """Rows of _ATTEMPT_COLUMNS, each person's in attempt order."""
        # Named tuples, not Attempt objects nor SQLAlchemy rows: grade_by_method reads
        # finished_at and percent only; loading thousands of ORM objects was most of the
        # grid's time, and a Row's attribute access (through __getattr__) was still 0.8 µs.
        tries: dict[tuple[int, int], list[_Attempt]] = defaultdict(list)
        activity = self.activity
        for attempt in map(_Attempt._make, rows):
            uid = attempt.user_id
            tries[(uid, attempt.quiz_id)].append(attempt)
            moment = attempt.finished_at or attempt.started_at
            last = activity.get(uid)
            if last is None or (moment is not None and moment > last):
                activity[uid] = moment
        quizzes = {i.id: i for i in self.by_key.values() if i.kind == QUIZ}
        # Equal results share one frozen value (a 1,000-person grid made 4,000).
        shared: dict[tuple, ItemProgress] = {}
        for (uid, quiz_id), mine in tries.items():
            item = quizzes[quiz_id]
            grade = grade_by_method(mine, item.grading)
            in_progress = waiting = False
            for a in mine:
                if a.finished_at is None:
                    in_progress = True
                elif a.needs_grading:
                    waiting = True
            key = (quiz_id, grade, len(mine), in_progress, waiting)
            progress = shared.get(key)
            if progress is None:
                progress = shared[key] = ItemProgress(
                    item, STARTED if grade is None else DONE, grade, attempts=len(mine),
                    in_progress=in_progress, waiting=waiting)
            self.found[uid][item.key] = progress

    def submissions(self, rows, cohorts: dict[int, Cohort]) -> None:
        for submission in rows:
            item = self.by_key[f"a{submission.assignment_id}"]
            graded = submission.status == "graded" and submission.score is not None
            self.found[submission.user_id][item.key] = ItemProgress(
                item, DONE if graded else STARTED, submission.score if graded else None,
                status=submission.status, due_at=due_at(item, cohorts[submission.cohort_id]))
            self._touch(submission.user_id, submission.submitted_at)

    def person(self, user_id: int, courses: tuple[Course, ...], cohort: Cohort, *,
               attendance: float, evaluated: bool,
               blanks: dict[int, tuple[ItemProgress, ...]] | None = None
               ) -> PersonProgress:
        """user_id's progress in `courses`. blanks: each course's items not begun, by
        course id (`_blank_rows`), when the caller builds many people's."""
        if blanks is None:
            blanks = _blank_rows(courses, cohort)
        # The person's value or the blank, item by item, without a Python step per item
        # (a 1,000-person grid has 40,000 of them).
        get = self.found.get(user_id, {}).get
        return PersonProgress(
            user_id, tuple(CourseProgress(c, tuple(map(get, c.keys, blanks[c.id])))
                           for c in courses),
            last_activity=self.activity.get(user_id), attendance_percent=attendance,
            evaluation_done=evaluated)


def _blanks(items: list[Item], cohort: Cohort | None) -> dict[str, ItemProgress]:
    """Each item not begun (an assignment with its due date in the cohort, if any)."""
    return {i.key: ItemProgress(i, due_at=due_at(i, cohort))
            if i.kind == ASSIGNMENT and cohort is not None else ItemProgress(i)
            for i in items}


def _blank_rows(courses: tuple[Course, ...], cohort: Cohort | None
                ) -> dict[int, tuple[ItemProgress, ...]]:
    """Each course's items not begun, in order, by course id."""
    blanks = _blanks([i for c in courses for i in c.items], cohort)
    return {c.id: tuple(blanks[k] for k in c.keys) for c in courses}


def _module_rows():
    """Module progress grouped by person: user id, the ids of the modules completed and of
    those only opened (text, comma-separated; None for none), and the last view. One row
    per person instead of one per module: a 1,000-person cohort read 20,000 rows and
    parsed two dates in each."""
    done = ModuleProgress.completed_at.is_not(None)
    module_id = cast(ModuleProgress.module_id, String)
    return (select(ModuleProgress.user_id,
                   func.aggregate_strings(case((done, module_id)), ","),
                   func.aggregate_strings(case((~done, module_id)), ","),
                   func.max(ModuleProgress.last_viewed_at))
            .group_by(ModuleProgress.user_id))


_ATTEMPT_COLUMNS = (Attempt.user_id, Attempt.quiz_id, Attempt.started_at, Attempt.finished_at,
                    Attempt.percent, Attempt.needs_grading)
_Attempt = namedtuple("_Attempt", [c.key for c in _ATTEMPT_COLUMNS])


def _latest_submissions(cohort_ids: list[int], assignment_ids: list[int],
                        user_id: int | None = None):
    """The latest submission per person, assignment and cohort: its grade counts."""
    scope = Submission.cohort_id.in_(cohort_ids) & Submission.assignment_id.in_(assignment_ids)
    if user_id is not None:
        scope = scope & (Submission.user_id == user_id)
    latest = (select(Submission.user_id, Submission.assignment_id, Submission.cohort_id,
                     func.max(Submission.number).label("n"))
              .where(scope)
              .group_by(Submission.user_id, Submission.assignment_id, Submission.cohort_id)
              .subquery())
    return db.session.scalars(
        select(Submission).join(latest, (latest.c.user_id == Submission.user_id)
                                & (latest.c.assignment_id == Submission.assignment_id)
                                & (latest.c.cohort_id == Submission.cohort_id)
                                & (latest.c.n == Submission.number))
        .where(scope))


def _ids(items: list[Item], kind: str) -> list[int]:
    return [i.id for i in items if i.kind == kind]


def _personal_rows(results: _Results, user_id: int, items: list[Item]) -> None:
    """One person's modules and quiz attempts (whatever the cohort): a statement each,
    skipped when there is no such item."""
    if _ids(items, MODULE):
        results.modules(rows(_personal_modules(), {
            "user_id": user_id, "module_ids": _ids(items, MODULE)}))
    if _ids(items, QUIZ):
        results.attempts(rows(_personal_attempts(), {
            "user_id": user_id, "quiz_ids": _ids(items, QUIZ)}))


# The course page asks for one person's rows on every visit: built once per process.
@prepared
def _personal_modules():
    return _module_rows().where(
        ModuleProgress.user_id == bindparam("user_id"),
        ModuleProgress.module_id.in_(bindparam("module_ids", expanding=True)))


@prepared
def _personal_attempts():
    return (select(*_ATTEMPT_COLUMNS)
            .where(Attempt.user_id == bindparam("user_id"),
                   Attempt.quiz_id.in_(bindparam("quiz_ids", expanding=True)))
            .order_by(Attempt.number))


# What the progress grid and its CSV print of each person: a plain row with these
# attributes instead of a User (loading 1,000 CohortMember and User objects was half of a
# 1,000-person grid's time).
PERSON_COLUMNS = (User.id, User.full_name, User.email, User.institution, User.nip,
                  User.position)


@functools.cache
def _named(fields: tuple[str, ...]) -> type:
    return namedtuple("Person", fields)


def for_cohort(cohort: Cohort, *, user_id: int | None = None,
               person_columns: tuple | None = None) -> CohortProgress:
    """Everyone's progress in the cohort (only user_id's when given), in a number of
    queries that does not grow with the cohort or the program. Only accepted
    participants have progress; `CohortProgress.of` gives nothing done for anyone else.
    `members` holds (CohortMember, User) pairs, or with `person_columns` (e.g.
    PERSON_COLUMNS, User.id first) (None, named tuple of those columns) pairs."""
    from lms.evaluations.services import submitted_user_ids
    from lms.live.services import attendance_percent_by_user

    courses = outline(cohort)
    items = [i for c in courses for i in c.items]
    accepted = (CohortMember.cohort_id == cohort.id) & (
        CohortMember.status == MemberStatus.ACCEPTED)
    if user_id is not None:
        accepted = accepted & (CohortMember.user_id == user_id)
    if person_columns is None:
        members = tuple((member, user) for member, user in db.session.execute(
            select(CohortMember, User).join(User, User.id == CohortMember.user_id)
            .where(accepted)))
    else:
        # Named tuples: a Row answers attribute access through __getattr__ (0.8 µs), and
        # the grid reads each person's fields a few times.
        person = _named(tuple(c.key for c in person_columns))._make
        members = tuple((None, person(row)) for row in rows(
            select(*person_columns).join(CohortMember, User.id == CohortMember.user_id)
            .where(accepted)))
    results = _Results(items)
    # "+ 0" keeps the item ids out of the index choice: each person's rows are read
    # through the index on user_id (one range) instead of being probed in the
    # (user_id, module_id) and (quiz_id, user_id) indexes once per item, as SQLite's
    # planner chose (32,000 probes for 1,000 people and 32 modules: half the module
    # statement's time). The same rows on every database.
    results.modules(rows(
        _module_rows().join(CohortMember, CohortMember.user_id == ModuleProgress.user_id)
        .where(accepted, (ModuleProgress.module_id + 0).in_(_ids(items, MODULE)))))
    results.attempts(rows(
        select(*_ATTEMPT_COLUMNS)
        .join(CohortMember, CohortMember.user_id == Attempt.user_id)
        .where(accepted, (Attempt.quiz_id + 0).in_(_ids(items, QUIZ)))
        .order_by(Attempt.number)))
    members_ids = {u.id for _m, u in members}
    results.submissions((s for s in _latest_submissions([cohort.id], _ids(items, ASSIGNMENT),
                                                       user_id)
                         if s.user_id in members_ids), {cohort.id: cohort})

    attendance = attendance_percent_by_user(cohort.id) if members else {}
    evaluated = submitted_user_ids(cohort.id) if members else set()
    # "Not begun" is the same frozen value for everyone: one per item, not one per cell.
    blanks = _blank_rows(courses, cohort)
    people = {user.id: results.person(
        user.id, courses, cohort, attendance=attendance.get(user.id, 0.0),
        evaluated=user.id in evaluated, blanks=blanks) for _member, user in members}
    return CohortProgress(cohort.id, courses, people, members)


def for_person(user_id: int) -> PersonOverview:
    """user_id's progress in every cohort they are accepted in, earliest first, in ten
    statements however many cohorts, courses and items (fewer when there are none)."""
    from lms.evaluations.services import submitted_cohort_ids
    from lms.live.services import attendance_percent_of

    cohorts = list(db.session.scalars(
        select(Cohort).join(CohortMember, CohortMember.cohort_id == Cohort.id)
        .where(CohortMember.user_id == user_id, CohortMember.status == MemberStatus.ACCEPTED)
        .order_by(Cohort.starts_on, Cohort.id)))
    if not cohorts:
        return PersonOverview(user_id)
    programs = outlines({c.program_id for c in cohorts})
    items = list({i.key: i for courses in programs.values()
                  for c in courses for i in c.items}.values())
    results = _Results(items)
    _personal_rows(results, user_id, items)
    by_id = {c.id: c for c in cohorts}
    per_cohort: dict[int, _Results] = {c.id: _Results(items) for c in cohorts}
    if _ids(items, ASSIGNMENT):
        for submission in _latest_submissions(list(by_id), _ids(items, ASSIGNMENT), user_id):
            per_cohort[submission.cohort_id].submissions([submission], by_id)
    attendance = attendance_percent_of(user_id, list(by_id))
    evaluated = submitted_cohort_ids(user_id)
    enrolments = []
    for cohort in cohorts:
        # Modules and attempts are the person's, whatever the cohort; submissions are
        # per cohort.
        merged = _Results(items)
        merged.found = defaultdict(dict, {user_id: {
            **results.found.get(user_id, {}),
            **per_cohort[cohort.id].found.get(user_id, {})}})
        merged.activity = {user_id: _later(results.activity.get(user_id),
                                           per_cohort[cohort.id].activity.get(user_id))}
        enrolments.append(Enrolment(cohort, merged.person(
            user_id, programs[cohort.program_id], cohort,
            attendance=attendance.get(cohort.id, 0.0), evaluated=cohort.id in evaluated)))
    return PersonOverview(user_id, tuple(enrolments))


def for_course(course: CourseRow, user_id: int | None,
               modules: list[Module] | None = None) -> CourseProgress:
    """One course as user_id sees it on the course page, as `for_person` would give it:
    modules and quiz attempts are the person's own, assignments count in the later of the
    person's cohorts that hold the course. For someone in none of them (staff, visitors)
    assignments have no due date and no submission. `modules`: the course's active
    modules when the caller has them. Two to seven statements."""
    items = list(_items([course.id], modules)[course.id])
    outline_ = Course(course.id, course.slug, course.title, course.hours_jp, tuple(items),
                      course.is_published)
    results = _Results(items)
    cohort = None
    if user_id is not None:
        _personal_rows(results, user_id, items)
        if _ids(items, ASSIGNMENT):
            cohort = db.session.scalar(
                select(Cohort).join(CohortMember, CohortMember.cohort_id == Cohort.id)
                .join(ProgramCourse, ProgramCourse.program_id == Cohort.program_id)
                .where(CohortMember.user_id == user_id,
                       CohortMember.status == MemberStatus.ACCEPTED,
                       ProgramCourse.course_id == course.id)
                .order_by(Cohort.starts_on.desc(), Cohort.id.desc()).limit(1))
        if cohort is not None:
            results.submissions(_latest_submissions(
                [cohort.id], _ids(items, ASSIGNMENT), user_id), {cohort.id: cohort})
    mine = results.found.get(user_id, {}) if user_id is not None else {}
    blanks = _blanks(items, cohort)
    return CourseProgress(outline_, tuple(mine.get(i.key) or blanks[i.key] for i in items))
