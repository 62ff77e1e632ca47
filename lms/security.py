"""Security headers: a strict Content-Security-Policy and the usual companions.

No page carries inline script or style, so the policy needs no 'unsafe-inline'. Frames
are allowed only from the players of the video providers in VIDEO_PROVIDERS.
"""

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from lms.video import frame_origins

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; "
    "form-action 'self'"
)


def init_app(app: Flask) -> None:
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
