"""The final_grade section of a program file: weights, sources and predikat bands are
checked with path:line problems (pure: YAML text in, no app)."""

from __future__ import annotations

import textwrap

from lms.records.programfile import check_program_records
from lms.sources import parse_yaml

GOOD = """\
id: diklat
final_grade:
  components:
    - {source: posttests, weight: 40}
    - {source: assignments, weight: 20}
    - {source: assignment, assignment: kertas-kerja, label: Kertas kerja, weight: 20}
    - {source: attendance, weight: 10}
    - {source: participation, weight: 10}
  predikat:
    - {from: 90, to: 100, label: Sangat Memuaskan}
    - {from: 80, to: 90, label: Memuaskan}
    - {from: 0, to: 80, label: Cukup}
"""


def check(text: str):
    return check_program_records(parse_yaml(textwrap.dedent(text)), "diklat.yml")


def messages(text: str) -> list[str]:
    return [str(p) for p in check(text)[1]]


def test_a_good_section_gives_settings_with_bands_highest_first():
    settings, problems = check(GOOD)
    assert problems == []
    grade = settings["final_grade"]
    assert [c["weight"] for c in grade["components"]] == [40, 20, 20, 10, 10]
    assert [b["label"] for b in grade["predikat"]] == ["Sangat Memuaskan", "Memuaskan", "Cukup"]


def test_a_program_without_the_section_has_no_settings():
    assert check("id: diklat\n") == ({}, [])


def test_weights_summing_to_99_are_refused_at_the_components_line():
    assert messages(GOOD.replace("weight: 40", "weight: 39")) == [
        "diklat.yml:3: the weights of the final grade add up to 99, not 100"]


def test_a_gap_between_bands_names_both_bands_and_the_grades():
    text = GOOD.replace("{from: 80, to: 90", "{from: 81, to: 90")
    assert messages(text) == [
        "diklat.yml:11: gap between the bands 'Cukup' and 'Memuaskan': no predikat for "
        "grades from 80 to 81"]


def test_overlapping_bands_and_bands_not_reaching_0_or_100_are_refused():
    overlap = GOOD.replace("{from: 0, to: 80", "{from: 0, to: 85")
    assert messages(overlap) == [
        "diklat.yml:11: the bands 'Cukup' and 'Memuaskan' overlap from 80 to 85"]
    short = GOOD.replace("{from: 90, to: 100", "{from: 90, to: 99")
    assert messages(short) == [
        "diklat.yml:10: no predikat for grades from 99 to 100: the bands must end at 100"]
    late = GOOD.replace("{from: 0, to: 80", "{from: 5, to: 80")
    assert messages(late) == [
        "diklat.yml:12: no predikat for grades from 0 to 5: the bands must start at 0"]


def test_the_pretest_and_unknown_sources_cannot_count():
    text = GOOD.replace("{source: participation, weight: 10}", "{source: pretest, weight: 10}")
    found = messages(text)
    assert len(found) == 1
    assert found[0].startswith("diklat.yml:8: 'pretest' cannot count in the final grade")
    unknown = messages(GOOD.replace("source: attendance", "source: kehadiran"))
    assert unknown[0].startswith("diklat.yml:7: unknown source 'kehadiran'")


def test_an_assignment_component_must_name_its_assignment():
    text = GOOD.replace("assignment: kertas-kerja, ", "")
    assert messages(text) == [
        "diklat.yml:6: a component with source 'assignment' names its assignment "
        "(assignment: <id>), and only it does"]


def test_mistyped_keys_are_named_by_line():
    found = messages(GOOD.replace("weight: 20}", "weight: dua puluh}", 1))
    assert found == ["diklat.yml:5: 'weight' must be a number from 0 to 100"]


APPLICATION = """\
id: diklat
application:
  fields:
    - {id: nip, label: NIP, pattern: '[0-9]{18}'}
    - {id: provinsi, label: Provinsi, kind: choice, choices: [Bali, Papua]}
  documents:
    - {id: surat-tugas, label: Surat tugas, types: [pdf], max_size_mb: 2}
"""


def test_an_application_section_gives_its_fields_and_documents():
    settings, problems = check(APPLICATION)
    assert problems == []
    application = settings["application"]
    assert [f["id"] for f in application["fields"]] == ["nip", "provinsi"]
    assert application["documents"][0]["types"] == ["pdf"]
    assert application["documents"][0]["required"] is True


def test_application_mistakes_are_named_by_line():
    text = (APPLICATION.replace("types: [pdf]", "types: [exe]")
            .replace("max_size_mb: 2", "max_size_mb: 50")
            .replace(", choices: [Bali, Papua]", "")
            .replace("'[0-9]{18}'", "'[0-9'"))
    found = messages(text)
    assert found[0].startswith("diklat.yml:4: 'pattern' is not a valid regular expression")
    assert found[1] == "diklat.yml:5: a choice field lists its choices (choices: [..., ...])"
    assert found[2] == ("diklat.yml:7: unknown file types exe "
                        "(allowed: pdf, docx, pptx, xlsx, odt, ods, odp, jpg, png)")
    assert found[3] == "diklat.yml:7: 'max_size_mb' must be from 1 to 20"
