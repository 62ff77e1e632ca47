"""A live server on a free local port and Debian's Chromium driven by Playwright.

Every page a test checks is checked three ways, and any finding fails the test:
axe-core (npm, node_modules/axe-core) at 1280 px and again at 360 px, where the page
must also not scroll sideways; and the Nu HTML Checker (npm `vnu-jar`, run by Debian's
Java) on the page's HTML. One checker process serves the whole session over HTTP.
"""

import atexit
import json
import os
import shutil
import socket
import subprocess
import threading
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest
from playwright.sync_api import Error as PlaywrightError
from werkzeug.serving import make_server

from lms import create_app
from lms.content import load_tree, sync_tree
from lms.extensions import db
from tests.conftest import write_course
from tests.quizzes.conftest import write_quiz

ASSIGNMENT = """---
id: tugas-rtl
title: Rencana Tindak Lanjut
due_days: 14
max_score: 100
pass_mark: 70
accepted_types: [pdf]
rubric:
  - id: isi
    criterion: Isi rencana
    levels:
      - {label: Sangat baik, points: 100}
      - {label: Perlu perbaikan, points: 40}
---

Tulis rencana tindak lanjut Anda.
"""
CHROMIUM = os.environ.get("LMS_CHROMIUM", "/usr/bin/chromium")
NODE_MODULES = Path(__file__).resolve().parents[2] / "node_modules"
AXE = NODE_MODULES / "axe-core" / "axe.min.js"
VNU = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
JAVA = os.environ.get("LMS_JAVA", "java")
PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 900}
CHROMIUM_ARGS = [
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-dev-shm-usage",
]


def pytest_collection_modifyitems(config, items):
    here = Path(__file__).parent
    missing = [what for what, ok in (("Debian's chromium (/usr/bin/chromium)",
                                      shutil.which(CHROMIUM)),
                                     ("axe-core (npm ci)", AXE.exists()),
                                     ("vnu-jar (npm ci)", VNU.exists()),
                                     ("Java (default-jre-headless)", shutil.which(JAVA)))
               if not ok]
    for item in items:
        if Path(item.fspath).is_relative_to(here):
            item.add_marker(pytest.mark.browser)
            if missing:
                item.add_marker(pytest.mark.skip(reason="needs " + " and ".join(missing)))


@contextmanager
def demo_app(tmp_path: Path, add_content=None):
    """The app behind a live server: small test content (plus what add_content(folder)
    writes; surveys in _surveys are synced) and the demo data."""
    content = tmp_path / "course_content"
    write_course(content, "contoh", 3, title="Pengantar Contoh")
    write_quiz(content, attempts=2)
    (content / "contoh" / "assignments").mkdir()
    (content / "contoh" / "assignments" / "rtl.md").write_text(ASSIGNMENT)
    (content / "_programs").mkdir()
    (content / "_programs" / "demo.yml").write_text(
        "id: program-demo\ntitle: Diklat Demo\ncourses:\n  - contoh\n")
    if add_content is not None:
        add_content(content)
    os.environ["LMS_INSTANCE_PATH"] = str(tmp_path / "instance")
    try:
        app = create_app({
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'browser.sqlite3'}",
            "CONTENT_DIR": str(content),
            "RATELIMIT_ENABLED": False,
            "PASSWORD_HASHING": "fast-for-tests",
            "SECRET_KEY": "browser-secret-" + "y" * 32,
        })
    finally:
        del os.environ["LMS_INSTANCE_PATH"]
    with app.app_context():
        db.create_all()
        sync_tree(load_tree(content))
        if (content / "_surveys").is_dir():
            from lms.evaluations.sync import sync_surveys
            assert sync_surveys(content) == []
        from lms.demo import create_demo
        create_demo()
        db.session.commit()
    try:
        yield app
    finally:
        with app.app_context():
            db.engine.dispose()


@contextmanager
def serving(app):
    """app on a free local port; yields its base address."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()


@pytest.fixture
def live_app(tmp_path):
    with demo_app(tmp_path) as app, serving(app) as base:
        yield base


@pytest.fixture
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class HtmlChecker:
    """The Nu HTML Checker's web service (vnu.jar), started once for the test session."""

    def __init__(self):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.process = subprocess.Popen(  # noqa: S603 (a fixed command line)
            [JAVA, "-Xss1024k", "-Dnu.validator.servlet.bind-address=127.0.0.1",
             "-cp", str(VNU), "nu.validator.servlet.Main", str(self.port)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.address = f"http://127.0.0.1:{self.port}/?out=json"
        for _ in range(600):  # the JVM needs a few seconds
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    return
            except OSError:
                if self.process.poll() is not None:
                    raise RuntimeError("the Nu HTML Checker did not start") from None
                time.sleep(0.1)
        raise RuntimeError("the Nu HTML Checker did not answer")

    def findings(self, html: str) -> list[dict]:
        """Every error and warning the checker reports for one document."""
        request = urllib.request.Request(  # noqa: S310 (our own local service)
            self.address, data=html.encode(), method="POST",
            headers={"Content-Type": "text/html; charset=utf-8"})
        with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
            messages = json.load(response)["messages"]
        return [{"type": m.get("subType", m["type"]), "message": m["message"],
                 "line": m.get("lastLine"), "extract": m.get("extract", "")[:120]}
                for m in messages if m["type"] in ("error", "non-document-error")
                or m.get("subType") == "warning"]

    def close(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)


_shared: list[HtmlChecker] = []


def html_checker() -> HtmlChecker:
    """The session's checker, started on first use (one JVM for every page of the run)."""
    if not _shared:
        _shared.append(HtmlChecker())
        atexit.register(_shared[0].close)
    return _shared[0]


# what Playwright says when the document changed while a script ran in it
NAVIGATED = ("Execution context was destroyed", "Cannot read properties of null",
             "navigation")
AXE_RUN = ("async () => await axe.run(document, {runOnly: {type: 'tag', values: "
           "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']}})")


class Checked:
    """A page wrapper that checks every page it is asked to: axe-core at 1280 and 360 px,
    no sideways scroll at 360 px, and the Nu HTML Checker."""

    def __init__(self, page, shots: Path):
        self.page = page
        self.shots = shots
        self.checked: list[str] = []

    def _axe(self, width: int) -> list[dict]:
        for tries_left in (2, 1, 0):
            # a click that navigates returns once the new document is committed, maybe
            # before it has a head to add a script to: the check waits for the page to
            # load, and starts again if the document changed under it
            self.page.wait_for_load_state("load")
            try:
                if not self.page.evaluate("() => typeof axe !== 'undefined'"):
                    # axe stays loaded; its tag goes, so that the HTML checked is the
                    # page's own
                    self.page.add_script_tag(path=str(AXE)).evaluate("tag => tag.remove()")
                result = self.page.evaluate(AXE_RUN)
                break
            except PlaywrightError as error:
                if not tries_left or not any(sign in error.message for sign in NAVIGATED):
                    raise
        return [{"width": width, "id": v["id"], "help": v["help"],
                 "nodes": [n["target"] for n in v["nodes"]][:5]}
                for v in result["violations"]]

    def axe(self) -> None:
        """Check the page now shown: every axe rule at its width and again at 360 px, the
        sideways scroll at 360 px, and the HTML."""
        url = self.page.url
        viewport = self.page.viewport_size or DESKTOP
        findings = self._axe(viewport["width"])
        if viewport["width"] > PHONE["width"]:
            self.page.set_viewport_size(PHONE)
            try:
                findings += self._axe(PHONE["width"])
                wide = self.page.evaluate(
                    "() => document.documentElement.scrollWidth - window.innerWidth")
                if wide > 0:
                    findings.append({"width": 360, "id": "sideways-scroll",
                                     "help": f"the page is {wide} px wider than the screen"})
            finally:
                self.page.set_viewport_size(viewport)
        findings += [{"checker": "vnu", **f}
                     for f in html_checker().findings(self.page.content())]
        self.checked.append(url)
        assert findings == [], f"{url}: " + json.dumps(findings, indent=1, ensure_ascii=False)

    def goto(self, url: str) -> None:
        response = self.page.goto(url)
        assert response.ok, f"{url}: {response.status}"
        self.axe()


@pytest.fixture
def page(browser, tmp_path):
    context = browser.new_context(viewport=DESKTOP, bypass_csp=True, locale="id-ID")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    yield Checked(page, tmp_path)
    context.close()
    assert errors == []
