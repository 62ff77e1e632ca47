"""A quiz question as the server keeps it: plain frozen data, rendered HTML included.

The quiz loader builds these from quiz files; a finished attempt keeps the
version it was given (as `to_dict()` JSON), so editing a file never changes a
past attempt. Grading (lms.quizzes.grading) reads only these values.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

# The type names and what each type means live in lms.quizzes.types (the registry).


@dataclass(frozen=True)
class Choice:
    key: str  # "a", "b", ... in authoring order; stable within a version; never sent out
    html: str
    fraction: float  # -1 .. 1
    feedback_html: str = ""


@dataclass(frozen=True)
class ShortAnswer:
    text: str
    fraction: float = 1.0
    feedback_html: str = ""


@dataclass(frozen=True)
class NumericalAnswer:
    min: float  # value - tolerance, or the range's lower bound
    max: float
    fraction: float = 1.0
    feedback_html: str = ""


@dataclass(frozen=True)
class Pair:
    key: str  # "1", "2", ... in authoring order
    left_html: str
    right: str  # plain text: the option the participant picks


@dataclass(frozen=True)
class Question:
    id: str
    type: str
    text_html: str
    points: float = 1.0
    tags: tuple[str, ...] = ()
    general_feedback_html: str = ""
    choices: tuple[Choice, ...] = ()
    answer: bool | None = None
    feedback_true_html: str = ""
    feedback_false_html: str = ""
    short_answers: tuple[ShortAnswer, ...] = ()
    case_sensitive: bool = False
    numerical: tuple[NumericalAnswer, ...] = ()
    pairs: tuple[Pair, ...] = ()
    distractors: tuple[str, ...] = ()
    min_words: int | None = None
    grader_info_html: str = ""
    extra: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Question:
        data = dict(data)
        data["tags"] = tuple(data.get("tags") or ())
        data["choices"] = tuple(Choice(**c) for c in data.get("choices") or ())
        data["short_answers"] = tuple(ShortAnswer(**a) for a in data.get("short_answers") or ())
        data["numerical"] = tuple(NumericalAnswer(**a) for a in data.get("numerical") or ())
        data["pairs"] = tuple(Pair(**p) for p in data.get("pairs") or ())
        data["distractors"] = tuple(data.get("distractors") or ())
        return cls(**data)

    @property
    def right_options(self) -> tuple[str, ...]:
        """Matching: every right-hand option once (pairs' rights, then distractors)."""
        seen: dict[str, None] = {}
        for item in [p.right for p in self.pairs] + list(self.distractors):
            seen.setdefault(item, None)
        return tuple(seen)
