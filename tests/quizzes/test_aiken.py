"""The Aiken parser, without an app: Moodle's documented example, edge cases, errors."""

import math
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lms.quizzes.aiken import parse_aiken
from lms.quizzes.qformat import QuestionFormatErrors, normalize_question

DATA = Path(__file__).parent / "data"


def only(source: str) -> dict:
    questions = parse_aiken(source)
    assert len(questions) == 1
    return questions[0]


def errors_of(source: str) -> list[tuple[int, str]]:
    with pytest.raises(QuestionFormatErrors) as caught:
        parse_aiken(source, "bank.txt")
    return [(error.line, error.message) for error in caught.value.errors]


def right_and_texts(question: dict) -> tuple[list[str], list[str]]:
    texts = [choice["text"] for choice in question["choices"]]
    return [c["text"] for c in question["choices"] if c["fraction"] == 1.0], texts


def test_moodle_documentation_example():
    questions = parse_aiken((DATA / "moodle_docs_aiken.txt").read_text(encoding="utf-8"))
    assert questions == [
        {
            "type": "single",
            "title": None,
            "category": None,
            "text": "What is the correct answer to this question?",
            "format": "plain",
            "choices": [
                {"text": "Is it this one?", "fraction": 0.0, "feedback": None},
                {"text": "Maybe this answer?", "fraction": 0.0, "feedback": None},
                {"text": "Possibly this one?", "fraction": 0.0, "feedback": None},
                {"text": "Must be this one!", "fraction": 1.0, "feedback": None},
            ],
            "general_feedback": None,
            "line": 1,
            "tags": [],
            "idnumber": None,
            "formats": {},
        },
        {
            "type": "single",
            "title": None,
            "category": None,
            "text": "Which LMS has the most quiz import formats?",
            "format": "plain",
            "choices": [
                {"text": "Moodle", "fraction": 1.0, "feedback": None},
                {"text": "ATutor", "fraction": 0.0, "feedback": None},
                {"text": "Claroline", "fraction": 0.0, "feedback": None},
                {"text": "Blackboard", "fraction": 0.0, "feedback": None},
                {"text": "WebCT", "fraction": 0.0, "feedback": None},
                {"text": "Ilias", "fraction": 0.0, "feedback": None},
            ],
            "general_feedback": None,
            "line": 8,
            "tags": [],
            "idnumber": None,
            "formats": {},
        },
    ]


@pytest.mark.parametrize(
    "answer_line",
    ["ANSWER: B", "ANSWER:B", "ANSWER :  B", "Answer: b", "answer: B", "ANSWER: B.", "ANSWER: B)"],
)
def test_answer_line_spellings(answer_line):
    question = only(f"Kota?\nA. Bandung\nB. Jakarta\n{answer_line}")
    assert right_and_texts(question) == (["Jakarta"], ["Bandung", "Jakarta"])


@pytest.mark.parametrize(
    "choice_lines",
    [
        "A. Satu\nB. Dua",
        "A) Satu\nB) Dua",
        "A.\tSatu\nB)  Dua",
        "  A. Satu  \n\tB. Dua",
    ],
)
def test_choice_spellings(choice_lines):
    question = only(f"Pilih?\n{choice_lines}\nANSWER: A")
    assert right_and_texts(question) == (["Satu"], ["Satu", "Dua"])


def test_multi_line_text_blank_lines_and_line_numbers():
    source = "\n\nFirst line\nsecond line?\n\nA. x\n\nB. y\nANSWER: B\nNext?\nA. 1\nB. 2\nANSWER: A"
    questions = parse_aiken(source)
    assert [(q["text"], q["line"]) for q in questions] == [
        ("First line\nsecond line?", 3),
        ("Next?", 10),
    ]


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_line_endings(newline):
    source = newline.join(
        ["Q1?", "A. a", "B. b", "ANSWER: A", "", "Q2?", "A. a", "B. b", "ANSWER: B"]
    )
    assert [q["line"] for q in parse_aiken(source)] == [1, 6]


def test_choice_text_keeps_dots_and_parentheses():
    question = only("Q?\nA. e.g. A) or B.\nB. (none)\nANSWER: A")
    assert right_and_texts(question) == (["e.g. A) or B."], ["e.g. A) or B.", "(none)"])


def test_letters_need_not_be_consecutive():
    assert right_and_texts(only("Q?\nA. a\nC. c\nANSWER: C")) == (["c"], ["a", "c"])


@pytest.mark.parametrize("source", ["", "\n\n  \n", "\ufeff"])
def test_files_without_questions_give_an_empty_list(source):
    assert parse_aiken(source) == []


def test_byte_order_mark_is_ignored():
    assert only("\ufeffQ?\nA. a\nB. b\nANSWER: A")["text"] == "Q?"


ERROR_CASES = [
    ("Q?\nA. a\nB. b", 1, "no 'ANSWER: <letter>' line"),
    ("Q?", 1, "no 'ANSWER: <letter>' line"),
    ("Q?\nA. a\nB. b\nANSWER: E", 4, "ANSWER E is not one of the choices A, B"),
    ("Q?\nA. a\nB. b\nANSWER: B, C", 4, "got 'B, C'"),
    ("Q?\nA. a\nB. b\nANSWER:", 4, "got ''"),
    ("Q?\nA. a\nB. b\nANSWER: 2", 4, "got '2'"),
    ("ANSWER: A", 1, "'ANSWER:' without a question above it"),
    ("A. a\nB. b\nANSWER: A", 1, "choice A comes before any question text"),
    ("Q?\nA. a\nA. b\nANSWER: A", 3, "choice A appears twice"),
    ("Q?\nA. a\nB.\nANSWER: A", 3, "choice B is empty"),
    ("Q?\nA. only\nANSWER: A", 1, "at least 2 choices"),
    ("Q?\nANSWER: A", 1, "at least 2 choices"),
    ("Q?\nA. a\nb) lower case\nANSWER: A", 3, "expected a choice like 'B. text'"),
]


@pytest.mark.parametrize(("source", "line", "message"), ERROR_CASES)
def test_malformed_question_is_reported_at_its_line(source, line, message):
    errors = errors_of("Fine?\nA. y\nB. n\nANSWER: A\n\n" + source)
    assert errors[0][0] == line + 5
    assert message in errors[0][1]


def test_all_errors_of_a_file_are_reported_together_and_nothing_is_returned():
    with pytest.raises(QuestionFormatErrors) as caught:
        parse_aiken((DATA / "broken_aiken.txt").read_text(encoding="utf-8"), "broken_aiken.txt")
    assert str(caught.value).splitlines() == [
        "broken_aiken.txt:5: expected a choice like 'B. text' or 'ANSWER: <letter>' after the "
        "choices of the question on line 1",
        "broken_aiken.txt:8: ANSWER E is not one of the choices A, B",
    ]


def test_a_missing_answer_line_does_not_swallow_the_next_question():
    errors = errors_of("Q1?\nA. a\nB. b\n\nQ2?\nA. a\nB. b\nANSWER: Z\nQ3?\nA. a")
    assert [line for line, _ in errors] == [5, 8, 9]


def test_default_path_names_the_format():
    with pytest.raises(QuestionFormatErrors, match=r"^<aiken>:1: "):
        parse_aiken("Q?")


def check_parses_or_reports_lines(source: str) -> None:
    line_count = len(re.split(r"\r\n|\r|\n", source))
    try:
        questions, errors = parse_aiken(source, "fuzz.txt"), ()
    except QuestionFormatErrors as caught:
        questions, errors = None, caught.errors
    assert questions is not None or errors
    for error in errors:
        assert 1 <= error.line <= line_count
        assert str(error).startswith(f"fuzz.txt:{error.line}: ")
        assert error.message
    for question in questions or []:
        assert question["type"] == "single"
        assert question["text"].strip()
        assert 1 <= question["line"] <= line_count
        assert len(question["choices"]) >= 2
        assert all(choice["text"] for choice in question["choices"])
        fractions = [choice["fraction"] for choice in question["choices"]]
        assert sorted(fractions)[-2:] == [0.0, 1.0]
        assert math.fsum(fractions) == 1.0
        assert normalize_question(question) == question


AIKEN_LINES = st.lists(
    st.one_of(
        st.sampled_from(["A. a", "B) b", "C. c", "A.", "ANSWER: A", "ANSWER: B", "answer: c", ""]),
        st.sampled_from(["Q?", "Soal?", "ANSWER:", "ANSWER: AB", "D) d", "a) a", " "]),
        st.text(alphabet="ABCDEFNSWR.): \tabc", max_size=12),
    ),
    max_size=30,
).map("\n".join)
AIKEN_QUESTION = st.builds(
    lambda text, choices, answer: "\n".join([*text, *choices, answer]),
    st.lists(st.sampled_from(["Q?", "Soal ini?", "", "A. lead"]), min_size=1, max_size=2),
    st.lists(st.sampled_from(["A. a", "B) b", "C. c", "B. b", "A.", "a) a", " "]), max_size=4),
    st.sampled_from(["ANSWER: A", "ANSWER: B", "answer: c", "ANSWER:", "ANSWER: AB", ""]),
)
AIKEN_FILES = st.lists(AIKEN_QUESTION, max_size=5).map("\n".join)


@settings(max_examples=400, deadline=None)
@given(st.one_of(AIKEN_LINES, AIKEN_FILES, st.text(max_size=300)))
def test_any_text_parses_or_raises_with_line_numbers(source):
    check_parses_or_reports_lines(source)


CHOICE_TEXT = (
    st.text(st.characters(blacklist_categories=["Cs"], blacklist_characters="\r\n"), max_size=30)
    .map(str.strip)
    .filter(bool)
)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="abc xyz?", min_size=1).filter(str.strip), st.data())
def test_generated_questions_come_back_exactly(text, data):
    texts = data.draw(st.lists(CHOICE_TEXT, min_size=2, max_size=26))
    right = data.draw(st.integers(0, len(texts) - 1))
    letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    lines = [text, *(f"{letters[i]}) {choice}" for i, choice in enumerate(texts))]
    question = only("\n".join([*lines, f"ANSWER: {letters[right]}"]))
    assert question["text"] == text.strip()
    assert right_and_texts(question) == ([texts[right]], texts)
