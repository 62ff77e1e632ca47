"""CSV exports that a spreadsheet opens safely.

A cell that starts with = + - @ (or a tab or carriage return) would be run as
a formula by Excel or LibreOffice; such cells get a leading apostrophe.
"""

import csv
import io
from collections.abc import Iterable

from flask import Response

DANGEROUS_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int | float):
        return f"{value:g}" if isinstance(value, float) else str(value)
    text = str(value)
    return "'" + text if text.startswith(DANGEROUS_START) else text


def csv_response(filename: str, header: list[str], rows: Iterable[Iterable]) -> Response:
    """A UTF-8 (with BOM, for Excel) CSV download."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([safe_cell(h) for h in header])
    for row in rows:
        writer.writerow([safe_cell(cell) for cell in row])
    response = Response("\ufeff" + buffer.getvalue(), mimetype="text/csv")
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
