"""Single choice, multiple response and true/false: choices under random identifiers."""

from __future__ import annotations

from typing import Any

from lms.quizzes.spec import Choice, Question
from lms.quizzes.types.base import (
    FormValueError,
    QuestionType,
    new_tokens,
    to_key,
    to_token,
    token_pairs,
)
from lms.quizzes.types.building import FULL, NUMBER, Key, Problem, entries, fraction, markdown
from lms.quizzes.types.grades import (
    UNANSWERED,
    Grade,
    ResponseError,
    graded,
    show,
    wrong_shape,
)

CHOICE_SCHEMA = {"text": Key((str, int, float), True), "correct": Key(bool, False, "true"),
                 "fraction": Key(NUMBER, False, "a number from -1 to 1"), "feedback": Key(str)}


def inline(html: str) -> str:
    """A one-paragraph text without its <p>, so it can sit inside a label."""
    stripped = html.strip()
    if stripped.startswith("<p>") and stripped.endswith("</p>") and stripped.count("<p>") == 1:
        return stripped[3:-4]
    return stripped


def choice_key(index: int) -> str:
    """Authored keys: "a", "b", ... in the order written; never sent to a browser."""
    return chr(ord("a") + index) if index < 26 else f"c{index}"


def find_choice(question: Question, key: Any) -> Choice:
    for choice in question.choices:
        if isinstance(key, str) and choice.key == key:
            return choice
    raise ResponseError(f"choice {show(key)} does not exist in question {question.id}")


class ChoiceType(QuestionType):
    schema = {"choices": Key(list, True, "a list of choices")}

    def build(self, doc, path, at, item):
        good, found = entries(doc, path, at, item, "choices", CHOICE_SCHEMA)
        if len(item.get("choices") or []) < 2:
            found.append(Problem(path, doc.line(*at, "choices"),
                                 "a choice question needs at least two choices"))
        choices = []
        for index, entry in good:
            value, problems = self.choice_fraction(doc, path, (*at, "choices", index), entry,
                                                   good)
            found.extend(problems)
            choices.append(Choice(key=choice_key(index), html=markdown(entry["text"]),
                                  fraction=value, feedback_html=markdown(entry.get("feedback"))))
        if choices:
            found.extend(self.check_choices(doc, path, at, choices))
        return {"choices": tuple(choices)}, found

    def choice_fraction(self, doc, path, at, entry, good):
        return fraction(doc, path, at, entry)

    def check_choices(self, doc, path, at, choices) -> list[Problem]:
        return []

    def from_parsed(self, parsed):
        out = []
        for choice in parsed["choices"]:
            entry: dict[str, Any] = {"text": choice["text"]}
            if self.name == "single" and choice["fraction"] >= FULL:
                entry["correct"] = True
            elif choice["fraction"]:
                entry["fraction"] = round(choice["fraction"], 5)
            if choice.get("feedback"):
                entry["feedback"] = choice["feedback"]
            out.append(entry)
        return {"choices": out}

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
    """One choice; its fraction, clamped to 0..1, and its feedback."""

    name = "single"
    label = "Single choice"
    partial = "quizzes/types/single.html"

    def check_choices(self, doc, path, at, choices):
        right = sum(1 for c in choices if c.fraction >= FULL)
        if right == 1:
            return []
        if right == 0:
            return [Problem(path, doc.line(*at, "choices"), "no correct answer: one choice needs "
                                                            "'correct: true' or 'fraction: 1'")]
        # Several full-credit choices would all show as "the" answer in the review.
        return [Problem(path, doc.line(*at, "choices"),
                        f"a 'single' question needs exactly one correct choice, {right} are "
                        "marked correct; use type 'multiple' or keep one 'correct: true'")]

    def to_response(self, question: Question, layout: Any, value: Any) -> Any:
        return None if value in (None, "") else to_key(layout, value, question)

    def to_display(self, question: Question, layout: Any, response: Any) -> Any:
        return None if response is None else to_token(layout, response)

    def parse(self, question: Question, raw: Any) -> str:
        if not isinstance(raw, str):
            raise wrong_shape(question, "one choice key", raw)
        return find_choice(question, raw).key

    def grade(self, question: Question, response: str | None) -> Grade:
        if response is None:
            return UNANSWERED
        choice = find_choice(question, response)
        return graded([choice.fraction], [choice.feedback_html])

    def full_marks(self, question: Question) -> Any:
        return next(c.key for c in question.choices if c.fraction >= FULL)


class MultipleChoice(ChoiceType):
    """Several choices; the sum of their fractions (negative ones subtract) in 0..1."""

    name = "multiple"
    label = "Multiple response"
    partial = "quizzes/types/multiple.html"

    def choice_fraction(self, doc, path, at, entry, good):
        explicit = any("fraction" in e for _i, e in good)
        if not explicit and entry.get("correct"):  # n right choices share 100% equally
            return round(1 / sum(1 for _i, e in good if e.get("correct")), 6), []
        return fraction(doc, path, at, entry)

    def check_choices(self, doc, path, at, choices):
        total = sum(c.fraction for c in choices if c.fraction > 0)
        if total <= 0:
            return [Problem(path, doc.line(*at, "choices"),
                            "no correct answer: mark the right choices 'correct: true'")]
        if abs(total - 1) > 0.0001:
            return [Problem(path, doc.line(*at, "choices"),
                            f"the positive fractions add up to {total * 100:g}%, not 100%")]
        return []

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

    def parse(self, question: Question, raw: Any) -> tuple[str, ...] | None:
        if not isinstance(raw, list | tuple):
            raise wrong_shape(question, "a list of choice keys", raw)
        keys = {choice.key for choice in question.choices}
        for key in raw:
            if not isinstance(key, str) or key not in keys:
                raise ResponseError(f"choice {show(key)} does not exist in question {question.id}")
        chosen = set(raw)
        return tuple(choice.key for choice in question.choices if choice.key in chosen) or None

    def grade(self, question: Question, response: tuple[str, ...] | None) -> Grade:
        if response is None:
            return UNANSWERED
        chosen = [choice for choice in question.choices if choice.key in response]
        return graded([c.fraction for c in chosen], [c.feedback_html for c in chosen])

    def full_marks(self, question: Question) -> Any:
        return [c.key for c in question.choices if c.fraction > 0]


class TrueFalse(QuestionType):
    """True and False, always in that order (the labels say which is which), each under a
    random identifier like every other choice. Feedback belongs to the answer given."""

    name = "truefalse"
    label = "True/false"
    partial = "quizzes/types/truefalse.html"
    schema = {"answer": Key(bool, True, "true or false"), "feedback_true": Key(str),
              "feedback_false": Key(str)}

    def build(self, doc, path, at, item):
        return {"answer": item["answer"],
                "feedback_true_html": markdown(item.get("feedback_true")),
                "feedback_false_html": markdown(item.get("feedback_false"))}, []

    def from_parsed(self, parsed):
        out: dict[str, Any] = {"answer": bool(parsed["answer"])}
        for key in ("feedback_true", "feedback_false"):
            if parsed.get(key):
                out[key] = parsed[key]
        return out

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

    def parse(self, question: Question, raw: Any) -> bool:
        if isinstance(raw, bool):
            return raw
        if isinstance(raw, str) and raw in ("true", "false"):
            return raw == "true"
        raise ResponseError(f"question {question.id} takes 'true' or 'false', not {show(raw)}")

    def grade(self, question: Question, response: bool | None) -> Grade:
        if question.answer is None:
            raise ValueError(f"true/false question {question.id} has no answer")
        if response is None:
            return UNANSWERED
        feedback = question.feedback_true_html if response else question.feedback_false_html
        return graded([1.0 if response == question.answer else 0.0], [feedback])

    def full_marks(self, question: Question) -> Any:
        return "true" if question.answer else "false"

    def correct(self, question: Question, layout: Any) -> Any:
        return question.answer
