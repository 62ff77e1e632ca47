"""The coordinator's fixed steps in a real browser, axe-core on every page: editing a
cohort saves, a withdrawal asks first (no script needed), a revoked certificate is
marked and gets no badge.

Uses the browser harness of tests/browser (a live server with the demo data).
"""

import shutil

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import AXE, CHROMIUM, Checked, browser, live_app, page  # noqa: F401
from tests.browser.test_journey import sign_in

RUNNING = "diklat-ppbd-demo-berjalan"
FINISHED = "diklat-ppbd-demo-selesai"
pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not (shutil.which(CHROMIUM) and AXE.exists()),
                       reason="needs Debian's chromium and axe-core (npm ci)"),
]


def test_edit_a_cohort_and_withdraw_with_confirmation(live_app, page):  # noqa: F811
    sign_in(page, live_app, "koordinator@example.org", "demo-koordinator-2026")
    expect(page.page).to_have_url(f"{live_app}/manage/cohorts")  # the coordinator's landing
    page.goto(f"{live_app}/manage/cohorts/{RUNNING}/edit")
    page.axe()
    page.page.locator("#capacity").fill("35")
    page.page.locator("#description").fill("Kelas daring, sesi setiap Kamis.")
    page.page.locator("form button[type=submit]", has_text="Simpan").click()
    expect(page.page).to_have_url(f"{live_app}/manage/cohorts/{RUNNING}")
    expect(page.page.get_by_text("35 tempat", exact=False).first).to_be_visible()
    page.page.get_by_role("link", name="Keluarkan Sari Wulandari, S.IP.").click()
    expect(page.page.get_by_role("heading", level=1)).to_contain_text("Keluarkan")
    page.axe()
    page.page.get_by_role("link", name="Tidak, kembali").click()
    expect(page.page).to_have_url(f"{live_app}/manage/cohorts/{RUNNING}")
    expect(page.page.get_by_role("link", name="Keluarkan Sari Wulandari, S.IP.")).to_be_visible()


def test_a_revoked_certificate_as_its_holder_sees_it(live_app, page):  # noqa: F811
    sign_in(page, live_app, "koordinator@example.org", "demo-koordinator-2026")
    page.goto(f"{live_app}/manage/cohorts/{FINISHED}/certificates")
    page.page.locator("input[name=reason]").first.fill("Data kehadiran keliru")
    page.page.get_by_role("button", name="Cabut").first.click()
    expect(page.page.locator(".flash-success")).to_be_visible()
    page.axe()
    page.page.get_by_role("button", name="Keluar").click()

    sign_in(page, live_app, "lulusan1@example.org", "demo-lulusan-2026")
    page.goto(f"{live_app}/certificates")
    expect(page.page.get_by_text("Data kehadiran keliru").first).to_be_visible()
    page.axe()
    response = page.page.request.get(
        page.page.get_by_role("link", name="bertanda tidak berlaku lagi").get_attribute("href")
        .replace("/certificates/", f"{live_app}/certificates/", 1)
        .replace(".pdf", "/badge.json"))
    assert response.status == 410
