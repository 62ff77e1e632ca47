"""Templates send no SQL: every page's view collects what the page shows and passes it in
(issue #23). A lazy relationship read in a template is a statement per row of a list, and
statements a view cannot see or count.

The test signs in as each demo role and follows the links of every page it reaches (GET,
one page per route), recording each statement sent while a template body renders, between
Flask's `before_render_template` and `template_rendered` signals; context processors run
before the first, so the header's counts, collected there, are allowed.
"""

import re
import threading
from collections import deque
from contextlib import contextmanager
from urllib.parse import urlsplit

import pytest
from flask import before_render_template, render_template_string, template_rendered
from sqlalchemy import event, text

from lms.extensions import db
from tests.browser.conftest import demo_app
from tests.conftest import AuthActions

ROLES = {
    "participant": ("peserta@example.org", "demo-peserta-2026"),
    "graduate": ("lulusan1@example.org", "demo-lulusan-2026"),
    "instructor": ("pengajar@example.org", "demo-pengajar-2026"),
    "coordinator": ("koordinator@example.org", "demo-koordinator-2026"),
    "admin": ("admin@example.org", "demo-admin-2026"),
}
STARTS = ("/learning", "/", "/next", "/manage/cohorts", "/manage/teaching")
SKIP = {"static", "auth.logout"}


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    with demo_app(tmp_path_factory.mktemp("template-queries")) as app:
        yield app


def _crawl(app, client, on_page) -> set[str]:
    """Follow same-site links from STARTS, one page per endpoint; the endpoints seen."""
    adapter = app.url_map.bind("localhost")
    seen_endpoints: set[str] = set()
    queue = deque(STARTS)
    while queue:
        url = queue.popleft()
        try:
            endpoint, _args = adapter.match(urlsplit(url).path, method="GET")
        except Exception:  # noqa: BLE001, S112 (redirects, 404s, 405s: not pages to check)
            continue
        if endpoint in SKIP or endpoint in seen_endpoints:
            continue
        seen_endpoints.add(endpoint)
        on_page(url)
        response = client.get(url)
        if response.status_code != 200 or response.mimetype != "text/html":
            continue
        html = response.get_data(as_text=True)
        for href in _links(html):
            queue.append(href)
    return seen_endpoints


def _links(html: str) -> list[str]:
    return [h.replace("&amp;", "&") for h in re.findall(r'href="(/[^"#]*)', html)
            if not h.startswith("//")]


@contextmanager
def statements_while_rendering(app, where=lambda: None):
    """The statements sent while a template body renders, as (where(), SQL) pairs."""
    with app.app_context():
        engine = db.engine
    rendering = [0]
    found: list[tuple[str | None, str]] = []

    def before(_sender, **_extra):
        rendering[0] += 1

    def after(_sender, **_extra):
        rendering[0] -= 1

    crawler = threading.get_ident()

    def record(_conn, _cursor, statement, *_args):
        # Only this thread's: the app's job runner writes from its own thread meanwhile.
        if rendering[0] and threading.get_ident() == crawler and not statement.lstrip(
                ).upper().startswith(("BEGIN", "COMMIT", "ROLLBACK", "PRAGMA", "SAVEPOINT",
                                      "RELEASE")):
            found.append((where(), " ".join(statement.split())[:120]))

    before_render_template.connect(before, app)
    template_rendered.connect(after, app)
    event.listen(engine, "before_cursor_execute", record)
    try:
        yield found
    finally:
        event.remove(engine, "before_cursor_execute", record)
        before_render_template.disconnect(before, app)
        template_rendered.disconnect(after, app)


@pytest.mark.parametrize("role", list(ROLES))
def test_no_template_sends_a_statement(site, role):
    client = site.test_client()
    AuthActions(client).login(*ROLES[role])
    current = {"url": None}
    with statements_while_rendering(site, lambda: current["url"]) as found:
        endpoints = _crawl(site, client, lambda url: current.update(url=url))
    assert len(endpoints) >= 10, sorted(endpoints)  # the crawl did reach the role's pages
    assert found == [], "\n".join(f"{url}: {sql}" for url, sql in found)


def test_the_check_sees_a_template_that_queries(site):
    """The recorder above does see a statement sent from inside a template."""
    with site.test_request_context(), statements_while_rendering(site) as found:
        render_template_string("{{ ask() }}", ask=lambda: db.session.execute(
            text("SELECT 42")).scalar())
    assert found == [(None, "SELECT 42")]
