"""Quiz design the instructor controls: review options, question pools, the content check."""

import textwrap
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from lms.clock import utcnow
from lms.cohorts import services as cohorts
from lms.content import load_tree, sync_tree
from lms.courses.models import Program
from lms.extensions import db
from lms.quizzes import services
from lms.quizzes.loader import load_quiz
from lms.quizzes.models import Attempt, Quiz
from tests.conftest import csrf_from, write_course
from tests.quizzes.test_taking import form_of, start

CONTENT = Path(__file__).resolve().parents[2] / "course_content"


def quiz_file(tmp_path, header: str, questions: int = 6, tags=("a", "a", "a", "b", "b", "b")):
    body = "".join(
        f"  - id: q{n}\n    type: truefalse\n    tags: [{tags[n - 1]}]\n    text: Soal {n}\n"
        f"    answer: true\n" for n in range(1, questions + 1))
    path = tmp_path / "kuis.yml"
    path.write_text(textwrap.dedent(header) + "questions:\n" + body)
    return load_quiz(path, "kuis.yml")


@pytest.mark.parametrize(("header", "answers", "feedback"), [
    ("id: k\ntitle: K\nkind: pretest\nattempts: 1\n", "after_close", "after_close"),
    ("id: k\ntitle: K\nkind: posttest\nattempts: 2\n", "after_close", "after_close"),
    ("id: k\ntitle: K\nkind: posttest\nattempts: 0\n", "after_close", "after_close"),
    ("id: k\ntitle: K\nkind: posttest\nattempts: 1\n", "after_last_attempt", "immediately"),
    ("id: k\ntitle: K\nkind: practice\n", "after_last_attempt", "immediately"),
    ("id: k\ntitle: K\nkind: pretest\nreview: {answers: immediately}\n", "immediately",
     "after_close"),
])
def test_review_defaults_hide_the_key_where_it_could_be_reused(tmp_path, header, answers,
                                                                feedback):
    quiz, found = quiz_file(tmp_path, header)
    assert found == []
    assert (quiz.review_answers, quiz.review_feedback) == (answers, feedback)


def test_a_post_test_with_several_attempts_showing_answers_is_warned(tmp_path):
    quiz, found = quiz_file(tmp_path, """\
        id: k
        title: K
        kind: posttest
        attempts: 3
        review:
          answers: immediately
          feedback: immediately
        """)
    assert found == []
    assert [str(w) for w in quiz.warnings] == [
        "kuis.yml:6: warning: a post-test with several attempts shows the correct answers "
        "immediately, so a participant can copy them into the next attempt; use 'review: "
        "answers: after_close'",
        "kuis.yml:7: warning: a post-test with several attempts shows the feedback "
        "immediately, so a participant can copy them into the next attempt; use 'review: "
        "feedback: after_close'",
    ]
    single, _found = quiz_file(tmp_path, "id: k\ntitle: K\nkind: posttest\nattempts: 1\n"
                                         "review: {answers: immediately}\n")
    assert single.warnings == []


def test_content_check_prints_warnings_without_failing(runner, content_dir):
    write_course(content_dir, "contoh", 1)
    (content_dir / "contoh" / "quizzes").mkdir()
    (content_dir / "contoh" / "quizzes" / "post.yml").write_text(
        "id: post\ntitle: Post\nkind: posttest\nattempts: 2\nreview:\n  answers: immediately\n"
        "questions:\n  - id: a\n    type: truefalse\n    text: x\n    answer: true\n")
    result = runner.invoke(args=["content", "check", str(content_dir)])
    assert result.exit_code == 0, result.output
    assert "quizzes/post.yml:6: warning: a post-test with several attempts" in result.output
    assert "0 problems, 1 warnings" in result.output


def test_the_shipped_content_checks_clean(runner):
    result = runner.invoke(args=["content", "check", str(CONTENT)])
    assert result.exit_code == 0, result.output
    assert "warning" not in result.output
    assert "0 problems" in result.output


@pytest.mark.parametrize(("draw", "message"), [
    ("draw:\n  - {count: 4, tag: a}\n", "kuis.yml:5: draw asks for 4 questions but only 3 match"),
    ("draw:\n  - {count: 3}\n  - {count: 4}\n", "kuis.yml:4: the pools draw 7 questions but "
                                                  "the quiz has 6"),
    ("draw:\n  - 3\n", "kuis.yml:5: each pool of 'draw' must be a mapping with count and tag"),
    ("draw:\n  - {count: 0, tag: a}\n", "kuis.yml:5: 'count' must be at least 1"),
])
def test_pool_mistakes_are_named_by_line(tmp_path, draw, message):
    quiz, found = quiz_file(tmp_path, "id: k\ntitle: K\nkind: practice\n" + draw)
    assert quiz is None
    assert message in [str(p) for p in found]


def test_pools_are_read_as_a_list_or_one_mapping(tmp_path):
    quiz, _ = quiz_file(tmp_path, "id: k\ntitle: K\nkind: practice\ndraw:\n"
                                  "  - {count: 2, tag: a}\n  - {count: 1, tag: b}\n")
    assert quiz.draw_pools == [{"count": 2, "tag": "a"}, {"count": 1, "tag": "b"}]
    assert quiz.draw_count == 3
    quiz, _ = quiz_file(tmp_path, "id: k\ntitle: K\nkind: practice\ndraw: {count: 2}\n")
    assert (quiz.draw_pools, quiz.draw_count, quiz.draw_tag) == ([{"count": 2, "tag": None}],
                                                                 2, None)


POOLED = """\
id: kuis-contoh
title: Kuis Contoh
kind: posttest
attempts: 3
draw:
  - {count: 2, tag: a}
  - {count: 1, tag: b}
questions:
"""


def pooled_course(app, content_dir, make_user, enroll, auth):
    write_course(content_dir, "contoh", 1)
    (content_dir / "contoh" / "quizzes").mkdir()
    body = "".join(
        f"  - id: q{n}\n    type: truefalse\n    tags: [{'a' if n <= 4 else 'b'}]\n"
        f"    text: Soal {n}\n    answer: true\n" for n in range(1, 7))
    (content_dir / "contoh" / "quizzes" / "kuis.yml").write_text(POOLED + body)
    with app.app_context():
        assert sync_tree(load_tree(content_dir)).ok
        db.session.commit()
    user_id, email = make_user()
    enroll(user_id, "contoh")
    auth.login(email)
    return user_id


def test_two_attempts_of_one_person_are_different_papers(app, client, content_dir, make_user,
                                                         enroll, auth):
    user_id = pooled_course(app, content_dir, make_user, enroll, auth)
    papers = []
    for _attempt in range(2):
        url = start(client)
        html, data = form_of(client, url)
        client.post(url + "/submit", data=data)
        with app.app_context():
            attempt = services.attempts_of(db.session.scalar(select(Quiz)), user_id)[-1]
            papers.append({item.version.question_slug for item in attempt.items})
    first, second = papers
    assert len(first) == len(second) == 3
    for paper in papers:  # two from pool a (q1-q4), one from pool b (q5, q6)
        assert len(paper & {"q1", "q2", "q3", "q4"}) == 2
        assert len(paper & {"q5", "q6"}) == 1
    assert not first & second, "the second attempt prefers questions not seen yet"


def test_answers_after_close_wait_for_closes_at(app, client, quiz_course):
    quiz_course(attempts=1, answers="after_close")
    url = start(client)
    html, data = form_of(client, url)
    client.post(url + "/submit", data=data)
    review = client.get(url + "/review").get_data(as_text=True)
    assert "Jawaban benar:" not in review  # the last attempt is not enough
    assert "ditampilkan setelah kuis ditutup." in review
    with app.app_context():
        db.session.scalar(select(Quiz)).closes_at = utcnow() - timedelta(minutes=1)
        db.session.commit()
    assert "Jawaban benar:" in client.get(url + "/review").get_data(as_text=True)


def join_angkatan(app, content_dir, user_id, starts_on, ends_on) -> int:
    """Course contoh in a program, and the person accepted in its angkatan a-1 running from
    starts_on to ends_on; the angkatan's id."""
    (content_dir / "_programs").mkdir()
    (content_dir / "_programs" / "p.yml").write_text(
        "id: program-contoh\ntitle: Diklat Contoh\ncourses:\n  - contoh\n")
    with app.app_context():
        assert sync_tree(load_tree(content_dir)).ok
        fields = {"name": "Angkatan I", "number": 1, "year": starts_on.year, "description": "",
                  "registration_opens_on": starts_on - timedelta(days=20),
                  "registration_closes_on": starts_on - timedelta(days=10),
                  "starts_on": starts_on, "ends_on": ends_on,
                  "capacity": 40, "enrollment_mode": "invitation"}
        cohort = cohorts.create_cohort(db.session.scalar(select(Program)), "a-1", fields, None)
        from lms.auth.models import User
        cohorts.enroll_user(cohort, db.session.get(User, user_id), None)
        db.session.commit()
        return cohort.id


def test_answers_after_close_wait_for_the_end_of_the_angkatan(app, client, content_dir,
                                                               quiz_course):
    user_id = quiz_course(attempts=2, answers="after_close")
    today = (utcnow() + timedelta(hours=7)).date()
    cohort_id = join_angkatan(app, content_dir, user_id, today - timedelta(days=10), today)
    for _attempt in range(2):
        url = start(client)
        html, data = form_of(client, url)
        client.post(url + "/submit", data=data)
    assert "Jawaban benar:" not in client.get(url + "/review").get_data(as_text=True)
    with app.app_context():  # the angkatan's last day is over
        from lms.cohorts.models import Cohort
        db.session.get(Cohort, cohort_id).ends_on = today - timedelta(days=1)
        db.session.commit()
    assert "Jawaban benar:" in client.get(url + "/review").get_data(as_text=True)


def test_a_quiz_with_opens_day_opens_that_many_days_into_the_persons_angkatan(
        app, client, content_dir, quiz_course):
    """The program post-test (`opens_day: 10`) cannot be taken on day 2 of the diklat."""
    user_id = quiz_course(kind="posttest", attempts=2, answers="after_close",
                          extra="opens_day: 10\n")
    page = client.get("/courses/contoh/quizzes/kuis-contoh").get_data(as_text=True)
    assert "Kuis ini belum dibuka." not in page  # outside any angkatan: only opens_at holds
    today = (utcnow() + timedelta(hours=7)).date()
    cohort_id = join_angkatan(app, content_dir, user_id, today - timedelta(days=2),
                              today + timedelta(days=9))
    page = client.get("/courses/contoh/quizzes/kuis-contoh").get_data(as_text=True)
    assert "Kuis ini belum dibuka." in page
    opens = today + timedelta(days=8)
    assert f"{opens.day} " in page  # the person's own opening time
    assert "00.00" in page
    refused = client.post("/courses/contoh/quizzes/kuis-contoh/start",
                          data={"csrf_token": csrf_from(page)})
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Attempt)) == 0
    assert refused.status_code in (302, 400, 409)
    with app.app_context():  # day 10 of the angkatan
        from lms.cohorts.models import Cohort
        db.session.get(Cohort, cohort_id).starts_on = today - timedelta(days=10)
        db.session.commit()
    assert start(client)


def test_opens_day_must_be_a_whole_number_of_days(tmp_path):
    quiz, found = quiz_file(tmp_path, "id: k\ntitle: K\nkind: posttest\nopens_day: -1\n")
    assert quiz is None
    assert "kuis.yml:4: 'opens_day' cannot be negative" in [str(p) for p in found]
    quiz, found = quiz_file(tmp_path, "id: k\ntitle: K\nkind: posttest\nopens_day: sepuluh\n")
    assert quiz is None
    assert any("'opens_day' must be a whole number of days after the angkatan's start" in str(p)
               for p in found)
