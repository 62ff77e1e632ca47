"""A real spreadsheet program opens the files: LibreOffice Calc, headless, set to Indonesian.

Each CSV is imported with each separator (the one it was written with and the other one),
the workbook is opened and saved again; openpyxl then reads what Calc made of them. Skipped,
with the reason, where LibreOffice is not installed (``apt-get install libreoffice-calc-nogui``).
"""

import shutil
import subprocess
from datetime import datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook

from lms.exports import neutralise, nip_cell, write_csv, write_xlsx
from tests.exports.test_writers import FORMULA_START, HOSTILE

SOFFICE = shutil.which("soffice")
pytestmark = pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")
INDONESIAN = 1057  # the language LibreOffice reads numbers in: decimal comma
HEADER = ["Nama", "NIP", "Nilai", "Waktu"]
ROWS = [[value, nip_cell("198001012005011001"), 14.29, datetime(2026, 11, 26, 9, 30)]
        for value in HOSTILE]


def calc(tmp_path: Path, files: list[Path], infilter: str | None) -> list[list[list]]:
    """Convert with LibreOffice to XLSX; the cells of each result as openpyxl reads them."""
    out = tmp_path / "out"
    command = [SOFFICE, f"-env:UserInstallation=file://{tmp_path}/profile", "--headless",
               "--convert-to", "xlsx", "--outdir", str(out), *map(str, files)]
    if infilter:
        command[3:3] = [f"--infilter={infilter}"]
    subprocess.run(command, check=True, capture_output=True, timeout=180)  # noqa: S603
    sheets = []
    for file in files:
        sheet = load_workbook(out / (file.stem + ".xlsx")).active
        assert [c.coordinate for row in sheet.iter_rows() for c in row if c.data_type == "f"] == []
        sheets.append([[c.value for c in row] for row in sheet.iter_rows()])
        (out / (file.stem + ".xlsx")).unlink()
    return sheets


def no_formula_text(sheet: list[list]) -> None:
    for row in sheet:
        for value in row:
            assert not (isinstance(value, str) and value.lstrip().startswith(FORMULA_START)), row


@pytest.mark.parametrize(("reader", "code"), [(";", 59), (",", 44)])
def test_calc_imports_our_csv_with_either_separator(tmp_path, reader, code):
    files = []
    for name, separator in (("titik-koma", ";"), ("koma", ",")):
        path = tmp_path / f"{name}.csv"
        path.write_text(write_csv(HEADER, ROWS, separator, ","), encoding="utf-8")
        files.append(path)

    # Separator, quote ("), UTF-8 (76), from line 1, default column types, Indonesian.
    sheets = calc(tmp_path, files, f"CSV:{code},34,76,1,,{INDONESIAN}")

    for written, sheet in zip((";", ","), sheets, strict=True):
        no_formula_text(sheet)
        if written == reader:
            assert sheet[0] == HEADER
            # Calc shows the apostrophe that keeps a text from being a formula.
            assert [row[0] for row in sheet[1:]] == [neutralise(value) for value in HOSTILE]
            assert {row[1] for row in sheet[1:]} == {"19800101 200501 1 001"}
            assert {row[2] for row in sheet[1:]} == {14.29}  # a number, decimal comma read


def test_calc_opens_our_workbook_as_we_wrote_it(tmp_path):
    path = tmp_path / "kemajuan.xlsx"
    path.write_bytes(write_xlsx(HEADER, ROWS, "Kemajuan"))

    (sheet,) = calc(tmp_path, [path], None)

    assert sheet[0] == HEADER
    assert [row[0] for row in sheet[1:]] == HOSTILE  # text as given, and still text
    assert {row[2] for row in sheet[1:]} == {14.29}
    assert {row[3] for row in sheet[1:]} == {datetime(2026, 11, 26, 9, 30)}
