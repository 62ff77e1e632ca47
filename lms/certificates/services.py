"""Who has completed, numbering, issuing, revoking, reissuing and the PDF.

Plain values in; rows flushed; the caller commits. Numbers come from a counter
row locked for the issuing transaction, so two coordinators issuing at once get
consecutive numbers with no gap or duplicate, and a revoked number is never reused.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from lms import clock
from lms.audit import services as audit
from lms.auth.models import User
from lms.certificates.models import Certificate, CertificateCounter
from lms.certificates.settings import DEFAULTS, counter_scope, format_number
from lms.clock import utcnow
from lms.cohorts.grid import Grid, GridRow, progress_grid
from lms.cohorts.models import Cohort
from lms.extensions import db
from lms.live.services import attendance_percent_by_user
from lms.urls import public_base


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
    cells = row.cells if row else {}
    requirements = []
    for course in grid.courses:
        columns = [c for c in grid.columns if c.course.id == course.id]
        modules = [c for c in columns if c.kind == "module"]
        done = sum(1 for c in modules if cells.get(c.key) == "done")
        requirements.append(Requirement(
            _("%(course)s: every module done", course=course.title), done == len(modules),
            _("%(done)d of %(total)d modules", done=done, total=len(modules))))
        for column in columns:
            if column.kind == "assignment":
                task = column.item
                score = cells.get(column.key)
                scored = isinstance(score, int | float)
                requirements.append(Requirement(
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
                requirements.append(Requirement(
                    _("%(course)s: pre-test taken", course=course.title), graded))
                continue
            mark = settings["pass_mark"] if quiz.kind == "posttest" and \
                settings.get("pass_mark") is not None else quiz.pass_mark
            label = (_("%(course)s: post-test passed (at least %(mark)s)", course=course.title,
                       mark=f"{mark:g}") if quiz.kind == "posttest" else
                     _("%(quiz)s passed (at least %(mark)s)", quiz=quiz.title, mark=f"{mark:g}"))
            requirements.append(Requirement(
                label, graded and grade >= mark,
                _("grade %(grade)s", grade=f"{grade:g}") if graded else _("no grade yet")))
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


def _snapshot(cohort: Cohort, user: User, grid: Grid, row: GridRow | None, number: str,
              code: str, today: date) -> dict:
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
        "issued_on": today.isoformat(), "place": settings["place"],
        "issuer_name": settings["issuer"], "total_jp": sum(c["hours_jp"] for c in courses),
        "courses": courses, "show_scores": bool(settings["show_scores"]),
        "signatories": settings["signatories"],
    }


def valid_certificate(cohort: Cohort, user_id: int) -> Certificate | None:
    return db.session.scalar(select(Certificate).where(
        Certificate.cohort_id == cohort.id, Certificate.user_id == user_id,
        Certificate.status == "valid"))


def issue(cohort: Cohort, user: User, actor_id: int | None, *, today: date | None = None,
          grid: Grid | None = None, requirements: list[Requirement] | None = None
          ) -> Certificate:
    """Issue the user's certificate for the cohort. Refuses an incomplete participant
    (naming what is missing) and a second valid certificate."""
    today = today or clock.today()
    if valid_certificate(cohort, user.id):
        raise CertificateError("exists", _("%(name)s already holds a certificate for this "
                                           "cohort.", name=user.full_name))
    grid = grid or progress_grid(cohort)
    row = next((r for r in grid.rows if r.user.id == user.id), None)
    if row is None:
        raise CertificateError("member", _("%(name)s is not a participant of this cohort.",
                                           name=user.full_name))
    requirements = requirements or _row_requirements(
        grid, row, settings_of(cohort), _evaluated(cohort, settings_of(cohort)),
        _attendance(cohort, settings_of(cohort)))
    missing = [r.label for r in requirements if not r.done]
    if missing:
        raise CertificateError("incomplete", _("%(name)s has not completed: %(missing)s",
                                               name=user.full_name, missing="; ".join(missing)))
    settings = settings_of(cohort)
    pattern = settings["number_format"]
    fields = {"cohort": cohort.number, "year": today.year, "code": cohort.code,
              "program": cohort.program.slug.upper()}
    scope = counter_scope(pattern, program_slug=cohort.program.slug, number_fields=fields)
    sequence = _next_sequence(scope)
    number = format_number(pattern, seq=sequence, **fields)
    code = new_verification_code()
    certificate = Certificate(
        number=number, scope=scope, sequence=sequence, verification_code=code,
        program_id=cohort.program_id, cohort_id=cohort.id, user_id=user.id,
        holder_name=user.full_name, issued_by_id=actor_id, issued_at=utcnow(),
        data=_snapshot(cohort, user, grid, row, number, code, today))
    db.session.add(certificate)
    db.session.flush()
    audit.record(actor_id, "certificate.issue", "certificate", certificate.id,
                 f"{number}: {user.full_name}")
    return certificate


def issue_all(cohort: Cohort, actor_id: int | None, today: date | None = None
              ) -> tuple[list[Certificate], int, int]:
    """Issue for every participant who has completed and holds none yet.
    Returns (issued, already held, not complete)."""
    grid, requirements = cohort_requirements(cohort)
    holders = set(db.session.scalars(select(Certificate.user_id).where(
        Certificate.cohort_id == cohort.id, Certificate.status == "valid")))
    issued, held, incomplete = [], 0, 0
    for row in sorted(grid.rows, key=lambda r: r.user.full_name.casefold()):
        if row.user.id in holders:
            held += 1
        elif not is_complete(requirements[row.user.id]):
            incomplete += 1
        else:
            issued.append(issue(cohort, row.user, actor_id, today=today, grid=grid,
                                requirements=requirements[row.user.id]))
    return issued, held, incomplete


def revoke(certificate: Certificate, reason: str, actor_id: int | None) -> None:
    if certificate.status != "valid":
        raise CertificateError("status", _("Only a valid certificate can be revoked."))
    if not reason.strip():
        raise CertificateError("reason", _("Give the reason for the revocation."))
    certificate.status = "revoked"
    certificate.revoked_at = utcnow()
    certificate.revoked_reason = reason.strip()[:1000]
    certificate.revoked_by_id = actor_id
    audit.record(actor_id, "certificate.revoke", "certificate", certificate.id,
                 f"{certificate.number}: {reason.strip()[:200]}",
                 {"status": ["valid", "revoked"]})
    db.session.flush()


def reissue(certificate: Certificate, actor_id: int | None, today: date | None = None
            ) -> Certificate:
    """A new certificate (new number and code) with the holder's current name; the old one
    is kept as superseded, so its verification page points to the new one."""
    if certificate.status != "valid":
        raise CertificateError("status", _("Only a valid certificate can be reissued."))
    cohort = certificate.cohort
    user = db.session.get(User, certificate.user_id)
    certificate.status = "superseded"
    db.session.flush()
    try:
        new = issue(cohort, user, actor_id, today=today)
    except CertificateError:
        certificate.status = "valid"
        raise
    certificate.superseded_by_id = new.id
    audit.record(actor_id, "certificate.reissue", "certificate", certificate.id,
                 f"{certificate.number} → {new.number}",
                 {"holder_name": [certificate.holder_name, new.holder_name]})
    db.session.flush()
    return new


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


def verify_url(certificate: Certificate) -> str:
    base = public_base()
    return f"{base}/verify/{certificate.verification_code}"


def _store() -> Path:
    path = Path(current_app.instance_path) / "certificates"
    path.mkdir(exist_ok=True)
    return path


def _template_path(certificate: Certificate) -> Path | None:
    name = settings_of(certificate.cohort).get("template")
    if not name:
        return None
    folder = (Path(current_app.instance_path) / "certificates" / "templates").resolve()
    path = (folder / name).resolve()
    if not path.is_relative_to(folder) or not path.is_file():
        raise CertificateError("template", _("Template %(name)s not found in %(folder)s",
                                             name=name, folder=str(folder)))
    return path


def render_data(certificate: Certificate) -> dict:
    data = dict(certificate.data)
    for key in ("starts_on", "ends_on", "issued_on"):
        data[key] = date.fromisoformat(data[key])
    data["verify_url"] = verify_url(certificate)
    data["status_note"] = None
    return data


def pdf_of(certificate: Certificate) -> bytes:
    """The PDF, rendered the first time it is needed and then kept by its SHA-256."""
    store = _store()
    if certificate.pdf_sha256:
        path = store / f"{certificate.pdf_sha256}.pdf"
        if path.is_file():
            return path.read_bytes()
    from lms.certificates.pdf import render_certificate_pdf

    pdf = render_certificate_pdf(render_data(certificate),
                                 template_path=_template_path(certificate))
    digest = hashlib.sha256(pdf).hexdigest()
    (store / f"{digest}.pdf").write_bytes(pdf)
    certificate.pdf_sha256 = digest
    db.session.flush()
    return pdf
