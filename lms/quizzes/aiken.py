"""Parse Moodle's Aiken format into normalized question dicts.

Aiken holds single-answer multiple-choice questions only::

    What is the correct answer to this question?
    A. Is it this one?
    B) Maybe this answer?
    ANSWER: B

The question text comes first (one line, or several: they are joined with newlines),
then one choice per line, a capital letter followed by ``.`` or ``)`` (and a space, which
Moodle does not require, so ``A)Text`` is a choice too), then
``ANSWER:`` and the right letter, which ends the question. Blank lines are ignored, as
Moodle ignores them. ``ANSWER`` and its letter are read in any case. Every question becomes
``type: "single"`` in the ``plain`` format (Moodle escapes Aiken text, so ``<b>`` is shown as
written), with no title, category or feedback.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from lms.quizzes.qformat import ErrorCollector, normalize_question

_CHOICE = re.compile(r"([A-Z])[.)][ \t]*(.*)")  # Moodle: the space is optional
_ANSWER = re.compile(r"ANSWER\s*:\s*(.*)", re.IGNORECASE)
_LETTER = re.compile(r"([A-Za-z])[.)]?")
_LINE_BREAK = re.compile(r"\r\n|\r|\n")


@dataclass
class _Draft:
    """A question read up to, not yet including, its ANSWER line."""

    line: int
    text: list[str] = field(default_factory=list)
    choices: dict[str, str] = field(default_factory=dict)
    choice_lines: int = 0


def parse_aiken(text: str, path: str = "<aiken>") -> list[dict[str, Any]]:
    """Parse an Aiken file's text into normalized ``single`` question dicts, in file order.

    Refuses the whole file, raising :class:`lms.quizzes.qformat.QuestionFormatErrors`
    with every ``path:line: message`` found, when a question has no text, fewer than two
    choices, a repeated or empty choice, no ``ANSWER:`` line, or an answer letter that is
    not one of its choices; never returns part of a file.
    """
    errors = ErrorCollector(path)
    questions: list[dict[str, Any]] = []
    draft: _Draft | None = None
    for number, raw in enumerate(_LINE_BREAK.split(text.removeprefix("\ufeff")), start=1):
        line = raw.strip()
        if not line:
            continue
        answer = _ANSWER.fullmatch(line)
        choice = _CHOICE.fullmatch(line)
        if answer is not None:
            if draft is None:
                errors.add(number, "'ANSWER:' without a question above it")
                continue
            question = _finish(draft, number, answer.group(1).strip(), errors)
            if question is not None:
                questions.append(question)
            draft = None
        elif choice is not None:
            if draft is None:
                errors.add(number, f"choice {choice.group(1)} comes before any question text")
                draft = _Draft(line=number)
            _add_choice(draft, number, choice.group(1), (choice.group(2) or "").strip(), errors)
        else:
            if draft is not None and draft.choice_lines:
                errors.add(
                    number,
                    "expected a choice like 'B. text' or 'ANSWER: <letter>' after the "
                    f"choices of the question on line {draft.line}",
                )
                draft = None
            if draft is None:
                draft = _Draft(line=number)
            draft.text.append(line)
    if draft is not None:
        errors.add(draft.line, "the question has no 'ANSWER: <letter>' line")
    errors.raise_if_any()
    return questions


def _add_choice(draft: _Draft, number: int, letter: str, text: str, errors: ErrorCollector) -> None:
    if letter in draft.choices:
        errors.add(number, f"choice {letter} appears twice in the question on line {draft.line}")
    elif not text:
        errors.add(number, f"choice {letter} is empty")
    draft.choices.setdefault(letter, text)
    draft.choice_lines += 1


def _finish(
    draft: _Draft, number: int, given: str, errors: ErrorCollector
) -> dict[str, Any] | None:
    before = len(errors)
    letter = _LETTER.fullmatch(given)
    if not draft.text:  # choices without a question, already reported at the first one
        errors.add(number, "'ANSWER:' closes choices that have no question text above them")
    elif draft.choice_lines < 2:
        errors.add(draft.line, "the question needs at least 2 choices, as in 'A. text'")
    elif letter is None:
        errors.add(number, f"ANSWER needs the one letter of the right choice, got '{given}'")
    elif letter.group(1).upper() not in draft.choices:
        errors.add(
            number,
            f"ANSWER {letter.group(1).upper()} is not one of the choices "
            f"{', '.join(draft.choices)}",
        )
    if len(errors) > before or not draft.text:
        return None
    right = letter.group(1).upper()
    return normalize_question(
        {
            "type": "single",
            "text": "\n".join(draft.text),
            "format": "plain",  # Moodle escapes Aiken text: markup is shown as written
            "choices": [
                {"text": text, "fraction": 1.0 if key == right else 0.0, "feedback": None}
                for key, text in draft.choices.items()
            ],
            "line": draft.line,
        }
    )
