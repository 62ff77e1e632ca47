"""Certificates in a real browser: the coordinator's page, the ZIP, public verification."""

import re
import zipfile
from datetime import date, timedelta

from playwright.sync_api import expect

from tests.browser.test_journey import sign_in

FINISHED = "diklat-ppbd-demo-selesai"


def test_coordinator_zip_and_public_verification(live_app, page, browser, tmp_path):
    from tests.browser.conftest import Checked

    sign_in(page, live_app, "koordinator@example.org", "demo-koordinator-2026")
    page.goto(f"{live_app}/manage/cohorts/{FINISHED}/certificates")
    # The demo program has no certificate section: the default number format applies.
    # The demo issued them 55 days ago (lms/demo.py), so that is the year in the number.
    number = f"001/PROGRAM-DEMO/I/{(date.today() - timedelta(days=55)).year}"
    expect(page.page.get_by_role("link", name=number, exact=True)).to_be_visible()
    page.page.get_by_role("link", name=re.compile("Unduh semua sebagai ZIP")).click()
    # A job builds it; its page follows the progress (aria-live) and then offers the file.
    expect(page.page.get_by_role("link", name="Unduh", exact=True)).to_be_visible(
        timeout=60_000)
    page.axe()
    with page.page.expect_download() as download:
        page.page.get_by_role("link", name="Unduh", exact=True).click()
    path = tmp_path / "certificates.zip"
    download.value.save_as(path)
    assert len(zipfile.ZipFile(path).namelist()) == 2

    page.goto(f"{live_app}/manage/cohorts/{FINISHED}/certificates")
    verify = page.page.get_by_role("link", name=f"halaman verifikasi {number}")
    address = verify.get_attribute("href")
    context = browser.new_context(locale="id-ID", bypass_csp=True)
    public = Checked(context.new_page(), tmp_path)
    public.goto(live_app + address)
    expect(public.page.locator("#verify-status")).to_contain_text("Berlaku")
    expect(public.page.get_by_text("Budi Santoso, S.Sos.")).to_be_visible()
    context.close()


def test_participant_sees_what_is_missing(live_app, page):
    sign_in(page, live_app)
    page.goto(f"{live_app}/certificates")
    expect(page.page.get_by_role("heading", name="Yang masih diperlukan untuk sertifikat")
           ).to_be_visible()
