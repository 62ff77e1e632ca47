"""After issue: revoking, and reissuing after a correction of the holder's name.

Plain values in; rows flushed; the caller commits. A reissue never asks whether the
holder has completed: that was decided once, at issue, and the decision travels with
the certificate (`completion`), so a module added to a course after the cohort ended
cannot take a graduate's certificate away.
"""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _

from lms.audit import services as audit
from lms.auth.models import User
from lms.certificates.models import Certificate
from lms.certificates.services import CertificateError, issue_moment, numbered
from lms.clock import utcnow
from lms.extensions import db
from lms.i18n import long_date

MAX_NAME = 200  # User.full_name and Certificate.holder_name


def _refuse_unless_valid(certificate: Certificate, action: str) -> None:
    """A clear message for a certificate that is no longer valid; nothing is changed."""
    if certificate.status == "revoked":
        raise CertificateError("status", _(
            "Certificate %(number)s was already revoked on %(date)s; nothing was changed.",
            number=certificate.number,
            date=long_date(certificate.revoked_at))
            if action == "revoke" else _(
            "Certificate %(number)s is revoked and cannot be reissued; to certify the person "
            "again, use “Re-certify” with a reason. Nothing was changed.",
            number=certificate.number))
    if certificate.status == "superseded":
        successor = (db.session.get(Certificate, certificate.superseded_by_id)
                     if certificate.superseded_by_id else None)
        raise CertificateError("status", _(
            "Certificate %(number)s has already been replaced by %(successor)s; act on that "
            "one instead. Nothing was changed.", number=certificate.number,
            successor=successor.number if successor else "?"))
    if certificate.status != "valid":
        raise CertificateError("status", _("Only a valid certificate can be changed."))


def revoke(certificate: Certificate, reason: str, actor_id: int | None) -> None:
    """Revoke a valid certificate with a reason; its number is never reused. Refuses an
    empty reason and a certificate already revoked or replaced, changing nothing."""
    _refuse_unless_valid(certificate, "revoke")
    if not (reason or "").strip():
        raise CertificateError("reason", _("Give the reason for the revocation."))
    certificate.status = "revoked"
    certificate.revoked_at = utcnow()
    certificate.revoked_reason = reason.strip()[:1000]
    certificate.revoked_by_id = actor_id
    audit.record(actor_id, "certificate.revoke", "certificate", certificate.id,
                 f"{certificate.number}: {reason.strip()[:200]}",
                 {"status": ["valid", "revoked"]})
    db.session.flush()
    from lms.certificates.services import tell_certificate

    tell_certificate(certificate, db.session.get(User, certificate.user_id), "revoked",
                     certificate.revoked_reason)


def reissue_for_name_correction(certificate: Certificate, new_name: str | None,
                                actor_id: int | None, *, today: date | None = None
                                ) -> Certificate:
    """Replace a valid certificate by one with a corrected name: a new number and
    verification code, issued today, printing `new_name` (None: the holder's current
    account name) and the holder's current NIP and institution; everything else (courses,
    JP, scores, period, signatories) and the completion snapshot are copied from the old
    certificate, never re-evaluated against today's content. The old one is kept as
    superseded and its verification page points to the new one. Does not change the
    account: a caller correcting the account's name does that itself.

    Refuses (CertificateError, nothing changed) a certificate that is revoked or already
    replaced, and an empty or over-long name."""
    _refuse_unless_valid(certificate, "reissue")
    user = db.session.get(User, certificate.user_id)
    name = (new_name if new_name is not None else user.full_name).strip()
    if not name:
        raise CertificateError("name", _("The name to print cannot be empty."))
    if len(name) > MAX_NAME:
        raise CertificateError("name", _("The name to print is longer than %(n)d characters.",
                                         n=MAX_NAME))
    issued_at, issued_on = issue_moment(today)
    certificate.status = "superseded"
    db.session.flush()
    new = numbered(certificate.cohort, user.id, name, actor_id, issued_at, issued_on)
    new.data = {**certificate.data, "number": new.number,
                "verification_code": new.verification_code, "holder_name": name,
                "holder_nip": user.nip, "holder_institution": user.institution,
                "issued_on": issued_on.isoformat()}
    new.completion = certificate.completion
    db.session.add(new)
    db.session.flush()
    certificate.superseded_by_id = new.id
    audit.record(actor_id, "certificate.reissue", "certificate", certificate.id,
                 f"{certificate.number} → {new.number}",
                 {"holder_name": [certificate.holder_name, new.holder_name]})
    db.session.flush()
    return new


def reissue(certificate: Certificate, actor_id: int | None, today: date | None = None
            ) -> Certificate:
    """Reissue with the holder's current account name (see reissue_for_name_correction)."""
    return reissue_for_name_correction(certificate, None, actor_id, today=today)
