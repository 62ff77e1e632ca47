"""What is next for a participant, in one place: sessions, quizzes, assignments, posts.

Read-only over quizzes, assignments and forums; a fixed number of queries however many
cohorts, courses and items there are.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select

from lms.assignments.models import Assignment, Submission
from lms.assignments.services import due_at
from lms.cohorts.models import Cohort, CohortMember, MemberStatus
from lms.courses.models import Course, ProgramCourse
from lms.extensions import db
from lms.live.models import Attendance, AttendanceStatus, LiveSession
from lms.live.services import upcoming_for
from lms.quizzes.models import Attempt, Quiz
from lms.quizzes.services import grade_by_method


@dataclass
class Task:
    kind: str  # "quiz" or "assignment"
    item: Quiz | Assignment
    course: Course
    cohort: Cohort
    due_at: datetime | None  # naive UTC; None: no deadline
    # quiz: "todo", "retry", "waiting" (an essay to be graded);
    # assignment: "todo", "returned" (for revision), "submitted" (waiting for a grade)
    state: str
    opens_at: datetime | None = None


@dataclass
class Agenda:
    sessions: list[LiveSession] = field(default_factory=list)
    tasks: list[Task] = field(default_factory=list)
    cohorts: list[Cohort] = field(default_factory=list)
    checked_in: set[int] = field(default_factory=set)  # ids of sessions checked in to
    unread_posts: int | None = None  # None: the forums cannot tell (yet)


def unread_posts(user_id: int) -> int | None:
    """The forums' unread count, while tolerating a forums feature without one."""
    try:
        from lms.forums.services import unread_count
    except (ImportError, AttributeError):
        return None
    try:
        return unread_count(user_id)
    except AttributeError:
        return None


def _quiz_state(quiz: Quiz, attempts: list[Attempt]) -> str | None:
    """What the participant still has to do with a quiz; None when nothing."""
    grade = grade_by_method(attempts, quiz.grading)
    if grade is not None:
        if quiz.kind == "pretest" or grade >= quiz.pass_mark:
            return None
        if quiz.attempts_allowed and len(attempts) >= quiz.attempts_allowed:
            return None  # failed with no attempt left: nothing to do here
        return "retry"
    if any(a.finished_at and a.needs_grading for a in attempts):
        return "waiting"
    return "todo"


def _assignment_state(latest: Submission | None) -> str | None:
    if latest is None:
        return "todo"
    return {"returned": "returned", "submitted": "submitted"}.get(latest.status)


def agenda_for(user_id: int, now: datetime) -> Agenda:
    """Upcoming sessions of the user's cohorts; quizzes not yet passed and assignments not
    yet submitted or graded, soonest deadline first; unread forum posts."""
    cohorts = list(db.session.scalars(
        select(Cohort).join(CohortMember, CohortMember.cohort_id == Cohort.id)
        .where(CohortMember.user_id == user_id, CohortMember.status == MemberStatus.ACCEPTED)
        .order_by(Cohort.starts_on)))
    agenda = Agenda(sessions=upcoming_for(user_id, now), cohorts=cohorts,
                    unread_posts=unread_posts(user_id))
    if agenda.sessions:
        agenda.checked_in = set(db.session.scalars(select(Attendance.session_id).where(
            Attendance.user_id == user_id, Attendance.status == AttendanceStatus.PRESENT,
            Attendance.session_id.in_([s.id for s in agenda.sessions]))))
    if not cohorts:
        return agenda
    courses_of: dict[int, list[Course]] = defaultdict(list)
    for program_id, course in db.session.execute(
            select(ProgramCourse.program_id, Course)
            .join(Course, Course.id == ProgramCourse.course_id)
            .where(ProgramCourse.program_id.in_({c.program_id for c in cohorts}),
                   Course.is_published.is_(True))
            .order_by(ProgramCourse.position)):
        courses_of[program_id].append(course)
    # A course in two of the user's cohorts counts once, for the later cohort.
    cohort_of_course = {course.id: cohort for cohort in cohorts
                        for course in courses_of[cohort.program_id]}
    course_by_id = {c.id: c for cs in courses_of.values() for c in cs}

    quizzes = list(db.session.scalars(select(Quiz).where(
        Quiz.course_id.in_(list(course_by_id)), Quiz.is_active.is_(True),
        Quiz.kind != "practice").order_by(Quiz.position)))
    attempts: dict[int, list[Attempt]] = defaultdict(list)
    for attempt in db.session.scalars(select(Attempt).where(
            Attempt.user_id == user_id, Attempt.quiz_id.in_([q.id for q in quizzes]))
            .order_by(Attempt.number)):
        attempts[attempt.quiz_id].append(attempt)
    for quiz in quizzes:
        if quiz.closes_at and quiz.closes_at < now:
            continue
        state = _quiz_state(quiz, attempts[quiz.id])
        if state:
            agenda.tasks.append(Task("quiz", quiz, course_by_id[quiz.course_id],
                                     cohort_of_course[quiz.course_id], quiz.closes_at, state,
                                     opens_at=quiz.opens_at))

    assignments = list(db.session.scalars(select(Assignment).where(
        Assignment.course_id.in_(list(course_by_id)), Assignment.is_active.is_(True))
        .order_by(Assignment.position)))
    latest: dict[tuple[int, int], Submission] = {}
    for submission in db.session.scalars(select(Submission).where(
            Submission.user_id == user_id, Submission.cohort_id.in_([c.id for c in cohorts]),
            Submission.assignment_id.in_([a.id for a in assignments]))
            .order_by(Submission.number)):
        latest[(submission.assignment_id, submission.cohort_id)] = submission
    for assignment in assignments:
        cohort = cohort_of_course[assignment.course_id]
        state = _assignment_state(latest.get((assignment.id, cohort.id)))
        if state:
            agenda.tasks.append(Task("assignment", assignment,
                                     course_by_id[assignment.course_id], cohort,
                                     due_at(assignment, cohort), state))
    # Soonest deadline first; without one, in the order of the program and of the course:
    # the pre-test, then the work, then the post-test (never alphabetical, which puts
    # "Post-test" before "Pre-test").
    course_rank = {course.id: rank for rank, course in enumerate(course_by_id.values())}
    agenda.tasks.sort(key=lambda t: (t.due_at is None, t.due_at or now,
                                     course_rank[t.course.id], _stage(t), t.item.position))
    return agenda


def _stage(task: Task) -> int:
    if task.kind == "quiz":
        return {"pretest": 0, "posttest": 2}.get(task.item.kind, 1)
    return 1
