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

`rows()` runs a prepared statement of plain columns on the session's own DBAPI connection
and transaction with its SQL compiled once per database (see _Direct): SQLAlchemy's
execution layer cost about 22 µs a statement against 6 µs for the database itself (the
signed-in user's statement on SQLite), and every page runs three to six of them.
"""

from __future__ import annotations

import collections
import functools
from collections.abc import Callable
from typing import Any, TypeVar

from sqlalchemy import Select, exc

T = TypeVar("T")

# Statements made by @prepared, by id (held here, so an id is never reused for another).
_PREPARED: dict[int, Any] = {}
# (statement id, dialect, driver) -> _Direct, or None where the statement needs SQLAlchemy.
_DIRECT: dict[tuple[int, str, str], _Direct | None] = {}


def prepared(build: Callable[[], T]) -> Callable[[], T]:
    """The statement build() returns, built at the first call and then reused (statements
    are immutable; two threads racing at the first call build it twice, harmlessly)."""

    @functools.cache
    def once() -> T:
        statement = build()
        _PREPARED[id(statement)] = statement
        return statement

    return functools.update_wrapper(once, build)


class _Direct:
    """One prepared statement compiled for one database: its SQL, the order of its
    parameters, the type conversions SQLAlchemy would apply to them and to the result
    columns (each type's own, for that dialect), and a named-tuple row class with the field
    names SQLAlchemy's rows have. Made at a statement's first run, which also runs it
    through SQLAlchemy and compares: a statement whose rows differ keeps SQLAlchemy.

    A list parameter (`bindparam(..., expanding=True)`) makes SQL of its own for each
    length of list, which SQLAlchemy writes (kept per combination of lengths)."""

    __slots__ = ("sql", "names", "fixed", "binds", "types", "results", "row", "compiled",
                 "lists", "shapes")

    @classmethod
    def make(cls, statement, conn, params: dict) -> tuple[_Direct | None, list]:
        expected = conn.execute(statement, params)
        keys = list(expected.keys())
        expected = expected.all()
        dialect = conn.dialect
        compiled = statement.compile(dialect=dialect)
        if (any(bind.required for bind in compiled.literal_execute_params)
                or any(not bind.expanding for bind in compiled.post_compile_params)
                or len(keys) != len(statement.selected_columns)):
            return None, expected
        direct = cls()
        direct.compiled = compiled
        direct.lists = tuple(compiled.bind_names[bind]
                             for bind in compiled.post_compile_params)
        # SQL of its own per length of list; a fixed value written into the SQL (as
        # aggregate_strings' separator is) needs SQLAlchemy's writing once.
        direct.shapes = {} if direct.lists or compiled.literal_execute_params else None
        direct.sql = compiled.string
        direct.names = tuple(compiled.positiontup) if compiled.positional else None
        # Values written into the statement (a literal's bind) and the parameters' types.
        direct.fixed = {name: bind.effective_value
                        for bind, name in compiled.bind_names.items() if not bind.required}
        direct.binds = {
            name: processor for bind, name in compiled.bind_names.items()
            if (processor := bind.type.dialect_impl(dialect).bind_processor(dialect))}
        direct.row = collections.namedtuple("Row", keys, rename=True)
        # The columns' conversions need the database's type codes (psycopg's numbers do):
        # taken from the first run's cursor description.
        direct.types = [column.type.dialect_impl(dialect)
                        for column in statement.selected_columns]
        direct.results = None
        try:  # unseen by listeners: the statement ran once, through SQLAlchemy, above
            found = direct.run(conn, params, listen=False)
        except (exc.DBAPIError, KeyError, TypeError, ValueError, AttributeError):
            return None, expected
        if _typed(found) != _typed(expected):  # 1 and True are equal, and must not be
            return None, expected
        return direct, expected

    def _shape(self, given: dict) -> tuple[str, tuple, dict]:
        """The SQL, its parameters' names (in order where the driver takes them by
        position) and the names of each list's items, for these lists' lengths."""
        lengths = tuple(len(given[name]) for name in self.lists)
        shape = self.shapes.get(lengths)
        if shape is None:
            if len(self.shapes) >= 64:
                self.shapes.clear()
            expanded = self.compiled._process_parameters_for_postcompile(
                self.compiled.construct_params(given))
            names = expanded.positiontup if self.names is not None else expanded.parameters
            shape = self.shapes[lengths] = (
                expanded.statement, tuple(names), dict(expanded.parameter_expansion))
        return shape

    def run(self, conn, params: dict, listen: bool = True) -> list:
        given = {**self.fixed, **params} if self.fixed else params
        sql, names = self.sql, self.names
        binds = self.binds
        if self.shapes is not None:
            sql, names, expansion = self._shape(given)
            given = dict(given)
            for name in self.lists:
                process = binds.get(name)
                for key, value in zip(expansion.get(name, ()), given.pop(name), strict=True):
                    given[key] = process(value) if process else value
        if binds:
            given = {name: binds[name](value) if name in binds else value
                     for name, value in given.items()}
        if names is None:
            values = given
        elif self.names is None:  # by name, only the names the SQL has
            values = {name: given[name] for name in names}
        else:
            values = [given[name] for name in names]
        fairy = conn.connection
        cursor = fairy.dbapi_connection.cursor()
        try:
            if listen:  # what SQLAlchemy tells its listeners (tests count statements)
                for listener in conn.dispatch.before_cursor_execute:
                    listener(conn, cursor, sql, values, None, False)
            cursor.execute(sql, values)
            fetched = cursor.fetchall()
            if self.results is None:
                dialect = conn.dialect
                self.results = [kind.result_processor(dialect, described[1]) for kind, described
                                in zip(self.types, cursor.description, strict=True)]
        except conn.dialect.loaded_dbapi.Error as err:
            if conn.dialect.is_disconnect(err, fairy.dbapi_connection, cursor):
                conn.invalidate(err)
            raise exc.DBAPIError.instance(sql, values, err,
                                          conn.dialect.loaded_dbapi.Error,
                                          dialect=conn.dialect) from err
        finally:
            cursor.close()
        make = self.row._make
        processors = self.results
        if not any(processors):
            return [make(row) for row in fetched]
        return [make([value if process is None or value is None else process(value)
                      for process, value in zip(processors, row, strict=True)])
                for row in fetched]


def _typed(found: list) -> list:
    return [[(type(value), value) for value in row] for row in found]


def rows(statement, params: dict | None = None) -> list:
    """The rows of a statement of columns (no ORM entity in it), run on the session's
    connection and transaction without the ORM's execution layer, which has nothing to do
    for plain columns: 110–160 µs against 220–270 µs for the module page's list of
    modules, measured side by side. A @prepared SELECT runs directly on the DBAPI
    connection (_Direct): the same rows, as named tuples (no `_mapping`)."""
    from lms.extensions import db

    conn = db.session.connection()
    params = params or {}
    if id(statement) not in _PREPARED or not isinstance(statement, Select):
        return conn.execute(statement, params).all()
    key = (id(statement), conn.dialect.name, conn.dialect.driver)
    direct = _DIRECT.get(key, False)
    if direct is False:
        direct, found = _Direct.make(statement, conn, params)
        _DIRECT[key] = direct
        return found
    if direct is None:
        return conn.execute(statement, params).all()
    return direct.run(conn, params)
