"""The cohort's progress grid: participants × modules, quizzes and assignments.

A view of lms.progress (its constant number of queries, nothing more): this module
only lays the progress out in columns, filters and sorts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from lms.auth.models import User
from lms.cohorts.models import Cohort, CohortMember
from lms.progress.build import for_cohort
from lms.progress.model import Course, Item, PersonProgress

SORTS = ("name", "institution", "percent", "activity")


@dataclass
class GridColumn:
    key: str
    kind: str  # "module", "quiz" or "assignment"
    title: str
    course: Course
    item: Item


@dataclass
class GridRow:
    member: CohortMember
    user: User
    progress: PersonProgress
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
    progress = for_cohort(cohort)
    columns = [GridColumn(item.key, item.kind, item.title, course, item)
               for course, item in progress.items]
    result = []
    for member, user in progress.members:
        mine = progress.of(user.id)
        result.append(GridRow(member=member, user=user, progress=mine, cells=mine.cells,
                              done=mine.done, last_activity=mine.last_activity))
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
    return Grid(columns=columns, rows=result, courses=list(progress.courses))
