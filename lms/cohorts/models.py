"""Cohorts ("angkatan") of a program, their members, instructors and announcements."""

import enum
from datetime import date, datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.auth.models import User
from lms.courses.models import Course, Program
from lms.extensions import db


class EnrollmentMode(enum.StrEnum):
    OPEN = "open"  # anyone may join while registration is open, up to capacity
    KEY = "key"  # joining needs the enrollment key
    APPLICATION = "application"  # participants apply; coordinators select
    INVITATION = "invitation"  # coordinators enroll (CSV or one by one)


class MemberStatus(enum.StrEnum):
    APPLIED = "applied"
    ACCEPTED = "accepted"
    WAITLISTED = "waitlisted"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"


class Cohort(db.Model):
    __tablename__ = "cohorts"

    id: Mapped[int] = mapped_column(primary_key=True)
    program_id: Mapped[int] = mapped_column(ForeignKey("programs.id"), index=True)
    # Stable, readable id used in addresses and the CLI: e.g. diklat-ppbd-2026-2.
    code: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(String(200))  # "Angkatan II Tahun 2026"
    number: Mapped[int] = mapped_column(default=1)
    year: Mapped[int]
    description: Mapped[str] = mapped_column(Text, default="")
    registration_opens_on: Mapped[date | None]
    registration_closes_on: Mapped[date | None]
    starts_on: Mapped[date]
    ends_on: Mapped[date]
    capacity: Mapped[int] = mapped_column(default=40)
    enrollment_mode: Mapped[str] = mapped_column(String(20), default=EnrollmentMode.APPLICATION)
    enrollment_key: Mapped[str | None] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(server_default=func.now(), onupdate=func.now())

    program: Mapped[Program] = relationship()

    def registration_open(self, today: date) -> bool:
        if self.enrollment_mode == EnrollmentMode.INVITATION:
            return False
        if self.registration_opens_on and today < self.registration_opens_on:
            return False
        return not (self.registration_closes_on and today > self.registration_closes_on)

    def __repr__(self) -> str:
        return f"<Cohort {self.code}>"


class CohortMember(db.Model):
    __tablename__ = "cohort_members"
    __table_args__ = (UniqueConstraint("cohort_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"),
                                           index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(20), default=MemberStatus.APPLIED, index=True)
    source: Mapped[str] = mapped_column(String(20), default="application")
    motivation: Mapped[str] = mapped_column(Text, default="")
    statement: Mapped[str] = mapped_column(Text, default="")
    institution: Mapped[str] = mapped_column(String(200), default="")
    position: Mapped[str] = mapped_column(String(200), default="")
    applied_at: Mapped[datetime] = mapped_column(server_default=func.now())
    decided_at: Mapped[datetime | None]
    decided_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"))
    waitlisted_at: Mapped[datetime | None]

    cohort: Mapped[Cohort] = relationship()
    user: Mapped[User] = relationship(foreign_keys=[user_id])

    def __repr__(self) -> str:
        return f"<CohortMember cohort={self.cohort_id} user={self.user_id} {self.status}>"


class ProgramCoordinator(db.Model):
    """A coordinator limited to some programs. A coordinator with no row here manages every
    program (a small site needs no setup); one with rows manages only those programs'
    cohorts. Admins manage everything."""

    __tablename__ = "program_coordinators"
    __table_args__ = (UniqueConstraint("program_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    program_id: Mapped[int] = mapped_column(ForeignKey("programs.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())

    program: Mapped[Program] = relationship()

    def __repr__(self) -> str:
        return f"<ProgramCoordinator program={self.program_id} user={self.user_id}>"


class CohortInstructor(db.Model):
    __tablename__ = "cohort_instructors"
    __table_args__ = (UniqueConstraint("cohort_id", "course_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"),
                                           index=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)

    course: Mapped[Course] = relationship()
    user: Mapped[User] = relationship()

    def __repr__(self) -> str:
        return f"<CohortInstructor cohort={self.cohort_id} course={self.course_id}>"


class Announcement(db.Model):
    __tablename__ = "announcements"

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"),
                                           index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    title: Mapped[str] = mapped_column(String(200))
    body_markdown: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)  # rendered and sanitized once, when posted
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())

    author: Mapped[User | None] = relationship()

    def __repr__(self) -> str:
        return f"<Announcement {self.id} cohort={self.cohort_id}>"
