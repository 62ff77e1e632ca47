"""Grades and what every type's grading shares: pure, no Flask, no database.

A type's ``parse`` turns what the browser sent into a clean response or raises
:class:`ResponseError`; its ``grade`` turns a clean response into a :class:`Grade`.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, TypeAlias

from lms.quizzes.spec import NumericalAnswer, Question, ShortAnswer

SHORT_MAX_CHARS = 500
ESSAY_MAX_CHARS = 20_000
NUMBER_MAX_CHARS = 100
# One optional sign, digits with at most one '.' or ',' (Indonesian decimal comma), an optional
# exponent; ASCII digits only. No thousands separators, so "1.000" is one, not a thousand.
NUMBER_PATTERN = re.compile(r"[+-]?(?:[0-9]+(?:[.,][0-9]*)?|[.,][0-9]+)(?:[eE][+-]?[0-9]+)?")
# The loader stores `correct: true` on n choices as round(1 / n, 6): all n chosen must still be
# full credit (3 x 0.333333 = 0.999999), and up to ~20 such rounding errors stay under this.
FULL_CREDIT_SLACK = 1e-5
RANGE_SLACK = 1e-9  # relative, so that 0.1 + 0.2 typed as 0.30000000000000004 still counts

Response: TypeAlias = str | bool | float | tuple[str, ...] | dict[str, str] | None


class ResponseError(ValueError):
    """A forged or malformed response; the message says what is wrong with it.

    ``code`` lets a view translate what an honest participant can cause: ``"not_a_number"``,
    ``"too_long"``; only a forged request gets ``"invalid"``.
    """

    def __init__(self, message: str, code: str = "invalid") -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class Grade:
    """``fraction`` of the points in 0..1 (None: waits for an instructor, or no score);
    ``feedback_html`` per chosen choice or matched answer, in order, empty ones left out;
    ``correct`` True when the fraction is 1, None when ungraded."""

    fraction: float | None
    feedback_html: tuple[str, ...]
    correct: bool | None

    def __post_init__(self) -> None:
        if self.fraction is not None and not 0.0 <= self.fraction <= 1.0:
            raise ValueError(f"a grade's fraction must be within 0..1, not {self.fraction}")
        if self.correct != (None if self.fraction is None else self.fraction == 1.0):
            raise ValueError("correct must be None when ungraded, else whether fraction is 1")


UNGRADED = Grade(None, (), None)
UNANSWERED = Grade(0.0, (), False)


def finite(value: Any, kinds: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, kinds):
        return None
    try:
        number = float(value)
    except (ValueError, OverflowError):  # a signalling NaN, an int past float's range
        return None
    return number if math.isfinite(number) else None


def wrong_shape(question: Question, wanted: str, raw: Any) -> ResponseError:
    return ResponseError(f"question {question.id} takes {wanted}, not {type(raw).__name__}")


def show(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def graded(fractions: Iterable[float], feedback: Iterable[str]) -> Grade:
    total = round(math.fsum(fractions), 6)
    if total >= 1.0 - FULL_CREDIT_SLACK:
        total = 1.0
    total = max(0.0, total)  # "never below 0 for the question"; also turns -0.0 into 0.0
    return Grade(total, tuple(text for text in feedback if text), total == 1.0)


def typed_text(question: Question, raw: Any, limit: int) -> str | None:
    if not isinstance(raw, str):
        raise wrong_shape(question, "text", raw)
    # Neither survives a trip to PostgreSQL, and no browser sends them.
    if "\x00" in raw:
        raise ResponseError(f"the answer to question {question.id} contains a NUL character")
    try:
        raw.encode("utf-8")
    except UnicodeEncodeError:
        raise ResponseError(f"the answer to question {question.id} is not Unicode") from None
    text = raw.replace("\r\n", "\n").replace("\r", "\n").strip()
    if len(text) > limit:
        message = f"the answer to {question.id} has {len(text)} characters, over {limit}"
        raise ResponseError(message, "too_long")
    return text or None


def best_answer(answers: Iterable[ShortAnswer | NumericalAnswer], accepts: Callable) -> Grade:
    best = None
    for answer in answers:  # the best fraction wins; among equals, the first one written
        if (best is None or answer.fraction > best.fraction) and accepts(answer):
            best = answer
    return UNANSWERED if best is None else graded([best.fraction], [best.feedback_html])


def normalize(text: str, case_sensitive: bool) -> str:
    text = " ".join(unicodedata.normalize("NFKC", text).split())
    return text if case_sensitive else unicodedata.normalize("NFKC", text.casefold())


def matches(accepted: str, text: str, case_sensitive: bool) -> bool:
    # Moodle: '*' matches any run of characters (none included), '\*' is a literal asterisk.
    # No regex: k stars make a backtracking regex take up to O(n**k) time on a typed answer.
    pattern = re.split(r"(?<!\\)\*", normalize(accepted, case_sensitive))
    parts = [part.replace("\\*", "*") for part in pattern]
    if len(parts) == 1:
        return text == parts[0]
    first, *middle, last = parts
    if len(text) < len(first) + len(last) or not (text.startswith(first) and text.endswith(last)):
        return False
    position, end = len(first), len(text) - len(last)
    for part in middle:  # the leftmost place for each part leaves the most room for the rest
        found = text.find(part, position, end)
        if found < 0:
            return False
        position = found + len(part)
    return True


def within(value: float, answer: NumericalAnswer) -> bool:
    low = answer.min - RANGE_SLACK * abs(answer.min)
    return low <= value <= answer.max + RANGE_SLACK * abs(answer.max)


_GROUPED = {"id": re.compile(r"[+-]?[0-9]{1,3}(?:\.[0-9]{3})+(?:,[0-9]+)?"),
            "en": re.compile(r"[+-]?[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?")}


def read_number(text: str, locale: str = "id") -> str | None:
    """A typed number as the person meant it, in the plain form float() reads; None when
    it is not a number. Pure: no Flask.

    Indonesian writes "4.000" for four thousand and "4,5" for four and a half; English
    "4,000" and "4.5". A number grouped the reader's way ("1.234.567,5") is read with the
    groups; any other single '.' or ',' is a decimal mark ("4.5" is four and a half in both
    languages, because "4.5" cannot be a grouped number).
    """
    text = text.strip().replace("\u00a0", "").replace(" ", "")
    language = str(locale).split("_")[0]
    grouped = _GROUPED.get(language, _GROUPED["en"])
    if grouped.fullmatch(text):
        group, decimal = (".", ",") if language == "id" else (",", ".")
        return text.replace(group, "").replace(decimal, ".")
    if NUMBER_PATTERN.fullmatch(text):
        return text.replace(",", ".")
    return None
