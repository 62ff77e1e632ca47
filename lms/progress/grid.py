"""The cohort's progress grid: participants × modules, quizzes and assignments.

A view of lms.progress (its constant number of queries, nothing more): this module
only lays the progress out in columns, filters and sorts.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from markupsafe import Markup, escape

from lms.cohorts.models import Cohort
from lms.progress.build import PERSON_COLUMNS, for_cohort
from lms.progress.model import Course, Item, ItemProgress, PersonProgress

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
    # lms.progress.build.PERSON_COLUMNS as a named tuple: id, full_name, email, institution,
    # nip, position.
    user: Any
    progress: PersonProgress
    done: int = 0
    last_activity: datetime | None = None

    def percent(self, total: int) -> float:
        return round(100 * self.done / total, 1) if total else 0.0

    def values(self) -> list[str | float | None]:
        """The cells in column order: the grade when there is one, else the state (None
        for an item not begun)."""
        return [i.cell for c in self.progress.courses for i in c.items]


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
    progress = for_cohort(cohort, person_columns=PERSON_COLUMNS)
    columns = [GridColumn(item.key, item.kind, item.title, course, item)
               for course, item in progress.items]
    result = []
    for _member, user in progress.members:
        mine = progress.of(user.id)
        result.append(GridRow(user=user, progress=mine, done=mine.done,
                              last_activity=mine.last_activity))
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


# One row of the table body, laid out as the template's loop wrote it: name and
# institution, completion, last activity, the final grade cell (or nothing), the item cells.
_ROW = ('\n    <tr>\n      <th scope="row">{}<br><span class="meta">{}</span></th>\n'
        '      <td>{}</td>\n      <td>{}</td>\n      {}\n      {}\n    </tr>\n  ')


def rows_html(grid: Grid, finals: dict[int, Any] | None, labels: dict[str, Markup],
              fmt: Any) -> Markup:
    """The grid's table rows as HTML, in one pass over the people.

    Item cells: <td class="item">, empty when not begun, labels["done"] or
    labels["started"] (markup the template wrote), or the grade written by `fmt.num`.
    Everything the rows share is written once: a cell per distinct progress value (the
    build shares one frozen value among everyone in the same state), a completion per
    number of items done, a date per distinct last activity. A Jinja loop over 1,000 rows
    and 40,000 cells was 40% of the page's time."""
    total = grid.total
    # Keyed by id(): the values live in grid.rows until this returns; hashing the frozen
    # dataclasses (every field, item included) would cost more than writing the cell.
    cells: dict[int, str] = {}
    percents: dict[int, str] = {}
    dates: dict[datetime, str] = {}

    def cell(progress: ItemProgress) -> str:
        value = progress.cell
        if value is None:
            text = '<td class="item"></td>'
        elif isinstance(value, str):
            text = f'<td class="item">{labels[value]}</td>'
        else:
            text = f'<td class="item">{escape(fmt.num(value))}</td>'
        cells[id(progress)] = text
        return text

    known = cells.get
    parts = []
    for row in grid.rows:
        percent = percents.get(row.done)
        if percent is None:
            percent = percents[row.done] = escape(fmt.pct(row.percent(total)))
        moment = row.last_activity
        if not moment:
            activity = "—"
        else:
            activity = dates.get(moment)
            if activity is None:
                activity = dates[moment] = escape(fmt.long_date(moment))
        final = ""
        if finals:
            found = finals[row.user.id]
            final = (f'<td class="final-grade">{escape(fmt.num(found.grade))}'
                     + (f'<br><span class="meta">{escape(found.predikat)}</span>'
                        if found.predikat else "") + "</td>")
        items = "".join([known(id(i)) or cell(i) for c in row.progress.courses
                         for i in c.items])
        parts.append(_ROW.format(escape(row.user.full_name), escape(row.user.institution),
                                 percent, activity, final, items))
    return Markup("".join(parts))  # noqa: S704 - names, numbers and dates escaped above


@contextmanager
def without_cyclic_gc() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while a large grid is built and rendered.

    A 1,000-person grid allocates some 100,000 short-lived objects (rows, tuples, dicts,
    frozen values), none of them in reference cycles: they are freed by reference counting
    when the response is done. While they live they trigger one or two full collections,
    each walking the whole heap of the worker (≈ 165,000 objects after start-up): 120 of
    the page's 290 ms in bench/cohort_grid.py. Re-enabled afterwards unless something
    else had it disabled; another thread's collections are only postponed meanwhile.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
