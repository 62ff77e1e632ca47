"""Evaluation surveys, their versions, and the two unrelated records of an answered survey.

Anonymity is built into the tables, not left to the pages:

- EvaluationSubmission says THAT a person answered for a cohort (needed for the
  completion list and the certificate), and nothing about what they answered.
- EvaluationResponse holds WHAT was answered, and nothing about who: no user id,
  no link to the submission, a random UUID for a key (never a sequence that
  follows the order of submissions) and only the date, never the time.
"""

from datetime import date, datetime

from sqlalchemy import JSON, Date, ForeignKey, String, UniqueConstraint, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.extensions import db


class EvaluationSurvey(db.Model):
    """A survey file, by its stable id (`evaluasi-diklat`)."""

    __tablename__ = "evaluation_surveys"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    title: Mapped[str] = mapped_column(String(500))
    is_active: Mapped[bool] = mapped_column(default=True)
    synced_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())

    def __repr__(self) -> str:
        return f"<EvaluationSurvey {self.slug}>"


class EvaluationSurveyVersion(db.Model):
    """One content of a survey file; responses point at the version they answered."""

    __tablename__ = "evaluation_survey_versions"
    __table_args__ = (UniqueConstraint("survey_id", "content_hash"),
                      UniqueConstraint("survey_id", "number"))

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(
        ForeignKey("evaluation_surveys.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(default=1)
    content_hash: Mapped[str] = mapped_column(String(64))
    # lms.evaluations.loader.SurveySource.to_dict(): title, scale, items, open questions.
    data: Mapped[dict] = mapped_column(JSON)
    is_current: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())

    survey: Mapped[EvaluationSurvey] = relationship()

    def __repr__(self) -> str:
        return f"<EvaluationSurveyVersion {self.survey_id} v{self.number}>"


class EvaluationSubmission(db.Model):
    """That user_id has answered the evaluation of cohort_id; at most once (unique)."""

    __tablename__ = "evaluation_submissions"
    __table_args__ = (UniqueConstraint("cohort_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"),
                                           index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    submitted_at: Mapped[datetime]

    def __repr__(self) -> str:
        return f"<EvaluationSubmission cohort={self.cohort_id} user={self.user_id}>"


class EvaluationResponse(db.Model):
    """What one (unknown) participant answered. Deliberately no user, no time of day.

    The key is a random UUID (uuid4), so sorting by it orders responses at random,
    never in the order people submitted. On SQLite the table has no hidden rowid
    (WITHOUT ROWID), which would otherwise number rows in insertion order.
    """

    __tablename__ = "evaluation_responses"
    __table_args__ = {"sqlite_with_rowid": False}

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"),
                                           index=True)
    survey_version_id: Mapped[int] = mapped_column(
        ForeignKey("evaluation_survey_versions.id", ondelete="RESTRICT"), index=True)
    # The day only (in the site's time zone): a time would pair each response with the
    # submission saved in the same second. Named _on like the cohorts' other dates.
    created_on: Mapped[date] = mapped_column(Date)
    # {"organiser": {item: value}, "instructors": [{"instructor_id", "course_id",
    #  "ratings": {item: value}}], "open": {question: text}}. instructor_id is the
    # person answered ABOUT (a CohortInstructor's user), never the respondent.
    answers: Mapped[dict] = mapped_column(JSON)

    survey_version: Mapped[EvaluationSurveyVersion] = relationship()

    def __repr__(self) -> str:
        return f"<EvaluationResponse {self.id[:8]} cohort={self.cohort_id}>"
