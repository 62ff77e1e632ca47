"""Taking a quiz in a real browser: answers saved as you go, submitted, scored."""

from playwright.sync_api import expect

from tests.browser.test_journey import sign_in


def test_take_a_quiz_and_see_the_score(live_app, page):
    sign_in(page, live_app)
    page.goto(f"{live_app}/courses/contoh")
    page.page.get_by_role("link", name="Kuis Contoh").click()
    page.axe()
    page.page.get_by_role("button", name="Mulai kuis").click()
    expect(page.page.get_by_role("heading", name="Soal 1")).to_be_visible()
    page.axe()

    page.page.get_by_label("Bandung").check()
    expect(page.page.locator("#question-1 .save-state")).to_contain_text("Tersimpan")
    page.page.reload()  # the answer survives a reload
    expect(page.page.get_by_label("Bandung")).to_be_checked()

    page.page.get_by_label("Instagram").check()
    page.page.get_by_label("Website").check()
    page.page.locator("#question-3").get_by_label("Benar").check()
    page.page.locator("#q4").fill("JP")
    page.page.locator("#q5").fill("45")
    page.page.locator("#q6").fill("Membawa perpustakaan keliling ke Car Free Day.")
    expect(page.page.locator("#question-6 .save-state")).to_contain_text("Tersimpan",
                                                                        timeout=10_000)
    page.page.get_by_role("button", name="Periksa dan kirim").click()
    expect(page.page.get_by_text("Semua soal sudah dijawab.")).to_be_visible()
    page.axe()
    page.page.get_by_role("button", name="Kirim dan selesai").click()
    expect(page.page.get_by_text("Percobaan Anda telah dikirim.")).to_be_visible()
    expect(page.page.locator("#attempt-score")).to_contain_text("menunggu pengajar")
    page.axe()
    page.page.get_by_role("link", name="Kembali ke kuis").click()
    expect(page.page.get_by_role("cell", name="menunggu pengajar")).to_be_visible()
    page.axe()


def test_instructor_grades_the_essay(live_app, page, browser, tmp_path):
    from tests.browser.conftest import Checked

    test_take_a_quiz_and_see_the_score(live_app, page)
    context = browser.new_context(locale="id-ID", bypass_csp=True)
    staff = Checked(context.new_page(), tmp_path)
    sign_in(staff, live_app, "pengajar@example.org", "demo-pengajar-2026")
    staff.goto(f"{live_app}/courses/contoh/quizzes/kuis-contoh/results")
    staff.page.get_by_role("link", name="Esai yang perlu dinilai: 1").click()
    staff.axe()
    staff.page.get_by_label("Nilai (0 sampai 2)").fill("2")
    staff.page.get_by_label("Komentar untuk peserta").fill("Rencana yang jelas.")
    staff.page.get_by_role("button", name="Simpan nilai").click()
    expect(staff.page.get_by_text("Nilai disimpan.")).to_be_visible()
    staff.goto(f"{live_app}/courses/contoh/quizzes/kuis-contoh/results")
    row = staff.page.get_by_role("row").filter(has_text="Sari Wulandari")
    expect(row).to_contain_text("100")
    expect(row).to_contain_text("lulus")
    context.close()
    page.page.reload()
    expect(page.page.locator("#quiz-grade")).to_contain_text("Nilai Anda: 100")
