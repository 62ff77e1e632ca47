"""Quizzes, versioned questions, attempts and their items."""

import threading
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import JSON, Float, ForeignKey, String, Text, UniqueConstraint, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.extensions import db
from lms.quizzes.spec import Question


class Quiz(db.Model):
    __tablename__ = "quizzes"
    __table_args__ = (UniqueConstraint("course_id", "slug"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"),
                                           index=True)
    slug: Mapped[str] = mapped_column(String(80))
    title: Mapped[str] = mapped_column(String(300))
    kind: Mapped[str] = mapped_column(String(20), default="practice")
    description_html: Mapped[str] = mapped_column(Text, default="")
    time_limit_minutes: Mapped[int] = mapped_column(default=0)
    attempts_allowed: Mapped[int] = mapped_column(default=0)
    grading: Mapped[str] = mapped_column(String(20), default="highest")
    pass_mark: Mapped[float] = mapped_column(Float, default=0.0)
    shuffle_questions: Mapped[bool] = mapped_column(default=False)
    shuffle_choices: Mapped[bool] = mapped_column(default=False)
    draw_count: Mapped[int] = mapped_column(default=0)
    draw_tag: Mapped[str | None] = mapped_column(String(80))
    # [{"count": n, "tag": t or None}, ...]: each attempt draws n from each pool in turn.
    draw_pools: Mapped[list | None] = mapped_column(JSON, default=list)
    review_score: Mapped[str] = mapped_column(String(20), default="immediately")
    # immediately | after_last_attempt | after_close | never (see quizzes/loader.py)
    review_answers: Mapped[str] = mapped_column(String(20), default="after_close")
    review_feedback: Mapped[str] = mapped_column(String(20), default="immediately")
    opens_at: Mapped[datetime | None]
    closes_at: Mapped[datetime | None]
    # Opens this many days after the start of the person's angkatan, at 00.00 site time
    # (a program post-test taken at the end of the diklat); None: no such rule.
    opens_day: Mapped[int | None]
    position: Mapped[int] = mapped_column(default=0)
    content_hash: Mapped[str] = mapped_column(String(64), default="")
    is_active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(server_default=func.now(), onupdate=func.now())

    def __repr__(self) -> str:
        return f"<Quiz {self.course_id}/{self.slug}>"


class QuestionVersion(db.Model):
    """One version of one question; attempts point at the version they were given."""

    __tablename__ = "question_versions"
    __table_args__ = (UniqueConstraint("quiz_id", "question_slug", "content_hash"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    quiz_id: Mapped[int] = mapped_column(ForeignKey("quizzes.id", ondelete="CASCADE"),
                                         index=True)
    question_slug: Mapped[str] = mapped_column(String(80))
    content_hash: Mapped[str] = mapped_column(String(64))
    data: Mapped[dict] = mapped_column(JSON)
    position: Mapped[int] = mapped_column(default=0)
    is_current: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())

    @property
    def question(self) -> Question:
        """The question as frozen data, built once per process for each version (a version
        never changes; every attempt page, save and submit reads 20 of them)."""
        built = self.__dict__.get("_question")
        if built is None:
            built = known_question(self.id, self.content_hash)
            if built is None:
                built = remember_question(self.id, self.content_hash, self.data)
            self.__dict__["_question"] = built
        return built

    def __repr__(self) -> str:
        return f"<QuestionVersion {self.quiz_id}/{self.question_slug} {self.content_hash[:8]}>"


# Version id and content hash -> Question. The hash is of the data (quizzes/sync.py), so a
# test database that reuses an id for other content misses instead of reading a stale one.
_QUESTIONS: dict[tuple[int | None, str], Question] = {}
_QUESTIONS_KEPT = 4096
_QUESTIONS_LOCK = threading.Lock()


def known_question(version_id: int, content_hash: str) -> Question | None:
    """The Question kept for that version, if this process has built it."""
    return _QUESTIONS.get((version_id, content_hash))


def remember_question(version_id: int | None, content_hash: str, data: dict) -> Question:
    """The Question of a version's data, kept for the next request (see _QUESTIONS)."""
    built = Question.from_dict(data)
    if version_id is not None and content_hash:
        with _QUESTIONS_LOCK:  # gunicorn's threads share the cache
            if len(_QUESTIONS) >= _QUESTIONS_KEPT:
                del _QUESTIONS[next(iter(_QUESTIONS))]  # the oldest: a bound, not an LRU
            _QUESTIONS[(version_id, content_hash)] = built
    return built


class Attempt(db.Model):
    __tablename__ = "attempts"
    __table_args__ = (UniqueConstraint("quiz_id", "user_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    quiz_id: Mapped[int] = mapped_column(ForeignKey("quizzes.id", ondelete="CASCADE"),
                                         index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(default=1)
    started_at: Mapped[datetime]
    deadline_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]
    # "participant" (submitted) or "timeout" (graded when touched after the deadline).
    finished_by: Mapped[str | None] = mapped_column(String(20))
    points: Mapped[float | None] = mapped_column(Float)
    max_points: Mapped[float] = mapped_column(Float, default=0.0)
    # Percent of max_points; None while an essay waits for its grade.
    percent: Mapped[float | None] = mapped_column(Float)
    needs_grading: Mapped[bool] = mapped_column(default=False)

    quiz: Mapped[Quiz] = relationship()
    items: Mapped[list["AttemptItem"]] = relationship(
        back_populates="attempt", order_by="AttemptItem.position", cascade="all, delete-orphan")

    @property
    def is_open(self) -> bool:
        return self.finished_at is None

    def __repr__(self) -> str:
        return f"<Attempt {self.id} quiz={self.quiz_id} user={self.user_id} #{self.number}>"


class AttemptItem(db.Model):
    __tablename__ = "attempt_items"
    __table_args__ = (UniqueConstraint("attempt_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_id: Mapped[int] = mapped_column(ForeignKey("attempts.id", ondelete="CASCADE"),
                                            index=True)
    position: Mapped[int] = mapped_column(default=0)
    question_version_id: Mapped[int] = mapped_column(ForeignKey("question_versions.id"),
                                                     index=True)
    # The layout the attempt showed: [[identifier sent to the browser, authored key], ...] in
    # display order (matching: {"rows": [...], "options": [...]}); see quizzes/types/base.py.
    order: Mapped[list | dict] = mapped_column(JSON, default=list)
    response: Mapped[dict | None] = mapped_column(JSON(none_as_null=True))  # {"value": ...}
    saved_at: Mapped[datetime | None]
    fraction: Mapped[float | None] = mapped_column(Float)
    points: Mapped[float | None] = mapped_column(Float)
    grader_comment: Mapped[str | None] = mapped_column(Text)
    graded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    graded_at: Mapped[datetime | None]

    attempt: Mapped[Attempt] = relationship(back_populates="items")
    version: Mapped[QuestionVersion] = relationship()

    @property
    def question(self) -> Question:
        """As ItemRow.question, so grading and totals take either kind of item."""
        return self.version.question

    def __repr__(self) -> str:
        return f"<AttemptItem {self.attempt_id}@{self.position}>"


@dataclass(slots=True, eq=False)
class ItemRow:
    """An attempt item as plain values, with its question: what taking a quiz reads and
    writes (quizzes/services.items_of). As ORM objects the 20 items of an attempt were
    about half of each save and a quarter of each attempt page; these cost a tuple each."""

    id: int
    position: int
    question_version_id: int
    order: list | dict
    response: dict | None
    saved_at: datetime | None
    fraction: float | None
    points: float | None
    grader_comment: str | None
    question: Question


@dataclass(slots=True, eq=False)
class VersionRow:
    """A current question version as plain values, with its question: what starting an
    attempt draws from (quizzes/services.questions_of, quizzes/design.draw)."""

    id: int
    question_slug: str
    position: int
    question: Question
