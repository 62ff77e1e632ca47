"""Bytes of an uploaded CSV file to text and records, each with the line it starts on.

Pure, below the roster reader: which encoding (UTF-8 with or without BOM, UTF-16 as Excel's
"Unicode text" saves it, else Windows-1252), whether it is text at all, which character
separates the cells. Every refusal names a line, so the person fixes the file in one pass.
"""

import csv
import io
import re
from collections.abc import Iterator

from flask_babel import gettext as _

# C0 and C1 controls other than tab and line breaks: binary data or mojibake.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# A byte order mark after the start (two files pasted together), as UTF-8 reads it and as
# Windows-1252 reads UTF-8's three BOM bytes.
_INNER_BOM = re.compile("\ufeff|\u00ef\u00bb\u00bf")
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_WORKBOOKS = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0")  # .xlsx (zip), .xls (OLE2)
DELIMITERS = (",", ";", "\t")
# Characters people and programs separate cells with, to name the one a file seems to use.
SEPARATOR_GUESSES = (",", ";", "\t", "|", ":", "^", "~", "#")
def _separator_names() -> dict[str, str]:
    return {",": _("a comma (,)"), ";": _("a semicolon (;)"), "\t": _("a tab"), "|": "'|'"}


class TextProblem(ValueError):
    """The bytes are not readable text; ``line`` is where that shows (0: the whole file)."""

    def __init__(self, line: int, message: str):
        super().__init__(message)
        self.line = line
        self.message = message


def line_of(text: str, position: int) -> int:
    """The physical line (from 1) that ``position`` in ``text`` falls on."""
    return len(_LINE_BREAK.findall(text, 0, position)) + 1


def _utf16(data: bytes) -> str | None:
    """Excel's "Unicode text" is UTF-16 (with a BOM); without one, every other byte is 0."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    sample = data[:400]
    if len(sample) >= 4 and len(sample) % 2 == 0:
        zeros_odd = sample[1::2].count(0) / (len(sample) // 2)
        zeros_even = sample[0::2].count(0) / (len(sample) // 2)
        if zeros_odd > 0.9 and zeros_even < 0.1:
            return data.decode("utf-16-le")
        if zeros_even > 0.9 and zeros_odd < 0.1:
            return data.decode("utf-16-be")
    return None


def decode(data: bytes) -> str:
    """The file as text, without a leading BOM; raises :class:`TextProblem` otherwise."""
    if data.startswith(_WORKBOOKS):
        raise TextProblem(0, _("this is an Excel workbook, not CSV; save it as CSV UTF-8"))
    try:
        text = _utf16(data)
    except UnicodeDecodeError:
        raise TextProblem(0, _("the file starts like UTF-16 text but is not; save it as CSV "
                               "UTF-8")) from None
    if text is None:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            try:  # UTF-8's BOM read as Windows-1252 is three letters, not a BOM
                text = data.removeprefix(b"\xef\xbb\xbf").decode("cp1252")
            except UnicodeDecodeError:
                before = data[:error.start].decode("utf-8", "replace")
                line = line_of(before, len(before))
                raise TextProblem(line, _("the file is not text (neither UTF-8 nor "
                                          "Windows-1252); save it as CSV UTF-8")) from None
    text = text.removeprefix("\ufeff")
    control = _CONTROL.search(text)
    if control:
        raise TextProblem(line_of(text, control.start()), _(
            "the file is not text (character %(code)s, as in a binary file); save it as CSV "
            "UTF-8", code=f"U+{ord(control.group()):04X}"))
    bom = _INNER_BOM.search(text)
    if bom:
        raise TextProblem(line_of(text, bom.start()), _(
            "a byte order mark (BOM) in the middle of the file, as when two files are pasted"
            " together; remove it, and the second header line if there is one"))
    return text


def split(line: str, delimiter: str) -> list[str]:
    try:
        return next(csv.reader([line], delimiter=delimiter), [])
    except csv.Error:
        return []


def separator_guess(line: str, besides: str = "") -> str | None:
    """The character that most likely separates the cells of ``line`` (not ``besides``)."""
    counts = {c: line.count(c) for c in SEPARATOR_GUESSES if c != besides}
    best = max(counts, key=lambda c: counts[c])
    return best if counts[best] else None


def separator_name(character: str) -> str:
    return _separator_names().get(character, f"'{character}'")


def records(text: str, delimiter: str) -> Iterator[tuple[int, list[str] | csv.Error]]:
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


def quoting_message(error: csv.Error) -> str:
    if "field limit" in str(error):
        return _('a cell is far too long; check the double quotes (") from here on')
    if "end of data" in str(error):
        return _('a quoted cell is never closed; check the double quotes (") from here on')
    return _('badly quoted cell (%(error)s); a quote inside a cell must be doubled ("")',
             error=error)
