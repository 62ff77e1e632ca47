"""The applicant's application page, and the coordinators' selection with documents side
by side."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from flask_wtf import FlaskForm

from lms import clock
from lms.applications import services, storage
from lms.applications.models import ApplicationDocument, DocumentStatus
from lms.assignments.files import CONTENT_TYPES
from lms.cohorts import services as cohorts
from lms.cohorts.access import CohortAccess, cohort_access, cohort_required
from lms.cohorts.models import MemberStatus
from lms.extensions import db
from lms.storage import send as send_stored

bp = Blueprint("applications", __name__)


def _mine_or_redirect(access: CohortAccess):
    member = cohorts.membership(access.cohort, current_user.id)
    if member is None or member.status == MemberStatus.WITHDRAWN:
        flash(_("Apply to %(cohort)s first.", cohort=access.cohort.name), "info")
        return None
    return member


def _render_mine(access: CohortAccess, member, errors=None, submitted=None, status=200):
    cohort = access.cohort
    requirements = services.requirements_of(cohort) or services.Requirements()
    application = services.application_of(member)
    return render_template(
        "applications/mine.html", cohort=cohort, member=member, application=application,
        requirements=requirements, missing=application.missing(requirements),
        editable=services.may_edit(cohort, member, clock.today()), errors=errors or {},
        values=submitted if submitted is not None else application.values,
        today=clock.today(), form=FlaskForm()), status


@bp.get("/cohorts/<code>/application")
@cohort_required("known")
def mine(code: str, access: CohortAccess):
    member = _mine_or_redirect(access)
    if member is None:
        return redirect(url_for("cohorts.apply", code=code))
    return _render_mine(access, member)


@bp.post("/cohorts/<code>/application/fields")
@cohort_required("known")
def save_fields(code: str, access: CohortAccess):
    member = _mine_or_redirect(access)
    if member is None:
        return redirect(url_for("cohorts.apply", code=code))
    if not FlaskForm().validate_on_submit():
        abort(400)
    requirements = services.requirements_of(access.cohort) or services.Requirements()
    submitted = {f.id: request.form.get(f"field-{f.id}", "") for f in requirements.fields}
    try:
        changed = services.save_values(access.cohort, member, submitted, clock.today())
    except services.ApplicationError as exc:
        db.session.rollback()
        flash(exc.detail, "error")
        return _render_mine(access, member, exc.errors, submitted, 400)
    db.session.commit()
    flash(_("Your application has been saved.") if changed else _("Nothing was changed."),
          "success")
    return redirect(url_for(".mine", code=code))


@bp.post("/cohorts/<code>/application/documents/<doc_id>")
@cohort_required("known")
def upload(code: str, doc_id: str, access: CohortAccess):
    member = _mine_or_redirect(access)
    if member is None:
        return redirect(url_for("cohorts.apply", code=code))
    if not FlaskForm().validate_on_submit():
        abort(400)
    upload_file = request.files.get("file")
    try:
        document, replaced = services.upload_document(
            access.cohort, member, doc_id[:80], upload_file.stream if upload_file else None,
            upload_file.filename if upload_file else "", clock.today())
    except services.ApplicationError as exc:
        db.session.rollback()
        flash(exc.detail, "error")
        return _render_mine(access, member, status=400)
    try:
        db.session.commit()
    except Exception:
        db.session.rollback()
        storage.remove_document(document.stored_name)
        raise
    if replaced:
        storage.remove_document(replaced)
    flash(_("%(name)s has been uploaded.", name=document.original_name), "success")
    return redirect(url_for(".mine", code=code))


@bp.get("/applications/documents/<int:document_id>")
@login_required
def download(document_id: int):
    """The applicant's own documents, and every document for the cohort's managers."""
    document = db.session.get(ApplicationDocument, document_id)
    if document is None:
        abort(404)
    member = document.member
    if member.user_id != current_user.id and not cohort_access(member.cohort).manager:
        abort(404)
    return send_stored(storage.document_key(document.stored_name),
                       mimetype=CONTENT_TYPES[document.kind],
                       as_attachment=request.args.get("view") != "1",
                       download_name=document.original_name)


@bp.get("/manage/cohorts/<code>/applications")
@cohort_required("manage")
def selection(code: str, access: CohortAccess):
    cohort = access.cohort
    requirements = services.requirements_of(cohort) or services.Requirements()
    choices = [f for f in requirements.fields if f.kind == "choice"]
    filters = {f.id: request.args.get(f.id, "") for f in choices}
    status = request.args.get("status", "")
    status = status if status in {s.value for s in MemberStatus} else ""
    rows = services.selection(cohort, status=status, filters=filters)
    counts = {s: cohorts.count_status(cohort, s) for s in MemberStatus}
    return render_template("applications/selection.html", cohort=cohort, rows=rows,
                           requirements=requirements, choices=choices, filters=filters,
                           status=status, counts=counts, form=FlaskForm(),
                           document_statuses=DocumentStatus)


@bp.post("/manage/cohorts/<code>/applications/decide")
@cohort_required("manage")
def decide(code: str, access: CohortAccess):
    """The same decision as on the cohort page, with its capacity rules."""
    if not FlaskForm().validate_on_submit():
        abort(400)
    ids = [int(v) for v in request.form.getlist("member") if v.isdigit() and len(v) < 10]
    back = url_for(".selection", code=code, **{k: v for k, v in request.args.items()})
    if not ids:
        flash(_("Select at least one person."), "error")
        return redirect(back)
    try:
        result = cohorts.decide(access.cohort, ids, request.form.get("decision", ""),
                                current_user.id)
    except cohorts.CohortError as exc:
        db.session.rollback()
        flash(exc.detail or _("Unknown decision."), "error")
        return redirect(back)
    db.session.commit()
    flash(_("%(changed)d changed, %(unchanged)d unchanged.", changed=result.changed,
            unchanged=result.unchanged), "success")
    if result.full:
        flash(_("The cohort is full: %(n)d could not be accepted and are on the waiting list.",
                n=result.full), "error")
    return redirect(back)


@bp.post("/manage/applications/documents/<int:document_id>/review")
@login_required
def review(document_id: int):
    document = db.session.get(ApplicationDocument, document_id)
    if document is None:
        abort(404)
    cohort = document.member.cohort
    if not cohort_access(cohort).manager:
        abort(403)
    if not FlaskForm().validate_on_submit():
        abort(400)
    try:
        services.review_document(cohort, document, request.form.get("status", ""),
                                 request.form.get("note", ""), current_user)
    except services.ApplicationError as exc:
        db.session.rollback()
        flash(exc.detail, "error")
    else:
        db.session.commit()
        flash(_("The decision on the document has been saved and mailed to the applicant."),
              "success")
    return redirect(url_for(".selection", code=cohort.code,
                            _anchor=f"member-{document.member_id}"))
