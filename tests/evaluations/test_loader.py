"""Survey files: the shipped standard survey, and every mistake named as path:line."""

import textwrap
from pathlib import Path

import pytest

from lms.evaluations.loader import load_survey, load_surveys

REPO_CONTENT = Path(__file__).resolve().parents[2] / "course_content"

GOOD = """\
id: contoh
title: Evaluasi Contoh
scale:
  - value: 1
    label: Kurang
  - value: 2
    label: Cukup
  - value: 3
    label: Baik
instructor_items:
  - id: penguasaan
    text: Penguasaan materi
organiser_items:
  - id: jadwal
    text: Jadwal pelatihan
open_questions:
  - id: saran
    text: Saran Anda
"""


def write(tmp_path: Path, text: str, name: str = "contoh.yml") -> Path:
    folder = tmp_path / "_surveys"
    folder.mkdir(exist_ok=True)
    path = folder / name
    path.write_text(textwrap.dedent(text))
    return path


def problems_of(tmp_path: Path, text: str) -> list[str]:
    path = write(tmp_path, text)
    return [str(p).removeprefix(str(path.parent) + "/") for p in load_survey(path).problems]


def test_the_standard_survey_ships_valid():
    surveys, problems = load_surveys(REPO_CONTENT)
    assert problems == []
    survey = next(s for s in surveys if s.id == "evaluasi-diklat")
    assert survey.anonymous is True
    assert [s.value for s in survey.scale] == [1, 2, 3, 4, 5]
    assert survey.scale[0].label == "Sangat kurang"
    assert survey.scale[-1].label == "Sangat baik"
    assert [i.id for i in survey.instructor_items] == [
        "penguasaan-materi", "sistematika-penyampaian", "ketepatan-waktu",
        "menjawab-pertanyaan", "media-dan-contoh", "sikap-dan-motivasi"]
    assert [i.id for i in survey.organiser_items] == [
        "informasi-penyelenggaraan", "jadwal", "platform-daring", "dukungan-panitia",
        "kesesuaian-materi", "manfaat-pelatihan"]
    assert [q.id for q in survey.open_questions] == [
        "saran-pengajar", "saran-penyelenggara", "paling-bermanfaat", "rencana-penerapan"]
    assert not any(q.required for q in survey.open_questions)


def test_a_good_file_loads(tmp_path):
    surveys, problems = load_surveys(tmp_path / "missing")
    assert (surveys, problems) == ([], [])
    write(tmp_path, GOOD)
    surveys, problems = load_surveys(tmp_path)
    assert problems == []
    assert surveys[0].to_dict()["open_questions"] == [
        {"id": "saran", "text": "Saran Anda", "required": False}]


@pytest.mark.parametrize(("text", "expected"), [
    (GOOD + "colour: red\n",
     ["contoh.yml:19: unknown key 'colour' (allowed: id, title, description, anonymous, "
      "scale, instructor_items, organiser_items, open_questions)"]),
    (GOOD.replace("  - id: jadwal\n", "  - ident: jadwal\n"),
     ["contoh.yml:14: unknown key 'ident' (allowed: id, text)",
      "contoh.yml:14: missing required key 'id'"]),
    (GOOD.replace("id: jadwal", "id: penguasaan"),
     ["contoh.yml:14: item id 'penguasaan' is already used on line 11"]),
    (GOOD.replace("id: saran", "id: Saran Anda"),
     ["contoh.yml:17: item id 'Saran Anda' must be lowercase letters, digits and hyphens "
      "(at most 80 characters)"]),
    (GOOD.replace("value: 3", "value: 4"),
     ["contoh.yml:8: scale value 4 should be 3: the scale counts 1, 2, 3 ... from the "
      "lowest answer up"]),
    (GOOD.replace("label: Cukup", "label: kurang"),
     ["contoh.yml:7: scale label 'kurang' is already used on line 5"]),
    (GOOD.replace("  - value: 3\n    label: Baik\n", ""),
     ["contoh.yml:3: the scale has 2 steps; it needs 3 to 10 (1 to 4 or 1 to 5 are usual)"]),
    (GOOD.replace("  - value: 2\n", "  - value: dua\n"),
     ["contoh.yml:6: 'value' must be a whole number"]),
    (GOOD + "anonymous: false\n",
     ["contoh.yml:19: 'anonymous' must be true: answers are never stored with a name"]),
    (GOOD.replace("text: Jadwal pelatihan", "text: ''"),
     ["contoh.yml:15: 'text' must not be empty"]),
    (GOOD.replace("title: Evaluasi Contoh\n", ""),
     ["contoh.yml:1: missing required key 'title'"]),
    (GOOD.replace("    text: Saran Anda\n", "    text: Saran Anda\n    required: ya\n"),
     ["contoh.yml:19: 'required' must be true or false"]),
    (GOOD.replace("scale:\n", "scale: [\n"), None),
])
def test_mistakes_are_named_by_line(tmp_path, text, expected):
    found = problems_of(tmp_path, text)
    if expected is None:  # a YAML syntax error: one problem, with a line
        assert len(found) == 1
        assert found[0].startswith("contoh.yml:")
        assert "YAML error" in found[0]
    else:
        assert found == expected


def test_a_survey_needs_ratings(tmp_path):
    text = GOOD.split("instructor_items:")[0] + "open_questions:\n  - id: saran\n    text: S\n"
    assert problems_of(tmp_path, text) == [
        "contoh.yml:1: a survey needs at least one item in 'instructor_items' or "
        "'organiser_items'"]


def test_two_files_with_one_id_and_stray_files(tmp_path):
    write(tmp_path, GOOD, "a.yml")
    write(tmp_path, GOOD, "b.yml")
    write(tmp_path, "catatan", "catatan.txt")
    surveys, problems = load_surveys(tmp_path)
    assert [s.path.rsplit("/", 1)[1] for s in surveys] == ["a.yml"]
    folder = str(tmp_path / "_surveys") + "/"
    assert [str(p).replace(folder, "") for p in problems] == [
        "b.yml:1: survey id 'contoh' is already used by a.yml",
        "catatan.txt:0: only survey files (.yml) belong here"]


def test_the_version_digest_follows_meaning_not_bytes(tmp_path):
    first = load_survey(write(tmp_path, GOOD)).digest
    assert load_survey(write(tmp_path, "# komentar\n" + GOOD + "\n\n")).digest == first
    assert load_survey(write(tmp_path, GOOD.replace("Jadwal pelatihan",
                                                    "Jadwal"))).digest != first


def test_a_survey_file_is_read_like_every_content_file(tmp_path):
    """Windows line endings, a byte-order mark and a file above 1 MB are refused by line, as
    in course files (lms/sources.read_text), not parsed as if nothing were wrong."""
    path = write(tmp_path, GOOD.replace("\n", "\r\n"))
    assert [str(p).removeprefix(str(path.parent) + "/") for p in load_survey(path).problems] \
        == ["contoh.yml:1: Windows line endings (CR LF); save the file with Unix line "
            "endings (LF)"]
    path.write_bytes(b"\xef\xbb\xbf" + GOOD.encode())
    assert "byte-order mark" in str(load_survey(path).problems[0])
    path.write_text(GOOD + "# " + "x" * (1024 * 1024) + "\n", encoding="utf-8")
    assert "a text file may be at most 1 MB" in str(load_survey(path).problems[0])
