"""Exports an office opens right: XLSX, and CSV for whichever list separator its Excel uses.

Every list a coordinator or instructor downloads goes through :func:`export_response`, so
the two formats and their safety rules live in this one place:

- XLSX (openpyxl): numbers are numbers, dates are dates, text is stored as text (an inline
  string, never a formula, with Excel's quote prefix when it looks like one), the header row
  is bold and frozen, columns are sized to their content.
- CSV: comma or semicolon (Indonesian Excel and LibreOffice use ``;``), every field quoted,
  decimal comma in Indonesian, UTF-8 with a BOM so Excel reads the accents. A text that
  would start a formula (after any spaces or quotes) gets an apostrophe, and so does every
  part of it that would start a cell if the reader split on another separator or a line
  break (``"Perpustakaan Desa;=1+1"`` opened with ``;`` would otherwise give a live
  ``=1+1``).
"""

import csv
import io
import math
import re
from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal
from functools import wraps

from flask import Blueprint, Response, current_app, g, has_request_context, request
from flask_babel import get_locale, to_user_timezone
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

FORMATS = ("csv", "xlsx")
SEPARATORS = {"semicolon": ";", "comma": ","}
DANGEROUS_START = ("=", "+", "-", "@", "\t", "\r")
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_XLSX_TEXT = 32_767  # Excel's limit for one cell
# The start of the text, or where a reader splitting on another separator (or a line break)
# would start a new cell; optional spaces or quotes (some readers trim them); then a
# character that starts a formula.
_FORMULA_AT = re.compile(r"""((?:^|[,;\t\r\n|])[ "']*)(?=[=+\-@])""")
_SHEET_TITLE_BAD = re.compile(r"[\[\]:*?/\\]")
_DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
_DATE_FORMAT = "yyyy-mm-dd"
_WIDTH = (8, 45)  # narrowest and widest column, in characters


def neutralise(text: str) -> str:
    """Text no spreadsheet runs as a formula, whatever separator it splits the line on."""
    text = _FORMULA_AT.sub(r"\1'", text)
    return "'" + text if text.startswith(("\t", "\r")) else text


def nip_cell(nip: str | None) -> str:
    """A NIP as it is printed (``19800101 200501 1 001``), so no spreadsheet makes it a number.

    Excel turns an 18-digit cell into ``1.98001E+17`` and loses the last digits; written in
    its four groups it stays text in every program and reads back through the roster import.
    """
    digits = (nip or "").strip()
    if len(digits) == 18 and digits.isdigit():
        return f"{digits[:8]} {digits[8:14]} {digits[14]} {digits[15:]}"
    return digits


def _number(value) -> int | float | None:
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int):
        return value
    if isinstance(value, float | Decimal):
        number = float(value)
        return None if math.isnan(number) or math.isinf(number) else number
    return None


def _blank(value) -> bool:
    """Nothing to write: None, or a float that is not a number (NaN, infinity)."""
    return value is None or (isinstance(value, float | Decimal) and not math.isfinite(value))


def _local(value: datetime) -> datetime:
    """Stored naive UTC shown in the site's (or reader's) zone, as a naive wall-clock time."""
    if has_request_context():
        return to_user_timezone(value).replace(tzinfo=None)
    return value


def csv_text(value, decimal: str = ".") -> str:
    """One CSV field: numbers with the decimal mark given, dates ISO, text neutralised."""
    if _blank(value):
        return ""
    number = _number(value)
    if number is not None:
        if isinstance(number, int):
            return str(number)
        text = f"{round(number, 6):.6f}".rstrip("0").rstrip(".")
        return text.replace(".", decimal) if text != "-0" else "0"
    if isinstance(value, datetime):
        return _local(value).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    return neutralise(str(value))


_SAME_TEXT = (str, float, datetime)


def write_csv(header: Sequence, rows: Iterable[Sequence], separator: str = ";",
              decimal: str = ",") -> str:
    """The whole file as text (BOM first): every field quoted, lines ending in CRLF."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=separator, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    writer.writerow([csv_text(cell) for cell in header])
    # A value is written once per file: the same few texts ("done", an institution),
    # grades and dates fill most cells of a large list, and neutralising each text and
    # moving each date to the reader's zone again was most of a 1,000-person progress
    # grid's CSV. Only values that are equal exactly when their texts are: text, floats,
    # naive datetimes (an aware one equals the same instant in another zone).
    written: dict[str | float | datetime, str] = {}
    for row in rows:
        fields = []
        for cell in row:
            if cell is None:
                fields.append("")
            elif cell.__class__ in _SAME_TEXT and getattr(cell, "tzinfo", None) is None:
                text = written.get(cell)
                if text is None:
                    text = written[cell] = csv_text(cell, decimal)
                fields.append(text)
            else:
                fields.append(csv_text(cell, decimal))
        writer.writerow(fields)
    return "\ufeff" + buffer.getvalue()


def _sheet_title(title: str) -> str:
    cleaned = _SHEET_TITLE_BAD.sub(" ", title).strip(" '")
    return cleaned[:31] or "Sheet1"


def _xlsx_value(cell, value) -> int:
    """Put ``value`` into ``cell`` with the right type; return its width in characters."""
    number = _number(value)
    if _blank(value):
        return 0
    if number is not None:
        cell.value = number
        return len(f"{number:g}") + 1
    if isinstance(value, datetime):
        cell.value = _local(value)
        cell.number_format = _DATETIME_FORMAT
        return len(_DATETIME_FORMAT)
    if isinstance(value, date):
        cell.value = value
        cell.number_format = _DATE_FORMAT
        return len(_DATE_FORMAT)
    text = ILLEGAL_CHARACTERS_RE.sub("", str(value))[:MAX_XLSX_TEXT]
    cell.value = text
    cell.data_type = "s"  # openpyxl would make "=..." a formula; a text cell never is one
    if text.startswith(DANGEROUS_START):
        cell.quotePrefix = True  # and Excel keeps it text when the cell is edited
    return max((len(line) for line in text.splitlines()), default=0)


def write_xlsx(header: Sequence, rows: Iterable[Sequence], title: str = "Sheet1") -> bytes:
    """One sheet: bold frozen header with full names, typed cells, sized columns, a filter."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _sheet_title(title)
    widths: list[int] = []
    for row_number, row in enumerate([header, *rows], start=1):
        for column, value in enumerate(row, start=1):
            width = _xlsx_value(sheet.cell(row=row_number, column=column), value)
            if column > len(widths):
                widths.append(0)
            widths[column - 1] = max(widths[column - 1], width)
    bold, wrap = Font(bold=True), Alignment(wrap_text=True, vertical="top")
    for cell in sheet[1]:
        cell.font, cell.alignment = bold, wrap
    for column, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = min(
            max(width + 2, _WIDTH[0]), _WIDTH[1])
    sheet.freeze_panes = "B2" if len(widths) > 1 else "A2"
    if widths:
        sheet.auto_filter.ref = sheet.dimensions
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _language() -> str:
    locale = get_locale() if has_request_context() else None
    return locale.language if locale else current_app.config["BABEL_DEFAULT_LOCALE"]


def csv_settings() -> tuple[str, str]:
    """(separator, decimal mark) for this request: ``?sep=comma|semicolon``, else by language.

    Indonesian Excel and LibreOffice split on ``;`` and read ``87,5``; English ones on ``,``.
    """
    indonesian = _language() == "id"
    chosen = request.args.get("sep", "") if has_request_context() else ""
    separator = SEPARATORS.get(chosen, ";" if indonesian else ",")
    return separator, ("," if indonesian else ".")


def export_format() -> str:
    """"xlsx" for a route's .xlsx address (see :func:`exportable`), else "csv"."""
    return g.get("export_format", "csv")


def export_response(name: str, header: Sequence, rows: Iterable[Sequence],
                    title: str | None = None) -> Response:
    """A download of ``header`` and ``rows`` as ``name``.xlsx or ``name``.csv.

    Cells keep their Python type: int, float and Decimal are numbers, datetime (naive UTC,
    as stored) and date are dates, everything else is text. The format is the one the
    route was called with (:func:`exportable`); the CSV separator is :func:`csv_settings`.
    """
    if export_format() == "xlsx":
        body, mimetype, extension = write_xlsx(header, rows, title or name), XLSX_MIME, "xlsx"
    else:
        separator, decimal = csv_settings()
        body, mimetype, extension = write_csv(header, rows, separator, decimal), "text/csv", "csv"
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{name}.{extension}"'
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


def csv_response(filename: str, header: list[str], rows: Iterable[Iterable]) -> Response:
    """A CSV download with this module's rules (kept for callers not yet on :func:`exportable`)."""
    separator, decimal = csv_settings()
    response = Response(write_csv(header, rows, separator, decimal), mimetype="text/csv")
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def exportable(bp: Blueprint, rule: str, **options) -> Callable:
    """Register a view at ``rule``.csv and ``rule``.xlsx (GET), one endpoint for both.

    ``url_for(endpoint, ...)`` gives the CSV address; add ``export_format="xlsx"`` for the
    workbook. The view itself ends with :func:`export_response`, which reads the format.
    """

    def register(view: Callable) -> Callable:
        @wraps(view)
        def dispatch(*args, export_format: str = "csv", **kwargs):
            g.export_format = export_format
            return view(*args, **kwargs)

        for extension in FORMATS:  # csv first: url_for without a format builds it
            bp.add_url_rule(f"{rule}.{extension}", view_func=dispatch, methods=["GET"],
                            defaults={"export_format": extension}, **options)
        return dispatch

    return register
