"""Things appear in the order of the program and the course; each role starts on its page."""

import pytest

from lms.auth.models import User
from lms.cohorts import services as cohorts
from lms.content import load_tree, sync_tree
from lms.extensions import db
from tests.conftest import AuthActions

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
PRETEST = POSTTEST.replace("id: post", "id: pre").replace("Post-test Satu", "Pre-test Satu") \
    .replace("kind: posttest", "kind: pretest")


@pytest.fixture
def participant(app, make_cohort, login_as, content_dir):
    """A participant of a running cohort of the program (courses: satu, then dua), whose
    course satu has posttest.yml and pretest.yml (file names sort post before pre)."""
    quizzes = content_dir / "satu" / "quizzes"
    quizzes.mkdir()
    (quizzes / "posttest.yml").write_text(POSTTEST)
    (quizzes / "pretest.yml").write_text(PRETEST)
    with app.app_context():
        assert sync_tree(load_tree(content_dir)).ok
    make_cohort(mode="invitation")
    client, user_id = login_as()
    with app.app_context():
        cohorts.enroll_user(cohorts.get_cohort("angkatan-1"), db.session.get(User, user_id),
                            None)
        db.session.commit()
    return client


def test_my_learning_lists_courses_in_program_order(participant):
    page = participant.get("/learning").text
    # Alphabetically "Kursus Dua" would come first; the program puts "Kursus Satu" first.
    assert page.index("Kursus Satu") < page.index("Kursus Dua")


def test_the_course_page_lists_the_pre_test_before_the_post_test(participant):
    page = participant.get("/courses/satu").text
    assert page.index("Pre-test Satu") < page.index("Post-test Satu")


def test_next_lists_the_pre_test_before_the_post_test(participant):
    page = participant.get("/next").text
    assert "Pre-test Satu" in page
    assert page.index("Pre-test Satu") < page.index("Post-test Satu")


def test_a_renamed_quiz_file_keeps_the_order(app, participant, content_dir):
    quizzes = content_dir / "satu" / "quizzes"
    (quizzes / "pretest.yml").rename(quizzes / "zz-awal.yml")
    with app.app_context():
        assert sync_tree(load_tree(content_dir)).ok
    page = participant.get("/courses/satu").text
    assert page.index("Pre-test Satu") < page.index("Post-test Satu")


@pytest.mark.parametrize(("role", "landing"), [
    ("participant", "/learning"), ("instructor", "/manage/teaching"),
    ("coordinator", "/manage/cohorts"), ("admin", "/manage/cohorts")])
def test_each_role_lands_on_its_own_page(app, make_user, role, landing):
    _, email = make_user(role=role)
    client = app.test_client()
    signed = AuthActions(client).login(email)
    assert signed.headers["Location"] == landing
    assert client.get("/").headers["Location"] == landing
    assert client.get(landing).status_code == 200
    if role != "participant":
        assert "Koordinator akan mendaftarkan" not in client.get("/learning").text


def test_a_requested_page_still_wins_over_the_landing(app, make_user):
    _, email = make_user(role="coordinator")
    client = app.test_client()
    signed = AuthActions(client).login(email, next="/courses")
    assert signed.headers["Location"] == "/courses"
