"""Every page each role can reach in the demo data, checked: axe-core at 1280 and 360 px,
no sideways scroll on a phone, the Nu HTML Checker, and (the interface being Indonesian) no
English word from tests/english.py in the visible text.

The crawl starts at the home page and follows links only (GET), at most PER_ROUTE pages
of one route (e.g. five module pages), so a new page cannot escape the checks and the run
stays short. Findings of all pages are collected and reported together.
"""

from collections import Counter, deque
from urllib.parse import urldefrag, urlsplit

import pytest

from tests.browser.conftest import demo_app, serving
from tests.english import english_in

PER_ROUTE = 5
ROLES = {
    "anonymous": None,
    "participant": ("peserta@example.org", "demo-peserta-2026"),
    "graduate": ("lulusan1@example.org", "demo-lulusan-2026"),
    "instructor": ("pengajar@example.org", "demo-pengajar-2026"),
    "coordinator": ("koordinator@example.org", "demo-koordinator-2026"),
    "admin": ("admin@example.org", "demo-admin-2026"),
}
# Visible text without the parts marked as another language (the language menu's "English").
VISIBLE_TEXT = """() => {
  const copy = document.body.cloneNode(true);
  copy.querySelectorAll('[lang]:not([lang^="id"]), script, style').forEach(e => e.remove());
  document.body.appendChild(copy); copy.hidden = false;
  const text = copy.innerText; copy.remove(); return text;
}"""
LINKS = "() => Array.from(document.querySelectorAll('a[href]'), a => a.href)"


@pytest.fixture(scope="module")
def crawl_site(tmp_path_factory):
    with demo_app(tmp_path_factory.mktemp("crawl")) as app, serving(app) as base:
        yield app, base


def _route(app, url: str) -> str | None:
    """The endpoint behind a local address, or None for a static file or an unknown one."""
    adapter = app.url_map.bind("localhost")
    try:
        endpoint, _args = adapter.match(urlsplit(url).path, method="GET")
    except Exception:  # noqa: BLE001 (redirects, 404s, 405s: not ours to crawl)
        return None
    return None if endpoint == "static" else endpoint


def _sign_in(page, base, email, password):
    page.page.goto(f"{base}/auth/login")
    page.page.get_by_label("Email").fill(email)
    page.page.get_by_label("Kata sandi").fill(password)
    with page.page.expect_navigation():
        page.page.get_by_role("button", name="Masuk").click()


@pytest.mark.parametrize("role", list(ROLES))
def test_every_reachable_page_is_accessible_valid_and_indonesian(crawl_site, page, role):
    app, base = crawl_site
    if ROLES[role]:
        _sign_in(page, base, *ROLES[role])
    seen, per_route, findings = set(), Counter(), []
    queue = deque([f"{base}/"])
    request = page.page.context.request
    while queue:
        url = queue.popleft()
        endpoint = _route(app, url)
        if url in seen or endpoint is None or per_route[endpoint] >= PER_ROUTE:
            continue
        seen.add(url)
        head = request.get(url, max_redirects=0)
        if head.status in (301, 302, 303, 307, 308):
            queue.append(urldefrag(head.headers["location"] if "://" in head.headers[
                "location"] else base + head.headers["location"])[0])
            continue
        if head.status >= 500:
            findings.append(f"{url}: HTTP {head.status}")
            continue
        if head.status != 200 or "text/html" not in head.headers.get("content-type", ""):
            continue  # downloads (PDF, CSV, calendar) and pages this role may not open
        per_route[endpoint] += 1
        page.page.goto(url)
        try:
            page.axe()
        except AssertionError as exc:
            findings.append(str(exc)[:3000])
        english = english_in(page.page.evaluate(VISIBLE_TEXT))
        if english:
            findings.append(f"{url}: English in the Indonesian interface: {english[:8]}")
        for link in page.page.evaluate(LINKS):
            link = urldefrag(link)[0]
            if link.startswith(base) and link not in seen:
                queue.append(link)
    assert len(seen) > 3
    assert findings == [], f"{role}: {len(findings)} of {len(seen)} pages:\n" + "\n".join(
        findings)
