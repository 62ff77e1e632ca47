"""Ordering (Moodle's "ordering" question): put the items in the right order.

Quiz file: ``items``, a list of texts written in the right order (at least two). The
attempt shows them shuffled, each under a random identifier with a position to choose
(no script needed). The grade is the share of items put at their own position, as
Moodle's "absolute position" grading does.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from lms.quizzes.spec import Choice, Question
from lms.quizzes.types.base import FormValueError, QuestionType, new_tokens, to_key, token_pairs
from lms.quizzes.types.building import Key, Problem, markdown
from lms.quizzes.types.choices import choice_key, inline
from lms.quizzes.types.grades import UNANSWERED, Grade, ResponseError, graded, show, wrong_shape


class Ordering(QuestionType):
    """Response: item key -> position (1..n) for the items placed, in authored order."""

    name = "ordering"
    label = "Ordering"
    partial = "quizzes/types/ordering.html"
    schema = {"items": Key(list, True, "a list of texts in the right order")}

    def build(self, doc, path, at, item):
        found = []
        texts = item.get("items") or []
        if len(texts) < 2:
            found.append(Problem(path, doc.line(*at, "items"), "ordering needs at least two items"))
        for index, text in enumerate(texts):
            if not isinstance(text, str | int | float) or isinstance(text, bool):
                found.append(Problem(path, doc.line(*at, "items", index),
                                     "each item must be a text"))
        # The authored order is the answer; the items are kept as choices worth nothing alone.
        choices = tuple(Choice(key=choice_key(index), html=markdown(text), fraction=0.0)
                        for index, text in enumerate(texts))
        return {"choices": choices}, found

    def layout(self, question: Question, shuffle: bool, rng: Any) -> list:
        keys = [choice.key for choice in question.choices]
        rng.shuffle(keys)  # always: the authored order is the answer
        return [list(pair) for pair in zip(new_tokens(len(keys)), keys, strict=True)]

    def form_value(self, form: Any, name: str) -> Any:
        prefix = f"{name}-"
        return {key[len(prefix):]: value for key, value in form.items()
                if key.startswith(prefix) and value}

    def to_response(self, question: Question, layout: Any, value: Any) -> Any:
        if value is None:
            return None
        if not isinstance(value, dict):
            raise FormValueError(f"question {question.id} takes one position per item")
        return {to_key(layout, token, question): position for token, position in value.items()}

    def to_display(self, question: Question, layout: Any, response: Any) -> Any:
        tokens = {key: token for token, key in token_pairs(layout)}
        return {tokens[key]: str(position) for key, position in (response or {}).items()
                if key in tokens}

    def view(self, question: Question, layout: Any) -> dict[str, Any]:
        html = {choice.key: inline(choice.html) for choice in question.choices}
        return {"choices": [(token, html[key]) for token, key in token_pairs(layout)
                            if key in html],
                "positions": list(range(1, len(question.choices) + 1))}

    def parse(self, question: Question, raw: Any) -> dict[str, int] | None:
        if not isinstance(raw, Mapping):
            raise wrong_shape(question, "item keys with positions", raw)
        keys = {choice.key for choice in question.choices}
        placed: dict[str, int] = {}
        for key, position in raw.items():
            if not isinstance(key, str) or key not in keys:
                raise ResponseError(f"item {show(key)} does not exist in question {question.id}")
            if position is None or position == "":
                continue
            if isinstance(position, str) and position.isascii() and position.isdigit():
                position = int(position)
            if isinstance(position, bool) or not isinstance(position, int) \
                    or not 1 <= position <= len(keys):
                raise ResponseError(f"position {show(position)} is not offered in question "
                                    f"{question.id}")
            placed[key] = position
        return {c.key: placed[c.key] for c in question.choices if c.key in placed} or None

    def grade(self, question: Question, response: dict[str, int] | None) -> Grade:
        if response is None or not question.choices:
            return UNANSWERED
        right = sum(1 for index, choice in enumerate(question.choices, start=1)
                    if response.get(choice.key) == index)
        return graded([right / len(question.choices)], [])

    def full_marks(self, question: Question) -> Any:
        return {choice.key: index for index, choice in enumerate(question.choices, start=1)}

    def correct(self, question: Question, layout: Any) -> list[str]:
        return [inline(choice.html) for choice in question.choices]
