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

    @app.after_request
    def set_security_headers(response):
        headers = response.headers
        headers.setdefault("Content-Security-Policy", policy)
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("X-Frame-Options", "DENY")
        headers.setdefault("Referrer-Policy", "same-origin")
        headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        headers.setdefault(
            "Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()"
        )
        if app.config.get("ENV") == "production":
            headers.setdefault("Strict-Transport-Security", "max-age=31536000")
        return response
