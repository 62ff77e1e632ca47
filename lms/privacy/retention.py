"""Retention: what is removed once its period (lms/config.py RETENTION_*) has passed.

Run by `lms privacy purge` (daily, from cron or a systemd timer: docs/privacy.md). One
transaction; the caller commits, then removes the files named in the result.

- Audit entries older than RETENTION_AUDIT_DAYS are deleted.
- Application documents of people who were not accepted (applied, waitlisted, rejected,
  withdrawn) are deleted RETENTION_APPLICATION_DOCUMENT_DAYS after their cohort ended.
- Certificates of deleted accounts issued more than RETENTION_CERTIFICATE_YEARS ago lose
  the holder's name, NIP and institution: their number still verifies, as "a certificate
  of a person whose data was deleted".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from flask import current_app
from sqlalchemy import delete, select

from lms.applications.models import ApplicationDocument
from lms.audit import services as audit
from lms.audit.models import AuditEntry
from lms.certificates.models import Certificate
from lms.cohorts.models import Cohort, CohortMember, MemberStatus
from lms.extensions import db
from lms.privacy.models import DeletionRequest, DeletionStatus

REMOVED_HOLDER = "(data pemegang telah dihapus)"


@dataclass
class PurgeResult:
    audit_entries: int = 0
    documents: list[str] = field(default_factory=list)  # stored names, to remove from disk
    certificates: int = 0


def purge(now: datetime, today: date) -> PurgeResult:
    """Remove what has outlived its retention period (see the module docstring)."""
    config = current_app.config
    result = PurgeResult()
    cutoff = now - timedelta(days=int(config["RETENTION_AUDIT_DAYS"]))
    result.audit_entries = db.session.execute(
        delete(AuditEntry).where(AuditEntry.created_at < cutoff)
        .execution_options(synchronize_session=False)).rowcount
    ended = today - timedelta(days=int(config["RETENTION_APPLICATION_DOCUMENT_DAYS"]))
    expired = list(db.session.scalars(
        select(ApplicationDocument).join(CohortMember,
                                         CohortMember.id == ApplicationDocument.member_id)
        .join(Cohort, Cohort.id == CohortMember.cohort_id)
        .where(Cohort.ends_on < ended, CohortMember.status != MemberStatus.ACCEPTED)))
    for document in expired:
        result.documents.append(document.stored_name)
        db.session.delete(document)
    years = int(config["RETENTION_CERTIFICATE_YEARS"])
    issued_before = now - timedelta(days=round(365.25 * years))
    deleted_people = select(DeletionRequest.user_id).where(
        DeletionRequest.status == DeletionStatus.DONE)
    for certificate in db.session.scalars(select(Certificate).where(
            Certificate.issued_at < issued_before, Certificate.user_id.in_(deleted_people),
            Certificate.holder_name != REMOVED_HOLDER)):
        certificate.holder_name = REMOVED_HOLDER
        certificate.data = {**certificate.data, "holder_name": REMOVED_HOLDER,
                            "holder_nip": None, "holder_institution": ""}
        result.certificates += 1
    if result.audit_entries or result.documents or result.certificates:
        audit.record(None, "privacy.purge", "site", None, (
            f"{result.audit_entries} audit entries, {len(result.documents)} application "
            f"documents, {result.certificates} certificates"))
    db.session.flush()
    return result
