"""/profile: one's own details, language, time zone, password and name corrections."""

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required
from wtforms import SelectChoice

from lms.auth import second_factor
from lms.auth import services as accounts
from lms.auth import sessions as user_sessions
from lms.auth.forms import PasswordForm
from lms.auth.second_factor_views import PasswordCheckForm
from lms.certificates.models import Certificate
from lms.extensions import db
from lms.live.services import set_time_zone, time_zone_of
from lms.live.zones import ZONE_NAMES
from lms.people import corrections, services
from lms.people.forms import CorrectionForm, PreferencesForm, ProfileForm

bp = Blueprint("profile", __name__, url_prefix="/profile")


def _languages() -> list[SelectChoice]:
    return [SelectChoice(code, name) for code, name in current_app.config["LANGUAGES"].items()]


def _correction_form(certificates: list[Certificate], formdata=True) -> CorrectionForm:
    form = CorrectionForm() if formdata else CorrectionForm(formdata=None)
    form.certificate.choices = [SelectChoice(str(c.id), f"{c.number} · {c.holder_name}")
                                for c in certificates]
    return form


def _render(status: int = 200, **forms):
    user = current_user._get_current_object()
    certificates = services.valid_certificates(user)
    preferences = PreferencesForm(formdata=None, locale=user.locale or "",
                                  time_zone=time_zone_of(user.id))
    preferences.locale.choices = _languages()
    forms = {"form": ProfileForm(formdata=None, obj=user), "preferences": preferences,
             "password_form": PasswordForm(formdata=None),
             "correction_form": _correction_form(certificates, formdata=False), **forms}
    return render_template(
        "people/profile.html", user=user, certificates=certificates,
        pending=corrections.pending_for(user.id),
        past=corrections.history_of(user.id), second_factor=second_factor.summary(user),
        factor_form=PasswordCheckForm(formdata=None), sessions=user_sessions.of(user),
        this_session=user_sessions.current_key(), device=user_sessions.device,
        **forms), status


@bp.get("")
@login_required
def show():
    return _render()


@bp.post("/details")
@login_required
def details():
    form = ProfileForm()
    if not form.validate():
        return _render(400, form=form)
    try:
        changes = services.update_own_profile(
            current_user, {key: getattr(form, key).data for key in services.OWN_FIELDS})
    except services.PeopleError as exc:
        db.session.rollback()
        if exc.code == "name-locked":  # the name field is not shown then
            flash(exc.detail, "error")
        field = getattr(form, exc.code, None) or form.full_name
        field.errors = [*field.errors, exc.detail]
        return _render(400, form=form)
    db.session.commit()
    flash(_("Your details have been saved.") if changes else _("Nothing was changed."),
          "success")
    return redirect(url_for(".show"))


@bp.post("/preferences")
@login_required
def preferences():
    form = PreferencesForm()
    form.locale.choices = _languages()
    if not form.validate():
        return _render(400, preferences=form)
    if form.locale.data not in current_app.config["LANGUAGES"]:
        form.locale.errors = [_("Choose one of the languages.")]
        return _render(400, preferences=form)
    if form.time_zone.data not in ZONE_NAMES:
        form.time_zone.errors = [_("Choose WIB, WITA or WIT.")]
        return _render(400, preferences=form)
    current_user.locale = form.locale.data
    session["locale"] = form.locale.data
    set_time_zone(current_user.id, form.time_zone.data)
    db.session.commit()
    flash(_("Your preferences have been saved."), "success")
    return redirect(url_for(".show"))


@bp.post("/password")
@login_required
def change_password():
    """Moved here from /auth/password: changing it ends every other session."""
    form = PasswordForm()
    form.person = current_user
    if not form.validate():
        return _render(400, password_form=form)
    try:
        accounts.change_password(current_user, form.current_password.data,
                                 form.new_password.data)
    except accounts.AccountError:
        db.session.rollback()
        form.current_password.errors = [_("The current password is wrong.")]
        return _render(400, password_form=form)
    # Re-issue this browser's cookie with the new token; every other one is dead.
    remember = bool(request.cookies.get(current_app.config.get("REMEMBER_COOKIE_NAME",
                                                               "remember_token")))
    user_sessions.sign_in(current_user._get_current_object(), remember=remember)
    db.session.commit()
    flash(_("Your password has been changed. Other devices have been signed out."), "success")
    return redirect(url_for(".show"))


@bp.post("/sessions/end-others")
@login_required
def end_other_sessions():
    """Sign out every other browser of this person; this one stays signed in."""
    ended = user_sessions.end_others(current_user)
    db.session.commit()
    flash(_("Signed out on %(n)d other devices.", n=ended), "success")
    return redirect(url_for(".show", _anchor="sessions"))


@bp.post("/correction")
@login_required
def request_correction():
    user = current_user._get_current_object()
    form = _correction_form(services.valid_certificates(user))
    if not form.validate():
        return _render(400, correction_form=form)
    chosen = form.certificate.data or ""
    certificate = db.session.get(Certificate, int(chosen)) if chosen.isdigit() and \
        len(chosen) < 10 else None
    try:
        corrections.request_correction(user, certificate, form.requested_name.data,
                                       form.reason.data)
    except services.PeopleError as exc:
        db.session.rollback()
        field = form.certificate if exc.code == "certificate" else form.requested_name
        field.errors = [exc.detail]
        return _render(400, correction_form=form)
    db.session.commit()
    flash(_("Your request has been sent to the coordinators of the cohort. You will get an "
            "email when they have decided."), "success")
    return redirect(url_for(".show"))
