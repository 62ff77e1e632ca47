"""A certificate's documents: the PDF (kept by its SHA-256) and the data the badge uses.

The PDF as issued is rendered once and its SHA-256 shown on the verification page, so
whoever holds a copy can check it. A certificate that is no longer valid is never served
as that clean document again: its holder gets the same certificate marked DICABUT
(revoked) or DIGANTI (replaced) on both pages, made on request and not kept.
"""

from __future__ import annotations

import hashlib
from datetime import date
from pathlib import Path

from babel.dates import format_date
from flask import current_app
from flask_babel import gettext as _

from lms import db_setup, storage
from lms.certificates.models import Certificate
from lms.certificates.services import CertificateError, settings_of
from lms.clock import site_date
from lms.extensions import db
from lms.urls import public_base


def verify_url(certificate: Certificate) -> str:
    return verify_url_prefix() + certificate.verification_code


def verify_url_prefix() -> str:
    """What every certificate's verification address (its credential id) starts with."""
    return f"{public_base()}/verify/"


def pdf_key(sha256: str) -> str:
    """Where the PDF as issued is kept in the storage (lms/storage.py)."""
    return f"certificates/{sha256}.pdf"


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


def status_mark(certificate: Certificate) -> tuple[str | None, str | None]:
    """(the large word across the pages, the sentence under it) for a certificate that is
    no longer valid; (None, None) for a valid one. In Indonesian, as the whole PDF is."""
    if certificate.status == "revoked":
        when = (format_date(site_date(certificate.revoked_at), "d MMMM y", locale="id")
                if certificate.revoked_at else "")
        return "DICABUT", f"Sertifikat ini dicabut pada {when}: {certificate.revoked_reason}"
    if certificate.status == "superseded":
        successor = (db.session.get(Certificate, certificate.superseded_by_id)
                     if certificate.superseded_by_id else None)
        note = "Sertifikat ini telah diganti"
        if successor is not None:
            note += f" dengan sertifikat Nomor {successor.number}"
        return "DIGANTI", note + " dan tidak berlaku lagi."
    return None, None


def render_data(certificate: Certificate, *, as_issued: bool = False) -> dict:
    """The plain dict render_certificate_pdf and the badge take. The printed date is the
    recorded issue date; `as_issued` leaves out any revoked or replaced mark."""
    data = dict(certificate.data)
    for key in ("starts_on", "ends_on", "issued_on"):
        data[key] = date.fromisoformat(data[key])
    data["verify_url"] = verify_url(certificate)
    mark, note = (None, None) if as_issued else status_mark(certificate)
    data["status_mark"], data["status_note"] = mark, note
    return data


def _render(certificate: Certificate, *, as_issued: bool) -> tuple[bytes, bool]:
    """(the PDF, whether it is signed). Signed when the signing key can be used. When it
    cannot, the PDF is made all the same, unsigned and saying so on its face, and the
    reason is logged: a broken key must never stop a participant from getting a
    certificate."""
    from lms.certificates import pdf_signing
    from lms.certificates.pdf import render_certificate_pdf

    data = render_data(certificate, as_issued=as_issued)
    template_path = _template_path(certificate)
    signer = pdf_signing.load_signer()
    if not isinstance(signer, pdf_signing.Problem):
        pdf = render_certificate_pdf(data, template_path=template_path)
        try:
            return pdf_signing.sign_pdf(pdf, signer,
                                    tsa_url=current_app.config.get("CERTIFICATE_TSA_URL"),
                                    location=data.get("place")), True
        except Exception as error:  # noqa: BLE001 - a TSA or token failure: unsigned
            signer = pdf_signing.Problem("failed", f"signing failed: {error}")
    current_app.logger.error("Certificate %s made without an electronic signature: %s",
                             certificate.number, signer.detail)
    data["unsigned_note"] = pdf_signing.UNSIGNED_NOTE
    return render_certificate_pdf(data, template_path=template_path), False


def issued_pdf(certificate: Certificate) -> bytes:
    """The PDF as issued, rendered the first time it is needed and then kept by its
    SHA-256 (which the verification page shows, whatever the status is now).

    Only a signed PDF is kept: an unsigned one (the key could not be used) is served but
    made again next time, so the first PDF after the key is fixed becomes the document
    of record, signed.
    """
    if certificate.pdf_sha256:
        kept = storage.read_bytes(pdf_key(certificate.pdf_sha256))
        if kept is not None:
            return kept
    pdf, signed = _render(certificate, as_issued=True)
    if not signed:
        return pdf
    # Rendered outside the write lock (a GET: see lms.db_setup.writing); a request that
    # kept its PDF in the meantime made the document of record.
    db_setup.writing()
    db.session.refresh(certificate, ["pdf_sha256"])
    if certificate.pdf_sha256:
        kept = storage.read_bytes(pdf_key(certificate.pdf_sha256))
        if kept is not None:
            return kept
    digest = hashlib.sha256(pdf).hexdigest()
    storage.save_bytes(pdf_key(digest), pdf, "application/pdf")
    certificate.pdf_sha256 = digest
    db.session.flush()
    return pdf


def pdf_of(certificate: Certificate) -> bytes:
    """What a holder or coordinator downloads: the PDF as issued while the certificate is
    valid; once revoked or replaced, the same certificate marked as such on every page."""
    if certificate.status == "valid":
        return issued_pdf(certificate)
    return _render(certificate, as_issued=False)[0]
