"""Quiz files: every mistake named by file and line; a valid file becomes questions."""

import textwrap

import pytest

from lms.quizzes.loader import load_quiz

HEADER = "id: kuis\ntitle: Kuis\nkind: practice\nquestions:\n"


def problems(tmp_path, body: str, header: str = HEADER):
    path = tmp_path / "kuis.yml"
    path.write_text(header + textwrap.dedent(body))
    quiz, found = load_quiz(path, "kuis.yml")
    return quiz, [str(p) for p in found]


def test_valid_quiz_builds_every_type(tmp_path):
    quiz, found = problems(tmp_path, """\
      - id: a
        type: single
        text: "**Tebal**"
        choices: [{text: Ya, correct: true, feedback: Betul}, {text: Tidak}]
      - id: b
        type: multiple
        text: Pilih
        choices: [{text: x, correct: true}, {text: y, correct: true}, {text: z, correct: true}]
      - id: c
        type: truefalse
        text: Benar?
        answer: false
      - id: d
        type: short
        text: Singkatan?
        answers: [{text: JP}, {text: jam, fraction: 0.5}]
      - id: e
        type: numerical
        text: Berapa?
        answers: [{value: 45, tolerance: 1}, {min: 40, max: 50, fraction: 0.5}]
      - id: f
        type: matching
        text: Pasangkan
        pairs: [{left: A, right: "1"}, {left: B, right: "2"}]
        distractors: ["3"]
      - id: g
        type: essay
        text: Jelaskan
        points: 3
      - id: h
        type: description
        text: Bacalah teks berikut.
      """)
    assert found == []
    assert [q.type for q in quiz.questions] == [
        "single", "multiple", "truefalse", "short", "numerical", "matching", "essay",
        "description"]
    assert quiz.questions[0].text_html == "<p><strong>Tebal</strong></p>"
    assert [c.fraction for c in quiz.questions[1].choices] == [0.333333] * 3
    assert quiz.questions[4].numerical[0].min == 44
    assert quiz.questions[6].points == 3


@pytest.mark.parametrize(("body", "expected"), [
    ("  - id: a\n    type: single\n    text: x\n    colour: red\n"
     "    choices: [{text: a, correct: true}, {text: b}]\n",
     "kuis.yml:8: unknown key 'colour'"),
    ("  - id: a\n    type: single\n    text: x\n    choices: [{text: a}, {text: b}]\n",
     "kuis.yml:8: no correct answer"),
    ("  - id: a\n    type: multiple\n    text: x\n"
     "    choices: [{text: a, fraction: 0.5}, {text: b, fraction: 0.3}]\n",
     "kuis.yml:8: the positive fractions add up to 80%, not 100%"),
    ("  - id: a\n    type: truefalse\n    text: x\n    answer: true\n"
     "  - id: a\n    type: truefalse\n    text: y\n    answer: false\n",
     "kuis.yml:9: question id 'a' is already used on line 5"),
    ("  - id: a\n    type: essai\n    text: x\n", "kuis.yml:6: question type must be one of"),
    ("  - id: a\n    type: short\n    text: x\n    answers: [{text: a, fraction: 0.5}]\n",
     "kuis.yml:8: no answer is worth 100%"),
    ("  - id: a\n    type: numerical\n    text: x\n    answers: [{min: 5, max: 1}]\n",
     "kuis.yml:8: 'min' is above 'max'"),
    ("  - id: a\n    type: matching\n    text: x\n    pairs: [{left: a, right: b}]\n",
     "kuis.yml:8: matching needs at least two pairs"),
    ("  - id: A B\n    type: essay\n    text: x\n", "kuis.yml:5: question id 'A B' must be"),
    ("  - id: a\n    type: single\n    text: x\n    choices: [{text: a, fraction: 2}, {text: b}]\n",
     "kuis.yml:8: 'fraction' must be from -1 to 1"),
])
def test_mistakes_are_named_by_line(tmp_path, body, expected):
    quiz, found = problems(tmp_path, body)
    assert quiz is None
    assert any(p.startswith(expected) for p in found), found


def test_settings_are_checked(tmp_path):
    header = ("id: kuis\ntitle: Kuis\nkind: quiz\ngrading: best\npass_mark: 120\n"
              "review:\n  score: later\nopens_at: besok\nquestions:\n")
    _quiz, found = problems(tmp_path, "  - id: a\n    type: essay\n    text: x\n", header)
    assert any(p.startswith("kuis.yml:3: 'kind' must be one of") for p in found), found
    assert any(p.startswith("kuis.yml:4: 'grading' must be one of") for p in found), found
    assert any(p.startswith("kuis.yml:5: 'pass_mark'") for p in found), found
    assert any(p.startswith("kuis.yml:7: 'score' must be one of") for p in found), found
    assert any(p.startswith("kuis.yml:8: 'opens_at' must be an ISO date-time") for p in found)


def test_times_without_zone_are_wib(tmp_path):
    header = ("id: kuis\ntitle: Kuis\nkind: exam\nopens_at: '2026-12-01T08:00'\n"
              "closes_at: '2026-12-01T10:00+08:00'\nquestions:\n")
    quiz, found = problems(tmp_path, "  - id: a\n    type: essay\n    text: x\n", header)
    assert found == []
    assert quiz.opens_at.isoformat() == "2026-12-01T01:00:00"
    assert quiz.closes_at.isoformat() == "2026-12-01T02:00:00"


def test_draw_more_than_the_pool(tmp_path):
    header = "id: kuis\ntitle: Kuis\nkind: exam\ndraw:\n  count: 5\n  tag: inti\nquestions:\n"
    _quiz, found = problems(tmp_path, "  - id: a\n    type: essay\n    tags: [inti]\n"
                                      "    text: x\n", header)
    assert found == ["kuis.yml:5: draw asks for 5 questions but only 1 match"]


def test_broken_yaml(tmp_path):
    _quiz, found = problems(tmp_path, "  - id: a\n    text: [unclosed\n")
    assert found[0].startswith("kuis.yml:6: YAML error")
