"""The question-type registry: every place that depends on a question's type asks here.

Adding a type: write its module (a QuestionType subclass and a template partial) and add
one line to ``_BUILT_IN`` below. See docs/quizzes-types.md.
"""

from __future__ import annotations

from lms.quizzes.types.base import FormValueError, QuestionType
from lms.quizzes.types.choices import MultipleChoice, SingleChoice, TrueFalse
from lms.quizzes.types.grades import Grade, ResponseError
from lms.quizzes.types.matching import Matching
from lms.quizzes.types.ordering import Ordering
from lms.quizzes.types.typed import Description, Essay, Numerical, ShortAnswerType

REGISTRY: dict[str, QuestionType] = {}


def register(question_type: QuestionType) -> QuestionType:
    """Add a type; refuses (ValueError) a second type of the same name."""
    if question_type.name in REGISTRY:
        raise ValueError(f"question type {question_type.name!r} is already registered")
    REGISTRY[question_type.name] = question_type
    return question_type


def get(name: str) -> QuestionType:
    """The type called ``name``; KeyError for an unknown one."""
    return REGISTRY[name]


_BUILT_IN = (SingleChoice(), MultipleChoice(), TrueFalse(), ShortAnswerType(), Numerical(),
             Matching(), Ordering(), Essay(), Description())
for _type in _BUILT_IN:
    register(_type)

# The names a quiz file may use, in the order the documentation lists them.
QUESTION_TYPES: tuple[str, ...] = tuple(REGISTRY)
# Graded by the server at submission; the others wait for an instructor or have no score.
AUTO_GRADED = frozenset(name for name, kind in REGISTRY.items() if kind.auto_graded)
# Answerable: everything but text-only items (description).
ANSWERABLE = frozenset(name for name, kind in REGISTRY.items() if kind.takes_answer)

__all__ = ["ANSWERABLE", "AUTO_GRADED", "QUESTION_TYPES", "REGISTRY", "FormValueError", "Grade",
           "QuestionType", "ResponseError", "get", "register"]
