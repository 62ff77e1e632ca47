"""The roster CSV parser, without an app: encodings, delimiters, both layouts, every problem."""

import csv
import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lms.cohorts.roster import Roster, RosterProblem, RosterRow, parse_roster

OURS = "nama,email,instansi,jabatan,nip\n"
MOODLE = "username,firstname,lastname,email,institution,department,cohort1\n"
NIP = "198001012005011001"


def parse(text: str, encoding: str = "utf-8", **options) -> Roster:
    return parse_roster(text.encode(encoding), **options)


def problems(roster: Roster) -> list[str]:
    return [str(problem) for problem in roster.problems]


def only_problem(text: str) -> str:
    found = problems(parse(text))
    assert len(found) == 1, found
    return found[0]


# Encodings


@pytest.mark.parametrize("bom", [b"", b"\xef\xbb\xbf"])
def test_utf8_with_or_without_bom(bom):
    data = bom + (OURS + f"Dewi Sartika,dewi@perpusnas.go.id,Perpusnas,Pustakawan,{NIP}\n").encode()

    roster = parse_roster(data)

    assert roster.ok, problems(roster)
    assert roster.columns == ["nama", "email", "instansi", "jabatan", "nip"]
    assert roster.rows == [
        RosterRow(
            line=2,
            email="dewi@perpusnas.go.id",
            full_name="Dewi Sartika",
            institution="Perpusnas",
            position="Pustakawan",
            nip=NIP,
            username=None,
            cohort=None,
        )
    ]


def test_windows_1252_file_from_excel_is_read():
    text = "nama;email;instansi;jabatan\nJosé Müller;jose@example.org;Perpustakaan “Nusantara”;\n"

    roster = parse(text, "cp1252")

    assert roster.ok, problems(roster)
    assert roster.rows[0].full_name == "José Müller"
    assert roster.rows[0].institution == "Perpustakaan “Nusantara”"


@pytest.mark.parametrize(
    ("data", "line"),
    [
        (b"\x00\x01\x02\x81\x8d\x8f", 1),  # undefined in Windows-1252 too
        (b"nama,email\x00,instansi\n", 1),  # control characters: not text
        (b"nama,email,instansi,jabatan\nBudi,b@x.org,\x01P,\n", 2),
        (bytes(range(256)), 3),  # where the bytes stop being UTF-8, after \n and \r
    ],
)
def test_bytes_that_are_not_text_are_reported_at_their_line_not_guessed(data, line):
    roster = parse_roster(data)

    assert len(roster.problems) == 1
    assert roster.problems[0].line == line
    assert "the file is not text" in roster.problems[0].message
    assert roster.problems[0].message.endswith("save it as CSV UTF-8")
    assert roster.rows == []
    assert not roster.ok


def test_excel_workbook_is_named_as_such():
    assert problems(parse_roster(b"PK\x03\x04\x14\x00\x06\x00")) == [
        "line 0: this is an Excel workbook, not CSV; save it as CSV UTF-8"
    ]


# Delimiters, quoting, line numbers


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_comma_semicolon_and_tab(delimiter):
    lines = [
        ["full_name", "email", "institution", "position"],
        ["Budi Santoso", "budi@example.org", "Perpusda Jawa Barat", "Pustakawan Ahli Muda"],
    ]
    text = "\n".join(delimiter.join(cells) for cells in lines) + "\n"

    roster = parse(text)

    assert roster.ok, problems(roster)
    assert roster.delimiter == delimiter
    assert roster.rows[0].position == "Pustakawan Ahli Muda"


def test_quoted_fields_keep_delimiters_quotes_and_newlines_and_physical_lines():
    text = (
        "nama;email;instansi;jabatan\r\n"
        '"Santoso; Budi";budi@example.org;"Perpustakaan ""Bung Karno""";Kepala\r\n'
        "\r\n"
        'Siti Aminah;siti@example.org;"Dinas Perpustakaan\r\nKota Bandung";"Pustakawan\n'
        "\n"
        'Ahli"\r\n'
        "Ani;ani@;Perpusnas;\r\n"
    )

    roster = parse(text)

    assert [row.line for row in roster.rows] == [2, 4]
    assert roster.rows[0].full_name == "Santoso; Budi"
    assert roster.rows[0].institution == 'Perpustakaan "Bung Karno"'
    assert roster.rows[1].institution == "Dinas Perpustakaan Kota Bandung"
    assert roster.rows[1].position == "Pustakawan Ahli"
    assert problems(roster) == ["line 8: email 'ani@' is not a valid address"]


def test_old_mac_line_endings_count_as_lines():
    roster = parse("nama,email,instansi,jabatan\rBudi,budi@example.org,Perpusnas,\r\rx,,,\r")

    assert [row.line for row in roster.rows] == [2]
    assert problems(roster)[0].startswith("line 4: full name 'x' is too short")


def test_empty_lines_and_rows_of_empty_cells_are_skipped():
    text = "\n\nnama;email;instansi;jabatan\n;;;\n\n  \nBudi;budi@example.org;Perpusnas;\n;;;\n"

    roster = parse(text)

    assert roster.ok, problems(roster)
    assert [row.line for row in roster.rows] == [7]


def test_unclosed_quote_is_reported_where_its_record_starts():
    text = OURS + 'Budi,budi@example.org,Perpusnas,,\n"Siti,siti@example.org,Perpusnas,,\n'

    assert only_problem(text).startswith("line 3: a quoted cell is never closed")


def test_text_after_a_closing_quote_is_reported():
    text = OURS + 'Budi,budi@example.org,"Perpus"nas,,\nSiti,siti@example.org,Perpusnas,,\n'

    roster = parse(text)

    assert problems(roster) == [
        "line 2: badly quoted cell (',' expected after '\"'); "
        'a quote inside a cell must be doubled ("")'
    ]
    assert [row.line for row in roster.rows] == [3]


def test_runaway_cell_past_the_csv_field_limit_is_reported():
    text = OURS + 'Budi,budi@example.org,"' + "x" * 200_000 + "\nSiti,siti@example.org,P,,\n"

    assert problems(parse(text))[0].startswith("line 2: a cell is far too long")


def test_trailing_delimiters_from_excel_are_harmless():
    text = "nama;email;instansi;jabatan;;\nBudi;budi@example.org;Perpusnas;;;\n"

    roster = parse(text)

    assert roster.ok, problems(roster)
    assert roster.columns == ["nama", "email", "instansi", "jabatan", "", ""]


# Layouts and column names


def test_moodle_upload_file():
    text = (
        "username,firstname,lastname,email,institution,department,cohort1,idnumber,city,phone1\n"
        "budi,Budi,Santoso,Budi@Example.org,Perpusnas,Pustakawan,ANGK-3,"
        f"{NIP},Jakarta,0812\n"
        "sukarni,Sukarni,,sukarni@example.org,Perpusda Jatim,,ANGK-3,12345,,\n"
    )

    roster = parse(text)

    assert roster.ok, problems(roster)
    assert roster.format == "moodle"
    budi, sukarni = roster.rows
    assert budi == RosterRow(
        line=2,
        email="budi@example.org",
        full_name="Budi Santoso",
        institution="Perpusnas",
        position="Pustakawan",
        nip=NIP,
        username="budi",
        cohort="ANGK-3",
    )
    # One name only, as many Indonesians have; an idnumber that is no NIP is no problem.
    assert (sukarni.full_name, sukarni.nip, sukarni.position) == ("Sukarni", None, "")


def test_moodle_file_needs_the_four_columns_moodle_requires():
    roster = parse("firstname,email,institution\nSukarni,sukarni@example.org,Perpusnas\n")

    assert problems(roster) == [
        "line 1: missing column username",
        "line 1: missing column lastname",
    ]
    assert roster.rows == []


def test_moodle_columns_that_do_not_apply_are_one_warning_and_the_file_imports():
    text = (
        "username,password,firstname,lastname,email,auth,course1,group1,role1,enrolperiod1,"
        "enrolstatus1,profile_field_unit,Catatan\n"
        "b,rahasia,Budi,,b@example.org,manual,angkatan-3,Kelas A,student,10,0,Layanan,x\n"
        "c,rahasia,Cici,,c@ex.org,manual,,,,,,,\n"
    )

    roster = parse(text, cohort=("angkatan-3", "Angkatan III"))

    assert roster.ok, problems(roster)
    assert [str(w) for w in roster.warnings] == [
        "line 1: ignored, as they do not apply here: password, auth, group1, role1,"
        " enrolperiod1, enrolstatus1, profile_field_unit, Catatan"
    ]
    assert [(r.full_name, r.cohort, r.institution) for r in roster.rows] == [
        ("Budi", "angkatan-3", ""), ("Cici", None, "")]


@pytest.mark.parametrize(
    "header",
    [
        "full_name,email,institution,position",
        "Nama,Email,Instansi,Jabatan",
        " NAMA_LENGKAP ; EMAIL ; INSTANSI ; JABATAN ",
        "Name\tEmail\tInstitution\tPosition",
        "No,Nama Lengkap,Email,Instansi,Jabatan,Cohort",
        "email,jabatan,instansi,nama",
    ],
)
def test_our_column_names_in_any_case_order_and_alias(header):
    delimiter = ";" if ";" in header else "\t" if "\t" in header else ","
    names = [name.strip().lower() for name in header.split(delimiter)]
    values = {
        "no": "1",
        "email": "dewi@example.org",
        "jabatan": "Pranata",
        "position": "Pranata",
        "instansi": "Perpusnas",
        "institution": "Perpusnas",
        "cohort": "A1",
    }
    row = delimiter.join(values.get(name, "Dewi Sartika") for name in names)

    roster = parse(f"{header}\n{row}\n")

    assert roster.ok, problems(roster)
    assert roster.format == "lms"
    assert (roster.rows[0].full_name, roster.rows[0].position) == ("Dewi Sartika", "Pranata")


def test_optional_nip_and_cohort_columns():
    text = "nama,email,instansi,jabatan,nip,cohort\nBudi,b@example.org,P,,,\n"

    row = parse(text).rows[0]

    assert (row.nip, row.cohort, row.username) == (None, None, None)


def test_nip_written_in_groups_is_read_as_digits():
    text = OURS + "Budi,b@example.org,Perpusnas,,19800101 200501 1 001\n"

    assert parse(text).rows[0].nip == NIP


def test_mixed_header_matching_neither_layout():
    text = "nama,firstname,email,kantor,instansi,jabatan\n"

    message = only_problem(text)

    assert message.startswith("line 1: unknown columns: firstname, kantor; expected Moodle's")
    assert message.endswith("or full_name, email, institution, position, nip")


def test_header_with_no_known_column_at_all():
    assert only_problem("foo;bar\n1;2\n").startswith("line 1: unknown columns: foo, bar; expected")


@pytest.mark.parametrize(
    ("header", "message"),
    [
        ("nama,email,jabatan", "line 1: missing column institution or instansi"),
        ("firstname,lastname,email", "line 1: missing column username"),
        (
            "nama,name,email,instansi,jabatan",
            "line 1: columns nama and name both hold the full name",
        ),
        ("nama,email,email,instansi,jabatan", "line 1: column email appears twice"),
        (
            "Daftar Peserta Angkatan 3\n\nnama,email,instansi,jabatan",
            "line 1: the column names are on line 3; remove the lines above them",
        ),
    ],
)
def test_header_problems(header, message):
    assert only_problem(f"{header}\nBudi,budi@example.org,Perpusnas,\n") == message


def test_empty_file_and_file_without_participants():
    assert problems(parse_roster(b"")) == ["line 0: the file is empty"]
    assert problems(parse_roster(b"\xef\xbb\xbf\r\n \n")) == ["line 0: the file is empty"]
    assert problems(parse(OURS + "\n,,,,\n")) == ["line 1: no participants in the file"]


# Problems in rows, each with its line


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("Budi,budi@,Perpusnas,,", "email 'budi@' is not a valid address"),
        ("Budi,budi example.org,Perpusnas,,", "email 'budi example.org' is not a valid address"),
        ("Budi,budi@example,Perpusnas,,", "email 'budi@example' is not a valid address"),
        ("Budi,b..i@example.org,Perpusnas,,", "email 'b..i@example.org' is not a valid address"),
        ("Budi,,Perpusnas,,", "email is empty"),
        (",budi@example.org,Perpusnas,,", "full name is empty"),
        ("   ,budi@example.org,Perpusnas,,", "full name is empty"),
        ("B,budi@example.org,Perpusnas,,", "full name 'B' is too short"),
        ("Budi,budi@example.org,,,", "institution is empty"),
        ("Budi,budi@example.org,Perpusnas,,1980010120050110", "NIP must be 18 digits (got 16)"),
        ("Budi,budi@example.org,Perpusnas,,19800101200501100A", "NIP must be 18 digits (got"),
        ("Budi,budi@example.org,Perpusnas,,1.98001E+17", "NIP 1.98001E+17 was turned into"),
        ('"=HYPERLINK(""http://x"")",b@example.org,P,,', "full name looks like a spreadsheet"),
        ("Budi,budi@example.org,=1+1,,", "institution looks like a spreadsheet formula"),
        ("Budi,budi@example.org,Perpusnas,,,surplus", "cell 6 has a value but no column name"),
        (
            f"Budi,budi@example.org,{'P' * 201},,",
            "instansi is longer than 200 characters (got 201)",
        ),
    ],
)
def test_row_problem_names_its_line(row, message):
    text = OURS + "Ani Rahayu,ani@example.org,Perpusnas,,\n\n" + row + "\n"

    roster = parse(text)

    assert [problem.line for problem in roster.problems] == [4]
    assert problems(roster)[0].startswith(f"line 4: {message}")
    assert [row.line for row in roster.rows] == [2]
    assert not roster.ok


def test_nip_is_named_with_what_was_given():
    text = OURS + "Budi,budi@example.org,Perpusnas,,12345678901234567\n"

    assert only_problem(text) == "line 2: NIP must be 18 digits (got 17)"


def test_every_problem_of_a_row_is_reported():
    roster = parse(OURS + "=A1,budi@,,,123\n")

    assert problems(roster) == [
        "line 2: full name looks like a spreadsheet formula",
        "line 2: email 'budi@' is not a valid address",
        "line 2: institution is empty",
        "line 2: NIP must be 18 digits (got 3)",
    ]


def test_overlong_cell_is_reported_once_not_also_as_invalid():
    roster = parse(OURS + f"Budi,{'b' * 240}@example.org,Perpusnas,,\n")

    assert problems(roster) == ["line 2: email is longer than 200 characters (got 252)"]


def test_formula_looking_cells_are_kept_as_given_elsewhere():
    text = "nama,email,instansi,jabatan,cohort\n@Budi,budi@example.org,Perpusnas,-Kepala,+A1\n"

    row = parse(text).rows[0]

    assert (row.full_name, row.position, row.cohort) == ("@Budi", "-Kepala", "+A1")


def test_names_are_single_spaced_and_emails_lowercased():
    text = OURS + '"  Siti \u00a0\tNur  Aminah ", SITI@Example.ORG ,"Perpus  Kota",,\n'

    row = parse(text).rows[0]

    assert (row.full_name, row.email, row.institution) == (
        "Siti Nur Aminah",
        "siti@example.org",
        "Perpus Kota",
    )


def test_duplicate_emails_name_both_lines():
    text = (
        OURS
        + "Budi,budi@example.org,Perpusnas,,\n"
        + "Siti,siti@example.org,Perpusnas,,\n"
        + "Budi S,BUDI@example.org,Perpusda,,\n"
        + "Budi T,budi@example.org,Perpusda,,\n"
    )

    roster = parse(text)

    assert problems(roster) == [
        "line 4: email budi@example.org also on line 2",
        "line 5: email budi@example.org also on line 2",
    ]
    assert [row.line for row in roster.rows] == [2, 3]


def test_duplicate_is_found_even_when_the_first_row_has_other_problems():
    text = OURS + "Budi,budi@example.org,,,\nBudi,budi@example.org,Perpusnas,,\n"

    assert problems(parse(text)) == [
        "line 2: institution is empty",
        "line 3: email budi@example.org also on line 2",
    ]


def test_duplicate_moodle_usernames():
    text = MOODLE + "budi,Budi,,b1@example.org,P1,,\nBUDI,Budi,,b2@example.org,P1,,\n"

    assert only_problem(text) == "line 3: username BUDI also on line 2"


def test_more_rows_than_allowed_is_one_problem():
    text = OURS + "".join(f"Peserta {n},p{n}@example.org,Perpusnas,,\n" for n in range(12))

    assert problems(parse(text, max_rows=12)) == []
    assert problems(parse(text, max_rows=10)) == [
        "line 12: more than 10 participants; split the file"
    ]


def test_problem_prints_its_line():
    assert str(RosterProblem(7, "email 'budi@' is not a valid address")) == (
        "line 7: email 'budi@' is not a valid address"
    )


# Properties

_PIECES = [OURS, MOODLE, "nama", "email", "firstname", ",", ";", "\t", '"', "\n", "\r", " "]
_PIECES += ["=", "a@b.co", NIP, "\ufeff", "é", "x", "P" * 201]


@settings(max_examples=300, deadline=None)
@given(
    st.one_of(
        st.binary(max_size=400),
        st.text(max_size=300).map(str.encode),
        st.lists(st.sampled_from(_PIECES), max_size=60).map(lambda parts: "".join(parts).encode()),
    )
)
def test_any_bytes_give_a_roster_with_located_problems(data):
    roster = parse_roster(data, max_rows=5)

    assert isinstance(roster, Roster)
    assert all(problem.line >= 0 for problem in roster.problems)
    assert roster.ok == (bool(roster.rows) and not roster.problems)
    assert len(roster.rows) <= 5


_CELL = st.text(
    st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp")), min_size=2, max_size=30
).filter(lambda text: len(" ".join(text.split())) >= 2 and not text.lstrip().startswith("="))


@settings(max_examples=100, deadline=None)
@given(
    st.lists(st.tuples(_CELL, _CELL, _CELL), min_size=1, max_size=8),
    st.sampled_from([",", ";", "\t"]),
    st.booleans(),
)
def test_what_a_spreadsheet_writes_reads_back(people, delimiter, bom):
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(["Nama", "Email", "Instansi", "Jabatan"])
    for number, (name, institution, position) in enumerate(people):
        writer.writerow([name, f"p{number}@example.org", institution, position])
    data = ("\ufeff" if bom else "") + out.getvalue()

    roster = parse_roster(data.encode())

    assert roster.ok, problems(roster)
    assert roster.delimiter == delimiter
    assert [row.line for row in roster.rows] == list(range(2, len(people) + 2))
    for row in roster.rows:
        name, institution, position = people[row.line - 2]
        assert row.full_name == " ".join(name.split())
        assert row.institution == " ".join(institution.split())
        assert row.position == " ".join(position.split())
