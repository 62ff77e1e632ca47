"""The evaluation in a real browser: axe-core on the form, its errors and the reports.

Runs with the browser tests (`make test-browser`); skipped without Chromium and axe-core.
"""

import os
import shutil
import threading

import pytest
from playwright.sync_api import expect
from werkzeug.serving import make_server

from lms import create_app
from lms.content import load_tree, sync_tree
from lms.evaluations.sync import sync_surveys
from lms.extensions import db
from tests.browser.conftest import AXE, CHROMIUM, Checked, browser  # noqa: F401
from tests.browser.test_journey import sign_in
from tests.conftest import write_course
from tests.evaluations.conftest import STANDARD, close_evaluation

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not (shutil.which(CHROMIUM) and AXE.exists()),
                       reason="needs Debian's chromium and axe-core (npm ci)"),
]
RUNNING = "diklat-ppbd-demo-berjalan"


@pytest.fixture
def demo_app(tmp_path):
    """The demo (a running cohort with an instructor) plus the standard survey."""
    content = tmp_path / "course_content"
    write_course(content, "contoh", 2, title="Pengantar Contoh")
    (content / "_programs").mkdir()
    (content / "_programs" / "demo.yml").write_text(
        "id: program-demo\ntitle: Diklat Demo\ncourses:\n  - contoh\n")
    (content / "_surveys").mkdir()
    shutil.copy(STANDARD, content / "_surveys")
    os.environ["LMS_INSTANCE_PATH"] = str(tmp_path / "instance")
    try:
        app = create_app({
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'browser.sqlite3'}",
            "CONTENT_DIR": str(content), "RATELIMIT_ENABLED": False,
            "PASSWORD_HASHING": "fast-for-tests",
            "SECRET_KEY": "browser-secret-" + "y" * 32, "EVALUATION_MIN_RESPONSES": 1,
        })
    finally:
        del os.environ["LMS_INSTANCE_PATH"]
    with app.app_context():
        db.create_all()
        sync_tree(load_tree(content))
        assert sync_surveys(content) == []
        from lms.demo import create_demo
        create_demo()
        db.session.commit()
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture
def live_app(demo_app):
    app = demo_app
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


def new_page(browser, tmp_path, width=1280):  # noqa: F811
    context = browser.new_context(viewport={"width": width, "height": 900}, bypass_csp=True,
                                  locale="id-ID", is_mobile=width < 600)
    return context, Checked(context.new_page(), tmp_path)


def fits(page, width):
    scroll = page.page.evaluate("document.documentElement.scrollWidth")
    assert scroll <= width, f"{page.page.url} is {scroll}px wide at {width}px"


def test_answer_the_evaluation_and_read_the_report(live_app, demo_app, browser,  # noqa: F811
                                                   tmp_path):
    form_url = f"{live_app}/cohorts/{RUNNING}/evaluation"
    for width in (1280, 360):
        context, page = new_page(browser, tmp_path, width)
        sign_in(page, live_app)
        page.goto(form_url)
        fits(page, width)
        if width == 360:
            context.close()
            continue
        send = page.page.locator("form.evaluation-form button[type=submit]")
        send.click()  # nothing chosen: every rating is named as missing
        expect(page.page.locator(".evaluation-errors")).to_be_visible()
        expect(page.page.locator("p.error")).to_have_count(12)
        page.axe()
        page.page.get_by_role("link", name="Kesesuaian jadwal dan alokasi waktu pelatihan",
                              exact=False).click()
        expect(page.page.locator("#o-jadwal-1")).to_be_focused()
        for radio in page.page.locator('input[type=radio][value="4"]').all():
            radio.check()
        page.page.get_by_label("Saran untuk penyelenggara pelatihan").fill("Jadwal lebih awal.")
        send.click()
        expect(page.page.locator(".notice-ok")).to_be_visible()
        expect(page.page.locator("input[type=radio]")).to_have_count(0)
        page.axe()
        context.close()

    close_evaluation(demo_app, RUNNING)  # the answers are shown once the evaluation closed
    for email, password in (("koordinator@example.org", "demo-koordinator-2026"),
                            ("pengajar@example.org", "demo-pengajar-2026")):
        for width in (1280, 360):
            context, page = new_page(browser, tmp_path, width)
            sign_in(page, live_app, email, password)
            page.goto(f"{live_app}/manage/cohorts/{RUNNING}/evaluation")
            expect(page.page.locator("meter").first).to_be_attached()
            fits(page, width)
            if email.startswith("koordinator"):
                expect(page.page.get_by_text("Jadwal lebih awal.")).to_be_visible()
                page.goto(form_url)  # the preview
                fits(page, width)
            context.close()
