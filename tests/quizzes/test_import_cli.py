"""`lms quizzes parse` and `lms quizzes import`, end to end."""

import json
from pathlib import Path

from lms.content import load_tree
from tests.conftest import write_course

DATA = Path(__file__).parent / "data"


def test_parse_prints_normalized_json(runner):
    result = runner.invoke(args=["quizzes", "parse", str(DATA / "perpustakaan.gift"),
                                 "--format", "gift", "--json"])
    assert result.exit_code == 0, result.output
    questions = json.loads(result.stdout)
    assert {q["type"] for q in questions} >= {"single", "multiple", "truefalse", "short",
                                               "numerical", "matching", "essay"}
    for question in questions:
        assert {"type", "title", "category", "text", "format", "general_feedback"} <= set(question)


def test_parse_reports_every_malformed_question_by_line(runner):
    result = runner.invoke(args=["quizzes", "parse", str(DATA / "broken.gift"),
                                 "--format", "gift", "--json"])
    assert result.exit_code == 1
    assert f"{DATA / 'broken.gift'}:5:" in result.output
    assert f"{DATA / 'broken.gift'}:13:" in result.output


def test_import_writes_a_quiz_that_passes_check(runner, content_dir):
    write_course(content_dir, "contoh", 1)
    result = runner.invoke(args=["quizzes", "import", str(DATA / "perpustakaan.gift"),
                                 "--format", "gift", "--course", "contoh",
                                 "--out", "quizzes/bank.yml", "--kind", "pretest"])
    assert result.exit_code == 0, result.output
    assert (content_dir / "contoh" / "quizzes" / "bank.yml").exists()
    tree = load_tree(content_dir)
    assert [str(p) for p in tree.all_problems()] == []
    quiz = tree.courses[0].quizzes[0]
    assert quiz.kind == "pretest"
    assert len(quiz.questions) == 7


def test_import_of_aiken(runner, content_dir):
    write_course(content_dir, "contoh", 1)
    result = runner.invoke(args=["quizzes", "import", str(DATA / "moodle_docs_aiken.txt"),
                                 "--format", "aiken", "--course", "contoh",
                                 "--out", "quizzes/aiken.yml"])
    assert result.exit_code == 0, result.output
    assert load_tree(content_dir).all_problems() == []


def test_broken_import_writes_nothing(runner, content_dir):
    write_course(content_dir, "contoh", 1)
    result = runner.invoke(args=["quizzes", "import", str(DATA / "broken.gift"),
                                 "--format", "gift", "--course", "contoh",
                                 "--out", "quizzes/bank.yml"])
    assert result.exit_code == 1
    assert "nothing was written" in result.output
    assert not (content_dir / "contoh" / "quizzes").exists() or not list(
        (content_dir / "contoh" / "quizzes").iterdir())


def test_import_refuses_paths_outside_quizzes(runner, content_dir):
    write_course(content_dir, "contoh", 1)
    result = runner.invoke(args=["quizzes", "import", str(DATA / "perpustakaan.gift"),
                                 "--format", "gift", "--course", "contoh",
                                 "--out", "../../evil.yml"])
    assert result.exit_code != 0
    assert "quizzes/NAME.yml" in result.output
