"""Participants: see open cohorts, apply or join, follow the status, withdraw."""


from flask import (
    Blueprint,
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm

from lms import clock
from lms.cohorts import services
from lms.cohorts.access import CohortAccess, cohort_required
from lms.cohorts.forms import ApplicationForm, WithdrawForm
from lms.cohorts.models import EnrollmentMode, MemberStatus
from lms.courses.panels import dashboard
from lms.extensions import db

bp = Blueprint("cohorts", __name__)


def today():
    """Today in the configured zone (WIB by default): registration windows are local dates."""
    return clock.today()


@bp.app_context_processor
def cohort_helpers():
    def status_label(status: str) -> str:
        return {
            MemberStatus.APPLIED: _("application sent, awaiting selection"),
            MemberStatus.ACCEPTED: _("accepted"),
            MemberStatus.WAITLISTED: _("on the waiting list"),
            MemberStatus.REJECTED: _("not accepted"),
            MemberStatus.WITHDRAWN: _("withdrawn"),
        }.get(status, status)

    def mode_label(mode: str) -> str:
        return {
            EnrollmentMode.APPLICATION: _("application with selection"),
            EnrollmentMode.OPEN: _("open registration"),
            EnrollmentMode.KEY: _("with an enrollment key"),
            EnrollmentMode.INVITATION: _("by invitation"),
        }.get(mode, mode)

    return {"member_status": status_label, "enrollment_mode_label": mode_label}


@dashboard.connect
def dashboard_announcements(user, **_ignored) -> dict:
    """"My learning" shows the announcements of the person's cohorts."""
    return {"news": services.announcements_for(user.id)}


@bp.get("/cohorts")
def open_list():
    cohorts = services.open_cohorts(today())
    mine = services.memberships_of(current_user.id) if current_user.is_authenticated else []
    taken = {m.cohort_id: m for m in mine}
    counts = services.accepted_counts([c.id for c in cohorts])
    return render_template("cohorts/list.html", cohorts=cohorts, mine=mine, taken=taken,
                           counts=counts, form=FlaskForm())


@bp.route("/cohorts/<code>/apply", methods=["GET", "POST"])
@cohort_required("known")
def apply(code: str, access: CohortAccess):
    cohort = access.cohort
    if not cohort.registration_open(today()):
        flash(_("Registration for this cohort is not open."), "error")
        return redirect(url_for(".open_list"))
    form = ApplicationForm()
    if not form.is_submitted():
        form.institution.data = current_user.institution
        form.position.data = current_user.position
    if form.validate_on_submit():
        try:
            member = services.apply(cohort, current_user, services.ApplicationForm(
                motivation=form.motivation.data, statement=form.statement.data or "",
                institution=form.institution.data, position=form.position.data,
                key=form.key.data or ""), today())
        except services.CohortError as exc:
            db.session.rollback()
            flash(exc.detail, "error")
            return render_template("cohorts/apply.html", cohort=cohort, form=form), 400
        db.session.commit()
        messages = {
            MemberStatus.ACCEPTED: _("You are now a participant of %(cohort)s.",
                                     cohort=cohort.name),
            MemberStatus.WAITLISTED: _("The cohort is full: you are on the waiting list."),
            MemberStatus.APPLIED: _("Your application has been sent. You will receive an "
                                    "email after the selection."),
        }
        flash(messages[member.status], "success")
        if member.status == MemberStatus.APPLIED and (cohort.program.records or {}).get(
                "application"):  # fields and documents to add: lms.applications
            return redirect(url_for("applications.mine", code=cohort.code))
        return redirect(url_for(".open_list"))
    return render_template("cohorts/apply.html", cohort=cohort, form=form)


@bp.route("/cohorts/<code>/withdraw", methods=["GET", "POST"])
@cohort_required("known")
def withdraw(code: str, access: CohortAccess):
    """Ask first (a page, no script needed), then withdraw: the place may go to someone
    on the waiting list and cannot be taken back."""
    cohort = access.cohort
    member = services.membership(cohort, current_user.id)
    if member is None:
        abort(404)
    if member.status == MemberStatus.WITHDRAWN:
        flash(_("Already withdrawn."), "info")
        return redirect(url_for(".open_list"))
    form = WithdrawForm()
    if request.method == "GET" or not form.confirmed():
        if request.method == "POST" and not form.validate_on_submit():
            abort(400)
        return render_template(
            "cohorts/withdraw_confirm.html", form=form, cohort=cohort, member=member,
            person=None, waiting=services.count_status(cohort, MemberStatus.WAITLISTED),
            action=url_for(".withdraw", code=code), back=url_for(".open_list"))
    try:
        services.withdraw(member, current_user.id)
    except services.CohortError as exc:
        flash(exc.detail, "error")
        return redirect(url_for(".open_list"))
    db.session.commit()
    flash(_("You have withdrawn from %(cohort)s.", cohort=cohort.name), "info")
    return redirect(url_for(".open_list"))
