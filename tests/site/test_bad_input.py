"""Every form of the demo site, as each role finds it, sent with bad input: empty, 10,000
characters in every field, wrong types (letters in numbers and dates), and a forged choice
in every list. Nothing may fail with a 500; a refused form comes back in Indonesian (no word
of tests/english.py) and saves nothing (no table gains or loses a row).

The forms are found by following links from the home page (at most PER_ROUTE pages of one
route), as in the browser crawl, but through the test client: fast enough for every form.
"""

import re
from collections import Counter, deque
from html import unescape
from html.parser import HTMLParser
from urllib.parse import urldefrag, urljoin, urlsplit

import pytest
from sqlalchemy import func, select
from werkzeug.datastructures import MultiDict

from lms.extensions import db
from tests.browser.conftest import demo_app
from tests.english import english_in

PER_ROUTE = 2
ROLES = {
    "anonymous": None,
    "participant": ("peserta@example.org", "demo-peserta-2026"),
    "instructor": ("pengajar@example.org", "demo-pengajar-2026"),
    "coordinator": ("koordinator@example.org", "demo-koordinator-2026"),
    "admin": ("admin@example.org", "demo-admin-2026"),
}
# Forms whose whole job needs no input (sign out) or that change the session's language.
SKIPPED = {"auth.logout", "site.set_language"}
# Rows written by any request, whatever the form says: sign-in sessions and the throttle.
CHANGING = {"user_sessions", "sign_in_throttles"}
LONG = "x" * 10_000


class Forms(HTMLParser):
    """The POST forms of a page: action and fields (name, kind, options)."""

    def __init__(self):
        super().__init__()
        self.forms, self.current, self.select = [], None, None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and (a.get("method") or "get").lower() == "post":
            self.current = {"action": a.get("action") or "", "fields": []}
            self.forms.append(self.current)
        elif self.current is None:
            return
        elif tag == "input" and a.get("name"):
            kind = (a.get("type") or "text").lower()
            if kind in ("radio", "checkbox") and "checked" not in a and kind == "checkbox":
                kind = "checkbox-off"
            self.current["fields"].append({"name": a["name"], "kind": kind,
                                           "value": a.get("value") or "", "options": []})
        elif tag == "textarea" and a.get("name"):
            self.current["fields"].append({"name": a["name"], "kind": "textarea", "value": "",
                                           "options": []})
        elif tag == "select" and a.get("name"):
            self.select = {"name": a["name"], "kind": "select", "value": "", "options": []}
            self.current["fields"].append(self.select)
        elif tag == "option" and self.select is not None:
            self.select["options"].append(a.get("value") or "")
            if "selected" in a or len(self.select["options"]) == 1:
                self.select["value"] = a.get("value") or ""
        elif tag == "button" and a.get("name") and (a.get("type") or "submit") == "submit":
            self.current["fields"].append({"name": a["name"], "kind": "button",
                                           "value": a.get("value") or "", "options": []})

    def handle_endtag(self, tag):
        if tag == "form":
            self.current = None
        elif tag == "select":
            self.select = None


def _variants(fields):
    """(label, data) for each kind of bad input."""
    def build(user_value, select_value, radio_value):
        data, radios_done, buttons_done = [], set(), False
        for f in fields:
            kind, name = f["kind"], f["name"]
            if kind == "hidden" or (kind == "button" and not buttons_done):
                buttons_done = buttons_done or kind == "button"
                data.append((name, f["value"]))
            elif kind in ("submit", "button", "file", "checkbox-off"):
                continue
            elif kind == "select":
                data.append((name, select_value(f)))
            elif kind in ("radio", "checkbox"):
                if name not in radios_done:
                    radios_done.add(name)
                    data.append((name, radio_value(f)))
            else:
                data.append((name, user_value(f)))
        return data

    wrong = {"number": "dua", "date": "31-31-2026", "time": "25:99", "email": "bukan-email",
             "url": "bukan alamat", "datetime-local": "kemarin"}
    yield "empty", build(lambda f: "", lambda f: "", lambda f: "")
    yield "10,000 characters", build(lambda f: LONG, lambda f: f["value"], lambda f: f["value"])
    yield "wrong types", build(lambda f: wrong.get(f["kind"], "-1e999"), lambda f: f["value"],
                               lambda f: f["value"])
    yield "forged choice", build(lambda f: f["value"], lambda f: "forged-999",
                                 lambda f: "forged-999")


def _visible(html: str) -> str:
    body = html.split("<body", 1)[-1].split(">", 1)[-1]
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", body, flags=re.S)
    body = re.sub(r'<([a-z]+)[^>]*\slang="(?!id)[^"]*"[^>]*>.*?</\1>', " ", body, flags=re.S)
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", body)).split())


def _counts(app) -> dict[str, int]:
    with app.app_context():
        return {t.name: db.session.scalar(select(func.count()).select_from(t))
                for t in db.metadata.sorted_tables if t.name not in CHANGING}


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    with demo_app(tmp_path_factory.mktemp("bad-input")) as app:
        yield app


def _endpoint(app, path: str, method: str = "GET") -> str | None:
    try:
        return app.url_map.bind("localhost").match(urlsplit(path).path, method=method)[0]
    except Exception:  # noqa: BLE001 (redirects, 404s, 405s)
        return None


@pytest.mark.parametrize("role", list(ROLES))
def test_every_form_refuses_bad_input_in_indonesian(demo, role):
    app = demo
    client = app.test_client()
    if ROLES[role]:
        login = client.get("/auth/login").get_data(as_text=True)
        parser = Forms()
        parser.feed(login)
        token = next(f["value"] for f in parser.forms[-1]["fields"] if f["name"] == "csrf_token")
        email, password = ROLES[role]
        assert client.post("/auth/login", data={"csrf_token": token, "email": email,
                                                "password": password}).status_code == 302
    seen, per_route, forms, problems = set(), Counter(), {}, []
    queue = deque(["/"])
    while queue:
        path = queue.popleft()
        endpoint = _endpoint(app, path)
        if path in seen or endpoint in (None, "static") or per_route[endpoint] >= PER_ROUTE:
            continue
        seen.add(path)
        response = client.get(path)
        if response.status_code in (301, 302, 303):
            queue.append(urlsplit(response.headers["Location"])._replace(
                scheme="", netloc="").geturl())
        if response.status_code != 200 or response.mimetype != "text/html":
            continue
        per_route[endpoint] += 1
        html = response.get_data(as_text=True)
        parser = Forms()
        parser.feed(html)
        for form in parser.forms:
            action = urljoin(path, unescape(form["action"]) or path)
            target = _endpoint(app, action, "POST")
            if target and target not in SKIPPED and target not in forms:
                forms[target] = (path, action, form["fields"])
        for href in re.findall(r'<a [^>]*href="([^"]+)"', html):
            link = urldefrag(unescape(href))[0]
            link = urljoin(path, link)
            if link.startswith("/") and link not in seen:
                queue.append(link)
    assert forms, f"no form found on {sorted(seen)}"
    for target, (page, action, fields) in sorted(forms.items()):
        for label, data in _variants(fields):
            before = _counts(app)
            fresh = client.get(page).get_data(as_text=True)  # a valid token for this session
            parser = Forms()
            parser.feed(fresh)
            token = next((f["value"] for form in parser.forms for f in form["fields"]
                          if f["name"] == "csrf_token"), "")
            data = [(k, token if k == "csrf_token" else v) for k, v in data]
            response = client.post(action, data=MultiDict(data))
            where = f"{target} ({page}), {label}"
            if response.status_code >= 500:
                problems.append(f"{where}: HTTP {response.status_code}")
                continue
            if response.status_code in (301, 302, 303):
                shown = client.get(response.headers["Location"])
                text = _visible(shown.get_data(as_text=True)) if shown.mimetype == "text/html" \
                    else ""
            else:
                text = _visible(response.get_data(as_text=True))
                if before != _counts(app):
                    changed = {k for k, v in _counts(app).items() if before.get(k) != v}
                    problems.append(f"{where}: refused, yet rows changed in {sorted(changed)}")
            english = english_in(text)
            if english:
                problems.append(f"{where}: English: {english[:4]}")
    assert problems == [], f"{role}: {len(forms)} forms\n" + "\n".join(problems)
