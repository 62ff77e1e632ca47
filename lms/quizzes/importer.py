"""Turn parsed GIFT or Aiken questions into a quiz file of this project.

Pure: bytes or normalized question dicts in (see qformat), YAML text out. Every text
keeps its Moodle format (``textformat.to_markdown``); GIFT ``[tag:...]`` comments and the
``$CATEGORY`` become question tags (which ``draw`` pools select by), ``[id:...]`` the
question id. The result is checked with the quiz loader before anyone writes it (the CLI)
or shows it (the staff upload page), so an imported file always passes
`lms content check`.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from lms.quizzes import types
from lms.quizzes.aiken import parse_aiken
from lms.quizzes.bankfile import MAX_BYTES, read_bank
from lms.quizzes.gift import parse_gift
from lms.quizzes.qformat import QuestionFormatError, QuestionFormatErrors
from lms.quizzes.textformat import to_markdown

PARSERS = {"gift": parse_gift, "aiken": parse_aiken}
ID_MAX = 80


def parse_bytes(data: bytes, fmt: str, path: str, max_bytes: int = MAX_BYTES
                ) -> list[dict[str, Any]]:
    """Parse a question bank's bytes; raises QuestionFormatErrors naming file and line
    (also for a file too large, not text, not UTF-8, empty, or without any question)."""
    questions = PARSERS[fmt](read_bank(data, path, max_bytes), path)
    if not questions:
        raise QuestionFormatErrors([QuestionFormatError(
            path, 1, "the file holds no question (only comments or categories)")])
    return questions


def parse_file(path: Path, fmt: str) -> list[dict[str, Any]]:
    """Parse a question-bank file; raises QuestionFormatErrors naming file and line."""
    with path.open("rb") as handle:  # read one byte past the limit, never a whole huge file
        data = handle.read(MAX_BYTES + 1)
        if len(data) > MAX_BYTES:
            data += handle.read()
    return parse_bytes(data, fmt, str(path))


def slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60] or "soal"


def quiz_id_from(*parts: str) -> str:
    """A valid quiz id (lowercase letters, digits and '-', at most 80) from names such as
    a course folder and a file name: ``bank_1.yml`` gives ``bank-1``."""
    joined = "-".join(slugify(Path(part).stem if part.endswith((".yml", ".gift", ".txt"))
                              else part) for part in parts if part)
    return joined[:ID_MAX].strip("-") or "kuis"


def _converted(question: dict[str, Any]) -> dict[str, Any]:
    """The parsed question with every text in quiz-file Markdown, each in its own format."""
    default = question["format"]
    formats = question.get("formats") or {}

    def md(text: str | None, key: str) -> str | None:
        return to_markdown(text, formats.get(key, default)) if text else text

    out = dict(question)
    out["text"] = to_markdown(question["text"], default)
    out["general_feedback"] = md(question.get("general_feedback"), "general_feedback")
    if "choices" in question:
        short = question["type"] == "short"  # accepted answers are compared, not shown
        out["choices"] = [
            {**choice,
             "text": choice["text"] if short else md(choice["text"], f"choices.{i}.text"),
             "feedback": md(choice.get("feedback"), f"choices.{i}.feedback")}
            for i, choice in enumerate(question["choices"])]
    if "pairs" in question:
        out["pairs"] = [{**pair, "left": md(pair["left"], f"pairs.{i}.left")}
                        for i, pair in enumerate(question["pairs"])]
    if "numerical" in question:
        out["numerical"] = [{**answer, "feedback": md(answer.get("feedback"),
                                                      f"numerical.{i}.feedback")}
                            for i, answer in enumerate(question["numerical"])]
    for key in ("feedback_true", "feedback_false"):
        if key in question:
            out[key] = md(question.get(key), key)
    return out


def _tags(question: dict[str, Any]) -> list[str]:
    tags = list(question.get("tags") or [])
    if question.get("category"):
        tag = slugify(question["category"].rstrip("/").split("/")[-1])
        if tag and tag not in tags:
            tags.append(tag)
    return tags


def to_quiz_question(question: dict[str, Any], question_id: str) -> dict[str, Any]:
    """A parsed question (see qformat) as a quiz-file question; its type maps its own keys."""
    converted = _converted(question)
    out: dict[str, Any] = {"id": question_id, "type": question["type"]}
    tags = _tags(question)
    if tags:
        out["tags"] = tags
    out["text"] = converted["text"]
    out.update(types.get(question["type"]).from_parsed(converted))
    if converted.get("general_feedback"):
        out["general_feedback"] = converted["general_feedback"]
    return out


def _question_ids(questions: list[dict[str, Any]], quiz_id: str) -> list[str]:
    """``[id:...]`` made valid, else the title, else ``<quiz_id>-NN``; never twice."""
    used: set[str] = set()
    ids = []
    for number, question in enumerate(questions, start=1):
        candidates = [slugify(question["idnumber"])[:ID_MAX] if question.get("idnumber")
                      else "",
                      f"{quiz_id}-{slugify(question['title'])}"[:ID_MAX].strip("-")
                      if question.get("title") else ""]
        chosen = next((c for c in candidates if c and c not in used), "")
        fallback = f"{quiz_id[:ID_MAX - 4]}-{number:02d}"
        while not chosen:
            chosen = fallback if fallback not in used else ""
            fallback = f"{fallback}-{number}"
        used.add(chosen)
        ids.append(chosen)
    return ids


def to_quiz_yaml(questions: list[dict[str, Any]], *, quiz_id: str, title: str,
                 kind: str = "practice", source: str = "") -> str:
    """A complete quiz file; question ids from ``[id:]``, GIFT titles or `<quiz_id>-NN`."""
    quiz_id = quiz_id_from(quiz_id)
    items = [to_quiz_question(question, question_id) for question, question_id
             in zip(questions, _question_ids(questions, quiz_id), strict=True)]
    document = {
        "id": quiz_id, "title": title, "kind": kind, "attempts": 0, "grading": "highest",
        "pass_mark": 70, "shuffle_questions": False, "shuffle_choices": True,
        "review": {"score": "immediately", "answers": "after_close", "feedback": "immediately"},
        "questions": items,
    }
    source = " ".join(source.split())  # a file name with a line break stays in the comment
    header = f"# Imported from {source}: review the texts, ids and settings.\n" if source else ""
    return header + yaml.safe_dump(document, allow_unicode=True, sort_keys=False, width=100)


__all__ = ["PARSERS", "QuestionFormatErrors", "parse_bytes", "parse_file", "quiz_id_from",
           "to_quiz_yaml"]
