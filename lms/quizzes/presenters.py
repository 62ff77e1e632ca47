"""Plain values for the quiz templates.

`attempt_view` is all an open attempt's page may know: texts, choices in the
order drawn under this attempt's identifiers, the saved answers. No fraction, no
feedback, no correct answer, no authored key. `review_view` adds those only as far
as the review options allow.
"""

from __future__ import annotations

import json

from lms.quizzes import grading, types
from lms.quizzes.models import Attempt
from lms.quizzes.services import Visibility, items_of
from lms.quizzes.types.choices import inline

__all__ = ["attempt_view", "inline", "review_view"]


def _value(item):
    return item.response["value"] if item.response else None


def attempt_view(attempt: Attempt) -> list[dict]:
    view = []
    for item in items_of(attempt):
        question = item.question
        kind = types.get(question.type)
        shown = kind.to_display(question, item.order, _value(item))
        entry = {
            "position": item.position,
            "type": question.type,
            "partial": kind.partial,
            "takes_answer": kind.takes_answer,
            "text_html": question.text_html,
            "points": question.points,
            "choices": [],
            "pairs": [],
            "options": [],
            "value": shown,
            "original": json.dumps(shown),
            "min_words": question.min_words,
            "saved_at": item.saved_at,
        }
        entry.update(kind.view(question, item.order))
        view.append(entry)
    return view


def review_view(attempt: Attempt, shown: Visibility) -> list[dict]:
    view = attempt_view(attempt)
    for entry, item in zip(view, items_of(attempt), strict=True):
        question = item.question
        kind = types.get(question.type)
        value = _value(item)
        entry["fraction"] = item.fraction if shown.score else None
        entry["earned"] = item.points if shown.score else None
        entry["correct"] = kind.correct(question, item.order) if shown.answers else None
        if shown.feedback and kind.takes_answer:
            result = grading.grade(question, value) if value is not None else None
            entry["feedback"] = list(result.feedback_html) if result else []
            entry["general_feedback_html"] = question.general_feedback_html
        else:
            entry["feedback"] = []
            entry["general_feedback_html"] = ""
        entry["grader_comment"] = item.grader_comment if shown.score else None
        entry["waiting"] = not kind.auto_graded and kind.takes_answer and item.fraction is None
    return view
