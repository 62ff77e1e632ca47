"""Optional single sign-on through OpenID Connect (Authlib's Flask client).

Off unless OIDC_ISSUER is set; the provider is found through its discovery document.
Authlib sends and checks `state` (bound to this browser's session), `nonce` (inside the
signed id_token), PKCE, the token's signature (the provider's JWKS), issuer, audience and
expiry. This module adds what an LMS must decide: an account is linked only by an email
the provider says it has verified, a new person becomes a participant (roles are still
granted here), a deactivated account stays out, and a person with a second factor still
enters their code.
"""

from datetime import datetime
from urllib.parse import urlsplit

import requests
from authlib.integrations.flask_client import OAuth, OAuthError
from flask import Blueprint, abort, current_app, flash, redirect, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user
from joserfc.errors import JoseError
from sqlalchemy import ForeignKey, String, UniqueConstraint, func, select
from sqlalchemy.orm import Mapped, mapped_column

from lms import db_setup
from lms.audit import services as audit
from lms.auth import services as accounts
from lms.auth.access import is_safe_next, landing_url
from lms.auth.models import Role, User
from lms.auth.second_factor_views import finish_sign_in
from lms.clock import utcnow
from lms.extensions import db

bp = Blueprint("oidc", __name__, url_prefix="/auth/sso")
CLIENT = "institution"
NEXT_KEY = "oidc_next"


class OidcLink(db.Model):
    """One person's identity at the provider: (issuer, subject) never changes, an email
    may; later sign-ins follow the link, not the email."""

    __tablename__ = "oidc_links"
    __table_args__ = (UniqueConstraint("issuer", "subject"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"),
                                         index=True)
    issuer: Mapped[str] = mapped_column(String(255))
    subject: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())

    def __repr__(self) -> str:
        return f"<OidcLink user={self.user_id} {self.issuer} {self.subject}>"


class SignOnRefused(ValueError):
    """The provider's answer cannot sign anyone in; `code` says why."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


def init_app(app) -> None:
    app.register_blueprint(bp)

    @app.context_processor
    def sso_button():
        return {"sso_provider_name": provider_name()}


def is_configured() -> bool:
    cfg = current_app.config
    return bool(cfg.get("OIDC_ISSUER") and cfg.get("OIDC_CLIENT_ID"))


def provider_name() -> str | None:
    """The name on the sign-in button, or None when single sign-on is off."""
    if not is_configured():
        return None
    cfg = current_app.config
    return cfg.get("OIDC_PROVIDER_NAME") or urlsplit(cfg["OIDC_ISSUER"]).hostname


def _issuer() -> str:
    return str(current_app.config["OIDC_ISSUER"]).rstrip("/")


def _client():
    """This app's Authlib client, made on first use (the configuration is read then)."""
    oauth = current_app.extensions.get("authlib.integrations.flask_client")
    if oauth is None:
        oauth = OAuth(current_app._get_current_object())
        cfg = current_app.config
        oauth.register(
            CLIENT, client_id=cfg["OIDC_CLIENT_ID"], client_secret=cfg.get("OIDC_CLIENT_SECRET"),
            server_metadata_url=_issuer() + "/.well-known/openid-configuration",
            client_kwargs={"scope": "openid email profile", "code_challenge_method": "S256",
                           "timeout": 10})
    return oauth.create_client(CLIENT)


def person_for(claims: dict, issuer: str) -> User:
    """The account these verified id_token claims sign in to: the linked one, else the one
    with the same verified email (linked now), else a new participant. Refuses an
    unverified or missing email, another issuer, and a deactivated account."""
    if str(claims.get("iss", "")).rstrip("/") != issuer:
        raise SignOnRefused("issuer")
    subject = str(claims.get("sub") or "")
    if not subject or len(subject) > 255:
        raise SignOnRefused("subject")
    link = db.session.scalar(select(OidcLink).where(OidcLink.issuer == issuer,
                                                    OidcLink.subject == subject))
    if link is not None:
        user = db.session.get(User, link.user_id)
    else:
        email = accounts.normalize_email(str(claims.get("email") or ""))
        # Some providers send the string "true"; anything else is not a verified email.
        # (`in (True, "true")` would also take 1, which equals True.)
        verified = claims.get("email_verified")
        verified = verified is True or verified == "true"
        if not email or "@" not in email or len(email) > 254 or not verified:
            raise SignOnRefused("unverified-email")
        user = accounts.find_user_by_email(email)
        if user is None:
            name = " ".join(str(claims.get("name") or "").split())[:200] or email
            user = accounts.create_user(email=email, password=accounts.new_random_password(),
                                        full_name=name, role=Role.PARTICIPANT)
            audit.record(user.id, "sso.account_created", "user", user.id,
                         f"{email} came in through single sign-on ({issuer})")
        db.session.add(OidcLink(user_id=user.id, issuer=issuer, subject=subject))
        audit.record(user.id, "sso.linked", "user", user.id,
                     f"{email} linked to {issuer} by verified email")
    if user is None or not user.is_active:
        raise SignOnRefused("inactive")
    user.last_login_at = utcnow()
    db.session.flush()
    return user


@bp.get("/login")
def login():
    if not is_configured():
        abort(404)
    if current_user.is_authenticated:
        return redirect(landing_url(current_user))
    target = request.args.get("next")
    session[NEXT_KEY] = target if is_safe_next(target) else None
    try:
        return _client().authorize_redirect(url_for(".callback", _external=True))
    except (OAuthError, JoseError, requests.RequestException, ValueError, KeyError):
        current_app.logger.warning("single sign-on: the provider could not be reached",
                                   exc_info=True)
        flash(_("Signing in with %(provider)s is not possible right now. Try again later or "
                "sign in with your password.", provider=provider_name()), "error")
        return redirect(url_for("auth.login"))


@bp.get("/callback")
@db_setup.writes
def callback():
    if not is_configured():
        abort(404)
    try:
        token = _client().authorize_access_token()
        claims = dict(token.get("userinfo") or {})
        user = person_for(claims, _issuer())
    except SignOnRefused as exc:
        db.session.rollback()
        if exc.code == "unverified-email":
            flash(_("%(provider)s did not confirm that your email address is verified, so it "
                    "cannot be linked to an account here.", provider=provider_name()), "error")
        elif exc.code == "inactive":
            flash(_("This account has been deactivated. Ask a coordinator."), "error")
        else:
            flash(_("Signing in with %(provider)s failed. Sign in with your password or try "
                    "again.", provider=provider_name()), "error")
        return redirect(url_for("auth.login"))
    except (OAuthError, JoseError, requests.RequestException, ValueError, KeyError):
        # A forged or replayed state, a wrong nonce, a bad signature, an unreachable
        # provider: nobody is signed in.
        db.session.rollback()
        current_app.logger.warning("single sign-on refused", exc_info=True)
        flash(_("Signing in with %(provider)s failed. Sign in with your password or try "
                "again.", provider=provider_name()), "error")
        return redirect(url_for("auth.login"))
    target = session.get(NEXT_KEY)
    locale = session.get("locale")
    session.clear()  # a fresh session at every sign-in
    if locale:
        session["locale"] = locale
        if not user.locale:
            user.locale = locale
    return finish_sign_in(user, False, target if is_safe_next(target) else landing_url(user))
