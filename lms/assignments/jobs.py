"""Assignment work done in the background: the ZIP of a queue's submissions. (Reminders
before an assignment is due are lms/notifications/jobs.py's, with the quizzes'.)"""

from __future__ import annotations

import tempfile

from flask_babel import force_locale
from flask_babel import gettext as _

from lms import storage
from lms.assignments import services
from lms.assignments.models import Assignment
from lms.auth.models import User
from lms.cohorts.models import Cohort
from lms.extensions import db
from lms.jobs.queue import job, progress
from lms.mail import language_of


@job("assignments.zip")
def queue_zip(row, *, assignment_id: int, cohort_id: int, **_params) -> dict:
    """Every latest submission of the queue in one ZIP, kept in the storage under exports/."""
    assignment = db.session.get(Assignment, assignment_id)
    cohort = db.session.get(Cohort, cohort_id)
    entries = services.queue(assignment, cohort, row.params.get("visible"))
    progress(row, 0, len(entries))
    key = f"exports/{row.id}-{cohort.code}-{assignment.slug}.zip"

    def advance(done: int, _total: int) -> None:
        progress(row, done)

    with tempfile.TemporaryFile() as out:
        services.write_zip(entries, out, advance)
        out.seek(0)
        storage.storage().save(key, out, "application/zip")
    owner = db.session.get(User, row.owner_id) if row.owner_id else None
    with force_locale(language_of(owner) if owner else "id"):
        summary = _("%(n)d submissions in the ZIP.", n=len(entries))
    return {"file": key, "filename": f"{cohort.code}-{assignment.slug}.zip",
            "mimetype": "application/zip", "summary": summary}
