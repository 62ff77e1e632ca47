"""What the question-bank parsers share: their errors and the normalized question dict.

The GIFT and Aiken parsers (``gift.py``, ``aiken.py``) turn a file into a list of plain
dicts, one per question, all of the shape that :func:`normalize_question` returns::

    {"type": "single", "title": None, "category": None, "text": "...", "format": "moodle",
     "choices": [{"text": "...", "fraction": 1.0, "feedback": None}, ...],
     "general_feedback": None, "line": 3, "tags": [], "idnumber": None, "formats": {}}

``formats`` names the pieces whose own ``[format]`` prefix differs from the question's
(``choices.1.feedback: html``); ``tags`` and ``idnumber`` come from GIFT comments.

A parser never hands back part of a file: it reports every problem it finds, each as
``path:line: message``, in one :class:`QuestionFormatErrors`. Stdlib only, no Flask.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

QUESTION_TYPES = (
    "single",
    "multiple",
    "truefalse",
    "short",
    "numerical",
    "matching",
    "essay",
    "description",
)
TEXT_FORMATS = ("markdown", "html", "plain", "moodle")
DEFAULT_FORMAT = "moodle"
# Moodle's own blank for a missing-word question, kept so imported text reads the same.
BLANK = "_____"

# Extra keys each type carries besides the common ones, with their defaults.
_TYPE_KEYS: dict[str, dict[str, Any]] = {
    "single": {"choices": list},
    "multiple": {"choices": list},
    "short": {"choices": list},
    "truefalse": {"answer": None, "feedback_true": None, "feedback_false": None},
    "numerical": {"numerical": list, "feedback_wrong": None},
    "matching": {"pairs": list},
    "essay": {},
    "description": {},
}


class QuestionFormatError(Exception):
    """One problem in a question-bank file, at a 1-based line: ``path:line: message``."""

    def __init__(self, path: str, line: int, message: str) -> None:
        super().__init__(path, line, message)
        self.path = path
        self.line = line
        self.message = message

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


class QuestionFormatErrors(Exception):
    """Every problem found in one file; raised instead of returning any question.

    ``errors`` is sorted by line; ``str()`` gives one ``path:line: message`` per line.
    """

    def __init__(self, errors: Sequence[QuestionFormatError]) -> None:
        ordered = tuple(sorted(errors, key=lambda error: error.line))
        super().__init__(ordered)
        self.errors: tuple[QuestionFormatError, ...] = ordered

    @property
    def path(self) -> str | None:
        """The file the errors belong to (None only for an empty list)."""
        return self.errors[0].path if self.errors else None

    @property
    def line(self) -> int | None:
        """The line of the first error, so a caller can point at where to start."""
        return self.errors[0].line if self.errors else None

    def __iter__(self) -> Iterator[QuestionFormatError]:
        return iter(self.errors)

    def __len__(self) -> int:
        return len(self.errors)

    def __str__(self) -> str:
        return "\n".join(str(error) for error in self.errors)


class ErrorCollector:
    """Gathers the problems of one file so that all of them are reported at once."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.errors: list[QuestionFormatError] = []

    def add(self, line: int, message: str) -> None:
        """Record a problem at a 1-based line."""
        self.errors.append(QuestionFormatError(self.path, line, message))

    def __len__(self) -> int:
        return len(self.errors)

    def raise_if_any(self) -> None:
        """Raise :class:`QuestionFormatErrors` when anything was recorded."""
        if self.errors:
            raise QuestionFormatErrors(self.errors)


def normalize_question(question: Mapping[str, Any]) -> dict[str, Any]:
    """Return the canonical dict for a question: known keys, in order, with defaults.

    Common keys: ``type, title, category, text, format, general_feedback, line, tags,
    idnumber, formats``.
    Per type: ``choices`` (single, multiple, short), ``answer``/``feedback_true``/
    ``feedback_false`` (truefalse), ``numerical``/``feedback_wrong`` (numerical) and
    ``pairs`` (matching). Keys that do not belong to the type are dropped; fractions and
    numbers become floats. Refuses (``ValueError``) an unknown type or format, a missing
    text or line, a true/false answer that is not a bool, a fraction outside -1..1 and a
    negative or infinite numerical margin: those are mistakes of the caller, not of the
    file, which the parsers check themselves.
    """
    qtype = question.get("type")
    if qtype not in _TYPE_KEYS:
        raise ValueError(f"unknown question type {qtype!r}")
    text_format = question.get("format") or DEFAULT_FORMAT
    if text_format not in TEXT_FORMATS:
        raise ValueError(f"unknown text format {text_format!r}")
    text = question.get("text")
    if not isinstance(text, str):
        raise ValueError("a question needs its text as a string")
    line = question.get("line")
    if not isinstance(line, int) or isinstance(line, bool) or line < 1:
        raise ValueError("a question needs the 1-based line where it starts")

    result: dict[str, Any] = {
        "type": qtype,
        "title": question.get("title") or None,
        "category": question.get("category") or None,
        "text": text,
        "format": text_format,
    }
    for key, default in _TYPE_KEYS[qtype].items():
        value = question.get(key, default() if callable(default) else default)
        result[key] = value
    if "choices" in result:
        result["choices"] = [_choice(choice) for choice in result["choices"]]
    if "numerical" in result:
        result["numerical"] = [_numerical(answer) for answer in result["numerical"]]
    if "pairs" in result:
        result["pairs"] = [
            {"left": str(pair["left"]), "right": str(pair["right"])} for pair in result["pairs"]
        ]
    if qtype == "truefalse" and not isinstance(result["answer"], bool):
        raise ValueError("a true/false question needs its answer as a bool")
    result["general_feedback"] = question.get("general_feedback") or None
    result["line"] = line
    result["tags"] = [str(tag) for tag in question.get("tags") or ()]
    result["idnumber"] = question.get("idnumber") or None
    formats = dict(question.get("formats") or {})
    if any(value not in TEXT_FORMATS for value in formats.values()):
        raise ValueError(f"unknown text format in {formats!r}")
    result["formats"] = formats
    return result


def _fraction(value: Any) -> float:
    fraction = float(value)
    if not -1.0 <= fraction <= 1.0:
        raise ValueError(f"fraction {fraction} is outside -1..1")
    return fraction


def _choice(choice: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "text": str(choice["text"]),
        "fraction": _fraction(choice["fraction"]),
        "feedback": choice.get("feedback") or None,
    }


def _numerical(answer: Mapping[str, Any]) -> dict[str, Any]:
    value = float(answer["value"])
    tolerance = float(answer.get("tolerance", 0.0))
    if not (math.isfinite(value) and math.isfinite(tolerance)) or tolerance < 0:
        raise ValueError("a numerical answer needs a finite value and tolerance >= 0")
    return {
        "value": value,
        "tolerance": tolerance,
        "fraction": _fraction(answer.get("fraction", 1.0)),
        "feedback": answer.get("feedback") or None,
    }
