"""Daily housekeeping of the job table and the files jobs prepared.

Finished jobs (done or failed) older than JOBS_KEEP_DAYS are deleted with the ZIPs they
prepared under `exports/` in the storage; a ZIP whose job row is gone is deleted too. The
reminders alone make 288 job rows a day, and every bulk download keeps a ZIP: without this
both grow for ever. A job still queued, running or retrying, and its file, are never touched.
A daily key (`<kind>:<day>`) is only needed on its own day, so deleting old rows never lets
a daily job run twice.
"""

from __future__ import annotations

import re
from datetime import timedelta

from flask import current_app
from sqlalchemy import delete, select

from lms.clock import utcnow
from lms.extensions import db
from lms.jobs.models import DONE, FAILED, BackgroundJob
from lms.jobs.queue import job
from lms.storage import storage

EXPORT = re.compile(r"^exports/(\d+)-")


def clean(now=None) -> dict:
    """Delete old finished jobs and their exports, and exports of vanished jobs."""
    now = now or utcnow()
    cutoff = now - timedelta(days=int(current_app.config["JOBS_KEEP_DAYS"]))
    old = set(db.session.scalars(select(BackgroundJob.id).where(
        BackgroundJob.status.in_((DONE, FAILED)), BackgroundJob.finished_at < cutoff)))
    store = storage()
    files = 0
    exports = [(key, int(m.group(1))) for key in store.keys("exports/")
               if (m := EXPORT.match(key))]
    present = set(db.session.scalars(select(BackgroundJob.id).where(
        BackgroundJob.id.in_({job_id for _, job_id in exports} or {-1}))))
    for key, job_id in exports:
        if job_id in old or job_id not in present:
            store.delete(key)
            files += 1
    if old:
        db.session.execute(delete(BackgroundJob).where(BackgroundJob.id.in_(old)))
    db.session.commit()
    return {"jobs": len(old), "files": files}


@job("jobs.housekeeping")
def housekeeping_job(row, **_params) -> dict:
    """The scheduled clean-up (lms/jobs/schedule.py): once a day on all hosts together."""
    return clean()
