"""The cohort's progress grid: participants × modules and quizzes.

Six queries whatever the size of the cohort or the program: courses, modules,
quizzes, members, module progress, attempts. Everything else happens in Python.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, select

from lms.assignments.models import Assignment, Submission
from lms.auth.models import User
from lms.cohorts.models import Cohort, CohortMember, MemberStatus
from lms.courses.models import Course, Module, ModuleProgress, ProgramCourse
from lms.extensions import db
from lms.quizzes.models import Attempt, Quiz
from lms.quizzes.services import grade_by_method

SORTS = ("name", "institution", "percent", "activity")


@dataclass
class GridColumn:
    key: str
    kind: str  # "module", "quiz" or "assignment"
    title: str
    course: Course
    item: object = None  # the Module, Quiz or Assignment


@dataclass
class GridRow:
    member: CohortMember
    user: User
    cells: dict[str, str | float | None] = field(default_factory=dict)
    done: int = 0
    last_activity: datetime | None = None

    def percent(self, total: int) -> float:
        return round(100 * self.done / total, 1) if total else 0.0

    def values(self, columns: list[GridColumn]) -> list[str | float | None]:
        """The cells in column order (one dictionary lookup each, done once)."""
        get = self.cells.get
        return [get(c.key) for c in columns]


@dataclass
class Grid:
    columns: list[GridColumn]
    rows: list[GridRow]
    courses: list[Course]

    @property
    def total(self) -> int:
        return len(self.columns)


def progress_grid(cohort: Cohort, *, search: str = "", sort: str = "name",
                  descending: bool = False, completion: str = "") -> Grid:
    courses = list(db.session.scalars(
        select(Course).join(ProgramCourse, ProgramCourse.course_id == Course.id)
        .where(ProgramCourse.program_id == cohort.program_id).order_by(ProgramCourse.position)))
    order = {c.id: i for i, c in enumerate(courses)}
    by_id = {c.id: c for c in courses}
    modules = sorted(db.session.scalars(select(Module).where(
        Module.course_id.in_(list(by_id)), Module.is_active.is_(True))),
        key=lambda m: (order[m.course_id], m.position))
    quizzes = sorted(db.session.scalars(select(Quiz).where(
        Quiz.course_id.in_(list(by_id)), Quiz.is_active.is_(True))),
        key=lambda q: (order[q.course_id], q.position))
    assignments = sorted(db.session.scalars(select(Assignment).where(
        Assignment.course_id.in_(list(by_id)), Assignment.is_active.is_(True))),
        key=lambda a: (order[a.course_id], a.position))
    columns = []
    for course in courses:
        columns += [GridColumn(f"m{m.id}", "module", m.title, course, m)
                    for m in modules if m.course_id == course.id]
        columns += [GridColumn(f"q{q.id}", "quiz", q.title, course, q)
                    for q in quizzes if q.course_id == course.id]
        columns += [GridColumn(f"a{a.id}", "assignment", a.title, course, a)
                    for a in assignments if a.course_id == course.id]

    accepted = (CohortMember.cohort_id == cohort.id) & (
        CohortMember.status == MemberStatus.ACCEPTED)
    rows = {member.user_id: GridRow(member=member, user=user) for member, user in
            db.session.execute(select(CohortMember, User).join(
                User, User.id == CohortMember.user_id).where(accepted))}

    for user_id, module_id, completed, viewed in db.session.execute(
            select(ModuleProgress.user_id, ModuleProgress.module_id, ModuleProgress.completed_at,
                   ModuleProgress.last_viewed_at)
            .join(CohortMember, CohortMember.user_id == ModuleProgress.user_id)
            .where(accepted, ModuleProgress.module_id.in_([m.id for m in modules]))):
        row = rows[user_id]
        row.cells[f"m{module_id}"] = "done" if completed else "started"
        row.done += 1 if completed else 0
        row.last_activity = max(filter(None, (row.last_activity, viewed)), default=None)

    attempts: dict[tuple[int, int], list[Attempt]] = defaultdict(list)
    for attempt in db.session.scalars(
            select(Attempt).join(CohortMember, CohortMember.user_id == Attempt.user_id)
            .where(accepted, Attempt.quiz_id.in_([q.id for q in quizzes]))
            .order_by(Attempt.number)):
        attempts[(attempt.user_id, attempt.quiz_id)].append(attempt)
        row = rows[attempt.user_id]
        moment = attempt.finished_at or attempt.started_at
        row.last_activity = max(filter(None, (row.last_activity, moment)), default=None)
    quiz_by_id = {q.id: q for q in quizzes}
    for (user_id, quiz_id), tries in attempts.items():
        quiz = quiz_by_id[quiz_id]
        grade = grade_by_method(tries, quiz.grading)
        row = rows[user_id]
        if grade is not None:
            row.cells[f"q{quiz_id}"] = grade
            row.done += 1
        else:
            row.cells[f"q{quiz_id}"] = "started"

    # The latest submission of each participant per assignment: its grade counts.
    latest = (select(Submission.user_id, Submission.assignment_id,
                     func.max(Submission.number).label("n"))
              .where(Submission.cohort_id == cohort.id,
                     Submission.assignment_id.in_([a.id for a in assignments]))
              .group_by(Submission.user_id, Submission.assignment_id).subquery())
    for submission in db.session.scalars(
            select(Submission).join(latest, (latest.c.user_id == Submission.user_id)
                                    & (latest.c.assignment_id == Submission.assignment_id)
                                    & (latest.c.n == Submission.number))
            .where(Submission.cohort_id == cohort.id)):
        row = rows.get(submission.user_id)
        if row is None:
            continue
        key = f"a{submission.assignment_id}"
        if submission.status == "graded" and submission.score is not None:
            row.cells[key] = submission.score
            row.done += 1
        else:
            row.cells[key] = "started"
        row.last_activity = max(filter(None, (row.last_activity, submission.submitted_at)),
                                default=None)

    result = list(rows.values())
    if search:
        needle = search.casefold()
        result = [r for r in result if needle in r.user.full_name.casefold()
                  or needle in r.user.email or needle in (r.user.institution or "").casefold()]
    total = len(columns)
    if completion == "complete":
        result = [r for r in result if total and r.done == total]
    elif completion == "incomplete":
        result = [r for r in result if r.done < total]
    keys = {
        "name": lambda r: r.user.full_name.casefold(),
        "institution": lambda r: ((r.user.institution or "").casefold(),
                                  r.user.full_name.casefold()),
        "percent": lambda r: (r.done, r.user.full_name.casefold()),
        "activity": lambda r: (r.last_activity or datetime.min, r.user.full_name.casefold()),
    }
    result.sort(key=keys.get(sort, keys["name"]), reverse=descending)
    return Grid(columns=columns, rows=result, courses=courses)
