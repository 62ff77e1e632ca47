"""Cohorts in a real browser: a participant applies, a coordinator selects; axe everywhere."""

from playwright.sync_api import expect

from tests.browser.test_journey import sign_in

OPEN = "diklat-ppbd-demo-terbuka"
RUNNING = "diklat-ppbd-demo-berjalan"


def test_apply_and_be_accepted(live_app, page, browser, tmp_path):
    from tests.browser.conftest import Checked

    sign_in(page, live_app)
    page.goto(f"{live_app}/cohorts")
    page.page.get_by_role("link", name="Ajukan lamaran ke Angkatan III").click()
    page.axe()
    page.page.get_by_label("Motivasi").fill(
        "Saya ingin merancang promosi digital untuk perpustakaan kabupaten kami.")
    page.page.get_by_role("button", name="Kirim lamaran").click()
    expect(page.page.get_by_text("Lamaran Anda telah dikirim.")).to_be_visible()
    page.axe()

    context = browser.new_context(locale="id-ID", bypass_csp=True)
    staff = Checked(context.new_page(), tmp_path)
    sign_in(staff, live_app, "koordinator@example.org", "demo-koordinator-2026")
    staff.goto(f"{live_app}/manage/cohorts")
    staff.page.get_by_role("link", name="Angkatan III (demo, pendaftaran dibuka)").click()
    staff.axe()
    staff.page.get_by_label("Pilih Sari Wulandari, S.IP.").check()
    staff.page.get_by_label("Keputusan untuk orang yang dipilih").select_option("accept")
    staff.page.get_by_role("button", name="Terapkan pada yang dipilih").click()
    expect(staff.page.get_by_text("1 diubah, 0 tetap.")).to_be_visible()
    expect(staff.page.get_by_text("1 dari 40 tempat terisi")).to_be_visible()
    for path in ("grid", "import", "instructors", "announcements", "edit"):
        staff.goto(f"{live_app}/manage/cohorts/{OPEN}/{path}")
    staff.goto(f"{live_app}/manage/cohorts/{RUNNING}/grid")
    expect(staff.page.get_by_role("row").filter(has_text="Sari Wulandari")).to_be_visible()
    staff.goto(f"{live_app}/manage/programs")
    staff.goto(f"{live_app}/manage/programs/program-demo")
    staff.goto(f"{live_app}/manage/cohorts/new")
    context.close()

    page.page.reload()
    expect(page.page.get_by_text("diterima").first).to_be_visible()


def test_participant_sees_announcement_and_admin_the_audit_log(live_app, page):
    sign_in(page, live_app)
    expect(page.page.get_by_role("heading", name="Selamat datang di Angkatan II")).to_be_visible()
    page.axe()
    page.page.get_by_role("button", name="Keluar").click()
    sign_in(page, live_app, "admin@example.org", "demo-admin-2026")
    page.goto(f"{live_app}/manage/audit")
    expect(page.page.get_by_role("cell", name="Angkatan dibuat").first).to_be_visible()


def test_instructor_sees_their_cohort_on_a_phone(live_app, browser, tmp_path):
    from tests.browser.conftest import Checked

    context = browser.new_context(locale="id-ID", viewport={"width": 360, "height": 740},
                                  bypass_csp=True,
                                  is_mobile=True)
    phone = Checked(context.new_page(), tmp_path)
    sign_in(phone, live_app, "pengajar@example.org", "demo-pengajar-2026")
    phone.goto(f"{live_app}/manage/teaching")
    phone.page.get_by_role("link", name="Angkatan II (demo, sedang berjalan)", exact=True).click()
    phone.axe()
    width = phone.page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"page is {width}px wide at 360px"
    context.close()
