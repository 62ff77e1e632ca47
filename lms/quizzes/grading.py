"""Grade one answer to one quiz question: pure (no Flask, no database), one class per type.

:func:`parse_response` turns what the browser sent into a clean response or raises
:class:`ResponseError`; :func:`grade` turns a clean response into a :class:`Grade`.
Clean responses are JSON-ready and parse again to themselves, so a stored answer can be
graded again: single ``str`` key; multiple ``tuple`` of keys in choice order; truefalse
``bool``; short ``str`` as typed, stripped; numerical ``float``; matching ``dict`` of the
answered pair keys -> chosen option, in pair order; essay ``str``; None for no answer.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Protocol, TypeAlias, TypeVar

from lms.quizzes.spec import Choice, NumericalAnswer, Question, ShortAnswer

SHORT_MAX_CHARS = 500
ESSAY_MAX_CHARS = 20_000
NUMBER_MAX_CHARS = 100
# One optional sign, digits with at most one '.' or ',' (Indonesian decimal comma), an optional
# exponent; ASCII digits only. No thousands separators, so "1.000" is one, not a thousand.
_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:[.,][0-9]*)?|[.,][0-9]+)(?:[eE][+-]?[0-9]+)?")
# The loader stores `correct: true` on n choices as round(1 / n, 6): all n chosen must still be
# full credit (3 x 0.333333 = 0.999999), and up to ~20 such rounding errors stay under this.
_FULL_CREDIT_SLACK = 1e-5
_RANGE_SLACK = 1e-9  # relative, so that 0.1 + 0.2 typed as 0.30000000000000004 still counts

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


_UNGRADED = Grade(None, (), None)
_UNANSWERED = Grade(0.0, (), False)


class QuestionType(Protocol):
    """What a registered type provides; ``raw`` is never None or "" (see parse_response)."""

    def parse(self, question: Question, raw: Any) -> Response: ...
    def grade(self, question: Question, response: Any) -> Grade: ...


GRADERS: dict[str, QuestionType] = {}
_T = TypeVar("_T")


def register(type_name: str) -> Callable[[type[_T]], type[_T]]:
    """Class decorator: grade ``type_name`` with an instance; refuses (ValueError) a second."""

    def decorate(cls: type[_T]) -> type[_T]:
        if type_name in GRADERS:
            raise ValueError(f"question type {type_name!r} already has a grader")
        GRADERS[type_name] = cls()  # type: ignore[assignment]
        return cls

    return decorate


def parse_response(question: Question, raw: Any) -> Response:
    """Turn what the browser sent for ``question`` into a clean response (see module doc).

    None or "" is no answer, for every type, and gives None. Raises ResponseError for any
    value the question's form could not have sent, KeyError for an unregistered type.
    """
    return _parse(_grader(question), question, raw)


def grade(question: Question, response: Any) -> Grade:
    """Grade a parsed response; None (unanswered) is 0, or ungraded for essay and description.

    The response is checked again on the way in, so one that does not fit the question
    (stored for another version, built by hand) raises ResponseError instead of grading wrong.
    """
    grader = _grader(question)
    return grader.grade(question, _parse(grader, question, response))


def score(question: Question, grade: Grade) -> float | None:
    """Points earned: fraction x question.points rounded to 4 decimals; None when ungraded."""
    if grade.fraction is None:
        return None
    return round(grade.fraction * question.points, 4)


def manual_grade(question: Question, points: float | Decimal) -> Grade:
    """The Grade for ``points`` that an instructor awards (essays, or overriding a mark).

    Refuses (ResponseError) a description, a question worth no points, and points that are
    not a finite number from 0 to ``question.points``.
    """
    if question.type == "description":
        raise ResponseError(f"question {question.id} is a description and has no score")
    value = _finite(points, int | float | Decimal)
    if value is None:
        raise ResponseError(f"points must be a finite number, not {_show(points)}")
    if not question.points > 0:
        raise ResponseError(f"question {question.id} is worth no points")
    if not 0.0 <= value <= question.points:
        raise ResponseError(f"{value:g} points is outside 0..{question.points:g} ({question.id})")
    fraction = min(1.0, round(value / question.points, 6))
    return Grade(fraction, (), fraction == 1.0)


def _grader(question: Question) -> QuestionType:
    if question.type not in GRADERS:
        raise KeyError(f"no grader for question type {question.type!r} (question {question.id})")
    return GRADERS[question.type]


def _parse(grader: QuestionType, question: Question, raw: Any) -> Response:
    if raw is None or (isinstance(raw, str) and raw == ""):
        return None
    return grader.parse(question, raw)


def _finite(value: Any, kinds: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, kinds):
        return None
    try:
        number = float(value)
    except (ValueError, OverflowError):  # a signalling NaN, an int past float's range
        return None
    return number if math.isfinite(number) else None


def _wrong_shape(question: Question, wanted: str, raw: Any) -> ResponseError:
    return ResponseError(f"question {question.id} takes {wanted}, not {type(raw).__name__}")


def _show(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _graded(fractions: Iterable[float], feedback: Iterable[str]) -> Grade:
    total = round(math.fsum(fractions), 6)
    if total >= 1.0 - _FULL_CREDIT_SLACK:
        total = 1.0
    total = max(0.0, total)  # "never below 0 for the question"; also turns -0.0 into 0.0
    return Grade(total, tuple(text for text in feedback if text), total == 1.0)


def _text(question: Question, raw: Any, limit: int) -> str | None:
    if not isinstance(raw, str):
        raise _wrong_shape(question, "text", raw)
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


def _best(answers: Iterable[ShortAnswer | NumericalAnswer], accepts: Callable) -> Grade:
    best = None
    for answer in answers:  # the best fraction wins; among equals, the first one written
        if (best is None or answer.fraction > best.fraction) and accepts(answer):
            best = answer
    return _UNANSWERED if best is None else _graded([best.fraction], [best.feedback_html])


def _choice(question: Question, key: Any) -> Choice:
    for choice in question.choices:
        if isinstance(key, str) and choice.key == key:
            return choice
    raise ResponseError(f"choice {_show(key)} does not exist in question {question.id}")


@register("single")
class SingleChoiceGrader:
    """One choice key; its fraction, clamped to 0..1, and its feedback."""

    def parse(self, question: Question, raw: Any) -> str:
        if not isinstance(raw, str):
            raise _wrong_shape(question, "one choice key", raw)
        return _choice(question, raw).key

    def grade(self, question: Question, response: str | None) -> Grade:
        if response is None:
            return _UNANSWERED
        choice = _choice(question, response)
        return _graded([choice.fraction], [choice.feedback_html])


@register("multiple")
class MultipleChoiceGrader:
    """Several choice keys; the sum of their fractions (negative ones subtract) in 0..1."""

    def parse(self, question: Question, raw: Any) -> tuple[str, ...] | None:
        if not isinstance(raw, list | tuple):
            raise _wrong_shape(question, "a list of choice keys", raw)
        keys = {choice.key for choice in question.choices}
        for key in raw:
            if not isinstance(key, str) or key not in keys:
                raise ResponseError(f"choice {_show(key)} does not exist in question {question.id}")
        chosen = set(raw)
        return tuple(choice.key for choice in question.choices if choice.key in chosen) or None

    def grade(self, question: Question, response: tuple[str, ...] | None) -> Grade:
        if response is None:
            return _UNANSWERED
        chosen = [choice for choice in question.choices if choice.key in response]
        return _graded([c.fraction for c in chosen], [c.feedback_html for c in chosen])


@register("truefalse")
class TrueFalseGrader:
    """The text 'true' or 'false'; feedback belongs to the answer given, as in Moodle."""

    def parse(self, question: Question, raw: Any) -> bool:
        if isinstance(raw, bool):
            return raw
        if isinstance(raw, str) and raw in ("true", "false"):
            return raw == "true"
        raise ResponseError(f"question {question.id} takes 'true' or 'false', not {_show(raw)}")

    def grade(self, question: Question, response: bool | None) -> Grade:
        if question.answer is None:
            raise ValueError(f"true/false question {question.id} has no answer")
        if response is None:
            return _UNANSWERED
        feedback = question.feedback_true_html if response else question.feedback_false_html
        return _graded([1.0 if response == question.answer else 0.0], [feedback])


def _normalize(text: str, case_sensitive: bool) -> str:
    text = " ".join(unicodedata.normalize("NFKC", text).split())
    return text if case_sensitive else unicodedata.normalize("NFKC", text.casefold())


def _matches(accepted: str, text: str, case_sensitive: bool) -> bool:
    # Moodle: '*' matches any run of characters (none included), '\*' is a literal asterisk.
    # No regex: k stars make a backtracking regex take up to O(n**k) time on a typed answer.
    pattern = re.split(r"(?<!\\)\*", _normalize(accepted, case_sensitive))
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


@register("short")
class ShortAnswerGrader:
    """Typed text; the best accepted answer it matches after normalizing both sides."""

    def parse(self, question: Question, raw: Any) -> str | None:
        return _text(question, raw, SHORT_MAX_CHARS)

    def grade(self, question: Question, response: str | None) -> Grade:
        if response is None:
            return _UNANSWERED
        exact = question.case_sensitive
        typed = _normalize(response, exact)
        return _best(question.short_answers, lambda a: _matches(a.text, typed, exact))


def _within(value: float, answer: NumericalAnswer) -> bool:
    low = answer.min - _RANGE_SLACK * abs(answer.min)
    return low <= value <= answer.max + _RANGE_SLACK * abs(answer.max)


@register("numerical")
class NumericalGrader:
    """A typed number; the best answer whose [min, max] holds it, with that answer's feedback."""

    def parse(self, question: Question, raw: Any) -> float | None:
        number = raw  # a stored response (a float) parses again
        if isinstance(raw, str):
            text = raw.strip()
            if not text:
                return None
            strict = len(text) <= NUMBER_MAX_CHARS and _NUMBER.fullmatch(text)
            number = text.replace(",", ".") if strict else None  # float() alone takes "1_0"
        elif not isinstance(raw, int | float) or isinstance(raw, bool):
            raise _wrong_shape(question, "a number as text", raw)
        value = _finite(number, str | int | float)
        if value is None:
            message = f"{_show(raw)} is not a number (question {question.id})"
            raise ResponseError(message, "not_a_number")
        return value

    def grade(self, question: Question, response: float | None) -> Grade:
        if response is None:
            return _UNANSWERED
        return _best(question.numerical, lambda a: _within(response, a))


@register("matching")
class MatchingGrader:
    """Pair key -> chosen option; the share of pairs matched right, no per-pair feedback."""

    def parse(self, question: Question, raw: Any) -> dict[str, str] | None:
        if not isinstance(raw, Mapping):
            raise _wrong_shape(question, "pair keys with options", raw)
        pairs = {pair.key for pair in question.pairs}
        options = set(question.right_options)
        chosen: dict[str, str] = {}
        for key, option in raw.items():
            if not isinstance(key, str) or key not in pairs:
                raise ResponseError(f"pair {_show(key)} does not exist in question {question.id}")
            if option is None or (isinstance(option, str) and option == ""):
                continue  # this pair left unanswered
            if not isinstance(option, str) or option not in options:
                message = f"option {_show(option)} is not offered in question {question.id}"
                raise ResponseError(message)
            chosen[key] = option
        return {pair.key: chosen[pair.key] for pair in question.pairs if pair.key in chosen} or None

    def grade(self, question: Question, response: dict[str, str] | None) -> Grade:
        if response is None or not question.pairs:
            return _UNANSWERED
        right = sum(1 for pair in question.pairs if response.get(pair.key) == pair.right)
        return _graded([right / len(question.pairs)], [])


@register("essay")
class EssayGrader:
    """Free text up to ESSAY_MAX_CHARS; ungraded until :func:`manual_grade`."""

    def parse(self, question: Question, raw: Any) -> str | None:
        return _text(question, raw, ESSAY_MAX_CHARS)

    def grade(self, question: Question, response: str | None) -> Grade:
        return _UNGRADED


@register("description")
class DescriptionGrader:
    """Text only: takes no answer and has no score."""

    def parse(self, question: Question, raw: Any) -> None:
        if isinstance(raw, list | tuple | Mapping) and not raw:
            return None
        raise ResponseError(f"question {question.id} is a description and takes no answer")

    def grade(self, question: Question, response: None) -> Grade:
        return _UNGRADED
