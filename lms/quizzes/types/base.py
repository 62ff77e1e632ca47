"""What every question type provides, and the identifiers the choice types share.

A type is one class (see docs/quizzes-types.md): its quiz-file keys and checks, building
a Question from the file, the layout of an attempt, decoding the form, grading, the
correct answer for the review, the mapping from an imported GIFT/Aiken question, and its
template partial. An attempt keeps, per question, a *layout*: what that attempt showed and
under which identifiers. Choice types send the browser random identifiers drawn per
attempt (``secrets``), never the authored keys, so the page says nothing about which
choice is right or which one was written first. Stored responses stay in authored keys
(grading, reports and reviews read those).
"""

from __future__ import annotations

import secrets
from typing import Any, ClassVar

from lms.quizzes.spec import Question
from lms.quizzes.types.grades import UNGRADED, Grade, ResponseError, show

TOKEN_BYTES = 5  # 10 hex characters: guessing another choice's identifier is hopeless


class FormValueError(ValueError):
    """A form value this attempt's page could not have sent (forged, or from another page)."""


def new_tokens(count: int) -> list[str]:
    """``count`` distinct random identifiers (hex, so they never contain '-')."""
    tokens: list[str] = []
    while len(tokens) < count:
        token = secrets.token_hex(TOKEN_BYTES)
        if token not in tokens:
            tokens.append(token)
    return tokens


class QuestionType:
    """The default behaviour: one text field named ``q<position>``, no layout."""

    name: ClassVar[str] = ""
    label: ClassVar[str] = ""  # English; translated where it is shown
    partial: ClassVar[str] = ""  # the template with the macros `fields` and `correct`
    auto_graded: ClassVar[bool] = True  # graded at submission (else by an instructor)
    takes_answer: ClassVar[bool] = True  # False: text only, no score (description)
    schema: ClassVar[dict] = {}  # quiz-file keys besides id, type, text, points, tags...

    # --- the quiz file ----------------------------------------------------------------
    def build(self, doc, path: str, at: tuple, item: dict) -> tuple[dict, list]:
        """The Question fields of this type from a checked file entry, and problems."""
        return {}, []

    def from_parsed(self, parsed: dict[str, Any]) -> dict[str, Any]:
        """The quiz-file keys for a question parsed from GIFT or Aiken (lms.quizzes.qformat)."""
        return {}

    # --- an attempt -------------------------------------------------------------------
    def layout(self, question: Question, shuffle: bool, rng: Any) -> Any:
        """What this attempt shows and how it names it; stored as JSON with the item."""
        return []

    def form_value(self, form: Any, name: str) -> Any:
        """What the browser sent for the question named ``name`` (the display value)."""
        return form.get(name) or None

    def in_locale(self, value: Any, locale: str) -> Any:
        """A form value read the way a reader of ``locale`` writes it (numbers)."""
        return value

    def to_response(self, question: Question, layout: Any, value: Any) -> Any:
        """A display value (identifiers) as a raw response in authored keys.

        Raises FormValueError for an identifier this attempt never showed.
        """
        return value

    def to_display(self, question: Question, layout: Any, response: Any) -> Any:
        """A stored response (authored keys) as the value the form shows."""
        return response

    def view(self, question: Question, layout: Any) -> dict[str, Any]:
        """Extra values the template partial needs (choices under their identifiers)."""
        return {}

    # --- grading ----------------------------------------------------------------------
    def parse(self, question: Question, raw: Any) -> Any:
        """A clean, JSON-ready response from ``raw`` (never None or ""), or ResponseError."""
        raise ResponseError(f"question {question.id} takes no answer, not {show(raw)}")

    def grade(self, question: Question, response: Any) -> Grade:
        return UNGRADED

    def full_marks(self, question: Question) -> Any:
        """A raw response worth full marks (the demo's graduates give it); None: none."""
        return None

    # --- review -----------------------------------------------------------------------
    def correct(self, question: Question, layout: Any) -> Any:
        """The correct answer as the partial's `correct` macro prints it; None: nothing."""
        return None


def token_pairs(layout: Any) -> list[tuple[str, str]]:
    """[(identifier, authored key)]; an attempt started before identifiers existed stored
    bare keys, which then stand for themselves."""
    pairs = []
    for entry in layout or []:
        if isinstance(entry, list | tuple) and len(entry) == 2:
            pairs.append((str(entry[0]), str(entry[1])))
        else:
            pairs.append((str(entry), str(entry)))
    return pairs


def to_key(layout: Any, token: Any, question: Question) -> str:
    if isinstance(token, str):
        for shown, key in token_pairs(layout):
            if shown == token:
                return key
    raise FormValueError(f"choice {str(token)[:40]!r} is not offered in question "
                         f"{question.id} of this attempt")


def to_token(layout: Any, key: Any) -> str | None:
    for shown, authored in token_pairs(layout):
        if authored == key:
            return shown
    return None
