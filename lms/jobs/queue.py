"""Asking for background work, and running it once.

`enqueue(kind, params)` adds a BackgroundJob row to the current transaction. When that
transaction commits (and, in a request, once the response is made) the job is handed on:

- with LMS_REDIS_URL set, to Redis, where an `lms worker` process (an RQ worker) takes it;
- without it, or when Redis does not answer (logged, and shown on the admin page), to a
  thread of this process; under TESTING at once, so tests see its effects.

Whoever runs a job first claims its row (an UPDATE that only one runner can win), so a job
handed on twice still runs once. A job that raises is tried again after JOBS_RETRY_WAITS,
JOBS_MAX_ATTEMPTS times in all, then stays "failed" with its error until an admin retries
it. Every few seconds one worker (a Redis lock) also sweeps: it hands on retries that are
due and jobs whose hand-over was lost, takes back jobs whose runner died (kill -9) and
enqueues the scheduled jobs (schedule.py), each day's once on all hosts (a unique key).
"""

from __future__ import annotations

import queue
import threading
import time
import traceback
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import NamedTuple

from flask import Flask, current_app, g, has_request_context
from sqlalchemy import event, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from lms import db_setup
from lms.clock import utcnow
from lms.extensions import db
from lms.jobs.models import DONE, FAILED, QUEUED, RETRYING, RUNNING, BackgroundJob


class Handler(NamedTuple):
    run: Callable[..., dict | None]
    # Safe to run again after a runner died half-way (it checks what is already done).
    # Mail is not: a mail interrupted while being handed to SMTP may have left, so it is
    # marked failed for an admin to decide rather than sent twice.
    resumable: bool


HANDLERS: dict[str, Handler] = {}
_installed = False


def job(kind: str, *, resumable: bool = True):
    """Register a function as the job `kind`. It gets the BackgroundJob row and its params
    as keyword arguments, runs in an app context, and returns a small dict (the result)."""
    def register(func):
        HANDLERS[kind] = Handler(func, resumable)
        return func
    return register


def enqueue(kind: str, params: dict | None = None, *, key: str | None = None,
            owner_id: int | None = None, total: int | None = None) -> BackgroundJob:
    """A new job in the current transaction, run after it commits. With a key, the job
    already holding that key is returned instead (whatever its state): asking twice, on
    one host or two, makes one job."""
    db_setup.writing()  # a GET (a prepare page) that asks for a job writes: take the lock
    if key is not None:
        existing = db.session.scalar(select(BackgroundJob).where(BackgroundJob.key == key))
        if existing is not None:
            return existing
    row = BackgroundJob(kind=kind, key=key, params=params or {}, owner_id=owner_id,
                        total=total, status=QUEUED, attempts=0, done=0,
                        max_attempts=int(current_app.config["JOBS_MAX_ATTEMPTS"]))
    if key is None:
        db.session.add(row)
        db.session.flush()
    else:
        try:
            with db.session.begin_nested():
                db.session.add(row)
        except IntegrityError:  # another host made it a moment ago
            return db.session.scalar(select(BackgroundJob).where(BackgroundJob.key == key))
    db.session.info.setdefault("lms_jobs", []).append(row.id)
    return row


def retry(row: BackgroundJob) -> None:
    """Run a failed job again, with its full number of attempts (the admin page)."""
    row.status, row.attempts, row.run_after, row.finished_at = QUEUED, 0, None, None
    db.session.flush()
    db.session.info.setdefault("lms_jobs", []).append(row.id)


def progress(row: BackgroundJob, done: int, total: int | None = None) -> None:
    """Record how far the job is (the progress bar reads it) and commit what it did."""
    row.done = done
    if total is not None:
        row.total = total
    row.heartbeat_at = utcnow()
    db.session.commit()


# Running --------------------------------------------------------------------------------

def run(app: Flask, job_id: int) -> str | None:
    """Claim the job and run it in an app context of its own; its status afterwards, or
    None when another runner had it (or it was done)."""
    with app.app_context():
        now = utcnow()
        claimed = db.session.execute(
            update(BackgroundJob).where(BackgroundJob.id == job_id,
                                        BackgroundJob.status.in_((QUEUED, RETRYING)))
            .values(status=RUNNING, attempts=BackgroundJob.attempts + 1, started_at=now,
                    heartbeat_at=now)).rowcount
        db.session.commit()
        if not claimed:
            return None
        row = db.session.get(BackgroundJob, job_id)
        db.session.commit()  # hold no transaction (on SQLite: no write lock) while it works
        handler = HANDLERS.get(row.kind)
        try:
            if handler is None:
                raise LookupError(f"no job of kind {row.kind!r} is known here")
            result = handler.run(row, **(row.params or {}))
            row.status, row.result, row.finished_at = DONE, result, utcnow()
            row.error = None
            db.session.commit()
        except Exception as error:  # noqa: BLE001 - recorded on the row, shown to admins
            db.session.rollback()
            row = db.session.get(BackgroundJob, job_id)
            _failed(app, row, error)
            db.session.commit()
        finally:
            status = row.status
            db.session.remove()
        return status


def _failed(app: Flask, row: BackgroundJob, error: Exception) -> None:
    lines = traceback.format_exception(error)
    row.error = (f"{type(error).__name__}: {error}\n\n" + "".join(lines[-6:]))[:8000]
    waits = list(app.config["JOBS_RETRY_WAITS"]) or [0]
    if row.attempts < row.max_attempts:
        row.status = RETRYING
        row.run_after = utcnow() + timedelta(
            seconds=waits[min(row.attempts - 1, len(waits) - 1)])
        app.logger.warning("job %s (%s) failed, attempt %d of %d: %s", row.id, row.kind,
                           row.attempts, row.max_attempts, error)
    else:
        row.status, row.finished_at = FAILED, utcnow()
        app.logger.error("job %s (%s) failed for good after %d attempts: %s", row.id,
                         row.kind, row.attempts, error)


def perform(job_id: int) -> str | None:
    """What the RQ worker calls (the worker holds the app context)."""
    return run(current_app._get_current_object(), job_id)


# Handing on -----------------------------------------------------------------------------

class Jobs:
    """Per app: the Redis connection (if any) and the in-process runner thread."""

    def __init__(self, app: Flask):
        self.app = app
        self.redis_url = app.config.get("REDIS_URL") or None
        self.queue_name = app.config.get("JOBS_QUEUE") or "lms"
        self._redis = None
        self.fallback: tuple[datetime, str] | None = None  # the last time Redis failed us
        self.pending: queue.Queue[int] = queue.Queue()
        self.lock = threading.Lock()
        self.thread: threading.Thread | None = None
        self.timers: list[threading.Timer] = []

    def redis(self):
        if self._redis is None:
            import redis
            self._redis = redis.Redis.from_url(self.redis_url, socket_connect_timeout=1,
                                               socket_timeout=3)
        return self._redis

    def rq_queue(self):
        from rq import Queue
        return Queue(self.queue_name, connection=self.redis())

    def redis_problem(self) -> str | None:
        """Why Redis cannot take jobs now, or None (no Redis configured, or it answers)."""
        if not self.redis_url:
            return None
        try:
            self.redis().ping()
        except Exception as error:  # noqa: BLE001 - any failure means "not reachable"
            return str(error) or type(error).__name__
        return None

    def dispatch(self, ids: list[int], *, at_once: bool = False) -> None:
        """Hand the jobs to Redis, else run them here: at_once (outside a request: the
        CLI, a job that asked for more) waits for them, else a thread takes them."""
        if not ids:
            return
        if self.redis_url:
            try:
                rq_queue = self.rq_queue()
                for job_id in ids:
                    rq_queue.enqueue(perform, job_id, result_ttl=0, failure_ttl=86400,
                                     job_timeout=int(self.app.config["JOBS_TIMEOUT"]))
                return
            except Exception as error:  # noqa: BLE001 - Redis down: run them here
                self.fallback = (utcnow(), str(error) or type(error).__name__)
                self.app.logger.warning(
                    "Redis (%s) is not reachable: %d job(s) run in this process instead: %s",
                    self.redis_url, len(ids), error)
        self.in_process(ids, at_once=at_once)

    def background(self) -> bool:
        for name in ("JOBS_BACKGROUND", "MAIL_BACKGROUND"):
            setting = self.app.config.get(name)
            if setting is not None:
                return bool(setting)
        return not self.app.testing

    def in_process(self, ids: list[int], *, at_once: bool = False) -> None:
        if at_once or not self.background():
            for job_id in ids:
                # At once, retries included (their waits skipped), so tests see the end.
                while run(self.app, job_id) == RETRYING:
                    pass
            return
        for job_id in ids:
            self.pending.put(job_id)
        with self.lock:  # started lazily: after a pre-forking server has forked
            if self.thread is None or not self.thread.is_alive():
                self.thread = threading.Thread(target=self._work, name="lms-jobs",
                                               daemon=True)
                self.thread.start()

    def _work(self) -> None:
        while True:
            job_id = self.pending.get()
            try:
                if run(self.app, job_id) == RETRYING:
                    self._later(job_id)
            except Exception:  # noqa: BLE001 - the thread must survive a database hiccup
                self.app.logger.exception("background job %s could not be run", job_id)
            finally:
                self.pending.task_done()

    def _later(self, job_id: int) -> None:
        with self.app.app_context():
            row = db.session.get(BackgroundJob, job_id)
            wait = max(0.0, (row.run_after - utcnow()).total_seconds()) if row.run_after else 0
            db.session.remove()
        timer = threading.Timer(wait, self.in_process, args=([job_id],))
        timer.daemon = True
        self.timers = [t for t in self.timers if t.is_alive()] + [timer]
        timer.start()

    def cancel_retries(self) -> None:
        """Forget the retries waiting on timers in this process (tests, shutting down)."""
        for timer in self.timers:
            timer.cancel()
        self.timers = []

    def flush(self, timeout: float = 30.0) -> bool:
        """Wait until the in-process thread has run what it was given; False on timeout."""
        deadline = time.monotonic() + timeout
        while self.pending.unfinished_tasks:
            if time.monotonic() > deadline:
                return False
            time.sleep(0.01)
        return True


def jobs(app: Flask | None = None) -> Jobs:
    return (app or current_app).extensions["lms_jobs"]


def flush(app: Flask, timeout: float = 30.0) -> bool:
    return jobs(app).flush(timeout)


# Wiring: hand jobs on after the commit, and in a request after the response -------------

def _after_commit(session: Session) -> None:
    if session.in_nested_transaction():  # a savepoint: the rows are not committed yet
        return
    ids = session.info.pop("lms_jobs", [])
    if not ids:
        return
    if has_request_context():
        g.setdefault("lms_jobs", []).extend(ids)
        return
    jobs().dispatch(ids, at_once=True)


def _after_rollback(session: Session) -> None:
    if not session.in_nested_transaction():
        session.info.pop("lms_jobs", None)


def _hand_over(_exc: BaseException | None) -> None:
    ids = g.pop("lms_jobs", None)
    if ids:
        # The response is made: end the request's transaction (on SQLite it may hold the
        # write lock) before a job here opens its own.
        db.session.close()
        jobs().dispatch(ids)


def init_jobs(app: Flask) -> None:
    global _installed
    if not _installed:
        event.listen(Session, "after_commit", _after_commit)
        event.listen(Session, "after_rollback", _after_rollback)
        _installed = True
    if "lms_jobs" not in app.extensions:
        app.extensions["lms_jobs"] = Jobs(app)
        app.teardown_request(_hand_over)
    from lms.jobs import views
    app.register_blueprint(views.bp)
    from lms.jobs.cli import storage_group, worker_command
    app.cli.add_command(worker_command)
    app.cli.add_command(storage_group)
