"""Matching: each left-hand item gets one right-hand option from a shuffled list."""

from __future__ import annotations

from typing import Any

from lms.quizzes.spec import Question
from lms.quizzes.types.base import FormValueError, QuestionType, new_tokens, to_key, token_pairs
from lms.quizzes.types.choices import inline


class Matching(QuestionType):
    """Layout: ``{"rows": [[id, pair key]], "options": [[id, option text]]}``. The options
    are always shuffled: in the authored order they would line up with their rows."""

    name = "matching"
    label = "Matching"
    partial = "quizzes/types/matching.html"

    def layout(self, question: Question, shuffle: bool, rng: Any) -> dict:
        options = list(question.right_options)
        rng.shuffle(options)
        keys = [pair.key for pair in question.pairs]
        return {"rows": [list(p) for p in zip(new_tokens(len(keys)), keys, strict=True)],
                "options": [list(p) for p in zip(new_tokens(len(options)), options,
                                                 strict=True)]}

    def _parts(self, layout: Any) -> tuple[list, list]:
        if isinstance(layout, dict):
            return token_pairs(layout.get("rows")), token_pairs(layout.get("options"))
        return [], token_pairs(layout)  # before identifiers: bare option texts

    def _rows(self, question: Question, layout: Any) -> list[tuple[str, str]]:
        rows, _options = self._parts(layout)
        return rows or [(pair.key, pair.key) for pair in question.pairs]

    def form_value(self, form: Any, name: str) -> Any:
        prefix = f"{name}-"
        return {key[len(prefix):]: value for key, value in form.items()
                if key.startswith(prefix) and value}

    def to_response(self, question: Question, layout: Any, value: Any) -> Any:
        if value is None:
            return None
        if not isinstance(value, dict):
            raise FormValueError(f"question {question.id} takes one option per row")
        rows = self._rows(question, layout)
        _rows, options = self._parts(layout)
        return {to_key(rows, row, question): (to_key(options, option, question)
                                              if option not in (None, "") else None)
                for row, option in value.items()}

    def to_display(self, question: Question, layout: Any, response: Any) -> Any:
        rows = {key: token for token, key in self._rows(question, layout)}
        options = {text: token for token, text in self._parts(layout)[1]}
        return {rows[key]: options.get(option) for key, option in (response or {}).items()
                if key in rows}

    def view(self, question: Question, layout: Any) -> dict[str, Any]:
        left = {pair.key: inline(pair.left_html) for pair in question.pairs}
        return {"pairs": [(token, left[key]) for token, key in self._rows(question, layout)
                          if key in left],
                "options": self._parts(layout)[1]}

    def correct(self, question: Question, layout: Any) -> list[tuple[str, str]]:
        by_key = {pair.key: pair for pair in question.pairs}
        return [(inline(by_key[key].left_html), by_key[key].right)
                for _token, key in self._rows(question, layout) if key in by_key]
