"""/next: a participant's upcoming sessions, quizzes and assignments, unread posts."""

import sys
import types
from datetime import timedelta

import pytest
from sqlalchemy import select

from lms.content import load_tree, sync_tree
from lms.extensions import db
from lms.quizzes import services as quizzes
from lms.quizzes.models import Quiz
from lms.quizzes.spec import Question
from tests.conftest import csrf_from

POSTTEST = """\
id: post
title: Post-test Satu
kind: posttest
pass_mark: 90
questions:
  - id: a
    type: truefalse
    text: Benar?
    answer: true
"""
PRACTICE = POSTTEST.replace("id: post", "id: latihan").replace(
    "Post-test Satu", "Latihan Satu").replace("kind: posttest", "kind: practice")
ASSIGNMENT = """---
id: tugas-rtl
title: Rencana Tindak Lanjut
due_days: 14
max_score: 100
pass_mark: 70
accepted_types: [pdf]
---

Tulis rencana tindak lanjut Anda.
"""


def _course_satu_with(app, content_dir, quizzes: dict[str, str]):
    """Course "satu" with these quiz files and the RTL assignment, synced."""
    quizzes_dir = content_dir / "satu" / "quizzes"
    quizzes_dir.mkdir()
    for name, text in quizzes.items():
        (quizzes_dir / name).write_text(text)
    (content_dir / "satu" / "assignments").mkdir()
    (content_dir / "satu" / "assignments" / "rtl.md").write_text(ASSIGNMENT)
    with app.app_context():
        report = sync_tree(load_tree(content_dir))
        assert report.ok, report
        db.session.commit()


@pytest.fixture
def tasks(app, content_dir, program):
    _course_satu_with(app, content_dir, {"post.yml": POSTTEST, "latihan.yml": PRACTICE})


def pass_the_posttest(app, user_id):
    with app.app_context():
        quiz = db.session.scalar(select(Quiz).where(Quiz.slug == "post"))
        attempt = quizzes.start_attempt(quiz, user_id)
        answers = {item.position: "true" for item in attempt.items
                   if Question.from_dict(item.version.data).id == "a"}
        quizzes.submit_attempt(attempt, answers)
        db.session.commit()


def test_next_lists_sessions_quizzes_assignments(app, tasks, member, add_session, make_cohort):
    add_session(timedelta(hours=5), topic="Sesi nanti")
    running = add_session(-timedelta(minutes=15), topic="Sesi sekarang")
    add_session(-timedelta(days=1), topic="Sesi kemarin")
    make_cohort(code="angkatan-lain")
    add_session(timedelta(hours=2), code="angkatan-lain", topic="Sesi angkatan lain")
    participant, user_id = member()
    page = participant.get("/next").text
    assert "Sesi sekarang" in page
    assert "Sesi nanti" in page
    assert page.index("Sesi sekarang") < page.index("Sesi nanti")
    assert "Sesi kemarin" not in page
    assert "Sesi angkatan lain" not in page
    assert page.count('/check-in"') == 1
    assert "Post-test Satu" in page
    assert "not taken yet" in page
    assert "Latihan Satu" not in page
    assert "Rencana Tindak Lanjut" in page
    assert "not submitted yet" in page
    assert "Due: " in page
    assert "23:59 WIB" in page
    assert page.index("Post-test Satu") > page.index("Rencana Tindak Lanjut")  # no deadline

    checked = participant.post(f"/cohorts/angkatan-1/sessions/{running}/check-in",
                               data={"csrf_token": csrf_from(page), "next": "/next"})
    assert checked.headers["Location"] == "/next"
    after = participant.get("/next").text
    assert "You are checked in." in after
    assert '/check-in"' not in after

    pass_the_posttest(app, user_id)
    assert "Post-test Satu" not in participant.get("/next").text


def test_next_shows_unread_posts_when_the_forums_can_count(app, member, monkeypatch, cohort_id):
    fake = types.ModuleType("lms.forums.services")
    fake.unread_count = lambda user_id: 3
    monkeypatch.setitem(sys.modules, "lms.forums.services", fake)
    participant, _ = member()
    page = participant.get("/next").text
    assert "3 discussions with unread posts." in page
    assert "No upcoming live sessions." in page
    assert "Nothing to do right now." in page


def test_next_works_while_the_forums_cannot_count(app, member, monkeypatch, cohort_id):
    monkeypatch.setitem(sys.modules, "lms.forums.services", None)  # import fails
    participant, _ = member()
    page = participant.get("/next")
    assert page.status_code == 200
    assert "unread posts" not in page.text
    without = types.ModuleType("lms.forums.services")  # a module without unread_count
    monkeypatch.setitem(sys.modules, "lms.forums.services", without)
    assert "unread posts" not in participant.get("/next").text


def test_next_needs_sign_in(app):
    assert app.test_client().get("/next").status_code == 302


LIMITED = POSTTEST.replace("pass_mark: 90", "pass_mark: 90\nattempts: 2")
ESSAY = """\
id: esai
title: Ujian Esai
kind: exam
pass_mark: 50
questions:
  - id: e
    type: essay
    text: Jelaskan rencana promosi Anda.
"""


@pytest.fixture
def graded_work(app, content_dir, program):
    _course_satu_with(app, content_dir, {"post.yml": LIMITED, "esai.yml": ESSAY})


def _take(app, user_id, slug, answer):
    with app.app_context():
        quiz = db.session.scalar(select(Quiz).where(Quiz.slug == slug))
        attempt = quizzes.start_attempt(quiz, user_id)
        quizzes.submit_attempt(attempt, {item.position: answer for item in attempt.items})
        db.session.commit()


def _task_line(page: str, title: str) -> str:
    """The text of the /next list item that names title."""
    start = page.index(title)
    return page[start:page.index("</li>", start)]


def test_next_and_the_course_page_read_attempts_left_essays_and_returned_work(
        app, graded_work, member, make_user):
    from lms.assignments import services as assignments
    from lms.assignments.models import Assignment, Submission
    from lms.auth.models import User
    from lms.cohorts import services as cohorts

    participant, user_id = member()
    page = participant.get("/next").text
    assert "not taken yet" in _task_line(page, "Post-test Satu")
    assert "attempts left" not in _task_line(page, "Post-test Satu")

    _take(app, user_id, "post", "false")
    page = participant.get("/next").text
    line = _task_line(page, "Post-test Satu")
    assert "not passed yet: try again" in line
    assert "1 attempt left" in line
    course = participant.get("/courses/satu").text
    assert "1 attempt left" in _task_line(course, "Post-test Satu")
    assert "grade 0" in _task_line(course, "Post-test Satu")

    _take(app, user_id, "post", "false")  # the last attempt, failed: nothing left to do
    assert "Post-test Satu" not in participant.get("/next").text
    assert "0 attempts left" in _task_line(participant.get("/courses/satu").text,
                                           "Post-test Satu")

    _take(app, user_id, "esai", "Poster di balai desa dan siaran radio.")
    assert "waiting for grading" in _task_line(participant.get("/next").text, "Ujian Esai")
    assert "waiting for grading" in _task_line(participant.get("/courses/satu").text,
                                               "Ujian Esai")

    grader_id, _ = make_user(role="instructor")
    with app.app_context():
        task = db.session.scalar(select(Assignment).where(Assignment.slug == "tugas-rtl"))
        cohort = cohorts.get_cohort("angkatan-1")
        submission = assignments.submit(task, cohort, db.session.get(User, user_id),
                                        "Rencana saya.", [])
        db.session.commit()
        submission_id = submission.id
    assert "submitted, waiting for a grade" in _task_line(
        participant.get("/next").text, "Rencana Tindak Lanjut")
    with app.app_context():
        submission = db.session.get(Submission, submission_id)
        assignments.grade(submission, {}, "Tambahkan jadwal.", grader_id, "return")
        db.session.commit()
    assert "returned for revision" in _task_line(participant.get("/next").text,
                                                 "Rencana Tindak Lanjut")
    assert "returned for revision" in _task_line(participant.get("/courses/satu").text,
                                                 "Rencana Tindak Lanjut")


def test_next_and_course_page_statements_do_not_grow_with_cohorts_or_items(
        app, graded_work, member, make_cohort, content_dir):
    from lms.auth.models import User
    from lms.cohorts import services as cohorts
    from tests.conftest import count_queries

    participant, user_id = member()
    _take(app, user_id, "post", "false")

    def statements(url):
        participant.get(url)
        with count_queries(app) as found:
            assert participant.get(url).status_code == 200
        return len(found)

    small = {url: statements(url) for url in ("/next", "/courses/satu")}
    make_cohort(code="angkatan-2")
    make_cohort(code="angkatan-3")
    with app.app_context():
        for code in ("angkatan-2", "angkatan-3"):
            cohorts.enroll_user(cohorts.get_cohort(code), db.session.get(User, user_id), None)
        db.session.commit()
    for n in range(5):
        (content_dir / "satu" / "quizzes" / f"extra{n}.yml").write_text(
            POSTTEST.replace("id: post", f"id: extra{n}").replace(
                "Post-test Satu", f"Kuis Tambahan {n}").replace("kind: posttest", "kind: exam"))
        (content_dir / "dua" / "assignments").mkdir(exist_ok=True)
        (content_dir / "dua" / "assignments" / f"t{n}.md").write_text(
            ASSIGNMENT.replace("id: tugas-rtl", f"id: tugas-{n}").replace(
                "Rencana Tindak Lanjut", f"Tugas Tambahan {n}"))
    with app.app_context():
        assert sync_tree(load_tree(content_dir)).ok
        db.session.commit()
    _take(app, user_id, "extra0", "true")
    large = {url: statements(url) for url in ("/next", "/courses/satu")}
    page = participant.get("/next").text
    assert "Kuis Tambahan 4" in page
    assert "Tugas Tambahan 4" in page
    assert "Kuis Tambahan 0" not in page  # passed
    assert large == small, (small, large)
