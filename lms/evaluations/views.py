"""Evaluation pages: participants answer; coordinators and instructors read the report."""

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import format_decimal
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy.exc import IntegrityError

from lms.cohorts.access import CohortAccess, cohort_required
from lms.cohorts.views import today
from lms.courses.panels import dashboard
from lms.evaluations import (
    models,  # noqa: F401  (the tables exist when the app does)
    services,
)
from lms.evaluations.forms import EvaluationForm
from lms.evaluations.sync import configured_survey
from lms.exports import export_response, exportable
from lms.extensions import db

bp = Blueprint("evaluations", __name__)
DEFAULT_MIN_RESPONSES = 3


def _min_responses() -> int:
    return max(1, int(current_app.config.get("EVALUATION_MIN_RESPONSES",
                                             DEFAULT_MIN_RESPONSES)))


@bp.app_template_filter("evaluation_mean")
def evaluation_mean(value: float | None) -> str:
    """4,25 in Indonesian, 4.25 in English; a dash when nobody answered."""
    return "—" if value is None else format_decimal(value, format="0.00")


@dashboard.connect
def dashboard_evaluations(user, **_ignored) -> dict:
    """"My learning" asks for the evaluations the participant has still to give."""
    return {"to_evaluate": services.pending_for(user.id, configured_survey(), today())}


@bp.route("/cohorts/<code>/evaluation", methods=["GET", "POST"])
@cohort_required("known")
def fill(code: str, access: CohortAccess):
    """The form for participants; a preview (no sending) for those who may read the report."""
    cohort = access.cohort
    refusal = services.may_answer(access, today())
    preview = refusal == "member" and access.may_watch
    if refusal == "member" and not preview:
        abort(403)
    version = services.current_version(configured_survey())
    state = {"cohort": cohort, "version": version, "preview": preview, "refusal": refusal,
             "answer_until": services.answer_until(cohort)}
    if version is None:
        return render_template("evaluations/fill.html", **state, form=None), 404
    form = EvaluationForm(version.data, services.targets(cohort, current_user.id))
    state["form"] = form
    submission = services.submission_of(cohort.id, current_user.id)
    if request.method == "GET":
        return render_template("evaluations/fill.html", **state, submission=submission)
    if preview or refusal:
        abort(403)
    if not FlaskForm().validate_on_submit():
        abort(400)
    if submission is not None:
        return _already(state, submission)
    if not form.load(request.form):
        return render_template("evaluations/fill.html", **state), 400
    try:
        services.submit(cohort, current_user.id, version, form.answers(), today())
        db.session.commit()
    except services.EvaluationError as exc:
        db.session.rollback()
        if exc.code == "already":
            return _already(state, services.submission_of(cohort.id, current_user.id))
        flash(exc.detail, "error")
        return render_template("evaluations/fill.html", **state), 400
    except IntegrityError:  # the other request of a race committed first
        db.session.rollback()
        return _already(state, services.submission_of(cohort.id, current_user.id))
    flash(_("Thank you! Your evaluation has been saved, without your name."), "success")
    return redirect(url_for(".fill", code=code))


def _already(state: dict, submission):
    """A second sending: refused, nothing changed, and said plainly."""
    return render_template("evaluations/fill.html", **state, submission=submission,
                           refused=services.already_message()), 409


def _report_scope(access: CohortAccess):
    """(cohort, full): coordinators see everything, instructors their own ratings only."""
    return access.cohort, access.manager


@bp.get("/manage/cohorts/<code>/evaluation")
@cohort_required("watch")
def report(code: str, access: CohortAccess):
    cohort, full = _report_scope(access)
    found = services.build_report(cohort, _min_responses(), today(),
                                  only_instructor=None if full else current_user.id)
    return render_template("evaluations/report.html", cohort=cohort, report=found, full=full)


@exportable(bp, "/manage/cohorts/<code>/evaluation")
@cohort_required("watch")
def report_csv(code: str, access: CohortAccess):
    cohort, full = _report_scope(access)
    if not full:
        abort(403)
    header, rows = services.export_rows(cohort, _min_responses(), today())
    return export_response(f"{cohort.code}-evaluation", header, rows, _("Evaluation"))
