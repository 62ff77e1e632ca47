"""A participant's phone (360 px, touch): the folded header menu, the countdown that stays in
view during a timed attempt, tables that scroll in their own focusable box, and the grid's
column names without hover. LMS_SCREENSHOTS=1 refreshes the README's phone screenshots."""

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import Checked, demo_app, serving
from tests.browser.test_journey import sign_in
from tests.quizzes.conftest import write_quiz

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
PHONE = {"width": 360, "height": 740}


def _timed(content):
    write_quiz(content, limit=20, attempts=2)


@pytest.fixture
def timed_app(tmp_path):
    with demo_app(tmp_path, _timed) as app, serving(app) as base:
        yield base


@pytest.fixture
def phone(browser, tmp_path):
    context = browser.new_context(viewport=PHONE, bypass_csp=True, is_mobile=True,
                                  has_touch=True, locale="id-ID")
    yield Checked(context.new_page(), tmp_path)
    context.close()


def shoot(page, name):
    if os.environ.get("LMS_SCREENSHOTS"):
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.page.screenshot(path=str(SCREENSHOTS / name), full_page=False)


def test_the_phone_header_is_one_row_and_its_menu_works_by_keyboard(timed_app, phone):
    sign_in(phone, timed_app)
    phone.goto(f"{timed_app}/learning")
    header = phone.page.locator(".site-header").bounding_box()
    assert header["height"] < 80, header  # was 184 px: a quarter of the screen
    menu = phone.page.get_by_role("button", name="Menu")
    expect(menu).to_have_attribute("aria-expanded", "false")
    expect(phone.page.get_by_role("link", name="Sertifikat")).to_be_hidden()
    menu.focus()
    phone.page.keyboard.press("Enter")
    expect(menu).to_have_attribute("aria-expanded", "true")
    expect(phone.page.get_by_role("link", name="Sertifikat")).to_be_visible()
    phone.axe()
    shoot(phone, "phone-menu.png")
    phone.page.keyboard.press("Tab")
    phone.page.keyboard.press("Escape")
    expect(menu).to_have_attribute("aria-expanded", "false")
    expect(menu).to_be_focused()
    shoot(phone, "phone-dashboard.png")
    phone.goto(f"{timed_app}/courses/contoh")
    shoot(phone, "phone-course.png")
    phone.goto(f"{timed_app}/courses/contoh/modules/contoh-m1")
    shoot(phone, "phone-module.png")


def test_the_countdown_stays_in_view_and_focus_is_never_hidden(timed_app, phone):
    sign_in(phone, timed_app)
    phone.goto(f"{timed_app}/courses/contoh/quizzes/kuis-contoh")
    with phone.page.expect_navigation():
        phone.page.get_by_role("button", name="Mulai kuis").click()
    countdown = phone.page.locator("#countdown")
    expect(countdown).to_contain_text("Sisa waktu")
    phone.axe()
    shoot(phone, "phone-quiz-attempt.png")
    bar = phone.page.locator(".sticky-actions")
    for field in ("#q4", "#q5", "#q6"):
        phone.page.locator(field).focus()
        box, covered = (phone.page.locator(field).bounding_box(), bar.bounding_box())
        assert box["y"] + box["height"] <= covered["y"], f"{field} is under the sticky bar"
        expect(countdown).to_be_in_viewport()
    phone.page.locator("#q5").fill("4.000")
    expect(phone.page.locator("#q5-reading")).to_have_text("Dibaca sebagai 4000.")
    phone.page.mouse.wheel(0, 5000)
    expect(countdown).to_be_in_viewport()
    phone.page.get_by_role("button", name="Periksa dan kirim").click()
    expect(phone.page.get_by_text("Periksa cara angka Anda dibaca")).to_be_visible()
    phone.axe()


def test_wide_tables_scroll_in_a_focusable_box_and_the_grid_names_its_columns(timed_app,
                                                                              phone):
    sign_in(phone, timed_app, "koordinator@example.org", "demo-koordinator-2026")
    phone.goto(f"{timed_app}/manage/cohorts/diklat-ppbd-demo-berjalan/grid")
    legend = phone.page.locator(".grid-legend")
    legend.locator("summary").click()
    expect(legend.locator("dt").first).to_be_visible()
    expect(legend.locator("dd").first).to_contain_text("Pengantar Contoh")
    region = phone.page.get_by_role("region", name="Tabel kemajuan")
    region.focus()
    expect(region).to_be_focused()
    phone.page.keyboard.press("ArrowRight")
    phone.axe()
    shoot(phone, "phone-progress-grid.png")
    phone.goto(f"{timed_app}/manage/cohorts/diklat-ppbd-demo-berjalan")
    shoot(phone, "phone-cohort.png")
    hint = phone.page.locator(".scroll-hint").first
    if phone.page.locator(".scroll-hint:visible").count():
        expect(hint).to_contain_text("Geser ke samping")
