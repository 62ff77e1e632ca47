"""What an applicant filled in and uploaded for a cohort's application."""

import enum
from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.cohorts.models import CohortMember
from lms.extensions import db


class ApplicationAnswers(db.Model):
    """The fields of one application ({field id: text}), as the applicant last saved them."""

    __tablename__ = "application_answers"

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(
        ForeignKey("cohort_members.id", ondelete="CASCADE"), unique=True)
    values: Mapped[dict] = mapped_column(JSON, default=dict)
    updated_at: Mapped[datetime] = mapped_column(server_default=func.now(),
                                                 onupdate=func.now())

    member: Mapped[CohortMember] = relationship()

    def __repr__(self) -> str:
        return f"<ApplicationAnswers member={self.member_id}>"


class DocumentStatus(enum.StrEnum):
    SUBMITTED = "submitted"
    ACCEPTED = "accepted"
    CORRECTION = "correction"  # to be corrected: the applicant uploads it again


class ApplicationDocument(db.Model):
    """The current file for one required document of an application. A new upload
    replaces the file (the old one is deleted from disk) and resets the review."""

    __tablename__ = "application_documents"
    __table_args__ = (UniqueConstraint("member_id", "requirement"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(
        ForeignKey("cohort_members.id", ondelete="CASCADE"), index=True)
    requirement: Mapped[str] = mapped_column(String(80))  # the document id in the program file
    original_name: Mapped[str] = mapped_column(String(255))
    # A random name under instance/uploads/applications/: nothing typed reaches the disk.
    stored_name: Mapped[str] = mapped_column(String(80), unique=True)
    kind: Mapped[str] = mapped_column(String(10))
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64))
    uploaded_at: Mapped[datetime]
    status: Mapped[str] = mapped_column(String(20), default=DocumentStatus.SUBMITTED)
    note: Mapped[str] = mapped_column(Text, default="")
    reviewed_at: Mapped[datetime | None]
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id",
                                                                  ondelete="SET NULL"))

    member: Mapped[CohortMember] = relationship()

    def __repr__(self) -> str:
        return f"<ApplicationDocument {self.id} {self.requirement} {self.status}>"
