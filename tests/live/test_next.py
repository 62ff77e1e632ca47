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


@pytest.fixture
def tasks(app, content_dir, program):
    quizzes_dir = content_dir / "satu" / "quizzes"
    quizzes_dir.mkdir()
    (quizzes_dir / "post.yml").write_text(POSTTEST)
    (quizzes_dir / "latihan.yml").write_text(PRACTICE)
    (content_dir / "satu" / "assignments").mkdir()
    (content_dir / "satu" / "assignments" / "rtl.md").write_text(ASSIGNMENT)
    with app.app_context():
        report = sync_tree(load_tree(content_dir))
        assert report.ok, report
        db.session.commit()


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
