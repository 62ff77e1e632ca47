"""Matching: each left-hand item gets one right-hand option from a shuffled list."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from lms.quizzes.spec import Pair, Question
from lms.quizzes.types.base import FormValueError, QuestionType, new_tokens, to_key, token_pairs
from lms.quizzes.types.building import Key, Problem, entries, markdown
from lms.quizzes.types.choices import inline
from lms.quizzes.types.grades import UNANSWERED, Grade, ResponseError, graded, show, wrong_shape

PAIR_SCHEMA = {"left": Key((str, int, float), True), "right": Key((str, int, float), True)}


class Matching(QuestionType):
    """Pair key -> chosen option; the share of pairs matched right, no per-pair feedback.

    Layout: ``{"rows": [[id, pair key]], "options": [[id, option text]]}``. The options
    are always shuffled: in the authored order they would line up with their rows.
    """

    name = "matching"
    label = "Matching"
    partial = "quizzes/types/matching.html"
    schema = {"pairs": Key(list, True, "a list of left/right pairs"),
              "distractors": Key(list, False, "a list of texts")}

    def build(self, doc, path, at, item):
        good, found = entries(doc, path, at, item, "pairs", PAIR_SCHEMA)
        pairs = tuple(Pair(key=str(index + 1), left_html=markdown(entry["left"]),
                           right=str(entry["right"]).strip()) for index, entry in good)
        if len(item.get("pairs") or []) < 2:
            found.append(Problem(path, doc.line(*at, "pairs"),
                                 "matching needs at least two pairs"))
        distractors = item.get("distractors") or []
        if any(not isinstance(d, str | int | float) for d in distractors):
            found.append(Problem(path, doc.line(*at, "distractors"),
                                 "distractors must be texts"))
        return {"pairs": pairs, "distractors": tuple(str(d).strip() for d in distractors)}, found

    def from_parsed(self, parsed):
        out: dict[str, Any] = {"pairs": [{"left": p["left"], "right": p["right"]}
                                         for p in parsed["pairs"] if p["left"]]}
        extra = [p["right"] for p in parsed["pairs"] if not p["left"]]
        if extra:
            out["distractors"] = extra
        return out

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

    def parse(self, question: Question, raw: Any) -> dict[str, str] | None:
        if not isinstance(raw, Mapping):
            raise wrong_shape(question, "pair keys with options", raw)
        pairs = {pair.key for pair in question.pairs}
        options = set(question.right_options)
        chosen: dict[str, str] = {}
        for key, option in raw.items():
            if not isinstance(key, str) or key not in pairs:
                raise ResponseError(f"pair {show(key)} does not exist in question {question.id}")
            if option is None or (isinstance(option, str) and option == ""):
                continue  # this pair left unanswered
            if not isinstance(option, str) or option not in options:
                message = f"option {show(option)} is not offered in question {question.id}"
                raise ResponseError(message)
            chosen[key] = option
        return {pair.key: chosen[pair.key] for pair in question.pairs if pair.key in chosen} or None

    def grade(self, question: Question, response: dict[str, str] | None) -> Grade:
        if response is None or not question.pairs:
            return UNANSWERED
        right = sum(1 for pair in question.pairs if response.get(pair.key) == pair.right)
        return graded([right / len(question.pairs)], [])

    def full_marks(self, question: Question) -> Any:
        return {p.key: p.right for p in question.pairs}

    def correct(self, question: Question, layout: Any) -> list[tuple[str, str]]:
        by_key = {pair.key: pair for pair in question.pairs}
        return [(inline(by_key[key].left_html), by_key[key].right)
                for _token, key in self._rows(question, layout) if key in by_key]
