"""Certificate work done in the background: issuing a cohort's certificates in bulk and
rendering and signing their PDFs, and building a cohort's ZIP. Both can run again after a
host died half-way: what is issued or rendered already is skipped."""

from __future__ import annotations

import tempfile
import zipfile

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select

from lms import storage
from lms.auth.models import User
from lms.certificates import documents, services
from lms.cohorts.models import Cohort
from lms.extensions import db
from lms.jobs.queue import job, progress
from lms.mail import language_of


def _locale_of(user_id: int | None) -> str:
    user = db.session.get(User, user_id) if user_id else None
    return language_of(user) if user else "id"


def summary_text(issued: int, held: int, incomplete: int, revoked: int) -> str:
    message = _("%(issued)d issued, %(held)d already held one, %(incomplete)d have not "
                "completed.", issued=issued, held=held, incomplete=incomplete)
    if revoked:
        message += " " + _("%(n)d skipped: certificate revoked.", n=revoked)
    return message


def render_missing(row, cohort: Cohort, start: int = 0) -> int:
    """Render and sign every valid certificate's PDF not made yet, committing (and
    reporting progress) after each; the number rendered."""
    valid = [c for c in services.cohort_certificates(cohort) if c.status == "valid"]
    missing = [c for c in valid if not c.pdf_sha256]
    progress(row, start + len(valid) - len(missing), start + len(valid))
    for certificate in missing:
        documents.issued_pdf(certificate)
        progress(row, row.done + 1)
    return len(missing)


@job("certificates.issue_cohort")
def issue_cohort(row, *, cohort_id: int, actor_id: int | None, **_params) -> dict:
    """Issue for everyone who completed (services.issue_all), then make their PDFs. The
    cohort row is locked while issuing, so two bulk issues cannot number one person twice."""
    cohort = db.session.execute(select(Cohort).where(Cohort.id == cohort_id)
                                .with_for_update()).scalar_one()
    summary = services.issue_all(cohort, actor_id)
    counts = {"issued": len(summary.issued), "held": summary.held,
              "incomplete": summary.incomplete, "revoked": summary.revoked}
    row.params = {**row.params, "counts": counts} if not row.params.get("counts") else row.params
    db.session.commit()
    render_missing(row, cohort)
    first = row.params.get("counts", counts)  # a rerun reports what the first run issued
    with force_locale(_locale_of(row.owner_id)):
        return {"summary": summary_text(**first), **first}


def zip_name(certificate) -> str:
    name = certificate.number.replace("/", "-")
    return f"{name} {certificate.holder_name[:60]}.pdf".replace("/", "-")


@job("certificates.zip")
def cohort_zip(row, *, cohort_id: int, **_params) -> dict:
    """Every valid certificate's PDF (rendered first where missing) in one ZIP, kept in the
    storage under exports/ for its owner to download."""
    cohort = db.session.get(Cohort, cohort_id)
    valid = [c for c in services.cohort_certificates(cohort) if c.status == "valid"]
    progress(row, 0, len(valid))
    key = f"exports/{row.id}-sertifikat-{cohort.code}.zip"
    with tempfile.TemporaryFile() as out:
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
            for done, certificate in enumerate(valid, start=1):
                archive.writestr(zip_name(certificate), documents.issued_pdf(certificate))
                progress(row, done)
        out.seek(0)
        storage.storage().save(key, out, "application/zip")
    with force_locale(_locale_of(row.owner_id)):
        summary = _("%(n)d certificates in the ZIP.", n=len(valid))
    return {"file": key, "filename": f"sertifikat-{cohort.code}.zip",
            "mimetype": "application/zip", "summary": summary}
