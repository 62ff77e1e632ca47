"""The GIFT parser, without an app: Moodle's documented examples, edge cases, errors."""

import math
import pickle
import re
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lms.quizzes.gift import parse_gift
from lms.quizzes.qformat import (
    QUESTION_TYPES,
    TEXT_FORMATS,
    QuestionFormatError,
    QuestionFormatErrors,
    normalize_question,
)

DATA = Path(__file__).parent / "data"
COMMON_KEYS = ["type", "title", "category", "text", "format"]
EXTRA_KEYS = ["tags", "idnumber", "formats"]
TYPE_KEYS = {
    "single": ["choices"],
    "multiple": ["choices"],
    "short": ["choices"],
    "truefalse": ["answer", "feedback_true", "feedback_false"],
    "numerical": ["numerical", "feedback_wrong"],
    "matching": ["pairs"],
    "essay": [],
    "description": [],
}


def only(source: str) -> dict:
    questions = parse_gift(source)
    assert len(questions) == 1
    return questions[0]


def errors_of(source: str) -> list[tuple[int, str]]:
    with pytest.raises(QuestionFormatErrors) as caught:
        parse_gift(source, "bank.gift")
    return [(error.line, error.message) for error in caught.value.errors]


def choices(question: dict) -> list[tuple[str, float, str | None]]:
    return [(c["text"], c["fraction"], c["feedback"]) for c in question["choices"]]


def numbers(question: dict) -> list[tuple[float, float, float]]:
    return [(a["value"], a["tolerance"], a["fraction"]) for a in question["numerical"]]


def assert_well_formed(question: dict, line_count: int) -> None:
    """The promise every returned dict keeps, whatever the file looked like."""
    qtype = question["type"]
    assert qtype in QUESTION_TYPES
    assert list(question) == [*COMMON_KEYS, *TYPE_KEYS[qtype], "general_feedback", "line",
                              *EXTRA_KEYS]
    assert isinstance(question["text"], str)
    assert question["text"].strip()
    assert question["format"] in TEXT_FORMATS
    for key in ("title", "category", "general_feedback", "feedback_true", "feedback_false"):
        assert question.get(key) is None or (isinstance(question[key], str) and question[key])
    assert isinstance(question["line"], int)
    assert 1 <= question["line"] <= line_count
    for choice in question.get("choices", []):
        assert choice["text"]
        assert isinstance(choice["fraction"], float)
        assert -1 <= choice["fraction"] <= 1
        assert choice["feedback"] is None or choice["feedback"]
    fractions = [choice["fraction"] for choice in question.get("choices", [])]
    if qtype in ("single", "short"):
        assert any(math.isclose(f, 1) for f in fractions)
    if qtype == "multiple":
        assert sum(f for f in fractions if f > 0) == pytest.approx(1, abs=0.005)
    if qtype in ("single", "multiple"):
        assert len(fractions) >= 2
    if qtype == "truefalse":
        assert isinstance(question["answer"], bool)
    if qtype == "numerical":
        assert question["numerical"]
        for answer in question["numerical"]:
            assert math.isfinite(answer["value"])
            assert math.isfinite(answer["tolerance"])
            assert answer["tolerance"] >= 0
            assert -1 <= answer["fraction"] <= 1
        assert any(math.isclose(a["fraction"], 1) for a in question["numerical"])
    if qtype == "matching":
        assert sum(1 for pair in question["pairs"] if pair["left"]) >= 2
        assert all(pair["right"] for pair in question["pairs"])
    assert normalize_question(question) == question


# Every example of https://docs.moodle.org/en/GIFT_format, with what it must become.
DOC_EXAMPLES = [
    pytest.param(
        "// true/false\n::Q1:: 1+1=2 {T}",
        {"type": "truefalse", "title": "Q1", "text": "1+1=2", "answer": True},
        id="Q1-truefalse",
    ),
    pytest.param(
        "// multiple choice with specified feedback for right and wrong answers\n"
        "::Q2:: What's between orange and green in the spectrum? \n"
        "{ =yellow # right; good! ~red # wrong, it's yellow ~blue # wrong, it's yellow }",
        {
            "type": "single",
            "title": "Q2",
            "text": "What's between orange and green in the spectrum?",
            "choices": [
                {"text": "yellow", "fraction": 1.0, "feedback": "right; good!"},
                {"text": "red", "fraction": 0.0, "feedback": "wrong, it's yellow"},
                {"text": "blue", "fraction": 0.0, "feedback": "wrong, it's yellow"},
            ],
        },
        id="Q2-multiple-choice-feedback",
    ),
    pytest.param(
        "// fill-in-the-blank\n::Q3:: Two plus {=two =2} equals four.",
        {
            "type": "short",
            "text": "Two plus _____ equals four.",
            "choices": [
                {"text": "two", "fraction": 1.0, "feedback": None},
                {"text": "2", "fraction": 1.0, "feedback": None},
            ],
        },
        id="Q3-fill-in-the-blank",
    ),
    pytest.param(
        "// matching\n::Q4:: Which animal eats which food? { =cat -> cat food =dog -> dog food }",
        {
            "type": "matching",
            "text": "Which animal eats which food?",
            "pairs": [{"left": "cat", "right": "cat food"}, {"left": "dog", "right": "dog food"}],
        },
        id="Q4-matching",
    ),
    pytest.param(
        "// math range question\n::Q5:: What is a number from 1 to 5? {#3:2}",
        {"type": "numerical", "numerical": [(3.0, 2.0, 1.0)]},
        id="Q5-numerical-tolerance",
    ),
    pytest.param(
        "// math range specified with interval end points\n"
        "::Q6:: What is a number from 1 to 5? {#1..5}\n"
        "// translated on import to the same as Q5, but unavailable from Moodle question interface",
        {"type": "numerical", "text": "What is a number from 1 to 5?", "numerical": [(3, 2, 1)]},
        id="Q6-numerical-range",
    ),
    pytest.param(
        "// multiple numeric answers with partial credit and feedback\n"
        "::Q7:: When was Ulysses S. Grant born? {#\n"
        "         =1822:0      # Correct! Full credit.\n"
        "         =%50%1822:2  # He was born in 1822. Half credit for being close.\n"
        "}",
        {"type": "numerical", "numerical": [(1822, 0, 1), (1822, 2, 0.5)]},
        id="Q7-numerical-partial-credit",
    ),
    pytest.param(
        "// essay\n::Q8:: How are you? {}",
        {"type": "essay", "title": "Q8", "text": "How are you?"},
        id="Q8-essay",
    ),
    pytest.param(
        "Who's buried in Grant's tomb?{~Grant ~Jefferson =no one}",
        {
            "type": "single",
            "text": "Who's buried in Grant's tomb?",
            "choices": [
                {"text": "Grant", "fraction": 0.0, "feedback": None},
                {"text": "Jefferson", "fraction": 0.0, "feedback": None},
                {"text": "no one", "fraction": 1.0, "feedback": None},
            ],
        },
        id="multiple-choice",
    ),
    pytest.param(
        "Grant is {~buried =entombed ~living} in Grant's tomb.",
        {"type": "single", "text": "Grant is _____ in Grant's tomb."},
        id="missing-word",
    ),
    pytest.param(
        "The American holiday of Thanksgiving is celebrated on the {\n"
        "    ~second\n    ~third\n    =fourth\n} Thursday of November.",
        {
            "type": "single",
            "text": "The American holiday of Thanksgiving is celebrated on the _____ "
            "Thursday of November.",
        },
        id="answers-on-separate-lines",
    ),
    pytest.param(
        "Japanese characters originally came from what country? {\n"
        "    ~India\n    =China\n    ~Korea\n    ~Egypt\n}",
        {"type": "single", "text": "Japanese characters originally came from what country?"},
        id="answers-indented",
    ),
    pytest.param(
        "Who's buried in Grant's tomb?{=Grant =Ulysses S. Grant =Ulysses Grant}",
        {
            "type": "short",
            "choices": [
                {"text": "Grant", "fraction": 1.0, "feedback": None},
                {"text": "Ulysses S. Grant", "fraction": 1.0, "feedback": None},
                {"text": "Ulysses Grant", "fraction": 1.0, "feedback": None},
            ],
        },
        id="short-answer",
    ),
    pytest.param(
        "Two plus two equals {=four =4}.",
        {"type": "short", "text": "Two plus two equals _____."},
        id="short-answer-missing-word",
    ),
    pytest.param(
        "Grant is buried in Grant's tomb.{F}",
        {"type": "truefalse", "answer": False, "feedback_true": None, "feedback_false": None},
        id="truefalse-F",
    ),
    pytest.param(
        "The sun rises in the east.{T}",
        {"type": "truefalse", "answer": True, "text": "The sun rises in the east."},
        id="truefalse-T",
    ),
    pytest.param(
        "Match the following countries with their corresponding capitals. {\n"
        "    =Canada -> Ottawa\n    =Italy  -> Rome\n    =Japan  -> Tokyo\n"
        "    =India  -> New Delhi\n    ####It's good to know the capitals\n}",
        {
            "type": "matching",
            "pairs": [
                {"left": "Canada", "right": "Ottawa"},
                {"left": "Italy", "right": "Rome"},
                {"left": "Japan", "right": "Tokyo"},
                {"left": "India", "right": "New Delhi"},
            ],
            "general_feedback": "It's good to know the capitals",
        },
        id="matching-general-feedback",
    ),
    pytest.param(
        "Moodle costs {~lots of money =nothing ~a small amount} to download from moodle.org.",
        {"type": "single", "text": "Moodle costs _____ to download from moodle.org."},
        id="missing-word-moodle-costs",
    ),
    pytest.param(
        "When was Ulysses S. Grant born?{#1822:5}",
        {"type": "numerical", "numerical": [(1822, 5, 1)]},
        id="numerical",
    ),
    pytest.param(
        "What is the value of pi (to 3 decimal places)? {#3.1415:0.0005}.",
        {
            "type": "numerical",
            "text": "What is the value of pi (to 3 decimal places)? _____.",
            "numerical": [(3.1415, 0.0005, 1)],
        },
        id="numerical-pi-tolerance",
    ),
    pytest.param(
        "What is the value of pi (to 3 decimal places)? {#3.141..3.142}.",
        {"type": "numerical", "numerical": [(3.1415, 0.0005, 1)]},
        id="numerical-pi-range",
    ),
    pytest.param(
        "When was Ulysses S. Grant born? {#\n"
        "    =1822:0      # Correct! Full credit.\n"
        "    =%50%1822:2  # He was born in 1822. Half credit for being close.\n}",
        {"type": "numerical", "numerical": [(1822, 0, 1), (1822, 2, 0.5)]},
        id="numerical-multiple-answers",
    ),
    pytest.param(
        "// Subheading: Numerical questions below\nWhat's 2 plus 2? {#4}",
        {"type": "numerical", "text": "What's 2 plus 2?", "numerical": [(4, 0, 1)], "line": 2},
        id="line-comment",
    ),
    pytest.param(
        "::Kanji Origins::Japanese characters originally\ncame from what country? {=China}",
        {
            "type": "short",
            "title": "Kanji Origins",
            "text": "Japanese characters originally\ncame from what country?",
        },
        id="question-name",
    ),
    pytest.param(
        "::Thanksgiving Date::The American holiday of Thanksgiving is \n"
        "celebrated on the {~second ~third =fourth} Thursday of November.",
        {
            "type": "single",
            "title": "Thanksgiving Date",
            "text": "The American holiday of Thanksgiving is \n"
            "celebrated on the _____ Thursday of November.",
        },
        id="question-name-missing-word",
    ),
    pytest.param(
        "What's the answer to this multiple-choice question? {\n"
        "~wrong answer#feedback comment on the wrong answer\n"
        "~another wrong answer#feedback comment on this wrong answer\n"
        "=right answer#Very good!}",
        {
            "type": "single",
            "choices": [
                {
                    "text": "wrong answer",
                    "fraction": 0.0,
                    "feedback": "feedback comment on the wrong answer",
                },
                {
                    "text": "another wrong answer",
                    "fraction": 0.0,
                    "feedback": "feedback comment on this wrong answer",
                },
                {"text": "right answer", "fraction": 1.0, "feedback": "Very good!"},
            ],
        },
        id="feedback-multiple-choice",
    ),
    pytest.param(
        "Who's buried in Grant's tomb? {\n=no one#excellent answer!\n=nobody#excellent answer!}",
        {
            "type": "short",
            "choices": [
                {"text": "no one", "fraction": 1.0, "feedback": "excellent answer!"},
                {"text": "nobody", "fraction": 1.0, "feedback": "excellent answer!"},
            ],
        },
        id="feedback-short-answer",
    ),
    pytest.param(
        "Grant is buried in Grant's tomb.{FALSE#No one is buried in Grant's tomb.}",
        {
            "type": "truefalse",
            "answer": False,
            "feedback_true": "No one is buried in Grant's tomb.",
            "feedback_false": None,
        },
        id="feedback-truefalse",
    ),
    pytest.param(
        "Difficult question.{~wrong answer ~%50%half credit answer =full credit answer}",
        {
            "type": "single",
            "choices": [
                {"text": "wrong answer", "fraction": 0.0, "feedback": None},
                {"text": "half credit answer", "fraction": 0.5, "feedback": None},
                {"text": "full credit answer", "fraction": 1.0, "feedback": None},
            ],
        },
        id="percentage-weights",
    ),
    pytest.param(
        "::Jesus' hometown::Jesus Christ was from {\n"
        "    ~Jerusalem#This was an important city, but the wrong answer.\n"
        "    ~%25%Bethlehem#He was born here, but not raised here.\n"
        "    ~%50%Galilee#You need to be more specific.\n"
        "    =Nazareth#Yes! That's right!\n}.",
        {
            "type": "single",
            "title": "Jesus' hometown",
            "text": "Jesus Christ was from _____.",
            "choices": [
                {
                    "text": "Jerusalem",
                    "fraction": 0.0,
                    "feedback": "This was an important city, but the wrong answer.",
                },
                {
                    "text": "Bethlehem",
                    "fraction": 0.25,
                    "feedback": "He was born here, but not raised here.",
                },
                {"text": "Galilee", "fraction": 0.5, "feedback": "You need to be more specific."},
                {"text": "Nazareth", "fraction": 1.0, "feedback": "Yes! That's right!"},
            ],
        },
        id="weights-with-feedback",
    ),
    pytest.param(
        "::Jesus' hometown:: Jesus Christ was from {\n"
        "    =Nazareth#Yes! That's right!\n"
        "    =%75%Nazereth#Right, but misspelled.\n"
        "    =%25%Bethlehem#He was born here, but not raised here.\n}",
        {
            "type": "short",
            "text": "Jesus Christ was from",
            "choices": [
                {"text": "Nazareth", "fraction": 1.0, "feedback": "Yes! That's right!"},
                {"text": "Nazereth", "fraction": 0.75, "feedback": "Right, but misspelled."},
                {
                    "text": "Bethlehem",
                    "fraction": 0.25,
                    "feedback": "He was born here, but not raised here.",
                },
            ],
        },
        id="weights-short-answer",
    ),
    pytest.param(
        "What two people are entombed in Grant's tomb? {\n"
        "    ~%-100%No one\n    ~%50%Grant\n    ~%50%Grant's wife\n    ~%-100%Grant's father\n}",
        {
            "type": "multiple",
            "choices": [
                {"text": "No one", "fraction": -1.0, "feedback": None},
                {"text": "Grant", "fraction": 0.5, "feedback": None},
                {"text": "Grant's wife", "fraction": 0.5, "feedback": None},
                {"text": "Grant's father", "fraction": -1.0, "feedback": None},
            ],
        },
        id="multiple-answers",
    ),
    pytest.param(
        "Which answer equals 5? {\n    ~ \\= 2 + 2\n    = \\= 2 + 3\n    ~ \\= 2 + 4\n}",
        {
            "type": "single",
            "choices": [
                {"text": "= 2 + 2", "fraction": 0.0, "feedback": None},
                {"text": "= 2 + 3", "fraction": 1.0, "feedback": None},
                {"text": "= 2 + 4", "fraction": 0.0, "feedback": None},
            ],
        },
        id="special-characters",
    ),
    pytest.param(
        "::GIFT Control Characters::\n"
        "Which of the following is NOT a control character for the GIFT import format? {\n"
        "   ~ \\~     # \\~ is a control character.\n"
        "   ~ \\=     # \\= is a control character.\n"
        "   ~ \\#     # \\# is a control character.\n"
        "   ~ \\{     # \\{ is a control character.\n"
        "   ~ \\}     # \\} is a control character.\n"
        "   = \\\\     # Correct! \\\\ (backslash) is not a control character. BUT,\n"
        "              it is used to escape the control characters.\n"
        "}",
        {
            "type": "single",
            "title": "GIFT Control Characters",
            "text": "Which of the following is NOT a control character for the GIFT import format?",
            "choices": [
                {"text": "~", "fraction": 0.0, "feedback": "~ is a control character."},
                {"text": "=", "fraction": 0.0, "feedback": "= is a control character."},
                {"text": "#", "fraction": 0.0, "feedback": "# is a control character."},
                {"text": "{", "fraction": 0.0, "feedback": "{ is a control character."},
                {"text": "}", "fraction": 0.0, "feedback": "} is a control character."},
                {
                    "text": "\\",
                    "fraction": 1.0,
                    "feedback": "Correct! \\ (backslash) is not a control character. BUT,\n"
                    "              it is used to escape the control characters.",
                },
            ],
        },
        id="control-characters",
    ),
    pytest.param(
        "$CATEGORY: tom/dick/harry\n\n::Q:: In a category? {T}",
        {"type": "truefalse", "category": "tom/dick/harry", "line": 3},
        id="category",
    ),
    pytest.param(
        "::Question title:: [html] What is <b>bold</b>? {=<b>bold</b> ~<i>italic</i>}",
        {"type": "single", "format": "html", "text": "What is <b>bold</b>?"},
        id="format-html",
    ),
    pytest.param(
        "[markdown]Which **word** is bold? {=**word** ~*is*}",
        {"type": "single", "format": "markdown", "text": "Which **word** is bold?"},
        id="format-markdown",
    ),
    pytest.param(
        "Write a short biography of Dag Hammarskjöld. {}",
        {"type": "essay", "text": "Write a short biography of Dag Hammarskjöld."},
        id="essay",
    ),
    pytest.param(
        "You can use your pencil and paper for these next math questions.",
        {
            "type": "description",
            "text": "You can use your pencil and paper for these next math questions.",
        },
        id="description",
    ),
]


@pytest.mark.parametrize(("source", "expected"), DOC_EXAMPLES)
def test_moodle_documentation_example(source, expected):
    question = only(source)
    assert_well_formed(question, source.count("\n") + 1)
    for key, value in expected.items():
        if key == "numerical":
            assert numbers(question) == [pytest.approx(row) for row in value]
        else:
            assert question[key] == value, key


def test_documentation_examples_parse_as_one_file():
    source = (DATA / "moodle_docs.gift").read_text(encoding="utf-8")
    questions = parse_gift(source, "moodle_docs.gift")
    lines = source.split("\n")
    assert Counter(q["type"] for q in questions) == {
        "single": 14,
        "numerical": 8,
        "short": 6,
        "truefalse": 4,
        "matching": 2,
        "essay": 2,
        "multiple": 1,
        "description": 1,
    }
    for question in questions:
        assert_well_formed(question, len(lines))
        first = lines[question["line"] - 1]
        assert not first.strip().startswith("//")
        assert (question["title"] or question["text"].split()[0]) in first
        assert lines[question["line"] - 2].strip() == "" or lines[question["line"] - 2].startswith(
            "//"
        )
    assert [q["category"] for q in questions][-5:] == [
        None,
        "$course$/top/Default for Course",
        "$course$/top/Default for Course",
        "$course$/top/Default for Course",
        "$course$/top/Default for Course",
    ]


def test_a_moodle_style_export_in_indonesian():
    questions = parse_gift((DATA / "perpustakaan.gift").read_text(encoding="utf-8"))
    by_title = {q["title"]: q for q in questions}
    ddc = by_title["DDC kelas utama"]
    assert ddc["format"] == "html"
    assert ddc["text"] == "<p>Nomor kelas utama DDC untuk <b>Ilmu Sosial</b> adalah:</p>"
    assert [c["fraction"] for c in ddc["choices"]] == [1.0, 0.0, -0.5]
    assert ddc["general_feedback"] == "DDC membagi ilmu pengetahuan ke dalam sepuluh kelas utama."
    assert ddc["category"] == "$course$/top/Katalogisasi Dasar"
    assert by_title["Unsur deskripsi"]["type"] == "multiple"
    assert by_title["Singkatan ISBN"]["type"] == "short"
    assert by_title["Denda"]["feedback_wrong"] == "Kalikan 500 dengan 7."
    assert by_title["Denda"]["category"] == "$course$/top/Sirkulasi"
    assert by_title["Pasangan"]["pairs"][-1] == {"left": "", "right": "Humas"}
    assert by_title["OPAC"]["feedback_true"] == "Benar."
    assert by_title["Refleksi"]["text"].endswith("pemustaka.\nTulis 3 paragraf.")
    assert [q["line"] for q in questions] == [6, 14, 21, 29, 35, 42, 45]


# Comments, separators and line numbers.


def test_comment_lines_vanish_anywhere_and_do_not_separate_questions():
    question = only("// before\nWhat? // not a comment\n  // indented\n{\n// inside\n=a\n~b\n}")
    assert question["text"] == "What? // not a comment"
    assert choices(question) == [("a", 1.0, None), ("b", 0.0, None)]
    assert question["line"] == 2


@pytest.mark.parametrize("source", ["", "\n\n", "// only a comment\n// another", "  \n\t\n"])
def test_files_without_questions_give_an_empty_list(source):
    assert parse_gift(source) == []


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_line_endings_and_line_numbers(newline):
    source = newline.join(["// c", "", "A? {T}", "   ", "\t", "B? {", "=x", "}", "", "", "C."])
    questions = parse_gift(source)
    assert [(q["text"], q["line"]) for q in questions] == [("A?", 3), ("B?", 6), ("C.", 11)]


def test_byte_order_mark_is_ignored():
    assert only("\ufeff::T:: Yes? {T}")["title"] == "T"


# Titles and categories.


@pytest.mark.parametrize(
    ("source", "title", "text"),
    [
        ("::Rasio 1\\:2::Benar? {T}", "Rasio 1:2", "Benar?"),
        (":: spaced   title ::Q {T}", "spaced title", "Q"),
        ("::::Untitled {T}", None, "Untitled"),
        ("::On its own line::\nThe text {T}", "On its own line", "The text"),
        ("Ratio 1::2 is {T}", None, "Ratio 1::2 is"),
        ("::A {brace\\}::Q {T}", "A {brace}", "Q"),
    ],
)
def test_titles(source, title, text):
    question = only(source)
    assert (question["title"], question["text"]) == (title, text)


def test_category_applies_until_the_next_one():
    source = (
        "A? {T}\n\n$CATEGORY: Katalog\n\nB? {T}\n\nC? {F}\n\n$CATEGORY: Sirkulasi/Dasar\nD? {T}"
    )
    assert [(q["text"], q["category"]) for q in parse_gift(source)] == [
        ("A?", None),
        ("B?", "Katalog"),
        ("C?", "Katalog"),
        ("D?", "Sirkulasi/Dasar"),
    ]
    assert parse_gift(source)[-1]["line"] == 10


def test_category_line_right_below_a_question_is_not_its_text():
    questions = parse_gift("A? {T}\n$CATEGORY: Baru\nB? {F}")
    assert [(q["text"], q["category"], q["line"]) for q in questions] == [
        ("A?", None, 1),
        ("B?", "Baru", 3),
    ]


# Text formats and escapes.


@pytest.mark.parametrize("name", ["markdown", "html", "plain", "moodle"])
def test_text_formats(name):
    question = only(f"::T::[{name}] Text {{T}}")
    assert (question["format"], question["text"]) == (name, "Text")


@pytest.mark.parametrize(
    ("source", "text", "text_format"),
    [
        ("Plain {T}", "Plain", "moodle"),
        ("[latex] Kept {T}", "[latex] Kept", "moodle"),
        ("[HTML] Case matters {T}", "[HTML] Case matters", "moodle"),
        ("Text [html] later {T}", "Text [html] later", "moodle"),
    ],
)
def test_text_format_prefix_only_when_known_and_first(source, text, text_format):
    question = only(source)
    assert (question["text"], question["format"]) == (text, text_format)


@pytest.mark.parametrize(
    ("escaped", "plain"),
    [
        ("\\~", "~"),
        ("\\=", "="),
        ("\\#", "#"),
        ("\\{", "{"),
        ("\\}", "}"),
        ("\\:", ":"),
        ("\\\\", "\\"),
        ("a\\nb", "a\nb"),
        ("\\(x^2\\)", "\\(x^2\\)"),
        ("50\\%", "50\\%"),
    ],
)
def test_escapes_in_text_answers_and_feedback(escaped, plain):
    question = only(f"Q {escaped} {{={escaped} x#{escaped} y ~b}}")
    assert question["text"] == f"Q {plain}"
    assert choices(question)[0] == (f"{plain} x", 1.0, f"{plain} y")


def test_escaped_backslash_before_a_brace_leaves_the_brace_as_markup():
    question = only("Path C:\\\\{T}")
    assert (question["type"], question["text"]) == ("truefalse", "Path C:\\")


# Multiple choice, weights and feedback.


def test_several_right_answers_with_thirds():
    question = only("Pick {~%33.33333%a ~%33.33333%b ~%33.33334%c ~%-100%d}")
    assert question["type"] == "multiple"
    assert [c["fraction"] for c in question["choices"]] == pytest.approx(
        [0.3333333, 0.3333333, 0.3333334, -1]
    )


def test_exactly_one_right_answer_is_single_even_with_partial_credit():
    question = only("Q {=right ~%50%half ~%-33.33333%wrong}")
    assert question["type"] == "single"
    assert [c["fraction"] for c in question["choices"]] == pytest.approx([1, 0.5, -0.3333333])


@pytest.mark.parametrize(
    ("source", "fractions"),
    [
        ("Q {~%100%a ~b}", [1.0, 0.0]),
        ("Q {~%0%a =b}", [0.0, 1.0]),
        ("Q {~% 50 %a ~%50%b}", [0.5, 0.5]),
        ("Q {~%+50%a ~%50.0%b}", [0.5, 0.5]),
        ("Q {=%100%a ~b}", [1.0, 0.0]),
    ],
)
def test_weight_spellings(source, fractions):
    assert [c["fraction"] for c in only(source)["choices"]] == fractions


@pytest.mark.parametrize(
    ("answers", "expected"),
    [
        ("=a#", [("a", 1.0, None), ("b", 0.0, None)]),
        ("=a # well done ~b#   ", [("a", 1.0, "well done"), ("b", 0.0, None)]),
        ("=a#see \\#3 \\= ok", [("a", 1.0, "see #3 = ok"), ("b", 0.0, None)]),
        ("=a#one#two", [("a", 1.0, "one#two"), ("b", 0.0, None)]),
        ("=a#line one\n  line two", [("a", 1.0, "line one\n  line two"), ("b", 0.0, None)]),
    ],
)
def test_answer_feedback(answers, expected):
    source = f"Q {{{answers}\n~b}}" if "~b" not in answers else f"Q {{{answers}}}"
    assert choices(only(source)) == expected


@pytest.mark.parametrize(
    ("source", "general_feedback"),
    [
        ("Q {=a ~b ####Because.}", "Because."),
        ("Q {=a ~b\n####\n  Multi\n  line\n}", "Multi\n  line"),
        ("Q {=a =b####Short.}", "Short."),
        ("Q {T####True is right.}", "True is right."),
        ("Q {T#wrong#right####General.}", "General."),
        ("Q {#3:1####Three.}", "Three."),
        ("Q {####Essay grading notes}", "Essay grading notes"),
        ("Q {=a ~b ####}", None),
        ("Q {=a#fb ####gf # with hash}", "gf # with hash"),
    ],
)
def test_general_feedback(source, general_feedback):
    assert only(source)["general_feedback"] == general_feedback


def test_general_feedback_of_an_essay_keeps_it_an_essay():
    question = only("Describe the catalogue. {####Rubric: 3 points}")
    assert question["type"] == "essay"


# Missing word.


@pytest.mark.parametrize(
    ("source", "text", "qtype"),
    [
        ("{=a ~b} is first.", "_____ is first.", "single"),
        ("Ends with a brace {=a ~b}", "Ends with a brace", "single"),
        ("Ends {=a ~b}   \n// trailing comment", "Ends", "single"),
        ("Dot after {=a ~b}.", "Dot after _____.", "single"),
        ("Capital is {=Jakarta =DKI Jakarta} city.", "Capital is _____ city.", "short"),
        ("The sun {T} rises.", "The sun _____ rises.", "truefalse"),
        ("Pi is {#3.14:0.01} roughly.", "Pi is _____ roughly.", "numerical"),
        ("Pick {~%50%a ~%50%b ~c} two.", "Pick _____ two.", "multiple"),
        ("Line one\n{=a ~b}\nline three", "Line one\n_____\nline three", "single"),
    ],
)
def test_missing_word(source, text, qtype):
    question = only(source)
    assert (question["text"], question["type"]) == (text, qtype)


# Short answer.


def test_short_answer_single_accepted_answer_and_weights():
    question = only("Ibu kota Indonesia? {=Jakarta#Betul =%50%Batavia#Nama lama}")
    assert question["type"] == "short"
    assert choices(question) == [("Jakarta", 1.0, "Betul"), ("Batavia", 0.5, "Nama lama")]


# True/false.


@pytest.mark.parametrize(
    ("answers", "answer", "feedback_true", "feedback_false"),
    [
        ("T", True, None, None),
        ("TRUE", True, None, None),
        ("F", False, None, None),
        ("FALSE", False, None, None),
        ("true", True, None, None),
        (" False ", False, None, None),
        ("T#wrong fb#right fb", True, "right fb", "wrong fb"),
        ("F#wrong fb#right fb", False, "wrong fb", "right fb"),
        ("T#only wrong", True, None, "only wrong"),
        ("FALSE##only right", False, None, "only right"),
        ("TRUE#\\#1 wrong#right \\= yes", True, "right = yes", "#1 wrong"),
    ],
)
def test_truefalse(answers, answer, feedback_true, feedback_false):
    question = only(f"Statement {{{answers}}}")
    assert question["type"] == "truefalse"
    assert (question["answer"], question["feedback_true"], question["feedback_false"]) == (
        answer,
        feedback_true,
        feedback_false,
    )
    assert "choices" not in question


# Matching.


@pytest.mark.parametrize(
    ("answers", "pairs"),
    [
        ("=a->1 =b->2", [("a", "1"), ("b", "2")]),
        ("\n  =a  ->  1\n  =b ->2\n  =c-> 3\n", [("a", "1"), ("b", "2"), ("c", "3")]),
        ("=a -> 1 =b -> 2 = -> extra", [("a", "1"), ("b", "2"), ("", "extra")]),
        ("=x \\= y -> 1 =b -> 2 \\# two", [("x = y", "1"), ("b", "2 # two")]),
        ("=arrow -> a -> b =c -> d", [("arrow", "a -> b"), ("c", "d")]),
        ("=Buku -> 020 =Jurnal -> 050\n####Bagus", [("Buku", "020"), ("Jurnal", "050")]),
    ],
)
def test_matching(answers, pairs):
    question = only(f"Match {{{answers}}}")
    assert question["type"] == "matching"
    assert [(p["left"], p["right"]) for p in question["pairs"]] == pairs


# Numerical.


@pytest.mark.parametrize(
    ("answers", "rows"),
    [
        ("#42", [(42, 0, 1)]),
        ("#-7.5", [(-7.5, 0, 1)]),
        ("#+3", [(3, 0, 1)]),
        ("#.5", [(0.5, 0, 1)]),
        ("#1e3:1E1", [(1000, 10, 1)]),
        ("#3:0.5", [(3, 0.5, 1)]),
        ("# 3 : 0.5 ", [(3, 0.5, 1)]),
        ("#1..5", [(3, 2, 1)]),
        ("#-5..-1", [(-3, 2, 1)]),
        ("#2..2", [(2, 0, 1)]),
        ("#=%100%3.14:0.01#fb =%50%3.1:0.1", [(3.14, 0.01, 1), (3.1, 0.1, 0.5)]),
        ("#3.14 =%50%3:1", [(3.14, 0, 1), (3, 1, 0.5)]),
        ("#\n=1822:0\n=%50%1822:2\n=%-25%1900", [(1822, 0, 1), (1822, 2, 0.5), (1900, 0, -0.25)]),
    ],
)
def test_numerical(answers, rows):
    question = only(f"How many? {{{answers}}}")
    assert question["type"] == "numerical"
    assert numbers(question) == [pytest.approx(row) for row in rows]


def test_numerical_feedback_and_feedback_for_other_answers():
    question = only("Berapa? {#=%100%3.14:0.01#Tepat =%50%3.1:0.1#Hampir ~#Hitung lagi}")
    assert [a["feedback"] for a in question["numerical"]] == ["Tepat", "Hampir"]
    assert question["feedback_wrong"] == "Hitung lagi"
    assert only("Q {#3 ~# }")["feedback_wrong"] is None
    assert only("Q {#3}")["feedback_wrong"] is None
    assert only("Q {#~#Other =3}")["feedback_wrong"] == "Other"


# Essay and description.


@pytest.mark.parametrize("answers", ["", " ", "\n", "\n  \n"[:-1]])
def test_essay(answers):
    question = only(f"Tulis esai. {{{answers}}}")
    assert (question["type"], question["text"], question["general_feedback"]) == (
        "essay",
        "Tulis esai.",
        None,
    )


def test_description_with_title_and_format():
    question = only("::Intro::[markdown]Bagian **berikut** tentang katalog.\nBaca dulu.")
    assert question == {
        "type": "description",
        "title": "Intro",
        "category": None,
        "text": "Bagian **berikut** tentang katalog.\nBaca dulu.",
        "format": "markdown",
        "general_feedback": None,
        "line": 1,
        "tags": [],
        "idnumber": None,
        "formats": {},
    }


def test_output_keys_per_type():
    source = (DATA / "moodle_docs.gift").read_text(encoding="utf-8")
    seen = {}
    for question in parse_gift(source):
        seen.setdefault(question["type"], list(question))
    assert set(seen) == set(QUESTION_TYPES)
    for qtype, keys in seen.items():
        assert keys == [*COMMON_KEYS, *TYPE_KEYS[qtype], "general_feedback", "line", *EXTRA_KEYS]


# Errors: each names the line where the problem is.


ERROR_CASES = [
    ("Q {=a ~b", 1, "'{' is not closed with '}'"),
    ("Q =a ~b}", 1, "'}' without an opening '{'"),
    ("Q } {=a ~b}", 1, "'}' without an opening '{'"),
    ("Q {=a {~b}", 1, "'{' inside the answers opened on line"),
    ("Q {=a\n~b} and {T}", 2, "one answer block"),
    ("Q {=a ~b} stray }", 1, "one answer block"),
    ("::Unclosed title Q {T}", 1, "title opened with '::' is not closed"),
    ("{T}", 1, "no text"),
    ("::Only a title::", 1, "no text"),
    ("::T::[html] {=a ~b}", 1, "no text"),
    ("$CATEGORY:\n\nQ {T}", 1, "$CATEGORY: needs a path"),
    ("Q {~a}", 1, "at least 2 answers"),
    ("Q {~a ~b}", 1, "no answer is right"),
    ("Q {~a ~%0%b}", 1, "no answer is right"),
    ("Q {=%50%a ~b}", 1, "no answer is fully right"),
    ("Q {~%50%a ~%30%b ~c}", 1, "add up to 80%, not 100%"),
    ("Q {~%60%a ~%60%b}", 1, "add up to 120%, not 100%"),
    ("Q {\n~a\n~%150%b\n=c}", 3, "weight 150% is out of range"),
    ("Q {~%-101%a =b}", 1, "weight -101% is out of range"),
    ("Q {~%half%a =b}", 1, "weight '%half%' is not a number"),
    ("Q {~%50 a =b}", 1, "not closed with '%'"),
    ("Q {=a ~}", 1, "an answer after '~' is empty"),
    ("Q {=#fb ~b}", 1, "an answer after '=' is empty"),
    ("Q {=}", 1, "an answer after '=' is empty"),
    ("Q {=%50%almost}", 1, "no accepted answer is worth 100%"),
    ("Q {T#a#b#c}", 1, "at most two feedbacks"),
    ("Q {=a -> 1}", 1, "at least 2 pairs"),
    ("Q {=a -> 1 = -> 2 = -> 3}", 1, "at least 2 pairs"),
    ("Q {\n=a -> 1\n=b 2\n}", 3, "'b 2' has no '->'"),
    ("Q {=a -> 1 =b ->}", 1, "has nothing after '->'"),
    ("Q {=a -> 1#fb =b -> 2}", 1, "matching pairs take no feedback"),
    ("Q {#}", 1, "needs an answer"),
    ("Q {#~#only feedback}", 1, "needs an answer"),
    ("Q {#three}", 1, "'three' is not a number"),
    ("Q {#3,14}", 1, "decimals with a dot"),
    ("Q {#1,5..2}", 1, "decimals with a dot"),
    ("Q {#5..1}", 1, "starts above where it ends"),
    ("Q {#1..x}", 1, "is not two numbers"),
    ("Q {#3:-1}", 1, "margin in '3:-1' is negative"),
    ("Q {#3:x}", 1, "not a number and a margin"),
    ("Q {#1e999}", 1, "'1e999' is not a number"),
    ("Q {#nan}", 1, "'nan' is not a number"),
    ("Q {#inf}", 1, "'inf' is not a number"),
    ("Q {#*}", 1, "'*' is not a number"),
    ("Q {#1_000}", 1, "'1_000' is not a number"),
    ("Q {#3 ~wrong}", 1, "'~' must be followed by '#feedback'"),
    ("Q {#3 ~#a ~#b}", 1, "one '~#' feedback"),
    ("Q {#=%50%3}", 1, "no numerical answer is worth 100%"),
    ("Q {#=3 =#fb}", 1, "a numerical answer is empty"),
    ("Q {#-1e308..1.7e308:}", 1, "is not two numbers"),
]


@pytest.mark.parametrize(("source", "line", "message"), ERROR_CASES)
def test_malformed_question_is_reported_at_its_line(source, line, message):
    errors = errors_of("// header\n\n" + source)
    assert len(errors) == 1, errors
    assert errors[0][0] == line + 2
    assert message in errors[0][1]


def test_a_blank_line_inside_answers_splits_the_question():
    assert errors_of("Q\n{\n=a\n\n~b}") == [
        (2, "'{' is not closed with '}' (a blank line always ends a question)"),
        (5, "'}' without an opening '{' (write \\} for a brace)"),
    ]


def test_error_line_is_inside_a_long_question():
    source = "Intro.\n\n::Q::\nText\n{\n  =a\n  ~b\n  ~%abc%c\n  ~d\n}"
    assert errors_of(source) == [(8, "weight '%abc%' is not a number, as in %50% or %-33.33333%")]


def test_all_errors_of_a_file_are_reported_together_and_nothing_is_returned():
    with pytest.raises(QuestionFormatErrors) as caught:
        parse_gift((DATA / "broken.gift").read_text(encoding="utf-8"), "data/broken.gift")
    assert str(caught.value).splitlines() == [
        "data/broken.gift:5: '{' is not closed with '}' (a blank line always ends a question)",
        "data/broken.gift:7: no answer is right: mark one with '=', or weight several as ~%50%",
        "data/broken.gift:9: weight 150% is out of range: fractions go from -100% to 100%",
        "data/broken.gift:11: 'three' is not a number",
        "data/broken.gift:13: matching pair 'b 2' has no '->', as in =left -> right",
    ]
    assert caught.value.path == "data/broken.gift"
    assert caught.value.line == 5
    assert len(caught.value) == 5


def test_several_errors_in_one_question_are_all_reported():
    errors = errors_of("Q {\n~%150%a\n~%x%b\n~\n}")
    assert [line for line, _ in errors] == [1, 2, 3, 4]
    assert errors_of("{~a}") == [
        (1, "a multiple-choice question needs at least 2 answers"),
        (1, "the question has no text"),
    ]


def test_question_format_error_reads_as_path_line_message():
    error = QuestionFormatError("soal/bab1.gift", 12, "'{' is not closed with '}'")
    assert (error.path, error.line, error.message) == ("soal/bab1.gift", 12, error.message)
    assert str(error) == "soal/bab1.gift:12: '{' is not closed with '}'"
    assert str(pickle.loads(pickle.dumps(error))) == str(error)  # noqa: S301 - our own bytes
    errors = QuestionFormatErrors([QuestionFormatError("f", 9, "b"), error])
    assert [e.line for e in errors] == [9, 12]
    assert str(pickle.loads(pickle.dumps(errors))) == str(errors)  # noqa: S301 - our own bytes


def test_default_path_names_the_format():
    with pytest.raises(QuestionFormatErrors, match=r"^<gift>:1: "):
        parse_gift("Q {")


def test_normalize_question_fills_defaults_and_refuses_nonsense():
    assert normalize_question({"type": "essay", "text": "T", "line": 3}) == {
        "type": "essay",
        "title": None,
        "category": None,
        "text": "T",
        "format": "moodle",
        "general_feedback": None,
        "line": 3,
        "tags": [],
        "idnumber": None,
        "formats": {},
    }
    short = normalize_question(
        {"type": "short", "text": "Q", "line": 1, "choices": [{"text": "a", "fraction": 1}]}
    )
    assert short["choices"] == [{"text": "a", "fraction": 1.0, "feedback": None}]
    for bad in (
        {"type": "poll", "text": "Q", "line": 1},
        {"type": "essay", "text": "Q", "line": 0},
        {"type": "essay", "text": "Q", "line": 1, "format": "rtf"},
        {"type": "essay", "text": None, "line": 1},
        {"type": "truefalse", "text": "Q", "line": 1},
        {"type": "numerical", "text": "Q", "line": 1, "numerical": [{"value": 1, "tolerance": -1}]},
        {"type": "short", "text": "Q", "line": 1, "choices": [{"text": "a", "fraction": 2}]},
    ):
        with pytest.raises(ValueError, match="."):
            normalize_question(bad)


# Properties: any text either parses into well-formed dicts or is refused with line numbers.

GIFTISH = st.text(alphabet="{}=~#:%->\n TFabcxyz", max_size=200)
GIFTISH_WIDE = st.text(alphabet="{}=~#:%->\n\r\t TFRUEALSabc0123456789.,\\/[]$*", max_size=300)
FRAGMENTS = st.lists(
    st.sampled_from(
        [
            "::t::",
            "Q ",
            "text ",
            "{",
            "}",
            "=",
            "~",
            "#",
            "####",
            "%50%",
            "%-100%",
            "%100%",
            "->",
            " a",
            "b ",
            "1",
            "2.5",
            "..",
            ":",
            "T",
            "TRUE",
            "F",
            "\n",
            "\n\n",
            "\\{",
            "\\=",
            "\\\\",
            "//c\n",
            "$CATEGORY: c\n",
            "[html]",
            "[markdown]",
            "\\n",
            "~#",
        ]
    ),
    max_size=40,
).map("".join)
ANSWER_ITEM = st.builds(
    "{}{}{}{}".format,
    st.sampled_from(["=", "~", "=%50%", "~%50%", "~%-100%", "=%100%", "~%33.3%", "~#", ""]),
    st.sampled_from(["a", "b c", "1", "-2.5", "3:0.5", "1..5", "T", "x -> y", "\\=", " "]),
    st.sampled_from(["", "#fb", "#", " # f\\#b", "\n"]),
    st.sampled_from([" ", "\n", "\n  "]),
)
QUESTION = st.builds(
    "{}{}{}{{{}{}{}}}{}".format,
    st.sampled_from(["", "::t::", "::t:: ", ":: ::", "// c\n"]),
    st.sampled_from(["", "[html]", "[markdown]"]),
    st.sampled_from(["Q ", "Q\n", "", "Text \\{ "]),
    st.sampled_from(["", "#", "# ", "T", "FALSE"]),
    st.lists(ANSWER_ITEM, max_size=5).map("".join),
    st.sampled_from(["", "####gf", "####"]),
    st.sampled_from(["", ".", " tail", "\n// c"]),
)
QUESTION_FILES = st.lists(
    st.tuples(st.sampled_from(["\n\n", "\n", "\n\n$CATEGORY: k\n"]), QUESTION), max_size=5
).map(lambda parts: "".join(sep + question for sep, question in parts))


def check_parses_or_reports_lines(source: str) -> None:
    line_count = len(re.split(r"\r\n|\r|\n", source))
    try:
        questions, errors = parse_gift(source, "fuzz.gift"), ()
    except QuestionFormatErrors as caught:
        questions, errors = None, caught.errors
    assert questions is not None or errors
    for error in errors:
        assert 1 <= error.line <= line_count
        assert str(error).startswith(f"fuzz.gift:{error.line}: ")
        assert error.message
    for question in questions or []:
        assert_well_formed(question, line_count)


@settings(max_examples=400, deadline=None)
@given(st.one_of(GIFTISH, GIFTISH_WIDE, FRAGMENTS, QUESTION_FILES, st.text(max_size=300)))
def test_any_text_parses_or_raises_with_line_numbers(source):
    check_parses_or_reports_lines(source)


def gift_escape(text: str) -> str:
    text = text.replace("\\", "\\\\")
    for char in "~=#{}:":
        text = text.replace(char, "\\" + char)
    return text


ANSWER_TEXT = (
    st.text(st.characters(blacklist_categories=["Cs"], blacklist_characters="\r\n"), max_size=30)
    .map(str.strip)
    .filter(lambda text: text and not text.startswith("%"))
)


@settings(max_examples=200, deadline=None)
@given(st.lists(ANSWER_TEXT, min_size=2, max_size=6), st.data())
def test_escaped_answers_come_back_exactly(answers, data):
    right = data.draw(st.integers(0, len(answers) - 1))
    marks = ["=" if index == right else "~" for index in range(len(answers))]
    body = " ".join(f"{mark}{gift_escape(text)}" for mark, text in zip(marks, answers, strict=True))
    question = only(f"Pilih satu. {{{body}}}")
    assert question["type"] == "single"
    assert choices(question) == [
        (text, 1.0 if index == right else 0.0, None) for index, text in enumerate(answers)
    ]
