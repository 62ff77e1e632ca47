"""Security headers: a strict Content-Security-Policy and the usual companions.

No page carries inline script or style, so the policy needs no 'unsafe-inline'. Frames
are allowed only from the players of the video providers in VIDEO_PROVIDERS.
"""

import secrets
import time
from time import monotonic

from flask import Flask, current_app, g, session
from flask.sessions import SecureCookieSessionInterface
from flask_wtf.csrf import generate_csrf
from itsdangerous import BadSignature
from werkzeug.middleware.proxy_fix import ProxyFix

from lms.video import frame_origins

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; "
    "form-action 'self'"
)


# A session's signed CSRF token is reused by this process for this long. Signing it again at
# every page (a timestamp and an HMAC, about 4% of a module page) bought nothing: the token
# is checked against the session's own secret and its age, so one signed five minutes ago
# is as good as a new one, and stays valid for WTF_CSRF_TIME_LIMIT less those minutes.
CSRF_REUSE_SECONDS = 300
_SIGNED_LIMIT = 10_000


# What csrf_token() gives while a page part is rendered to be kept for every reader
# (lms.courses.kept.keep puts the request's token in its place at each use).
CSRF_MARK = "csrf-" + secrets.token_hex(16)


def csrf_token() -> str:
    """Flask-WTF's generate_csrf (the signed token of this session's CSRF secret), signed
    at most once per CSRF_REUSE_SECONDS for each session and app."""
    if g.get("lms_csrf_mark"):
        return CSRF_MARK
    name = current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token")
    if name in g:
        return g.get(name)
    signed: dict = current_app.extensions.setdefault("lms_signed_csrf", {})
    secret = session.get(name)
    if secret:
        held = signed.get(secret)
        if held is not None and monotonic() - held[1] < CSRF_REUSE_SECONDS:
            setattr(g, name, held[0])
            return held[0]
    token = generate_csrf()
    if len(signed) >= _SIGNED_LIMIT:
        signed.clear()
    signed[session[name]] = (token, monotonic())
    return token


# Scalars only: a cached session whose values could be changed in place (a list of flash
# messages) would carry one request's change into the next.
_SCALARS = (str, int, float, bool, type(None))


class CookieSessions(SecureCookieSessionInterface):
    """Flask's signed-cookie sessions, with the contents of the cookies seen lately kept
    per app: a browser sends the same cookie with every request until the session changes,
    and checking its signature and decoding it again was about 3% of a page. Only the
    exact string that was verified is found again, and its age is checked at every
    request as itsdangerous checks it."""

    LIMIT = 10_000

    def open_session(self, app, request):
        value = request.cookies.get(self.get_cookie_name(app))
        if not value:
            return super().open_session(app, request)
        max_age = int(app.permanent_session_lifetime.total_seconds())
        seen: dict = app.extensions.setdefault("lms_session_cookies", {})
        held = seen.get(value)
        if held is not None and time.time() - held[1] <= max_age:
            return self.session_class(held[0])
        serializer = self.get_signing_serializer(app)
        if serializer is None:
            return None
        try:
            data, signed_at = serializer.loads(value, max_age=max_age, return_timestamp=True)
        except BadSignature:
            return self.session_class()
        if all(isinstance(item, _SCALARS) for item in data.values()):
            if len(seen) >= self.LIMIT:
                seen.clear()
            seen[value] = (data, signed_at.timestamp())
        return self.session_class(data)


def init_app(app: Flask) -> None:
    app.session_interface = CookieSessions()
    # Templates' csrf_token() signs once per session and CSRF_REUSE_SECONDS. Flask-WTF puts
    # its generate_csrf both among the globals and in every render_template context (a
    # context processor, which wins over a global): both are replaced, ours registered
    # after its processor. A form's own token field asks Flask-WTF, which finds it in g.
    app.jinja_env.globals["csrf_token"] = csrf_token
    app.context_processor(lambda: {"csrf_token": csrf_token})
    proxies = int(app.config.get("PROXY_COUNT") or 0)
    if proxies:
        app.wsgi_app = ProxyFix(
            app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies
        )

    origins = frame_origins(app.config.get("VIDEO_PROVIDERS") or ())
    policy = CSP + (f"; frame-src {' '.join(origins)}" if origins else "; frame-src 'none'")

    security = [("Content-Security-Policy", policy), ("X-Content-Type-Options", "nosniff"),
                ("X-Frame-Options", "DENY"), ("Referrer-Policy", "same-origin"),
                ("Cross-Origin-Opener-Policy", "same-origin"),
                ("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()")]
    if app.config.get("ENV") == "production":
        security.append(("Strict-Transport-Security", "max-age=31536000"))
    names = frozenset(name.lower() for name, _value in security)

    @app.after_request
    def set_security_headers(response):
        # What a view set itself stays (a page with its own frame or script policy); the
        # rest is added in one pass over the headers, not one search per header.
        headers = response.headers
        own = {name.lower() for name, _value in headers.items()} & names
        headers.extend([(n, v) for n, v in security if n.lower() not in own])
        return response
