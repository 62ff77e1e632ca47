"""The ordering type, added through its own module and one registry line only."""

import re
import textwrap

import pytest
from sqlalchemy import select

from lms.content import load_tree, sync_tree
from lms.extensions import db
from lms.quizzes import types
from lms.quizzes.grading import ResponseError, grade, parse_response
from lms.quizzes.loader import load_quiz
from lms.quizzes.models import Attempt
from tests.conftest import csrf_from, write_course

QUESTION = """\
  - id: urutan
    type: ordering
    points: 3
    text: Urutkan langkah membangun merek.
    items:
      - Riset
      - Positioning
      - Identitas visual
"""
HEADER = "id: kuis-urut\ntitle: Kuis Urut\nkind: practice\nreview:\n  answers: immediately\n" \
         "questions:\n"


def load(tmp_path, body=QUESTION):
    path = tmp_path / "kuis.yml"
    path.write_text(HEADER + body)
    return load_quiz(path, "kuis.yml")


def test_the_type_is_registered_and_loads_from_a_quiz_file(tmp_path):
    assert "ordering" in types.QUESTION_TYPES
    assert "ordering" in types.AUTO_GRADED
    quiz, found = load(tmp_path)
    assert found == []
    question = quiz.questions[0]
    assert [c.html for c in question.choices] == ["<p>Riset</p>", "<p>Positioning</p>",
                                                 "<p>Identitas visual</p>"]


@pytest.mark.parametrize(("body", "message"), [
    ("  - id: u\n    type: ordering\n    text: x\n    items: [Satu]\n",
     "kuis.yml:10: ordering needs at least two items"),
    ("  - id: u\n    type: ordering\n    text: x\n    items: [Satu, {a: b}]\n",
     "kuis.yml:10: each item must be a text"),
    ("  - id: u\n    type: ordering\n    text: x\n", "kuis.yml:7: missing required key 'items'"),
])
def test_mistakes_are_named_by_line(tmp_path, body, message):
    quiz, found = load(tmp_path, body)
    assert quiz is None
    assert any(str(p).startswith(message) for p in found), found


def test_grading_counts_items_at_their_own_position(tmp_path):
    question = load(tmp_path)[0].questions[0]
    assert grade(question, parse_response(question, {"a": 1, "b": 2, "c": 3})).fraction == 1.0
    assert grade(question, parse_response(question, {"a": "1", "b": "3", "c": "2"})
                 ).fraction == pytest.approx(1 / 3, abs=1e-6)
    assert grade(question, parse_response(question, {"a": 2})).fraction == 0.0
    assert parse_response(question, {"a": "", "b": None}) is None
    for forged in ({"z": 1}, {"a": 0}, {"a": 4}, {"a": True}, {"a": "1.0"}, ["a"], "a"):
        with pytest.raises(ResponseError):
            parse_response(question, forged)


def test_taking_an_ordering_question_through_the_pages(app, client, content_dir, make_user,
                                                       enroll, auth):
    write_course(content_dir, "contoh", 1)
    folder = content_dir / "contoh" / "quizzes"
    folder.mkdir(parents=True)
    (folder / "kuis.yml").write_text(HEADER + textwrap.dedent(QUESTION))
    with app.app_context():
        assert sync_tree(load_tree(content_dir)).ok
        db.session.commit()
    user_id, email = make_user()
    enroll(user_id, "contoh")
    auth.login(email)
    quiz = "/courses/contoh/quizzes/kuis-urut"
    page = client.get(quiz).get_data(as_text=True)
    url = client.post(f"{quiz}/start", data={"csrf_token": csrf_from(page)}).headers["Location"]
    html = client.get(url).get_data(as_text=True)
    rows = dict((label, token) for token, label in re.findall(
        r'<label for="q1-(\w+)">([^<]+)</label>', html))
    assert set(rows) == {"Riset", "Positioning", "Identitas visual"}
    assert not set(rows.values()) & {"a", "b", "c"}  # no authored key in the page
    data = {"csrf_token": csrf_from(html), "p": ["1"], f"q1-{rows['Riset']}": "1",
            f"q1-{rows['Positioning']}": "2", f"q1-{rows['Identitas visual']}": "3"}
    forged = client.post(url + "/save", data={**data, "q1-a": "1"},
                         headers={"X-Requested-With": "fetch"})
    assert forged.get_json()["code"] == "invalid"
    saved = client.post(url + "/save", data=data, headers={"X-Requested-With": "fetch"})
    assert saved.get_json()["ok"] is True
    again = client.get(url).get_data(as_text=True)  # the saved positions are shown again
    assert re.search(rf'name="q1-{rows["Positioning"]}".*?<option value="2" selected>', again,
                     re.S)
    client.post(url + "/submit", data={"csrf_token": csrf_from(again)})
    with app.app_context():
        attempt = db.session.scalar(select(Attempt))
        assert attempt.points == 3.0
    review = client.get(url + "/review").get_data(as_text=True)
    assert re.search(r"Jawaban benar:</strong>\s*<ol><li>Riset</li><li>Positioning</li>"
                     r"<li>Identitas visual</li></ol>", review)
