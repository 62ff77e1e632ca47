"""The question-type registry: every place that depends on a question's type asks here."""

from __future__ import annotations

from lms.quizzes.types.base import FormValueError, QuestionType
from lms.quizzes.types.choices import MultipleChoice, SingleChoice, TrueFalse
from lms.quizzes.types.matching import Matching
from lms.quizzes.types.typed import Description, Essay, Numerical, ShortAnswer

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


for _type in (SingleChoice(), MultipleChoice(), TrueFalse(), ShortAnswer(), Numerical(),
              Matching(), Essay(), Description()):
    register(_type)

__all__ = ["REGISTRY", "FormValueError", "QuestionType", "get", "register"]
