"""Moodle's own user-upload files (tests/data/moodle), in every encoding and separator Excel
writes, and the bad files people send: each gives rows or a message naming its line."""

import io
from pathlib import Path

import pytest
from sqlalchemy import func, select

from lms.auth.models import User
from lms.cohorts.models import CohortMember
from lms.cohorts.roster import parse_roster
from lms.extensions import db
from tests.conftest import csrf_from

MOODLE = Path(__file__).resolve().parents[1] / "data" / "moodle" / "uploaduser"


def moodle(name: str) -> bytes:
    return (MOODLE / name).read_bytes()


def problems(roster) -> list[str]:
    return [str(problem) for problem in roster.problems]


def warnings(roster) -> list[str]:
    return [str(warning) for warning in roster.warnings]


IGNORED = "line 1: ignored, as they do not apply here: "


@pytest.mark.parametrize(
    ("name", "cohort", "rows", "warning"),
    [
        ("example.csv", (), ["Student One", "Student Two", "Student Three"], None),
        ("upload_users.csv", (), ["Teacher 1"], "password"),
        ("upload_users_cohorts.csv", (), ["Tom Jones", "Mary Smith", "Bob Jones", "Alice Smith"],
         "password"),
        ("upload_users_email_matching.csv", ("math102",), ["Bilbo Baggins", "Frodo Baggins"],
         "password, group1"),
        ("upload_users_emailstop.csv", (), ["Joe Bloggs", "Fred Bloggs"], "password, emailstop"),
        ("upload_users_enrol_date_period.csv", ("MATH102", "Matematika"),
         ["Student One", "Student Two"], "password, enroltimestart1, enrolperiod1"),
        ("upload_users_themes.csv", ("math102",),
         ["Tom Jones", "Trent Reznor", "Troy Barnes", "Donald Barnes"], "password, role1, theme"),
    ],
)
def test_moodle_files_import_with_one_warning_for_what_does_not_apply(name, cohort, rows,
                                                                      warning):
    roster = parse_roster(moodle(name), cohort=cohort)

    assert roster.ok, problems(roster)
    assert roster.format == "moodle"
    assert [row.full_name for row in roster.rows] == rows
    assert warnings(roster) == ([IGNORED + warning] if warning else [])
    assert all(row.institution == "" and row.nip is None for row in roster.rows)


def test_a_course1_or_cohort1_naming_another_cohort_refuses_that_row():
    roster = parse_roster(moodle("upload_users_category.csv"), cohort=("management1",))

    assert problems(roster) == [
        f"line {line}: course1 '{course}' is another cohort; this file is imported into"
        " management1" for line, course in ((5, "film1"), (6, "film1"), (7, "movie1"))]
    assert [row.username for row in roster.rows] == ["jonest", "reznor", "aurora", "cool", "bond"]
    assert warnings(roster) == [IGNORED + "password, category1, categoryrole1, role1"]

    cohorts = parse_roster(moodle("upload_users_cohorts.csv"), cohort=("asd",))
    assert [p.line for p in cohorts.problems] == [3, 5]
    assert problems(cohorts)[0] == (
        "line 3: cohort1 'DSA' is another cohort; this file is imported into asd")


def test_rows_moodle_would_delete_or_suspend_are_refused():
    text = ("username,firstname,lastname,email,deleted,suspended\n"
            "a,Ani,,a@example.org,1,\nb,Budi,,b@example.org,0,1\nc,Cici,,c@example.org,0,0\n")

    roster = parse_roster(text.encode())

    assert problems(roster) == [
        "line 2: deleted is 1: this import only enrolls participants; remove the row",
        "line 3: suspended is 1: this import only enrolls participants; remove the row"]
    assert [row.username for row in roster.rows] == ["c"]


# Encodings and separators, as Excel and LibreOffice save the same file

ACCENTED = "username,firstname,lastname,email\r\njose,José,Müller,jose@example.org\r\n"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be",
                                      "cp1252"])
@pytest.mark.parametrize("separator", [",", ";", "\t"])
def test_every_encoding_and_separator_gives_the_same_rows(encoding, separator):
    data = ACCENTED.replace(",", separator).encode(encoding)

    roster = parse_roster(data)

    assert roster.ok, problems(roster)
    assert roster.delimiter == separator
    assert [(r.full_name, r.email) for r in roster.rows] == [("José Müller", "jose@example.org")]


@pytest.mark.parametrize(("separator", "named"), [("|", "'|'"), (":", "':'")])
def test_a_header_in_one_column_names_the_separator(separator, named):
    data = moodle("example.csv").replace(b",", separator.encode())

    assert problems(parse_roster(data)) == [
        f"line 1: the whole line is one column: the separator looks like {named};"
        " save the file with commas or semicolons"]


def test_rows_with_another_separator_than_the_header_say_so_each_with_its_line():
    text = ("username,firstname,lastname,email,institution\n"
            "budi;Budi;Santoso;budi@example.org;Perpusnas\n"
            "sari,Sari,,sari@example.org,Perpusda\n"
            "rudi;Rudi;;rudi@example.org;Perpusda\n")

    roster = parse_roster(text.encode())

    message = ("the whole row is one column: the separator looks like a semicolon (;) where"
               " the column names use a comma (,)")
    assert problems(roster) == [f"line 2: {message}", f"line 4: {message}"]
    assert [row.username for row in roster.rows] == ["sari"]


# Bad files


def test_empty_file_and_header_only():
    assert problems(parse_roster(b"")) == ["line 0: the file is empty"]
    header_only = parse_roster(moodle("example.csv").split(b"\n")[0] + b"\n")
    assert problems(header_only) == ["line 1: no participants in the file"]
    assert header_only.rows == []


def test_ten_thousand_rows_are_one_problem_and_no_rows():
    rows = "".join(f"u{n},Peserta,{n},p{n}@example.org\n" for n in range(10_000))

    roster = parse_roster(("username,firstname,lastname,email\n" + rows).encode())

    assert problems(roster) == ["line 5002: more than 5000 participants; split the file"]
    assert roster.rows == []


def test_a_row_of_200_columns_is_one_problem_for_that_row():
    wide = "u2,Budi,Santoso,b@example.org," + ",".join(["x"] * 196)
    text = f"username,firstname,lastname,email\nu1,Ani,,a@example.org\n{wide}\n"

    roster = parse_roster(text.encode())

    assert problems(roster) == ["line 3: cell 5 has a value but no column name (and 195 more)"]
    assert [row.username for row in roster.rows] == ["u1"]


def test_a_bom_in_the_middle_names_its_line():
    data = moodle("example.csv") + b"\n\xef\xbb\xbf" + moodle("example.csv")

    roster = parse_roster(data)

    assert problems(roster) == [
        "line 5: a byte order mark (BOM) in the middle of the file, as when two files are"
        " pasted together; remove it, and the second header line if there is one"]
    assert roster.rows == []


def test_a_bom_in_the_middle_of_a_windows_1252_file_too():
    data = "username,firstname,lastname,email\nj,José,,j@example.org\n".encode("cp1252")

    roster = parse_roster(data + b"\xef\xbb\xbfk,Kiki,,k@example.org\n")

    assert problems(roster)[0].startswith("line 3: a byte order mark (BOM) in the middle")


@pytest.mark.parametrize("data", [
    bytes(range(256)) * 4,
    b"\x89PNG\r\n\x1a\n" + bytes(200),
    b"%PDF-1.7\n" + bytes(range(128, 256)),
    "username,firstname,lastname,email\n".encode("utf-32"),
])
def test_binary_files_are_a_message_not_a_traceback(data):
    roster = parse_roster(data)

    assert len(roster.problems) == 1
    assert "is not text" in roster.problems[0].message or "UTF-16" in roster.problems[0].message
    assert roster.rows == []


# Through the page and the command


def upload(client, data: bytes, code: str, skip: bool = False):
    page = client.get(f"/manage/cohorts/{code}/import")
    form = {"csrf_token": csrf_from(page.text), "file": (io.BytesIO(data), "users.csv")}
    if skip:
        form["skip_invalid"] = "y"
    return client.post(f"/manage/cohorts/{code}/import", data=form,
                       content_type="multipart/form-data")


def members(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(CohortMember))


def test_the_page_imports_moodles_file_and_shows_the_warning(app, make_cohort, login_as):
    make_cohort("math102", mode="invitation")
    coordinator, _ = login_as("coordinator")

    response = upload(coordinator, moodle("upload_users_themes.csv"), "math102")

    assert response.status_code == 200
    assert "4 didaftarkan" in response.text
    assert "diabaikan karena tidak berlaku di sini: password, role1, theme" in response.text
    assert members(app) == 4
    with app.app_context():
        troy = db.session.scalar(select(User).where(User.email == "troy@greendale.com"))
        assert (troy.full_name, troy.institution) == ("Troy Barnes", "")


@pytest.mark.parametrize(("data", "message"), [
    (moodle("upload_users_cohorts.csv"), "baris 2: cohort1 &#39;ASD&#39; adalah angkatan lain"),
    (b"", "baris 0: berkasnya kosong"),
    (("username,firstname,lastname,email\n"
      + "".join(f"u{n},P,{n},p{n}@example.org\n" for n in range(10_000))).encode(),
     "baris 5002: lebih dari 5000 peserta"),
    (bytes(range(256)) * 10, "berkas ini bukan teks"),
])
def test_the_page_imports_nothing_from_a_bad_file_even_when_skipping(app, make_cohort, login_as,
                                                                     data, message):
    make_cohort(mode="invitation")
    coordinator, _ = login_as("coordinator")

    response = upload(coordinator, data, "angkatan-1", skip=message.startswith("baris 5002"))

    assert response.status_code == 400
    assert message in response.text
    assert "Traceback" not in response.text
    assert members(app) == 0


def test_the_command_imports_moodles_file_and_prints_the_warning(app, runner, make_cohort):
    make_cohort("math102", mode="invitation")

    result = runner.invoke(args=["cohorts", "import", "math102",
                                 str(MOODLE / "upload_users_email_matching.csv")])

    assert result.exit_code == 0, result.output
    assert ("baris 1: diabaikan karena tidak berlaku di sini: password, group1 (warning)"
            in result.output)  # the command speaks the default language, Indonesian
    assert "2 enrolled" in result.output

    refused = runner.invoke(args=["cohorts", "import", "math102",
                                  str(MOODLE / "upload_users_category.csv")])
    assert refused.exit_code == 1
    assert "baris 2: course1 'management1' adalah angkatan lain" in refused.output
    assert "nothing imported" in refused.output
    assert members(app) == 2
