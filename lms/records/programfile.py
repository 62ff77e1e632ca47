"""The `final_grade:` and `application:` sections of a program file: the components and
weights of the nilai akhir with the predikat bands, and what an application asks for.

Pure: the parsed YAML (with its lines) and the file's path in; the settings as a plain
mapping (stored on the Program as `records["final_grade"]` and `records["application"]`)
and `path:line` problems out.
No Flask, no database. The program loader calls `check_program_records` once; nothing
else about program files lives here.

```yaml
final_grade:
  components:
    - {source: posttests, weight: 40}
    - {source: assignments, weight: 20}
    - {source: assignment, assignment: ppp-tugas-rancangan-program,
       label: Kertas kerja, weight: 20}
    - {source: attendance, weight: 10}
    - {source: participation, weight: 10}
  predikat:
    - {from: 90, to: 100, label: Sangat Memuaskan}
    - {from: 80, to: 90, label: Memuaskan}
    - {from: 70, to: 80, label: Baik}
    - {from: 0, to: 70, label: Kurang}
```

A band holds grades from `from` (included) up to `to` (excluded), except the band
ending at 100, which includes 100. Together the bands cover 0 to 100 with no gap and no
overlap; the weights add up to 100.
"""

from __future__ import annotations

import re

from lms.sources import Key, Located, Problem, check_id, check_mapping

# What a component averages (see lms/records/grading.py). The pre-test measures where a
# participant starts, so it never counts.
SOURCES = ("posttests", "exams", "assignments", "assignment", "attendance", "participation")
EXCLUDED_SOURCES = ("pretest", "pretests", "practice")
SECTION = {
    "components": Key(list, True, "a list of {source, weight, label}"),
    "predikat": Key(list, True, "a list of {from, to, label}"),
}
COMPONENT = {
    "source": Key(str, True, f"one of {', '.join(SOURCES)}"),
    "weight": Key((int, float), True, "a number from 0 to 100"),
    "label": Key(str, False, "text"),
    "assignment": Key(str, False, "an assignment id"),
}
BAND = {
    "from": Key((int, float), True, "a grade from 0 to 100"),
    "to": Key((int, float), True, "a grade from 0 to 100"),
    "label": Key(str, True, "text such as Sangat Memuaskan"),
}
PROGRAM_KEYS = {
    "final_grade": Key(dict, False, "a mapping with components and predikat"),
    "application": Key(dict, False, "a mapping with fields and documents"),
}


def check_program_records(doc: Located, path: str) -> tuple[dict, list[Problem]]:
    """The record settings of a program file ({} when it has none) and its problems: the
    `final_grade` and `application` sections, each kept only when it has no problem."""
    data = doc.value if isinstance(doc.value, dict) else {}
    settings: dict = {}
    problems: list[Problem] = []
    for key, check in (("final_grade", check_final_grade), ("application", check_application)):
        if not isinstance(data.get(key), dict):
            continue  # absent, or mistyped (the program schema names that line)
        found, found_problems = check(doc, path)
        problems.extend(found_problems)
        if not found_problems:
            settings[key] = found
    return settings, problems


def check_final_grade(doc: Located, path: str) -> tuple[dict, list[Problem]]:
    """The final-grade settings and every problem by line: unknown sources, the pre-test,
    weights that do not add up to 100, bands with a gap, an overlap or outside 0–100."""
    at = ("final_grade",)
    data, problems = check_mapping(doc, path, SECTION, at=at)
    components = []
    for index, _raw in enumerate(data.get("components") or []):
        where = (*at, "components", index)
        entry, found = check_mapping(doc, path, COMPONENT, at=where)
        problems.extend(found)
        if found:
            continue
        source = entry["source"]
        if source in EXCLUDED_SOURCES:
            problems.append(Problem(path, doc.line(*where, "source"), (
                f"'{source}' cannot count in the final grade: the pre-test measures where a "
                "participant starts, practice quizzes are for practice")))
            continue
        if source not in SOURCES:
            problems.append(Problem(path, doc.line(*where, "source"),
                                    f"unknown source '{source}' (allowed: {', '.join(SOURCES)})"))
            continue
        if (source == "assignment") != bool(entry.get("assignment")):
            problems.append(Problem(path, doc.line(*where), (
                "a component with source 'assignment' names its assignment "
                "(assignment: <id>), and only it does")))
            continue
        weight = entry["weight"]
        if not 0 < weight <= 100:
            problems.append(Problem(path, doc.line(*where, "weight"),
                                    "'weight' must be more than 0 and at most 100"))
            continue
        components.append({"source": source, "weight": weight,
                           "label": (entry.get("label") or "").strip(),
                           "assignment": entry.get("assignment"), "line": doc.line(*where)})
    seen: dict[tuple, int] = {}
    for component in components:
        key = (component["source"], component["assignment"])
        if key in seen:
            problems.append(Problem(path, component["line"], (
                f"source '{component['source']}' is already counted on line {seen[key]}")))
        seen.setdefault(key, component["line"])
    if isinstance(data.get("components"), list) and len(components) == len(data["components"]):
        total = sum(c["weight"] for c in components)
        if abs(total - 100) > 1e-9:
            problems.append(Problem(path, doc.line(*at, "components"), (
                f"the weights of the final grade add up to {total:g}, not 100")))
    bands, band_problems = _check_bands(doc, path, data)
    problems.extend(band_problems)
    settings = {"components": [{k: v for k, v in c.items() if k != "line"}
                               for c in components], "predikat": bands}
    return settings, problems


def _check_bands(doc: Located, path: str, data: dict) -> tuple[list[dict], list[Problem]]:
    at = ("final_grade", "predikat")
    problems: list[Problem] = []
    bands = []
    for index, _raw in enumerate(data.get("predikat") or []):
        entry, found = check_mapping(doc, path, BAND, at=(*at, index))
        problems.extend(found)
        if found:
            continue
        low, high, line = entry["from"], entry["to"], doc.line(*at, index)
        if not (0 <= low < high <= 100):
            problems.append(Problem(path, line, (
                f"band '{entry['label']}' must go from a lower to a higher grade within "
                f"0–100 (it goes from {low:g} to {high:g})")))
            continue
        bands.append({"from": low, "to": high, "label": entry["label"].strip(), "line": line})
    if problems or not bands:
        if not problems and isinstance(data.get("predikat"), list):
            problems.append(Problem(path, doc.line(*at), "'predikat' needs at least one band"))
        return [], problems
    bands.sort(key=lambda b: (b["from"], b["to"]))
    if bands[0]["from"] != 0:
        problems.append(Problem(path, bands[0]["line"], (
            f"no predikat for grades from 0 to {bands[0]['from']:g}: "
            "the bands must start at 0")))
    if bands[-1]["to"] != 100:
        problems.append(Problem(path, bands[-1]["line"], (
            f"no predikat for grades from {bands[-1]['to']:g} to 100: "
            "the bands must end at 100")))
    for before, after in zip(bands, bands[1:], strict=False):
        if after["from"] > before["to"]:
            problems.append(Problem(path, after["line"], (
                f"gap between the bands '{before['label']}' and '{after['label']}': no "
                f"predikat for grades from {before['to']:g} to {after['from']:g}")))
        elif after["from"] < before["to"]:
            problems.append(Problem(path, after["line"], (
                f"the bands '{before['label']}' and '{after['label']}' overlap from "
                f"{after['from']:g} to {min(before['to'], after['to']):g}")))
    ordered = sorted(bands, key=lambda b: -b["from"])
    return [{k: v for k, v in b.items() if k != "line"} for b in ordered], problems


# The application section ------------------------------------------------------------
FIELD_KINDS = ("text", "choice")
# The kinds lms.assignments.files recognises by content.
FILE_TYPES = ("pdf", "docx", "pptx", "xlsx", "odt", "ods", "odp", "jpg", "png")
MAX_DOCUMENT_MB = 20
APPLICATION = {
    "fields": Key(list, False, "a list of {id, label, kind, required, choices, pattern}"),
    "documents": Key(list, False, "a list of {id, label, types, max_size_mb, required}"),
}
FIELD = {
    "id": Key(str, True, "an id such as provinsi"),
    "label": Key(str, True, "text"),
    "kind": Key(str, False, "text or choice"),
    "required": Key(bool, False, "true or false"),
    "choices": Key(list, False, "a list of texts"),
    "pattern": Key(str, False, "a regular expression such as ^[0-9]{18}$"),
    "help": Key(str, False, "text"),
}
DOCUMENT = {
    "id": Key(str, True, "an id such as surat-tugas"),
    "label": Key(str, True, "text"),
    "types": Key(list, True, f"a list of file types ({', '.join(FILE_TYPES)})"),
    "max_size_mb": Key(int, True, f"a whole number of MB from 1 to {MAX_DOCUMENT_MB}"),
    "required": Key(bool, False, "true or false"),
    "help": Key(str, False, "text"),
}


def check_application(doc: Located, path: str) -> tuple[dict, list[Problem]]:
    """The fields and documents an application asks for, and every problem by line."""
    at = ("application",)
    data, problems = check_mapping(doc, path, APPLICATION, at=at)
    fields, documents, seen = [], [], set()
    for index, _raw in enumerate(data.get("fields") or []):
        where = (*at, "fields", index)
        entry, found = check_mapping(doc, path, FIELD, at=where)
        found += check_id(entry.get("id"), path, doc.line(*where, "id"), "field id") \
            if "id" in entry else []
        kind = entry.get("kind") or "text"
        if kind not in FIELD_KINDS:
            found.append(Problem(path, doc.line(*where, "kind"),
                                 f"unknown kind '{kind}' (allowed: {', '.join(FIELD_KINDS)})"))
        choices = entry.get("choices") or []
        if kind == "choice" and (not choices or not all(isinstance(c, str) for c in choices)):
            found.append(Problem(path, doc.line(*where),
                                 "a choice field lists its choices (choices: [..., ...])"))
        if isinstance(entry.get("pattern"), str):
            try:
                re.compile(entry["pattern"])
            except re.error as exc:
                found.append(Problem(path, doc.line(*where, "pattern"),
                                     f"'pattern' is not a valid regular expression: {exc}"))
        if entry.get("id") in seen:
            found.append(Problem(path, doc.line(*where, "id"),
                                 f"id '{entry['id']}' is used twice in the application"))
        seen.add(entry.get("id"))
        problems.extend(found)
        if not found:
            fields.append({"id": entry["id"], "label": entry["label"].strip(), "kind": kind,
                           "required": entry.get("required", True),
                           "choices": [c.strip() for c in choices],
                           "pattern": entry.get("pattern"), "help": entry.get("help") or ""})
    for index, _raw in enumerate(data.get("documents") or []):
        where = (*at, "documents", index)
        entry, found = check_mapping(doc, path, DOCUMENT, at=where)
        found += check_id(entry.get("id"), path, doc.line(*where, "id"), "document id") \
            if "id" in entry else []
        types = entry.get("types") if isinstance(entry.get("types"), list) else []
        unknown = [str(t) for t in types if t not in FILE_TYPES]
        if unknown or ("types" in entry and not types):
            found.append(Problem(path, doc.line(*where, "types"), (
                f"unknown file types {', '.join(unknown) or '(none given)'} "
                f"(allowed: {', '.join(FILE_TYPES)})")))
        size = entry.get("max_size_mb")
        if isinstance(size, int) and not 1 <= size <= MAX_DOCUMENT_MB:
            found.append(Problem(path, doc.line(*where, "max_size_mb"),
                                 f"'max_size_mb' must be from 1 to {MAX_DOCUMENT_MB}"))
        if entry.get("id") in seen:
            found.append(Problem(path, doc.line(*where, "id"),
                                 f"id '{entry['id']}' is used twice in the application"))
        seen.add(entry.get("id"))
        problems.extend(found)
        if not found:
            documents.append({"id": entry["id"], "label": entry["label"].strip(),
                              "types": list(types), "max_size_mb": size,
                              "required": entry.get("required", True),
                              "help": entry.get("help") or ""})
    return {"fields": fields, "documents": documents}, problems
