"""SQLite connection settings: WAL, foreign keys, a busy timeout, and when to lock.

pysqlite opens transactions lazily and as DEFERRED, so two workers that both read and
then write fail with "database is locked" instead of waiting (in WAL mode a deferred
transaction that read an older snapshot cannot become a writer). We take transaction
control from the driver and choose the kind of BEGIN ourselves:

- a request that may write (POST and the other unsafe methods), the CLI, and everything
  outside a request begin IMMEDIATE: the write lock is taken at the first statement, so a
  second writer waits (up to the busy timeout) for the first to commit, and a request that
  writes runs alone from its first read (quizzes/services.lock relies on this);
- a GET, HEAD or OPTIONS request begins DEFERRED: in WAL mode readers neither wait for the
  writer nor hold it up, so pages are not queued behind each other and behind saves;
- a GET that has to write calls writing() first: the read transaction ends (objects stay
  loaded: the session does not expire on commit) and the next one begins IMMEDIATE.

A write inside a deferred transaction is a bug (it fails under load with "database is
locked"), so it raises a DeferredWriteWarning, which the test suite turns into an error.
"""

import functools
import warnings

from flask import g, has_request_context, request
from sqlalchemy import event
from sqlalchemy.engine import Engine

# How long a writer waits for the write lock. Writes are short, but when a whole cohort
# submits at once on two busy cores the queue was seen to pass 15 s; a request that waits
# is better than one that fails and loses what a participant sent.
BUSY_TIMEOUT_MS = 60_000
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
_WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE")
_installed = False


class DeferredWriteWarning(RuntimeWarning):
    """A GET request wrote without calling db_setup.writing() first."""


def _is_sqlite(dbapi_connection) -> bool:
    return type(dbapi_connection).__module__.startswith("sqlite3")


def _on_connect(dbapi_connection, _record) -> None:
    if not _is_sqlite(dbapi_connection):
        return
    dbapi_connection.isolation_level = None  # we issue BEGIN ourselves
    cursor = dbapi_connection.cursor()
    cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.execute("PRAGMA journal_mode = WAL")
    cursor.execute("PRAGMA synchronous = NORMAL")
    cursor.close()


def _deferred() -> bool:
    """Whether the transaction about to begin may be DEFERRED (see the module docstring)."""
    if not has_request_context():
        return False
    if g.pop("_lms_write_next", False):
        return False
    return g.get("_lms_reads", False)


def _on_begin(conn) -> None:
    if conn.dialect.name != "sqlite":
        return
    deferred = _deferred()
    conn.info["lms_deferred"] = deferred
    # Straight to the driver: through exec_driver_sql, SQLAlchemy's statement machinery
    # and event hooks cost more than the BEGIN itself, on every request.
    conn.connection.driver_connection.execute("BEGIN" if deferred else "BEGIN IMMEDIATE")


def _on_execute(conn, _cursor, statement, _parameters, _context, _executemany) -> None:
    if conn.info.get("lms_deferred") and statement.lstrip()[:7].upper().startswith(_WRITES):
        warnings.warn(
            f"a {request.method if has_request_context() else ''} request wrote inside a "
            "deferred SQLite transaction; call lms.db_setup.writing() before writing: "
            + statement[:80], DeferredWriteWarning, stacklevel=2)


def writing() -> None:
    """Before a GET request writes: end the read transaction so the next one begins
    IMMEDIATE (SQLite). What the session has loaded stays loaded, but may be stale: reread
    with populate_existing (or a conditional UPDATE) what the write depends on. No effect
    outside a request or in a request that may write anyway."""
    from lms.extensions import db

    if not has_request_context() or not g.get("_lms_reads", False):
        return
    if db.session().in_transaction():
        db.session.commit()
    g._lms_write_next = True


def writes(view):
    """For a GET view that writes from its first read (a one-time link, a sign-on
    callback): its transaction begins IMMEDIATE, as a POST's does."""

    @functools.wraps(view)
    def wrapped(*args, **kwargs):
        writing()
        return view(*args, **kwargs)

    return wrapped


# Endpoints answered without the signed-in user: static files and the health check load
# no user, no language and (static files) touch no database.
CHEAP_ENDPOINTS = frozenset({"static", "site.healthz"})


def _mark_reads() -> None:
    g._lms_reads = request.method in SAFE_METHODS
    if g._lms_reads:
        return
    # A form posted in an application context that an earlier GET shared (a test holding
    # app_context() around its requests) would otherwise write in the GET's transaction.
    from lms.extensions import db

    session = db.session()
    if session.in_transaction() and session.connection().info.get("lms_deferred"):
        session.commit()


def init_app(app) -> None:
    """Mark GET, HEAD and OPTIONS requests as readers, before any other hook queries (a
    bare test_request_context, which runs no hooks, keeps IMMEDIATE)."""
    init_sqlite_events()
    app.before_request_funcs.setdefault(None, []).insert(0, _mark_reads)


def init_sqlite_events() -> None:
    """Install the listeners once per process, for every engine."""
    global _installed
    if _installed:
        return
    event.listen(Engine, "connect", _on_connect)
    event.listen(Engine, "begin", _on_begin)
    event.listen(Engine, "before_cursor_execute", _on_execute)
    _installed = True
