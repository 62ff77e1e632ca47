"""Read evaluation survey files (course_content/_surveys/*.yml) into plain dataclasses.

Pure: files in, values and `path:line: message` problems out. No Flask, no database.
`lms content check` prints the problems; `evaluations.sync` stores what is valid.
The file format is described in docs/evaluations.md.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

from lms.sources import (
    Key,
    Located,
    Problem,
    check_id,
    check_mapping,
    read_yaml,
)

SURVEYS_DIR = "_surveys"
MIN_SCALE, MAX_SCALE = 3, 10
MAX_TEXT = 500  # an item's or a question's text, as printed on the form

SURVEY_SCHEMA = {
    "id": Key(str, True),
    "title": Key(str, True),
    "description": Key(str, False),
    "anonymous": Key(bool, False, "true (every evaluation is anonymous)"),
    "scale": Key(list, True, "a list of {value, label}"),
    "instructor_items": Key(list, False, "a list of {id, text}"),
    "organiser_items": Key(list, False, "a list of {id, text}"),
    "open_questions": Key(list, False, "a list of {id, text, required}"),
}
STEP_SCHEMA = {"value": Key(int, True, "a whole number"), "label": Key(str, True)}
ITEM_SCHEMA = {"id": Key(str, True), "text": Key(str, True)}
OPEN_SCHEMA = {"id": Key(str, True), "text": Key(str, True),
               "required": Key(bool, False, "true or false")}
SECTIONS = ("instructor_items", "organiser_items", "open_questions")


@dataclass(frozen=True)
class ScaleStep:
    value: int
    label: str


@dataclass(frozen=True)
class Item:
    """A Likert item (rated on the scale) or an open question (answered in words)."""

    id: str
    text: str
    required: bool = True


@dataclass
class SurveySource:
    path: str
    id: str | None = None
    title: str = ""
    description: str = ""
    scale: list[ScaleStep] = field(default_factory=list)
    instructor_items: list[Item] = field(default_factory=list)
    organiser_items: list[Item] = field(default_factory=list)
    open_questions: list[Item] = field(default_factory=list)
    anonymous: bool = True
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def to_dict(self) -> dict:
        """Everything needed to show the form and read old answers, as stored per version."""
        return {
            "id": self.id,
            "title": self.title,
            "description": self.description,
            "anonymous": self.anonymous,
            "scale": [{"value": s.value, "label": s.label} for s in self.scale],
            "instructor_items": [{"id": i.id, "text": i.text} for i in self.instructor_items],
            "organiser_items": [{"id": i.id, "text": i.text} for i in self.organiser_items],
            "open_questions": [{"id": q.id, "text": q.text, "required": q.required}
                               for q in self.open_questions],
        }

    @property
    def digest(self) -> str:
        # Of the meaning, not the bytes: a new comment or re-wrapped line is no new version.
        return hashlib.sha256(json.dumps(self.to_dict(), sort_keys=True).encode()).hexdigest()


def load_surveys(root: Path | str) -> tuple[list[SurveySource], list[Problem]]:
    """Every valid survey below root/_surveys, and the problems of all of them.

    A missing _surveys folder is no problem (the deployment has no evaluation).
    Two files with the same survey id: the second is refused.
    """
    folder = Path(root) / SURVEYS_DIR
    surveys: list[SurveySource] = []
    problems: list[Problem] = []
    if not folder.is_dir():
        return surveys, problems
    seen: dict[str, str] = {}
    for file in sorted(folder.iterdir()):
        if file.name.startswith(".") or not file.is_file():
            continue
        path = str(folder / file.name)
        if file.suffix not in (".yml", ".yaml"):
            problems.append(Problem(path, 0, "only survey files (.yml) belong here"))
            continue
        survey = load_survey(file, path)
        if survey.id and survey.id in seen:
            survey.problems.append(
                Problem(path, 1, f"survey id '{survey.id}' is already used by {seen[survey.id]}"))
        elif survey.id:
            seen[survey.id] = path
        problems.extend(survey.problems)
        if survey.ok:
            surveys.append(survey)
    return surveys, sorted(problems)


def load_survey(file: Path, path: str | None = None) -> SurveySource:
    """Load one survey file. Problems are collected, never raised."""
    path = path or str(file)
    survey = SurveySource(path=path)
    doc, found = read_yaml(file, path)  # size, BOM, CR LF, symlinks, UTF-8, YAML, empty
    if doc is None:
        survey.problems.extend(found)
        return survey
    data, problems = check_mapping(doc, path, SURVEY_SCHEMA)
    survey.problems.extend(problems)
    if isinstance(data.get("id"), str):
        survey.problems.extend(check_id(data["id"], path, doc.line("id"), "survey id"))
        survey.id = data["id"]
    if data.get("anonymous") is False:
        survey.problems.append(Problem(
            path, doc.line("anonymous"),
            "'anonymous' must be true: answers are never stored with a name"))
    survey.title = _text(data, "title", doc, path, survey.problems)
    survey.description = str(data.get("description") or "").strip()
    if isinstance(data.get("scale"), list):
        survey.scale = _load_scale(doc, path, survey.problems)
    ids: dict[str, int] = {}
    for section in SECTIONS:
        if isinstance(data.get(section), list):
            items = _load_items(doc, path, section, ids, survey.problems)
            setattr(survey, section, items)
    if (data and not survey.instructor_items and not survey.organiser_items
            and not survey.problems):
        survey.problems.append(Problem(
            path, doc.line(), "a survey needs at least one item in 'instructor_items' or "
                              "'organiser_items'"))
    return survey


def _text(data: dict, key: str, doc: Located, path: str, problems: list[Problem],
          at: tuple = ()) -> str:
    value = data.get(key)
    if not isinstance(value, str):
        return ""
    if not value.strip():
        problems.append(Problem(path, doc.line(*at, key), f"'{key}' must not be empty"))
    elif len(value) > MAX_TEXT:
        problems.append(Problem(path, doc.line(*at, key),
                                f"'{key}' is longer than {MAX_TEXT} characters"))
    return " ".join(value.split())


def _load_scale(doc: Located, path: str, problems: list[Problem]) -> list[ScaleStep]:
    steps: list[ScaleStep] = []
    labels: dict[str, int] = {}
    found: list[Problem] = []
    for index, _step in enumerate(doc.value["scale"]):
        at = ("scale", index)
        data, step_problems = check_mapping(doc, path, STEP_SCHEMA, at=at)
        found.extend(step_problems)
        if step_problems:
            continue
        label = _text(data, "label", doc, path, found, at)
        expected = index + 1
        if data["value"] != expected:
            found.append(Problem(path, doc.line(*at, "value"),
                                 f"scale value {data['value']} should be {expected}: the scale "
                                 "counts 1, 2, 3 ... from the lowest answer up"))
        if label.lower() in labels:
            found.append(Problem(path, doc.line(*at, "label"),
                                 f"scale label '{label}' is already used on line "
                                 f"{labels[label.lower()]}"))
        labels.setdefault(label.lower(), doc.line(*at, "label"))
        steps.append(ScaleStep(value=data["value"], label=label))
    if not found and not MIN_SCALE <= len(steps) <= MAX_SCALE:
        found.append(Problem(path, doc.line("scale"),
                             f"the scale has {len(steps)} steps; it needs {MIN_SCALE} to "
                             f"{MAX_SCALE} (1 to 4 or 1 to 5 are usual)"))
    problems.extend(found)
    return steps


def _load_items(doc: Located, path: str, section: str, ids: dict[str, int],
                problems: list[Problem]) -> list[Item]:
    """Items of one section; ids are unique across the whole file (they name CSV columns)."""
    schema = OPEN_SCHEMA if section == "open_questions" else ITEM_SCHEMA
    items: list[Item] = []
    for index, _item in enumerate(doc.value[section]):
        at = (section, index)
        data, found = check_mapping(doc, path, schema, at=at)
        item_id = data.get("id")
        if isinstance(item_id, str):
            found.extend(check_id(item_id, path, doc.line(*at, "id"), "item id"))
            if item_id in ids:
                found.append(Problem(path, doc.line(*at, "id"),
                                     f"item id '{item_id}' is already used on line "
                                     f"{ids[item_id]}"))
            else:
                ids[item_id] = doc.line(*at, "id")
        text = _text(data, "text", doc, path, found, at)
        problems.extend(found)
        if not found:
            # Likert items are always required; open questions only when the file says so.
            required = bool(data.get("required")) if section == "open_questions" else True
            items.append(Item(id=item_id, text=text, required=required))
    return items
