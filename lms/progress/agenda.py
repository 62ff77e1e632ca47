"""What is next for a participant, in one place: sessions, quizzes, assignments, posts.

Reads the person's progress (`build.for_person`: attempts left, essays waiting for a
grade, returned submissions, quiz windows and due dates) instead of attempts and
submissions: a fixed number of queries however many cohorts, courses and items there are.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select

from lms.extensions import db
from lms.live.models import Attendance, AttendanceStatus, LiveSession
from lms.live.services import upcoming_for
from lms.progress.build import for_person
from lms.progress.model import ASSIGNMENT, QUIZ, Course, Item, ItemProgress


@dataclass
class Task:
    kind: str  # "quiz" or "assignment"
    item: Item
    course: Course
    cohort: Any
    due_at: datetime | None  # naive UTC; None: no deadline
    # quiz: "todo", "retry", "waiting" (an essay to be graded);
    # assignment: "todo", "returned" (for revision), "submitted" (waiting for a grade)
    state: str
    opens_at: datetime | None = None
    attempts_left: int | None = None  # quizzes: None when unlimited


@dataclass
class Agenda:
    sessions: list[LiveSession] = field(default_factory=list)
    tasks: list[Task] = field(default_factory=list)
    cohorts: list[Any] = field(default_factory=list)
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


def quiz_state(progress: ItemProgress) -> str | None:
    """What the participant still has to do with a quiz; None when nothing."""
    if progress.grade is not None:
        if progress.item.quiz_kind == "pretest" or progress.passed:
            return None
        if progress.attempts_left == 0 and not progress.in_progress:
            return None  # failed with no attempt left: nothing to do here
        return "retry"
    if progress.waiting:
        return "waiting"
    if progress.attempts_left == 0 and not progress.in_progress:
        return None
    return "todo"


def assignment_state(progress: ItemProgress) -> str | None:
    if progress.status is None:
        return "todo"
    return {"returned": "returned", "submitted": "submitted"}.get(progress.status)


def agenda_for(user_id: int, now: datetime) -> Agenda:
    """Upcoming sessions of the user's cohorts; quizzes not yet passed (practice quizzes
    aside) and assignments not yet submitted or graded, soonest deadline first; unread
    forum posts. A course in two of the user's cohorts counts once, for the later one."""
    overview = for_person(user_id)
    agenda = Agenda(sessions=upcoming_for(user_id, now),
                    cohorts=[e.cohort for e in overview.enrolments],
                    unread_posts=unread_posts(user_id))
    if agenda.sessions:
        agenda.checked_in = set(db.session.scalars(select(Attendance.session_id).where(
            Attendance.user_id == user_id, Attendance.status == AttendanceStatus.PRESENT,
            Attendance.session_id.in_([s.id for s in agenda.sessions]))))
    courses: dict[int, tuple[Any, Any]] = {}
    for enrolment in overview.enrolments:
        for course in enrolment.progress.courses:
            courses[course.course.id] = (enrolment.cohort, course)  # the later cohort wins
    rank = {course_id: n for n, course_id in enumerate(courses)}
    for cohort, course in courses.values():
        if not course.course.published:
            continue
        for progress in course.items:
            item = progress.item
            if item.kind == QUIZ and item.quiz_kind != "practice":
                if item.closes_at and item.closes_at < now:
                    continue
                state = quiz_state(progress)
                if state:
                    agenda.tasks.append(Task(QUIZ, item, course.course, cohort, item.closes_at,
                                             state, opens_at=item.opens_at,
                                             attempts_left=progress.attempts_left))
            elif item.kind == ASSIGNMENT:
                state = assignment_state(progress)
                if state:
                    agenda.tasks.append(Task(ASSIGNMENT, item, course.course, cohort,
                                             progress.due_at, state))
    # Soonest deadline first; without one, in the order of the program and of the course:
    # the pre-test, then the work, then the post-test (never alphabetical, which puts
    # "Post-test" before "Pre-test").
    positions = {(t.item.kind, t.item.id): n for n, t in enumerate(agenda.tasks)}
    agenda.tasks.sort(key=lambda t: (t.due_at is None, t.due_at or now, rank[t.course.id],
                                     _stage(t), positions[(t.item.kind, t.item.id)]))
    return agenda


def _stage(task: Task) -> int:
    if task.kind == QUIZ:
        return {"pretest": 0, "posttest": 2}.get(task.item.quiz_kind, 1)
    return 1
