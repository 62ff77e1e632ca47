"""Types answered by typing: short answer, numerical, essay; and the description."""

from __future__ import annotations

from typing import Any

from lms.quizzes.spec import NumericalAnswer, Question, ShortAnswer
from lms.quizzes.types.base import QuestionType
from lms.quizzes.types.building import FULL, NUMBER, Key, Problem, entries, fraction, markdown
from lms.quizzes.types.grades import (
    ESSAY_MAX_CHARS,
    NUMBER_MAX_CHARS,
    NUMBER_PATTERN,
    SHORT_MAX_CHARS,
    UNANSWERED,
    UNGRADED,
    Grade,
    ResponseError,
    best_answer,
    finite,
    matches,
    normalize,
    read_number,
    show,
    typed_text,
    within,
    wrong_shape,
)

SHORT_SCHEMA = {"text": Key((str, int, float), True),
                "fraction": Key(NUMBER, False, "a number from 0 to 1"), "feedback": Key(str)}
NUMERICAL_SCHEMA = {"value": Key(NUMBER), "tolerance": Key(NUMBER), "min": Key(NUMBER),
                    "max": Key(NUMBER), "fraction": Key(NUMBER, False, "a number from 0 to 1"),
                    "feedback": Key(str)}


def _with_feedback(entry: dict) -> dict:
    return {"feedback": entry["feedback"]} if entry.get("feedback") else {}


class ShortAnswerType(QuestionType):
    """Typed text; the best accepted answer it matches after normalizing both sides."""

    name = "short"
    label = "Short answer"
    partial = "quizzes/types/short.html"
    schema = {"answers": Key(list, True, "a list of accepted answers"),
              "case_sensitive": Key(bool, False, "true or false")}

    def build(self, doc, path, at, item):
        good, found = entries(doc, path, at, item, "answers", SHORT_SCHEMA)
        answers = []
        for index, entry in good:
            value, problems = fraction(doc, path, (*at, "answers", index),
                                       {"fraction": entry.get("fraction", 1)}, low=0.0)
            found.extend(problems)
            answers.append(ShortAnswer(text=str(entry["text"]).strip(), fraction=value,
                                       feedback_html=markdown(entry.get("feedback"))))
        if answers and not any(a.fraction >= FULL for a in answers):
            found.append(Problem(path, doc.line(*at, "answers"),
                                 "no answer is worth 100%: give one 'fraction: 1' (the default)"))
        if not item.get("answers"):
            found.append(Problem(path, doc.line(*at, "answers"),
                                 "list at least one accepted answer"))
        return {"short_answers": tuple(answers),
                "case_sensitive": bool(item.get("case_sensitive", False))}, found

    def from_parsed(self, parsed):
        return {"answers": [{"text": c["text"], "fraction": round(c["fraction"], 5)}
                            | _with_feedback(c) for c in parsed["choices"]]}

    def parse(self, question: Question, raw: Any) -> str | None:
        return typed_text(question, raw, SHORT_MAX_CHARS)

    def grade(self, question: Question, response: str | None) -> Grade:
        if response is None:
            return UNANSWERED
        exact = question.case_sensitive
        typed = normalize(response, exact)
        return best_answer(question.short_answers, lambda a: matches(a.text, typed, exact))

    def full_marks(self, question: Question) -> Any:
        return next(a.text.replace("*", "") for a in question.short_answers
                    if a.fraction >= FULL)

    def correct(self, question: Question, layout: Any) -> list[str]:
        return [a.text for a in question.short_answers if a.fraction >= FULL]


class Numerical(QuestionType):
    """A typed number; the best answer whose [min, max] holds it, with its feedback."""

    name = "numerical"
    label = "Numerical"
    partial = "quizzes/types/numerical.html"
    schema = {"answers": Key(list, True, "a list of accepted values")}

    def build(self, doc, path, at, item):
        good, found = entries(doc, path, at, item, "answers", NUMERICAL_SCHEMA)
        answers = []
        for index, entry in good:
            entry_at = (*at, "answers", index)
            value, problems = fraction(doc, path, entry_at,
                                       {"fraction": entry.get("fraction", 1)}, low=0.0)
            found.extend(problems)
            if "value" in entry and not ({"min", "max"} & entry.keys()):
                tolerance = abs(entry.get("tolerance", 0))
                low, high = entry["value"] - tolerance, entry["value"] + tolerance
            elif "min" in entry and "max" in entry and "value" not in entry:
                low, high = entry["min"], entry["max"]
                if low > high:
                    found.append(Problem(path, doc.line(*entry_at, "min"),
                                         "'min' is above 'max'"))
            else:
                found.append(Problem(path, doc.line(*entry_at),
                                     "give either 'value' (with an optional 'tolerance') or "
                                     "both 'min' and 'max'"))
                continue
            answers.append(NumericalAnswer(min=float(low), max=float(high), fraction=value,
                                           feedback_html=markdown(entry.get("feedback"))))
        if answers and not any(a.fraction >= FULL for a in answers):
            found.append(Problem(path, doc.line(*at, "answers"), "no answer is worth 100%"))
        if not item.get("answers"):
            found.append(Problem(path, doc.line(*at, "answers"),
                                 "list at least one accepted value"))
        return {"numerical": tuple(answers)}, found

    def from_parsed(self, parsed):
        return {"answers": [{"value": n["value"], "tolerance": n["tolerance"],
                             "fraction": round(n["fraction"], 5)} | _with_feedback(n)
                            for n in parsed["numerical"]]}

    def in_locale(self, value: Any, locale: str) -> Any:
        # "4.000" is four thousand to an Indonesian, "4,5" four and a half; the attempt
        # page shows the reading back without grouping ("4000") once it is saved.
        if isinstance(value, str):
            return read_number(value, locale) or value
        return value

    def parse(self, question: Question, raw: Any) -> float | None:
        number = raw  # a stored response (a float) parses again
        if isinstance(raw, str):
            text = raw.strip()
            if not text:
                return None
            strict = len(text) <= NUMBER_MAX_CHARS and NUMBER_PATTERN.fullmatch(text)
            number = text.replace(",", ".") if strict else None  # float() alone takes "1_0"
        elif not isinstance(raw, int | float) or isinstance(raw, bool):
            raise wrong_shape(question, "a number as text", raw)
        value = finite(number, str | int | float)
        if value is None:
            message = f"{show(raw)} is not a number (question {question.id})"
            raise ResponseError(message, "not_a_number")
        return value

    def grade(self, question: Question, response: float | None) -> Grade:
        if response is None:
            return UNANSWERED
        return best_answer(question.numerical, lambda a: within(response, a))

    def full_marks(self, question: Question) -> Any:
        best = next(a for a in question.numerical if a.fraction >= FULL)
        return str((best.min + best.max) / 2)

    def correct(self, question: Question, layout: Any) -> list[tuple[float, float]]:
        return [(a.min, a.max) for a in question.numerical if a.fraction >= FULL]


class Essay(QuestionType):
    """Free text up to ESSAY_MAX_CHARS; ungraded until an instructor grades it."""

    name = "essay"
    label = "Essay"
    partial = "quizzes/types/essay.html"
    auto_graded = False
    schema = {"min_words": Key(int, False, "a whole number"), "grader_info": Key(str)}

    def build(self, doc, path, at, item):
        return {"min_words": item.get("min_words"),
                "grader_info_html": markdown(item.get("grader_info"))}, []

    def parse(self, question: Question, raw: Any) -> str | None:
        return typed_text(question, raw, ESSAY_MAX_CHARS)

    def grade(self, question: Question, response: str | None) -> Grade:
        return UNGRADED

    def full_marks(self, question: Question) -> Any:
        return "Rencana promosi perpustakaan kami untuk tahun depan."


class Description(QuestionType):
    """Text only: takes no answer and has no score."""

    name = "description"
    label = "Description"
    partial = "quizzes/types/description.html"
    auto_graded = False
    takes_answer = False

    def parse(self, question: Question, raw: Any) -> None:
        if isinstance(raw, list | tuple | dict) and not raw:
            return None
        raise ResponseError(f"question {question.id} is a description and takes no answer")
