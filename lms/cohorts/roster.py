"""Read a participant roster CSV, uploaded to enroll people into a cohort (angkatan).

Pure: bytes in, a :class:`Roster` out; no app, no database. Messages go through the
catalog (flask_babel.gettext gives the English text when no app is running). Two layouts,
column names in any case and order:

- Moodle's user upload file, as Moodle documents it: ``username, firstname, lastname,
  email`` required; ``institution``, ``department`` (the position) and ``idnumber`` (the
  NIP) used; ``cohort1..n`` and ``course1..n`` must name the cohort being imported into;
  every other Moodle column (``password``, ``auth``, ``city``, ``group1``, ``role1``,
  ``enrolperiod1``, ``profile_field_*``...) is reported once as a warning and ignored.
- ours: ``full_name`` or ``nama``, ``email``, ``institution`` or ``instansi``, ``position``
  or ``jabatan``, and optionally ``nip``, ``cohort``.

Text and separators are read by :mod:`lms.cohorts.csv_text`. Every problem carries the
physical line its record starts on, so the coordinator fixes the file in one pass.
"""

import csv
import io
import re
from collections.abc import Collection
from dataclasses import dataclass, field, replace
from itertools import islice

from flask_babel import gettext as _

from lms.cohorts.csv_text import (
    DELIMITERS,
    TextProblem,
    decode,
    quoting_message,
    records,
    separator_guess,
    separator_name,
    split,
)

MAX_CELL = 200
MAX_EMAIL = 254
NIP_DIGITS = 18

_LOCAL = r"[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
_LABEL = r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"
_EMAIL = re.compile(rf"{_LOCAL}@(?:{_LABEL}\.)+[a-z]{{2,63}}")
# What Excel shows, and then saves, for an 18-digit NIP typed into a number cell.
_EXCEL_NUMBER = re.compile(r"\d+(?:[.,]\d+)?e\+\d+", re.IGNORECASE)
_HEADER_SEARCH = 10  # non-blank lines searched for column names below a title line

_MOODLE_COLUMNS = {
    **{name: name for name in ("username", "firstname", "lastname", "email", "institution")},
    **{"department": "position", "idnumber": "nip"},
}
# Moodle's other user upload columns (admin/tool/uploaduser): read, reported, not used.
_MOODLE_IGNORED = frozenset(
    "id password auth city country lang timezone phone1 phone2 address url description"
    " descriptionformat middlename alternatename firstnamephonetic lastnamephonetic emailstop"
    " mailformat maildisplay maildigest htmleditor autosubscribe interests skype msn aim yahoo"
    " icq oldusername suspended deleted theme mnethostid".split()
)
# Numbered columns: cohortN and courseN are checked against the cohort, the others ignored.
_MOODLE_NUMBERED = re.compile(
    r"(cohort|course|group|type|role|enrolperiod|enrolstatus|enroltimestart|enroltimeend"
    r"|category|categoryrole|sysrole|systemrole)(\d*)"
)
_MOODLE_TARGETS = ("cohort", "course")
_MOODLE_REQUIRED = ("username", "firstname", "lastname", "email")
# Rows Moodle would delete or suspend: this import only enrolls, so they are refused.
_MOODLE_REFUSED_FLAGS = ("deleted", "suspended")
_LMS_COLUMNS = {
    **dict.fromkeys(("full_name", "nama", "nama_lengkap", "name"), "full_name"),
    **dict.fromkeys(("institution", "instansi"), "institution"),
    **dict.fromkeys(("position", "jabatan"), "position"),
    **{name: name for name in ("email", "nip", "cohort")},
}
# The row number column that nearly every Indonesian spreadsheet starts with.
_LMS_IGNORED = frozenset({"no", "no.", "nomor"})
_FORMATS = {
    "moodle": (_MOODLE_COLUMNS, _MOODLE_IGNORED, _MOODLE_REQUIRED),
    "lms": (_LMS_COLUMNS, _LMS_IGNORED, ("full_name", "email", "institution", "position")),
}
def _expected() -> str:
    return _("expected Moodle's user upload columns (username, firstname, lastname, email, "
             "and optionally institution, department, idnumber, cohort1) or full_name, email,"
             " institution, position, nip")


def _label(key: str) -> str:
    """A field's name in a message; column names stay as the file spells them."""
    return {"full_name": _("full name"), "nip": "NIP", "email": _("email"),
            "username": _("username"), "institution": _("institution")}.get(key, key)


@dataclass(frozen=True)
class RosterRow:
    """One participant: email lowercased, name, institution and position single-spaced."""

    line: int
    email: str
    full_name: str
    institution: str
    position: str
    nip: str | None
    username: str | None
    cohort: str | None


@dataclass(frozen=True)
class RosterProblem:
    """Something wrong at a physical line (1 is the header; 0 is the file as a whole)."""

    line: int
    message: str

    def __str__(self) -> str:
        return _("line %(line)d: %(message)s", line=self.line, message=self.message)


@dataclass
class Roster:
    """A parsed file: rows read, every problem found, and how the file was laid out.

    ``warnings`` are about columns that were read and ignored: the file is still good.
    ``delimiter`` and ``format`` ("moodle" or "lms") are empty when no header was read.
    """

    rows: list[RosterRow] = field(default_factory=list)
    problems: list[RosterProblem] = field(default_factory=list)
    warnings: list[RosterProblem] = field(default_factory=list)
    columns: list[str] = field(default_factory=list)
    delimiter: str = ""
    format: str = ""

    @property
    def ok(self) -> bool:
        """Whether the whole file can be enrolled: rows and not a single problem."""
        return bool(self.rows) and not self.problems


def parse_roster(data: bytes, *, max_rows: int = 5000, cohort: Collection[str] = ()) -> Roster:
    """Parse an uploaded roster file into a :class:`Roster`; never raises for bad input.

    Reads every row before returning, so ``problems`` lists all that is wrong (undecodable
    text, a separator other than the header's, unknown or missing columns, bad quoting,
    invalid or repeated emails, empty or formula-looking names and institutions, malformed
    NIPs, overlong cells, a ``cohort1``/``course1`` other than ``cohort`` — the code and
    name of the cohort imported into, compared without case — when it is given) and the
    caller can refuse the whole file. A file with more than ``max_rows`` rows, or that is
    not text, gives one problem and no rows at all.
    """
    roster = Roster()
    try:
        text = decode(data)
    except TextProblem as problem:
        roster.problems.append(RosterProblem(problem.line, problem.message))
        return roster
    header = _find_header(text, roster)
    if header is None:
        return roster
    header_line, roster.delimiter = header
    fields: list[str | None] = []
    first_lines: dict[tuple[str, str], int] = {}  # (label, lowercased value) -> line
    names = tuple(dict.fromkeys(" ".join(name.casefold().split()) for name in cohort))
    count = 0
    for line, cells in records(text, roster.delimiter):
        if isinstance(cells, csv.Error):
            roster.problems.append(RosterProblem(line, quoting_message(cells)))
            if line <= header_line:
                return roster
            continue
        if not any(cell.strip() for cell in cells):
            continue
        if line <= header_line:
            fields = _read_header(cells, line, roster)
            if roster.problems:
                return roster
            continue
        count += 1
        if count > max_rows:
            message = _("more than %(n)d participants; split the file", n=max_rows)
            roster.problems.append(RosterProblem(line, message))
            roster.rows.clear()  # a file cut short is not imported in part
            break
        row, problems = _read_row(line, cells, fields, roster, names)
        for label, value in (("email", row.email), ("username", row.username)):
            if value and (label != "email" or _EMAIL.fullmatch(value)):
                first = first_lines.setdefault((label, value.lower()), line)
                if first != line:
                    problems.append(_("%(label)s %(value)s also on line %(first)d",
                                      label=_label(label), value=value, first=first))
        roster.problems.extend(RosterProblem(line, message) for message in problems)
        if not problems:
            roster.rows.append(row)
    if count == 0 and not roster.problems:
        roster.problems.append(RosterProblem(header_line, _("no participants in the file")))
    return roster


def _key(name: str) -> str:
    """A column name as matched: lowercase, inner spaces as underscores ("Nama Lengkap")."""
    return "_".join(name.lower().split())


def _moodle_column(name: str) -> bool:
    return (name in _MOODLE_COLUMNS or name in _MOODLE_IGNORED
            or name.startswith("profile_field_") or bool(_MOODLE_NUMBERED.fullmatch(name)))


def _known(name: str) -> bool:
    return name in _LMS_COLUMNS or _moodle_column(name)


def _find_header(text: str, roster: Roster) -> tuple[int, str] | None:
    """Return the header's line and delimiter: the split that yields most known names."""
    numbered = enumerate(io.StringIO(text, newline=""), start=1)
    # A row of empty cells (";;;;") counts as blank, as it does below the header.
    filled = ((n, line) for n, line in numbered if line.strip(' \t\r\n,;"'))
    lines = list(islice(filled, _HEADER_SEARCH))
    if not lines:
        roster.problems.append(RosterProblem(0, _("the file is empty")))
        return None
    first = lines[0][0]
    for number, line in lines:
        known, delimiter = 0, ","
        for candidate in DELIMITERS:  # ties go to the earlier delimiter
            matched = sum(_known(_key(cell)) for cell in split(line, candidate))
            if matched > known:
                known, delimiter = matched, candidate
        if known:
            if number == first:
                return number, delimiter
            message = _("the column names are on line %(n)d; remove the lines above them",
                        n=number)
            roster.problems.append(RosterProblem(first, message))
            return None
    line = lines[0][1]
    guess = separator_guess(line.strip())
    if guess and guess not in DELIMITERS and sum(
            _known(_key(cell)) for cell in line.strip().split(guess)) > 1:
        message = _("the whole line is one column: the separator looks like %(sep)s; save "
                    "the file with commas or semicolons", sep=separator_name(guess))
        roster.problems.append(RosterProblem(first, message))
        return None
    cells = max((split(line, d) for d in DELIMITERS), key=len)
    names = ", ".join(cell.strip() for cell in cells if cell.strip())
    roster.problems.append(RosterProblem(first, _("unknown columns: %(names)s; %(expected)s",
                                                  names=names, expected=_expected())))
    return None


def _target(name: str, layout: str) -> str | None:
    """The field a column fills: a field name, "" when read and ignored, None if unknown."""
    columns, ignored, _required = _FORMATS[layout]
    if not name:
        return None
    if name in columns:
        return columns[name]
    if layout == "moodle":
        numbered = _MOODLE_NUMBERED.fullmatch(name)
        if numbered and numbered.group(1) in _MOODLE_TARGETS:
            return "cohort"
        return "" if _moodle_column(name) else None
    return "" if name in ignored else None


def _read_header(cells: list[str], line: int, roster: Roster) -> list[str | None]:
    """Map each column to a field name, "" for ignored columns, None for unnamed ones."""
    names = [_key(cell) for cell in cells]
    roster.columns = names
    moodle = sum(_moodle_column(name) for name in names)
    ours = sum(name in _LMS_COLUMNS or name in _LMS_IGNORED for name in names)
    roster.format = "moodle" if moodle > ours else "lms"
    columns, _ignored, required = _FORMATS[roster.format]
    fields: list[str | None] = []
    unknown: list[str] = []
    ignored: list[str] = []
    seen: dict[str, str] = {}
    for cell, name in zip(cells, names, strict=True):
        target = _target(name, roster.format)
        if name and target is None and roster.format == "moodle":
            target = ""  # not even Moodle's: a warning all the same, never a refusal
        if name and target is None:
            unknown.append(cell.strip())
        elif target == "" and name:
            ignored.append(cell.strip())
        elif target and target in seen and target != "cohort":
            message = _("columns %(first)s and %(second)s both hold the %(label)s",
                        first=seen[target], second=name, label=_label(target))
            if name == seen[target]:
                message = _("column %(name)s appears twice", name=name)
            roster.problems.append(RosterProblem(line, message))
        elif target:
            seen[target] = name
        fields.append(target)
    if unknown:
        message = _("unknown columns: %(names)s; %(expected)s", names=", ".join(unknown),
                    expected=_expected())
        roster.problems.append(RosterProblem(line, message))
    if ignored and roster.format == "moodle":
        message = _("ignored, as they do not apply here: %(names)s", names=", ".join(ignored))
        roster.warnings.append(RosterProblem(line, message))
    for target in required:
        if target not in seen:
            aliases = _(" or ").join(name for name, value in columns.items() if value == target)
            roster.problems.append(RosterProblem(line, _("missing column %(names)s",
                                                         names=aliases)))
    return fields


def _read_row(
    line: int, cells: list[str], fields: list[str | None], roster: Roster,
    cohort: tuple[str, ...]) -> tuple[RosterRow, list[str]]:
    """Read one record into a :class:`RosterRow` and the problems that keep it out."""
    problems: list[str] = []
    values: dict[str, str] = {}
    cohorts: list[tuple[str, str]] = []  # (column, value)
    too_long: set[str] = set()
    if len(cells) == 1 and len(fields) > 1:
        guess = separator_guess(cells[0], besides=roster.delimiter)
        if guess:
            problems.append(_(
                "the whole row is one column: the separator looks like %(sep)s where the "
                "column names use %(header)s", sep=separator_name(guess),
                header=separator_name(roster.delimiter)))
            return _empty_row(line), problems
    extra = [index for index, cell in enumerate(cells)
             if cell.strip() and (index >= len(fields) or fields[index] is None)]
    if extra:
        more = _(" (and %(n)d more)", n=len(extra) - 1) if len(extra) > 1 else ""
        problems.append(_("cell %(n)d has a value but no column name", n=extra[0] + 1) + more)
    for index, cell in enumerate(cells[:len(fields)]):
        target = fields[index]
        value = cell.strip()
        if target and len(value) > MAX_CELL:
            name = roster.columns[index]
            problems.append(_("%(name)s is longer than %(max)d characters (got %(n)d)",
                              name=name, max=MAX_CELL, n=len(value)))
            too_long.add(target)
        elif target == "cohort" and value:
            cohorts.append((roster.columns[index], value))
        elif target:
            values[target] = value
        elif target == "" and roster.columns[index] in _MOODLE_REFUSED_FLAGS and value == "1":
            problems.append(_("%(name)s is 1: this import only enrolls participants; remove "
                              "the row", name=roster.columns[index]))
    if roster.format == "moodle":
        name_parts = [values.get("firstname", ""), values.get("lastname", "")]
        if too_long & {"firstname", "lastname"}:
            too_long.add("full_name")
    else:
        name_parts = [values.get("full_name", "")]
    if cohort:
        for column, value in cohorts:
            if " ".join(value.casefold().split()) not in cohort:
                problems.append(_("%(column)s '%(value)s' is another cohort; this file is "
                                  "imported into %(cohort)s", column=column, value=value,
                                  cohort=cohort[0]))
    row = RosterRow(
        line=line,
        email=values.get("email", "").lower(),
        full_name=" ".join(" ".join(name_parts).split()),
        institution=" ".join(values.get("institution", "").split()),
        position=" ".join(values.get("position", "").split()),
        nip="".join(values.get("nip", "").split()) or None,
        username=values.get("username") or None,
        cohort=cohorts[0][1] if cohorts else None,
    )
    institution = row.institution or roster.format == "lms"  # optional in Moodle's files
    checks = {
        "full_name": _text_problem(_label("full_name"), row.full_name, name_parts, shortest=2),
        "email": _email_problem(row.email),
        "institution": _text_problem(_label("institution"), row.institution, [row.institution])
        if institution else None,
        "nip": _nip_problem(row.nip) if roster.format == "lms" else None,
    }
    problems.extend(problem for key, problem in checks.items() if problem and key not in too_long)
    if roster.format == "moodle" and row.nip and _nip_problem(row.nip):
        row = replace(row, nip=None)  # Moodle's idnumber is the NIP only when it looks like one
    return row, problems


def _empty_row(line: int) -> RosterRow:
    return RosterRow(line, "", "", "", "", None, None, None)


def _text_problem(label: str, value: str, parts: list[str], shortest: int = 1) -> str | None:
    if not value:
        return _("%(label)s is empty", label=label)
    if len(value) < shortest:
        return _("%(label)s '%(value)s' is too short", label=label, value=value)
    if any(part.startswith("=") for part in parts):
        return _("%(label)s looks like a spreadsheet formula", label=label)
    return None


def _email_problem(email: str) -> str | None:
    if not email:
        return _("email is empty")
    if len(email) > MAX_EMAIL or not _EMAIL.fullmatch(email):
        return _("email '%(email)s' is not a valid address", email=email)
    return None


def _nip_problem(nip: str | None) -> str | None:
    if nip is None or (nip.isascii() and nip.isdigit() and len(nip) == NIP_DIGITS):
        return None
    if _EXCEL_NUMBER.fullmatch(nip):
        return _("NIP %(nip)s was turned into a number by the spreadsheet; format the NIP "
                 "column as Text and type it again", nip=nip)
    if nip.isascii() and nip.isdigit():
        return _("NIP must be %(digits)d digits (got %(n)d)", digits=NIP_DIGITS, n=len(nip))
    return _("NIP must be %(digits)d digits (got '%(nip)s')", digits=NIP_DIGITS, nip=nip)
