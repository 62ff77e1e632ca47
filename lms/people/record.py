"""What a person page shows: cohorts, quiz attempts, submissions, certificates and name
corrections, gathered in a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from lms.assignments.models import Assignment, Submission
from lms.auth.models import User
from lms.certificates.models import Certificate
from lms.cohorts.models import Cohort, CohortMember
from lms.courses.models import Course
from lms.extensions import db
from lms.people.models import NameCorrection
from lms.quizzes.models import Attempt, Quiz


@dataclass
class PersonRecord:
    user: User
    memberships: list[tuple[CohortMember, Cohort]]
    attempts: list[tuple[Attempt, Quiz, Course]]
    submissions: list[tuple[Submission, Assignment, Course, Cohort]]
    certificates: list[Certificate]
    corrections: list[NameCorrection]

    @property
    def outdated_certificates(self) -> list[Certificate]:
        """Valid certificates printing a name other than the person's current one."""
        return [c for c in self.certificates
                if c.status == "valid" and c.holder_name != self.user.full_name]


def record_of(user: User, limit: int = 200) -> PersonRecord:
    memberships = [(m, c) for m, c in db.session.execute(
        select(CohortMember, Cohort).join(Cohort, Cohort.id == CohortMember.cohort_id)
        .where(CohortMember.user_id == user.id)
        .order_by(Cohort.starts_on.desc(), Cohort.code))]
    attempts = [(a, q, c) for a, q, c in db.session.execute(
        select(Attempt, Quiz, Course).join(Quiz, Quiz.id == Attempt.quiz_id)
        .join(Course, Course.id == Quiz.course_id).where(Attempt.user_id == user.id)
        .order_by(Attempt.started_at.desc(), Attempt.id.desc()).limit(limit))]
    submissions = [(s, a, c, h) for s, a, c, h in db.session.execute(
        select(Submission, Assignment, Course, Cohort)
        .join(Assignment, Assignment.id == Submission.assignment_id)
        .join(Course, Course.id == Assignment.course_id)
        .join(Cohort, Cohort.id == Submission.cohort_id).where(Submission.user_id == user.id)
        .order_by(Submission.submitted_at.desc(), Submission.id.desc()).limit(limit))]
    certificates = list(db.session.scalars(
        select(Certificate).where(Certificate.user_id == user.id)
        .order_by(Certificate.issued_at.desc(), Certificate.id.desc())))
    corrections = list(db.session.scalars(
        select(NameCorrection).where(NameCorrection.user_id == user.id)
        .order_by(NameCorrection.created_at.desc(), NameCorrection.id.desc())))
    return PersonRecord(user, memberships, attempts, submissions, certificates, corrections)
