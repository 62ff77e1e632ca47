"""What the quiz's author decides about each attempt: which questions it draws, and when
the quiz counts as closed for the review options.

Pools: ``draw`` in the quiz file gives one or more pools (a count and an optional tag);
each attempt draws that many from each pool in turn, preferring the questions this person
has seen least in earlier attempts, so two attempts are different papers whenever the
pool is larger than the draw.
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import bindparam, func, select

from lms.cohorts.models import Cohort, CohortMember, MemberStatus
from lms.courses.models import ProgramCourse
from lms.extensions import db
from lms.quizzes import types
from lms.quizzes.models import Attempt, AttemptItem, QuestionVersion, Quiz, VersionRow
from lms.statements import prepared

SITE_ZONE = ZoneInfo("Asia/Jakarta")  # cohort dates are days in Western Indonesian Time


def pools_of(quiz: Quiz) -> list[dict]:
    """The quiz's pools; quizzes stored before pools existed have one draw_count/draw_tag."""
    if quiz.draw_pools:
        return list(quiz.draw_pools)
    return [{"count": quiz.draw_count, "tag": quiz.draw_tag}] if quiz.draw_count else []


def seen_counts(quiz: Quiz, user_id: int) -> dict[str, int]:
    """How often each question (by its stable id) was in this person's earlier attempts."""
    rows = db.session.execute(
        select(QuestionVersion.question_slug, func.count())
        .join(AttemptItem, AttemptItem.question_version_id == QuestionVersion.id)
        .join(Attempt, Attempt.id == AttemptItem.attempt_id)
        .where(Attempt.quiz_id == quiz.id, Attempt.user_id == user_id)
        .group_by(QuestionVersion.question_slug))
    return {slug: count for slug, count in rows}


def draw(quiz: Quiz, versions: list[VersionRow], user_id: int,
         rng: random.Random) -> list[VersionRow]:
    """The questions of a new attempt, in the order it shows them."""
    pools = pools_of(quiz)
    chosen = list(versions)
    if pools:
        seen = seen_counts(quiz, user_id)
        taken: set[int] = set()
        chosen = []
        for pool in pools:
            candidates = [v for v in versions if v.id not in taken
                          and v.question.type in types.ANSWERABLE
                          and (not pool.get("tag") or pool["tag"] in v.question.tags)]
            # Least seen first; among equals, chance decides.
            candidates.sort(key=lambda v: (seen.get(v.question_slug, 0), rng.random()))
            for version in candidates[:pool["count"]]:
                taken.add(version.id)
                chosen.append(version)
        chosen.sort(key=lambda v: v.position)
    if quiz.shuffle_questions:
        rng.shuffle(chosen)
    return chosen


def site_today(now: datetime) -> date:
    return now.replace(tzinfo=UTC).astimezone(SITE_ZONE).date()


def _latest_angkatan(quiz: Quiz, user_id: int, statement) -> date | None:
    """The latest value of a Cohort date column (_latest_start, _latest_end) among the
    angkatan in which the person takes the quiz's course; None outside any angkatan."""
    return db.session.scalar(statement(), {"user_id": user_id, "course_id": quiz.course_id})


def _latest_of(column):
    return (select(func.max(column))
            .join(CohortMember, CohortMember.cohort_id == Cohort.id)
            .join(ProgramCourse, ProgramCourse.program_id == Cohort.program_id)
            .where(CohortMember.user_id == bindparam("user_id"),
                   CohortMember.status == MemberStatus.ACCEPTED,
                   ProgramCourse.course_id == bindparam("course_id")))


# Built once: a review of a post-test asks for the end at every page (see lms/statements.py).
@prepared
def _latest_start():
    return _latest_of(Cohort.starts_on)


@prepared
def _latest_end():
    return _latest_of(Cohort.ends_on)


def opens_in_cohort(quiz: Quiz, starts_on: date) -> datetime | None:
    """When a quiz with opens_day opens for an angkatan starting on starts_on (naive UTC)."""
    if quiz.opens_day is None:
        return quiz.opens_at
    day = date.fromordinal(starts_on.toordinal() + quiz.opens_day)
    moment = datetime(day.year, day.month, day.day, tzinfo=SITE_ZONE).astimezone(UTC)
    moment = moment.replace(tzinfo=None)
    return max(moment, quiz.opens_at) if quiz.opens_at else moment


def opens_for(quiz: Quiz, user_id: int) -> datetime | None:
    """When the quiz opens for this person (naive UTC): its opens_at, and with opens_day that
    many days after the start of the latest angkatan in which they take the course, at 00.00
    site time. Someone outside any angkatan is held only by opens_at."""
    if quiz.opens_day is None:
        return quiz.opens_at
    start = _latest_angkatan(quiz, user_id, _latest_start)
    if start is None:
        return quiz.opens_at
    return opens_in_cohort(quiz, start)


def is_closed(quiz: Quiz, user_id: int, now: datetime) -> bool:
    """Closed for this person: past the quiz's closes_at; without one, when every
    angkatan in which they take the course has ended. Someone enrolled in the course
    outside any angkatan, in a quiz without closes_at, never sees it closed."""
    if quiz.closes_at:
        return now >= quiz.closes_at
    last_day = _latest_angkatan(quiz, user_id, _latest_end)
    return last_day is not None and site_today(now) > last_day
