"""Statements built once per process, run with parameters.

Building a `select()` costs more than running it: SQLAlchemy coerces every column and
comparison and then derives the statement's cache key, and only then finds the compiled
SQL in its cache. For the statement that loads the signed-in user it measured 420 µs to
build against 380 µs to run (bench: `docs/benchmarks.md`, "Statements built once"). The
statements every page runs are therefore written once, with `bindparam()` where a value
changes, and executed as `db.session.execute(stmt(), {"name": value})`: the same object
each time, whose cache key SQLAlchemy memoizes.

    @prepared
    def _course_by_slug():
        return select(Course).where(Course.slug == bindparam("slug"))

A list parameter needs `bindparam(..., expanding=True)`.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


def prepared(build: Callable[[], T]) -> Callable[[], T]:
    """The statement build() returns, built at the first call and then reused (statements
    are immutable; two threads racing at the first call build it twice, harmlessly)."""
    return functools.cache(build)


def rows(statement, params: dict | None = None) -> list:
    """The rows of a statement of columns (no ORM entity in it), run on the session's
    connection and transaction without the ORM's execution layer, which has nothing to do
    for plain columns: 110–160 µs against 220–270 µs for the module page's list of
    modules, measured side by side."""
    from lms.extensions import db

    return db.session.connection().execute(statement, params or {}).all()
