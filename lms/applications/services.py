"""Applications with requirements: the fields and documents a program file asks for
(`application:` section, lms.records.programfile), filled and uploaded by the applicant,
reviewed by coordinators during selection.

Plain values in; rows flushed; the caller commits (and then removes any file a new upload
replaced). Every change is audited. An applicant changes fields and documents while
registration is open; after the deadline only a document marked "to be corrected" can
be uploaded again, until the cohort starts.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import BinaryIO

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select

from lms.applications import storage
from lms.applications.models import ApplicationAnswers, ApplicationDocument, DocumentStatus
from lms.assignments.files import FileRefused
from lms.audit import services as audit
from lms.auth.models import User
from lms.clock import utcnow
from lms.cohorts.models import Cohort, CohortMember, MemberStatus
from lms.extensions import db
from lms.mail import send_to
from lms.storage import StorageUnavailable
from lms.urls import external_url

MAX_VALUE = 200
EDITABLE = (MemberStatus.APPLIED, MemberStatus.WAITLISTED)


class ApplicationError(ValueError):
    def __init__(self, code: str, detail: str = "", errors: dict | None = None):
        super().__init__(f"{code}: {detail}" if detail else code)
        self.code = code
        self.detail = detail
        self.errors = errors or {}


@dataclass(frozen=True)
class FieldSpec:
    id: str
    label: str
    kind: str = "text"
    required: bool = True
    choices: tuple[str, ...] = ()
    pattern: str | None = None
    help: str = ""


@dataclass(frozen=True)
class DocumentSpec:
    id: str
    label: str
    types: tuple[str, ...]
    max_size_mb: int
    required: bool = True
    help: str = ""


@dataclass(frozen=True)
class Requirements:
    fields: tuple[FieldSpec, ...] = ()
    documents: tuple[DocumentSpec, ...] = ()

    def document(self, doc_id: str) -> DocumentSpec | None:
        return next((d for d in self.documents if d.id == doc_id), None)


def requirements_of(cohort: Cohort) -> Requirements | None:
    """What the cohort's program asks of an application; None when it asks nothing."""
    section = (cohort.program.records or {}).get("application")
    if not section:
        return None
    return Requirements(
        tuple(FieldSpec(f["id"], f["label"], f.get("kind", "text"), f.get("required", True),
                        tuple(f.get("choices") or ()), f.get("pattern"), f.get("help", ""))
              for f in section.get("fields", ())),
        tuple(DocumentSpec(d["id"], d["label"], tuple(d["types"]), d["max_size_mb"],
                           d.get("required", True), d.get("help", ""))
              for d in section.get("documents", ())))


@dataclass
class Application:
    member: CohortMember
    user: User
    values: dict[str, str] = field(default_factory=dict)
    documents: dict[str, ApplicationDocument] = field(default_factory=dict)

    def missing(self, requirements: Requirements) -> list[str]:
        """The labels of what is still needed: empty required fields, required documents
        not uploaded, documents to be corrected."""
        found = [f.label for f in requirements.fields
                 if f.required and not self.values.get(f.id)]
        for spec in requirements.documents:
            document = self.documents.get(spec.id)
            if document is None and spec.required:
                found.append(spec.label)
            elif document is not None and document.status == DocumentStatus.CORRECTION:
                found.append(_("%(document)s (to be corrected)", document=spec.label))
        return found


def application_of(member: CohortMember) -> Application:
    answers = db.session.scalar(select(ApplicationAnswers).where(
        ApplicationAnswers.member_id == member.id))
    documents = {d.requirement: d for d in db.session.scalars(
        select(ApplicationDocument).where(ApplicationDocument.member_id == member.id))}
    return Application(member, member.user, dict(answers.values) if answers else {}, documents)


def may_edit(cohort: Cohort, member: CohortMember, today: date) -> bool:
    return member.status in EDITABLE and cohort.registration_open(today)


def _refuse_unless_editable(cohort: Cohort, member: CohortMember, today: date) -> None:
    if member.status not in EDITABLE:
        raise ApplicationError("status", _("Your application has already been decided; it "
                                           "can no longer be changed."))
    if not cohort.registration_open(today):
        raise ApplicationError("closed", _(
            "Registration for %(cohort)s closed on %(date)s: the application can no longer be "
            "changed. Nothing was saved.", cohort=cohort.name,
            date=cohort.registration_closes_on.isoformat()
            if cohort.registration_closes_on else "-"))


def check_values(requirements: Requirements, submitted: dict[str, str]) -> tuple[dict, dict]:
    """(the cleaned values, {field id: what is wrong}) for the submitted fields."""
    values, errors = {}, {}
    for spec in requirements.fields:
        value = " ".join((submitted.get(spec.id) or "").split())
        if not value:
            if spec.required:
                errors[spec.id] = _("%(field)s is required.", field=spec.label)
            continue
        if len(value) > MAX_VALUE:
            errors[spec.id] = _("%(field)s is longer than %(n)d characters.", field=spec.label,
                                n=MAX_VALUE)
        elif spec.kind == "choice" and value not in spec.choices:
            errors[spec.id] = _("Choose one of the %(field)s listed.", field=spec.label)
        elif spec.pattern and not re.fullmatch(spec.pattern, value):
            errors[spec.id] = _("%(field)s is not in the expected form.", field=spec.label)
        values[spec.id] = value
    return values, errors


def save_values(cohort: Cohort, member: CohortMember, submitted: dict[str, str],
                today: date) -> bool:
    """Save the application's fields; refuses (ApplicationError with `errors` by field,
    nothing saved) a wrong value, and any change after the deadline. False when nothing
    changed."""
    requirements = requirements_of(cohort) or Requirements()
    _refuse_unless_editable(cohort, member, today)
    values, errors = check_values(requirements, submitted)
    if errors:
        raise ApplicationError("fields", _("Nothing was saved: correct the fields marked "
                                           "below."), errors)
    answers = db.session.scalar(select(ApplicationAnswers).where(
        ApplicationAnswers.member_id == member.id))
    before = dict(answers.values) if answers else {}
    if before == values:
        return False
    if answers is None:
        answers = ApplicationAnswers(member_id=member.id)
        db.session.add(answers)
    answers.values = values
    audit.record(member.user_id, "application.fields", "cohort_member", member.id,
                 f"{cohort.code}: {member.user.email}", audit.diff(before, values))
    db.session.flush()
    return True


def _file_message(exc: FileRefused, spec: DocumentSpec) -> str:
    params = exc.params
    if exc.code == "type":
        return _("%(document)s: %(name)s is not an accepted type (accepted: %(types)s). "
                 "Nothing was saved.", document=spec.label, name=params["name"],
                 types=", ".join(spec.types))
    if exc.code == "size":
        return _("%(document)s: %(name)s is larger than %(mb)d MB. Nothing was saved.",
                 document=spec.label, name=params["name"], mb=spec.max_size_mb)
    if exc.code == "empty":
        return _("%(document)s: %(name)s is empty. Nothing was saved.", document=spec.label,
                 name=params["name"])
    if exc.code == "content":
        return _("%(document)s: %(name)s is not really a %(kind)s file. Nothing was saved.",
                 document=spec.label, name=params["name"], kind=params["kind"])
    return _("%(document)s: choose a file.", document=spec.label)


def upload_document(cohort: Cohort, member: CohortMember, doc_id: str, stream: BinaryIO,
                    filename: str, today: date) -> tuple[ApplicationDocument, str | None]:
    """Store the file for one required document, checked by content, type and size;
    returns the row and the stored name of the file it replaces (the caller removes that
    file after committing). Refuses (ApplicationError, nothing kept) an unknown document,
    a wrong file, and an upload after the deadline, except for a document marked to be
    corrected before the cohort starts."""
    requirements = requirements_of(cohort) or Requirements()
    spec = requirements.document(doc_id)
    if spec is None:
        raise ApplicationError("unknown", _("This application asks for no such document."))
    existing = db.session.scalar(select(ApplicationDocument).where(
        ApplicationDocument.member_id == member.id, ApplicationDocument.requirement == doc_id))
    correcting = (existing is not None and existing.status == DocumentStatus.CORRECTION
                  and member.status in EDITABLE and today < cohort.starts_on)
    if not correcting:
        _refuse_unless_editable(cohort, member, today)
    try:
        stored = storage.save_document(stream, filename, max_bytes=spec.max_size_mb * 1024 * 1024,
                                       accepted=list(spec.types))
    except FileRefused as exc:
        raise ApplicationError("file", _file_message(exc, spec)) from None
    except StorageUnavailable as exc:
        current_app.logger.error("storage unavailable during an application upload: %s", exc)
        raise ApplicationError("storage", _(
            "The files could not be stored (the file storage is not reachable). "
            "Please try again in a few minutes.")) from None
    replaced = existing.stored_name if existing else None
    document = existing or ApplicationDocument(member_id=member.id, requirement=doc_id)
    document.original_name, document.stored_name = stored.original_name, stored.stored_name
    document.kind, document.size, document.sha256 = stored.kind, stored.size, stored.sha256
    document.uploaded_at = utcnow()
    document.status, document.note = DocumentStatus.SUBMITTED, ""
    document.reviewed_at = document.reviewed_by_id = None
    db.session.add(document)
    try:
        db.session.flush()
    except Exception:
        storage.remove_document(stored.stored_name)
        raise
    audit.record(member.user_id, "application.document", "cohort_member", member.id,
                 f"{cohort.code}: {spec.label}: {stored.original_name}",
                 {"sha256": stored.sha256, "replaced": bool(replaced)})
    return document, replaced


def review_document(cohort: Cohort, document: ApplicationDocument, status: str, note: str,
                    actor: User) -> None:
    """Mark a document accepted or to be corrected (a note is then required, and mailed
    to the applicant). Audited."""
    if status not in (DocumentStatus.ACCEPTED, DocumentStatus.CORRECTION):
        raise ApplicationError("status", _("Unknown decision."))
    note = (note or "").strip()[:1000]
    if status == DocumentStatus.CORRECTION and not note:
        raise ApplicationError("note", _("Say what has to be corrected: the note is mailed "
                                         "to the applicant."))
    spec = (requirements_of(cohort) or Requirements()).document(document.requirement)
    label = spec.label if spec else document.requirement
    before = document.status
    document.status, document.note = status, note
    document.reviewed_at, document.reviewed_by_id = utcnow(), actor.id
    member = document.member
    audit.record(actor.id, "application.review", "cohort_member", member.id,
                 f"{cohort.code}: {member.user.email}: {label}: {status}",
                 {"status": [before, status], "note": note})
    link = external_url("applications.mine", code=cohort.code)
    if status == DocumentStatus.CORRECTION:
        send_to(member.user, lambda: (
            _("Your application to %(cohort)s: a document to correct", cohort=cohort.name),
            _("The coordinators ask you to correct “%(document)s”:\n\n%(note)s\n\nUpload a "
              "corrected file here: %(link)s", document=label, note=note, link=link)))
    else:
        send_to(member.user, lambda: (
            _("Your application to %(cohort)s: a document accepted", cohort=cohort.name),
            _("The coordinators have accepted “%(document)s”.%(note)s\n\n%(link)s",
              document=label, note=f"\n\n{note}" if note else "", link=link)))
    db.session.flush()


def selection(cohort: Cohort, *, status: str = "", filters: dict[str, str] | None = None
              ) -> list[Application]:
    """Every application to the cohort (withdrawn ones left out), with its fields and
    documents, in three queries; filtered by status and by exact field values."""
    query = (select(CohortMember, User).join(User, User.id == CohortMember.user_id)
             .where(CohortMember.cohort_id == cohort.id,
                    CohortMember.status != MemberStatus.WITHDRAWN)
             .order_by(CohortMember.applied_at, CohortMember.id))
    if status:
        query = query.where(CohortMember.status == status)
    rows = [Application(member, user) for member, user in db.session.execute(query)]
    ids = [a.member.id for a in rows]
    values = {a.member_id: a.values for a in db.session.scalars(
        select(ApplicationAnswers).where(ApplicationAnswers.member_id.in_(ids)))}
    documents: dict[int, dict] = defaultdict(dict)
    for document in db.session.scalars(select(ApplicationDocument).where(
            ApplicationDocument.member_id.in_(ids))):
        documents[document.member_id][document.requirement] = document
    for application in rows:
        application.values = dict(values.get(application.member.id) or {})
        application.documents = documents[application.member.id]
    wanted = {k: v for k, v in (filters or {}).items() if v}
    return [a for a in rows if all(a.values.get(k) == v for k, v in wanted.items())]


def application_items(member: CohortMember) -> dict:
    """The fields and documents of one application, for the person's data archive."""
    application = application_of(member)
    return {"fields": application.values, "documents": [
        {"requirement": d.requirement, "file": f"files/applications/{d.id}-{d.original_name}",
         "uploaded_at": d.uploaded_at.isoformat(), "status": d.status, "note": d.note}
        for d in application.documents.values()]}


def application_files(user_id: int) -> list[tuple[str, str]]:
    """(name in the archive, stored name) of every application document of the person."""
    return [(f"files/applications/{d.id}-{d.original_name}", d.stored_name)
            for d in db.session.scalars(
                select(ApplicationDocument).join(CohortMember, CohortMember.id
                                                 == ApplicationDocument.member_id)
                .where(CohortMember.user_id == user_id).order_by(ApplicationDocument.id))]
