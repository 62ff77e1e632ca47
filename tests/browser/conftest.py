"""A live server on a free local port and Debian's Chromium driven by Playwright.

Every page a test visits is checked with axe-core (from the npm registry,
node_modules/axe-core); any violation fails the test.
"""

import json
import os
import shutil
import threading
from contextlib import contextmanager
from pathlib import Path

import pytest
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
AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_ARGS = [
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-dev-shm-usage",
]


def pytest_collection_modifyitems(config, items):
    here = Path(__file__).parent
    missing = [what for what, ok in (("Debian's chromium (/usr/bin/chromium)",
                                      shutil.which(CHROMIUM)),
                                     ("axe-core (npm ci)", AXE.exists())) if not ok]
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


class Checked:
    """A page wrapper that runs axe-core after every navigation it is asked to check."""

    def __init__(self, page, shots: Path):
        self.page = page
        self.shots = shots
        self.checked: list[str] = []

    def axe(self) -> None:
        self.page.add_script_tag(path=str(AXE))
        result = self.page.evaluate(
            "async () => await axe.run(document, {runOnly: {type: 'tag', values: "
            "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']}})")
        violations = [
            {"id": v["id"], "help": v["help"],
             "nodes": [n["target"] for n in v["nodes"]][:5]}
            for v in result["violations"]
        ]
        self.checked.append(self.page.url)
        assert violations == [], f"{self.page.url}: " + json.dumps(violations, indent=1)

    def goto(self, url: str) -> None:
        response = self.page.goto(url)
        assert response.ok, f"{url}: {response.status}"
        self.axe()


@pytest.fixture
def page(browser, tmp_path):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, bypass_csp=True,
                                  locale="id-ID")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    yield Checked(page, tmp_path)
    context.close()
    assert errors == []
