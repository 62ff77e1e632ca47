"""Answering the training evaluation, and reading it back without names.

Plain values in; rows flushed; the caller commits once. Who answered
(EvaluationSubmission) and what was answered (EvaluationResponse) are written in
the same transaction but share nothing a query could join them on; see models.py.
Nothing here writes to the audit log: an entry "X answered" with its time would be
the very link the tables avoid.
"""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date

from flask_babel import format_date
from flask_babel import gettext as _
from sqlalchemy import bindparam, exists, select
from sqlalchemy.exc import IntegrityError

from lms.auth.models import User
from lms.clock import utcnow
from lms.cohorts import services as cohorts
from lms.cohorts.access import CohortAccess
from lms.cohorts.models import Cohort, CohortMember, MemberStatus
from lms.courses.models import Course
from lms.evaluations.models import (
    EvaluationResponse,
    EvaluationSubmission,
    EvaluationSurvey,
    EvaluationSurveyVersion,
)
from lms.evaluations.window import answer_until, results_from, results_released
from lms.extensions import db
from lms.statements import prepared, rows

MAX_ANSWER = 4000  # characters of one open answer


class EvaluationError(ValueError):
    """A refused answer; `code` says why ("already", "invalid"), `detail` says it to people."""

    def __init__(self, code: str, detail: str = ""):
        super().__init__(f"{code}: {detail}" if detail else code)
        self.code = code
        self.detail = detail


def already_message() -> str:
    return _("You have already filled in the evaluation for this cohort. It can be sent only "
             "once; your first answers are kept.")


# Who is asked, about whom ---------------------------------------------------------------

@dataclass(frozen=True)
class Target:
    """One instructor of one course of the cohort: asked the instructor items once."""

    instructor_id: int
    course_id: int
    name: str
    course_title: str


def current_version(slug: str) -> EvaluationSurveyVersion | None:
    """The version of survey slug that new answers use; None when it was never synced."""
    return db.session.scalar(
        select(EvaluationSurveyVersion).join(EvaluationSurvey)
        .where(EvaluationSurvey.slug == slug, EvaluationSurvey.is_active.is_(True),
               EvaluationSurveyVersion.is_current.is_(True)))


def targets(cohort: Cohort, respondent_id: int | None = None) -> list[Target]:
    """The cohort's instructors per course, in program order; nobody rates themselves."""
    order = {c.id: i for i, c in enumerate(cohorts.program_courses(cohort.program))}
    found = [Target(a.user_id, a.course_id, a.user.full_name, a.course.title)
             for a in cohorts.instructors(cohort) if a.user_id != respondent_id]
    return sorted(found, key=lambda t: (order.get(t.course_id, len(order)), t.name))


def may_answer(access: CohortAccess, today: date) -> str | None:
    """None when the person may answer now; else why not: "member", "not_started" or
    "closed" (after answer_until)."""
    if not access.participant:
        return "member"
    if today < access.cohort.starts_on:
        return "not_started"
    if today > answer_until(access.cohort):
        return "closed"
    return None


# Completion (who, never what) ------------------------------------------------------------

def has_submitted(cohort_id: int, user_id: int) -> bool:
    """Whether user_id has sent the evaluation of cohort_id (for certificates)."""
    return submission_of(cohort_id, user_id) is not None


def submission_of(cohort_id: int, user_id: int) -> EvaluationSubmission | None:
    return db.session.scalar(select(EvaluationSubmission).where(
        EvaluationSubmission.cohort_id == cohort_id, EvaluationSubmission.user_id == user_id))


def submitted_user_ids(cohort_id: int) -> set[int]:
    """Everyone who has sent the evaluation of cohort_id, in one query."""
    return set(db.session.scalars(select(EvaluationSubmission.user_id).where(
        EvaluationSubmission.cohort_id == cohort_id)))


def submitted_cohort_ids(user_id: int) -> set[int]:
    """The cohorts whose evaluation user_id has sent, in one query."""
    return set(db.session.scalars(select(EvaluationSubmission.cohort_id).where(
        EvaluationSubmission.user_id == user_id)))


def pending_for(user_id: int, slug: str, today: date) -> list:
    """Cohorts (started, accepted in) whose evaluation user_id has still to give, when the
    survey slug has a current version (one statement: "My learning" asks on every visit),
    as rows: id, code, name, starts_on, ends_on."""
    found = rows(_pending(), {"user_id": user_id, "slug": slug, "today": today})
    return [c for c in found if today <= answer_until(c)]


@prepared
def _pending():
    done = select(EvaluationSubmission.cohort_id).where(
        EvaluationSubmission.user_id == bindparam("user_id"))
    survey_ready = exists().where(
        EvaluationSurveyVersion.survey_id == EvaluationSurvey.id,
        EvaluationSurvey.slug == bindparam("slug"), EvaluationSurvey.is_active.is_(True),
        EvaluationSurveyVersion.is_current.is_(True))
    return (select(Cohort.id, Cohort.code, Cohort.name, Cohort.starts_on, Cohort.ends_on)
            .join(CohortMember, CohortMember.cohort_id == Cohort.id)
            .where(survey_ready, CohortMember.user_id == bindparam("user_id"),
                   CohortMember.status == MemberStatus.ACCEPTED,
                   Cohort.starts_on <= bindparam("today"), Cohort.id.not_in(done))
            .order_by(Cohort.starts_on))


# Answering ---------------------------------------------------------------------------------

def check_answers(survey: dict, asked: list[Target], answers: dict) -> None:
    """Refuse answers that do not fit the survey version and the cohort's instructors."""
    values = {s["value"] for s in survey["scale"]}

    def ratings_ok(given, items) -> bool:
        return (isinstance(given, dict) and set(given) == {i["id"] for i in items}
                and all(type(v) is int and v in values for v in given.values()))

    questions = {q["id"]: q for q in survey["open_questions"]}
    try:
        blocks, opens = answers["instructors"], answers["open"]
        ok = (set(answers) == {"organiser", "instructors", "open"}
              and ratings_ok(answers["organiser"], survey["organiser_items"])
              and sorted((b["instructor_id"], b["course_id"]) for b in blocks)
              == sorted((t.instructor_id, t.course_id) for t in asked)
              and all(set(b) == {"instructor_id", "course_id", "ratings"}
                      and ratings_ok(b["ratings"], survey["instructor_items"]) for b in blocks)
              and set(opens) <= set(questions)
              and all(isinstance(v, str) and len(v) <= MAX_ANSWER for v in opens.values())
              and all(opens.get(q, "").strip() for q, spec in questions.items()
                      if spec["required"]))
    except (KeyError, TypeError, AttributeError):
        ok = False
    if not ok:
        raise EvaluationError("invalid", _("Some answers are missing or not valid."))


def submit(cohort: Cohort, user_id: int, version: EvaluationSurveyVersion, answers: dict,
           today: date) -> EvaluationSubmission:
    """Record that user_id answered, and what was answered, apart. Refuses a second time.

    Two requests racing each other both pass the first check; the unique
    (cohort, user) constraint stops the second, inside a savepoint, before its
    response is written, so the first answers are never touched. Refuses after
    answer_until: the results are out then, and must never change.
    """
    if today > answer_until(cohort):
        raise EvaluationError("closed", _("The evaluation of this cohort closed on %(date)s.",
                                          date=format_date(answer_until(cohort), "long")))
    if has_submitted(cohort.id, user_id):
        raise EvaluationError("already", already_message())
    check_answers(version.data, targets(cohort, user_id), answers)
    submission = EvaluationSubmission(cohort_id=cohort.id, user_id=user_id,
                                      submitted_at=utcnow())
    try:
        with db.session.begin_nested():
            db.session.add(submission)
            db.session.flush()
    except IntegrityError:
        raise EvaluationError("already", already_message()) from None
    # Same transaction, so a refused submission leaves no response behind. Nothing ties
    # the two rows: the response's key is random (uuid4), not the next number after the
    # previous response, and it carries the day only, shared by everyone of that day.
    db.session.add(EvaluationResponse(id=str(uuid.uuid4()), cohort_id=cohort.id,
                                      survey_version_id=version.id, created_on=today,
                                      answers=answers))
    db.session.flush()
    return submission


# Reading back ------------------------------------------------------------------------------

@dataclass
class ItemStats:
    id: str
    text: str
    counts: list[tuple[int, str, int]]  # (scale value, label, how many chose it)
    n: int = 0
    mean: float | None = None


@dataclass
class InstructorStats:
    instructor_id: int
    course_id: int
    name: str
    course_title: str
    responses: int
    items: list[ItemStats]
    mean: float | None = None  # of every rating given to this instructor in this course


@dataclass
class Section:
    """The responses to one version of the survey (usually the only one of the cohort)."""

    number: int
    title: str
    scale: list[dict]
    responses: int
    hidden: bool
    organiser: list[ItemStats] = field(default_factory=list)
    instructors: list[InstructorStats] = field(default_factory=list)
    open_answers: list[tuple[str, list[str]]] = field(default_factory=list)


@dataclass
class Report:
    accepted: int
    completed: int  # accepted participants who answered
    responses: int
    min_responses: int
    sections: list[Section]
    completion: list[tuple[User, bool]] | None = None  # coordinators only
    released: bool = True  # False: the evaluation is still open, no answer is shown
    answer_until: date | None = None
    results_from: date | None = None

    @property
    def hidden(self) -> bool:
        return self.responses < self.min_responses


def _stats(items: list[dict], scale: list[dict], ratings: list[dict]) -> list[ItemStats]:
    found = []
    for item in items:
        given = [r[item["id"]] for r in ratings if item["id"] in r]
        found.append(ItemStats(
            item["id"], item["text"],
            [(s["value"], s["label"], given.count(s["value"])) for s in scale],
            len(given), sum(given) / len(given) if given else None))
    return found


def _responses(cohort: Cohort) -> list[EvaluationResponse]:
    # Ordered by the random key: the order says nothing about who answered when.
    return list(db.session.scalars(select(EvaluationResponse).where(
        EvaluationResponse.cohort_id == cohort.id).order_by(EvaluationResponse.id)))


def _versions(responses: list[EvaluationResponse]) -> list[EvaluationSurveyVersion]:
    ids = {r.survey_version_id for r in responses}
    return list(db.session.scalars(select(EvaluationSurveyVersion).where(
        EvaluationSurveyVersion.id.in_(ids)).order_by(EvaluationSurveyVersion.number)))


def _names(responses: list[EvaluationResponse]) -> tuple[dict[int, str], dict[int, str]]:
    people, courses = set(), set()
    for response in responses:
        for block in response.answers.get("instructors", []):
            people.add(block["instructor_id"])
            courses.add(block["course_id"])
    return ({u.id: u.full_name for u in db.session.scalars(
                select(User).where(User.id.in_(people)))},
            {c.id: c.title for c in db.session.scalars(
                select(Course).where(Course.id.in_(courses)))})


def build_report(cohort: Cohort, min_responses: int, today: date,
                 only_instructor: int | None = None) -> Report:
    """Averages and distributions per item; open answers shuffled, without names.

    Nothing answered is shown before results_from(cohort): while people can still
    answer, two readings around one person's answer would give that answer away.
    A version answered by fewer than min_responses people is hidden: next to the
    completion list, one or two answers would point at the people who gave them.
    With only_instructor, the report holds that instructor's own ratings and
    nothing else: no colleagues, no organiser items, no free text, no names.
    """
    released = results_released(cohort, today)
    responses = _responses(cohort) if released else []
    people, courses = _names(responses)
    order = {c.id: i for i, c in enumerate(cohorts.program_courses(cohort.program))}
    shuffle = secrets.SystemRandom().shuffle
    sections = []
    for version in _versions(responses):
        data = version.data
        mine = [r.answers for r in responses if r.survey_version_id == version.id]
        section = Section(version.number, data["title"], data["scale"], len(mine),
                          hidden=len(mine) < min_responses)
        sections.append(section)
        if section.hidden:
            continue
        blocks: dict[tuple[int, int], list[dict]] = {}
        for answers in mine:
            for block in answers["instructors"]:
                if only_instructor in (None, block["instructor_id"]):
                    key = (block["instructor_id"], block["course_id"])
                    blocks.setdefault(key, []).append(block["ratings"])
        for (person, course), ratings in blocks.items():
            items = _stats(data["instructor_items"], data["scale"], ratings)
            given = [v for r in ratings for v in r.values()]
            section.instructors.append(InstructorStats(
                person, course, people.get(person, "?"), courses.get(course, "?"),
                len(ratings), items, sum(given) / len(given) if given else None))
        section.instructors.sort(key=lambda s: (order.get(s.course_id, len(order)), s.name))
        if only_instructor is not None:
            continue
        section.organiser = _stats(data["organiser_items"], data["scale"],
                                   [a["organiser"] for a in mine])
        for question in data["open_questions"]:
            texts = [a["open"][question["id"]].strip() for a in mine
                     if a["open"].get(question["id"], "").strip()]
            shuffle(texts)  # each question on its own: one person's answers stay apart
            section.open_answers.append((question["text"], texts))
    accepted = cohorts.members(cohort, MemberStatus.ACCEPTED)
    done = submitted_user_ids(cohort.id)
    report = Report(len(accepted), sum(m.user_id in done for m in accepted), len(responses),
                    min_responses, sections, released=released,
                    answer_until=answer_until(cohort), results_from=results_from(cohort))
    if only_instructor is None:
        report.completion = sorted(((m.user, m.user_id in done) for m in accepted),
                                   key=lambda row: row[0].full_name.lower())
    return report


def export_rows(cohort: Cohort, min_responses: int,
                today: date) -> tuple[list[str], Iterator[list]]:
    """One row per response of a version with enough responses; no user, no date.
    No rows at all before results_from(cohort), as in the report.

    Columns are the union over the versions, by stable id; rows follow the random key.
    """
    responses = _responses(cohort) if results_released(cohort, today) else []
    people, courses = _names(responses)
    versions = {v.id: v for v in _versions(responses)}
    counts: dict[int, int] = {}
    for response in responses:
        counts[response.survey_version_id] = counts.get(response.survey_version_id, 0) + 1
    shown = [r for r in responses if counts[r.survey_version_id] >= min_responses]
    columns: dict[tuple, str] = {}
    for version in sorted(versions.values(), key=lambda v: -v.number):  # newest labels win
        data = version.data
        for item in data["organiser_items"]:
            columns.setdefault(("o", item["id"]), f"{_('Organiser')}: {item['text']}")
        for question in data["open_questions"]:
            columns.setdefault(("q", question["id"]), question["text"])
    for response in shown:
        data = versions[response.survey_version_id].data
        for block in response.answers["instructors"]:
            for item in data["instructor_items"]:
                key = ("i", block["instructor_id"], block["course_id"], item["id"])
                columns.setdefault(key, "{} ({}): {}".format(
                    people.get(block["instructor_id"], "?"),
                    courses.get(block["course_id"], "?"), item["text"]))
    order = sorted(columns, key=lambda k: (  # stable: items keep the survey's order
        {"o": 0, "i": 1, "q": 2}[k[0]],
        (courses.get(k[2], "?"), people.get(k[1], "?"), k[1], k[2]) if k[0] == "i" else ()))
    header = [_("Survey version"), *(columns[k] for k in order)]

    def rows() -> Iterator[list]:
        for response in shown:
            answers = response.answers
            cells = {("o", k): v for k, v in answers["organiser"].items()}
            cells.update({("q", k): v for k, v in answers["open"].items()})
            for block in answers["instructors"]:
                cells.update({("i", block["instructor_id"], block["course_id"], k): v
                              for k, v in block["ratings"].items()})
            yield [versions[response.survey_version_id].number, *(cells.get(k) for k in order)]

    return header, rows()
