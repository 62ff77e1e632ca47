"""People pages for coordinators (the people of their cohorts) and admins (everyone)."""

from flask import (
    Blueprint,
    abort,
    flash,
    g,
    has_request_context,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from lms.auth import second_factor
from lms.auth.access import roles_required
from lms.auth.models import Role
from lms.certificates.models import Certificate
from lms.extensions import db
from lms.people import corrections, services
from lms.people.forms import ROLE_LABELS, ActionForm, DecisionForm, PersonForm, RoleForm
from lms.people.record import record_of

bp = Blueprint("people", __name__, url_prefix="/people")
MANAGERS = services.MANAGERS


@bp.app_context_processor
def corrections_waiting():
    """The header's count of name corrections waiting for this coordinator or admin,
    counted before the template runs (templates send no SQL) and once per request."""
    count = 0
    if has_request_context() and current_user.is_authenticated \
            and current_user.has_role(*MANAGERS):
        if "corrections_waiting" not in g:
            g.corrections_waiting = corrections.pending_count(current_user)
        count = g.corrections_waiting
    return {"corrections_waiting": lambda: count, "role_labels": ROLE_LABELS}


def _int_arg(name: str) -> int | None:
    value = request.args.get(name, "")
    return int(value) if value.isdigit() and len(value) < 10 else None


@bp.get("/")
@roles_required(*MANAGERS)
def index():
    flt = services.PeopleFilter(
        q=request.args.get("q", ""), role=request.args.get("role", ""),
        status=request.args.get("status", ""), cohort_id=_int_arg("cohort"),
        page=_int_arg("page") or 1)
    found = services.search(current_user, flt)
    return render_template("people/list.html", found=found, flt=flt,
                           cohorts=services.cohort_choices(current_user))


def _person_or_404(user_id: int):
    user = services.person_for(current_user, user_id)
    if user is None:
        db.session.commit()  # keeps the audit entry of a refused look
        abort(404)
    return user


def _render_person(user, form=None, status=200):
    role_form = RoleForm(formdata=None, role=user.role)
    form = form or PersonForm(formdata=None, obj=user)
    return render_template("people/person.html", person=user, record=record_of(user),
                           form=form, role_form=role_form, action_form=ActionForm(),
                           may_change_role=current_user.has_role(Role.ADMIN),
                           has_second_factor=second_factor.factor_of(user) is not None), status


@bp.get("/<int:user_id>")
@roles_required(*MANAGERS)
def person(user_id: int):
    return _render_person(_person_or_404(user_id))


@bp.post("/<int:user_id>/edit")
@roles_required(*MANAGERS)
def edit(user_id: int):
    user = _person_or_404(user_id)
    form = PersonForm()
    if not form.validate():
        return _render_person(user, form, 400)
    try:
        changes = services.update_person(
            user, {key: getattr(form, key).data for key in services.EDITABLE}, current_user)
    except services.PeopleError as exc:
        db.session.rollback()
        field = getattr(form, exc.code, None) or form.full_name
        field.errors = [*field.errors, exc.detail]
        return _render_person(user, form, 400)
    db.session.commit()
    flash(_("Saved.") if changes else _("Nothing was changed."), "success")
    return redirect(url_for(".person", user_id=user.id))


def _act(user_id: int, action, done: str):
    """Run one button's service call; a refusal is flashed and nothing is saved."""
    user = _person_or_404(user_id)
    if not ActionForm().validate():
        abort(400)
    try:
        action(user)
    except services.PeopleError as exc:
        db.session.rollback()
        flash(exc.detail, "error")
        return redirect(url_for(".person", user_id=user_id))
    db.session.commit()
    flash(done % {"name": user.full_name}, "success")
    return redirect(url_for(".person", user_id=user_id))


@bp.post("/<int:user_id>/role")
@roles_required(Role.ADMIN)
def change_role(user_id: int):
    user = _person_or_404(user_id)
    form = RoleForm()
    if not form.validate() or not form.role.data:
        flash(_("Choose one of the roles."), "error")
        return redirect(url_for(".person", user_id=user_id))
    try:
        changed = services.set_role(user, form.role.data, current_user)
    except services.PeopleError as exc:
        db.session.rollback()
        flash(exc.detail, "error")
        return redirect(url_for(".person", user_id=user_id))
    db.session.commit()
    if changed:
        flash(_("%(name)s is now %(role)s.", name=user.full_name,
                role=ROLE_LABELS[Role(user.role)]), "success")
    return redirect(url_for(".person", user_id=user_id))


@bp.post("/<int:user_id>/deactivate")
@roles_required(*MANAGERS)
def deactivate(user_id: int):
    return _act(user_id, lambda u: services.deactivate(u, current_user),
                _("%(name)s can no longer sign in; their records are kept."))


@bp.post("/<int:user_id>/reactivate")
@roles_required(*MANAGERS)
def reactivate(user_id: int):
    return _act(user_id, lambda u: services.reactivate(u, current_user),
                _("%(name)s can sign in again."))


@bp.post("/<int:user_id>/reset-link")
@roles_required(*MANAGERS)
def reset_link(user_id: int):
    return _act(user_id, lambda u: services.send_reset_link(u, current_user),
                _("A link to choose a new password has been mailed to %(name)s."))


@bp.post("/<int:user_id>/certificates/<int:certificate_id>/reissue")
@roles_required(*MANAGERS)
def reissue(user_id: int, certificate_id: int):
    user = _person_or_404(user_id)
    certificate = db.session.get(Certificate, certificate_id)
    if certificate is None or certificate.user_id != user.id:
        abort(404)
    if not ActionForm().validate():
        abort(400)
    try:
        new = services.reissue_certificate(certificate, current_user)
    except services.PeopleError as exc:
        db.session.rollback()
        flash(exc.detail, "error")
        return redirect(url_for(".person", user_id=user_id))
    db.session.commit()
    flash(_("Certificate %(old)s was reissued as %(new)s.", old=certificate.number,
            new=new.number), "success")
    return redirect(url_for(".person", user_id=user_id))


# Name corrections -----------------------------------------------------------------------

@bp.get("/corrections")
@roles_required(*MANAGERS)
def corrections_list():
    return render_template("people/corrections.html",
                           rows=corrections.for_staff(current_user), form=DecisionForm())


def _decide(correction_id: int, decision: str):
    correction = corrections.correction_for(current_user, correction_id)
    if correction is None:
        abort(404)
    form = DecisionForm()
    if not form.validate():
        abort(400)
    try:
        if decision == "approve":
            corrections.approve(correction, current_user, form.note.data)
        else:
            corrections.reject(correction, current_user, form.note.data)
    except services.PeopleError as exc:
        db.session.rollback()
        flash(exc.detail, "error")
        return redirect(url_for(".corrections_list"))
    db.session.commit()
    if decision == "approve":
        flash(_("The name is now %(name)s. Reissue the certificate below so it carries it.",
                name=correction.requested_name), "success")
        return redirect(url_for(".person", user_id=correction.user_id, _anchor="certificates"))
    flash(_("The request was rejected and the participant told why."), "success")
    return redirect(url_for(".corrections_list"))


@bp.post("/corrections/<int:correction_id>/approve")
@roles_required(*MANAGERS)
def approve(correction_id: int):
    return _decide(correction_id, "approve")


@bp.post("/corrections/<int:correction_id>/reject")
@roles_required(*MANAGERS)
def reject(correction_id: int):
    return _decide(correction_id, "reject")
