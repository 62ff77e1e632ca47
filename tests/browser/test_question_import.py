"""The question-bank import page in a real browser: upload, preview, problems, download;
axe-core on each state of the page."""

from pathlib import Path

from playwright.sync_api import expect

from tests.browser.test_journey import sign_in

MOODLE = Path(__file__).parents[1] / "data" / "moodle"


def test_upload_preview_and_download_a_moodle_bank(live_app, page, tmp_path):
    sign_in(page, live_app, "koordinator@example.org", "demo-koordinator-2026")
    page.goto(f"{live_app}/courses/contoh")
    page.page.get_by_role("link", name="Impor soal dari Moodle (GIFT, Aiken)").click()
    page.axe()

    page.page.get_by_label("Berkas bank soal").set_input_files(
        str(MOODLE / "gift" / "questions.gift.txt"))
    page.page.get_by_label("Judul kuis").fill("Bank dari Moodle")
    page.page.get_by_role("button", name="Pratinjau").click()
    expect(page.page.get_by_role("heading", name="9 soal, siap di-commit")).to_be_visible()
    expect(page.page.locator("section.question")).to_have_count(9)
    page.axe()

    with page.page.expect_download() as download:
        page.page.get_by_role("button", name="Unduh questions.yml").click()
    saved = tmp_path / "bank.yml"
    download.value.save_as(saved)
    assert "id: contoh-questions\n" in saved.read_text(encoding="utf-8")

    broken = tmp_path / "rusak.gift"
    broken.write_text("Soal satu {T}\n\nSoal dua {=a ~b\n", encoding="utf-8")
    page.page.get_by_label("Berkas bank soal").set_input_files(str(broken))
    page.page.get_by_role("button", name="Pratinjau").click()
    expect(page.page.get_by_text("rusak.gift:3: '{' is not closed")).to_be_visible()
    page.axe()
