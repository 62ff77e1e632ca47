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


def _journey_content(content: Path) -> None:
    """The browser tests' course plus a pre-test, a post-test and the standard evaluation."""
    folder = content / "contoh" / "quizzes"
    for name, title, kind in (("pre", "Pre-test Contoh", "pretest"),
                              ("post", "Post-test Contoh", "posttest")):
        (folder / f"{name}.yml").write_text(TEST.format(id=f"{name}-contoh", title=title,
                                                        kind=kind))
    (content / "_surveys").mkdir()
    shutil.copy(SURVEY, content / "_surveys")


@pytest.fixture
def live_flask(tmp_path):
    """The app behind live_app, for handing work in through the services."""
    from tests.browser.conftest import demo_app

    with demo_app(tmp_path, _journey_content) as app:
        yield app


@pytest.fixture
def live_app(live_flask):
    from tests.browser.conftest import serving

    with serving(live_flask) as base:
        yield base


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
    expect(form.get_by_role("row").filter(has_text="Dewi Anggraini")).to_contain_text(
        "dalam daftar tunggu")
    expect(form.get_by_role("row").filter(has_text="Sari Wulandari")).to_contain_text(
        "diterima")
    shoot(page, "coordinator-applicants.png")

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
    # A background job issues them; its page follows it, then leads back to the list.
    expect(form.get_by_text("1 diterbitkan, 1 sudah memiliki, 1 belum menyelesaikan.")
           ).to_be_visible(timeout=60_000)
    click(page, "link", "Kembali", exact=True)
    row = form.get_by_role("row").filter(has_text="Rina Marlina")
    number = row.get_by_role("link").first.inner_text()
    form.get_by_label(f"Alasan mencabut {number}").fill("Data kehadiran ternyata keliru.")
    with form.expect_navigation():
        row.get_by_role("button", name="Cabut").click()
    page.axe()
    expect(form.get_by_text(f"Sertifikat {number} dicabut.")).to_be_visible()
    expect(row).to_contain_text(f"{number}: dicabut")

    # What the holder's employer would read: the verification page says revoked.
    click(page, "link", f"halaman verifikasi {number}")
    expect(form.locator("#verify-status")).to_contain_text("Dicabut pada")
    expect(form.locator("#verify-status")).to_contain_text(
        "Alasan: Data kehadiran ternyata keliru.")


# The participant --------------------------------------------------------------------------

def _take_test(page, title, screenshot=None):
    """Open a test from the course page, answer both questions, confirm and submit."""
    click(page, "link", "Pengantar Contoh", exact=True)
    click(page, "link", title)
    click(page, "button", "Mulai kuis")
    page.page.get_by_label("Bandung").check()
    expect(page.page.locator("#question-1 .save-state")).to_contain_text("Tersimpan")
    page.page.locator("#question-2").get_by_label("Benar").check()
    expect(page.page.locator("#question-2 .save-state")).to_contain_text("Tersimpan")
    click(page, "button", "Periksa dan kirim")
    expect(page.page.get_by_text("Semua soal sudah dijawab.")).to_be_visible()
    if screenshot:
        shoot(page, screenshot)
    click(page, "button", "Kirim dan selesai")
    expect(page.page.get_by_text("Percobaan Anda telah dikirim.")).to_be_visible()
    expect(page.page.locator("#attempt-score")).to_contain_text("100")
    expect(page.page.get_by_text("Ibu kota provinsi Jawa Barat?")).to_be_visible()


def test_participant_applies_studies_is_tested_evaluates(live_app, page):
    sign_in(page, live_app)
    page.axe()

    # Apply to the open cohort.
    click(page, "link", "Angkatan", exact=True)
    click(page, "link", "Ajukan lamaran ke Angkatan III (demo, pendaftaran dibuka)")
    page.page.get_by_label("Motivasi").fill(
        "Saya ingin merancang promosi digital untuk perpustakaan kabupaten kami.")
    click(page, "button", "Kirim lamaran")
    expect(page.page.get_by_text("Lamaran Anda telah dikirim.")).to_be_visible()

    # Study a module of the running cohort's course.
    click(page, "link", "Pembelajaran saya")
    click(page, "link", "Pengantar Contoh", exact=True)
    click(page, "link", "Modul 1", exact=True)
    click(page, "button", "Tandai selesai", exact=True)
    expect(page.page.get_by_text("Modul ditandai selesai.")).to_be_visible()

    _take_test(page, "Pre-test Contoh", "quiz-confirm.png")
    _take_test(page, "Post-test Contoh")

    # The running cohort's evaluation: every rating, one suggestion.
    click(page, "link", "Pembelajaran saya")
    click(page, "link", "Isi evaluasi Angkatan II (demo, sedang berjalan)")
    for radio in page.page.locator('input[type=radio][value="4"]').all():
        radio.check()
    page.page.get_by_label("Saran untuk penyelenggara pelatihan").fill(
        "Sesi tanya jawab bisa ditambah.")
    click(page, "button", "Kirim evaluasi")
    expect(page.page.get_by_text("Terima kasih! Evaluasi Anda telah disimpan, tanpa nama Anda."
                                 )).to_be_visible()


def test_graduate_downloads_the_certificate(live_app, page, tmp_path):
    sign_in(page, live_app, "lulusan1@example.org", "demo-lulusan-2026")
    page.axe()
    click(page, "link", "Sertifikat", exact=True)
    with page.page.expect_download() as download:
        page.page.get_by_role("link", name="Unduh PDF").first.click()
    path = tmp_path / "sertifikat.pdf"
    download.value.save_as(path)
    assert path.read_bytes().startswith(b"%PDF-")
    assert download.value.suggested_filename.endswith(".pdf")


# The instructor ---------------------------------------------------------------------------

def _essay_and_assignment_handed_in(app):
    """The participant's practice quiz (with its essay) and assignment, handed in."""
    from lms.assignments import services as assignments
    from lms.auth import services as accounts
    from lms.cohorts import services as cohorts
    from lms.courses.models import Course
    from lms.extensions import db
    from lms.quizzes import services as quizzes
    from lms.quizzes import types as quiz_types
    from lms.quizzes.models import Quiz
    from lms.quizzes.spec import Question

    with app.test_request_context():
        participant = accounts.find_user_by_email("peserta@example.org")
        quiz = db.session.scalar(db.select(Quiz).where(Quiz.slug == "kuis-contoh"))
        attempt = quizzes.start_attempt(quiz, participant.id)
        answers = {}
        for item in attempt.items:
            question = Question.from_dict(item.version.data)
            full = quiz_types.get(question.type).full_marks(question)
            answers[item.position] = ("Membawa perpustakaan keliling ke Car Free Day."
                                      if full is None else full)
        quizzes.submit_attempt(attempt, answers)
        course = db.session.scalar(db.select(Course).where(Course.slug == "contoh"))
        task = assignments.assignments_of(course)[0]
        assignments.submit(task, cohorts.get_cohort(RUNNING), participant,
                           "Kami akan membawa perpustakaan keliling ke sekolah.", [])
        db.session.commit()


def test_instructor_grades_an_essay_and_an_assignment(live_app, live_flask, page):
    _essay_and_assignment_handed_in(live_flask)
    sign_in(page, live_app, "pengajar@example.org", "demo-pengajar-2026")
    page.axe()

    # The essay: from the quiz's results to the queue of essays.
    click(page, "link", "Mata pelatihan", exact=True)
    click(page, "link", "Pengantar Contoh")
    click(page, "link", "Kuis Contoh")
    click(page, "link", "Hasil dan analisis butir soal")
    click(page, "link", "Esai yang perlu dinilai: 1")
    page.page.get_by_label("Nilai (0 sampai 2)").fill("2")
    page.page.get_by_label("Komentar untuk peserta").fill("Rencana yang jelas.")
    click(page, "button", "Simpan nilai")
    expect(page.page.get_by_text("Nilai disimpan.")).to_be_visible()
    click(page, "link", "Hasil: Kuis Contoh")
    row = page.page.get_by_role("row").filter(has_text="Sari Wulandari")
    expect(row).to_contain_text("100")
    expect(row).to_contain_text("lulus")

    # The assignment: from the cohorts taught to the grading queue and the rubric.
    click(page, "link", "Mengajar", exact=True)
    click(page, "link", "penugasan Angkatan II (demo, sedang berjalan)")
    click(page, "link", "Rencana Tindak Lanjut")
    click(page, "link", "Nilai tugas Sari Wulandari, S.IP.")
    page.page.get_by_label("Sangat baik (100)").check()
    page.page.get_by_label("Komentar untuk peserta").fill("Rencana yang terukur.")
    shoot(page, "assignment-rubric.png")
    click(page, "button", "Simpan nilai")
    expect(page.page.get_by_text("Disimpan.", exact=True)).to_be_visible()
