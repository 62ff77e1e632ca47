"""A question bank (GIFT or Aiken) as the quiz file it becomes, and as participants see it.

For the staff upload page: nothing is stored, in the database or in the content folder.
The bank is parsed (every problem with its line), turned into a quiz file, and that file
is loaded with the quiz loader exactly as `lms content sync` would load it once it is
committed, so what the page shows is what participants will get. No Flask, no database.
"""

from __future__ import annotations

import random
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lms.quizzes import types
from lms.quizzes.importer import QuestionFormatErrors, parse_bytes, quiz_id_from, to_quiz_yaml
from lms.quizzes.loader import QuizSource, load_quiz
from lms.quizzes.types.choices import inline

MAX_QUIZ_FILE_BYTES = 8 * 1024 * 1024  # a quiz file made from the largest bank allowed
# Loading and rendering take about 10 ms a question: a page answers within seconds.
MAX_PREVIEW_QUESTIONS = 500


@dataclass
class BankPreview:
    file_name: str  # where the author commits it: quizzes/<file_name>
    yaml_text: str = ""
    quiz: QuizSource | None = None
    items: list[dict[str, Any]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def quiz_file_name(upload_name: str) -> str:
    """``Bank Soal_1.gift`` gives ``bank-soal-1.yml``."""
    return f"{quiz_id_from(Path(upload_name or 'bank').stem)}.yml"


def preview_bank(data: bytes, fmt: str, upload_name: str, course_slug: str, *, kind: str,
                 title: str) -> BankPreview:
    """Parse a bank's bytes into a checked quiz file and its questions as a participant sees
    them. Refuses nothing silently: every problem is in ``problems`` (``name:line: message``)
    and then no quiz file is offered."""
    name = Path(upload_name or "bank").name
    preview = BankPreview(file_name=quiz_file_name(name))
    try:
        questions = parse_bytes(data, fmt, name)
    except QuestionFormatErrors as errors:
        preview.problems = [str(error) for error in errors]
        return preview
    if len(questions) > MAX_PREVIEW_QUESTIONS:
        preview.problems = [f"{name}:1: {len(questions)} questions, more than the "
                            f"{MAX_PREVIEW_QUESTIONS} this page previews: split the file, or "
                            "import it with the command `lms quizzes import`"]
        return preview
    stem = preview.file_name.removesuffix(".yml")
    text = to_quiz_yaml(questions, quiz_id=quiz_id_from(course_slug, stem),
                        title=title.strip() or Path(name).stem, kind=kind, source=name)
    quiz, problems = check_quiz_file(text, preview.file_name)
    if problems:
        preview.problems = problems
        return preview
    preview.yaml_text, preview.quiz = text, quiz
    preview.items = [_item(position, question, parsed["line"])
                     for position, (question, parsed)
                     in enumerate(zip(quiz.questions, questions, strict=True), start=1)]
    return preview


def check_quiz_file(text: str, file_name: str) -> tuple[QuizSource | None, list[str]]:
    """Load quiz-file text as the content loader would (in a temporary folder)."""
    with tempfile.TemporaryDirectory(prefix="lms-bank-") as folder:
        target = Path(folder) / "quiz.yml"
        target.write_text(text, encoding="utf-8")
        quiz, problems = load_quiz(target, f"quizzes/{file_name}")
    return quiz, [str(problem) for problem in problems]


def _item(position: int, question, line: int) -> dict[str, Any]:
    """What the attempt page's partials need, in authoring order, unanswered; and the
    correct answer and feedback an author checks."""
    kind = types.get(question.type)
    layout = kind.layout(question, False, random.Random(position))  # noqa: S311 - display only
    entry: dict[str, Any] = {
        "position": position, "id": question.id, "line": line, "type": question.type,
        "label": kind.label, "partial": kind.partial, "takes_answer": kind.takes_answer,
        "text_html": question.text_html, "points": question.points, "tags": question.tags,
        "choices": [], "pairs": [], "options": [], "value": None, "min_words": question.min_words,
        "correct": kind.correct(question, layout),
        "general_feedback_html": question.general_feedback_html,
        "feedback": [(inline(choice.html), choice.feedback_html)
                     for choice in question.choices if choice.feedback_html],
    }
    entry.update(kind.view(question, layout))
    return entry
