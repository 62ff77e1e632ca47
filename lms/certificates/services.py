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
from datetime import UTC, date, datetime, time
from typing import NamedTuple

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from lms.audit import services as audit
from lms.auth.models import User
from lms.certificates import rules
from lms.certificates.models import Certificate, CertificateCounter
from lms.certificates.rules import CertificateSettings, Requirement, is_complete
from lms.certificates.settings import DEFAULTS, counter_scope, format_number
from lms.clock import site_date, site_zone, utcnow
from lms.cohorts.models import Cohort
from lms.extensions import db
from lms.progress.build import for_cohort
from lms.progress.model import QUIZ, CohortProgress, PersonProgress
from lms.records.grading import FinalGradeSettings, final_grade


class CertificateError(ValueError):
    def __init__(self, code: str, detail: str = ""):
        super().__init__(f"{code}: {detail}" if detail else code)
        self.code = code
        self.detail = detail


def settings_of(cohort: Cohort) -> dict:
    return {**DEFAULTS, **(cohort.program.certificate or {})}


def typed_settings(cohort: Cohort) -> CertificateSettings:
    return CertificateSettings.from_mapping(cohort.program.certificate)


def cohort_requirements(cohort: Cohort) -> tuple[CohortProgress, dict[int, list[Requirement]]]:
    """Everyone's progress and requirements, in the progress layer's fixed number of
    queries."""
    progress = for_cohort(cohort)
    settings = typed_settings(cohort)
    return progress, {uid: rules.requirements(settings, person)
                      for uid, person in progress.people.items()}


def requirements_of(cohort: Cohort, user_id: int) -> list[Requirement]:
    """user_id's requirements (all unmet for someone not in the cohort)."""
    person = for_cohort(cohort, user_id=user_id).of(user_id)
    return rules.requirements(typed_settings(cohort), person)


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


def _printed(cohort: Cohort, user: User, progress: PersonProgress, settings: dict,
             number: str, code: str, issued_on: date) -> dict:
    """Everything the PDF prints, frozen at issue."""
    courses = []
    for course in progress.courses:
        post = [r for r in course.items
                if r.item.kind == QUIZ and r.item.quiz_kind == "posttest"]
        courses.append({"title": course.course.title, "hours_jp": course.course.hours_jp,
                        "score": post[0].grade if post else None})
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


def _completion(progress: PersonProgress, settings: CertificateSettings,
                requirements: list[Requirement], decided_on: date) -> dict:
    """The completion the decision was made on: every item of every course with its
    result then, the rules applied, the requirements as the participant saw them, the JP.
    Kept on the certificate so that later content changes never change its meaning."""
    courses = []
    for course in progress.courses:
        items = []
        for result in course.items:
            item = {"kind": result.item.kind, "id": result.item.slug,
                    "title": result.item.title, "result": result.cell}
            if result.item.kind == QUIZ:
                item["quiz_kind"] = result.item.quiz_kind
            items.append(item)
        courses.append({"id": course.course.slug, "title": course.course.title,
                        "hours_jp": course.course.hours_jp, "items": items})
    return {
        "decided_on": decided_on.isoformat(),
        "rules": settings.rules(),
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
          progress: CohortProgress | None = None,
          requirements: list[Requirement] | None = None,
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
    progress = progress or for_cohort(cohort, user_id=user.id)
    person = progress.people.get(user.id)
    if person is None:
        raise CertificateError("member", _("%(name)s is not a participant of this cohort.",
                                           name=user.full_name))
    settings = typed_settings(cohort)
    requirements = requirements or rules.requirements(settings, person)
    missing = [r.label for r in requirements if not r.done]
    if missing:
        raise CertificateError("incomplete", _("%(name)s has not completed: %(missing)s",
                                               name=user.full_name, missing="; ".join(missing)))
    issued_at, issued_on = issue_moment(today)
    try:
        # Numbering and the row in one savepoint: when another transaction issued the
        # same person's certificate first (the unique index says so), neither the row nor
        # the number it took is kept, so numbering has no gap.
        with db.session.begin_nested():
            certificate = numbered(cohort, user.id, user.full_name, actor_id, issued_at,
                                   issued_on)
            certificate.data = _printed(cohort, user, person, settings_of(cohort),
                                        certificate.number, certificate.verification_code,
                                        issued_on)
            certificate.completion = _completion(person, settings, requirements, issued_on)
            grading = FinalGradeSettings.from_mapping(cohort.program.records)
            if grading is not None:  # the nilai akhir, frozen with the decision and printed
                with force_locale("id"):  # printed in Indonesian, as the whole certificate
                    frozen = final_grade(grading, person).snapshot()
                certificate.data["final_grade"] = certificate.completion["final_grade"] = frozen
            db.session.add(certificate)
            db.session.flush()
    except IntegrityError:
        raise CertificateError("exists", _("%(name)s already holds a certificate for this "
                                           "cohort.", name=user.full_name)) from None
    audit.record(actor_id, "certificate.issue", "certificate", certificate.id,
                 f"{certificate.number}: {user.full_name}")
    tell_certificate(certificate, user, "issued")
    return certificate


def tell_certificate(certificate: Certificate, user: User, what: str,
                     reason: str = "") -> None:
    """The holder hears of a certificate issued or revoked: always mailed."""
    from lms.notifications.services import notify

    cohort = db.session.get(Cohort, certificate.cohort_id)
    if what == "issued":
        compose = lambda: (_("Your certificate is ready: %(cohort)s",  # noqa: E731
                             cohort=cohort.name),
                           _("Certificate number %(number)s. Download it from your "
                             "certificates page.", number=certificate.number))
    else:
        compose = lambda: (_("Your certificate was revoked: %(cohort)s",  # noqa: E731
                             cohort=cohort.name),
                           _("Certificate number %(number)s was revoked. Reason: %(reason)s",
                             number=certificate.number, reason=reason))
    notify(user, "certificate", f"certificate:{certificate.id}:{what}", compose,
           endpoint="certificates.mine", target=("certificate", certificate.id),
           cohort_id=cohort.id)


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
    progress, requirements = cohort_requirements(cohort)
    statuses: dict[int, set[str]] = {}
    for user_id, status in db.session.execute(select(Certificate.user_id, Certificate.status)
                                              .where(Certificate.cohort_id == cohort.id)):
        statuses.setdefault(user_id, set()).add(status)
    issued, held, incomplete, revoked = [], 0, 0, 0
    for _member, user in sorted(progress.members, key=lambda m: m[1].full_name.casefold()):
        mine = statuses.get(user.id, set())
        if "valid" in mine:
            held += 1
        elif "revoked" in mine:
            revoked += 1
        elif not is_complete(requirements[user.id]):
            incomplete += 1
        else:
            issued.append(issue(cohort, user, actor_id, today=today, progress=progress,
                                requirements=requirements[user.id]))
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
