"""Certificates: the holder's page and downloads, public verification, coordinator tools."""

import hashlib

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from sqlalchemy import select

from lms.auth.access import MANAGERS, is_manager, roles_required
from lms.auth.models import User
from lms.certificates import credentials, documents, pdf_signing, revisions, services
from lms.certificates.models import Certificate
from lms.certificates.public import json_ld, wants_json
from lms.cohorts import services as cohorts
from lms.cohorts.access import (
    CohortAccess,
    cohort_required,
    manages,
    refuse_outside_programs,
)
from lms.cohorts.models import CohortMember, MemberStatus
from lms.exports import export_response, exportable, nip_cell
from lms.extensions import db, limiter
from lms.jobs import queue as jobs
from lms.storage import send
from lms.urls import external_url

bp = Blueprint("certificates", __name__)


def _verify_limit() -> str:
    return current_app.config["VERIFY_RATE_LIMIT"]


def _own_or_staff_or_404(certificate_id: int) -> Certificate:
    certificate = db.session.get(Certificate, certificate_id)
    if certificate is None:
        abort(404)
    if certificate.user_id != current_user.id and not is_manager(current_user):
        abort(404)
    return certificate


@bp.get("/certificates")
@login_required
def mine():
    memberships = [m for m in cohorts.memberships_of(current_user.id)
                   if m.status == MemberStatus.ACCEPTED]
    entries = []
    for member in memberships:
        entries.append({
            "cohort": member.cohort,
            "requirements": services.requirements_of(member.cohort, current_user.id),
            "certificate": services.valid_certificate(member.cohort, current_user.id),
            "revoked": services.revoked_certificates(member.cohort, current_user.id),
        })
    others = [c for c in services.certificates_of(current_user.id) if c.status != "valid"]
    return render_template("certificates/mine.html", entries=entries, others=others,
                           verify_url=documents.verify_url)


@bp.get("/certificates/<int:certificate_id>.pdf")
@login_required
def pdf(certificate_id: int):
    certificate = _own_or_staff_or_404(certificate_id)
    filename = "sertifikat-" + certificate.number.replace("/", "-") + ".pdf"
    if certificate.status == "valid" and certificate.pdf_sha256:
        # Kept in the storage: streamed from there, whichever host rendered it.
        return send(documents.pdf_key(certificate.pdf_sha256), mimetype="application/pdf",
                    download_name=filename)
    data = documents.pdf_of(certificate)  # marked DICABUT or DIGANTI when no longer valid
    db.session.commit()
    return Response(data, mimetype="application/pdf", headers={
        "Content-Disposition": f'attachment; filename="{filename}"'})


@bp.get("/certificates/<int:certificate_id>/badge.json")
@login_required
def badge(certificate_id: int):
    certificate = _own_or_staff_or_404(certificate_id)
    if certificate.status != "valid":
        # A badge saved earlier says "revoked" through its status list; a new copy of a
        # credential that is no longer valid is not handed out.
        successor = (db.session.get(Certificate, certificate.superseded_by_id)
                     if certificate.superseded_by_id else None)
        return render_template("certificates/badge_refused.html", certificate=certificate,
                               successor=successor), 410
    credential, signed = credentials.badge_of(certificate)
    response = jsonify(credential)
    response.mimetype = "application/ld+json"
    response.headers["Content-Disposition"] = (
        f'attachment; filename="badge-{certificate.number.replace("/", "-")}.json"')
    response.headers["X-Credential-Signed"] = "yes" if signed else "no"
    return response


@bp.get("/verify/<code>")
@limiter.limit(_verify_limit)
def verify(code: str):
    """Public: valid, revoked or unknown, with only what an employer needs to check. The
    credential id: JSON for machines (the signed credential while it is valid), HTML for
    people."""
    certificate = services.by_code(code)
    if wants_json():
        return _verify_json(code, certificate)
    if certificate is not None and certificate.pdf_sha256 is None:
        documents.issued_pdf(certificate)  # so the page can show the PDF's SHA-256
        db.session.commit()
    successor = (db.session.get(Certificate, certificate.superseded_by_id)
                 if certificate and certificate.superseded_by_id else None)
    status = 404 if certificate is None else 200
    response = current_app.make_response((render_template(
        "certificates/verify.html", certificate=certificate, successor=successor), status))
    response.vary.add("Accept")
    return response


def _verify_json(code: str, certificate: Certificate | None):
    if certificate is None:
        response = json_ld({"id": documents.verify_url_prefix() + code, "result": "unknown",
                            "problems": ["no certificate of this site has this id"]}, 404)
        response.mimetype = "application/json"
        return response
    report = {"id": documents.verify_url(certificate), "result": certificate.status,
              "number": certificate.number, "holder": certificate.holder_name}
    if certificate.status == "valid":
        report["credential"] = credentials.badge_of(certificate)[0]
    elif certificate.status == "revoked":
        report["revokedAt"] = certificate.revoked_at.strftime("%Y-%m-%dT%H:%M:%SZ")
    response = json_ld(report)
    response.mimetype = "application/json"  # a report about the credential, not JSON-LD
    return response


@bp.get("/manage/cohorts/<code>/certificates")
@cohort_required("manage")
def cohort_page(code: str, access: CohortAccess):
    cohort = access.cohort
    rows = _cohort_rows(cohort)
    pending = sum(1 for r in rows if r["valid"] and not r["valid"].pdf_sha256)
    signing_problem = pdf_signing.problem()
    if signing_problem is not None:
        current_app.logger.error("Certificate PDFs are made unsigned: %s",
                                 signing_problem.detail)
    return render_template("certificates/cohort.html", cohort=cohort, rows=rows,
                           form=FlaskForm(), pending=pending, signing_problem=signing_problem,
                           ready=sum(1 for r in rows if r["valid"]))


@exportable(bp, "/manage/cohorts/<code>/certificates")
@cohort_required("manage")
def cohort_export(code: str, access: CohortAccess):
    """The cohort page's list: each participant, what is missing, the valid certificate."""
    header = [_("Name"), _("NIP"), _("Email"), _("Institution"), _("Requirements met"),
              _("Missing"), _("Certificate number"), _("Issued at"), _("Verification address")]
    rows = ([r["user"].full_name, nip_cell(r["user"].nip), r["user"].email,
             r["user"].institution, _("yes") if r["complete"] else _("no"), "; ".join(r["missing"]),
             r["valid"].number if r["valid"] else "", r["valid"].issued_at if r["valid"] else None,
             external_url("certificates.verify", code=r["valid"].verification_code)
             if r["valid"] else ""]
            for r in _cohort_rows(access.cohort))
    return export_response(f"{access.cohort.code}-certificates", header, rows, _("Certificates"))


def _cohort_rows(cohort) -> list[dict]:
    progress, requirements = services.cohort_requirements(cohort)
    issued = {}
    for certificate in services.cohort_certificates(cohort):
        issued.setdefault(certificate.user_id, []).append(certificate)
    rows = []
    for _member, user in sorted(progress.members, key=lambda m: m[1].full_name.casefold()):
        reqs = requirements[user.id]
        certs = issued.get(user.id, [])
        valid = next((c for c in certs if c.status == "valid"), None)
        rows.append({"user": user, "complete": services.is_complete(reqs),
                     "missing": [r.label for r in reqs if not r.done], "valid": valid,
                     "history": [c for c in certs if c is not valid],
                     "revoked": any(c.status == "revoked" for c in certs),
                     "name_changed": bool(valid and valid.holder_name != user.full_name)})
    return rows


@bp.post("/manage/cohorts/<code>/certificates/issue")
@cohort_required("manage")
def issue(code: str, access: CohortAccess):
    cohort = access.cohort
    if not FlaskForm().validate_on_submit():
        abort(400)
    user_id = request.form.get("user_id", "")
    try:
        if user_id.isdigit():
            member = db.session.scalar(select(CohortMember).where(
                CohortMember.cohort_id == cohort.id, CohortMember.user_id == int(user_id),
                CohortMember.status == MemberStatus.ACCEPTED))
            if member is None:
                abort(404)
            certificate = services.issue(cohort, db.session.get(User, int(user_id)),
                                         current_user.id)
            message = _("Certificate %(number)s issued.", number=certificate.number)
        else:
            # Issuing, rendering and signing a cohort takes minutes: a job does it, and
            # the coordinator watches its progress bar.
            started = jobs.enqueue("certificates.issue_cohort", {
                "cohort_id": cohort.id, "actor_id": current_user.id,
                "title": _("Issuing the certificates of %(cohort)s", cohort=cohort.name),
                "back": url_for(".cohort_page", code=code)}, owner_id=current_user.id)
            db.session.commit()
            return redirect(url_for("jobs.show", job_id=started.id))
    except services.CertificateError as exc:
        db.session.rollback()
        flash(exc.detail, "error")
        return redirect(url_for(".cohort_page", code=code))
    db.session.commit()
    flash(message, "success")
    return redirect(url_for(".cohort_page", code=code))


@bp.post("/manage/cohorts/<code>/certificates/recertify")
@cohort_required("manage")
def recertify(code: str, access: CohortAccess):
    """Certify again someone whose certificate was revoked: explicit, with a reason."""
    cohort = access.cohort
    if not FlaskForm().validate_on_submit():
        abort(400)
    user_id = request.form.get("user_id", "")
    member = db.session.scalar(select(CohortMember).where(
        CohortMember.cohort_id == cohort.id, CohortMember.user_id == int(user_id),
        CohortMember.status == MemberStatus.ACCEPTED)) if user_id.isdigit() else None
    if member is None:
        abort(404)
    try:
        certificate = services.recertify(cohort, db.session.get(User, member.user_id),
                                         request.form.get("reason", ""), current_user.id)
    except services.CertificateError as exc:
        db.session.rollback()
        flash(exc.detail, "error")
        return redirect(url_for(".cohort_page", code=code))
    db.session.commit()
    flash(_("Certificate %(number)s issued.", number=certificate.number), "success")
    return redirect(url_for(".cohort_page", code=code))


@bp.post("/manage/certificates/<int:certificate_id>/revoke")
@roles_required(*MANAGERS)
def revoke(certificate_id: int):
    certificate = db.session.get(Certificate, certificate_id)
    if certificate is None:
        abort(404)
    if not manages(current_user, certificate.cohort):
        refuse_outside_programs(certificate.cohort)
    if not FlaskForm().validate_on_submit():
        abort(400)
    try:
        revisions.revoke(certificate, request.form.get("reason", ""), current_user.id)
    except services.CertificateError as exc:
        db.session.rollback()
        flash(exc.detail, "error")
        return redirect(url_for(".cohort_page", code=certificate.cohort.code))
    db.session.commit()
    flash(_("Certificate %(number)s revoked.", number=certificate.number), "success")
    return redirect(url_for(".cohort_page", code=certificate.cohort.code))


@bp.post("/manage/certificates/<int:certificate_id>/reissue")
@roles_required(*MANAGERS)
def reissue(certificate_id: int):
    certificate = db.session.get(Certificate, certificate_id)
    if certificate is None:
        abort(404)
    if not manages(current_user, certificate.cohort):
        refuse_outside_programs(certificate.cohort)
    if not FlaskForm().validate_on_submit():
        abort(400)
    try:
        new = revisions.reissue(certificate, current_user.id)
    except services.CertificateError as exc:
        db.session.rollback()
        flash(exc.detail, "error")
        return redirect(url_for(".cohort_page", code=certificate.cohort.code))
    db.session.commit()
    flash(_("Certificate %(old)s replaced by %(new)s.", old=certificate.number,
            new=new.number), "success")
    return redirect(url_for(".cohort_page", code=certificate.cohort.code))


@bp.get("/manage/cohorts/<code>/certificates/prepare")
@cohort_required("manage")
def prepare(code: str, access: CohortAccess):
    """The ZIP of every valid certificate, built by a job (rendering what is missing) whose
    progress the next page shows. Asking again for the same certificates, before or after
    it is built, finds the same job."""
    cohort = access.cohort
    valid = [c.id for c in services.cohort_certificates(cohort) if c.status == "valid"]
    fingerprint = hashlib.sha256(",".join(map(str, valid)).encode()).hexdigest()[:16]
    started = jobs.enqueue("certificates.zip", {
        "cohort_id": cohort.id,
        "title": _("Certificates of %(cohort)s", cohort=cohort.name),
        "back": url_for(".cohort_page", code=code)},
        key=f"certificates.zip:{cohort.id}:{current_user.id}:{fingerprint}",
        owner_id=current_user.id)
    db.session.commit()
    return redirect(url_for("jobs.show", job_id=started.id))


@bp.get("/manage/cohorts/<code>/certificates.zip")
@cohort_required("manage")
def download_zip(code: str, access: CohortAccess):
    """Kept for old links: the ZIP is prepared by a job (see prepare)."""
    return redirect(url_for(".prepare", code=code))
