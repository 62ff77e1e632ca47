"""Live sessions of a cohort, attendance at them, and each person's time zone."""

import enum
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.auth.models import User
from lms.cohorts.models import Cohort
from lms.courses.models import Course
from lms.extensions import db
from lms.live.zones import DEFAULT_ZONE


class AttendanceStatus(enum.StrEnum):
    PRESENT = "present"
    ABSENT = "absent"
    EXCUSED = "excused"  # absent with the instructor's leave: counts as attended


class LiveSeries(db.Model):
    """A weekly series of sessions entered once: `weeks` occurrences from the first one's
    times. Each occurrence is a LiveSession of its own (attendance, check-in, editing and
    cancelling work per occurrence); the calendar feed writes the series as one event
    with RRULE, EXDATE for cancelled occurrences and RECURRENCE-ID for changed ones."""

    __tablename__ = "live_series"

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"),
                                           index=True)
    topic: Mapped[str] = mapped_column(String(200))
    starts_at: Mapped[datetime]  # the first occurrence as entered, naive UTC
    ends_at: Mapped[datetime]
    weeks: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())

    def __repr__(self) -> str:
        return f"<LiveSeries {self.id} cohort={self.cohort_id} x{self.weeks}>"


class LiveSession(db.Model):
    """One video conference of a cohort. Times are naive UTC, shown in each reader's zone."""

    __tablename__ = "live_sessions"
    __table_args__ = (CheckConstraint("ends_at > starts_at", name="ends_after_start"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"),
                                           index=True)
    # None: a session of the whole cohort (opening, closing), scheduled by coordinators.
    course_id: Mapped[int | None] = mapped_column(
        ForeignKey("courses.id", ondelete="SET NULL"))
    instructor_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"))
    topic: Mapped[str] = mapped_column(String(200))
    starts_at: Mapped[datetime] = mapped_column(index=True)
    ends_at: Mapped[datetime]
    meeting_url: Mapped[str] = mapped_column(String(500), default="")
    recording_url: Mapped[str] = mapped_column(String(500), default="")
    # Counts edits: the calendar feed's SEQUENCE, so subscribed phones take the new times.
    revision: Mapped[int] = mapped_column(default=0)
    # Set instead of deleting the row: until it is over, the calendar feed keeps the session
    # as STATUS:CANCELLED so that subscribed phones remove it. Pages and counts skip it.
    cancelled_at: Mapped[datetime | None]
    # An occurrence of a weekly series: the series and the start it had in the series
    # (the RECURRENCE-ID of the feed, which stays when the occurrence is moved).
    series_id: Mapped[int | None] = mapped_column(
        ForeignKey("live_series.id", ondelete="SET NULL"), index=True)
    series_slot: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())

    cohort: Mapped[Cohort] = relationship()
    course: Mapped[Course | None] = relationship()
    instructor: Mapped[User | None] = relationship()
    series: Mapped[LiveSeries | None] = relationship()

    def __repr__(self) -> str:
        return f"<LiveSession {self.id} cohort={self.cohort_id} {self.starts_at:%Y-%m-%d %H:%M}>"


class Attendance(db.Model):
    """A participant's attendance at one session: checked in, or set by an instructor."""

    __tablename__ = "attendances"
    __table_args__ = (UniqueConstraint("session_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(
        ForeignKey("live_sessions.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(20), default=AttendanceStatus.PRESENT)
    checked_in_at: Mapped[datetime | None]  # set by the participant's own check-in
    corrected_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"))
    corrected_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())

    session: Mapped[LiveSession] = relationship()
    user: Mapped[User] = relationship(foreign_keys=[user_id])
    corrected_by: Mapped[User | None] = relationship(foreign_keys=[corrected_by_id])

    def __repr__(self) -> str:
        return f"<Attendance session={self.session_id} user={self.user_id} {self.status}>"


class UserPreference(db.Model):
    """Per-person settings of this feature; today only the time zone times are shown in."""

    __tablename__ = "user_preferences"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"),
                                         unique=True)
    time_zone: Mapped[str] = mapped_column(String(40), default=DEFAULT_ZONE)
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())

    def __repr__(self) -> str:
        return f"<UserPreference user={self.user_id} {self.time_zone}>"
