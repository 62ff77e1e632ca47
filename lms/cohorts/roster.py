"""Read a participant roster CSV, uploaded to enroll people into a cohort (angkatan).

Pure: bytes in, a :class:`Roster` out; no Flask, no database. Two layouts, column names in
any case and order: Moodle's user upload file (``username, firstname, lastname, email,
institution, department, cohort1``; ``idnumber`` gives the NIP) and ours (``full_name`` or
``nama``, ``email``, ``institution`` or ``instansi``, ``position`` or ``jabatan``, and
optionally ``nip``, ``cohort``). UTF-8 with or without BOM, else Windows-1252 as older Excel
saves it; commas, semicolons (Indonesian Excel) or tabs. Every problem carries the physical
line its record starts on, so the coordinator fixes the file in one pass.
"""

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from itertools import islice

MAX_CELL = 200
MAX_EMAIL = 254
NIP_DIGITS = 18
NOT_TEXT = "file is not UTF-8 text; save it as CSV UTF-8"

_LOCAL = r"[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
_LABEL = r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"
_EMAIL = re.compile(rf"{_LOCAL}@(?:{_LABEL}\.)+[a-z]{{2,63}}")
# C0 and C1 controls other than tab and line breaks: binary data, UTF-16, or mojibake.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# What Excel shows, and then saves, for an 18-digit NIP typed into a number cell.
_EXCEL_NUMBER = re.compile(r"\d+(?:[.,]\d+)?e\+\d+", re.IGNORECASE)
_WORKBOOKS = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0")  # .xlsx (zip), .xls (OLE2)
_DELIMITERS = (",", ";", "\t")
_HEADER_SEARCH = 10  # non-blank lines searched for column names below a title line

_MOODLE_COLUMNS = {
    **{name: name for name in ("username", "firstname", "lastname", "email", "institution")},
    **{"department": "position", "cohort1": "cohort", "idnumber": "nip"},
}
_MOODLE_IGNORED = frozenset(
    "password auth city country lang phone1 phone2 address description middlename"
    " alternatename firstnamephonetic lastnamephonetic".split()
)
_LMS_COLUMNS = {
    **dict.fromkeys(("full_name", "nama", "nama_lengkap", "name"), "full_name"),
    **dict.fromkeys(("institution", "instansi"), "institution"),
    **dict.fromkeys(("position", "jabatan"), "position"),
    **{name: name for name in ("email", "nip", "cohort")},
}
# The row number column that nearly every Indonesian spreadsheet starts with.
_LMS_IGNORED = frozenset({"no", "no.", "nomor"})
_FORMATS = {
    "moodle": (_MOODLE_COLUMNS, _MOODLE_IGNORED, ("firstname", "email", "institution")),
    "lms": (_LMS_COLUMNS, _LMS_IGNORED, ("full_name", "email", "institution", "position")),
}
_KNOWN = _MOODLE_COLUMNS.keys() | _LMS_COLUMNS.keys()
_EXPECTED = (
    "expected the Moodle columns (username, firstname, lastname, email, institution,"
    " department, cohort1) or full_name, email, institution, position, nip"
)
_LABELS = {"full_name": "full name", "nip": "NIP"}


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
        return f"line {self.line}: {self.message}"


@dataclass
class Roster:
    """A parsed file: rows read, every problem found, and how the file was laid out.

    ``delimiter`` and ``format`` ("moodle" or "lms") are empty when no header was read.
    """

    rows: list[RosterRow] = field(default_factory=list)
    problems: list[RosterProblem] = field(default_factory=list)
    columns: list[str] = field(default_factory=list)
    delimiter: str = ""
    format: str = ""

    @property
    def ok(self) -> bool:
        """Whether the whole file can be enrolled: rows and not a single problem."""
        return bool(self.rows) and not self.problems


def parse_roster(data: bytes, *, max_rows: int = 5000) -> Roster:
    """Parse an uploaded roster file into a :class:`Roster`; never raises for bad input.

    Reads every row before returning, so ``problems`` lists all that is wrong (undecodable
    text, unknown or missing columns, bad quoting, invalid or repeated emails, empty or
    formula-looking names and institutions, malformed NIPs, overlong cells) and the caller
    can refuse the whole file. Stops reading, with one problem, after ``max_rows`` rows.
    """
    roster = Roster()
    text = _decode(data, roster)
    header = None if text is None else _find_header(text, roster)
    if text is None or header is None:
        return roster
    header_line, roster.delimiter = header
    fields: list[str | None] = []
    first_lines: dict[tuple[str, str], int] = {}  # (label, lowercased value) -> line
    count = 0
    for line, cells in _records(text, roster.delimiter):
        if isinstance(cells, csv.Error):
            roster.problems.append(RosterProblem(line, _quoting_message(cells)))
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
            message = f"more than {max_rows} participants; split the file"
            roster.problems.append(RosterProblem(line, message))
            break
        row, problems = _read_row(line, cells, fields, roster)
        for label, value in (("email", row.email), ("username", row.username)):
            if value and (label != "email" or _EMAIL.fullmatch(value)):
                first = first_lines.setdefault((label, value.lower()), line)
                if first != line:
                    problems.append(f"{label} {value} also on line {first}")
        roster.problems.extend(RosterProblem(line, message) for message in problems)
        if not problems:
            roster.rows.append(row)
    if count == 0 and not roster.problems:
        roster.problems.append(RosterProblem(header_line, "no participants in the file"))
    return roster


def _decode(data: bytes, roster: Roster) -> str | None:
    if data.startswith(_WORKBOOKS):
        message = "this is an Excel workbook, not CSV; save it as CSV UTF-8"
        roster.problems.append(RosterProblem(0, message))
        return None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError:
            text = None
    if text is None or _CONTROL.search(text):
        roster.problems.append(RosterProblem(0, NOT_TEXT))
        return None
    return text


def _key(name: str) -> str:
    """A column name as matched: lowercase, inner spaces as underscores ("Nama Lengkap")."""
    return "_".join(name.lower().split())


def _split(line: str, delimiter: str) -> list[str]:
    try:
        return next(csv.reader([line], delimiter=delimiter), [])
    except csv.Error:
        return []


def _find_header(text: str, roster: Roster) -> tuple[int, str] | None:
    """Return the header's line and delimiter: the split that yields most known names."""
    numbered = enumerate(io.StringIO(text, newline=""), start=1)
    # A row of empty cells (";;;;") counts as blank, as it does below the header.
    filled = ((n, line) for n, line in numbered if line.strip(' \t\r\n,;"'))
    lines = list(islice(filled, _HEADER_SEARCH))
    if not lines:
        roster.problems.append(RosterProblem(0, "the file is empty"))
        return None
    first = lines[0][0]
    for number, line in lines:
        known, delimiter = 0, ","
        for candidate in _DELIMITERS:  # ties go to the earlier delimiter
            matched = sum(_key(cell) in _KNOWN for cell in _split(line, candidate))
            if matched > known:
                known, delimiter = matched, candidate
        if known and number == first:
            return number, delimiter
        if known:
            message = f"the column names are on line {number}; remove the lines above them"
            roster.problems.append(RosterProblem(first, message))
            return None
    cells = max((_split(lines[0][1], d) for d in _DELIMITERS), key=len)
    names = ", ".join(cell.strip() for cell in cells if cell.strip())
    roster.problems.append(RosterProblem(first, f"unknown columns: {names}; {_EXPECTED}"))
    return None


def _records(text: str, delimiter: str) -> Iterator[tuple[int, list[str] | csv.Error]]:
    """Yield each record with the physical line it starts on, or the csv error there."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    while True:
        start = reader.line_num + 1
        try:
            record: list[str] | csv.Error = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            if reader.line_num < start:  # nothing consumed: do not spin on it
                return
            record = error
        yield start, record


def _quoting_message(error: csv.Error) -> str:
    if "field limit" in str(error):
        return 'a cell is far too long; check the double quotes (") from here on'
    if "end of data" in str(error):
        return 'a quoted cell is never closed; check the double quotes (") from here on'
    return f'badly quoted cell ({error}); a quote inside a cell must be doubled ("")'


def _read_header(cells: list[str], line: int, roster: Roster) -> list[str | None]:
    """Map each column to a field name, "" for ignored columns, None for unnamed ones."""
    names = [_key(cell) for cell in cells]
    roster.columns = names

    def matches(layout: str) -> int:
        columns, ignored, _ = _FORMATS[layout]
        return sum(name in columns or name in ignored for name in names)

    roster.format = "moodle" if matches("moodle") > matches("lms") else "lms"
    columns, ignored, required = _FORMATS[roster.format]
    fields: list[str | None] = []
    unknown: list[str] = []
    seen: dict[str, str] = {}
    for cell, name in zip(cells, names, strict=True):
        target = None if not name else "" if name in ignored else columns.get(name)
        if name and target is None:
            unknown.append(cell.strip())
        elif target and target in seen:
            label = _LABELS.get(target, target)
            message = f"columns {seen[target]} and {name} both hold the {label}"
            if name == seen[target]:
                message = f"column {name} appears twice"
            roster.problems.append(RosterProblem(line, message))
        elif target:
            seen[target] = name
        fields.append(target)
    if unknown:
        message = f"unknown columns: {', '.join(unknown)}; {_EXPECTED}"
        roster.problems.append(RosterProblem(line, message))
    for target in required:
        if target not in seen:
            aliases = " or ".join(name for name, value in columns.items() if value == target)
            roster.problems.append(RosterProblem(line, f"missing column {aliases}"))
    return fields


def _read_row(
    line: int, cells: list[str], fields: list[str | None], roster: Roster
) -> tuple[RosterRow, list[str]]:
    """Read one record into a :class:`RosterRow` and the problems that keep it out."""
    problems: list[str] = []
    values: dict[str, str] = {}
    too_long: set[str] = set()
    for index, cell in enumerate(cells):
        target = fields[index] if index < len(fields) else None
        value = cell.strip()
        if target is None and value:
            problems.append(f"cell {index + 1} has a value but no column name")
        elif target and len(value) > MAX_CELL:
            name = roster.columns[index]
            problems.append(f"{name} is longer than {MAX_CELL} characters (got {len(value)})")
            too_long.add(target)
        elif target:
            values[target] = value
    if roster.format == "moodle":
        name_parts = [values.get("firstname", ""), values.get("lastname", "")]
        if too_long & {"firstname", "lastname"}:
            too_long.add("full_name")
    else:
        name_parts = [values.get("full_name", "")]
    row = RosterRow(
        line=line,
        email=values.get("email", "").lower(),
        full_name=" ".join(" ".join(name_parts).split()),
        institution=" ".join(values.get("institution", "").split()),
        position=" ".join(values.get("position", "").split()),
        nip="".join(values.get("nip", "").split()) or None,
        username=values.get("username") or None,
        cohort=values.get("cohort") or None,
    )
    checks = {
        "full_name": _text_problem("full name", row.full_name, name_parts, shortest=2),
        "email": _email_problem(row.email),
        "institution": _text_problem("institution", row.institution, [row.institution]),
        "nip": _nip_problem(row.nip) if roster.format == "lms" else None,
    }
    problems.extend(problem for key, problem in checks.items() if problem and key not in too_long)
    if roster.format == "moodle" and row.nip and _nip_problem(row.nip):
        row = replace(row, nip=None)  # Moodle's idnumber is the NIP only when it looks like one
    return row, problems


def _text_problem(label: str, value: str, parts: list[str], shortest: int = 1) -> str | None:
    if not value:
        return f"{label} is empty"
    if len(value) < shortest:
        return f"{label} '{value}' is too short"
    if any(part.startswith("=") for part in parts):
        return f"{label} looks like a spreadsheet formula"
    return None


def _email_problem(email: str) -> str | None:
    if not email:
        return "email is empty"
    if len(email) > MAX_EMAIL or not _EMAIL.fullmatch(email):
        return f"email '{email}' is not a valid address"
    return None


def _nip_problem(nip: str | None) -> str | None:
    if nip is None or (nip.isascii() and nip.isdigit() and len(nip) == NIP_DIGITS):
        return None
    if _EXCEL_NUMBER.fullmatch(nip):
        return (
            f"NIP {nip} was turned into a number by the spreadsheet;"
            " format the NIP column as Text and type it again"
        )
    if nip.isascii() and nip.isdigit():
        return f"NIP must be {NIP_DIGITS} digits (got {len(nip)})"
    return f"NIP must be {NIP_DIGITS} digits (got '{nip}')"
