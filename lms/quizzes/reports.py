"""Quiz results for instructors: grades, distribution, item analysis, pre/post gain.

Each function runs a fixed number of queries, whatever the number of participants.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import select

from lms.auth.models import User
from lms.courses.models import Enrollment
from lms.extensions import db
from lms.quizzes import types
from lms.quizzes.models import Attempt, AttemptItem, QuestionVersion, Quiz
from lms.quizzes.services import grade_by_method


@dataclass
class ParticipantResult:
    user: User
    attempts: int
    grade: float | None
    passed: bool | None
    needs_grading: bool


def _only(query, column, user_ids: set[int] | None):
    """Limit a query to some participants (an instructor's cohorts); None means everyone."""
    return query if user_ids is None else query.where(column.in_(user_ids or {-1}))


def participant_results(quiz: Quiz, user_ids: set[int] | None = None) -> list[ParticipantResult]:
    rows = db.session.execute(_only(
        select(Attempt, User).join(User, User.id == Attempt.user_id)
        .where(Attempt.quiz_id == quiz.id), Attempt.user_id, user_ids)
        .order_by(User.full_name, Attempt.number)).all()
    by_user: dict[int, list[Attempt]] = defaultdict(list)
    users: dict[int, User] = {}
    for attempt, user in rows:
        by_user[user.id].append(attempt)
        users[user.id] = user
    results = []
    for user_id, attempts in by_user.items():
        grade = grade_by_method(attempts, quiz.grading)
        results.append(ParticipantResult(
            user=users[user_id], attempts=len(attempts), grade=grade,
            passed=None if grade is None else grade >= quiz.pass_mark,
            needs_grading=any(a.needs_grading for a in attempts)))
    return results


def distribution(grades: list[float], buckets: int = 10) -> list[tuple[str, int]]:
    """Counts of grades in 0-10, 10-20, ... 90-100 (100 falls in the last)."""
    counts = [0] * buckets
    width = 100 / buckets
    for grade in grades:
        counts[min(buckets - 1, int(grade // width))] += 1
    return [(f"{int(i * width)}–{int((i + 1) * width)}", n) for i, n in enumerate(counts)]


@dataclass
class ItemStatistics:
    slug: str
    position: int
    type: str
    responses: int
    facility: float | None  # mean score on the item, in percent
    discrimination: float | None  # corrected item-total correlation, -100..100


def _pearson(xs: list[float], ys: list[float]) -> float | None:
    n = len(xs)
    if n < 2:
        return None
    mx, my = sum(xs) / n, sum(ys) / n
    sxx = sum((x - mx) ** 2 for x in xs)
    syy = sum((y - my) ** 2 for y in ys)
    if sxx == 0 or syy == 0:
        return None
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / math.sqrt(sxx * syy)


def item_analysis(quiz: Quiz, user_ids: set[int] | None = None) -> list[ItemStatistics]:
    """Facility and discrimination per question over finished, fully graded attempts.

    Discrimination is the correlation between the item's score and the score on
    the rest of the attempt (as Moodle's quiz statistics compute it).
    """
    rows = db.session.execute(_only(
        select(AttemptItem.attempt_id, AttemptItem.fraction, AttemptItem.points,
               QuestionVersion.question_slug, QuestionVersion.data["type"].as_string(),
               QuestionVersion.position)
        .join(Attempt, Attempt.id == AttemptItem.attempt_id)
        .join(QuestionVersion, QuestionVersion.id == AttemptItem.question_version_id)
        .where(Attempt.quiz_id == quiz.id, Attempt.finished_at.is_not(None),
               Attempt.needs_grading.is_(False)), Attempt.user_id, user_ids)).all()
    totals: dict[int, float] = defaultdict(float)
    for row in rows:
        totals[row.attempt_id] += row.points or 0.0
    per_item: dict[str, list] = defaultdict(list)
    meta: dict[str, tuple[str, int]] = {}
    for row in rows:
        if row[4] not in types.ANSWERABLE:
            continue
        per_item[row.question_slug].append(
            (row.fraction or 0.0, totals[row.attempt_id] - (row.points or 0.0)))
        meta[row.question_slug] = (row[4], row.position)
    stats = []
    for slug, values in per_item.items():
        fractions = [v[0] for v in values]
        rest = [v[1] for v in values]
        correlation = _pearson(fractions, rest)
        stats.append(ItemStatistics(
            slug=slug, position=meta[slug][1], type=meta[slug][0], responses=len(values),
            facility=round(100 * sum(fractions) / len(fractions), 1),
            discrimination=None if correlation is None else round(100 * correlation, 1)))
    return sorted(stats, key=lambda s: (s.position, s.slug))


@dataclass
class Gain:
    user: User
    pre: float | None
    post: float | None

    @property
    def gain(self) -> float | None:
        if self.pre is None or self.post is None:
            return None
        return round(self.post - self.pre, 2)


def course_gains(course_id: int, user_id: int | None = None,
                 user_ids: set[int] | None = None) -> list[Gain]:
    """Pre-test and post-test grade and their difference per enrolled participant."""
    quizzes = list(db.session.scalars(select(Quiz).where(
        Quiz.course_id == course_id, Quiz.is_active.is_(True),
        Quiz.kind.in_(("pretest", "posttest")))))
    if not quizzes:
        return []
    users_query = select(User).join(Enrollment, Enrollment.user_id == User.id).where(
        Enrollment.course_id == course_id)
    attempts_query = select(Attempt).where(Attempt.quiz_id.in_([q.id for q in quizzes]))
    if user_id is not None:
        users_query = users_query.where(User.id == user_id)
        attempts_query = attempts_query.where(Attempt.user_id == user_id)
    users_query = _only(users_query, User.id, user_ids)
    attempts_query = _only(attempts_query, Attempt.user_id, user_ids)
    users = list(db.session.scalars(users_query.order_by(User.full_name)))
    attempts: dict[tuple[int, int], list[Attempt]] = defaultdict(list)
    for attempt in db.session.scalars(attempts_query.order_by(Attempt.number)):
        attempts[(attempt.user_id, attempt.quiz_id)].append(attempt)

    def grade(kind: str, uid: int) -> float | None:
        grades = [grade_by_method(attempts[(uid, q.id)], q.grading) for q in quizzes
                  if q.kind == kind]
        grades = [g for g in grades if g is not None]
        return round(sum(grades) / len(grades), 2) if grades else None

    return [Gain(user=u, pre=grade("pretest", u.id), post=grade("posttest", u.id))
            for u in users]


def average(values) -> float | None:
    values = [v for v in values if v is not None]
    return round(sum(values) / len(values), 2) if values else None
