"""Everyone's progress in a cohort, in a constant number of queries.

Ten statements whatever the size of the cohort or the program: courses, modules,
quizzes, assignments, members, module progress, attempts, latest submissions,
attendance, evaluations (none of the last two for a cohort with nobody accepted).
Everything else happens in Python.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from sqlalchemy import Row, func, select

from lms.assignments.models import Assignment, Submission
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
    Item,
    ItemProgress,
    PersonProgress,
)
from lms.quizzes.models import Attempt, Quiz
from lms.quizzes.services import grade_by_method


def _later(first: datetime | None, second: datetime | None) -> datetime | None:
    if first is None or (second is not None and second > first):
        return second
    return first


def outline(cohort: Cohort) -> tuple[Course, ...]:
    """The program's courses in order, each with its active modules, quizzes and
    assignments in position order (four queries)."""
    rows = list(db.session.scalars(
        select(CourseRow).join(ProgramCourse, ProgramCourse.course_id == CourseRow.id)
        .where(ProgramCourse.program_id == cohort.program_id)
        .order_by(ProgramCourse.position)))
    ids = [c.id for c in rows]
    items: dict[int, list[Item]] = defaultdict(list)
    for model, kind in ((Module, MODULE), (Quiz, QUIZ), (Assignment, ASSIGNMENT)):
        for found in sorted(db.session.scalars(select(model).where(
                model.course_id.in_(ids), model.is_active.is_(True))),
                key=lambda r: r.position):
            items[found.course_id].append(Item(
                kind, found.id, found.slug, found.title,
                quiz_kind=found.kind if kind == QUIZ else None,
                pass_mark=getattr(found, "pass_mark", None),
                grading=found.grading if kind == QUIZ else None))
    return tuple(Course(c.id, c.slug, c.title, c.hours_jp, tuple(items[c.id])) for c in rows)


def for_cohort(cohort: Cohort, *, user_id: int | None = None) -> CohortProgress:
    """Everyone's progress in the cohort (only user_id's when given), in a number of
    queries that does not grow with the cohort or the program. Only accepted
    participants have progress; `CohortProgress.of` gives nothing done for anyone else."""
    from lms.evaluations.services import submitted_user_ids
    from lms.live.services import attendance_percent_by_user

    courses = outline(cohort)
    items = [i for c in courses for i in c.items]
    accepted = (CohortMember.cohort_id == cohort.id) & (
        CohortMember.status == MemberStatus.ACCEPTED)
    if user_id is not None:
        accepted = accepted & (CohortMember.user_id == user_id)
    members = tuple((member, user) for member, user in db.session.execute(
        select(CohortMember, User).join(User, User.id == CohortMember.user_id).where(accepted)))
    results: dict[int, dict[str, ItemProgress]] = {m.user_id: {} for m, _u in members}
    activity: dict[int, datetime | None] = dict.fromkeys(results)
    by_key = {i.key: i for i in items}

    module_ids = [i.id for i in items if i.kind == MODULE]
    for uid, module_id, completed, viewed in db.session.execute(
            select(ModuleProgress.user_id, ModuleProgress.module_id,
                   ModuleProgress.completed_at, ModuleProgress.last_viewed_at)
            .join(CohortMember, CohortMember.user_id == ModuleProgress.user_id)
            .where(accepted, ModuleProgress.module_id.in_(module_ids))):
        item = by_key[f"m{module_id}"]
        results[uid][item.key] = ItemProgress(item, DONE if completed else STARTED)
        activity[uid] = _later(activity[uid], viewed)

    # Plain rows, not Attempt objects: grade_by_method reads finished_at and percent only,
    # and loading thousands of ORM objects was most of the grid's time.
    attempts: dict[tuple[int, int], list[Row]] = defaultdict(list)
    for attempt in db.session.execute(
            select(Attempt.user_id, Attempt.quiz_id, Attempt.started_at, Attempt.finished_at,
                   Attempt.percent)
            .join(CohortMember, CohortMember.user_id == Attempt.user_id)
            .where(accepted, Attempt.quiz_id.in_([i.id for i in items if i.kind == QUIZ]))
            .order_by(Attempt.number)):
        attempts[(attempt.user_id, attempt.quiz_id)].append(attempt)
        activity[attempt.user_id] = _later(activity[attempt.user_id],
                                           attempt.finished_at or attempt.started_at)
    for (uid, quiz_id), tries in attempts.items():
        item = by_key[f"q{quiz_id}"]
        grade = grade_by_method(tries, item.grading)
        results[uid][item.key] = ItemProgress(item, STARTED if grade is None else DONE, grade)

    # The latest submission of each participant per assignment: its grade counts.
    latest = (select(Submission.user_id, Submission.assignment_id,
                     func.max(Submission.number).label("n"))
              .where(Submission.cohort_id == cohort.id, Submission.assignment_id.in_(
                  [i.id for i in items if i.kind == ASSIGNMENT]))
              .group_by(Submission.user_id, Submission.assignment_id).subquery())
    for submission in db.session.scalars(
            select(Submission).join(latest, (latest.c.user_id == Submission.user_id)
                                    & (latest.c.assignment_id == Submission.assignment_id)
                                    & (latest.c.n == Submission.number))
            .where(Submission.cohort_id == cohort.id)):
        if submission.user_id not in results:
            continue
        item = by_key[f"a{submission.assignment_id}"]
        graded = submission.status == "graded" and submission.score is not None
        results[submission.user_id][item.key] = ItemProgress(
            item, DONE if graded else STARTED, submission.score if graded else None)
        activity[submission.user_id] = _later(activity[submission.user_id],
                                              submission.submitted_at)

    attendance = attendance_percent_by_user(cohort.id) if members else {}
    evaluated = submitted_user_ids(cohort.id) if members else set()
    people = {}
    # "Not begun" is the same frozen value for everyone: one per item, not one per cell.
    blank = {i.key: ItemProgress(i) for i in items}
    layout = [(c, tuple(i.key for i in c.items)) for c in courses]
    for member, _user in members:
        uid = member.user_id
        mine = results[uid]
        people[uid] = PersonProgress(
            uid, tuple(CourseProgress(c, tuple(mine.get(k) or blank[k] for k in keys))
                       for c, keys in layout),
            last_activity=activity[uid], attendance_percent=attendance.get(uid, 0.0),
            evaluation_done=uid in evaluated)
    return CohortProgress(cohort.id, courses, people, members)
