"""The evaluation form, built from a survey version and the cohort's instructors.

The number of questions depends on the file and on who teaches in the cohort,
so the form is a plain object rather than a WTForms class; the CSRF token is
checked by an empty FlaskForm in the view.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import gettext as _
from werkzeug.datastructures import MultiDict

from lms.evaluations.services import MAX_ANSWER, Target


@dataclass
class Question:
    name: str  # the form field's name; the controls' ids start with it
    text: str
    kind: str  # "rating" (a radio group on the scale) or "text" (a textarea)
    required: bool
    value: int | str | None = None
    error: str = ""

    @property
    def anchor(self) -> str:
        """The id of the first control, for the error summary's links."""
        return f"{self.name}-1" if self.kind == "rating" else self.name


@dataclass
class Group:
    id: str
    title: str
    questions: list[Question] = field(default_factory=list)
    target: Target | None = None


class EvaluationForm:
    """One group per instructor and course, one for the organiser, one of open questions."""

    def __init__(self, survey: dict, asked: list[Target]):
        self.survey = survey
        self.scale = survey["scale"]
        self.groups: list[Group] = []
        for target in asked:
            prefix = f"i{target.instructor_id}-c{target.course_id}"
            self.groups.append(Group(prefix, _("%(name)s, %(course)s", name=target.name,
                                               course=target.course_title),
                                     [Question(f"{prefix}-{item['id']}", item["text"], "rating",
                                               True) for item in survey["instructor_items"]],
                                     target))
        if survey["organiser_items"]:
            self.groups.append(Group("o", _("Organisation of the training"), [
                Question(f"o-{item['id']}", item["text"], "rating", True)
                for item in survey["organiser_items"]]))
        if survey["open_questions"]:
            self.groups.append(Group("q", _("Your suggestions"), [
                Question(f"q-{q['id']}", q["text"], "text", q["required"])
                for q in survey["open_questions"]]))

    @property
    def questions(self) -> list[Question]:
        return [q for g in self.groups for q in g.questions]

    @property
    def errors(self) -> list[Question]:
        return [q for q in self.questions if q.error]

    def load(self, formdata: MultiDict) -> bool:
        """Read the posted values; True when every required answer is there and valid."""
        values = {str(s["value"]): s["value"] for s in self.scale}
        for question in self.questions:
            raw = formdata.get(question.name, "")
            if question.kind == "rating":
                question.value = values.get(raw.strip())
                if question.value is None:
                    question.error = _("Choose one answer.")
                continue
            question.value = raw.replace("\r\n", "\n").strip()
            if len(question.value) > MAX_ANSWER:
                question.error = _("At most %(n)d characters.", n=MAX_ANSWER)
            elif question.required and not question.value:
                question.error = _("Please write an answer.")
        return not self.errors

    def answers(self) -> dict:
        """The anonymous answers, as stored (see EvaluationResponse.answers)."""
        found: dict = {"organiser": {}, "instructors": [], "open": {}}
        for group in self.groups:
            given = {q.name.removeprefix(group.id + "-"): q.value for q in group.questions}
            if group.target is not None:
                found["instructors"].append({"instructor_id": group.target.instructor_id,
                                             "course_id": group.target.course_id,
                                             "ratings": given})
            elif group.id == "o":
                found["organiser"] = given
            else:
                found["open"] = {k: v for k, v in given.items() if v}
        return found
