"""Links that leave the site: certificates' QR codes, badges, calendar feeds, mails.

In production the address is `LMS_PUBLIC_URL`, checked at start-up (create_app refuses a
missing or loopback one). In development, when it is not set, links follow where the app
is served: the address of the request being answered, or outside a request (the CLI, the
demo data) `LMS_DEV_SERVER_URL`, which `make run` sets from its HOST and PORT.
"""

from urllib.parse import urlsplit

from flask import current_app, has_request_context, request, url_for

DEFAULT_DEV_SERVER_URL = "http://127.0.0.1:5000"


def public_base() -> str:
    """The site's address without a trailing slash, e.g. ``https://lms.example.org``."""
    configured = current_app.config.get("PUBLIC_URL")
    if configured:
        return str(configured).rstrip("/")
    if has_request_context():
        return request.host_url.rstrip("/")
    return str(current_app.config.get("DEV_SERVER_URL") or DEFAULT_DEV_SERVER_URL).rstrip("/")


def external_url(endpoint: str, _anchor: str | None = None, **values) -> str:
    """The absolute address of a page at the public address (which may carry a path
    prefix), built the same way with or without a request: the one way mails, feeds,
    certificates and exports make links. Never the Host header in production, where
    PUBLIC_URL is required."""
    base = urlsplit(public_base())
    adapter = current_app.url_map.bind(base.netloc or "localhost",
                                       script_name=base.path or "/",
                                       url_scheme=base.scheme or "http")
    url = adapter.build(endpoint, values, force_external=True)
    return f"{url}#{_anchor}" if _anchor else url


def fixed_url(endpoint: str, **values) -> str:
    """url_for for a link that is the same on every page (the menu, the stylesheet, the
    scripts), built once per app and script root: the header's seventeen url_for calls
    were a tenth of a module page's time. For links inside the site only."""
    cache = current_app.extensions.setdefault("lms_fixed_urls", {})
    key = (request.script_root, endpoint, tuple(sorted(values.items())))
    url = cache.get(key)
    if url is None:
        url = cache[key] = url_for(endpoint, **values)
    return url
