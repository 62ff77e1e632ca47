"""The two writers without an app: typed XLSX cells, quoted CSV, formulas neutralised."""

import csv
import io
from datetime import date, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from lms.exports import csv_text, neutralise, nip_cell, write_csv, write_xlsx

FORMULA_START = ("=", "+", "-", "@")
HOSTILE = [
    '=HYPERLINK("http://evil","klik")',
    "Perpustakaan Desa;=1+1;",
    "Dinas, -2+3",
    "+62 812",
    "@SUM(A1)",
    "\t=1+1",
    "Baris satu\n=cmd|' /C calc'!A0",
    'Kutip "; =1+1',
    "aman",
]


def formula_cells(cells: list[str]) -> list[str]:
    """Cells a spreadsheet would run: starting, after spaces or quotes, with = + - @ and not
    a number."""
    found = []
    for cell in cells:
        text = cell.lstrip(" \t\r\n\"")
        if text.startswith(FORMULA_START):
            try:
                float(text.replace(",", "."))
            except ValueError:
                found.append(cell)
    return found


def read(text: str, delimiter: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text.lstrip("\ufeff"), newline=""), delimiter=delimiter))


@pytest.mark.parametrize("written", [";", ","])
@pytest.mark.parametrize("reader", [";", ",", "\t"])
def test_no_formula_survives_whatever_separator_the_reader_chooses(written, reader):
    text = write_csv(["Nama", "Nilai"], [[value, -3.5] for value in HOSTILE], written, ",")

    for row in read(text, reader):
        assert formula_cells(row) == [], row
    # A reader that also strips leading quotes and spaces (LibreOffice "trim spaces").
    for row in read(text, reader):
        assert formula_cells([cell.lstrip(" \"'") for cell in row if cell.startswith(" ")]) == []


@pytest.mark.parametrize("separator", [";", ","])
def test_csv_with_the_right_separator_gives_back_the_values(separator):
    rows = [["Budi", 87.5, 12, None, date(2026, 11, 26), datetime(2026, 11, 26, 3, 4)],
            ["Perpustakaan Desa;=1+1;", 12.345, -1, 0.1 + 0.2, True, "x"]]

    text = write_csv(["Nama", "Nilai", "Jumlah", "Kosong", "Tanggal", "Waktu"], rows, separator,
                     ",")

    assert text.startswith('\ufeff"Nama"' + separator + '"Nilai"')
    assert text.endswith("\r\n")
    header, first, second = read(text, separator)
    assert header == ["Nama", "Nilai", "Jumlah", "Kosong", "Tanggal", "Waktu"]
    assert first == ["Budi", "87,5", "12", "", "2026-11-26", "2026-11-26 03:04"]
    assert second == ["Perpustakaan Desa;'=1+1;", "12,345", "-1", "0,3", "1", "x"]


def test_every_field_is_quoted_even_empty_and_numbers():
    assert write_csv(["a"], [[1, None, 2.5]], ";", ",").splitlines()[1] == '"1";"";"2,5"'
    assert write_csv(["a"], [[1, None, 2.5]], ",", ".").splitlines()[1] == '"1","","2.5"'


@pytest.mark.parametrize(
    ("value", "decimal", "written"),
    [(87.5, ",", "87,5"), (87.5, ".", "87.5"), (100.0, ",", "100"), (-0.0001, ",", "-0,0001"),
     (-0.0000001, ",", "0"), (1 / 3, ",", "0,333333"), (float("nan"), ",", ""),
     (12345678, ",", "12345678"), ("12.345", ",", "12.345"), ("-5", ",", "'-5")],
)
def test_numbers_and_text(value, decimal, written):
    assert csv_text(value, decimal) == written


@pytest.mark.parametrize(
    ("text", "safe"),
    [("=1+1", "'=1+1"), ("a;=1", "a;'=1"), ("a, @x", "a, '@x"), ('a;"=1', "a;\"'=1"),
     ("a\n-1", "a\n'-1"), ("Jl. Merdeka - 5", "Jl. Merdeka - 5"), ("a=b", "a=b"),
     (" =1", " '=1"), ('" @x', "\" '@x"), ("\t=1", "'\t'=1"), ("\rx", "'\rx")],
)
def test_neutralise(text, safe):
    assert neutralise(text) == safe


def test_nip_is_written_in_its_printed_groups():
    assert nip_cell("198001012005011001") == "19800101 200501 1 001"
    assert nip_cell(None) == ""
    assert nip_cell(" 12345 ") == "12345"


def test_xlsx_cells_are_typed_and_text_is_never_a_formula(tmp_path):
    header = ["Nama", "NIP", "Kursus Satu: Modul Pengantar Literasi Informasi", "Nilai", "Waktu"]
    rows = [[value, nip_cell("198001012005011001"), 87.5, 3, datetime(2026, 11, 26, 3, 4)]
            for value in HOSTILE]
    rows.append(["Nol\x00byte\x1b", None, None, date(2026, 1, 2), "=2*3"])

    path = tmp_path / "t.xlsx"
    path.write_bytes(write_xlsx(header, rows, "Kemajuan: [angkatan/1]?"))
    sheet = load_workbook(path).active

    assert sheet.title == "Kemajuan   angkatan 1"
    assert [c.value for c in sheet[1]] == header
    assert all(c.font.b for c in sheet[1])
    assert sheet.freeze_panes == "B2"
    assert sheet.auto_filter.ref == "A1:E11"
    assert sheet.column_dimensions["C"].width == 45  # long names are capped and wrapped
    assert sheet.column_dimensions["B"].width == len("19800101 200501 1 001") + 2
    cells = [c for row in sheet.iter_rows() for c in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    assert [c.value for c in sheet["A"][1:10]] == HOSTILE
    assert all(c.quotePrefix for c in sheet["A"][1:10] if c.value.startswith(FORMULA_START))
    assert sheet["B2"].value == "19800101 200501 1 001"
    assert (sheet["C2"].value, sheet["C2"].data_type) == (87.5, "n")
    assert (sheet["D2"].value, sheet["D2"].data_type) == (3, "n")
    assert sheet["E2"].value == datetime(2026, 11, 26, 3, 4)
    assert sheet["E2"].number_format == "yyyy-mm-dd hh:mm"
    assert sheet["A11"].value == "Nolbyte"  # characters XML cannot hold are dropped
    assert (sheet["D11"].value.date(), sheet["D11"].number_format) == (date(2026, 1, 2),
                                                                       "yyyy-mm-dd")
    assert (sheet["E11"].value, sheet["E11"].data_type) == ("=2*3", "s")


def test_an_empty_export_is_still_a_workbook_with_its_header(tmp_path):
    path = tmp_path / "t.xlsx"
    path.write_bytes(write_xlsx(["Nama"], [], ""))
    sheet = load_workbook(path).active
    assert [[c.value for c in row] for row in sheet.iter_rows()] == [["Nama"]]
    assert write_csv(["Nama"], [], ";", ",") == '\ufeff"Nama"\r\n'


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(max_size=20), min_size=1, max_size=5), st.sampled_from([";", ","]),
       st.sampled_from([";", ",", "\t"]))
def test_any_text_any_reader_no_formula(cells, written, reader):
    text = write_csv(["h"], [cells], written, ",")
    for row in read(text, reader):
        assert formula_cells(row) == [], (cells, row)
