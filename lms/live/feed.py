"""The calendar feed: a per-person secret address and the iCalendar text behind it.

A phone subscribes without a session cookie, so the address itself is the credential:
the user id and an HMAC of user and cohort with the app's SECRET_KEY. It reveals
nothing but the schedule, stops working when the person leaves the cohort, and
changing SECRET_KEY revokes every address at once.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import or_, select

from lms.auth.models import User
from lms.cohorts.access import cohort_access
from lms.cohorts.models import Cohort
from lms.extensions import db
from lms.live import ical
from lms.live.models import LiveSession
from lms.live.services import (
    cancelled_upcoming,
    has_ended,
    link_shown,
    series_sessions,
    sessions_of,
)
from lms.urls import public_base


def _mac(user_id: int, cohort_id: int) -> str:
    key = str(current_app.config["SECRET_KEY"]).encode()
    message = f"lms.live.calendar:{user_id}:{cohort_id}".encode()
    digest = hmac.new(key, message, hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest[:24]).decode()  # 192 bits, 32 characters


def feed_token(user_id: int, cohort_id: int) -> str:
    """A secret for the user's subscription to one cohort's calendar: the user id and an
    HMAC of user and cohort with the app's SECRET_KEY (changing the key revokes all)."""
    return f"{user_id}.{_mac(user_id, cohort_id)}"


def feed_user(cohort: Cohort, token: str) -> User | None:
    """The user the token was made for, if it is right for this cohort and the user may
    still see the schedule; None otherwise."""
    user_part, _dot, mac = (token or "").partition(".")
    if not user_part.isdigit() or len(user_part) > 12 or not mac:
        return None
    user_id = int(user_part)
    if not hmac.compare_digest(mac.encode(), _mac(user_id, cohort.id).encode()):
        return None
    user = db.session.get(User, user_id)
    if user is None or not user.is_active or not cohort_access(cohort, user).may_view:
        return None
    return user


DEADLINE_LENGTH = timedelta(minutes=30)  # a deadline is shown as the half hour before it


def feed_text(cohort: Cohort, user: User, now: datetime, page_url: str) -> str:
    """The cohort's calendar as iCalendar text, as the schedule page shows it to user:
    its live sessions (a weekly series as one recurring event), the close times of its
    quizzes, the due times of its assignments, its first and last day and the evaluation
    window.

    The meeting link is in an event only when the page would show it to this person now
    (see services.link_shown); a phone refreshes the feed about every hour, so the page
    stays the place to find the link. A cancelled single session stays in the feed, as
    STATUS:CANCELLED with a higher SEQUENCE, until it is over, so that a phone that
    imported it removes it; after that it is left out. A cancelled occurrence of a series
    is an EXDATE of the series.
    """
    host = urlsplit(public_base()).hostname or "lms"
    who = cohort_access(cohort, user)
    events = []
    singles = [s for s in [*sessions_of(cohort), *cancelled_upcoming(cohort, now)]
               if s.series_id is None]
    for session in singles:
        events.append(_session_event(session, who, now, page_url,
                                     uid=f"live-session-{session.id}@{host}"))
    events += _series_events(cohort, who, now, page_url, host)
    events += deadline_events(cohort, host)
    events.sort(key=lambda e: (e.all_day[0] if e.all_day else e.starts_at.date(),
                               e.starts_at, e.uid, e.recurrence_id or e.starts_at))
    return ical.calendar(events, name=_("%(cohort)s: schedule and deadlines",
                                        cohort=cohort.name), stamp=now)


def _session_event(session: LiveSession, who, now: datetime, page_url: str, *, uid: str,
                   **extra) -> ical.CalendarEvent:
    link = session.meeting_url if link_shown(session, who, now) else ""
    lines = [_("Cancelled.")] if session.cancelled_at else []
    lines += [session.course.title] if session.course else []
    if session.instructor:
        lines.append(_("Instructor: %(name)s", name=session.instructor.full_name))
    if link:
        lines.append(_("Meeting link: %(url)s", url=link))
    if session.recording_url and has_ended(session, now):
        lines.append(_("Recording: %(url)s", url=session.recording_url))
    lines.append(_("Schedule and check-in: %(url)s", url=page_url))
    return ical.CalendarEvent(
        uid=uid, starts_at=session.starts_at, ends_at=session.ends_at, summary=session.topic,
        description="\n".join(lines), url=link or page_url, location=link or None,
        sequence=session.revision, cancelled=session.cancelled_at is not None,
        categories="Live session", **extra)


def _series_events(cohort: Cohort, who, now: datetime, page_url: str,
                   host: str) -> list[ical.CalendarEvent]:
    """Each weekly series: one event with RRULE and EXDATE, and an event of its own
    (RECURRENCE-ID) for each occurrence that differs from the series (moved, renamed,
    edited) or whose meeting link this reader may see now."""
    by_series: dict[int, list[LiveSession]] = {}
    for session in series_sessions(cohort):
        by_series.setdefault(session.series_id, []).append(session)
    events = []
    for occurrences in by_series.values():
        series = occurrences[0].series
        uid = f"live-series-{series.id}@{host}"
        length = series.ends_at - series.starts_at
        cancelled = tuple(o.series_slot for o in occurrences if o.cancelled_at)
        first = occurrences[0]
        lines = [first.course.title] if first.course else []
        lines.append(_("Every week, %(n)d sessions. Schedule, meeting link and check-in: "
                       "%(url)s", n=series.weeks, url=page_url))
        events.append(ical.CalendarEvent(
            uid=uid, starts_at=series.starts_at, ends_at=series.ends_at, summary=series.topic,
            description="\n".join(lines), url=page_url, weekly_count=series.weeks,
            exdates=cancelled, sequence=len(cancelled), categories="Live session"))
        for occurrence in occurrences:
            if occurrence.cancelled_at:
                continue
            changed = (occurrence.starts_at != occurrence.series_slot
                       or occurrence.ends_at - occurrence.starts_at != length
                       or occurrence.topic != series.topic or occurrence.revision > 0
                       or bool(occurrence.recording_url and has_ended(occurrence, now)))
            if changed or link_shown(occurrence, who, now):
                events.append(_session_event(occurrence, who, now, page_url, uid=uid,
                                             recurrence_id=occurrence.series_slot))
    return events


def deadline_events(cohort: Cohort, host: str) -> list[ical.CalendarEvent]:
    """Quiz close times, assignment due times (events ending at the deadline; see
    docs/notifications.md for why events and not VTODO), the cohort's first and last day
    and its evaluation window (day events)."""
    from lms.assignments.models import Assignment
    from lms.assignments.services import due_at
    from lms.cohorts.services import program_courses
    from lms.evaluations.window import answer_until
    from lms.i18n import long_date
    from lms.quizzes.design import opens_in_cohort
    from lms.quizzes.models import Quiz
    from lms.urls import external_url

    courses = {c.id: c for c in program_courses(cohort.program)}
    events = []
    if courses:
        # Quizzes that close at a set time, and those that open some days into the angkatan
        # (the program post-test), in one query.
        for quiz in db.session.scalars(select(Quiz).where(
                Quiz.course_id.in_(list(courses)), Quiz.is_active.is_(True),
                or_(Quiz.closes_at.is_not(None), Quiz.opens_day.is_not(None)))
                .order_by(Quiz.closes_at, Quiz.id)):
            course = courses[quiz.course_id]
            url = external_url("quizzes.quiz_page", slug=course.slug, quiz_slug=quiz.slug)
            if quiz.closes_at is not None:
                events.append(ical.CalendarEvent(
                    uid=f"quiz-closes-{quiz.id}-{cohort.id}@{host}",
                    starts_at=quiz.closes_at - DEADLINE_LENGTH, ends_at=quiz.closes_at,
                    summary=_("Quiz closes: %(title)s", title=quiz.title),
                    description=f"{course.title}\n{url}", url=url, categories="Deadline"))
            if quiz.opens_day is not None:
                opens = opens_in_cohort(quiz, cohort.starts_on)
                events.append(ical.CalendarEvent(
                    uid=f"quiz-opens-{quiz.id}-{cohort.id}@{host}",
                    starts_at=opens, ends_at=opens + DEADLINE_LENGTH,
                    summary=_("Quiz opens: %(title)s", title=quiz.title),
                    description=f"{course.title}\n{url}", url=url, categories="Quiz"))
        for assignment in db.session.scalars(select(Assignment).where(
                Assignment.course_id.in_(list(courses)), Assignment.is_active.is_(True))
                .order_by(Assignment.position, Assignment.id)):
            course = courses[assignment.course_id]
            due = due_at(assignment, cohort)
            url = external_url("assignments.assignment_page", slug=course.slug,
                               assignment_slug=assignment.slug)
            events.append(ical.CalendarEvent(
                uid=f"assignment-due-{assignment.id}-{cohort.id}@{host}",
                starts_at=due - DEADLINE_LENGTH, ends_at=due,
                summary=_("Assignment due: %(title)s", title=assignment.title),
                description=f"{course.title}\n{url}", url=url, categories="Deadline"))
    midnight = datetime.combine(cohort.starts_on, datetime.min.time())
    for uid, first, last, summary in (
            ("cohort-start", cohort.starts_on, cohort.starts_on,
             _("%(cohort)s begins", cohort=cohort.name)),
            ("cohort-end", cohort.ends_on, cohort.ends_on,
             _("%(cohort)s ends", cohort=cohort.name)),
            ("evaluation", cohort.ends_on, answer_until(cohort),
             _("Training evaluation: send it by %(day)s", day=long_date(answer_until(cohort))))):
        events.append(ical.CalendarEvent(
            uid=f"{uid}-{cohort.id}@{host}", starts_at=datetime.combine(
                first, datetime.min.time()) if first else midnight, ends_at=midnight,
            summary=summary, all_day=(first, last), categories="Cohort"))
    return events
