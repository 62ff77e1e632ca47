"""Grade one answer to one quiz question: pure (no Flask, no database).

Each question type grades itself (lms.quizzes.types); this module is the one entrance.
:func:`parse_response` turns what the browser sent into a clean response or raises
:class:`ResponseError`; :func:`grade` turns a clean response into a :class:`Grade`.
Clean responses are JSON-ready and parse again to themselves, so a stored answer can be
graded again: single ``str`` key; multiple ``tuple`` of keys in choice order; truefalse
``bool``; short ``str`` as typed, stripped; numerical ``float``; matching ``dict`` of the
answered pair keys -> chosen option, in pair order; essay ``str``; None for no answer.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any, Protocol, TypeVar

from lms.quizzes import types
from lms.quizzes.spec import Question
from lms.quizzes.types.grades import (
    ESSAY_MAX_CHARS,
    NUMBER_MAX_CHARS,
    SHORT_MAX_CHARS,
    Grade,
    Response,
    ResponseError,
    finite,
    show,
)

__all__ = ["ESSAY_MAX_CHARS", "GRADERS", "NUMBER_MAX_CHARS", "SHORT_MAX_CHARS", "Grade",
           "Response", "ResponseError", "grade", "manual_grade", "parse_response", "register",
           "score"]


class QuestionType(Protocol):
    """What a registered type provides; ``raw`` is never None or "" (see parse_response)."""

    def parse(self, question: Question, raw: Any) -> Response: ...
    def grade(self, question: Question, response: Any) -> Grade: ...


# The one registry of types (lms.quizzes.types.REGISTRY), seen from grading.
GRADERS: dict[str, Any] = types.REGISTRY
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
    if not getattr(GRADERS.get(question.type), "takes_answer", True):
        raise ResponseError(f"question {question.id} is a description and has no score")
    value = finite(points, int | float | Decimal)
    if value is None:
        raise ResponseError(f"points must be a finite number, not {show(points)}")
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
