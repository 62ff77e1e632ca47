"""Who has completed, numbering, issuing, revoking, reissuing, re-certifying.

Plain values in; rows flushed; the caller commits. Numbers come from a counter
row locked for the issuing transaction, so two coordinators issuing at once get
consecutive numbers with no gap or duplicate, and a revoked number is never reused.

A certificate keeps its own truth: issuing stores the completion it was decided on
(`Certificate.completion`) next to what the PDF prints (`Certificate.data`), and a
reissue after a name correction copies both; it never asks today's content again.
The PDF and the badge are made in certificates.documents.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import NamedTuple

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from lms.audit import services as audit
from lms.auth.models import User
from lms.certificates.models import Certificate, CertificateCounter
from lms.certificates.settings import DEFAULTS, counter_scope, format_number
from lms.clock import site_date, site_zone, utcnow
from lms.cohorts.grid import Grid, GridRow, progress_grid
from lms.cohorts.models import Cohort
from lms.extensions import db
from lms.live.services import attendance_percent_by_user


class CertificateError(ValueError):
    def __init__(self, code: str, detail: str = ""):
        super().__init__(f"{code}: {detail}" if detail else code)
        self.code = code
        self.detail = detail


@dataclass
class Requirement:
    label: str
    done: bool
    detail: str = ""


def settings_of(cohort: Cohort) -> dict:
    return {**DEFAULTS, **(cohort.program.certificate or {})}


def _row_requirements(grid: Grid, row: GridRow | None, settings: dict,
                      evaluated: frozenset[int] = frozenset(),
                      attendance: dict[int, float] | None = None) -> list[Requirement]:
    """Per course in program order, in the order a participant meets them: the pre-test,
    the modules, the practice, exams and assignments, the post-test."""
    cells = row.cells if row else {}
    requirements = []
    for course in grid.courses:
        columns = [c for c in grid.columns if c.course.id == course.id]
        modules = [c for c in columns if c.kind == "module"]
        done = sum(1 for c in modules if cells.get(c.key) == "done")
        before, after, last = [], [], []
        for column in columns:
            if column.kind == "assignment":
                task = column.item
                score = cells.get(column.key)
                scored = isinstance(score, int | float)
                after.append(Requirement(
                    _("%(quiz)s passed (at least %(mark)s)", quiz=task.title,
                      mark=f"{task.pass_mark:g}"),
                    scored and score >= task.pass_mark,
                    _("grade %(grade)s", grade=f"{score:g}") if scored else _("no grade yet")))
                continue
            quiz = column.item
            if column.kind != "quiz" or quiz.kind == "practice":
                continue
            grade = cells.get(column.key)
            graded = isinstance(grade, int | float)
            if quiz.kind == "pretest":
                before.append(Requirement(
                    _("%(course)s: pre-test taken", course=course.title), graded))
                continue
            mark = settings["pass_mark"] if quiz.kind == "posttest" and \
                settings.get("pass_mark") is not None else quiz.pass_mark
            label = (_("%(course)s: post-test passed (at least %(mark)s)", course=course.title,
                       mark=f"{mark:g}") if quiz.kind == "posttest" else
                     _("%(quiz)s passed (at least %(mark)s)", quiz=quiz.title, mark=f"{mark:g}"))
            (last if quiz.kind == "posttest" else after).append(Requirement(
                label, graded and grade >= mark,
                _("grade %(grade)s", grade=f"{grade:g}") if graded else _("no grade yet")))
        requirements += before
        requirements.append(Requirement(
            _("%(course)s: every module done", course=course.title), done == len(modules),
            _("%(done)d of %(total)d modules", done=done, total=len(modules))))
        requirements += after + last
    if settings.get("require_evaluation"):
        requirements.append(Requirement(_("Training evaluation submitted"),
                                        bool(row and row.user.id in evaluated)))
    minimum = settings.get("min_attendance_percent")
    if minimum is not None:
        attended = (attendance or {}).get(row.user.id, 0.0) if row else 0.0
        requirements.append(Requirement(
            _("Attendance at live sessions at least %(minimum)s%%", minimum=f"{minimum:g}"),
            attended >= minimum, _("%(percent)s%% attended", percent=f"{attended:g}")))
    return requirements


def cohort_requirements(cohort: Cohort) -> tuple[Grid, dict[int, list[Requirement]]]:
    """Everyone's requirements in the grid's fixed number of queries."""
    grid = progress_grid(cohort)
    settings = settings_of(cohort)
    evaluated = _evaluated(cohort, settings)
    attendance = _attendance(cohort, settings)
    return grid, {row.user.id: _row_requirements(grid, row, settings, evaluated, attendance)
                  for row in grid.rows}


def _evaluated(cohort: Cohort, settings: dict) -> frozenset[int]:
    """Who has sent the training evaluation (one query, only when the program requires it)."""
    if not settings.get("require_evaluation"):
        return frozenset()
    from lms.evaluations.services import submitted_user_ids

    return frozenset(submitted_user_ids(cohort.id))


def _attendance(cohort: Cohort, settings: dict) -> dict[int, float]:
    """Attendance percentages at live sessions (one query, only when the program has a
    minimum)."""
    if settings.get("min_attendance_percent") is None:
        return {}
    return attendance_percent_by_user(cohort.id)


def requirements_of(cohort: Cohort, user_id: int) -> list[Requirement]:
    grid = progress_grid(cohort)
    row = next((r for r in grid.rows if r.user.id == user_id), None)
    settings = settings_of(cohort)
    return _row_requirements(grid, row, settings, _evaluated(cohort, settings),
                             _attendance(cohort, settings))


def is_complete(requirements: list[Requirement]) -> bool:
    return bool(requirements) and all(r.done for r in requirements)


def _next_sequence(scope: str) -> int:
    """Take the next number of scope under a row lock (SQLite writes are serial anyway)."""
    query = select(CertificateCounter).where(CertificateCounter.scope == scope).with_for_update()
    counter = db.session.scalar(query)
    if counter is None:
        try:
            with db.session.begin_nested():
                db.session.add(CertificateCounter(scope=scope, next_value=1))
        except IntegrityError:
            pass  # another transaction created it first; lock theirs
        counter = db.session.scalar(query)
    value = counter.next_value
    counter.next_value = value + 1
    db.session.flush()
    return value


def _printed(cohort: Cohort, user: User, grid: Grid, row: GridRow | None, number: str,
             code: str, issued_on: date) -> dict:
    """Everything the PDF prints, frozen at issue."""
    settings = settings_of(cohort)
    courses = []
    for course in grid.courses:
        post = [c for c in grid.columns if c.course.id == course.id and c.kind == "quiz"
                and c.item.kind == "posttest"]
        score = row.cells.get(post[0].key) if row and post else None
        courses.append({"title": course.title, "hours_jp": course.hours_jp,
                        "score": score if isinstance(score, int | float) else None})
    return {
        "number": number, "verification_code": code, "holder_name": user.full_name,
        "holder_nip": user.nip, "holder_institution": user.institution,
        "program_title": cohort.program.title, "cohort_name": cohort.name,
        "starts_on": cohort.starts_on.isoformat(), "ends_on": cohort.ends_on.isoformat(),
        "issued_on": issued_on.isoformat(), "place": settings["place"],
        "issuer_name": settings["issuer"], "total_jp": sum(c["hours_jp"] for c in courses),
        "courses": courses, "show_scores": bool(settings["show_scores"]),
        "signatories": settings["signatories"],
    }


def _completion(cohort: Cohort, grid: Grid, row: GridRow, requirements: list[Requirement],
                decided_on: date) -> dict:
    """The completion the decision was made on: every item of every course with its
    result then, the rules applied, the requirements as the participant saw them, the JP.
    Kept on the certificate so that later content changes never change its meaning."""
    settings = settings_of(cohort)
    courses = []
    for course in grid.courses:
        items = []
        for column in (c for c in grid.columns if c.course.id == course.id):
            value = row.cells.get(column.key)
            item = {"kind": column.kind, "id": column.item.slug, "title": column.title,
                    "result": value if isinstance(value, int | float | str) else None}
            if column.kind == "quiz":
                item["quiz_kind"] = column.item.kind
            items.append(item)
        courses.append({"id": course.slug, "title": course.title,
                        "hours_jp": course.hours_jp, "items": items})
    return {
        "decided_on": decided_on.isoformat(),
        "rules": {key: settings.get(key) for key in
                  ("pass_mark", "require_evaluation", "min_attendance_percent")},
        "requirements": [{"label": r.label, "done": r.done, "detail": r.detail}
                         for r in requirements],
        "courses": courses,
        "total_jp": sum(c["hours_jp"] for c in courses),
    }


def issue_moment(today: date | None = None) -> tuple[datetime, date]:
    """(issued_at in naive UTC, the date printed on the certificate), always the same day
    in the site's zone. `today` backdates an issue (the demo, imports of past cohorts)."""
    if today is None:
        now = utcnow()
        return now, site_date(now)
    noon = datetime.combine(today, time(12), tzinfo=site_zone())
    return noon.astimezone(UTC).replace(tzinfo=None), today


def numbered(cohort: Cohort, user_id: int, holder_name: str, actor_id: int | None,
             issued_at: datetime, issued_on: date) -> Certificate:
    """A new certificate row with the next number and a fresh verification code; the
    caller fills in `data` and `completion` before flushing."""
    settings = settings_of(cohort)
    pattern = settings["number_format"]
    fields = {"cohort": cohort.number, "year": issued_on.year, "code": cohort.code,
              "program": cohort.program.slug.upper()}
    scope = counter_scope(pattern, program_slug=cohort.program.slug, number_fields=fields)
    sequence = _next_sequence(scope)
    return Certificate(
        number=format_number(pattern, seq=sequence, **fields), scope=scope, sequence=sequence,
        verification_code=new_verification_code(),  # 192 random bits
        program_id=cohort.program_id, cohort_id=cohort.id, user_id=user_id,
        holder_name=holder_name, issued_by_id=actor_id, issued_at=issued_at)


def valid_certificate(cohort: Cohort, user_id: int) -> Certificate | None:
    return db.session.scalar(select(Certificate).where(
        Certificate.cohort_id == cohort.id, Certificate.user_id == user_id,
        Certificate.status == "valid"))


def revoked_certificates(cohort: Cohort, user_id: int) -> list[Certificate]:
    return list(db.session.scalars(select(Certificate).where(
        Certificate.cohort_id == cohort.id, Certificate.user_id == user_id,
        Certificate.status == "revoked").order_by(Certificate.sequence)))


def issue(cohort: Cohort, user: User, actor_id: int | None, *, today: date | None = None,
          grid: Grid | None = None, requirements: list[Requirement] | None = None,
          after_revocation: bool = False) -> Certificate:
    """Issue the user's certificate for the cohort, recording the completion it was
    decided on. Refuses an incomplete participant (naming what is missing), a second valid
    certificate, and someone whose certificate in this cohort was revoked: that takes
    recertify(), with a reason."""
    if valid_certificate(cohort, user.id):
        raise CertificateError("exists", _("%(name)s already holds a certificate for this "
                                           "cohort.", name=user.full_name))
    revoked = revoked_certificates(cohort, user.id)
    if revoked and not after_revocation:
        raise CertificateError("revoked", _(
            "The certificate %(number)s of %(name)s was revoked. Issuing a new one is a "
            "decision of its own: use “Re-certify” and give the reason.",
            number=revoked[-1].number, name=user.full_name))
    grid = grid or progress_grid(cohort)
    row = next((r for r in grid.rows if r.user.id == user.id), None)
    if row is None:
        raise CertificateError("member", _("%(name)s is not a participant of this cohort.",
                                           name=user.full_name))
    settings = settings_of(cohort)
    requirements = requirements or _row_requirements(
        grid, row, settings, _evaluated(cohort, settings), _attendance(cohort, settings))
    missing = [r.label for r in requirements if not r.done]
    if missing:
        raise CertificateError("incomplete", _("%(name)s has not completed: %(missing)s",
                                               name=user.full_name, missing="; ".join(missing)))
    issued_at, issued_on = issue_moment(today)
    certificate = numbered(cohort, user.id, user.full_name, actor_id, issued_at, issued_on)
    certificate.data = _printed(cohort, user, grid, row, certificate.number,
                                certificate.verification_code, issued_on)
    certificate.completion = _completion(cohort, grid, row, requirements, issued_on)
    db.session.add(certificate)
    db.session.flush()
    audit.record(actor_id, "certificate.issue", "certificate", certificate.id,
                 f"{certificate.number}: {user.full_name}")
    return certificate


def recertify(cohort: Cohort, user: User, reason: str, actor_id: int | None, *,
              today: date | None = None) -> Certificate:
    """Certify again someone whose certificate in this cohort was revoked: an explicit,
    audited decision with its reason. Completion is checked again, as for any issue.
    Refuses without a reason, and for someone with no revoked certificate here."""
    reason = (reason or "").strip()
    if not reason:
        raise CertificateError("reason", _("Give the reason for certifying %(name)s again.",
                                           name=user.full_name))
    revoked = revoked_certificates(cohort, user.id)
    if not revoked:
        raise CertificateError("not-revoked", _(
            "%(name)s has no revoked certificate in this cohort: issue it the usual way.",
            name=user.full_name))
    certificate = issue(cohort, user, actor_id, today=today, after_revocation=True)
    audit.record(actor_id, "certificate.recertify", "certificate", certificate.id,
                 f"{certificate.number}: {user.full_name}: {reason[:200]}",
                 {"revoked": [c.number for c in revoked], "reason": reason[:1000]})
    db.session.flush()
    return certificate


class IssueSummary(NamedTuple):
    issued: list[Certificate]
    held: int  # already held a valid certificate
    incomplete: int
    revoked: int  # skipped: their certificate here was revoked (see recertify)


def issue_all(cohort: Cohort, actor_id: int | None, today: date | None = None
              ) -> IssueSummary:
    """Issue for every participant who has completed and holds none yet. Skips, and
    counts, those whose certificate in this cohort was revoked: a revocation is never
    undone by a bulk action."""
    grid, requirements = cohort_requirements(cohort)
    statuses: dict[int, set[str]] = {}
    for user_id, status in db.session.execute(select(Certificate.user_id, Certificate.status)
                                              .where(Certificate.cohort_id == cohort.id)):
        statuses.setdefault(user_id, set()).add(status)
    issued, held, incomplete, revoked = [], 0, 0, 0
    for row in sorted(grid.rows, key=lambda r: r.user.full_name.casefold()):
        mine = statuses.get(row.user.id, set())
        if "valid" in mine:
            held += 1
        elif "revoked" in mine:
            revoked += 1
        elif not is_complete(requirements[row.user.id]):
            incomplete += 1
        else:
            issued.append(issue(cohort, row.user, actor_id, today=today, grid=grid,
                                requirements=requirements[row.user.id]))
    return IssueSummary(issued, held, incomplete, revoked)


def new_verification_code() -> str:
    """192 random bits, URL-safe, never starting with "-" or "_" (a code starting with "-"
    reads as an option to `lms certificates verify` and to other command lines)."""
    while True:
        code = secrets.token_urlsafe(24)
        if code[0].isalnum():
            return code


def by_code(code: str) -> Certificate | None:
    if not code or len(code) > 64:
        return None
    return db.session.scalar(select(Certificate).where(Certificate.verification_code == code))


def by_number(number: str) -> Certificate | None:
    return db.session.scalar(select(Certificate).where(Certificate.number == number))


def certificates_of(user_id: int) -> list[Certificate]:
    return list(db.session.scalars(select(Certificate).where(Certificate.user_id == user_id)
                                   .order_by(Certificate.issued_at.desc())))


def cohort_certificates(cohort: Cohort) -> list[Certificate]:
    return list(db.session.scalars(select(Certificate).where(Certificate.cohort_id == cohort.id)
                                   .order_by(Certificate.sequence)))
