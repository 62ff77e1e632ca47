"""Turn parsed GIFT or Aiken questions into a quiz file of this project.

Pure: normalized question dicts in (see qformat), YAML text out. The result is
checked with the quiz loader before anyone writes it, so an imported file
always passes `lms content check`.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from lms.quizzes import types
from lms.quizzes.aiken import parse_aiken
from lms.quizzes.gift import parse_gift
from lms.quizzes.qformat import QuestionFormatErrors

PARSERS = {"gift": parse_gift, "aiken": parse_aiken}


def parse_file(path: Path, fmt: str) -> list[dict[str, Any]]:
    """Parse a question-bank file; raises QuestionFormatErrors naming file and line."""
    text = path.read_text(encoding="utf-8-sig")
    return PARSERS[fmt](text, str(path))


def slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60] or "soal"


def to_quiz_question(question: dict[str, Any], question_id: str) -> dict[str, Any]:
    """A parsed question (see qformat) as a quiz-file question; its type maps its own keys."""
    out: dict[str, Any] = {"id": question_id, "type": question["type"]}
    if question.get("category"):
        tag = slugify(question["category"].rstrip("/").split("/")[-1])
        if tag:
            out["tags"] = [tag]
    out["text"] = question["text"]
    out.update(types.get(question["type"]).from_parsed(question))
    if question.get("general_feedback"):
        out["general_feedback"] = question["general_feedback"]
    return out


def to_quiz_yaml(questions: list[dict[str, Any]], *, quiz_id: str, title: str,
                 kind: str = "practice", source: str = "") -> str:
    """A complete quiz file; question ids are `<quiz_id>-NN` (or from GIFT titles)."""
    used: set[str] = set()
    items = []
    for number, question in enumerate(questions, start=1):
        base = f"{quiz_id}-{slugify(question['title'])}" if question.get("title") else ""
        question_id = base[:80] if base and base[:80] not in used else f"{quiz_id}-{number:02d}"
        used.add(question_id)
        items.append(to_quiz_question(question, question_id))
    document = {
        "id": quiz_id, "title": title, "kind": kind, "attempts": 0, "grading": "highest",
        "pass_mark": 70, "shuffle_questions": False, "shuffle_choices": True,
        "review": {"score": "immediately", "answers": "after_close", "feedback": "immediately"},
        "questions": items,
    }
    header = f"# Imported from {source}: review the texts, ids and settings.\n" if source else ""
    return header + yaml.safe_dump(document, allow_unicode=True, sort_keys=False, width=100)


__all__ = ["PARSERS", "QuestionFormatErrors", "parse_file", "to_quiz_yaml"]
