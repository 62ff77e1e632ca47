"""The staff page that imports a GIFT or Aiken bank: preview, problems, the file to commit,
and who may use it. Nothing is stored."""

import io
import re
from datetime import date, timedelta
from pathlib import Path

import pytest
import yaml
from sqlalchemy import func, select

from lms.auth.models import Role, User
from lms.cohorts import services as cohorts
from lms.content import load_tree, sync_tree
from lms.courses.models import Course, Program
from lms.extensions import db
from lms.quizzes.models import Quiz
from tests.conftest import AuthActions, csrf_from, write_course

MOODLE = Path(__file__).parents[1] / "data" / "moodle"
PAGE = "/courses/satu/question-bank"
DOWNLOAD = "/courses/satu/question-bank/download"


@pytest.fixture
def staff(app, content_dir, make_user):
    """Two synced courses in a program and a cohort; an instructor of each course."""
    write_course(content_dir, "satu", 1, title="Kursus Satu")
    write_course(content_dir, "dua", 1, title="Kursus Dua")
    (content_dir / "_programs").mkdir()
    (content_dir / "_programs" / "p.yml").write_text(
        "id: program-contoh\ntitle: Diklat Contoh\ncourses:\n  - satu\n  - dua\n")
    users = {role: make_user(role=role) for role in ("participant", "coordinator", "admin")}
    users["instructor"] = make_user(role=Role.INSTRUCTOR)
    users["other_instructor"] = make_user(role=Role.INSTRUCTOR)
    with app.app_context():
        assert sync_tree(load_tree(content_dir)).ok
        today = date.today()
        cohort = cohorts.create_cohort(db.session.scalar(select(Program)), "angkatan-1", {
            "name": "Angkatan I", "number": 1, "year": 2026, "description": "",
            "registration_opens_on": today, "registration_closes_on": today,
            "starts_on": today + timedelta(days=1), "ends_on": today + timedelta(days=30),
            "capacity": 40, "enrollment_mode": "application", "enrollment_key": None}, None)
        for key, slug in (("instructor", "satu"), ("other_instructor", "dua")):
            course = db.session.scalar(select(Course).where(Course.slug == slug))
            cohorts.assign_instructor(cohort, course, db.session.get(User, users[key][0]), None)
        db.session.commit()
    return users


def client_for(app, staff, role):
    client = app.test_client()
    if role != "anonymous":
        AuthActions(client).login(staff[role][1])
    return client


def upload(client, data: bytes, name: str = "bank.gift", fmt: str = "gift", **fields):
    """Post the form as a browser does. The body is built here: Werkzeug's test client
    spools a large body to a temporary file that it never closes (a ResourceWarning)."""
    token = csrf_from(client.get(PAGE).get_data(as_text=True))
    boundary = "----lms-test-boundary"
    parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n'
             f"{value}\r\n".encode()
             for key, value in {"csrf_token": token, "format": fmt, "kind": "pretest",
                                **fields}.items()]
    parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="file"; '
                 f'filename="{name}"\r\nContent-Type: application/octet-stream\r\n\r\n'
                 .encode() + data + f"\r\n--{boundary}--\r\n".encode())
    return client.post(PAGE, data=b"".join(parts),
                       content_type=f"multipart/form-data; boundary={boundary}")


def test_preview_shows_every_question_as_participants_see_it(app, staff):
    client = client_for(app, staff, "instructor")
    source = (MOODLE / "gift" / "questions.gift.txt").read_bytes()
    response = upload(client, source, "Bank Soal_1.gift", title="Bank Moodle")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "9 soal, siap di-commit" in html
    assert html.count('class="question"') == 9
    # The participant's fields, disabled: radios for the single choice, selects for matching.
    assert re.search(r'<input type="radio" id="q3-[0-9a-f]{10}" name="q3" value="[0-9a-f]{10}"'
                     r' disabled>', html)
    assert '<select id="q2-' in html
    assert "Database" in html
    assert "[plain]" not in html
    assert "[html]" not in html
    assert "baris 34" in html
    # The quiz file offered for download, with a valid id from the file name.
    yaml_text = re.search(r'name="text" type="hidden" value="([^"]*)"', html)
    assert yaml_text
    # As a browser sends it: a form's line breaks go as CR LF; the file comes back with LF.
    download = client.post(DOWNLOAD, data={"csrf_token": csrf_from(html),
                                           "name": "bank-soal-1.yml",
                                           "text": _unescape(yaml_text.group(1)).replace(
                                               "\n", "\r\n")})
    assert download.status_code == 200
    assert "\r" not in download.get_data(as_text=True)
    assert download.headers["Content-Disposition"] == 'attachment; filename="bank-soal-1.yml"'
    document = yaml.safe_load(download.get_data(as_text=True))
    assert document["id"] == "satu-bank-soal-1"
    assert document["title"] == "Bank Moodle"
    assert document["kind"] == "pretest"
    assert [q["type"] for q in document["questions"]] == [
        "essay", "matching", "single", "multiple", "numerical", "short", "truefalse",
        "truefalse", "truefalse"]
    with app.app_context():  # nothing was stored
        assert db.session.scalar(select(func.count()).select_from(Quiz)) == 0
    assert not list(Path(app.config["CONTENT_DIR"]).glob("*/quizzes/*"))


def _unescape(value: str) -> str:
    return (value.replace("&#34;", '"').replace("&#39;", "'").replace("&lt;", "<")
            .replace("&gt;", ">").replace("&quot;", '"').replace("&amp;", "&"))


def test_aiken_upload(app, staff):
    client = client_for(app, staff, "coordinator")
    response = upload(client, (MOODLE / "aiken" / "questions.aiken.txt").read_bytes(),
                      "aiken.txt", fmt="aiken")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert ("<p>Moodle's abilities include handling user input that includes "
            '&lt;html class="cool"&gt; &amp; images:</p>') in html


@pytest.mark.parametrize(("data", "name", "message"), [
    (b"", "empty.gift", "empty.gift:1: the file is empty"),
    (b"Q {T}\n\n" * 400_000, "big.gift", "big.gift:1: the file is larger than 2 MB"),
    (b"\x89PNG\r\n\x1a\n\x00\x00IHDR", "image.gift", "image.gift:1: this is not a text file"),
    ("Café {T}".encode("cp1252"), "ansi.gift", "ansi.gift:1: the file is not UTF-8"),
    ("Q1 {T}\n\n\ufeffQ2 {F}".encode(), "joined.gift", "joined.gift:3: a byte-order mark"),
    (b"Q1 {T}\n\nQ2 {=a ~b\n", "broken.gift", "broken.gift:3: &#39;{&#39; is not closed"),
])
def test_bad_files_show_each_problem_with_its_line_and_offer_nothing(app, staff, data, name,
                                                                     message):
    client = client_for(app, staff, "instructor")
    response = upload(client, data, name)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert message in html.replace("&#x27;", "&#39;")
    assert "Traceback" not in html
    assert 'name="text"' not in html


def test_a_forged_download_is_refused(app, staff):
    client = client_for(app, staff, "instructor")
    token = csrf_from(client.get(PAGE).get_data(as_text=True))
    bad = client.post(DOWNLOAD, data={"csrf_token": token, "name": "x.yml",
                                      "text": "<script>alert(1)</script>"})
    assert bad.status_code == 400
    no_csrf = client.post(DOWNLOAD, data={"name": "x.yml", "text": "id: x\n"})
    assert no_csrf.status_code == 400
    no_file = client.post(PAGE, data={"csrf_token": token, "format": "gift"})
    assert no_file.status_code == 400
    no_csrf_upload = client.post(PAGE, data={"format": "gift", "kind": "practice",
                                             "file": (io.BytesIO(b"Q {T}"), "b.gift")},
                                 content_type="multipart/form-data")
    assert no_csrf_upload.status_code == 400
    assert 'name="text"' not in no_csrf_upload.get_data(as_text=True)


def test_the_download_name_is_made_safe(app, staff):
    client = client_for(app, staff, "instructor")
    html = upload(client, b"Q {T}").get_data(as_text=True)
    text = _unescape(re.search(r'name="text" type="hidden" value="([^"]*)"', html).group(1))
    response = client.post(DOWNLOAD, data={"csrf_token": csrf_from(html), "text": text,
                                           "name": '../../"evil\r\nX-Hdr: 1.yml'})
    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == 'attachment; filename="evil-x-hdr-1.yml"'
    assert "X-Hdr" not in response.headers


EXPECTED = {"anonymous": 302, "participant": 403, "instructor": 200,
            "other_instructor": 403, "coordinator": 200, "admin": 200}


@pytest.mark.parametrize(("role", "status"), EXPECTED.items())
def test_who_may_use_the_page(app, staff, role, status):
    client = client_for(app, staff, role)
    assert client.get(PAGE).status_code == status
    token = AuthActions(client).token("/auth/login" if role == "anonymous" else "/learning")
    refused = client.post(DOWNLOAD, data={"csrf_token": token, "name": "x.yml", "text": "x"})
    assert refused.status_code == (status if status != 200 else 400)
    if status == 200:
        assert client.get("/courses/tidak-ada/question-bank").status_code == 404


def test_a_bank_too_large_to_preview_points_to_the_command(app, staff):
    client = client_for(app, staff, "instructor")
    response = upload(client, b"Q {T}\n\n" * 501, "besar.gift")
    assert response.status_code == 200
    assert ("besar.gift:1: 501 questions, more than the 500 this page previews: split the "
            "file, or import it with the command `lms quizzes import`"
            in response.get_data(as_text=True))
