"""Assignments: hand in text and files, content-checked; grading with a rubric; access."""

import io
import re
import textwrap
import zipfile
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from lms.assignments.files import detect, extension_kind
from lms.assignments.loader import load_assignment
from lms.assignments.models import Submission
from lms.cohorts import services as cohorts
from lms.content import load_tree, sync_tree
from lms.extensions import db
from tests.conftest import AuthActions, csrf_from, write_course

TASK = """\
---
id: tugas-rtl
title: Rencana Tindak Lanjut
due_days: 7
max_score: 100
pass_mark: 70
accepted_types: [pdf, docx, odt, png]
max_size_mb: 1
rubric:
  - id: isi
    criterion: Isi
    levels:
      - {label: Baik, points: 60}
      - {label: Kurang, points: 20}
  - id: bahasa
    criterion: Bahasa
    levels:
      - {label: Baik, points: 40}
      - {label: Kurang, points: 10}
---

Tulis **rencana** Anda.
"""
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 20 + b"IEND\xaeB`\x82"
PAGE = "/courses/kursus/assignments/tugas-rtl"


def docx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def polyglot() -> bytes:
    buffer = io.BytesIO(PNG)
    with zipfile.ZipFile(buffer, "a") as archive:
        archive.writestr("evil.js", "alert(1)")
    return buffer.getvalue()


@pytest.fixture
def setup(app, content_dir, make_user):
    write_course(content_dir, "kursus", 1, title="Kursus")
    (content_dir / "kursus" / "assignments").mkdir()
    (content_dir / "kursus" / "assignments" / "rtl.md").write_text(TASK)
    (content_dir / "_programs").mkdir()
    (content_dir / "_programs" / "p.yml").write_text(
        "id: program\ntitle: Program\ncourses:\n  - kursus\n")
    users = {}
    for name in ("ani", "budi"):
        users[name] = make_user(email=f"{name}@example.org")
    instructor = make_user(role="instructor", email="guru@example.org")
    stranger = make_user(role="instructor", email="lain@example.org")
    with app.app_context():
        assert sync_tree(load_tree(content_dir)).ok
        program = cohorts.programs()[0]
        cohort = cohorts.create_cohort(program, "angkatan-1", {
            "name": "Angkatan I", "number": 1, "year": 2026,
            "starts_on": date.today() - timedelta(days=1),
            "ends_on": date.today() + timedelta(days=30), "capacity": 40,
            "enrollment_mode": "invitation"}, None)
        from lms.auth.models import User
        for user_id, _email in users.values():
            cohorts.enroll_user(cohort, db.session.get(User, user_id), None)
        from lms.courses.models import Course
        course = db.session.scalar(select(Course))
        cohorts.assign_instructor(cohort, course, db.session.get(User, instructor[0]), None)
        db.session.commit()
    return {"users": users, "instructor": instructor, "stranger": stranger}


def client_for(app, email):
    client = app.test_client()
    AuthActions(client).login(email)
    return client


def submit(client, text="", files=()):
    page = client.get(PAGE)
    data = {"csrf_token": csrf_from(page.text), "text": text,
            "files": [(io.BytesIO(content), name) for name, content in files]}
    return client.post(PAGE, data=data, content_type="multipart/form-data")


def submissions(app):
    with app.app_context():
        return list(db.session.scalars(select(Submission).options(selectinload(Submission.files))
                                       .order_by(Submission.id)))


def uploads(app) -> list[Path]:
    folder = Path(app.instance_path) / "uploads"
    return list(folder.iterdir()) if folder.exists() else []


def test_detect_by_content():
    assert detect(PDF) == "pdf"
    assert detect(PNG) == "png"
    assert detect(docx_bytes()) == "docx"
    assert detect(b"MZ\x90\x00 windows program") is None
    assert detect(polyglot()) is None
    assert detect(PDF[:-6]) is None  # truncated: no %%EOF


ODF = Path(__file__).resolve().parents[1] / "data" / "odf"  # written by OpenOffice.org


def test_opendocument_files_from_libreoffice_users_are_recognised():
    """The courses ship ODT templates: what a LibreOffice user saves back must be accepted
    as itself, and nothing else may pass for it."""
    odt = (ODF / "parastyles.odt").read_bytes()
    assert detect(odt) == "odt"
    assert detect((ODF / "pythagoras.ods").read_bytes()) == "ods"
    buffer = io.BytesIO()  # an OOXML file claiming to be ODF too: two things at once
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", "<x/>")
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w/>")
    assert detect(buffer.getvalue()) is None
    buffer = io.BytesIO()  # a mimetype entry without a document
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
    assert detect(buffer.getvalue()) is None
    assert extension_kind("Rencana Promosi.ODT") == "odt"


def test_assignment_file_problems_by_line(tmp_path):
    path = tmp_path / "t.md"
    path.write_text(TASK.replace("points: 40", "points: 45").replace("max_size_mb: 1",
                                                                      "max_size_mb: 99"))
    _item, problems = load_assignment(path, "t.md")
    messages = [str(p) for p in problems]
    assert any(m.startswith("t.md:8: 'max_size_mb'") for m in messages), messages
    assert any("best levels add up to 105" in m for m in messages), messages


def test_submit_text_and_files_then_resubmit_keeps_history(app, setup):
    ani = client_for(app, "ani@example.org")
    page = ani.get(PAGE)
    assert "Tulis <strong>rencana</strong> Anda." in page.text
    response = submit(ani, "Versi pertama", [("rencana.pdf", PDF)])
    assert response.status_code == 302
    submit(ani, "", [("rencana.docx", docx_bytes()), ("foto.png", PNG)])
    submit(ani, "", [("kertas-kerja.odt", (ODF / "parastyles.odt").read_bytes())])
    rows = submissions(app)
    assert [(s.number, len(s.files)) for s in rows] == [(1, 1), (2, 2), (3, 1)]
    assert rows[2].files[0].kind == "odt"
    assert not rows[0].is_late
    history = ani.get(PAGE).text
    for text in ("Kiriman 2", "Kiriman 1", "rencana.pdf", "Versi pertama"):
        assert text in history
    assert len(uploads(app)) == 4


@pytest.mark.parametrize(("files", "text", "message"), [
    ([], "", "Tulis teks atau lampirkan paling sedikit satu berkas."),
    ([("rencana.docx", PDF)], "", "bukan berkas DOCX"),
    ([("foto.png", polyglot())], "", "bukan berkas PNG"),
    ([("program.exe", b"MZ")], "", "hanya jenis berikut yang diterima"),
])
def test_bad_submissions_are_refused_and_nothing_is_kept(app, setup, files, text, message):
    ani = client_for(app, "ani@example.org")
    submit(ani, "Kiriman yang baik", [("awal.pdf", PDF)])
    response = submit(ani, text, files)
    assert response.status_code == 400
    flashes = response.text[response.text.find('class="flashes"'):][:400]
    assert message in flashes, flashes
    assert len(submissions(app)) == 1
    assert len(uploads(app)) == 1  # the refused file left nothing on disk


def fetch(client, url):
    """GET and close: a file response keeps its file open until closed."""
    response = client.get(url)
    data, status = response.data, response.status_code
    response.close()
    return status, data


def test_nobody_else_reads_a_submission(app, setup):
    ani = client_for(app, "ani@example.org")
    submit(ani, "", [("rencana.pdf", PDF)])
    file_id = submissions(app)[0].files[0].id
    assert fetch(ani, f"/submission-files/{file_id}") == (200, PDF)
    budi = client_for(app, "budi@example.org")
    assert fetch(budi, f"/submission-files/{file_id}")[0] == 404
    stranger = client_for(app, "lain@example.org")
    assert fetch(stranger, f"/submission-files/{file_id}")[0] == 404
    guru = client_for(app, "guru@example.org")
    assert fetch(guru, f"/submission-files/{file_id}") == (200, PDF)
    submission_id = submissions(app)[0].id
    assert stranger.get(f"/manage/submissions/{submission_id}").status_code == 403
    assert budi.get(f"/manage/submissions/{submission_id}").status_code == 403


def test_grading_with_the_rubric_and_returning_for_revision(app, setup):
    ani = client_for(app, "ani@example.org")
    submit(ani, "Rencana saya", [])
    submission_id = submissions(app)[0].id
    guru = client_for(app, "guru@example.org")
    queue = guru.get("/manage/cohorts/angkatan-1/assignments/kursus/tugas-rtl").text
    assert "Menilai" in queue or "Nilai" in queue
    page = guru.get(f"/manage/submissions/{submission_id}")
    token = csrf_from(page.text)
    bad = guru.post(f"/manage/submissions/{submission_id}", data={
        "csrf_token": token, "level-isi": "9", "level-bahasa": "1", "action": "grade"},
        follow_redirects=True)
    assert "Pilih tingkat rubrik" in bad.text
    assert submissions(app)[0].status == "submitted"
    guru.post(f"/manage/submissions/{submission_id}", data={
        "csrf_token": token, "level-isi": "2", "comment": "Perjelas jadwalnya.",
        "action": "return"})
    assert submissions(app)[0].status == "returned"
    assert "Perjelas jadwalnya." in ani.get(PAGE).text
    submit(ani, "Rencana yang sudah diperbaiki", [])
    second = submissions(app)[1]
    guru.post(f"/manage/submissions/{second.id}", data={
        "csrf_token": token, "level-isi": "1", "level-bahasa": "1", "comment": "Bagus.",
        "action": "grade"})
    graded = submissions(app)[1]
    assert (graded.status, graded.score) == ("graded", 100.0)
    assert "Nilai: 100 dari 100" in ani.get(PAGE).text
    again = submit(ani, "Satu lagi", [])
    assert again.status_code == 400
    grid = guru.get("/manage/cohorts/angkatan-1/grid").text
    assert ">100<" in grid
    # The ZIP is built by a background job; its page offers the download when done.
    job_page = guru.get("/manage/cohorts/angkatan-1/assignments/kursus/tugas-rtl.zip",
                        follow_redirects=True)
    assert "1 kiriman dalam ZIP." in job_page.text
    link = re.search(r'href="(/jobs/\d+/download)"', job_page.text).group(1)
    zipped = guru.get(link)
    assert zipped.headers["Content-Disposition"].startswith("attachment")
    names = zipfile.ZipFile(io.BytesIO(zipped.data)).namelist()
    zipped.close()
    assert any(n.endswith("teks.txt") for n in names)


def test_score_above_the_maximum_is_refused(app, setup, content_dir):
    task = content_dir / "kursus" / "assignments" / "rtl.md"
    text = task.read_text()
    head, body = text.split("rubric:")[0], "\n---\n\nTulis.\n"
    task.write_text(head.rstrip() + body)
    with app.app_context():
        assert sync_tree(load_tree(content_dir)).ok
        db.session.commit()
    ani = client_for(app, "ani@example.org")
    submit(ani, "Rencana", [])
    submission_id = submissions(app)[0].id
    guru = client_for(app, "guru@example.org")
    token = csrf_from(guru.get(f"/manage/submissions/{submission_id}").text)
    response = guru.post(f"/manage/submissions/{submission_id}", data={
        "csrf_token": token, "score": "150", "action": "grade"}, follow_redirects=True)
    assert "Nilai harus dari 0 sampai 100." in response.text
    assert submissions(app)[0].score is None


def test_late_submission_is_marked(app, setup, content_dir):
    text = (content_dir / "kursus" / "assignments" / "rtl.md").read_text()
    (content_dir / "kursus" / "assignments" / "rtl.md").write_text(
        text.replace("due_days: 7", "due_days: 0"))
    with app.app_context():
        sync_tree(load_tree(content_dir))
        db.session.commit()
    ani = client_for(app, "ani@example.org")
    response = submit(ani, "Terlambat", [])
    assert response.status_code == 302
    assert submissions(app)[0].is_late
    assert "terlambat" in ani.get(PAGE).text


def test_oversized_file_stops_copying_and_keeps_nothing(tmp_path):
    """Copying stops at the limit: a 50 MB stream writes at most 1 MB + one chunk."""
    from lms.assignments.files import FileRefused, store_upload
    from lms.storage import LocalStorage

    class Endless(io.RawIOBase):
        def __init__(self):
            self.sent = 0

        def readable(self):
            return True

        def readinto(self, buffer):
            if self.sent >= 50 * 1024 * 1024:
                return 0
            size = len(buffer)
            buffer[:size] = b"%" * size
            self.sent += size
            return size

    stream = Endless()
    with pytest.raises(FileRefused) as refused:
        store_upload(io.BufferedReader(stream), "besar.pdf", LocalStorage(tmp_path),
                     max_bytes=1024 * 1024, accepted=["pdf"])
    assert refused.value.code == "size"
    assert stream.sent < 2 * 1024 * 1024
    assert list(tmp_path.iterdir()) == []


def test_oversized_request_is_refused_before_the_view(app, setup):
    # A small global limit keeps the test body in memory (the test client would otherwise
    # spool it to a temporary file it never closes).
    app.config["MAX_CONTENT_LENGTH"] = 64 * 1024
    ani = client_for(app, "ani@example.org")
    big = b"0" * (app.config["MAX_CONTENT_LENGTH"] + 1)
    response = submit(ani, "", [("x.pdf", big)])
    assert response.status_code == 413
    assert uploads(app) == []
    assert textwrap.dedent("x") == "x"
