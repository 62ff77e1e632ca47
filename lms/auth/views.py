"""Register, sign in, sign out, change password."""

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
from flask_login import current_user, login_required, logout_user

from lms import db_setup
from lms.auth import registration, services, sessions, throttle
from lms.auth.access import is_safe_next, landing_url
from lms.auth.forms import ForgotForm, LoginForm, RegisterForm, ResetForm
from lms.auth.models import User
from lms.auth.second_factor_views import finish_sign_in
from lms.extensions import db, limiter, login_manager
from lms.mail import queue_mail, send_to
from lms.privacy.consent import record_consent
from lms.urls import external_url

bp = Blueprint("auth", __name__, url_prefix="/auth")


def init_app(app) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Please sign in to open this page.")
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"
    app.before_request(sessions.touch)


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    """Load by "id:token:key"; an ended session, a changed token or a deactivated account
    loads nobody (see lms/auth/sessions.py)."""
    return sessions.load(user_id)


def _next_url(default: str) -> str:
    target = request.values.get("next")
    return target if is_safe_next(target) else default


def _login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


def _forgot_limit() -> str:
    return current_app.config["FORGOT_RATE_LIMIT"]


def _register_limit() -> str:
    return current_app.config["REGISTER_RATE_LIMIT"]


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
def login():
    if current_user.is_authenticated:
        return redirect(_next_url(landing_url(current_user)))
    form = LoginForm()
    if form.validate_on_submit():
        email, address = form.email.data, request.remote_addr
        wait = throttle.begin_attempt(email, address)
        user_id, hashed = services.sign_in_candidate(email)
        db.session.commit()  # counted before the password is checked: see throttle.py
        if wait:
            return _too_many_failures(form, wait)
        # Argon2 (about 0.1 s of CPU) runs outside any transaction: inside one it held
        # SQLite's write lock, and 400 people signing in at once queued everything else
        # behind them until requests failed with "database is locked".
        match = services.password_match(hashed, form.password.data)
        user = services.complete_authentication(user_id, form.password.data, hashed, match)
        if user is None:
            db.session.rollback()
            flash(_("Wrong email or password."), "error")
            return render_template("auth/login.html", form=form), 401
        throttle.succeeded(email, address)
        locale = session.get("locale")
        session.clear()  # a fresh session at every sign-in
        if locale and not user.locale:
            user.locale = locale
        # Signs in, or first asks for the second factor's code (lms/auth/second_factor_views).
        return finish_sign_in(user, bool(form.remember.data), _next_url(landing_url(user)))
    return render_template("auth/login.html", form=form)


def _too_many_failures(form: LoginForm, seconds: int):
    amount, unit = throttle.wait_text(seconds)
    if unit == "seconds":
        message = _("Too many failed sign-ins for this account or from this network. Try "
                    "again in %(n)d seconds, or choose a new password with \"Forgot your "
                    "password?\".", n=amount)
    else:
        message = _("Too many failed sign-ins for this account or from this network. Try "
                    "again in %(n)d minutes, or choose a new password with \"Forgot your "
                    "password?\".", n=amount)
    flash(message, "error")
    response = current_app.make_response((render_template("auth/login.html", form=form), 429))
    response.headers["Retry-After"] = str(seconds)
    return response


@bp.route("/register", methods=["GET", "POST"])
@limiter.limit(_register_limit, methods=["POST"])
def register():
    if current_user.is_authenticated:
        return redirect(url_for("courses.dashboard"))
    form = RegisterForm()
    if form.validate_on_submit():
        address = form.email.data.strip()
        existing, token = registration.start(
            email=address, password=form.password.data, full_name=form.full_name.data,
            institution=form.institution.data, position=form.position.data,
            nip=form.nip.data, locale=session.get("locale"),
            privacy_notice=current_app.config["PRIVACY_NOTICE_VERSION"])
        if existing is not None:
            login_link = external_url("auth.login")
            forgot_link = external_url("auth.forgot")
            send_to(existing, lambda: (
                _("Someone tried to register with your address"),
                _("Someone (perhaps you) tried to create a new account with this email "
                  "address, which already has one. No account was created.\n\nSign in: "
                  "%(login)s\nForgot your password? %(forgot)s\n\nIf it was not you, "
                  "ignore this email.", login=login_link, forgot=forgot_link)))
        else:
            link = external_url("auth.finish_registration", token=token)
            queue_mail(services.normalize_email(address), _("Finish creating your account"),
                       _("Open this link within two days to finish creating your account:"
                         "\n\n%(link)s\n\nIf you did not ask for it, ignore this email.",
                         link=link))
        db.session.commit()
        # The same answer whether or not the address has an account (see registration.py).
        flash(_("We have sent a mail to %(email)s. Open the link in it to finish creating "
                "your account.", email=address), "info")
        return redirect(url_for("auth.login"))
    return render_template("auth/register.html", form=form)


@bp.get("/register/<token>")
@db_setup.writes
def finish_registration(token: str):
    """The link mailed at registration: creates the account and signs in, once."""
    if current_user.is_authenticated:
        return redirect(url_for("courses.dashboard"))
    row = registration.pending(token)
    if row is None:
        flash(_("This link has expired or was already used. Register again, or sign in if "
                "you already have an account."), "error")
        return redirect(url_for("auth.register"))
    try:
        consented = (row.privacy_notice, row.created_at)
        user = registration.finish(row)
        record_consent(user, *consented)
    except services.AccountError:
        db.session.rollback()
        flash(_("An account with this email already exists. Sign in."), "info")
        return redirect(url_for("auth.login"))
    session.clear()
    sessions.sign_in(user, remember=False)
    db.session.commit()
    flash(_("Your account has been created."), "success")
    return redirect(url_for("courses.dashboard"))


@bp.post("/logout")
@login_required
def logout():
    """Ends this browser's session; the others go on (see "sign out everywhere else")."""
    sessions.end_this()
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
@limiter.limit(_forgot_limit, methods=["POST"])
def forgot():
    """Mail a link to choose a new password; the page never says whether the email exists."""
    form = ForgotForm()
    if form.validate_on_submit():
        user = services.find_user_by_email(form.email.data)
        if user is not None and user.is_active:
            token = services.reset_token(user)
            link = external_url("auth.reset", token=token)
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
    form.person = user
    if form.validate_on_submit():
        services.set_password(user, form.new_password.data)
        throttle.forget_account(user.email)
        db.session.commit()
        flash(_("Your password has been set. Sign in with it."), "success")
        return redirect(url_for("auth.login"))
    return render_template("auth/reset.html", form=form)
