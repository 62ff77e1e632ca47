"""Reminders and the daily digest, as scheduled jobs (lms/jobs/schedule.py).

`notifications.reminders` runs every REMINDERS_EVERY_MINUTES (a job keyed by its time
slot, so once across hosts): a quiz closing or an assignment due within
REMINDER_HOURS_BEFORE hours that the person has not done (read from lms.progress, the
same reading as /next), and a live session starting within LIVE_REMINDER_MINUTES.
`notifications.digest` runs daily at NOTIFICATION_DIGEST_AT. Each reminder is a
notification with a unique (person, kind, key), so a second run, a second host or a
retried job tells nobody twice; the key holds the due time, so a moved deadline is
reminded again.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select

from lms.auth.models import User
from lms.clock import utcnow
from lms.cohorts.models import Cohort, CohortMember, MemberStatus
from lms.extensions import db
from lms.i18n import long_datetime
from lms.jobs.queue import job
from lms.live.models import LiveSession
from lms.notifications.services import choices_of, notify, send_digests
from lms.progress.agenda import assignment_state, quiz_state
from lms.progress.build import for_cohort
from lms.progress.model import ASSIGNMENT, QUIZ


def _running(now: datetime) -> list[Cohort]:
    today = now.date()
    return list(db.session.scalars(select(Cohort).where(
        Cohort.starts_on <= today + timedelta(days=1),
        Cohort.ends_on >= today - timedelta(days=60))))


def due_reminders(now: datetime | None = None) -> int:
    """Quizzes closing and assignments due within the reminder window, to each accepted
    participant who still has to do them (a quiz passed, a pre-test taken, work handed in
    or waiting for a grade needs no reminder; a quiz or assignment removed from the
    content is not in the progress, so it is never reminded). How many were told."""
    now = now or utcnow()
    ahead = now + timedelta(hours=int(current_app.config["REMINDER_HOURS_BEFORE"]))
    told = 0
    for cohort in _running(now):
        progress = for_cohort(cohort)
        users = {u.id: u for _m, u in progress.members}
        for user_id, person in progress.people.items():
            user = users.get(user_id)
            if user is None or not user.is_active_account:
                continue
            choices = None
            for course in person.courses:
                if not course.course.published:
                    continue
                for item_progress in course.items:
                    item = item_progress.item
                    if item.kind == QUIZ and item.quiz_kind != "practice":
                        due = item.closes_at
                        if due is None or not now < due <= ahead:
                            continue
                        if item.opens_at and item.opens_at > due:
                            continue
                        if quiz_state(item_progress) not in ("todo", "retry"):
                            continue
                        endpoint, params = "quizzes.quiz_page", {
                            "slug": course.course.slug, "quiz_slug": item.slug}
                    elif item.kind == ASSIGNMENT:
                        due = item_progress.due_at
                        if due is None or not now < due <= ahead:
                            continue
                        if assignment_state(item_progress) not in ("todo", "returned"):
                            continue
                        endpoint, params = "assignments.assignment_page", {
                            "slug": course.course.slug, "assignment_slug": item.slug}
                    else:
                        continue
                    choices = choices or choices_of(user)
                    key = f"{item.kind}-due:{item.id}:{cohort.id}:{due.isoformat('T', 'minutes')}"

                    def compose(item=item, due=due, course=course):
                        if item.kind == ASSIGNMENT:
                            return (_("Reminder: %(title)s is due %(when)s", title=item.title,
                                      when=long_datetime(due)),
                                    _("You have not handed in %(title)s yet. It is due "
                                      "%(when)s.", title=item.title, when=long_datetime(due)))
                        return (_("Reminder: the quiz %(title)s closes %(when)s",
                                  title=item.title, when=long_datetime(due)),
                                _("You have not finished the quiz %(title)s (%(course)s) yet. "
                                  "It closes %(when)s.", title=item.title,
                                  course=course.course.title, when=long_datetime(due)))

                    if notify(user, "due_soon", key, compose, endpoint=endpoint,
                              params=params, target=(item.kind, item.id),
                              cohort_id=cohort.id, choices=choices):
                        told += 1
    db.session.flush()
    return told


def live_reminders(now: datetime | None = None) -> int:
    """Sessions starting within LIVE_REMINDER_MINUTES, to the cohort's accepted
    participants: once per person and session start (a moved session is told again)."""
    now = now or utcnow()
    ahead = now + timedelta(minutes=int(current_app.config["LIVE_REMINDER_MINUTES"]))
    told = 0
    sessions = list(db.session.scalars(select(LiveSession).where(
        LiveSession.starts_at > now, LiveSession.starts_at <= ahead,
        LiveSession.cancelled_at.is_(None))))
    for session in sessions:
        people = db.session.scalars(select(User).join(
            CohortMember, CohortMember.user_id == User.id).where(
            CohortMember.cohort_id == session.cohort_id,
            CohortMember.status == MemberStatus.ACCEPTED, User.is_active_account.is_(True)))
        code = session.cohort.code
        for user in people:
            def compose(session=session):
                return (_("Starting soon: %(topic)s, %(when)s", topic=session.topic,
                          when=long_datetime(session.starts_at)),
                        _("The live session %(topic)s starts %(when)s. The meeting link is "
                          "on the schedule page.", topic=session.topic,
                          when=long_datetime(session.starts_at)))

            key = f"live:{session.id}:{session.starts_at.isoformat('T', 'minutes')}"
            if notify(user, "live_soon", key, compose, endpoint="live.schedule",
                      params={"code": code}, target=("live_session", session.id),
                      cohort_id=session.cohort_id):
                told += 1
    db.session.flush()
    return told


@job("notifications.reminders")
def reminders(row, **_params) -> dict:
    return {"due": due_reminders(), "live": live_reminders()}


@job("notifications.digest")
def digest(row, *, day: str, **_params) -> dict:
    return {"digests": send_digests(day)}
