"""Who has completed: a pure function of a program's settings and one person's progress.

No database and no Flask request: `requirements(settings, progress)` reads the typed
settings (`CertificateSettings`, built from the program's `certificate:` section) and a
`lms.progress.model.PersonProgress`, and lists what the person has to meet, in the
order a participant meets them. tests/certificates/test_rules.py builds both by hand.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _

from lms.certificates.settings import DEFAULTS
from lms.progress.model import ASSIGNMENT, DONE, QUIZ, ItemProgress, PersonProgress


@dataclass
class Requirement:
    label: str
    done: bool
    detail: str = ""


@dataclass(frozen=True)
class CertificateSettings:
    """A program's certificate settings, defaults filled in (see settings.DEFAULTS)."""

    number_format: str = DEFAULTS["number_format"]
    issuer: str = DEFAULTS["issuer"]
    place: str = DEFAULTS["place"]
    pass_mark: float | None = None  # None: each post-test's own pass mark
    show_scores: bool = False
    require_evaluation: bool = False
    min_attendance_percent: float | None = None  # None: attendance not required
    signatories: tuple[Mapping[str, Any], ...] = ()
    template: str | None = None

    @classmethod
    def from_mapping(cls, stored: Mapping[str, Any] | None) -> CertificateSettings:
        """From the settings stored on a Program (keys unknown here are ignored)."""
        merged = {**DEFAULTS, **(stored or {})}
        return cls(
            number_format=merged["number_format"], issuer=merged["issuer"],
            place=merged["place"], pass_mark=merged["pass_mark"],
            show_scores=bool(merged["show_scores"]),
            require_evaluation=bool(merged["require_evaluation"]),
            min_attendance_percent=merged["min_attendance_percent"],
            signatories=tuple(merged["signatories"] or ()), template=merged["template"])

    def rules(self) -> dict[str, Any]:
        """The settings that decide completion, as recorded on a certificate."""
        return {"pass_mark": self.pass_mark, "require_evaluation": self.require_evaluation,
                "min_attendance_percent": self.min_attendance_percent}


def _grade_detail(result: ItemProgress) -> str:
    if result.grade is None:
        return _("no grade yet")
    return _("grade %(grade)s", grade=f"{result.grade:g}")


def requirements(settings: CertificateSettings, progress: PersonProgress
                 ) -> list[Requirement]:
    """Per course in program order, in the order a participant meets them: the pre-test
    (taken), every module done, exams (their own pass mark) and assignments (their pass
    mark), the post-test (the program's pass mark when set, else its own); then the
    training evaluation and attendance at live sessions when the program asks for them."""
    found = []
    for course in progress.courses:
        before, after, last = [], [], []
        for result in course.items:
            item = result.item
            if item.kind == ASSIGNMENT:
                after.append(Requirement(
                    _("%(quiz)s passed (at least %(mark)s)", quiz=item.title,
                      mark=f"{item.pass_mark:g}"),
                    result.grade is not None and result.grade >= item.pass_mark,
                    _grade_detail(result)))
                continue
            if item.kind != QUIZ or item.quiz_kind == "practice":
                continue
            if item.quiz_kind == "pretest":
                before.append(Requirement(
                    _("%(course)s: pre-test taken", course=course.course.title),
                    result.grade is not None))
                continue
            post = item.quiz_kind == "posttest"
            mark = settings.pass_mark if post and settings.pass_mark is not None \
                else item.pass_mark
            label = (_("%(course)s: post-test passed (at least %(mark)s)",
                       course=course.course.title, mark=f"{mark:g}") if post else
                     _("%(quiz)s passed (at least %(mark)s)", quiz=item.title, mark=f"{mark:g}"))
            (last if post else after).append(Requirement(
                label, result.grade is not None and result.grade >= mark,
                _grade_detail(result)))
        modules = course.modules
        done = sum(1 for m in modules if m.state == DONE)
        found += before
        found.append(Requirement(
            _("%(course)s: every module done", course=course.course.title),
            done == len(modules),
            _("%(done)d of %(total)d modules", done=done, total=len(modules))))
        found += after + last
    if settings.require_evaluation:
        found.append(Requirement(_("Training evaluation submitted"), progress.evaluation_done))
    minimum = settings.min_attendance_percent
    if minimum is not None:
        attended = progress.attendance_percent
        found.append(Requirement(
            _("Attendance at live sessions at least %(minimum)s%%", minimum=f"{minimum:g}"),
            attended >= minimum, _("%(percent)s%% attended", percent=f"{attended:g}")))
    return found


def is_complete(found: list[Requirement]) -> bool:
    return bool(found) and all(r.done for r in found)
