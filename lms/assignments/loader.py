"""Read assignment files (`<course>/assignments/<slug>.md`): front matter + instructions.

Pure: files in, AssignmentSource values and `path:line: message` problems out.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from lms.markup import render_markdown
from lms.sources import (
    Key,
    Loaded,
    Problem,
    check_id,
    check_mapping,
    load_folder,
    read_text,
    split_front_matter,
)

FILE_TYPES = ("pdf", "docx", "pptx", "xlsx", "odt", "ods", "odp", "jpg", "png")
SCHEMA = {
    "id": Key(str, True),
    "title": Key(str, True),
    "due_days": Key(int, True, "a whole number of days after the cohort starts"),
    "max_score": Key(int, True, "a whole number of points"),
    "pass_mark": Key((int, float), False, "points needed to pass"),
    "accepted_types": Key(list, False, "a list such as [pdf, docx]"),
    "max_size_mb": Key(int, False, "a whole number of megabytes (at most 20)"),
    "allow_text": Key(bool, False, "true or false"),
    "rubric": Key(list, False, "a list of criteria"),
}
CRITERION = {"id": Key(str, True), "criterion": Key(str, True),
             "levels": Key(list, True, "a list of levels")}
LEVEL = {"label": Key(str, True), "points": Key((int, float), True, "a number of points"),
         "description": Key(str)}
MAX_SIZE_MB = 20


@dataclass
class AssignmentSource:
    path: str
    id: str = ""
    title: str = ""
    due_days: int = 0
    max_score: int = 100
    pass_mark: float = 0.0
    accepted_types: list[str] = field(default_factory=lambda: ["pdf", "docx"])
    max_size_mb: int = 10
    allow_text: bool = True
    rubric: list[dict] = field(default_factory=list)
    instructions_html: str = ""
    digest: str = ""


def load_assignments(folder: Path, shown: str) -> Loaded:
    """Every assignments/*.md of one course folder; a broken file refuses itself only."""
    return load_folder(folder, shown, suffix=".md", what="assignment", load_one=load_assignment)


def load_assignment(file: Path, path: str) -> tuple[AssignmentSource | None, list[Problem]]:
    text, problems = read_text(file, path)
    if text is None:
        return None, problems
    split, problems = split_front_matter(text, path)
    if split is None:
        return None, problems
    if split.doc is None:  # the body is still rendered, so its problems come out too
        return None, problems
    doc = split.doc
    data, problems = check_mapping(doc, path, SCHEMA)
    if isinstance(data.get("id"), str):
        problems.extend(check_id(data["id"], path, doc.line("id"), "assignment id"))
    item = AssignmentSource(path=path, digest=hashlib.sha256(text.encode()).hexdigest())
    for key in ("id", "title", "due_days", "max_score", "allow_text"):
        if key in data and data[key] is not None:
            setattr(item, key, data[key])
    if isinstance(data.get("due_days"), int) and data["due_days"] < 0:
        problems.append(Problem(path, doc.line("due_days"), "'due_days' cannot be negative"))
    if isinstance(data.get("max_score"), int) and data["max_score"] <= 0:
        problems.append(Problem(path, doc.line("max_score"), "'max_score' must be above 0"))
    mark = data.get("pass_mark")
    if isinstance(mark, int | float) and not isinstance(mark, bool):
        if not 0 <= mark <= item.max_score:
            problems.append(Problem(path, doc.line("pass_mark"),
                                    "'pass_mark' must be between 0 and max_score"))
        item.pass_mark = float(mark)
    types = data.get("accepted_types")
    if isinstance(types, list):
        unknown = [t for t in types if t not in FILE_TYPES]
        if unknown or not types:
            problems.append(Problem(path, doc.line("accepted_types"),
                                    f"accepted_types must be some of {', '.join(FILE_TYPES)}"))
        item.accepted_types = [t for t in types if t in FILE_TYPES]
    size = data.get("max_size_mb")
    if isinstance(size, int):
        if not 1 <= size <= MAX_SIZE_MB:
            problems.append(Problem(path, doc.line("max_size_mb"),
                                    f"'max_size_mb' must be from 1 to {MAX_SIZE_MB}"))
        item.max_size_mb = size
    item.rubric = _rubric(doc, path, data.get("rubric") or [], item.max_score, problems)
    item.instructions_html = render_markdown(split.body).html
    return (None if problems else item), problems


def _rubric(doc, path, criteria, max_score, problems) -> list[dict]:
    rubric, ids = [], set()
    for index, entry in enumerate(criteria):
        at = ("rubric", index)
        if not isinstance(entry, dict):
            problems.append(Problem(path, doc.line(*at), "each criterion must be a mapping"))
            continue
        _data, found = check_mapping(doc, path, CRITERION, at=at)
        if isinstance(entry.get("id"), str):
            found.extend(check_id(entry["id"], path, doc.line(*at, "id"), "criterion id"))
            if entry["id"] in ids:
                found.append(Problem(path, doc.line(*at, "id"),
                                     f"criterion id '{entry['id']}' is used twice"))
            ids.add(entry["id"])
        levels = []
        for level_index, level in enumerate(entry.get("levels") or []):
            level_at = (*at, "levels", level_index)
            if not isinstance(level, dict):
                found.append(Problem(path, doc.line(*level_at), "each level must be a mapping"))
                continue
            _level, level_found = check_mapping(doc, path, LEVEL, at=level_at)
            found.extend(level_found)
            if not level_found:
                levels.append({"key": str(level_index + 1), "label": level["label"].strip(),
                               "points": float(level["points"]),
                               "description": (level.get("description") or "").strip()})
        if isinstance(entry.get("levels"), list) and len(entry["levels"]) < 2:
            found.append(Problem(path, doc.line(*at, "levels"), "a criterion needs at least "
                                                                "two levels"))
        problems.extend(found)
        if not found:
            rubric.append({"id": entry["id"], "criterion": entry["criterion"].strip(),
                           "levels": levels})
    if rubric:
        best = sum(max(level["points"] for level in c["levels"]) for c in rubric)
        if abs(best - max_score) > 1e-6:
            problems.append(Problem(path, doc.line("rubric"),
                                    f"the rubric's best levels add up to {best:g}, "
                                    f"not max_score {max_score}"))
    return rubric
