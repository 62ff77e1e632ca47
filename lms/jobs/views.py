"""Job pages: one job's progress (its owner and admins), and the admins' list of jobs that
failed or wait, with their errors and a retry button."""

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from sqlalchemy import select

from lms.auth.access import roles_required
from lms.auth.models import Role
from lms.extensions import db
from lms.jobs import queue
from lms.jobs.models import DONE, FAILED, QUEUED, RETRYING, RUNNING, BackgroundJob
from lms.storage import send

bp = Blueprint("jobs", __name__)


def _own_or_admin_or_404(job_id: int) -> BackgroundJob:
    row = db.session.get(BackgroundJob, job_id)
    if row is None or not (row.owner_id == current_user.id or current_user.has_role(Role.ADMIN)):
        abort(404)
    return row


def status_label(status: str) -> str:
    return {QUEUED: _("waiting"), RUNNING: _("running"), RETRYING: _("waiting to retry"),
            DONE: _("done"), FAILED: _("failed")}.get(status, status)


def _state(row: BackgroundJob) -> dict:
    download = (url_for(".download", job_id=row.id)
                if row.status == DONE and (row.result or {}).get("file") else None)
    return {"id": row.id, "status": row.status, "label": status_label(row.status),
            "done": row.done, "total": row.total, "percent": row.percent,
            "finished": row.status in (DONE, FAILED), "download_url": download,
            "summary": (row.result or {}).get("summary"),
            "error": row.error.splitlines()[0] if row.status == FAILED and row.error else None}


@bp.get("/jobs/<int:job_id>")
@login_required
def show(job_id: int):
    row = _own_or_admin_or_404(job_id)
    return render_template("jobs/show.html", job=row, state=_state(row))


@bp.get("/jobs/<int:job_id>.json")
@login_required
def state(job_id: int):
    response = jsonify(_state(_own_or_admin_or_404(job_id)))
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/jobs/<int:job_id>/download")
@login_required
def download(job_id: int):
    row = _own_or_admin_or_404(job_id)
    result = row.result or {}
    if row.status != DONE or not result.get("file"):
        abort(404)
    return send(result["file"], mimetype=result.get("mimetype", "application/octet-stream"),
                download_name=result.get("filename", "download"))


@bp.get("/manage/jobs")
@roles_required(Role.ADMIN)
def index():
    unfinished = list(db.session.scalars(select(BackgroundJob).where(
        BackgroundJob.status != DONE).order_by(BackgroundJob.id.desc()).limit(200)))
    recent = list(db.session.scalars(select(BackgroundJob).where(
        BackgroundJob.status == DONE).order_by(BackgroundJob.id.desc()).limit(20)))
    runner = queue.jobs()
    return render_template("jobs/index.html", unfinished=unfinished, recent=recent,
                           redis_url=runner.redis_url, redis_problem=runner.redis_problem(),
                           fallback=runner.fallback, form=FlaskForm(),
                           status_label=status_label)


@bp.post("/manage/jobs/<int:job_id>/retry")
@roles_required(Role.ADMIN)
def retry(job_id: int):
    row = db.session.get(BackgroundJob, job_id)
    if row is None:
        abort(404)
    if not FlaskForm().validate_on_submit():
        abort(400)
    if row.status != FAILED:
        flash(_("Job %(id)d has not failed: nothing to retry.", id=row.id), "error")
        return redirect(url_for(".index"))
    queue.retry(row)
    db.session.commit()
    flash(_("Job %(id)d will be tried again.", id=row.id), "success")
    return redirect(url_for(".index"))
