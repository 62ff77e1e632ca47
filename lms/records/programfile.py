"""The `final_grade:` section of a program file: the components and weights of the nilai
akhir and the predikat bands.

Pure: the parsed YAML (with its lines) and the file's path in; the settings as a plain
mapping (stored on the Program as `records["final_grade"]`) and `path:line` problems out.
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

from lms.courses.source import Key, Located, Problem, check_mapping

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
PROGRAM_KEYS = {"final_grade": Key(dict, False, "a mapping with components and predikat")}


def check_program_records(doc: Located, path: str) -> tuple[dict, list[Problem]]:
    """The record settings of a program file ({} when it has none) and its problems."""
    data = doc.value if isinstance(doc.value, dict) else {}
    if not isinstance(data.get("final_grade"), dict):
        if "final_grade" in data and data["final_grade"] is not None:
            return {}, [Problem(path, doc.line("final_grade"),
                                "'final_grade' must be a mapping with components and predikat")]
        return {}, []
    settings, problems = check_final_grade(doc, path)
    return ({"final_grade": settings} if not problems else {}), problems


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
