"""An assignment in a real browser: the participant hands in, the instructor grades."""

from playwright.sync_api import expect

from tests.browser.test_journey import sign_in

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_submit_an_assignment_and_see_it_graded(live_app, page, browser, tmp_path):
    from tests.browser.conftest import Checked

    sign_in(page, live_app)
    page.goto(f"{live_app}/courses/contoh")
    page.page.get_by_role("link", name="Rencana Tindak Lanjut").click()
    page.axe()
    page.page.get_by_label("Teks").fill("Kami akan membawa perpustakaan keliling ke sekolah.")
    document = tmp_path / "rencana.pdf"
    document.write_bytes(PDF)
    page.page.get_by_label("Berkas").set_input_files(str(document))
    page.page.get_by_role("button", name="Kirim", exact=True).click()
    expect(page.page.get_by_text("Diterima: kiriman 1.")).to_be_visible()
    expect(page.page.get_by_role("link", name="rencana.pdf")).to_be_visible()
    page.axe()

    context = browser.new_context(locale="id-ID", bypass_csp=True)
    staff = Checked(context.new_page(), tmp_path)
    sign_in(staff, live_app, "pengajar@example.org", "demo-pengajar-2026")
    staff.goto(f"{live_app}/manage/cohorts/diklat-ppbd-demo-berjalan/assignments")
    staff.page.get_by_role("link", name="Rencana Tindak Lanjut").click()
    staff.axe()
    staff.page.get_by_role("link", name="Nilai tugas Sari Wulandari, S.IP.").click()
    staff.axe()
    staff.page.get_by_label("Sangat baik (100)").check()
    staff.page.get_by_label("Komentar untuk peserta").fill("Rencana yang jelas dan terukur.")
    staff.page.get_by_role("button", name="Simpan nilai").click()
    expect(staff.page.get_by_text("Disimpan.")).to_be_visible()
    context.close()

    page.page.reload()
    expect(page.page.get_by_text("Nilai: 100 dari 100")).to_be_visible()
    expect(page.page.get_by_text("Rencana yang jelas dan terukur.")).to_be_visible()
    page.axe()
