"""The registry of content kinds: each names its folder, its loader and its sync.

A course kind lives in a folder of every course (quizzes/, assignments/); a tree kind
has its own folder at the top of the tree (_surveys/). Adding a kind is one register()
call here; nothing else in the content layer switches on a kind's name.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from lms.assignments.loader import load_assignments
from lms.assignments.sync import sync_assignments
from lms.evaluations.loader import load_surveys
from lms.evaluations.sync import sync_surveys
from lms.quizzes.loader import load_quizzes
from lms.quizzes.sync import sync_quizzes
from lms.sources import Loaded, Problem, Refused


@dataclass(frozen=True)
class CourseKind:
    name: str  # also the folder inside a course
    load: Callable[[Path, str], Loaded]
    sync: Callable[[int, list, Refused], None]  # (course id, valid items, refused items)


@dataclass(frozen=True)
class TreeKind:
    name: str
    check: Callable[[Path], list[Problem]]  # every problem, nothing stored
    sync: Callable[[Path], list[str]]  # stores what is valid, returns the problems


COURSE_KINDS: dict[str, CourseKind] = {}
TREE_KINDS: dict[str, TreeKind] = {}


def register(kind: CourseKind | TreeKind) -> None:
    registry = COURSE_KINDS if isinstance(kind, CourseKind) else TREE_KINDS
    if kind.name in registry:
        raise ValueError(f"content kind {kind.name} is registered twice")
    registry[kind.name] = kind


register(CourseKind("quizzes", load_quizzes, sync_quizzes))
register(CourseKind("assignments", load_assignments, sync_assignments))
register(TreeKind("surveys", lambda root: load_surveys(root)[1], sync_surveys))
