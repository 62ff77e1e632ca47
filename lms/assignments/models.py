"""Assignments of a course, submissions (every one kept) and their files."""

from datetime import datetime

from sqlalchemy import JSON, Float, ForeignKey, String, Text, UniqueConstraint, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.auth.models import User
from lms.extensions import db


class Assignment(db.Model):
    __tablename__ = "assignments"
    __table_args__ = (UniqueConstraint("course_id", "slug"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"),
                                           index=True)
    slug: Mapped[str] = mapped_column(String(80))
    title: Mapped[str] = mapped_column(String(300))
    instructions_html: Mapped[str] = mapped_column(Text, default="")
    due_days: Mapped[int] = mapped_column(default=0)
    max_score: Mapped[int] = mapped_column(default=100)
    pass_mark: Mapped[float] = mapped_column(Float, default=0.0)
    accepted_types: Mapped[list] = mapped_column(JSON, default=list)
    max_size_mb: Mapped[int] = mapped_column(default=10)
    allow_text: Mapped[bool] = mapped_column(default=True)
    rubric: Mapped[list] = mapped_column(JSON, default=list)
    position: Mapped[int] = mapped_column(default=0)
    content_hash: Mapped[str] = mapped_column(String(64), default="")
    is_active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())

    def __repr__(self) -> str:
        return f"<Assignment {self.course_id}/{self.slug}>"


class Submission(db.Model):
    """One hand-in. A resubmission is a new row, so the history is never lost."""

    __tablename__ = "submissions"
    __table_args__ = (UniqueConstraint("assignment_id", "cohort_id", "user_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    assignment_id: Mapped[int] = mapped_column(
        ForeignKey("assignments.id", ondelete="CASCADE"), index=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"),
                                           index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(default=1)
    text: Mapped[str] = mapped_column(Text, default="")
    submitted_at: Mapped[datetime]
    is_late: Mapped[bool] = mapped_column(default=False)
    # "submitted", "graded" or "returned" (for revision).
    status: Mapped[str] = mapped_column(String(20), default="submitted", index=True)
    score: Mapped[float | None] = mapped_column(Float)
    rubric_levels: Mapped[dict] = mapped_column(JSON, default=dict)
    comment: Mapped[str | None] = mapped_column(Text)
    graded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    graded_at: Mapped[datetime | None]

    assignment: Mapped[Assignment] = relationship()
    user: Mapped[User] = relationship(foreign_keys=[user_id])
    files: Mapped[list["SubmissionFile"]] = relationship(
        back_populates="submission", order_by="SubmissionFile.id", cascade="all, delete-orphan")

    def __repr__(self) -> str:
        return f"<Submission {self.id} user={self.user_id} #{self.number} {self.status}>"


class SubmissionFile(db.Model):
    __tablename__ = "submission_files"

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(
        ForeignKey("submissions.id", ondelete="CASCADE"), index=True)
    original_name: Mapped[str] = mapped_column(String(255))
    # A random name under instance/uploads/: nothing the participant typed reaches the disk.
    stored_name: Mapped[str] = mapped_column(String(80), unique=True)
    kind: Mapped[str] = mapped_column(String(10))  # pdf, docx, ... as found in the content
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64))

    submission: Mapped[Submission] = relationship(back_populates="files")

    def __repr__(self) -> str:
        return f"<SubmissionFile {self.id} {self.kind} {self.size}>"
