"""Two-step verification in a real browser: the participant turns it on from the profile
(QR code shown), signs out, signs in with the password and then a recovery code, and an
admin resets it from the person page; axe-core on every page passed."""

import re

import pyotp
from playwright.sync_api import expect

from tests.browser.test_journey import sign_in
from tests.browser.test_people import menu


def test_turn_on_use_and_reset_two_step_verification(live_app, browser, page, tmp_path):
    from tests.browser.conftest import Checked

    base = live_app
    sign_in(page, base)
    menu(page).get_by_role("link", name="Profil saya").click()
    page.axe()
    page.page.get_by_role("link", name="Atur verifikasi dua langkah").click()
    page.axe()
    page.page.get_by_role("button", name="Mulai").click()
    expect(page.page.locator(".qr-code svg")).to_be_visible()
    page.axe()
    secret = page.page.locator("#totp-secret").inner_text()
    page.page.get_by_label("Kode").fill(pyotp.TOTP(secret).now())
    page.page.get_by_label("Kata sandi Anda").fill("demo-peserta-2026")
    page.page.get_by_role("button", name="Aktifkan verifikasi dua langkah").click()
    codes = page.page.locator("#recovery-codes code").all_inner_texts()
    assert len(codes) == 10
    page.axe()
    page.page.get_by_role("link", name="Sudah saya simpan").click()
    expect(page.page.get_by_text(re.compile("Tersisa 10 kode pemulihan"))).to_be_visible()
    page.page.get_by_role("button", name="Keluar").click()

    sign_in(page, base)
    expect(page.page.get_by_role("heading", name="Verifikasi dua langkah")).to_be_visible()
    page.axe()
    page.page.get_by_label("Kode").fill(codes[0])
    page.page.get_by_role("button", name="Verifikasi").click()
    expect(page.page.get_by_text(re.compile("Anda memakai kode pemulihan; tersisa 9"))
           ).to_be_visible()
    page.axe()

    context = browser.new_context(bypass_csp=True, locale="id-ID")
    admin = Checked(context.new_page(), tmp_path)
    sign_in(admin, base, "admin@example.org", "demo-admin-2026")
    menu(admin).get_by_role("link", name="Pengguna", exact=True).click()
    admin.page.get_by_label("Nama, email, instansi, atau NIP").fill("peserta@example.org")
    admin.page.get_by_role("button", name="Cari").click()
    admin.page.get_by_role("link", name="Sari Wulandari, S.IP.").click()
    admin.axe()
    admin.page.get_by_role("button", name="Setel ulang verifikasi dua langkah").click()
    expect(admin.page.get_by_text(re.compile("sudah disetel ulang"))).to_be_visible()
    admin.axe()
    context.close()
