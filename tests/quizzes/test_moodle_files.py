"""GIFT and Aiken as Moodle reads them: Moodle's own examples, fixtures and unit-test cases.

The files under tests/data/moodle/ are copied from Moodle's repository (see the README
there). Each `*.expected.json` lists, per question, its line, type, text, answers
(text, fraction, feedback; true/false as answer and the two feedbacks; numerical as value,
margin, fraction, feedback; matching as pairs) and the other keys, checked against what
Moodle's importer (question/format/gift/format.php) does with the same text.
"""

import json
from pathlib import Path

import pytest

from lms.quizzes.aiken import parse_aiken
from lms.quizzes.gift import comment_keys, parse_gift
from lms.quizzes.importer import parse_file, to_quiz_yaml
from lms.quizzes.loader import load_quiz
from lms.quizzes.qformat import QuestionFormatErrors

MOODLE = Path(__file__).parents[1] / "data" / "moodle"
FILES = [
    ("gift/examples.txt", "gift"),
    ("gift/questions.gift.txt", "gift"),
    ("gift/questions_in_category.gift.txt", "gift"),
    ("aiken/questions.aiken.txt", "aiken"),
]


def summary(question: dict) -> list:
    kind = question["type"]
    if kind in ("single", "multiple", "short"):
        answers = [[c["text"], c["fraction"], c["feedback"]] for c in question["choices"]]
    elif kind == "truefalse":
        answers = [question["answer"], question["feedback_true"], question["feedback_false"]]
    elif kind == "numerical":
        answers = [[n["value"], n["tolerance"], n["fraction"], n["feedback"]]
                   for n in question["numerical"]]
        if question["feedback_wrong"]:
            answers.append(["*", question["feedback_wrong"]])
    elif kind == "matching":
        answers = [[p["left"], p["right"]] for p in question["pairs"]]
    else:
        answers = None
    extra = {key: question[key] for key in ("title", "format", "general_feedback", "category",
                                            "tags", "idnumber", "formats")
             if question.get(key) not in (None, [], {}, "moodle")}
    return [question["line"], kind, question["text"], answers, extra]


@pytest.mark.parametrize(("name", "fmt"), FILES)
def test_every_moodle_question_imports_as_moodle_reads_it(name, fmt):
    path = MOODLE / name
    expected = json.loads(path.with_name(path.name.split(".")[0] + ".expected.json")
                          .read_text(encoding="utf-8"))
    questions = parse_file(path, fmt)
    assert [summary(q) for q in questions] == expected


@pytest.mark.parametrize(("name", "fmt"), FILES)
def test_every_moodle_file_becomes_a_quiz_file_that_loads(name, fmt, tmp_path):
    questions = parse_file(MOODLE / name, fmt)
    target = tmp_path / "bank.yml"
    target.write_text(to_quiz_yaml(questions, quiz_id="Bank_1", title="Bank"), encoding="utf-8")
    quiz, problems = load_quiz(target, "quizzes/bank.yml")
    assert [str(p) for p in problems] == []
    assert quiz.id == "bank-1"
    assert len(quiz.questions) == len(questions)
    assert len({q.id for q in quiz.questions}) == len(questions)


def loaded(tmp_path, source: str, fmt: str = "gift"):
    questions = (parse_gift if fmt == "gift" else parse_aiken)(source, "bank")
    target = tmp_path / "bank.yml"
    target.write_text(to_quiz_yaml(questions, quiz_id="bank", title="Bank"), encoding="utf-8")
    quiz, problems = load_quiz(target, "quizzes/bank.yml")
    assert [str(p) for p in problems] == []
    return quiz.questions


# --- Moodle's unit tests (question/format/gift/tests/giftformat_test.php) ---------------

MATCH = """
// question: 2  name: Moodle activities
::Moodle activities::[html]Match the <b>activity</b> to the description.{
    =[html]An activity supporting asynchronous discussions. -> Forum
    =[moodle]A teacher asks a question and specifies a choice of multiple responses. -> Choice
    =[plain]A bank of record entries which participants can add to. -> Database
    =[markdown]A collection of web pages that anyone can add to or edit. -> Wiki
    = -> Chat
}"""


def test_import_match_keeps_each_left_sides_format(tmp_path):
    (question,) = parse_gift(MATCH)
    assert question["type"] == "matching"
    assert question["title"] == "Moodle activities"
    assert question["text"] == "Match the <b>activity</b> to the description."
    assert question["format"] == "html"
    assert [(p["left"], p["right"]) for p in question["pairs"]] == [
        ("An activity supporting asynchronous discussions.", "Forum"),
        ("A teacher asks a question and specifies a choice of multiple responses.", "Choice"),
        ("A bank of record entries which participants can add to.", "Database"),
        ("A collection of web pages that anyone can add to or edit.", "Wiki"),
        ("", "Chat"),
    ]
    assert question["formats"] == {"pairs.0.left": "html", "pairs.1.left": "moodle",
                                   "pairs.2.left": "plain", "pairs.3.left": "markdown"}
    (built,) = loaded(tmp_path, MATCH)
    assert "<b>activity</b>" in built.text_html
    assert built.distractors == ("Chat",)


MULTICHOICE = """
// multiple choice with specified feedback for right and wrong answers
::Q2:: What's between orange and green in the spectrum?
{
    =yellow # right; good!
    ~red # [html]wrong, it's yellow
    ~[plain]blue # wrong, it's yellow
}"""


def test_import_multichoice_prefixes_become_formats_not_text(tmp_path):
    (question,) = parse_gift(MULTICHOICE)
    assert question["type"] == "single"
    assert question["text"] == "What's between orange and green in the spectrum?"
    assert [(c["text"], c["fraction"], c["feedback"]) for c in question["choices"]] == [
        ("yellow", 1.0, "right; good!"),
        ("red", 0.0, "wrong, it's yellow"),
        ("blue", 0.0, "wrong, it's yellow"),
    ]
    # Moodle: answer 2 is plain, feedback 1 is HTML, everything else the question's format.
    assert question["formats"] == {"choices.1.feedback": "html", "choices.2.text": "plain"}
    (built,) = loaded(tmp_path, MULTICHOICE)
    assert all("[" not in c.html and "[" not in c.feedback_html for c in built.choices)


def test_import_multichoice_multi():
    (question,) = parse_gift("""::colours:: What's between orange and green in the spectrum?
{
    ~%50%yellow # right; good!
    ~%-100%red # [html]wrong
    ~%50%off-beige # right; good!
    ~%-100%[plain]blue # wrong
}""")
    assert question["type"] == "multiple"
    assert [(c["text"], c["fraction"], c["feedback"]) for c in question["choices"]] == [
        ("yellow", 0.5, "right; good!"), ("red", -1.0, "wrong"),
        ("off-beige", 0.5, "right; good!"), ("blue", -1.0, "wrong")]
    assert question["formats"] == {"choices.1.feedback": "html", "choices.3.text": "plain"}


def test_import_multichoice_multi_tricky():
    (question,) = parse_gift("::colours:: What's between orange and green in the spectrum?\n"
                             "{\n ~%100%yellow # right; good!\n ~%-50%red # wrong\n"
                             " ~%-50%blue # wrong\n}")
    assert question["type"] == "multiple"
    assert [c["fraction"] for c in question["choices"]] == [1.0, -0.5, -0.5]


def test_import_numerical_with_wrong_feedback():
    (question,) = parse_gift("::Q5:: What is a number from 1 to 5? {#3:2~#Completely wrong}")
    assert question["type"] == "numerical"
    assert question["text"] == "What is a number from 1 to 5?"
    assert [(n["value"], n["tolerance"], n["fraction"]) for n in question["numerical"]] == [
        (3.0, 2.0, 1.0)]
    assert question["feedback_wrong"] == "Completely wrong"


def test_import_shortanswer_with_general_feedback_in_html(tmp_path):
    source = """::Shortanswer::Which is the best animal?{
    =Frog#Good!
    =%50%Cat#What is it with Moodlers and cats?
    =%0%*#Completely wrong
    ####[html]Here is some general feedback!
}"""
    (question,) = parse_gift(source)
    assert question["type"] == "short"
    assert [(c["text"], c["fraction"], c["feedback"]) for c in question["choices"]] == [
        ("Frog", 1.0, "Good!"), ("Cat", 0.5, "What is it with Moodlers and cats?"),
        ("*", 0.0, "Completely wrong")]
    assert question["general_feedback"] == "Here is some general feedback!"
    assert question["formats"] == {"general_feedback": "html"}
    (built,) = loaded(tmp_path, source)
    assert built.general_feedback_html == "<p>Here is some general feedback!</p>"


@pytest.mark.parametrize(("source", "answer", "feedback_true", "feedback_false"), [
    ("::Q1:: 42 is the Absolute Answer to everything.{\n"
     "FALSE#42 is the Ultimate Answer.#You gave the right answer.}",
     False, "42 is the Ultimate Answer.", "You gave the right answer."),
    ("// name 0-11\n::2-08 TSL::TSL is blablabla.{T}", True, None, None),
    ("// name 0-11\n::2-08 TSL::TSL is blablabla.{TRUE}", True, None, None),
])
def test_import_truefalse(source, answer, feedback_true, feedback_false):
    (question,) = parse_gift(source)
    assert question["type"] == "truefalse"
    assert (question["answer"], question["feedback_true"], question["feedback_false"]) == (
        answer, feedback_true, feedback_false)


def test_import_backslash_and_pre_content(tmp_path):
    (question,) = parse_gift("// essay\n::double backslash:: A \\\\ B \\\\\\\\ C{}")
    assert question["text"] == "A \\ B \\\\ C"
    source = ("::Q001::[html]<p>What would running the test method print?</p>\n<pre>\n"
              "    public void test() \\{\n        method1();\n    \\}\n</pre>\n{}")
    (question,) = parse_gift(source)
    assert question["type"] == "essay"
    assert question["format"] == "html"
    assert question["text"] == ("<p>What would running the test method print?</p>\n<pre>\n"
                                "    public void test() {\n        method1();\n    }\n</pre>")
    (built,) = loaded(tmp_path, source)
    assert "<pre>    public void test() {\n        method1();\n    }\n</pre>" in built.text_html


def test_import_question_with_tags_and_idnumber(tmp_path):
    source = ("// This question is to test importing tags: [tag:tag] [tag:other-tag].\n"
              "// And an idnumber: [id:myid].\n::Question name:: How are you? {}")
    (question,) = parse_gift(source)
    assert (question["type"], question["text"]) == ("essay", "How are you?")
    assert question["tags"] == ["tag", "other-tag"]
    assert question["idnumber"] == "myid"
    (built,) = loaded(tmp_path, source)
    assert built.id == "myid"
    assert built.tags == ("tag", "other-tag")


@pytest.mark.parametrize(("comment", "idnumber", "tags"), [
    ("", None, []),
    ("// A basic comment.", None, []),
    ("// A comment with [id:frog] <-- an idnumber.", "frog", []),
    ("// Look tags: [tag:frog] [tag:toad].", None, ["frog", "toad"]),
    ("// [tag:add] [tag:basic] [id:four]", "four", ["add", "basic"]),
    ("// [tag:  basic] Here is  \n// a [id:   four   ] que[tag:add   ]stion.", "four",
     ["basic", "add"]),
    ("// Ceci n'est pas une [tag:\n\\ frog].", None, []),
    ("// [id:i\\]d].", "i]d", []),
    ("// [tag:t\\]ag].", None, ["t]ag"]),
])
def test_extract_idnumber_and_tags_from_comment(comment, idnumber, tags):
    assert comment_keys(comment.split("\n")) == (tags, idnumber)


# --- Moodle's Aiken test (question/format/aiken/tests/aikenformat_test.php) -------------

def test_aiken_errors_file_is_refused_with_the_lines_moodle_names():
    with pytest.raises(QuestionFormatErrors) as caught:
        parse_file(MOODLE / "aiken" / "aiken_errors.txt", "aiken")
    lines = [error.line for error in caught.value]
    # Moodle: too few answers (question from line 1), not started (5, 7), not completed (18).
    assert lines == [1, 5, 7, 18]


def test_aiken_choices_without_a_space_after_the_letter():
    (question,) = parse_aiken("A second good question\nA)Incorrect (No space)\n"
                              "B)Correct (No space)\nANSWER: B")
    assert [(c["text"], c["fraction"]) for c in question["choices"]] == [
        ("Incorrect (No space)", 0.0), ("Correct (No space)", 1.0)]
    (question,) = parse_aiken("Q\nA.one\nB.two\nANSWER: A")
    assert [c["text"] for c in question["choices"]] == ["one", "two"]


def test_aiken_html_characters_are_shown_as_written(tmp_path):
    source = ("A third good question with HTML chars such as > < &\n"
              "A) Correct (< > &)\nB) Incorrect (< > &)\nANSWER: A")
    (built,) = loaded(tmp_path, source, "aiken")
    assert built.text_html == "<p>A third good question with HTML chars such as &gt; &lt; &amp;</p>"
    assert [c.html for c in built.choices] == ["<p>Correct (&lt; &gt; &amp;)</p>",
                                               "<p>Incorrect (&lt; &gt; &amp;)</p>"]
    assert [c.fraction for c in built.choices] == [1.0, 0.0]
