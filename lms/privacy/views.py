"""The privacy notice, "my data" (download, deletion request) and the coordinators' list
of deletion requests."""

from __future__ import annotations

import tempfile

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import PasswordField, TextAreaField
from wtforms.validators import InputRequired, Length

from lms.audit import services as audit
from lms.auth import services as accounts
from lms.auth.access import roles_required
from lms.auth.models import Role
from lms.clock import site_date, utcnow
from lms.extensions import db
from lms.people.services import person_for
from lms.privacy import deletion
from lms.privacy.archive import write_archive
from lms.privacy.consent import consents_of
from lms.privacy.models import DeletionRequest, DeletionStatus
from lms.urls import public_base

bp = Blueprint("privacy", __name__)
MANAGERS = (Role.COORDINATOR, Role.ADMIN)
SPOOL_BYTES = 1024 * 1024  # an archive larger than this goes to a temporary file
CHUNK = 64 * 1024


class DeletionForm(FlaskForm):
    reason = TextAreaField(_l("Why (optional)"), validators=[Length(max=2000)])
    password = PasswordField(_l("Your password, to confirm"), validators=[InputRequired()])


def _statuses() -> dict[str, str]:
    return {DeletionStatus.PENDING: _("waiting"), DeletionStatus.DONE: _("account deleted"),
            DeletionStatus.REFUSED: _("refused"), DeletionStatus.WITHDRAWN: _("withdrawn")}


@bp.get("/privacy")
def notice():
    config = current_app.config
    return render_template(
        "privacy/notice.html", version=config["PRIVACY_NOTICE_VERSION"],
        certificate_years=config["RETENTION_CERTIFICATE_YEARS"],
        document_days=config["RETENTION_APPLICATION_DOCUMENT_DAYS"],
        audit_days=config["RETENTION_AUDIT_DAYS"])


def _render_data(form: DeletionForm | None = None, status: int = 200):
    user = current_user._get_current_object()
    refused = list(db.session.scalars(select(DeletionRequest).where(
        DeletionRequest.user_id == user.id, DeletionRequest.status == DeletionStatus.REFUSED)
        .order_by(DeletionRequest.id.desc()).limit(1)))
    return render_template(
        "privacy/data.html", form=form or DeletionForm(formdata=None),
        consents=consents_of(user), pending=deletion.pending_request(user), refused=refused,
        certificate_years=current_app.config["RETENTION_CERTIFICATE_YEARS"]), status


@bp.get("/profile/data")
@login_required
def my_data():
    return _render_data()


@bp.get("/profile/data.zip")
@login_required
def download():
    """The person's archive, built in a temporary file and streamed from it."""
    user = current_user._get_current_object()
    now = utcnow()
    spool = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115 - send_file closes it
    try:
        counts = write_archive(user, spool, site=public_base(), made=now)
    except BaseException:
        spool.close()
        raise
    audit.record(user.id, "privacy.export", "user", user.id,
                 _("Own data downloaded as a ZIP archive"), counts)
    db.session.commit()
    size = spool.tell()
    spool.seek(0)

    def chunks():
        try:
            while block := spool.read(CHUNK):
                yield block
        finally:
            spool.close()

    response = Response(chunks(), mimetype="application/zip")
    response.headers["Content-Length"] = str(size)
    response.headers["Content-Disposition"] = (
        f'attachment; filename="data-saya-{site_date(now).isoformat()}.zip"')
    return response


@bp.post("/profile/deletion")
@login_required
def request_deletion():
    form = DeletionForm()
    user = current_user._get_current_object()
    if not form.validate():
        return _render_data(form, 400)
    if accounts.authenticate(user.email, form.password.data) is None:
        form.password.errors = [_("The password is wrong.")]
        return _render_data(form, 400)
    try:
        deletion.request_deletion(user, form.reason.data)
    except deletion.DeletionError as exc:
        db.session.rollback()
        flash(exc.detail, "error")
        return redirect(url_for(".my_data"))
    db.session.commit()
    flash(_("Your request has been sent to the coordinators."), "success")
    return redirect(url_for(".my_data"))


@bp.get("/people/deletions")
@roles_required(*MANAGERS)
def deletion_list():
    return render_template("privacy/deletions.html", statuses=_statuses(),
                           rows=deletion.pending_requests(current_user))


def _request_or_404(request_id: int) -> DeletionRequest:
    found = db.session.get(DeletionRequest, request_id)
    if found is None or person_for(current_user, found.user_id) is None:
        db.session.commit()  # keeps the audit entry of a refused look
        abort(404)
    return found


@bp.post("/people/deletions/<int:request_id>/process")
@roles_required(*MANAGERS)
def process_deletion(request_id: int):
    from lms.applications.storage import remove_document

    found = _request_or_404(request_id)
    try:
        summary = deletion.process(found, current_user, site_date(utcnow()))
    except deletion.DeletionError as exc:
        db.session.rollback()
        flash(exc.detail, "error")
        return redirect(url_for(".deletion_list"))
    db.session.commit()
    for stored_name in summary.documents:  # only once the database has let go of them
        remove_document(stored_name)
    flash(_("The account has been anonymised; %(n)d forum posts were detached.",
            n=summary.posts), "success")
    return redirect(url_for(".deletion_list"))


@bp.post("/people/deletions/<int:request_id>/refuse")
@roles_required(*MANAGERS)
def refuse_deletion(request_id: int):
    found = _request_or_404(request_id)
    try:
        deletion.refuse(found, current_user, request.form.get("note", ""))
    except deletion.DeletionError as exc:
        db.session.rollback()
        flash(exc.detail, "error")
        return redirect(url_for(".deletion_list"))
    db.session.commit()
    flash(_("The request has been refused."), "success")
    return redirect(url_for(".deletion_list"))
