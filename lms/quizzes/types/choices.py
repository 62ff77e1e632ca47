"""Single and multiple choice: choices shown under random identifiers, in the drawn order."""

from __future__ import annotations

from typing import Any

from lms.quizzes.spec import Question
from lms.quizzes.types.base import (
    FormValueError,
    QuestionType,
    new_tokens,
    to_key,
    to_token,
    token_pairs,
)


def inline(html: str) -> str:
    """A one-paragraph text without its <p>, so it can sit inside a label."""
    stripped = html.strip()
    if stripped.startswith("<p>") and stripped.endswith("</p>") and stripped.count("<p>") == 1:
        return stripped[3:-4]
    return stripped


class ChoiceType(QuestionType):
    def layout(self, question: Question, shuffle: bool, rng: Any) -> list:
        keys = [choice.key for choice in question.choices]
        if shuffle:
            rng.shuffle(keys)
        return [list(pair) for pair in zip(new_tokens(len(keys)), keys, strict=True)]

    def view(self, question: Question, layout: Any) -> dict[str, Any]:
        html = {choice.key: inline(choice.html) for choice in question.choices}
        return {"choices": [(token, html[key]) for token, key in token_pairs(layout)
                            if key in html]}

    def correct(self, question: Question, layout: Any) -> list[str]:
        right = {choice.key: inline(choice.html) for choice in question.choices
                 if choice.fraction > 0}
        return [right[key] for _token, key in token_pairs(layout) if key in right]


class SingleChoice(ChoiceType):
    name = "single"
    label = "Single choice"
    partial = "quizzes/types/single.html"

    def to_response(self, question: Question, layout: Any, value: Any) -> Any:
        return None if value in (None, "") else to_key(layout, value, question)

    def to_display(self, question: Question, layout: Any, response: Any) -> Any:
        return None if response is None else to_token(layout, response)


class MultipleChoice(ChoiceType):
    name = "multiple"
    label = "Multiple response"
    partial = "quizzes/types/multiple.html"

    def form_value(self, form: Any, name: str) -> Any:
        return form.getlist(name)

    def to_response(self, question: Question, layout: Any, value: Any) -> Any:
        if value is None:
            return None
        if not isinstance(value, list | tuple):
            raise FormValueError(f"question {question.id} takes a list of choices")
        return [to_key(layout, token, question) for token in value]

    def to_display(self, question: Question, layout: Any, response: Any) -> Any:
        return [to_token(layout, key) for key in response or ()]


class TrueFalse(QuestionType):
    """True and False, always in that order (the labels say which is which), each under a
    random identifier so that the form is built like every other choice."""

    name = "truefalse"
    label = "True/false"
    partial = "quizzes/types/truefalse.html"

    def layout(self, question: Question, shuffle: bool, rng: Any) -> list:
        return [list(pair) for pair in zip(new_tokens(2), ("true", "false"), strict=True)]

    def _pairs(self, layout: Any) -> list[tuple[str, str]]:
        return token_pairs(layout) or [("true", "true"), ("false", "false")]

    def to_response(self, question: Question, layout: Any, value: Any) -> Any:
        return None if value in (None, "") else to_key(self._pairs(layout), value, question)

    def to_display(self, question: Question, layout: Any, response: Any) -> Any:
        if response is None:
            return None
        return to_token(self._pairs(layout), "true" if response else "false")

    def view(self, question: Question, layout: Any) -> dict[str, Any]:
        return {"choices": self._pairs(layout)}

    def correct(self, question: Question, layout: Any) -> Any:
        return question.answer
