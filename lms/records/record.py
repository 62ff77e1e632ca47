"""A person's training record: every program completed, its JP and final grade, and the
JP per calendar year against the yearly target; and the coordinators' report of JP per
institution and year.

What is completed is read from valid certificates only, and from what each certificate
froze at issue (period, JP, final grade): later edits of a course or a program never
change a record. The year of a training is the year its cohort ended.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from flask import current_app
from sqlalchemy import select

from lms.auth.models import User
from lms.certificates.models import Certificate
from lms.cohorts.models import Cohort, CohortMember, MemberStatus
from lms.extensions import db
from lms.progress.build import for_cohort
from lms.records.grading import FinalGrade, FinalGradeSettings, final_grade


@dataclass(frozen=True)
class CompletedTraining:
    certificate: Certificate
    program_title: str
    cohort_name: str
    starts_on: date
    ends_on: date
    hours_jp: int
    grade: float | None
    predikat: str
    components: tuple[dict, ...] = ()

    @property
    def year(self) -> int:
        return self.ends_on.year


@dataclass(frozen=True)
class TrainingUnderway:
    cohort: Cohort
    hours_jp: int
    grade: FinalGrade | None  # None: the program defines no final grade


@dataclass(frozen=True)
class YearTotal:
    year: int
    hours_jp: int
    target: int

    @property
    def met(self) -> bool:
        return self.hours_jp >= self.target

    @property
    def missing(self) -> int:
        return max(self.target - self.hours_jp, 0)


@dataclass
class TrainingRecord:
    user: User
    completed: list[CompletedTraining]
    underway: list[TrainingUnderway]
    years: list[YearTotal] = field(default_factory=list)

    @property
    def total_jp(self) -> int:
        return sum(c.hours_jp for c in self.completed)


def yearly_target() -> int:
    """JP a year a civil servant must reach (PP 17/2020: 20 JP); RECORD_YEARLY_JP_TARGET."""
    return int(current_app.config.get("RECORD_YEARLY_JP_TARGET", 20))


def completed_from(certificate: Certificate) -> CompletedTraining:
    data = certificate.data or {}
    frozen = data.get("final_grade") or (certificate.completion or {}).get("final_grade") or {}
    jp = (certificate.completion or {}).get("total_jp", data.get("total_jp", 0))
    return CompletedTraining(
        certificate, data.get("program_title", ""), data.get("cohort_name", ""),
        date.fromisoformat(data["starts_on"]), date.fromisoformat(data["ends_on"]), int(jp),
        frozen.get("grade"), frozen.get("predikat", ""), tuple(frozen.get("components", ())))


def training_record(user: User, *, today: date) -> TrainingRecord:
    """Everything the person completed (newest first), the cohorts they are in now with
    their final grade so far, and the JP of every year from the first completed one to
    this one (a year with no training shows 0)."""
    certificates = list(db.session.scalars(
        select(Certificate).where(Certificate.user_id == user.id, Certificate.status == "valid")
        .order_by(Certificate.issued_at.desc(), Certificate.id.desc())))
    completed = sorted((completed_from(c) for c in certificates),
                       key=lambda c: (c.ends_on, c.certificate.id), reverse=True)
    done_cohorts = {c.certificate.cohort_id for c in completed}
    underway = []
    for member in db.session.scalars(
            select(CohortMember).join(Cohort, Cohort.id == CohortMember.cohort_id)
            .where(CohortMember.user_id == user.id, CohortMember.status == MemberStatus.ACCEPTED)
            .order_by(Cohort.starts_on.desc())):
        cohort = member.cohort
        if cohort.id in done_cohorts:
            continue
        progress = for_cohort(cohort, user_id=user.id).of(user.id)
        settings = FinalGradeSettings.from_mapping(cohort.program.records)
        underway.append(TrainingUnderway(
            cohort, sum(c.course.hours_jp for c in progress.courses),
            final_grade(settings, progress) if settings else None))
    return TrainingRecord(user, completed, underway, jp_by_year(completed, today=today))


def jp_by_year(completed: list[CompletedTraining], *, today: date) -> list[YearTotal]:
    target = yearly_target()
    totals: dict[int, int] = defaultdict(int)
    for training in completed:
        totals[training.year] += training.hours_jp
    years = [today.year, *totals]
    return [YearTotal(year, totals.get(year, 0), target)
            for year in range(max(years), min(years) - 1, -1)]


@dataclass(frozen=True)
class InstitutionYear:
    institution: str
    year: int
    people: int
    hours_jp: int
    people_at_target: int


def jp_by_institution(program_ids: frozenset[int] | None) -> list[InstitutionYear]:
    """JP of valid certificates per institution (as printed at issue) and year, for the
    programs given (None: every program): how many people, their JP, how many reached the
    yearly target with these programs alone."""
    query = select(Certificate).where(Certificate.status == "valid")
    if program_ids is not None:
        query = query.where(Certificate.program_id.in_(program_ids))
    per_person: dict[tuple[str, int], dict[int, int]] = defaultdict(lambda: defaultdict(int))
    for certificate in db.session.scalars(query.execution_options(yield_per=500)):
        training = completed_from(certificate)
        institution = (certificate.data or {}).get("holder_institution") or ""
        per_person[(institution.strip(), training.year)][certificate.user_id] += \
            training.hours_jp
    target = yearly_target()
    rows = [InstitutionYear(institution, year, len(people), sum(people.values()),
                            sum(1 for jp in people.values() if jp >= target))
            for (institution, year), people in per_person.items()]
    return sorted(rows, key=lambda r: (-r.year, r.institution.casefold()))
