"""CSV import, instructors' scope, the progress grid, announcements, audit log, reset."""

import csv
import email
import email.policy
import io
import re
from pathlib import Path

import pytest
from sqlalchemy import func, select

from lms.cohorts import services
from lms.cohorts.models import Cohort, CohortMember
from lms.courses.models import Course, Module, ModuleProgress
from lms.extensions import db
from tests.conftest import count_queries, csrf_from

MOODLE_CSV = ("\ufeffusername;firstname;lastname;email;institution;department;cohort1\n"
              "budi;Budi;Santoso;budi@example.org;Perpustakaan Kota Contoh;Layanan;angkatan-1\n"
              "sari;Sari;;sari@example.org;Perpustakaan Desa Maju;Pengelola;ANGKATAN-1\n")


def upload(client, data: bytes, skip=False, code="angkatan-1"):
    page = client.get(f"/manage/cohorts/{code}/import")
    form = {"csrf_token": csrf_from(page.text),
            "file": (io.BytesIO(data), "peserta.csv")}
    if skip:
        form["skip_invalid"] = "y"
    return client.post(f"/manage/cohorts/{code}/import", data=form,
                       content_type="multipart/form-data")


def accepted(app):
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(CohortMember).where(
            CohortMember.status == "accepted"))


def test_csv_upload_enrolls_and_twice_changes_nothing(app, make_cohort, login_as):
    make_cohort(mode="invitation")
    coordinator, _ = login_as("coordinator")
    first = upload(coordinator, MOODLE_CSV.encode())
    assert first.status_code == 200
    assert "2 didaftarkan, 0 sudah terdaftar, 2 akun baru" in first.text
    second = upload(coordinator, MOODLE_CSV.encode())
    assert "0 didaftarkan, 2 sudah terdaftar, 0 akun baru" in second.text
    assert accepted(app) == 2
    with app.app_context():
        from lms.auth.models import User
        sari = db.session.scalar(select(User).where(User.email == "sari@example.org"))
        assert sari.full_name == "Sari"
        assert sari.position == "Pengelola"


def test_a_bad_row_stops_the_whole_import_unless_skipped(app, make_cohort, login_as):
    make_cohort(mode="invitation")
    coordinator, _ = login_as("coordinator")
    bad = MOODLE_CSV + "rudi;Rudi;Hartono;rudi@;Perpustakaan;Layanan;angkatan-1\n"
    response = upload(coordinator, bad.encode())
    assert response.status_code == 400
    assert "baris 4:" in response.text
    assert "Tidak ada yang diimpor" in response.text
    assert accepted(app) == 0
    skipped = upload(coordinator, bad.encode(), skip=True)
    assert "2 didaftarkan" in skipped.text
    assert accepted(app) == 2


def test_import_cli(app, runner, make_cohort, tmp_path):
    make_cohort(mode="invitation", capacity=1)
    path = tmp_path / "peserta.csv"
    path.write_text("full_name,email,institution,position\n"
                    "Budi Santoso,budi@example.org,Perpustakaan Kota,Pustakawan\n"
                    "Sari,sari@example.org,Perpustakaan Desa,Pengelola\n")
    result = runner.invoke(args=["cohorts", "import", "angkatan-1", str(path)])
    assert result.exit_code == 0, result.output
    assert "1 enrolled, 0 unchanged, 2 new accounts, 1 waitlisted (full)" in result.output
    path.write_text("full_name,email,institution,position\nX,bukan-email,Y,Z\n")
    bad = runner.invoke(args=["cohorts", "import", "angkatan-1", str(path)])
    assert bad.exit_code == 1
    assert "baris 2:" in bad.output
    assert "nothing imported" in bad.output


def test_programs_and_cohorts_cli(app, runner, program):
    result = runner.invoke(args=["programs", "list"])
    assert "program-contoh\t8 JP\tDiklat Contoh" in result.output
    assert " 1. satu\t4 JP\tKursus Satu" in result.output
    created = runner.invoke(args=[
        "cohorts", "create", "program-contoh", "--code", "angkatan-9",
        "--name", "Angkatan IX Tahun 2026", "--starts", "2026-12-01", "--ends", "2026-12-20",
        "--capacity", "40"])
    assert created.exit_code == 0, created.output
    listed = runner.invoke(args=["cohorts", "list"])
    assert "angkatan-9\t2026-12-01..2026-12-20\t0/40\tapplication\tAngkatan IX" in listed.output
    again = runner.invoke(args=[
        "cohorts", "create", "program-contoh", "--code", "angkatan-9", "--name", "X",
        "--starts", "2026-12-01", "--ends", "2026-11-01"])
    assert again.exit_code != 0


def _enroll_people(app, cohort_code, n, start=0):
    from lms.auth.services import create_user
    with app.app_context():
        cohort = services.get_cohort(cohort_code)
        rows = []
        for i in range(start, start + n):
            user = create_user(email=f"p{i}@example.org", password="x" * 12,
                               full_name=f"Peserta {i:04d}", institution="Perpus")
            rows.append(user)
        for user in rows:
            member = CohortMember(cohort_id=cohort.id, user_id=user.id, status="applied")
            db.session.add(member)
            db.session.flush()
            services._accept(cohort, member, None)
        modules = list(db.session.scalars(select(Module)))
        for user in rows:
            db.session.add(ModuleProgress(user_id=user.id, module_id=modules[0].id,
                                          completed_at=user.created_at))
        db.session.commit()


def test_grid_shows_progress_and_its_query_count_is_constant(app, make_cohort, login_as):
    make_cohort(capacity=200)
    coordinator, _ = login_as("coordinator")
    _enroll_people(app, "angkatan-1", 3)
    coordinator.get("/manage/cohorts/angkatan-1/grid")
    with count_queries(app) as small:
        html = coordinator.get("/manage/cohorts/angkatan-1/grid").text
    assert "Peserta 0000" in html
    assert "25%" in html  # 1 of 4 modules
    assert '<span aria-hidden="true">✓</span><span class="visually-hidden">selesai</span>' in html
    _enroll_people(app, "angkatan-1", 60, start=3)
    with count_queries(app) as large:
        html = coordinator.get("/manage/cohorts/angkatan-1/grid").text
    assert "Peserta 0062" in html
    assert len(large) == len(small)


def test_grid_filters_sorting_and_safe_csv(app, make_cohort, login_as):
    make_cohort(capacity=200)
    coordinator, _ = login_as("coordinator")
    _enroll_people(app, "angkatan-1", 3)
    with app.app_context():
        from lms.auth.models import User
        user = db.session.scalar(select(User).where(User.email == "p1@example.org"))
        user.full_name = "=SUM(A1:A9)"
        db.session.commit()
    html = coordinator.get("/manage/cohorts/angkatan-1/grid?q=p2@example.org").text
    assert "Peserta 0002" in html
    assert "Peserta 0000" not in html
    ordered = coordinator.get("/manage/cohorts/angkatan-1/grid?sort=name&order=desc").text
    assert ordered.index("Peserta 0002") < ordered.index("Peserta 0000")
    response = coordinator.get("/manage/cohorts/angkatan-1/grid.csv?sep=comma")
    rows = list(csv.reader(io.StringIO(response.text.lstrip("\ufeff"))))
    assert rows[0][0] == "Nama"
    assert any(r[0] == "'=SUM(A1:A9)" for r in rows)
    assert rows[1][-2] in ("25", "25.0")


def test_instructors_see_only_their_cohorts(app, make_cohort, login_as):
    make_cohort()
    make_cohort("angkatan-2")
    coordinator, _ = login_as("coordinator")
    instructor, instructor_id = login_as("instructor", email="guru@example.org")
    assert instructor.get("/manage/cohorts/angkatan-1/grid").status_code == 403
    page = coordinator.get("/manage/cohorts/angkatan-1/instructors")
    coordinator.post("/manage/cohorts/angkatan-1/instructors", data={
        "csrf_token": csrf_from(page.text), "course": "satu", "email": "guru@example.org"})
    assert instructor.get("/manage/cohorts/angkatan-1/grid").status_code == 200
    assert instructor.get("/manage/cohorts/angkatan-2/grid").status_code == 403
    assert "Angkatan I Tahun 2026" in instructor.get("/manage/teaching").text
    participant, _ = login_as()
    page = coordinator.get("/manage/cohorts/angkatan-1/instructors")
    refused = coordinator.post("/manage/cohorts/angkatan-1/instructors", data={
        "csrf_token": csrf_from(page.text), "course": "satu",
        "email": "user3@example.org"})
    assert "bukan pengajar" in refused.text or "Tidak ada akun" in refused.text


def test_instructor_quiz_results_are_limited_to_their_cohorts(app, make_cohort, login_as,
                                                              content_dir):
    from lms.content import load_tree, sync_tree
    from tests.quizzes.conftest import write_quiz
    from tests.quizzes.test_reports import wrong

    write_quiz(content_dir, quiz_id="kuis-contoh")
    (content_dir / "satu" / "quizzes").mkdir()
    (content_dir / "contoh" / "quizzes" / "kuis.yml").rename(
        content_dir / "satu" / "quizzes" / "kuis.yml")
    import shutil
    shutil.rmtree(content_dir / "contoh")
    with app.app_context():
        assert sync_tree(load_tree(content_dir)).ok
        db.session.commit()
    make_cohort()
    make_cohort("angkatan-2")
    _enroll_people(app, "angkatan-1", 1)
    _enroll_people(app, "angkatan-2", 1, start=1)
    with app.app_context():
        ids = [u for u in db.session.scalars(select(CohortMember.user_id))]
        course = db.session.scalar(select(Course).where(Course.slug == "satu"))
        instructor_user = None
    for user_id in ids:
        wrong(app, user_id)
    instructor, instructor_id = login_as("instructor")
    with app.app_context():
        from lms.auth.models import User
        instructor_user = db.session.get(User, instructor_id)
        services.assign_instructor(services.get_cohort("angkatan-1"), course, instructor_user,
                                   instructor_id)
        db.session.commit()
    html = instructor.get("/courses/satu/quizzes/kuis-contoh/results").text
    assert "Peserta 0000" in html
    assert "Peserta 0001" not in html
    coordinator, _ = login_as("coordinator")
    html = coordinator.get("/courses/satu/quizzes/kuis-contoh/results").text
    assert "Peserta 0000" in html
    assert "Peserta 0001" in html


def test_announcements_are_sanitized_and_shown_to_participants(app, make_cohort, login_as):
    make_cohort()
    coordinator, _ = login_as("coordinator")
    _enroll_people(app, "angkatan-1", 1)
    page = coordinator.get("/manage/cohorts/angkatan-1/announcements")
    coordinator.post("/manage/cohorts/angkatan-1/announcements", data={
        "csrf_token": csrf_from(page.text), "title": "Jadwal sesi daring",
        "body": "Sesi **Senin** pukul 09.00 WIB <script>alert(1)</script>"
                "[x](javascript:alert(2)) <img src=x onerror=alert(3)>"})
    from tests.conftest import AuthActions
    participant = app.test_client()
    AuthActions(participant).login("p0@example.org", "x" * 12)
    html = participant.get("/learning").text
    assert "Jadwal sesi daring" in html
    assert "<strong>Senin</strong>" in html
    for bad in ("<script>alert(1)", "javascript:", "onerror"):
        assert bad not in html
    outsider, _ = login_as()
    assert "Jadwal sesi daring" not in outsider.get("/learning").text


def test_audit_log_is_for_admins(app, make_cohort, login_as):
    make_cohort()
    coordinator, _ = login_as("coordinator")
    coordinator.get("/manage/cohorts/angkatan-1/edit")
    assert coordinator.get("/manage/audit").status_code == 403
    admin, _ = login_as("admin")
    html = admin.get("/manage/audit").text
    assert "Angkatan dibuat" in html  # cohort.create, in words
    assert "action=cohort.create" in html


def test_password_reset_link_works_once(app, client, make_user, auth):
    _, address = make_user(email="lupa@example.org")
    page = client.get("/auth/forgot")
    client.post("/auth/forgot", data={"csrf_token": csrf_from(page.text), "email": address})
    unknown = client.post("/auth/forgot", data={"csrf_token": csrf_from(page.text),
                                                "email": "tidak-ada@example.org"})
    assert unknown.status_code == 302  # same answer, no hint whether the account exists
    mails = sorted((Path(app.instance_path) / "outbox").glob("*.eml"))
    assert len(mails) == 1
    message = email.message_from_bytes(mails[0].read_bytes(), policy=email.policy.default)
    # From PUBLIC_URL, never from the request's Host header (which a stranger chooses).
    link = re.search(r"http://localhost(/auth/reset/\S+)", message.get_content()).group(1)
    form = client.get(link)
    assert form.status_code == 200
    data = {"csrf_token": csrf_from(form.text), "new_password": "sandi-baru-sekali",
            "new_password_confirm": "sandi-baru-sekali"}
    assert client.post(link, data=data).status_code == 302
    assert auth.login(address, "sandi-baru-sekali").status_code == 302
    auth.logout()
    again = client.get(link)
    assert again.status_code == 302
    assert "/auth/forgot" in again.headers["Location"]


@pytest.mark.parametrize("url", ["/cohorts/tidak-ada/apply", "/manage/cohorts/tidak-ada"])
def test_unknown_cohort_is_404(app, login_as, url, program):
    coordinator, _ = login_as("coordinator")
    assert coordinator.get(url).status_code == 404
    assert Cohort.__tablename__ == "cohorts"


def test_the_grid_gives_the_garbage_collector_back(app, make_cohort, login_as):
    # The grid pauses the cyclic collector while it builds and renders (lms.progress.grid
    # .without_cyclic_gc); it must be on again afterwards, also when the page fails.
    import gc

    from lms.progress.grid import without_cyclic_gc

    make_cohort(capacity=20)
    coordinator, _ = login_as("coordinator")
    _enroll_people(app, "angkatan-1", 2)
    assert coordinator.get("/manage/cohorts/angkatan-1/grid").status_code == 200
    assert gc.isenabled()
    try:
        with without_cyclic_gc():
            assert not gc.isenabled()
            raise RuntimeError("page failed")
    except RuntimeError:
        pass
    assert gc.isenabled()


def test_my_learning_shows_an_announcement_posted_after_a_visit(app, make_cohort, login_as):
    """"My learning" keeps its rendered body per courses, progress and announcements: a
    new announcement shows to each participant at the next visit."""
    make_cohort()
    coordinator, _ = login_as("coordinator")
    _enroll_people(app, "angkatan-1", 2)
    from tests.conftest import AuthActions
    participants = []
    for n in range(2):
        client = app.test_client()
        AuthActions(client).login(f"p{n}@example.org", "x" * 12)
        participants.append(client)
    before = [client.get("/learning").text for client in participants]
    assert all("Pengumuman baru" not in html for html in before)
    page = coordinator.get("/manage/cohorts/angkatan-1/announcements")
    coordinator.post("/manage/cohorts/angkatan-1/announcements", data={
        "csrf_token": csrf_from(page.text), "title": "Pengumuman baru", "body": "Isi."})
    for client in participants:
        html = client.get("/learning").text
        assert "Pengumuman baru" in html
        assert "<p>Isi.</p>" in html
