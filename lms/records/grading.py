"""The nilai akhir (final grade) and its predikat: a pure function of a program's
final-grade settings and one person's progress.

No database and no Flask request. Each component is a percentage from 0 to 100:

- posttests: the average of the post-tests' grades (one per course that has one);
- exams: the average of the exams' grades;
- assignments: the average of the assignments not counted by an `assignment` component;
- assignment: one assignment (the kertas kerja), by its id;
- attendance: the share of live sessions attended (present or excused);
- participation: the share of modules completed.

Something not graded yet counts 0 and makes the grade provisional (`complete` False);
an assignment's score is turned into a percentage of its maximum. The final grade is the
weighted sum, rounded to two decimals; its predikat is the band it falls in.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _

from lms.progress.model import ASSIGNMENT, DONE, MODULE, QUIZ, ItemProgress, PersonProgress


@dataclass(frozen=True)
class Band:
    low: float
    high: float
    label: str

    def holds(self, grade: float) -> bool:
        return self.low <= grade < self.high or (self.high == 100 and grade == 100)


@dataclass(frozen=True)
class Component:
    source: str
    weight: float
    label: str = ""
    assignment: str | None = None

    def title(self) -> str:
        if self.label:
            return self.label
        return {"posttests": _("Post-tests"), "exams": _("Exams"),
                "assignments": _("Assignments"), "assignment": _("Assignment"),
                "attendance": _("Attendance"),
                "participation": _("Participation (modules completed)")}[self.source]


@dataclass(frozen=True)
class FinalGradeSettings:
    components: tuple[Component, ...] = ()
    bands: tuple[Band, ...] = ()

    @classmethod
    def from_mapping(cls, stored: Mapping[str, Any] | None) -> FinalGradeSettings | None:
        """From a Program's `records` column; None when the program defines no final grade."""
        section = (stored or {}).get("final_grade")
        if not section:
            return None
        return cls(tuple(Component(c["source"], float(c["weight"]), c.get("label") or "",
                                   c.get("assignment")) for c in section["components"]),
                   tuple(Band(float(b["from"]), float(b["to"]), b["label"])
                         for b in section["predikat"]))

    def predikat(self, grade: float) -> str:
        return next((b.label for b in self.bands if b.holds(grade)), "")


@dataclass(frozen=True)
class ComponentResult:
    title: str
    weight: float
    score: float  # 0–100
    complete: bool

    @property
    def points(self) -> float:
        return round(self.score * self.weight / 100, 2)


@dataclass(frozen=True)
class FinalGrade:
    grade: float
    predikat: str
    components: tuple[ComponentResult, ...]
    complete: bool

    def snapshot(self) -> dict:
        """As frozen on a certificate and printed on its transcript."""
        return {"grade": self.grade, "predikat": self.predikat, "complete": self.complete,
                "components": [{"title": c.title, "weight": c.weight, "score": c.score,
                                "complete": c.complete} for c in self.components]}


def _percent(result: ItemProgress) -> float | None:
    if result.grade is None:
        return None
    if result.item.kind == ASSIGNMENT and result.item.max_score:
        return 100 * result.grade / result.item.max_score
    return result.grade


def _average(results: list[ItemProgress]) -> tuple[float, bool]:
    if not results:
        return 0.0, False
    values = [_percent(r) for r in results]
    return sum(v or 0.0 for v in values) / len(values), all(v is not None for v in values)


def final_grade(settings: FinalGradeSettings, progress: PersonProgress) -> FinalGrade:
    """The person's final grade now, component by component. A component with nothing to
    count (a program without exams) scores 0 and leaves the grade provisional."""
    items = progress.items
    named = {c.assignment for c in settings.components if c.source == "assignment"}
    results = []
    for component in settings.components:
        source = component.source
        if source == "attendance":
            score, complete = progress.attendance_percent, True
        elif source == "participation":
            modules = [r for r in items if r.item.kind == MODULE]
            done = sum(1 for r in modules if r.state == DONE)
            score = 100 * done / len(modules) if modules else 0.0
            complete = bool(modules) and done == len(modules)
        elif source in ("posttests", "exams"):
            kind = "posttest" if source == "posttests" else "exam"
            score, complete = _average([r for r in items if r.item.kind == QUIZ
                                        and r.item.quiz_kind == kind])
        elif source == "assignments":
            score, complete = _average([r for r in items if r.item.kind == ASSIGNMENT
                                        and r.item.slug not in named])
        else:
            score, complete = _average([r for r in items if r.item.kind == ASSIGNMENT
                                        and r.item.slug == component.assignment])
        results.append(ComponentResult(component.title(), component.weight,
                                       round(min(max(score, 0.0), 100.0), 2), complete))
    grade = round(sum(r.score * r.weight for r in results) / 100, 2)
    return FinalGrade(grade, settings.predikat(grade), tuple(results),
                      all(r.complete for r in results))


def final_grades(stored: Mapping[str, Any] | None, people: Mapping[int, PersonProgress]
                 ) -> dict[int, FinalGrade] | None:
    """Everyone's final grade by user id; None when the program defines none."""
    settings = FinalGradeSettings.from_mapping(stored)
    if settings is None:
        return None
    return {uid: final_grade(settings, person) for uid, person in people.items()}
