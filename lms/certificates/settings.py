"""A program's certificate settings (the `certificate:` section of a program file).

Pure: checked at `lms content check` with path:line problems, stored on the Program.
"""

from __future__ import annotations

import string

from lms.sources import Key, Located, Problem, check_mapping

NUMBER_FIELDS = {"seq", "cohort", "cohort_roman", "year", "code", "program"}
DEFAULT_NUMBER_FORMAT = "{seq:03}/{program}/{cohort_roman}/{year}"
DEFAULTS = {
    "number_format": DEFAULT_NUMBER_FORMAT,
    "issuer": "Pusat Pendidikan dan Pelatihan Perpustakaan",
    "place": "Jakarta",
    "pass_mark": None,  # None: each post-test's own pass mark
    "show_scores": False,
    "require_evaluation": False,
    "min_attendance_percent": None,  # None: attendance at live sessions is not required
    "signatories": [],
    "template": None,
}
SCHEMA = {
    "number_format": Key(str, False, "text such as {seq:03}/DIKLAT-PPBD/{cohort_roman}/{year}"),
    "issuer": Key(str),
    "place": Key(str),
    "pass_mark": Key((int, float), False, "a percentage from 0 to 100"),
    "show_scores": Key(bool, False, "true or false"),
    "require_evaluation": Key(bool, False, "true or false"),
    "min_attendance_percent": Key((int, float), False, "a percentage from 0 to 100"),
    "signatories": Key(list, False, "a list of {name, title, id_number}"),
    "template": Key(str, False, "a file name in instance/certificates/"),
}
SIGNATORY = {"name": Key(str, True), "title": Key(str, True), "id_number": Key(str)}


def roman(number: int) -> str:
    numerals = [(1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
                (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]
    out = []
    for value, letters in numerals:
        while number >= value:
            out.append(letters)
            number -= value
    return "".join(out)


def format_problem(pattern: str) -> str | None:
    """Why a number format is unusable, or None. Only plain named fields are allowed."""
    try:
        parsed = list(string.Formatter().parse(pattern))
        fields = [field for _text, field, _spec, _conv in parsed if field is not None]
    except ValueError as exc:
        return f"number_format is not a valid pattern: {exc}"
    unknown = [f for f in fields if f not in NUMBER_FIELDS]
    if unknown:
        return (f"number_format uses unknown fields {', '.join(sorted(set(unknown)))}; "
                f"allowed: {', '.join(sorted(NUMBER_FIELDS))}")
    if "seq" not in fields:
        return "number_format must contain {seq} (the sequential number)"
    try:
        format_number(pattern, seq=1, cohort=1, year=2026, code="x", program="P")
    except (ValueError, TypeError) as exc:
        return f"number_format cannot be filled: {exc}"
    return None


def format_number(pattern: str, *, seq: int, cohort: int, year: int, code: str,
                  program: str) -> str:
    return pattern.format(seq=seq, cohort=cohort, cohort_roman=roman(cohort), year=year,
                          code=code, program=program)


def counter_scope(pattern: str, *, program_slug: str, number_fields: dict) -> str:
    """The series a number belongs to: everything in the formatted number except {seq}.

    Two cohorts whose numbers would read alike share one counter, so a number can never
    be given twice, whatever the pattern names.
    """
    return f"{program_slug}:" + format_number(pattern, seq=0, **number_fields)


def check_settings(doc: Located, path: str) -> tuple[dict, list[Problem]]:
    """The settings with defaults filled in, and every problem by line."""
    data, problems = check_mapping(doc, path, SCHEMA, at=("certificate",))
    settings = {**DEFAULTS, **{k: v for k, v in data.items() if k in SCHEMA}}
    if isinstance(data.get("number_format"), str):
        reason = format_problem(data["number_format"])
        if reason:
            problems.append(Problem(path, doc.line("certificate", "number_format"), reason))
    mark = data.get("pass_mark")
    if isinstance(mark, int | float) and not 0 <= mark <= 100:
        problems.append(Problem(path, doc.line("certificate", "pass_mark"),
                                "'pass_mark' must be a percentage from 0 to 100"))
    attendance = data.get("min_attendance_percent")
    if isinstance(attendance, int | float) and not 0 <= attendance <= 100:
        problems.append(Problem(path, doc.line("certificate", "min_attendance_percent"),
                                "'min_attendance_percent' must be a percentage from 0 to 100"))
    signatories = []
    for index in range(len(data.get("signatories") or [])):
        at = ("certificate", "signatories", index)
        entry, found = check_mapping(doc, path, SIGNATORY, at=at)
        problems.extend(found)
        if not found:
            signatories.append({"name": entry["name"].strip(), "title": entry["title"].strip(),
                                "id_number": (entry.get("id_number") or "").strip() or None})
    settings["signatories"] = signatories
    if len(signatories) > 3:
        problems.append(Problem(path, doc.line("certificate", "signatories"),
                                "a certificate has room for at most 3 signatories"))
    return settings, problems
