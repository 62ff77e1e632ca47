"""The sweep every worker takes turns at (a Redis lock keeps it to one at a time): jobs
whose runner died, retries that are due, hand-overs that were lost, and the daily jobs.

A daily job (the forum digest, the notification digest) is a job with the key
"<kind>:<day>": the database's unique key makes it once per day on all hosts together,
whichever worker gets there first and however many there are. A job run every few minutes
(the reminders) has the key "<kind>:<day>T<HH:MM>" of its time slot, the same way.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from flask import Flask, current_app
from sqlalchemy import or_, select, update

from lms.clock import now_in, utcnow
from lms.extensions import db
from lms.jobs.models import FAILED, QUEUED, RETRYING, RUNNING, BackgroundJob
from lms.jobs.queue import HANDLERS, enqueue, jobs

DAILY = (("forums.digest", "DIGEST_AT"), ("notifications.digest", "NOTIFICATION_DIGEST_AT"),
         ("jobs.housekeeping", "HOUSEKEEPING_AT"))
# Jobs run every few minutes, keyed "<kind>:<day>T<HH:MM of the slot>": once per slot on all
# hosts together (the reminders: deadlines within 24 hours, live sessions within 30 minutes).
EVERY = (("notifications.reminders", "REMINDERS_EVERY_MINUTES"),)
INTERRUPTED = ("Interrupted: the process running this job stopped (its host or worker went "
               "down). A mail may or may not have left: retry it only if it did not arrive.")


def enqueue_daily(now: datetime | None = None) -> list[BackgroundJob]:
    """Make today's daily jobs whose hour has come and this slot's frequent jobs, once
    across every host."""
    local = now_in() if now is None else now
    made = []
    for kind, setting in DAILY:
        hour, minute = (int(part) for part in str(current_app.config[setting]).split(":"))
        if local.time() >= time(hour, minute):
            made.append(enqueue(kind, {"day": local.date().isoformat()},
                                key=f"{kind}:{local.date().isoformat()}"))
    for kind, setting in EVERY:
        minutes = max(1, int(current_app.config[setting]))
        slot = local.replace(minute=local.minute - local.minute % minutes, second=0,
                             microsecond=0) if minutes < 60 else local.replace(
            minute=0, second=0, microsecond=0)
        stamp = slot.strftime("%Y-%m-%dT%H:%M")
        made.append(enqueue(kind, {"slot": stamp}, key=f"{kind}:{stamp}"))
    db.session.commit()
    return made


def sweep(app: Flask, now: datetime | None = None) -> list[int]:
    """One round of the sweep; the ids handed on again."""
    with app.app_context():
        now = now or utcnow()
        stale = now - timedelta(seconds=int(app.config["JOBS_STALE_SECONDS"]))
        for row in db.session.scalars(select(BackgroundJob).where(
                BackgroundJob.status == RUNNING, BackgroundJob.heartbeat_at < stale)):
            handler = HANDLERS.get(row.kind)
            again = handler is not None and handler.resumable and row.attempts < row.max_attempts
            db.session.execute(update(BackgroundJob).where(
                BackgroundJob.id == row.id, BackgroundJob.status == RUNNING,
                BackgroundJob.heartbeat_at == row.heartbeat_at).values(
                status=RETRYING if again else FAILED, error=INTERRUPTED, run_after=now,
                finished_at=None if again else now))
            app.logger.warning("job %s (%s) was interrupted: %s", row.id, row.kind,
                               "run again" if again else "marked failed")
        due = list(db.session.scalars(select(BackgroundJob.id).where(or_(
            (BackgroundJob.status == RETRYING) & (BackgroundJob.run_after <= now),
            (BackgroundJob.status == QUEUED) & (BackgroundJob.created_at < stale)
            & or_(BackgroundJob.run_after.is_(None), BackgroundJob.run_after <= now)))))
        if due:  # not again before another stale period, if it is only waiting its turn
            db.session.execute(update(BackgroundJob).where(BackgroundJob.id.in_(due)).values(
                run_after=now + (now - stale)))
        db.session.commit()
        jobs(app).dispatch(due)
        enqueue_daily()
        db.session.remove()
        return due
