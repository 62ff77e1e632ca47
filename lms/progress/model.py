"""What progress is, as plain frozen values: no Flask, no database.

A `Course` lists its `Item`s (modules, then quizzes, then assignments, each in its
position); a `PersonProgress` holds, per course, one `ItemProgress` per item. The
certificate rules and their tests build these by hand.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from itertools import chain
from typing import Any

MODULE, QUIZ, ASSIGNMENT = "module", "quiz", "assignment"
DONE, STARTED = "done", "started"


@dataclass(frozen=True)
class Item:
    """Something to do in a course: a module, a quiz or an assignment."""

    kind: str  # MODULE, QUIZ or ASSIGNMENT
    id: int
    slug: str
    title: str
    quiz_kind: str | None = None  # quizzes: pretest, practice, exam, posttest
    pass_mark: float | None = None  # quizzes and assignments
    grading: str | None = None  # quizzes: highest, last, first or average
    attempts_allowed: int | None = None  # quizzes: None or 0 for no limit
    opens_at: datetime | None = None  # quizzes, naive UTC
    closes_at: datetime | None = None  # quizzes, naive UTC
    due_days: int | None = None  # assignments: days after the cohort's start
    max_score: float | None = None  # assignments: what a full score is

    @cached_property
    def key(self) -> str:
        """The item's key in a grid row and in an export: m12, q3, a5 (written once per
        item: a 1,000-person grid asked 100,000 times)."""
        return f"{self.kind[0]}{self.id}"


@dataclass(frozen=True)
class Course:
    id: int
    slug: str
    title: str
    hours_jp: int
    items: tuple[Item, ...] = ()
    published: bool = True

    @cached_property
    def keys(self) -> tuple[str, ...]:
        """The items' keys in order (once per course, not once per person)."""
        return tuple(i.key for i in self.items)


@dataclass(frozen=True)
class ItemProgress:
    """Where one person stands with one item.

    state: None (not begun), STARTED, or DONE (module completed, quiz graded by its
    grading method, assignment's latest submission graded). grade: the quiz grade in
    percent, or the assignment's grade; None while there is none.
    """

    item: Item
    state: str | None = None
    grade: float | None = None
    attempts: int = 0  # quizzes: attempts started, finished or not
    in_progress: bool = False  # quizzes: an attempt is open
    waiting: bool = False  # quizzes: a finished attempt waits for an essay's grade
    status: str | None = None  # assignments: the latest submission's status
    due_at: datetime | None = None  # assignments: due in this cohort (naive UTC)

    @property
    def attempts_left(self) -> int | None:
        """Attempts the person may still start; None when the quiz has no limit."""
        if not self.item.attempts_allowed:
            return None
        return max(0, self.item.attempts_allowed - self.attempts)

    @property
    def passed(self) -> bool:
        return self.grade is not None and self.item.pass_mark is not None \
            and self.grade >= self.item.pass_mark

    @property
    def cell(self) -> str | float | None:
        """The grid's value: the grade when there is one, else the state."""
        return self.grade if self.grade is not None else self.state


@dataclass(frozen=True)
class CourseProgress:
    course: Course
    items: tuple[ItemProgress, ...]

    @property
    def modules(self) -> tuple[ItemProgress, ...]:
        return tuple(i for i in self.items if i.item.kind == MODULE)

    @property
    def modules_done(self) -> int:
        return sum(1 for i in self.modules if i.state == DONE)

    @property
    def quizzes(self) -> tuple[ItemProgress, ...]:
        return tuple(i for i in self.items if i.item.kind == QUIZ)

    @property
    def assignments(self) -> tuple[ItemProgress, ...]:
        return tuple(i for i in self.items if i.item.kind == ASSIGNMENT)

    def of(self, kind: str, item_id: int) -> ItemProgress | None:
        return next((i for i in self.items if i.item.kind == kind and i.item.id == item_id),
                    None)

    @property
    def pre_and_post(self) -> tuple[float | None, float | None]:
        """The mean grade of the course's pre-tests and of its post-tests (None while
        none has a grade)."""
        def mean(kind: str) -> float | None:
            grades = [i.grade for i in self.quizzes
                      if i.item.quiz_kind == kind and i.grade is not None]
            return round(sum(grades) / len(grades), 2) if grades else None
        return mean("pretest"), mean("posttest")

    @property
    def gain(self) -> float | None:
        """Post-test minus pre-test in points; None until both have a grade."""
        pre, post = self.pre_and_post
        return None if pre is None or post is None else round(post - pre, 2)


@dataclass(frozen=True)
class PersonProgress:
    """One person's progress in a cohort.

    attendance_percent: sessions present or excused out of the sessions held (100.0 while
    none has been held; 0.0 for someone not in the cohort).
    """

    user_id: int
    courses: tuple[CourseProgress, ...]
    last_activity: datetime | None = None
    attendance_percent: float = 0.0
    evaluation_done: bool = False

    @cached_property
    def items(self) -> tuple[ItemProgress, ...]:
        return tuple(chain.from_iterable([c.items for c in self.courses]))

    @cached_property
    def done(self) -> int:
        # A list and count(): a generator's step per item was most of a 1,000-person
        # grid's 40,000 (counted once per person: the value is frozen).
        return [i.state for i in self.items].count(DONE)


def nothing_done(user_id: int, courses: tuple[Course, ...]) -> PersonProgress:
    """The progress of someone who has begun nothing (or is not in the cohort)."""
    return PersonProgress(user_id, tuple(
        CourseProgress(c, tuple(ItemProgress(i) for i in c.items)) for c in courses))


@dataclass(frozen=True)
class CohortProgress:
    """Everyone's progress in a cohort. `members` keeps the accepted participants' rows
    (CohortMember, User), for pages that print names; `people` is keyed by user id."""

    cohort_id: int
    courses: tuple[Course, ...]
    people: Mapping[int, PersonProgress]
    members: tuple[tuple[Any, Any], ...] = field(default=(), repr=False)

    @property
    def items(self) -> tuple[tuple[Course, Item], ...]:
        return tuple((c, i) for c in self.courses for i in c.items)

    def of(self, user_id: int) -> PersonProgress:
        """user_id's progress; nothing done for someone not in the cohort."""
        found = self.people.get(user_id)
        return found if found is not None else nothing_done(user_id, self.courses)


@dataclass(frozen=True)
class Enrolment:
    """One cohort a person is accepted in (the Cohort row) and their progress there."""

    cohort: Any
    progress: PersonProgress


@dataclass(frozen=True)
class PersonOverview:
    """Everything one person is accepted in, earliest cohort first: what `/next` and the
    course page read."""

    user_id: int
    enrolments: tuple[Enrolment, ...] = ()

    def course(self, course_id: int) -> tuple[Any, CourseProgress] | None:
        """The cohort and progress of a course; a course in two of the person's cohorts
        counts for the later one (quizzes and modules are the same in both; an
        assignment is submitted per cohort)."""
        found = None
        for enrolment in self.enrolments:
            for course in enrolment.progress.courses:
                if course.course.id == course_id:
                    found = (enrolment.cohort, course)
        return found
