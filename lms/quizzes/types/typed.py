"""Types answered by typing: short answer, numerical, essay; and the description."""

from __future__ import annotations

from typing import Any

from lms.quizzes.spec import Question
from lms.quizzes.types.base import QuestionType


class ShortAnswer(QuestionType):
    name = "short"
    label = "Short answer"
    partial = "quizzes/types/short.html"

    def correct(self, question: Question, layout: Any) -> list[str]:
        return [a.text for a in question.short_answers if a.fraction >= 0.999999]


class Numerical(QuestionType):
    name = "numerical"
    label = "Numerical"
    partial = "quizzes/types/numerical.html"

    def correct(self, question: Question, layout: Any) -> list[tuple[float, float]]:
        return [(a.min, a.max) for a in question.numerical if a.fraction >= 0.999999]


class Essay(QuestionType):
    name = "essay"
    label = "Essay"
    partial = "quizzes/types/essay.html"
    auto_graded = False


class Description(QuestionType):
    name = "description"
    label = "Description"
    partial = "quizzes/types/description.html"
    auto_graded = False
    takes_answer = False
