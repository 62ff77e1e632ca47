"""SQLite connection settings: WAL, foreign keys, a busy timeout, BEGIN IMMEDIATE.

pysqlite opens transactions lazily and as DEFERRED, so two workers that both
read and then write fail with "database is locked" instead of waiting. We take
transaction control from the driver and begin every transaction IMMEDIATE, so
a second writer waits (up to the busy timeout) for the first to commit.
"""

from sqlalchemy import event
from sqlalchemy.engine import Engine

BUSY_TIMEOUT_MS = 15_000
_installed = False


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


def _on_begin(conn) -> None:
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql("BEGIN IMMEDIATE")


def init_sqlite_events() -> None:
    """Install the listeners once per process, for every engine."""
    global _installed
    if _installed:
        return
    event.listen(Engine, "connect", _on_connect)
    event.listen(Engine, "begin", _on_begin)
    _installed = True
