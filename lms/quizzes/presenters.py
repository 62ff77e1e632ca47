"""Plain values for the quiz templates.

`attempt_view` is all an open attempt's page may know: texts, choices in the
order drawn, the saved answers. No fraction, no feedback, no correct answer.
`review_view` adds those only as far as the review options allow.
"""

from __future__ import annotations

import json

from lms.quizzes import grading
from lms.quizzes.models import Attempt
from lms.quizzes.services import Visibility
from lms.quizzes.spec import Question


def inline(html: str) -> str:
    """A one-paragraph text without its <p>, so it can sit inside a label."""
    stripped = html.strip()
    if stripped.startswith("<p>") and stripped.endswith("</p>") and stripped.count("<p>") == 1:
        return stripped[3:-4]
    return stripped


def _value(item):
    return item.response["value"] if item.response else None


def attempt_view(attempt: Attempt) -> list[dict]:
    view = []
    for item in attempt.items:
        question = Question.from_dict(item.version.data)
        choices = {c.key: inline(c.html) for c in question.choices}
        value = _value(item)
        view.append({
            "position": item.position,
            "type": question.type,
            "text_html": question.text_html,
            "points": question.points,
            "choices": [(key, choices[key]) for key in item.order if key in choices],
            "pairs": [(p.key, inline(p.left_html)) for p in question.pairs],
            "options": list(item.order) if question.type == "matching" else [],
            "value": value,
            "original": json.dumps(value),
            "min_words": question.min_words,
            "saved_at": item.saved_at,
        })
    return view


def _correct_answer(question: Question) -> dict:
    if question.type in ("single", "multiple"):
        return {"keys": [c.key for c in question.choices if c.fraction > 0]}
    if question.type == "truefalse":
        return {"bool": question.answer}
    if question.type == "short":
        return {"texts": [a.text for a in question.short_answers if a.fraction >= 0.999999]}
    if question.type == "numerical":
        return {"ranges": [(a.min, a.max) for a in question.numerical if a.fraction >= 0.999999]}
    if question.type == "matching":
        return {"pairs": {p.key: p.right for p in question.pairs}}
    return {}


def review_view(attempt: Attempt, shown: Visibility) -> list[dict]:
    view = attempt_view(attempt)
    for entry, item in zip(view, attempt.items, strict=True):
        question = Question.from_dict(item.version.data)
        value = _value(item)
        entry["fraction"] = item.fraction if shown.score else None
        entry["earned"] = item.points if shown.score else None
        entry["correct"] = _correct_answer(question) if shown.answers else None
        if shown.feedback and question.type != "description":
            result = grading.grade(question, value) if value is not None else None
            entry["feedback"] = list(result.feedback_html) if result else []
            entry["general_feedback_html"] = question.general_feedback_html
        else:
            entry["feedback"] = []
            entry["general_feedback_html"] = ""
        entry["grader_comment"] = item.grader_comment if shown.score else None
        entry["waiting"] = question.type == "essay" and item.fraction is None
        # Choices of the review are shown in the order the participant saw them.
        entry["all_choices"] = entry["choices"]
    return view
