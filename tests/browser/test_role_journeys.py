"""Each role's main job in a real browser, walked the way a person does: after the first
page, only links and buttons are clicked, and axe-core checks every page passed.

A coordinator runs a cohort from creation to a revoked certificate, a participant applies,
studies, takes the pre-test and post-test, evaluates and (as a graduate) downloads the
certificate, and an instructor grades an essay and an assignment.
"""

import os
import re
import shutil
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest
from playwright.sync_api import expect

from tests.browser.test_journey import sign_in

OPEN = "diklat-ppbd-demo-terbuka"
RUNNING = "diklat-ppbd-demo-berjalan"
FINISHED = "diklat-ppbd-demo-selesai"
SURVEY = Path(__file__).resolve().parents[2] / "course_content" / "_surveys" / "evaluasi-diklat.yml"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
TEST = """\
id: {id}
title: {title}
kind: {kind}
attempts: 1
pass_mark: 50
shuffle_questions: false
shuffle_choices: false
questions:
  - id: {id}-kota
    type: single
    text: Ibu kota provinsi Jawa Barat?
    choices:
      - text: Bandung
        correct: true
      - text: Bogor
  - id: {id}-uu
    type: truefalse
    text: UU 43/2007 mengatur perpustakaan.
    answer: true
"""


@pytest.fixture
def live_content():
    """The browser tests' course plus a pre-test, a post-test and the standard evaluation."""

    def add(content: Path) -> None:
        folder = content / "contoh" / "quizzes"
        for name, title, kind in (("pre", "Pre-test Contoh", "pretest"),
                                  ("post", "Post-test Contoh", "posttest")):
            (folder / f"{name}.yml").write_text(TEST.format(id=f"{name}-contoh", title=title,
                                                            kind=kind))
        (content / "_surveys").mkdir()
        shutil.copy(SURVEY, content / "_surveys")

    return add


def menu(page):
    return page.page.get_by_role("navigation", name="Menu utama")


def click(page, role, name, **options):
    """Click a link or button, then check the page it leads to with axe-core."""
    with page.page.expect_navigation():
        page.page.get_by_role(role, name=name, **options).click()
    page.axe()


def in_cohort(page, name):
    """Follow a link of the cohort's own menu (the main menu has some of the same names)."""
    with page.page.expect_navigation():
        page.page.get_by_role("navigation", name="Angkatan", exact=True).get_by_role(
            "link", name=name, exact=True).click()
    page.axe()


def shoot(page, name):
    """Refresh a README screenshot, only when asked: LMS_SCREENSHOTS=1."""
    if not os.environ.get("LMS_SCREENSHOTS"):
        return
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.page.screenshot(path=str(SCREENSHOTS / name), full_page=True)


# The coordinator --------------------------------------------------------------------------

def _applicants_and_one_uncertified(app):
    """Two applicants to the open cohort; the second graduate's certificate not yet issued."""
    from lms.auth import services as accounts
    from lms.certificates.models import Certificate
    from lms.clock import today
    from lms.cohorts import services as cohorts
    from lms.extensions import db

    with app.test_request_context():
        cohort = cohorts.get_cohort(OPEN)
        for email in ("peserta@example.org", "peserta3@example.org"):
            cohorts.apply(cohort, accounts.find_user_by_email(email), SimpleNamespace(
                motivation="Saya ingin memperkuat promosi digital perpustakaan kami.",
                statement="", institution="", position="", key=""), today())
        rina = accounts.find_user_by_email("lulusan2@example.org")
        db.session.execute(db.delete(Certificate).where(Certificate.user_id == rina.id))
        db.session.commit()


def test_coordinator_runs_a_cohort(live_app, live_flask, page, tmp_path):
    from lms.clock import today

    _applicants_and_one_uncertified(live_flask)
    sign_in(page, live_app, "koordinator@example.org", "demo-koordinator-2026")
    page.axe()

    # Create a cohort.
    click(page, "link", "Kelola", exact=True)
    click(page, "link", "Angkatan baru")
    form = page.page
    start = today() + timedelta(days=40)
    form.get_by_label("Program").select_option(label="Diklat Demo")
    form.get_by_label("Kode").fill("diklat-demo-uji-4")
    form.get_by_label("Nama").fill("Angkatan IV (uji)")
    form.get_by_label("Nomor angkatan").fill("4")
    form.get_by_label("Tahun").fill(str(start.year))
    form.get_by_label("Keterangan").fill("Angkatan untuk uji peramban.")
    form.get_by_label("Mulai").fill(start.isoformat())
    form.get_by_label("Selesai").fill((start + timedelta(days=30)).isoformat())
    form.get_by_label("Kuota").fill("30")
    form.get_by_label("Pendaftaran", exact=True).select_option("invitation")
    click(page, "button", "Simpan", exact=True)
    expect(form.get_by_text("Angkatan Angkatan IV (uji) telah dibuat.")).to_be_visible()
    expect(form.get_by_text("0 dari 30 tempat terisi")).to_be_visible()

    # Edit it: the new quota is shown, the new description kept.
    in_cohort(page, "Pengaturan")
    form.get_by_label("Kuota").fill("25")
    form.get_by_label("Keterangan").fill("Kuota dikurangi karena ruang kelas.")
    click(page, "button", "Simpan", exact=True)
    expect(form.get_by_text("Pengaturan disimpan.")).to_be_visible()
    expect(form.get_by_text("0 dari 25 tempat terisi")).to_be_visible()
    in_cohort(page, "Pengaturan")
    expect(form.get_by_label("Keterangan")).to_have_value("Kuota dikurangi karena ruang kelas.")
    expect(form.get_by_label("Kuota")).to_have_value("25")

    # Import a roster into it.
    in_cohort(page, "Impor CSV")
    roster = tmp_path / "peserta.csv"
    roster.write_text("full_name,email,institution,position,nip\n"
                      "Ahmad Fauzi,ahmad@example.org,Perpustakaan Kota Contoh,Pustakawan,\n"
                      "Lestari Putri,lestari@example.org,Perpustakaan Desa Maju,Pengelola,\n",
                      encoding="utf-8")
    form.get_by_label("Berkas CSV").set_input_files(str(roster))
    click(page, "button", "Impor", exact=True)
    expect(form.get_by_text(re.compile(r"^2 didaftarkan, 0 sudah terdaftar, 2 akun baru"))
           ).to_be_visible()
    in_cohort(page, "Pelamar dan peserta")
    expect(form.get_by_text("2 dari 25 tempat terisi")).to_be_visible()
    expect(form.get_by_text("Lestari Putri", exact=True)).to_be_visible()

    # Select applicants in the open cohort: accept one, put one on the waiting list.
    click(page, "link", "Kelola", exact=True)
    click(page, "link", "Angkatan III (demo, pendaftaran dibuka)")
    for name, decision in (("Sari Wulandari, S.IP.", "accept"), ("Dewi Anggraini", "waitlist")):
        form.get_by_label(f"Pilih {name}").check()
        form.get_by_label("Keputusan untuk orang yang dipilih").select_option(decision)
        expect(form.get_by_label("Keputusan untuk orang yang dipilih")).to_have_value(decision)
        click(page, "button", "Terapkan pada yang dipilih")
        expect(form.get_by_text("1 diubah, 0 tetap.")).to_be_visible()
    expect(form.get_by_text("1 dari 40 tempat terisi")).to_be_visible()
    expect(form.get_by_text("1 dalam daftar tunggu")).to_be_visible()

    # Watch the running cohort's progress grid.
    click(page, "link", "Kelola", exact=True)
    click(page, "link", "Angkatan II (demo, sedang berjalan)")
    in_cohort(page, "Kemajuan")
    expect(form.get_by_role("row").filter(has_text="Sari Wulandari")).to_be_visible()

    # Issue the finished cohort's certificates, revoke one, read its verification page.
    click(page, "link", "Kelola", exact=True)
    click(page, "link", "Angkatan I (demo, sudah selesai)")
    in_cohort(page, "Sertifikat")
    click(page, "button", "Terbitkan untuk semua yang sudah menyelesaikan")
    expect(form.get_by_text("1 diterbitkan, 1 sudah memiliki, 1 belum menyelesaikan.")
           ).to_be_visible()
    shoot(page, "coordinator-certificates.png")
    row = form.get_by_role("row").filter(has_text="Rina Marlina")
    number = row.get_by_role("link").first.inner_text()
    form.get_by_label(f"Alasan mencabut {number}").fill("Data kehadiran ternyata keliru.")
    row.get_by_role("button", name="Cabut").click()
    page.axe()
    expect(form.get_by_text(f"Sertifikat {number} dicabut.")).to_be_visible()
    expect(row).to_contain_text(f"{number}: dicabut")

    # What the holder's employer would read: the verification page says revoked.
    click(page, "link", f"halaman verifikasi {number}")
    expect(form.locator("#verify-status")).to_contain_text("Dicabut pada")
    expect(form.locator("#verify-status")).to_contain_text(
        "Alasan: Data kehadiran ternyata keliru.")
