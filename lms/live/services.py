"""Live sessions: who may do what, scheduling, check-in, attendance, time zone choice.

Plain values in (times as naive UTC); rows flushed; the caller commits once. A refused
action raises LiveError before anything is changed. Schedule changes and attendance
corrections are written to the audit log in the same transaction.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload, selectinload

from lms.audit import services as audit
from lms.auth.models import User
from lms.clock import utcnow
from lms.cohorts import services as cohorts
from lms.cohorts.access import CohortAccess
from lms.cohorts.models import Cohort, CohortInstructor, CohortMember, MemberStatus
from lms.courses.models import Course
from lms.extensions import db
from lms.live.models import Attendance, AttendanceStatus, LiveSeries, LiveSession, UserPreference
from lms.live.zones import DEFAULT_ZONE, ZONE_NAMES

CHECK_IN_EARLY = timedelta(minutes=10)  # check-in opens this long before the start
LINK_EARLY = timedelta(minutes=30)  # the meeting link shows this long before the start
MAX_LENGTH = timedelta(hours=12)  # longer is a typing mistake, not a class
COUNTED = (AttendanceStatus.PRESENT.value, AttendanceStatus.EXCUSED.value)
SESSION_FIELDS = ("topic", "course_id", "instructor_id", "starts_at", "ends_at",
                  "meeting_url", "recording_url")


class LiveError(ValueError):
    """A refused action; `code` names the field or rule, `detail` is the message to show."""

    def __init__(self, code: str, detail: str = ""):
        super().__init__(f"{code}: {detail}" if detail else code)
        self.code = code
        self.detail = detail


# Who may do what ----------------------------------------------------------------------

def may_schedule(who: CohortAccess, course_id: int | None) -> bool:
    """Coordinators any session; instructors only for a course they teach here."""
    return who.manager or who.teaches(course_id)


def may_take_attendance(who: CohortAccess, session: LiveSession) -> bool:
    return who.manager or session.instructor_id == who.user_id or who.teaches(session.course_id)


def schedulable_courses(who: CohortAccess, cohort: Cohort) -> list[Course]:
    return [c for c in cohorts.program_courses(cohort.program) if may_schedule(who, c.id)]


def instructor_choices(cohort: Cohort, who: CohortAccess) -> list[User]:
    """Who may lead a session: the cohort's instructors, and the person scheduling it."""
    ids = set(db.session.scalars(select(CohortInstructor.user_id).where(
        CohortInstructor.cohort_id == cohort.id))) | {who.user_id}
    return list(db.session.scalars(select(User).where(User.id.in_(ids))
                                   .order_by(User.full_name)))


# Windows (pure) -----------------------------------------------------------------------

def check_in_open(session: LiveSession, now: datetime) -> bool:
    return session.starts_at - CHECK_IN_EARLY <= now <= session.ends_at


def link_visible(session: LiveSession, now: datetime) -> bool:
    return bool(session.meeting_url) and session.starts_at - LINK_EARLY <= now <= session.ends_at


def link_shown(session: LiveSession, who: CohortAccess | None, now: datetime) -> bool:
    """Whether the schedule page and the calendar feed give this reader the meeting link:
    those who run the session from when it is scheduled, everybody else from 30 minutes
    before the start; nobody once it has ended or when it was cancelled."""
    if not session.meeting_url or has_ended(session, now) or session.cancelled_at:
        return False
    staff = who is not None and (may_schedule(who, session.course_id)
                                 or may_take_attendance(who, session))
    return staff or link_visible(session, now)


def has_ended(session: LiveSession, now: datetime) -> bool:
    return session.ends_at < now


def percent(attended: int, held: int) -> float | None:
    """Share of the sessions held so far; None while none has been held."""
    return round(100 * attended / held, 1) if held else None


def own_percent(sessions: list[LiveSession], mine: dict[int, Attendance],
                now: datetime) -> float | None:
    """One participant's attendance from the cohort's sessions and their own records."""
    ended = [s for s in sessions if has_ended(s, now)]
    return percent(sum(1 for s in ended if s.id in mine and mine[s.id].status in COUNTED),
                   len(ended))


# Sessions -----------------------------------------------------------------------------

@dataclass
class SessionFields:
    topic: str
    starts_at: datetime  # naive UTC
    ends_at: datetime  # naive UTC
    course_id: int | None = None
    instructor_id: int | None = None
    meeting_url: str = ""
    recording_url: str = ""


# What a listed session shows besides its own columns (loaded with it: templates send no
# SQL, and a schedule with several instructors sent one statement for each).
_SHOWN = (joinedload(LiveSession.instructor), joinedload(LiveSession.course))


def sessions_of(cohort: Cohort) -> list[LiveSession]:
    """The cohort's sessions that take place (cancelled ones are left out)."""
    return list(db.session.scalars(select(LiveSession).options(*_SHOWN).where(
        LiveSession.cohort_id == cohort.id, LiveSession.cancelled_at.is_(None))
        .order_by(LiveSession.starts_at, LiveSession.id)))


def cancelled_upcoming(cohort: Cohort, now: datetime) -> list[LiveSession]:
    """Cancelled sessions that are not over yet: still announced as cancelled."""
    return list(db.session.scalars(select(LiveSession).options(*_SHOWN).where(
        LiveSession.cohort_id == cohort.id, LiveSession.cancelled_at.is_not(None),
        LiveSession.ends_at >= now).order_by(LiveSession.starts_at, LiveSession.id)))


def get_session(cohort: Cohort, session_id: int) -> LiveSession | None:
    """The session if it belongs to this cohort and was not cancelled (an id from another
    cohort, or of a cancelled session, is not found)."""
    session = db.session.get(LiveSession, session_id)
    if session is None or session.cohort_id != cohort.id or session.cancelled_at is not None:
        return None
    return session


def _check_url(value: str, code: str) -> str:
    value = (value or "").strip()
    if not value:
        return ""
    parts = urlsplit(value)
    if (parts.scheme not in ("http", "https") or not parts.hostname or len(value) > 500
            or any(ord(ch) <= 32 for ch in value)):
        raise LiveError(code, _("A link must be a web address starting with https:// "
                                "or http://."))
    return value


def _checked(cohort: Cohort, fields: SessionFields, who: CohortAccess) -> dict:
    """The fields to store, or LiveError naming the first problem."""
    topic = " ".join((fields.topic or "").split())
    if not topic:
        raise LiveError("topic", _("A session needs a topic."))
    if len(topic) > 200:
        raise LiveError("topic", _("The topic is longer than 200 characters."))
    if fields.ends_at <= fields.starts_at:
        raise LiveError("ends_at", _("The session ends before it starts: the end time must "
                                     "be later than the start time."))
    if fields.ends_at - fields.starts_at > MAX_LENGTH:
        raise LiveError("ends_at", _("A session may last at most 12 hours."))
    program_courses = {c.id for c in cohorts.program_courses(cohort.program)}
    if fields.course_id is not None and fields.course_id not in program_courses:
        raise LiveError("course_id", _("This course is not part of the cohort's program."))
    if not may_schedule(who, fields.course_id):
        raise LiveError("course_id", _("You may schedule sessions only for the courses you "
                                       "teach in this cohort."))
    if fields.instructor_id is not None and fields.instructor_id not in {
            u.id for u in instructor_choices(cohort, who)}:
        raise LiveError("instructor_id", _("Choose one of the cohort's instructors."))
    return {"topic": topic, "course_id": fields.course_id,
            "instructor_id": fields.instructor_id, "starts_at": fields.starts_at,
            "ends_at": fields.ends_at,
            "meeting_url": _check_url(fields.meeting_url, "meeting_url"),
            "recording_url": _check_url(fields.recording_url, "recording_url")}


def create_session(cohort: Cohort, fields: SessionFields, who: CohortAccess) -> LiveSession:
    """A new session; refuses end before start, bad links and courses the actor does not
    teach."""
    values = _checked(cohort, fields, who)
    session = LiveSession(cohort_id=cohort.id, **values)
    db.session.add(session)
    db.session.flush()
    audit.record(who.user_id, "live.create", "live_session", session.id,
                 f"{cohort.code}: {session.topic}", audit.diff({}, values))
    return session


MAX_WEEKS = 26  # a series of half a year at most; longer is a typing mistake


def create_series(cohort: Cohort, fields: SessionFields, who: CohortAccess,
                  weeks: int) -> LiveSession:
    """A weekly series entered once: `weeks` sessions, each a week after the one before
    (Indonesia keeps no daylight saving time, so a week later is the same local time);
    the first session. One week is a single session, as create_session makes."""
    if not 1 <= weeks <= MAX_WEEKS:
        raise LiveError("weeks", _("A weekly series has from 1 to %(n)d sessions.",
                                   n=MAX_WEEKS))
    if weeks == 1:
        return create_session(cohort, fields, who)
    values = _checked(cohort, fields, who)
    series = LiveSeries(cohort_id=cohort.id, topic=values["topic"],
                        starts_at=values["starts_at"], ends_at=values["ends_at"], weeks=weeks)
    db.session.add(series)
    db.session.flush()
    first = None
    for week in range(weeks):
        shift = timedelta(weeks=week)
        session = LiveSession(cohort_id=cohort.id, **{
            **values, "starts_at": values["starts_at"] + shift,
            "ends_at": values["ends_at"] + shift}, series_id=series.id,
            series_slot=values["starts_at"] + shift)
        db.session.add(session)
        first = first or session
    db.session.flush()
    audit.record(who.user_id, "live.create_series", "live_session", first.id,
                 f"{cohort.code}: {series.topic} ×{weeks}",
                 audit.diff({}, {**values, "weeks": weeks}))
    return first


def series_sessions(cohort: Cohort) -> list[LiveSession]:
    """Every occurrence of the cohort's series, cancelled ones too (the feed's EXDATEs)."""
    return list(db.session.scalars(select(LiveSession).where(
        LiveSession.cohort_id == cohort.id, LiveSession.series_id.is_not(None))
        .order_by(LiveSession.series_slot, LiveSession.id)))


def update_session(session: LiveSession, fields: SessionFields, who: CohortAccess) -> dict:
    """Change a session; the same checks as creating, and the actor must be allowed to
    schedule both the old course and the new one."""
    if not may_schedule(who, session.course_id):
        raise LiveError("course_id", _("You may change only the sessions of the courses you "
                                       "teach in this cohort."))
    values = _checked(session.cohort, fields, who)
    before = {k: getattr(session, k) for k in SESSION_FIELDS}
    changes = audit.diff(before, values)
    if changes:
        for key, value in values.items():
            setattr(session, key, value)
        session.revision += 1
        audit.record(who.user_id, "live.update", "live_session", session.id,
                     f"{session.cohort.code}: {session.topic}", changes)
        db.session.flush()
    return changes


def cancel_session(session: LiveSession, who: CohortAccess, now: datetime) -> None:
    """Cancel a session (or take back one entered by mistake). The row stays, marked
    cancelled with a higher revision, so that the calendar feed tells subscribed phones to
    remove it; every page, the register and the attendance percentages leave it out."""
    if not may_schedule(who, session.course_id):
        raise LiveError("course_id", _("You may change only the sessions of the courses you "
                                       "teach in this cohort."))
    if session.cancelled_at is not None:
        return
    session.cancelled_at = now
    session.revision += 1
    audit.record(who.user_id, "live.cancel", "live_session", session.id,
                 f"{session.cohort.code}: {session.topic} "
                 f"{session.starts_at.isoformat(timespec='minutes')}Z")
    db.session.flush()


# Attendance ---------------------------------------------------------------------------

def check_in(session: LiveSession, who: CohortAccess, now: datetime) -> Attendance:
    """Record the participant as present. Only from 10 minutes before the start until the
    end; checking in twice changes nothing."""
    if not who.participant:
        raise LiveError("member", _("Only participants of this cohort can check in."))
    if not check_in_open(session, now):
        if now < session.starts_at:
            raise LiveError("early", _("Check-in has not opened yet: it opens 10 minutes "
                                       "before the session starts."))
        raise LiveError("late", _("Check-in is closed: it closed when the session ended. "
                                  "Ask the instructor if you took part."))
    mine = select(Attendance).where(Attendance.session_id == session.id,
                                    Attendance.user_id == who.user_id)
    row = db.session.scalar(mine)
    if row is None:
        try:
            with db.session.begin_nested():
                row = Attendance(session_id=session.id, user_id=who.user_id,
                                 status=AttendanceStatus.PRESENT, checked_in_at=now)
                db.session.add(row)
            return row
        except IntegrityError:  # a double tap: the other request's check-in stands
            row = db.session.scalar(mine)
    if row.status == AttendanceStatus.PRESENT:
        return row
    row.status = AttendanceStatus.PRESENT
    row.checked_in_at = now
    db.session.flush()
    return row


def participants(cohort: Cohort) -> list[User]:
    return list(db.session.scalars(
        select(User).join(CohortMember, CohortMember.user_id == User.id)
        .where(CohortMember.cohort_id == cohort.id, CohortMember.status == MemberStatus.ACCEPTED)
        .order_by(User.full_name, User.id)))


def attendance_at(session: LiveSession) -> dict[int, Attendance]:
    """The session's attendance by user id, with who corrected each (two queries)."""
    return {a.user_id: a for a in db.session.scalars(
        select(Attendance).where(Attendance.session_id == session.id)
        .options(selectinload(Attendance.corrected_by)))}


def set_attendance(session: LiveSession, marks: dict[int, str], who: CohortAccess,
                   now: datetime) -> int:
    """Set participants' status (present, absent, excused), recording who corrected it and
    when. Refuses unknown statuses and people who are not participants; returns how many
    changed."""
    if not may_take_attendance(who, session):
        raise LiveError("access", _("You may take attendance only for your own sessions."))
    allowed = {s.value for s in AttendanceStatus}
    if any(status not in allowed for status in marks.values()):
        raise LiveError("status", _("Unknown attendance status."))
    members = {u.id for u in participants(session.cohort)}
    if not set(marks) <= members:
        raise LiveError("member", _("Some of these people are not participants of this "
                                    "cohort."))
    rows = attendance_at(session)
    changes = {}
    for user_id, status in sorted(marks.items()):
        row = rows.get(user_id)
        if row is not None and row.status == status:
            continue
        if row is None:
            row = Attendance(session_id=session.id, user_id=user_id)
            db.session.add(row)
        changes[str(user_id)] = [row.status if row.id else None, status]
        row.status = status
        row.corrected_by_id = who.user_id
        row.corrected_at = now
    if changes:
        audit.record(who.user_id, "live.attendance", "live_session", session.id,
                     f"{session.cohort.code}: {session.topic}", changes)
        db.session.flush()
    return len(changes)


def own_attendance(cohort: Cohort, user_id: int) -> dict[int, Attendance]:
    """The person's attendance in the cohort's sessions, by session id."""
    return {a.session_id: a for a in db.session.scalars(
        select(Attendance).join(LiveSession, LiveSession.id == Attendance.session_id)
        .where(LiveSession.cohort_id == cohort.id, LiveSession.cancelled_at.is_(None),
               Attendance.user_id == user_id))}


@dataclass
class RegisterRow:
    user: User
    cells: dict[int, str] = field(default_factory=dict)  # session id -> status
    attended: int = 0
    percent: float | None = None


@dataclass
class Register:
    sessions: list[LiveSession]
    rows: list[RegisterRow]
    held: int  # sessions that have ended: the denominator of every percentage


def register(cohort: Cohort, now: datetime) -> Register:
    """Participants × sessions with each one's attendance percentage, in three queries."""
    sessions = sessions_of(cohort)
    ended = {s.id for s in sessions if has_ended(s, now)}
    rows = {u.id: RegisterRow(user=u) for u in participants(cohort)}
    for row_user, session_id, status in db.session.execute(
            select(Attendance.user_id, Attendance.session_id, Attendance.status)
            .join(LiveSession, LiveSession.id == Attendance.session_id)
            .where(LiveSession.cohort_id == cohort.id, LiveSession.cancelled_at.is_(None))):
        row = rows.get(row_user)
        if row is None:
            continue  # withdrawn since: kept in the database, not shown
        row.cells[session_id] = status
        if session_id in ended and status in COUNTED:
            row.attended += 1
    for row in rows.values():
        row.percent = percent(row.attended, len(ended))
    return Register(sessions=sessions, rows=list(rows.values()), held=len(ended))


def attendance_percent_by_user(cohort_id: int, now: datetime | None = None
                               ) -> dict[int, float]:
    """Every accepted participant's attendance in percent: sessions present or excused out
    of the sessions that have ended. One query. 100.0 while no session has been held, so
    the requirement never blocks a cohort without live sessions."""
    now = now or utcnow()
    ended = ((LiveSession.cohort_id == cohort_id) & (LiveSession.ends_at < now)
             & LiveSession.cancelled_at.is_(None))
    held = select(func.count(LiveSession.id)).where(ended).scalar_subquery()
    attended = (select(Attendance.user_id, func.count(Attendance.id).label("n"))
                .join(LiveSession, LiveSession.id == Attendance.session_id)
                .where(ended, Attendance.status.in_(COUNTED))
                .group_by(Attendance.user_id).subquery())
    rows = db.session.execute(
        select(CohortMember.user_id, func.coalesce(attended.c.n, 0), held)
        .outerjoin(attended, attended.c.user_id == CohortMember.user_id)
        .where(CohortMember.cohort_id == cohort_id,
               CohortMember.status == MemberStatus.ACCEPTED))
    return {user_id: 100.0 if not total else round(100 * n / total, 1)
            for user_id, n, total in rows}


def attendance_percent_of(user_id: int, cohort_ids: list[int], now: datetime | None = None
                          ) -> dict[int, float]:
    """user_id's attendance in each of cohort_ids, in percent, by cohort id: one query,
    counted as `attendance_percent_by_user` counts it (100.0 while none has been held)."""
    if not cohort_ids:
        return {}
    now = now or utcnow()
    ended = ((LiveSession.cohort_id.in_(cohort_ids)) & (LiveSession.ends_at < now)
             & LiveSession.cancelled_at.is_(None))
    counted = (Attendance.user_id == user_id) & Attendance.status.in_(COUNTED)
    rows = db.session.execute(
        select(LiveSession.cohort_id, func.count(LiveSession.id),
               func.count(Attendance.id))
        .outerjoin(Attendance, (Attendance.session_id == LiveSession.id) & counted)
        .where(ended).group_by(LiveSession.cohort_id))
    held = {cohort_id: (total, n) for cohort_id, total, n in rows}
    return {cohort_id: 100.0 if not held.get(cohort_id, (0, 0))[0]
            else round(100 * held[cohort_id][1] / held[cohort_id][0], 1)
            for cohort_id in cohort_ids}


# Time zones ---------------------------------------------------------------------------

def time_zone_of(user_id: int | None) -> str:
    if user_id is None:
        return DEFAULT_ZONE
    zone = db.session.scalar(select(UserPreference.time_zone).where(
        UserPreference.user_id == user_id))
    return zone if zone in ZONE_NAMES else DEFAULT_ZONE


def set_time_zone(user_id: int, zone: str) -> None:
    """Remember the zone times are shown in; only Indonesia's four zone names."""
    if zone not in ZONE_NAMES:
        raise LiveError("time_zone", _("Choose WIB, WITA or WIT."))
    preference = db.session.scalar(select(UserPreference).where(
        UserPreference.user_id == user_id))
    if preference is None:
        db.session.add(UserPreference(user_id=user_id, time_zone=zone))
    else:
        preference.time_zone = zone
    db.session.flush()


def upcoming_for(user_id: int, now: datetime, limit: int = 20) -> list[LiveSession]:
    """Sessions not yet over in the cohorts the user is an accepted participant of."""
    return list(db.session.scalars(
        select(LiveSession).options(*_SHOWN, joinedload(LiveSession.cohort))
        .join(CohortMember, CohortMember.cohort_id == LiveSession.cohort_id)
        .where(CohortMember.user_id == user_id, CohortMember.status == MemberStatus.ACCEPTED,
               LiveSession.ends_at >= now, LiveSession.cancelled_at.is_(None))
        .order_by(LiveSession.starts_at, LiveSession.id).limit(limit)))
