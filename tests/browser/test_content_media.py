"""A module with a video and glossary terms, the course's downloads and its glossary page,
in a real browser: checked with axe-core, then loaded again under the site's real
Content-Security-Policy (axe itself needs the policy bypassed).

The video player is answered by a stub page (the test machine has no internet): what is
tested is that the policy lets the allowed player's frame load, and blocks no other."""

from playwright.sync_api import expect

from tests.browser.conftest import Checked, demo_app, serving
from tests.browser.test_journey import sign_in
from tests.content.test_media import add_media

PLAYER = "<!doctype html><html lang='id'><title>Pemutar</title><p>Video</p></html>"
TITLE = "iframe[title='Membuat kalender konten']"


def open_context(browser, bypass_csp: bool):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="id-ID",
                                  bypass_csp=bypass_csp)
    loaded: list[str] = []

    def player(route):
        loaded.append(route.request.url)
        route.fulfill(status=200, content_type="text/html", body=PLAYER)

    context.route("https://www.youtube-nocookie.com/**", player)
    errors: list[str] = []
    raw = context.new_page()
    raw.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    return context, raw, loaded, errors


def test_video_downloads_and_glossary(browser, tmp_path):
    with demo_app(tmp_path, add_content=lambda content: add_media(content / "contoh")) as app, \
            serving(app) as base:
        context, raw, _loaded, errors = open_context(browser, bypass_csp=True)
        page = Checked(raw, tmp_path)
        sign_in(page, base)
        page.goto(f"{base}/courses/contoh")
        expect(raw.get_by_role("heading", name="Unduhan")).to_be_visible()
        expect(raw.get_by_role("link", name="kalender-konten.pdf")).to_be_visible()
        page.goto(f"{base}/courses/contoh/modules/contoh-m1")
        expect(raw.locator(TITLE)).to_have_attribute("loading", "lazy")
        raw.get_by_role("link", name="kalender konten", exact=True).first.click()
        expect(raw.get_by_role("heading", level=1)).to_contain_text("Glosarium")
        page.axe()
        expect(raw.locator("#istilah-kalender-konten")).to_have_text("Kalender konten")
        context.close()
        assert errors == []

        context, raw, loaded, errors = open_context(browser, bypass_csp=False)
        raw.goto(f"{base}/auth/login")  # without axe, which the real policy would block
        raw.get_by_label("Email").fill("peserta@example.org")
        raw.get_by_label("Kata sandi").fill("demo-peserta-2026")
        raw.get_by_role("button", name="Masuk").click()
        raw.goto(f"{base}/courses/contoh/modules/contoh-m1")
        raw.locator(TITLE).scroll_into_view_if_needed()
        expect(raw.frame_locator(TITLE).get_by_text("Video")).to_be_visible()
        assert loaded, "the allowed player was not loaded"
        context.close()
        assert errors == []  # nothing on the page was refused by the policy
