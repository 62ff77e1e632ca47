"""Store a course's quizzes; called by lms.content.sync inside the course's transaction.

A changed question gets a new QuestionVersion; the old one stays for the
attempts that were given it, so their review never changes.
"""

from __future__ import annotations

import hashlib
import json

from sqlalchemy import select

from lms.extensions import db
from lms.quizzes.loader import QuizSource
from lms.quizzes.models import QuestionVersion, Quiz
from lms.sources import Refused

SETTINGS = ("title", "kind", "description_html", "time_limit_minutes", "grading", "pass_mark",
            "shuffle_questions", "shuffle_choices", "draw_count", "draw_tag", "draw_pools",
            "review_score",
            "review_answers", "review_feedback", "opens_at", "closes_at",
            "opens_day")


# The order a participant meets a course's quizzes in, whatever the files are called
# (posttest.yml sorts before pretest.yml): pages, /next and the certificate checklist
# follow Quiz.position.
KIND_ORDER = {"pretest": 0, "practice": 1, "exam": 2, "posttest": 3}


def question_hash(data: dict) -> str:
    return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()


def sync_quizzes(course_id: int, sources: list[QuizSource], refused: Refused | None = None
                 ) -> None:
    """Upsert quizzes by stable id; quizzes no longer in the folder are deactivated, but a
    refused quiz file keeps its last good version."""
    existing = {q.slug: q for q in db.session.scalars(
        select(Quiz).where(Quiz.course_id == course_id))}
    keep = set()
    ordered = sorted(sources, key=lambda s: KIND_ORDER.get(s.kind, 2))  # stable: files next
    for position, source in enumerate(ordered):
        quiz = existing.get(source.id)
        if quiz is None:
            quiz = Quiz(course_id=course_id, slug=source.id)
            db.session.add(quiz)
        keep.add(source.id)
        for name in SETTINGS:
            setattr(quiz, name, getattr(source, name))
        quiz.attempts_allowed = source.attempts
        quiz.position = position
        quiz.is_active = True
        if quiz.content_hash != source.digest:
            db.session.flush()
            _sync_questions(quiz, source)
            quiz.content_hash = source.digest
    for slug, quiz in existing.items():
        if slug not in keep and not (refused and refused.keeps(slug)):
            quiz.is_active = False
    db.session.flush()


def _sync_questions(quiz: Quiz, source: QuizSource) -> None:
    versions = list(db.session.scalars(
        select(QuestionVersion).where(QuestionVersion.quiz_id == quiz.id)))
    by_key = {(v.question_slug, v.content_hash): v for v in versions}
    current = set()
    for position, question in enumerate(source.questions):
        data = question.to_dict()
        digest = question_hash(data)
        version = by_key.get((question.id, digest))
        if version is None:
            version = QuestionVersion(quiz_id=quiz.id, question_slug=question.id,
                                      content_hash=digest, data=data)
            db.session.add(version)
        version.position = position
        version.is_current = True
        current.add(id(version))
    for version in versions:
        if id(version) not in current:
            version.is_current = False
    db.session.flush()
