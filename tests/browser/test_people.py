"""People and profile in a real browser, clicking links: a coordinator sends a graduate a
password link, the graduate asks for a name correction from the profile, the coordinator
approves it from the header entry and reissues; axe-core on every page passed."""

import email
import email.policy
import re
from pathlib import Path

from playwright.sync_api import expect

from tests.browser.test_journey import sign_in


def menu(page):
    return page.page.get_by_role("navigation", name="Menu utama")


def _reset_link(outbox: Path, address: str) -> str:
    for path in sorted(outbox.glob("*.eml"), reverse=True):
        message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        if message["To"] == address and "/auth/reset/" in message.get_content():
            return re.search(r"https?://\S+/auth/reset/\S+", message.get_content()).group(0)
    raise AssertionError(f"no reset link for {address}")


def test_name_correction_from_request_to_reissue(live_app, browser, page, tmp_path):
    from tests.browser.conftest import Checked

    base = live_app
    sign_in(page, base, "koordinator@example.org", "demo-koordinator-2026")
    menu(page).get_by_role("link", name="Pengguna", exact=True).click()
    page.axe()
    page.page.get_by_label("Nama, email, instansi, atau NIP").fill("lulusan1")
    page.page.get_by_role("button", name="Cari").click()
    page.page.get_by_role("link", name="Budi Santoso, S.Sos.").click()
    page.axe()
    page.page.get_by_role("button", name="Kirim tautan untuk memilih kata sandi baru").click()
    expect(page.page.get_by_text("Tautan untuk memilih kata sandi baru telah dikirim")
           ).to_be_visible()

    context = browser.new_context(bypass_csp=True, locale="id-ID")
    graduate = Checked(context.new_page(), tmp_path)
    link = _reset_link(tmp_path / "instance" / "outbox", "lulusan1@example.org")
    graduate.goto(link)
    graduate.page.get_by_label("Kata sandi baru", exact=False).first.fill("sandi-lulusan-2026")
    graduate.page.get_by_label("Ulangi kata sandi baru").fill("sandi-lulusan-2026")
    graduate.page.locator("main button[type=submit]").click()
    sign_in(graduate, base, "lulusan1@example.org", "sandi-lulusan-2026")
    menu(graduate).get_by_role("link", name="Profil saya").click()
    graduate.axe()
    graduate.page.get_by_label("Nama seperti yang seharusnya tercetak").fill(
        "Budi Santoso Wibowo, S.Sos.")
    graduate.page.get_by_role("button", name="Kirim permohonan").click()
    expect(graduate.page.get_by_text("Permohonan Anda telah dikirim")).to_be_visible()
    graduate.axe()
    context.close()

    menu(page).get_by_role("link", name="Pengguna", exact=True).click()
    menu(page).get_by_role("link", name="Koreksi nama 1").click()
    page.axe()
    page.page.get_by_role("button", name="Setujui dan ubah nama").click()
    expect(page.page.get_by_text("Nama sekarang Budi Santoso Wibowo, S.Sos.")).to_be_visible()
    page.axe()
    page.page.get_by_role("button", name=re.compile("Terbitkan ulang")).click()
    expect(page.page.get_by_text(re.compile("telah diterbitkan ulang sebagai"))).to_be_visible()
    expect(page.page.get_by_role("cell", name="diganti dengan sertifikat yang sudah dikoreksi")
           ).to_be_visible()
    page.axe()


def test_admin_edits_a_person_and_changes_a_role(live_app, page):
    sign_in(page, live_app, "admin@example.org", "demo-admin-2026")
    menu(page).get_by_role("link", name="Pengguna", exact=True).click()
    page.page.get_by_label("Peran").select_option("instructor")
    page.page.get_by_role("button", name="Cari").click()
    page.page.get_by_role("link", name="Instruktur Demo").click()
    page.page.get_by_label("Gelar akademik").fill("M.Hum.")
    page.page.get_by_role("button", name="Simpan", exact=True).click()
    expect(page.page.get_by_role("heading", level=1, name="Instruktur Demo, M.Hum.")
           ).to_be_visible()
    page.page.get_by_label("Peran", exact=True).select_option("coordinator")
    page.page.get_by_role("button", name="Ubah peran").click()
    expect(page.page.get_by_text("sekarang berperan sebagai Koordinator")).to_be_visible()
    page.axe()
    menu(page).get_by_role("link", name="Profil saya").click()
    page.axe()
