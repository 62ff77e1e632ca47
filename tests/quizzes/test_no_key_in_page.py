"""No answer key in the attempt page: the shipped quizzes taken by someone who never reads.

The attacker answers every choice question with the smallest identifier on the page: on
the old pages, which sent the authored letters, that was "a", the first authored choice
(and "false"), and it scored 7 of 8 on a post-test. With random per-attempt identifiers it
scores what chance predicts. The authored letter itself is refused.
"""

import math
import re
import statistics
from html import unescape
from pathlib import Path

import pytest
from sqlalchemy import select

from lms.content import load_tree, sync_tree
from lms.courses.models import Course
from lms.extensions import db
from lms.quizzes.models import Attempt, Quiz
from lms.quizzes.spec import Question
from tests.conftest import csrf_from

CONTENT = Path(__file__).resolve().parents[2] / "course_content"
CHOICE_TYPES = ("single", "multiple", "truefalse", "matching")


def _clamp(value: float) -> float:
    return max(0.0, min(1.0, value))


def outcomes(question: Question) -> list[float]:
    """The fraction earned by 'take the smallest identifier', for each equally likely one."""
    if question.type in ("single", "multiple"):
        return [_clamp(choice.fraction) for choice in question.choices]
    if question.type == "truefalse":
        return [1.0, 0.0]
    options = question.right_options  # matching: every row gets the same option
    return [sum(p.right == option for p in question.pairs) / len(question.pairs)
            for option in options]


def keyed(question: Question) -> float:
    """What the same strategy scored when the page sent authored keys ("a", "false")."""
    if question.type in ("single", "multiple"):
        return _clamp(question.choices[0].fraction)
    if question.type == "truefalse":
        return 0.0 if question.answer else 1.0
    lowest = min(question.right_options)
    return sum(p.right == lowest for p in question.pairs) / len(question.pairs)


def smallest(html: str, position: int, kind: str) -> dict:
    name = f"q{position}"
    section = html.split(f'id="question-{position}"', 1)[1].split("</section>", 1)[0]
    if kind == "matching":
        rows = re.findall(rf'<select id="{name}-(\w+)" name="{name}-\w+"', section)
        lowest = min(re.findall(r'<option value="([^"]+)"', section))
        return {f"{name}-{row}": lowest for row in rows}
    value = min(re.findall(rf'name="{name}" value="(\w+)"', section))
    return {name: [value] if kind == "multiple" else value}


@pytest.fixture
def shipped(app, make_user, enroll, auth):
    with app.app_context():
        report = sync_tree(load_tree(CONTENT))
        assert report.ok, report.refused
        db.session.commit()
        courses = [c.slug for c in db.session.scalars(select(Course))]
        quizzes = [(q.id, db.session.get(Course, q.course_id).slug, q.slug)
                   for q in db.session.scalars(select(Quiz).order_by(Quiz.id))]
    user_id, email = make_user()
    for slug in courses:
        enroll(user_id, slug)
    auth.login(email)
    return quizzes


def test_answering_the_smallest_identifier_scores_chance_on_every_shipped_quiz(app, client,
                                                                              shipped):
    expected = variance = key = 0.0
    attempt_ids = []
    for _quiz_id, course, quiz in shipped:
        url = f"/courses/{course}/quizzes/{quiz}"
        page = client.get(url).get_data(as_text=True)
        started = client.post(f"{url}/start", data={"csrf_token": csrf_from(page)})
        attempt_url = started.headers["Location"]
        html = client.get(attempt_url).get_data(as_text=True)
        data = {"csrf_token": csrf_from(html), "p": re.findall(r'name="p" value="(\d+)"', html)}
        with app.app_context():
            attempt = db.session.get(Attempt, int(attempt_url.rsplit("/", 1)[1]))
            for item in attempt.items:
                question = Question.from_dict(item.version.data)
                if question.type not in CHOICE_TYPES:
                    continue
                data.update(smallest(html, item.position, question.type))
                scores = [question.points * fraction for fraction in outcomes(question)]
                expected += statistics.fmean(scores)
                variance += statistics.pvariance(scores)
                key += question.points * keyed(question)
        assert client.post(f"{attempt_url}/submit", data=data).status_code == 302
        attempt_ids.append(attempt.id)
    with app.app_context():
        attempts = [db.session.get(Attempt, i) for i in attempt_ids]
        assert all(a.finished_at is not None for a in attempts)
        earned = sum(a.points for a in attempts)
    spread = 4 * math.sqrt(variance)  # four standard deviations: fails ~1 run in 15,000
    assert key > expected + spread, "the key must be worth more than chance for this to test"
    assert abs(earned - expected) <= spread, (earned, expected, spread, key)


def test_the_authored_letter_is_refused_and_nothing_saved(app, client, shipped):
    _quiz_id, course, quiz = next(s for s in shipped if s[2].endswith("posttest"))
    url = f"/courses/{course}/quizzes/{quiz}"
    page = client.get(url).get_data(as_text=True)
    attempt_url = client.post(f"{url}/start", data={"csrf_token": csrf_from(page)}
                              ).headers["Location"]
    html = client.get(attempt_url).get_data(as_text=True)
    with app.app_context():
        attempt = db.session.get(Attempt, int(attempt_url.rsplit("/", 1)[1]))
        single = next(i.position for i in attempt.items if i.version.data["type"] == "single")
    response = client.post(f"{attempt_url}/save", headers={"X-Requested-With": "fetch"},
                           data={"csrf_token": csrf_from(html), "p": [str(single)],
                                 f"q{single}": "a"})
    assert response.status_code == 409
    body = response.get_json()
    assert body["code"] == "invalid"
    assert "Ada jawaban yang tidak diterima dan tidak ada yang disimpan" in body["message"]
    # In Indonesian, numbered as the page numbers questions, without internal ids.
    assert "muat ulang" in body["message"]
    assert "not offered" not in body["message"]
    assert "question" not in body["message"]
    with app.app_context():
        attempt = db.session.get(Attempt, attempt.id)
        assert all(item.response is None for item in attempt.items)


def _plain(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def test_no_correct_answer_or_feedback_in_any_shipped_attempt_page(app, client, shipped):
    for _quiz_id, course, quiz in shipped:
        url = f"/courses/{course}/quizzes/{quiz}"
        page = client.get(url).get_data(as_text=True)
        attempt_url = client.post(f"{url}/start", data={"csrf_token": csrf_from(page)}
                                  ).headers["Location"]
        html = client.get(attempt_url).get_data(as_text=True)
        text = _plain(html)
        assert "fraction" not in html
        assert "correct" not in html
        with app.app_context():
            attempt = db.session.get(Attempt, int(attempt_url.rsplit("/", 1)[1]))
            questions = [Question.from_dict(item.version.data) for item in attempt.items]
            attributes = {value.lower() for value in re.findall(r'="([^"]*)"', html)}
            for item, question in zip(attempt.items, questions, strict=True):
                secrets = [question.general_feedback_html, question.feedback_true_html,
                           question.feedback_false_html, question.grader_info_html,
                           *(c.feedback_html for c in question.choices),
                           *(a.feedback_html for a in question.short_answers),
                           *(a.feedback_html for a in question.numerical)]
                for secret in filter(None, map(_plain, secrets)):
                    assert secret not in text, (quiz, question.id, secret)
                for accepted in question.short_answers:  # never as a field's value
                    assert accepted.text.lower() not in attributes, (quiz, question.id)
                # Identifiers are not the authored keys, and differ per choice.
                for entry in item.order if isinstance(item.order, list) else []:
                    token, authored = entry
                    assert token != authored
                    assert f'value="{authored}"' not in html.split(
                        f'id="question-{item.position}"', 1)[1].split("</section>", 1)[0]


def test_the_review_of_a_shipped_post_test_keeps_the_key_for_later(app, client, shipped):
    for _quiz_id, course, quiz in (s for s in shipped if s[2].endswith("posttest")):
        url = f"/courses/{course}/quizzes/{quiz}"
        page = client.get(url).get_data(as_text=True)
        attempt_url = client.post(f"{url}/start", data={"csrf_token": csrf_from(page)}
                                  ).headers["Location"]
        html = client.get(attempt_url).get_data(as_text=True)
        client.post(f"{attempt_url}/submit", data={"csrf_token": csrf_from(html)})
        review = client.get(f"{attempt_url}/review").get_data(as_text=True)
        assert "Jawaban benar:" not in review
        assert 'class="feedback' not in review
        text = _plain(review)
        with app.app_context():
            attempt = db.session.get(Attempt, int(attempt_url.rsplit("/", 1)[1]))
            for item in attempt.items:
                question = Question.from_dict(item.version.data)
                for secret in filter(None, map(_plain, [
                        question.general_feedback_html, question.feedback_true_html,
                        question.feedback_false_html,
                        *(c.feedback_html for c in question.choices)])):
                    assert secret not in text, (quiz, question.id)
