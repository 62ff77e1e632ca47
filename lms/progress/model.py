"""What progress is, as plain frozen values: no Flask, no database.

A `Course` lists its `Item`s (modules, then quizzes, then assignments, each in its
position); a `PersonProgress` holds, per course, one `ItemProgress` per item. The
certificate rules and their tests build these by hand.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
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
    max_score: float | None = None  # assignments: what a full score is

    @property
    def key(self) -> str:
        """The item's key in a grid row and in an export: m12, q3, a5."""
        return f"{self.kind[0]}{self.id}"


@dataclass(frozen=True)
class Course:
    id: int
    slug: str
    title: str
    hours_jp: int
    items: tuple[Item, ...] = ()


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

    @property
    def items(self) -> tuple[ItemProgress, ...]:
        return tuple(i for c in self.courses for i in c.items)

    @property
    def done(self) -> int:
        return sum(1 for i in self.items if i.state == DONE)

    @property
    def cells(self) -> dict[str, str | float | None]:
        """Item key to grid value, for the items begun."""
        return {i.item.key: i.cell for i in self.items if i.state is not None}


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
