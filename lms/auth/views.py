"""Register, sign in, sign out, change password."""

import secrets

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
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required, login_user, logout_user

from lms.auth import services
from lms.auth.access import is_safe_next, landing_url
from lms.auth.forms import ForgotForm, LoginForm, RegisterForm, ResetForm
from lms.auth.models import User
from lms.auth.second_factor_views import finish_sign_in
from lms.extensions import db, limiter, login_manager
from lms.mail import public_url, send_to

bp = Blueprint("auth", __name__, url_prefix="/auth")


def init_app(app) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Please sign in to open this page.")
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    """Load by "id:token"; a token that has since changed loads nobody."""
    ident, _sep, token = user_id.partition(":")
    if not ident.isdigit() or not token:
        return None
    user = db.session.get(User, int(ident))
    if user is None or not secrets.compare_digest(user.session_token, token):
        return None
    if not user.is_active:  # deactivated: every session ends at the next request
        return None
    return user


def _next_url(default: str) -> str:
    target = request.values.get("next")
    return target if is_safe_next(target) else default


def _login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


def _register_limit() -> str:
    return current_app.config["REGISTER_RATE_LIMIT"]


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
def login():
    if current_user.is_authenticated:
        return redirect(_next_url(landing_url(current_user)))
    form = LoginForm()
    if form.validate_on_submit():
        user = services.authenticate(form.email.data, form.password.data)
        if user is None:
            db.session.rollback()
            flash(_("Wrong email or password."), "error")
            return render_template("auth/login.html", form=form), 401
        locale = session.get("locale")
        session.clear()  # a fresh session at every sign-in
        if locale and not user.locale:
            user.locale = locale
        # Signs in, or first asks for the second factor's code (lms/auth/second_factor_views).
        return finish_sign_in(user, bool(form.remember.data), _next_url(landing_url(user)))
    return render_template("auth/login.html", form=form)


@bp.route("/register", methods=["GET", "POST"])
@limiter.limit(_register_limit, methods=["POST"])
def register():
    if current_user.is_authenticated:
        return redirect(url_for("courses.dashboard"))
    form = RegisterForm()
    if form.validate_on_submit():
        try:
            user = services.create_user(
                email=form.email.data,
                password=form.password.data,
                full_name=form.full_name.data,
                institution=form.institution.data,
                position=form.position.data,
                nip=form.nip.data,
            )
        except services.AccountError:
            db.session.rollback()
            form.email.errors.append(_("An account with this email already exists."))
            return render_template("auth/register.html", form=form), 409
        user.locale = session.get("locale")
        session.clear()
        login_user(user)
        db.session.commit()
        flash(_("Your account has been created."), "success")
        return redirect(url_for("courses.dashboard"))
    return render_template("auth/register.html", form=form)


@bp.post("/logout")
@login_required
def logout():
    services.end_all_sessions(current_user)
    db.session.commit()
    logout_user()
    session.clear()
    flash(_("You have signed out."), "info")
    return redirect(url_for("auth.login"))


@bp.get("/password")
@login_required
def change_password():
    """Changing the password moved to the profile page; old links land there."""
    return redirect(url_for("profile.show", _anchor="password"))


@bp.route("/forgot", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
def forgot():
    """Mail a link to choose a new password; the page never says whether the email exists."""
    form = ForgotForm()
    if form.validate_on_submit():
        user = services.find_user_by_email(form.email.data)
        if user is not None and user.is_active:
            token = services.reset_token(user)
            link = public_url("auth.reset", token=token)
            send_to(user, lambda: (
                _("Choose a new password"),
                _("Open this link within two days to choose a new password:\n\n%(link)s"
                  "\n\nIf you did not ask for it, ignore this email.", link=link)))
            # Sent after the response, by the mail thread: an address with an account
            # takes no longer to answer than one without.
            db.session.commit()
        flash(_("If an account exists for this email, a link to choose a new password has "
                "been sent to it."), "info")
        return redirect(url_for("auth.login"))
    return render_template("auth/forgot.html", form=form)


@bp.route("/reset/<token>", methods=["GET", "POST"])
def reset(token: str):
    """A link works once: setting the password changes the token it was made from."""
    user = services.user_for_reset_token(token)
    if user is None:
        flash(_("This link has expired or was already used. Ask for a new one."), "error")
        return redirect(url_for("auth.forgot"))
    form = ResetForm()
    if form.validate_on_submit():
        services.set_password(user, form.new_password.data)
        db.session.commit()
        flash(_("Your password has been set. Sign in with it."), "success")
        return redirect(url_for("auth.login"))
    return render_template("auth/reset.html", form=form)
