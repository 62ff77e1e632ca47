"""Assignment work done in the background: the ZIP of a queue's submissions, and the
reminder mailed before an assignment is due to participants who have not handed it in."""

from __future__ import annotations

import tempfile
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select

from lms import storage
from lms.assignments import services
from lms.assignments.models import Assignment, Submission
from lms.auth.models import User
from lms.clock import utcnow
from lms.cohorts.models import Cohort, CohortMember, MemberStatus
from lms.cohorts.services import program_courses
from lms.extensions import db
from lms.i18n import long_datetime
from lms.jobs.queue import job, progress
from lms.mail import language_of, send_to
from lms.urls import external_url


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


def send_reminders(now: datetime | None = None) -> int:
    """Mail each accepted participant who has handed nothing in for an assignment due within
    REMINDER_HOURS_BEFORE hours; each reminder at most once (its mail key). The count."""
    now = now or utcnow()
    ahead = now + timedelta(hours=int(current_app.config["REMINDER_HOURS_BEFORE"]))
    today = now.date()
    running = db.session.scalars(select(Cohort).where(
        Cohort.starts_on <= today + timedelta(days=1), Cohort.ends_on >= today - timedelta(
            days=60)))
    sent = 0
    for cohort in running:
        for course in program_courses(cohort.program):
            for assignment in services.assignments_of(course):
                due = services.due_at(assignment, cohort)
                if not now < due <= ahead:
                    continue
                handed_in = set(db.session.scalars(select(Submission.user_id).where(
                    Submission.assignment_id == assignment.id,
                    Submission.cohort_id == cohort.id)))
                members = db.session.scalars(select(User).join(
                    CohortMember, CohortMember.user_id == User.id).where(
                    CohortMember.cohort_id == cohort.id,
                    CohortMember.status == MemberStatus.ACCEPTED,
                    User.is_active_account.is_(True)))
                for user in members:
                    if user.id in handed_in:
                        continue
                    url = external_url("assignments.assignment_page", slug=course.slug,
                                       assignment_slug=assignment.slug)

                    def compose(user=user, url=url, assignment=assignment, due=due):
                        subject = _("Reminder: %(title)s is due %(when)s",
                                    title=assignment.title, when=long_datetime(due))
                        body = (_("Hello %(name)s,", name=user.full_name) + "\n\n"
                                + _("You have not handed in %(title)s yet. It is due %(when)s.",
                                    title=assignment.title, when=long_datetime(due))
                                + "\n\n" + url + "\n")
                        return subject, body

                    send_to(user, compose,
                            key=f"reminder:{assignment.id}:{cohort.id}:{user.id}")
                    sent += 1
    db.session.flush()
    return sent


@job("assignments.reminders")
def reminders(row, **_params) -> dict:
    return {"reminders": send_reminders()}
