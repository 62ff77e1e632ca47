"""Second-factor pages: the sign-in step, enrolment from /profile, an admin's reset.

After the password (or single sign-on) a person with a second factor is only half signed
in: the session holds who they claim to be, and nothing else opens until the code is
right. Coordinators and admins without one are sent to enrol first when
REQUIRE_SECOND_FACTOR_FOR_STAFF is on (the default in production).
"""

from datetime import datetime, timedelta

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_limiter.util import get_remote_address
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.validators import InputRequired, Length

from lms.auth import second_factor as factors
from lms.auth import services as accounts
from lms.auth import sessions
from lms.auth.access import landing_url, roles_required
from lms.auth.models import Role, User
from lms.clock import utcnow
from lms.extensions import db, limiter

bp = Blueprint("second_factor", __name__)
PENDING = "second_factor_pending"
PENDING_MINUTES = 10
# Pages a staff member who must enrol can still open.
OPEN_WHILE_ENROLLING = frozenset({
    "static", "auth.logout", "second_factor.setup", "second_factor.start",
    "second_factor.confirm", "site.set_language", "site.healthz"})


class CodeForm(FlaskForm):
    code = StringField(_l("Code"), validators=[InputRequired(), Length(max=40)])


class PasswordCheckForm(FlaskForm):
    # Not "password": /profile, where this form sits, already has that id.
    factor_password = PasswordField(_l("Your password"), validators=[InputRequired(),
                                                              Length(max=200)])


class EnrolForm(CodeForm):
    # Asked again so that someone holding a stolen session cannot put their own phone on
    # the account and lock its owner out.
    password = PasswordField(_l("Your password"), validators=[InputRequired(),
                                                              Length(max=200)])


class ActionForm(FlaskForm):
    """A button: CSRF token only."""


def init_app(app) -> None:
    if app.config.get("REQUIRE_SECOND_FACTOR_FOR_STAFF") is None:
        app.config["REQUIRE_SECOND_FACTOR_FOR_STAFF"] = app.config.get("ENV") == "production"
    app.register_blueprint(bp)


@bp.before_app_request
def staff_enrol_first():
    """A coordinator or admin without a second factor enrols before anything else."""
    if request.endpoint in OPEN_WHILE_ENROLLING or request.endpoint is None:
        return None
    if not current_user.is_authenticated or not factors.is_required_for(current_user):
        return None
    if factors.is_enrolled(current_user):
        return None
    flash(_("Your role needs two-step verification. Set it up to continue."), "info")
    return redirect(url_for("second_factor.setup"))


# Signing in --------------------------------------------------------------------------------

def finish_sign_in(user: User, remember: bool, next_url: str, welcome: bool = True):
    """After the password (or single sign-on) was accepted: sign in, or ask for the code
    first when the person has a second factor. The caller has cleared the session."""
    if factors.is_enrolled(user):
        session[PENDING] = {"u": user.id, "t": user.session_token, "r": bool(remember),
                            "n": next_url, "at": utcnow().isoformat()}
        db.session.commit()
        return redirect(url_for("second_factor.challenge"))
    sessions.sign_in(user, remember=remember)
    db.session.commit()
    if welcome:
        flash(_("Welcome, %(name)s.", name=user.full_name), "success")
    return redirect(next_url)


def _pending_user() -> User | None:
    """The person half signed in, while their step is fresh and their password unchanged."""
    pending = session.get(PENDING)
    if not isinstance(pending, dict):
        return None
    try:
        started = datetime.fromisoformat(pending["at"])
        user = db.session.get(User, int(pending["u"]))
    except (KeyError, TypeError, ValueError):
        return None
    if utcnow() - started > timedelta(minutes=PENDING_MINUTES):
        return None
    if user is None or not user.is_active or user.session_token != pending.get("t"):
        return None
    return user


def _code_limit() -> str:
    return current_app.config["SECOND_FACTOR_RATE_LIMIT"]


def _code_limit_key() -> str:
    """Per account, not per address: the guesser already has the password."""
    pending = session.get(PENDING)
    if isinstance(pending, dict) and str(pending.get("u", "")).isdigit():
        return f"second-factor:{pending['u']}"
    return get_remote_address()


@bp.route("/auth/second-factor", methods=["GET", "POST"])
@limiter.limit(_code_limit, methods=["POST"], key_func=_code_limit_key)
def challenge():
    if current_user.is_authenticated:
        return redirect(landing_url(current_user))
    user = _pending_user()
    if user is None:
        session.pop(PENDING, None)
        flash(_("Sign in again: the step with the code has expired."), "info")
        return redirect(url_for("auth.login"))
    form = CodeForm()
    if form.validate_on_submit():
        used = factors.verify(user, form.code.data)
        if used is None:
            db.session.commit()
            form.code.errors = [_("This code is wrong, already used or expired. Enter the "
                                  "current code from your app, or an unused recovery code.")]
            return render_template("auth/second_factor_challenge.html", form=form), 401
        pending = session[PENDING]
        locale = session.get("locale")
        session.clear()
        if locale:
            session["locale"] = locale
        sessions.sign_in(user, remember=bool(pending.get("r", False)))
        db.session.commit()
        flash(_("Welcome, %(name)s.", name=user.full_name), "success")
        if used == "recovery":
            flash(_("You used a recovery code; %(n)d remain. If you lost your phone, set up "
                    "two-step verification again on your profile.",
                    n=factors.remaining_recovery_codes(user)), "info")
        return redirect(pending.get("n") or landing_url(user))
    return render_template("auth/second_factor_challenge.html", form=form)


# Enrolment from /profile -----------------------------------------------------------------------

def _no_store(response):
    response = make_response(response)
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/profile/second-factor")
@login_required
def setup(form: EnrolForm | None = None, status: int = 200):
    user = current_user._get_current_object()
    factor = factors.factor_of(user)
    if factor is not None and factor.confirmed_at is not None:
        return redirect(url_for("profile.show", _anchor="second-factor"))
    qr = uri = None
    if factor is not None:
        uri = factors.provisioning_uri(factor, user)
        qr = factors.qr_svg(uri)
    return _no_store((render_template(
        "auth/second_factor_setup.html", factor=factor, qr=qr, secret=factor and factor.secret,
        form=form or EnrolForm(formdata=None), start_form=ActionForm(),
        required=factors.is_required_for(user)), status))


@bp.post("/profile/second-factor/start")
@login_required
def start():
    if not ActionForm().validate():
        abort(400)
    try:
        factors.begin_enrolment(current_user._get_current_object())
    except factors.SecondFactorError:
        db.session.rollback()
        flash(_("Two-step verification is already on."), "info")
        return redirect(url_for("profile.show", _anchor="second-factor"))
    db.session.commit()
    return redirect(url_for(".setup"))


@bp.post("/profile/second-factor/confirm")
@login_required
def confirm():
    user = current_user._get_current_object()
    factor = factors.factor_of(user)
    if factor is None or factor.confirmed_at is not None:
        return redirect(url_for(".setup"))
    form = EnrolForm()
    if not form.validate():
        return setup(form, 400)
    if not accounts.password_matches(user, form.password.data):
        form.password.errors = [_("The password is wrong; nothing was changed.")]
        return setup(form, 400)
    try:
        codes = factors.confirm_enrolment(user, form.code.data)
    except factors.SecondFactorError:
        db.session.rollback()
        form.code.errors = [_("This code is wrong or expired. Enter the six digits your app "
                              "shows now.")]
        return setup(form, 400)
    db.session.commit()
    flash(_("Two-step verification is on."), "success")
    return _no_store(render_template("auth/recovery_codes.html", codes=codes))


def _password_checked(form: PasswordCheckForm) -> bool:
    if not form.validate():
        return False
    if not accounts.password_matches(current_user, form.factor_password.data):
        flash(_("The password is wrong; nothing was changed."), "error")
        return False
    return True


@bp.post("/profile/second-factor/recovery-codes")
@login_required
def regenerate():
    user = current_user._get_current_object()
    if not factors.is_enrolled(user):
        return redirect(url_for(".setup"))
    form = PasswordCheckForm()
    if not _password_checked(form):
        return redirect(url_for("profile.show", _anchor="second-factor"))
    codes = factors.new_recovery_codes(user)
    db.session.commit()
    flash(_("New recovery codes were made; the old ones no longer work."), "success")
    return _no_store(render_template("auth/recovery_codes.html", codes=codes))


@bp.post("/profile/second-factor/disable")
@login_required
def disable():
    user = current_user._get_current_object()
    if factors.factor_of(user) is None:
        return redirect(url_for("profile.show", _anchor="second-factor"))
    form = PasswordCheckForm()
    if not _password_checked(form):
        return redirect(url_for("profile.show", _anchor="second-factor"))
    factors.remove(user, user, by_admin=False)
    db.session.commit()
    flash(_("Two-step verification is off."), "success")
    return redirect(url_for("profile.show", _anchor="second-factor"))


# An admin's reset, for a person who lost both the phone and the recovery codes ---------------

@bp.post("/people/<int:user_id>/second-factor/reset")
@roles_required(Role.ADMIN)
def admin_reset(user_id: int):
    user = db.session.get(User, user_id)
    if user is None:
        abort(404)
    if not ActionForm().validate():
        abort(400)
    if factors.remove(user, current_user._get_current_object(), by_admin=True):
        db.session.commit()
        flash(_("The two-step verification of %(name)s was reset; they were signed out and "
                "can set it up again after signing in.", name=user.full_name), "success")
    else:
        flash(_("%(name)s has no two-step verification.", name=user.full_name), "info")
    return redirect(url_for("people.person", user_id=user_id))
