"""Every export of a cohort, downloaded as XLSX and as CSV with either separator, opened
with openpyxl and Python's csv reader: no formula cell anywhere, numbers that are numbers."""

import csv
import io
from contextlib import nullcontext

import pytest
from openpyxl import load_workbook

from lms.auth.models import User
from lms.extensions import db
from tests.exports.conftest import CODE, HOSTILE_INSTITUTION, HOSTILE_NAME
from tests.exports.test_writers import formula_cells

NIP_PRINTED = "19800101 200501 1 001"
QUIZ = "/courses/satu/quizzes/kuis-contoh"
EXPORTS = {
    "grid": f"/manage/cohorts/{CODE}/grid",
    "results": f"{QUIZ}/results",
    "items": f"{QUIZ}/items",
    "attendance": f"/cohorts/{CODE}/attendance",
    "evaluation": f"/manage/cohorts/{CODE}/evaluation",
    "applicants": f"/manage/cohorts/{CODE}/applicants",
    "certificates": f"/manage/cohorts/{CODE}/certificates",
}
LISTS_PEOPLE = ("grid", "results", "attendance", "applicants", "certificates")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def released(app):
    """The cohort moved into the past: its evaluation has closed and its answers are shown
    (and exported). The clock is not moved: a session left idle for 60 days would end."""
    from tests.evaluations.conftest import close_evaluation

    close_evaluation(app, CODE)
    return nullcontext()


def workbook(client, url: str):
    response = client.get(url + ".xlsx")
    assert response.status_code == 200, response.text[:300]
    assert response.mimetype == XLSX
    assert response.headers["Content-Disposition"].endswith('.xlsx"')
    return load_workbook(io.BytesIO(response.data)).active


def csv_rows(client, url: str, delimiter: str, sep: str | None = None) -> list[list[str]]:
    response = client.get(url + ".csv" + (f"?sep={sep}" if sep else ""))
    assert response.status_code == 200, response.text[:300]
    assert response.mimetype == "text/csv"
    assert response.data.startswith("\ufeff\"".encode())
    text = response.get_data(as_text=True).lstrip("\ufeff")
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))


def row_of(rows, name: str) -> dict:
    header = rows[0]
    found = [r for r in rows[1:] if r and name in str(r[0])]
    assert len(found) == 1, (name, rows)
    return dict(zip(header, found[0], strict=True))


@pytest.mark.parametrize("name", EXPORTS)
def test_xlsx_has_typed_cells_and_no_formula(app, office, name):
    coordinator, _ = office
    with released(app) if name == "evaluation" else nullcontext():
        sheet = workbook(coordinator, EXPORTS[name])

    cells = [c for row in sheet.iter_rows() for c in row]
    assert [c.coordinate for c in cells if c.data_type == "f"] == []
    assert sheet.freeze_panes in ("A2", "B2")
    header = [c.value for c in sheet[1]]
    assert all(isinstance(h, str) and h for h in header)
    assert sheet.max_row > 1
    if name in LISTS_PEOPLE:
        rows = [[c.value for c in row] for row in sheet.iter_rows()]
        hostile = row_of(rows, "HYPERLINK")
        assert hostile["Nama"] == HOSTILE_NAME  # kept exactly, stored as text
        assert hostile["NIP"] == NIP_PRINTED
        assert sheet.cell(row=rows.index(next(r for r in rows if r[0] == HOSTILE_NAME)) + 1,
                          column=1).quotePrefix


@pytest.mark.parametrize("name", EXPORTS)
def test_csv_has_no_formula_cell_whichever_separator_reads_it(app, office, name):
    coordinator, _ = office
    for sep, written in (("semicolon", ";"), ("comma", ",")):
        with released(app) if name == "evaluation" else nullcontext():
            for delimiter in (";", ",", "\t"):
                for row in csv_rows(coordinator, EXPORTS[name], delimiter, sep):
                    assert formula_cells(row) == [], row
            rows = csv_rows(coordinator, EXPORTS[name], written, sep)
        if name == "evaluation":
            assert len(rows) == 4  # the header and three answers
        assert len({len(r) for r in rows}) == 1  # every row as wide as the header
        if name in LISTS_PEOPLE:
            hostile = row_of(rows, "HYPERLINK")
            assert hostile["Nama"] == "'" + HOSTILE_NAME
            assert hostile["NIP"] == NIP_PRINTED
            assert hostile.get("Instansi", HOSTILE_INSTITUTION.replace(";=", ";'=")) == (
                HOSTILE_INSTITUTION.replace(";=", ";'="))


def test_the_numbers_are_right_in_every_format(app, office):
    coordinator, _ = office
    sheet = workbook(coordinator, EXPORTS["results"])
    results = row_of([[c.value for c in r] for r in sheet.iter_rows()], "HYPERLINK")
    assert (results["Nilai"], results["Percobaan"]) == (14.29, 1)
    assert row_of(csv_rows(coordinator, EXPORTS["results"], ";"), "HYPERLINK")["Nilai"] == "14,29"
    grid = row_of([[c.value for c in r] for r in workbook(coordinator, EXPORTS["grid"])
                   .iter_rows()], "HYPERLINK")
    assert grid["Kursus Satu: Kuis Contoh"] == 14.29  # full item names, not codes
    assert grid["Penyelesaian (%)"] == 20  # the quiz is one of five items
    attendance = [[c.value for c in r] for r in workbook(coordinator, EXPORTS["attendance"])
                  .iter_rows()]
    assert row_of(attendance, "HYPERLINK")[attendance[0][-1]] == 100
    assert row_of(attendance, "Budi")[attendance[0][-1]] == 0
    assert attendance[0][4].startswith("=Sesi satu (")  # a header is text too, as given
    items = [[c.value for c in r] for r in workbook(coordinator, EXPORTS["items"]).iter_rows()]
    single = next(dict(zip(items[0], r, strict=True)) for r in items if r[1] == "q-single")
    assert (single["Nomor"], single["Jawaban"], single["Tingkat kemudahan"]) == (1, 1, 100)
    with released(app):
        evaluation = workbook(coordinator, EXPORTS["evaluation"])
    ratings = [c.value for c in evaluation["B"][1:]]
    assert ratings == [4, 4, 4]
    suggestions = [c.value for row in evaluation.iter_rows(min_row=2) for c in row]
    assert "=1+1;@SUM(A1)" in suggestions


def test_separator_and_decimal_follow_the_interface_language(app, office):
    coordinator, ids = office
    semicolon = coordinator.get(EXPORTS["results"] + ".csv").get_data(as_text=True)
    assert semicolon.startswith('\ufeff"Nama";"NIP";"Email"')
    assert '"14,29"' in semicolon
    with app.app_context():
        for user in db.session.scalars(db.select(User).where(User.role == "coordinator")):
            user.locale = "en"
        db.session.commit()
    comma = coordinator.get(EXPORTS["results"] + ".csv").get_data(as_text=True)
    assert comma.startswith('\ufeff"Name","NIP","Email"')
    assert '"14.29"' in comma
    chosen = coordinator.get(EXPORTS["results"] + ".csv?sep=semicolon").get_data(as_text=True)
    assert chosen.startswith('\ufeff"Name";"NIP"')
    assert '"14.29"' in chosen


def test_a_participant_of_another_cohort_may_not_download(office, login_as):
    participant, _ = login_as("participant")
    for name in EXPORTS:
        for extension in (".xlsx", ".csv"):
            # The live pages hide a cohort from outsiders (404); the others refuse (403).
            assert participant.get(EXPORTS[name] + extension).status_code in (403, 404), name


def test_pages_offer_both_formats(office):
    coordinator, _ = office
    page = coordinator.get(f"/manage/cohorts/{CODE}/grid?sort=percent").text
    assert f"/manage/cohorts/{CODE}/grid.xlsx?" in page
    assert "grid.csv?" in page
    assert "sep=semicolon" in page
    assert "sep=comma" in page
    pages = {"results": f"{QUIZ}/results", "attendance": f"/cohorts/{CODE}/attendance",
             "evaluation": f"/manage/cohorts/{CODE}/evaluation",
             "applicants": f"/manage/cohorts/{CODE}",
             "certificates": f"/manage/cohorts/{CODE}/certificates"}
    for name, url in pages.items():
        html = coordinator.get(url).text
        assert f'href="{EXPORTS[name]}.xlsx' in html, name
        assert f'href="{EXPORTS[name]}.csv?' in html, name
    assert f'href="{EXPORTS["items"]}.xlsx"' in coordinator.get(f"{QUIZ}/results").text


def test_applicants_export_keeps_the_page_filter(office):
    coordinator, _ = office
    rows = csv_rows(coordinator, EXPORTS["applicants"], ";", None)
    assert len(rows) == 4
    assert {r[5] for r in rows[1:]} == {"diterima"}
    response = coordinator.get(EXPORTS["applicants"] + ".csv?status=rejected")
    assert response.get_data(as_text=True).count("\r\n") == 1  # the header only
