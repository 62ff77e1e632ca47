"""A participant's first session, in a real browser, with axe-core on every page."""

import re

from playwright.sync_api import expect


def sign_in(page, base, email="peserta@example.org", password="demo-peserta-2026"):
    page.goto(f"{base}/auth/login")
    page.page.get_by_label("Email").fill(email)
    page.page.get_by_label("Kata sandi").fill(password)
    page.page.get_by_role("button", name="Masuk").click()


def test_sign_in_study_a_module_and_see_progress(live_app, page):
    base = live_app
    for url in ("/", "/courses", "/auth/register"):
        page.goto(base + url)
    sign_in(page, base)
    expect(page.page).to_have_url(f"{base}/learning")
    page.axe()
    expect(page.page.get_by_text("0 dari 3 modul selesai (0%)")).to_be_visible()

    page.page.get_by_role("link", name="Pengantar Contoh").click()
    page.axe()
    progress = page.page.locator("progress")
    expect(progress).to_have_attribute("value", "0")

    page.page.get_by_role("link", name="Modul 1").click()
    page.axe()
    expect(page.page.get_by_role("heading", level=1, name="Modul 1")).to_be_visible()
    expect(page.page.get_by_role("img", name="Diagram contoh")).to_be_visible()

    # Keyboard only: focus the button and press Enter.
    button = page.page.get_by_role("button", name="Tandai selesai", exact=True)
    button.focus()
    page.page.keyboard.press("Enter")
    expect(page.page.get_by_text("Modul ditandai selesai.")).to_be_visible()
    page.axe()

    page.page.get_by_role("link", name="Pengantar Contoh").click()
    expect(page.page.locator("progress")).to_have_attribute("value", "1")
    expect(page.page.get_by_text("1 dari 3 modul selesai (33%)")).to_be_visible()

    # Progress survives signing out and in again.
    page.page.get_by_role("button", name="Keluar").click()
    sign_in(page, base)
    expect(page.page.get_by_text("1 dari 3 modul selesai (33%)")).to_be_visible()
    page.goto(f"{base}/auth/password")


def test_phone_width_and_english(live_app, browser, tmp_path):
    from tests.browser.conftest import Checked

    context = browser.new_context(locale="id-ID", viewport={"width": 360, "height": 740},
                                  bypass_csp=True,
                                  is_mobile=True, has_touch=True)
    page = Checked(context.new_page(), tmp_path)
    sign_in(page, live_app)
    page.goto(f"{live_app}/courses/contoh/modules/contoh-m2")
    width = page.page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"page is {width}px wide at 360px"
    page.page.get_by_role("button", name="Menu").click()  # the phone header folds the menu
    page.page.get_by_label("Bahasa").select_option("en")
    page.page.get_by_role("button", name="Ganti").click()
    expect(page.page.get_by_role("button", name="Mark as done", exact=True)).to_be_visible()
    assert re.search(r"/courses/contoh/modules/contoh-m2$", page.page.url)
    page.axe()
    page.page.screenshot(path=str(tmp_path / "phone.png"), full_page=False)
    context.close()


def test_instructor_preview_and_skip_link(live_app, page):
    sign_in(page, live_app, "pengajar@example.org", "demo-pengajar-2026")
    page.goto(f"{live_app}/courses/contoh/preview")
    expect(page.page.get_by_text("Tidak ada masalah")).to_be_visible()
    page.goto(f"{live_app}/courses/contoh/preview/modules/contoh-m1")
    page.page.keyboard.press("Tab")
    expect(page.page.get_by_role("link", name="Langsung ke isi utama")).to_be_focused()
