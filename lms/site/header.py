"""The site header (skip link, menu, language form), rendered once per kind of page.

Every page printed the same header through forty template operations: seventeen links,
twenty translated strings and the role tests of the menu, a fifth of a module page's
rendering. What it shows depends on few things: the language, the reader's role (or none),
the page's endpoint and blueprint (which link is the current page), and the two badges
(unread notifications, name corrections waiting). The header is rendered once for each
combination of these, per app, with marks where the two per-request values go (the CSRF
token of the sign-out and language forms, and the address the language form returns
to), which are put in at each request.

`site/header.html` must read nothing but the variables passed here, or the cache would
show one reader another's header; `tests/site/test_header.py` checks each input.
"""

from flask import current_app, render_template, request
from flask_login import current_user
from markupsafe import Markup, escape

from lms.i18n import locale_code
from lms.security import csrf_token

# Marks that the template's escaping leaves as they are and no page text contains.
_CSRF = "\x1ecsrf\x1e"
_NEXT = "\x1enext\x1e"
# Combinations held per app: languages × roles × pages × badge counts seen. A header is
# about 3 KB; beyond this many the cache starts again (the common ones come back first).
LIMIT = 4096


def site_header(waiting: int, unread: int) -> Markup:
    """The header of the page being rendered. `waiting` and `unread` are the badges'
    counts, read by the page's context (lms.people.views, lms.notifications.views)."""
    role = current_user.role if current_user.is_authenticated else None
    key = (locale_code(), role, request.endpoint, request.blueprint, waiting, unread)
    cache: dict = current_app.extensions.setdefault("lms_site_headers", {})
    html = cache.get(key)
    if html is None:
        if len(cache) >= LIMIT:
            cache.clear()
        html = cache[key] = render_template(
            "site/header.html", role=role, here_endpoint=request.endpoint,
            here_blueprint=request.blueprint, waiting=waiting, unread=unread,
            csrf=_CSRF, next=_NEXT)
    here = request.full_path if request.query_string else request.path
    # The address last: what a reader put in it is escaped and never searched for a mark.
    filled = html.replace(_CSRF, csrf_token()).replace(_NEXT, str(escape(here)))
    return Markup(filled)  # noqa: S704 -- our own template, the address escaped
