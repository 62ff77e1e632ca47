"""The forums in a real browser: axe-core on every page, at 1280 px and at 360 px.

Runs with the browser tests (`make test-browser`); skipped without Chromium and axe-core.
"""

import os
import re
import shutil
import threading
from datetime import timedelta

import pytest
from playwright.sync_api import expect
from werkzeug.serving import make_server

from lms import create_app
from lms.content import load_tree, sync_tree
from lms.extensions import db
from tests.browser.conftest import AXE, CHROMIUM, Checked, browser  # noqa: F401
from tests.browser.test_journey import sign_in
from tests.conftest import write_course

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not (shutil.which(CHROMIUM) and AXE.exists()),
                       reason="needs Debian's chromium and axe-core (npm ci)"),
]
RUNNING = "diklat-ppbd-demo-berjalan"
LONG_POST = ("Lihat https://opac.example.org/" + "sangat-panjang-" * 12 + "\n\n"
             "```\nSELECT judul, pengarang, penerbit, tahun FROM koleksi WHERE tahun > 2020;\n```"
             "\n\n## Judul di dalam pesan\n\n| Kolom | Nilai |\n| --- | --- |\n| a | 1 |\n")


@pytest.fixture
def live_app(tmp_path):
    """The demo (a running cohort with an instructor) and 25 threads in its general forum."""
    content = tmp_path / "course_content"
    write_course(content, "contoh", 2, title="Pengantar Contoh")
    (content / "_programs").mkdir()
    (content / "_programs" / "demo.yml").write_text(
        "id: program-demo\ntitle: Diklat Demo\ncourses:\n  - contoh\n")
    os.environ["LMS_INSTANCE_PATH"] = str(tmp_path / "instance")
    try:
        app = create_app({
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'browser.sqlite3'}",
            "CONTENT_DIR": str(content), "RATELIMIT_ENABLED": False,
            "PASSWORD_HASHING": "fast-for-tests",
            "SECRET_KEY": "browser-secret-" + "y" * 32,
        })
    finally:
        del os.environ["LMS_INSTANCE_PATH"]
    with app.app_context():
        db.create_all()
        sync_tree(load_tree(content))
        from lms.auth.services import find_user_by_email
        from lms.clock import utcnow
        from lms.cohorts.services import get_cohort
        from lms.demo import create_demo
        from lms.forums.models import Post, Thread
        from lms.forums.services import cohort_forums, render_post

        create_demo()
        general = cohort_forums(get_cohort(RUNNING))[0]
        author = find_user_by_email("pengajar@example.org")
        start = utcnow() - timedelta(days=3)
        for i in range(25):
            at = start + timedelta(hours=i)
            thread = Thread(forum_id=general.id, author_id=author.id, title=f"Topik diskusi {i}",
                            last_post_at=at, created_at=at)
            db.session.add(thread)
            db.session.flush()
            db.session.add(Post(thread_id=thread.id, author_id=author.id, created_at=at,
                                body_markdown=LONG_POST, body_html=render_post(LONG_POST)))
        db.session.commit()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    with app.app_context():
        db.engine.dispose()


def new_page(browser, tmp_path, width):  # noqa: F811
    context = browser.new_context(viewport={"width": width, "height": 900}, bypass_csp=True,
                                  locale="id-ID", is_mobile=width < 600)
    return context, Checked(context.new_page(), tmp_path)


def fits(page, width):
    scroll = page.page.evaluate("document.documentElement.scrollWidth")
    assert scroll <= width, f"{page.page.url} is {scroll}px wide at {width}px"


def visit(page, url, width):
    page.goto(url)
    fits(page, width)


@pytest.mark.parametrize("width", [1280, 360])
def test_a_participant_uses_the_forums(live_app, browser, tmp_path, width):  # noqa: F811
    base = f"{live_app}/cohorts/{RUNNING}/forums"
    context, page = new_page(browser, tmp_path, width)
    sign_in(page, live_app)
    visit(page, base, width)
    page.page.locator(".forum-list a").first.click()
    page.axe()
    fits(page, width)
    expect(page.page.locator(".thread-item")).to_have_count(20)
    expect(page.page.locator(".pagination [aria-current=page]")).to_have_text(re.compile(r"1$"))
    forum_url = page.page.url
    visit(page, forum_url + "?page=2", width)
    visit(page, forum_url.split("?")[0] + "/new", width)
    page.page.locator("form.post-form button[type=submit]").click()  # empty: refused
    expect(page.page.locator("p.error")).to_have_count(2)
    page.axe()
    fits(page, width)
    page.page.locator("#title").fill("Cara memakai OPAC baru")
    page.page.locator("#body").fill("Apakah ada **panduan**? <script>alert(1)</script>")
    page.page.locator("form.post-form button[type=submit]").click()
    expect(page.page.locator("h1")).to_have_text("Cara memakai OPAC baru")
    page.axe()
    fits(page, width)
    page.page.locator("#body").fill("Saya tambahkan: " + LONG_POST)
    page.page.locator("form.post-form button[type=submit]").click()
    expect(page.page.locator("article.post")).to_have_count(2)
    page.axe()
    fits(page, width)
    page.page.locator(".post-actions a").first.click()  # edit the first post
    page.axe()
    fits(page, width)
    visit(page, f"{base}/search?q=OPAC", width)
    expect(page.page.locator(".search-results li").first).to_be_visible()
    visit(page, f"{base}/search?q=x", width)
    visit(page, f"{base}/search?q=tidak-ada-apa-apa", width)
    context.close()


@pytest.mark.parametrize("width", [1280, 360])
def test_an_instructor_moderates(live_app, browser, tmp_path, width):  # noqa: F811
    context, page = new_page(browser, tmp_path, width)
    sign_in(page, live_app, "koordinator@example.org", "demo-koordinator-2026")
    visit(page, f"{live_app}/cohorts/{RUNNING}/forums", width)
    page.page.locator(".forum-list a").first.click()
    page.page.locator(".thread-item a").first.click()
    page.axe()
    fits(page, width)
    page.page.locator(".moderation form").nth(1).locator("button").click()  # lock
    expect(page.page.locator(".reply .notice")).to_be_visible()
    page.axe()
    page.page.locator(".moderation form").nth(2).locator("button").click()  # hide
    expect(page.page.locator(".thread-state .badge-hidden")).to_be_visible()
    page.page.locator(".post-actions button").first.click()  # hide the post too
    expect(page.page.locator("article.post.is-hidden")).to_have_count(1)
    page.axe()
    fits(page, width)
    context.close()
