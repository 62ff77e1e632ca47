"""`lms content check`'s checks and the bad input of issue 17: each gives `path:line:
message`, refuses its own item and lets the rest of the course load. Pure: no app."""

import os
import textwrap
from pathlib import Path

import pytest

from lms.content import load_tree
from lms.content.lint import cut_values
from tests.conftest import write_course

QUIZ = """\
id: kuis
title: Kuis
kind: practice
questions:
  - id: q1
    type: single
    text: Pilih satu.
    choices:
      - text: A
        correct: true
      - text: B
"""


def course_of(root: Path, course_id: str = "contoh"):
    tree = load_tree(root)
    return tree, next(c for c in tree.courses if c.id == course_id)


def messages(tree) -> list[str]:
    return [str(p) for p in tree.all_problems()]


def test_a_hash_in_an_unquoted_value_warns_with_the_fix():
    warnings = cut_values("text: Pakai tagar #perpustakaan\nok: \"tagar #aman\"\nn: 3 # x\n",
                          "kuis.yml")
    assert [w.line for w in warnings] == [1]
    message = warnings[0].message
    assert "'Pakai tagar'" in message
    assert "#perpustakaan" in message
    assert "quote the value" in message
    assert "block scalar" in message


def test_the_warning_names_quiz_and_front_matter_lines(tmp_path):
    base = write_course(tmp_path, "contoh", 2)
    (base / "quizzes").mkdir()
    (base / "quizzes" / "kuis.yml").write_text(QUIZ.replace("text: B", "text: B #salah"))
    module = base / "modules" / "01-modul.md"
    module.write_text(module.read_text().replace("title: Modul 1", "title: Modul #1"))
    tree = load_tree(tmp_path, check=True)
    assert not tree.all_problems()  # warnings never refuse anything
    lines = {(Path(w.path).name, w.line) for w in tree.all_warnings()}
    assert lines == {("kuis.yml", 11), ("01-modul.md", 3)}


def test_single_with_two_correct_choices_is_refused_alone(tmp_path):
    base = write_course(tmp_path, "contoh", 2)
    (base / "quizzes").mkdir()
    (base / "quizzes" / "baik.yml").write_text(QUIZ.replace("id: kuis", "id: baik"))
    (base / "quizzes" / "dua.yml").write_text(
        QUIZ.replace("id: kuis", "id: dua")
        .replace("- text: B", "- text: B\n        correct: true"))
    tree, course = course_of(tmp_path)
    assert messages(tree) == [
        f"{tmp_path}/contoh/quizzes/dua.yml:8: a 'single' question needs exactly one correct "
        "choice, 2 are marked correct; use type 'multiple' or keep one 'correct: true'"]
    assert [q.id for q in course.quizzes] == ["baik"]
    assert course.refused["quizzes"].ids == {"dua"}
    assert course.ok
    assert len(course.modules) == 2


def test_link_and_image_to_a_missing_asset(tmp_path):
    base = write_course(tmp_path, "contoh", 2)
    module = base / "modules" / "02-modul.md"
    module.write_text(module.read_text() + "\n![Peta](../assets/peta.png)\n\n"
                      "[Formulir](../assets/formulir.pdf)\n")
    tree, course = course_of(tmp_path)
    found = messages(tree)
    assert any(m.endswith("02-modul.md:28: image 'peta.png' does not exist in assets/")
               for m in found), found
    assert any("02-modul.md:30: link to asset '../assets/formulir.pdf' which does not exist"
               in m for m in found), found
    assert [m.id for m in course.modules] == ["contoh-m1"]
    assert course.refused["modules"].ids == {"contoh-m2"}


def test_empty_table_header_cell(tmp_path):
    base = write_course(tmp_path, "contoh", 2)
    module = base / "modules" / "01-modul.md"
    module.write_text(module.read_text().replace("| Kolom | Nilai |", "| | Nilai |"))
    tree, course = course_of(tmp_path)
    assert messages(tree) == [
        f"{tmp_path}/contoh/modules/01-modul.md:18: table header cell 1 is empty; every "
        "column needs a heading so screen readers can name it"]
    assert [m.id for m in course.modules] == ["contoh-m2"]


def test_front_matter_and_body_problems_come_out_in_one_pass(tmp_path):
    base = write_course(tmp_path, "contoh", 2)
    module = base / "modules" / "01-modul.md"
    module.write_text(module.read_text().replace("minutes: 90", "minutes: tiga puluh")
                      .replace("| Kolom | Nilai |", "| | Nilai |")
                      + "\n::video[Klip](https://example.com/v.mp4)\n")
    tree, _course = course_of(tmp_path)
    lines = [(Path(p.path).name, p.line) for p in tree.all_problems()]
    assert lines == [("01-modul.md", 4), ("01-modul.md", 18), ("01-modul.md", 28)]


def test_check_prints_every_problem_sorted_with_a_summary(app, runner, content_dir):
    base = write_course(content_dir, "contoh", 2)
    write_course(content_dir, "lain", 1)
    (base / "modules" / "02-modul.md").write_text("tanpa front matter\n")
    (content_dir / "lain" / "modules" / "01-modul.md").write_bytes(
        b"\xef\xbb\xbf" + (content_dir / "lain" / "modules" / "01-modul.md").read_bytes())
    module = base / "modules" / "01-modul.md"
    module.write_text(module.read_text() + "\n[x](../assets/tidak-ada.pdf)\n")
    result = runner.invoke(args=["content", "check"])
    assert result.exit_code == 1
    lines = [line for line in result.stdout.splitlines() if ": " in line]
    # Both courses lose every module, so course.yml says so too; nothing hides anything.
    assert len(lines) == 5, result.output
    assert lines == sorted(lines, key=lambda s: (s.split(":")[0], int(s.split(":")[1])))
    assert "tidak-ada.pdf" in lines[1]
    assert "missing front matter" in lines[2]
    assert "5 problems in 5 files" in result.output


# ---- bad input: each refused alone, with path:line: message ----

def test_video_from_a_provider_not_on_the_list(tmp_path):
    base = write_course(tmp_path, "contoh", 2)
    module = base / "modules" / "02-modul.md"
    module.write_text(module.read_text() + "\n::video[Klip](https://www.dailymotion.com/video/x8)\n")
    tree, course = course_of(tmp_path)
    assert messages(tree) == [
        f"{tmp_path}/contoh/modules/02-modul.md:28: video "
        "'https://www.dailymotion.com/video/x8' is not from an allowed provider (YouTube, "
        "Vimeo); paste the video's https address from one of them"]
    assert [m.id for m in course.modules] == ["contoh-m1"]


def test_video_providers_are_configurable(tmp_path):
    base = write_course(tmp_path, "contoh", 2)
    module = base / "modules" / "02-modul.md"
    module.write_text(module.read_text() + "\n::video[Klip](https://vimeo.com/76979871)\n")
    assert not load_tree(tmp_path).all_problems()
    assert "not from an allowed provider (YouTube)" in messages(
        load_tree(tmp_path, videos=("youtube",)))[0]


def test_download_with_a_wrong_extension_or_content(tmp_path):
    base = write_course(tmp_path, "contoh", 1)
    (base / "assets" / "program.exe").write_bytes(b"MZ")
    (base / "assets" / "panduan.pdf").write_bytes(b"PK\x03\x04 not a pdf")
    (base / "assets" / "kalender.xlsx").write_bytes(b"PK\x03\x04 fine")
    tree, course = course_of(tmp_path)
    found = messages(tree)
    assert f"{tmp_path}/contoh/assets/panduan.pdf:0: file content is not a PDF file; export it " \
           "again or fix its extension" in found
    assert any(m.startswith(f"{tmp_path}/contoh/assets/program.exe:0: assets must be images")
               for m in found)
    assert set(course.assets) == {"diagram.svg", "kalender.xlsx"}
    assert course.ok
    assert len(course.modules) == 1


def test_download_over_the_limit(tmp_path):
    base = write_course(tmp_path, "contoh", 1)
    with (base / "assets" / "besar.pdf").open("wb") as out:
        out.write(b"%PDF-1.4\n")
        out.truncate(11 * 1024 * 1024)
    tree, course = course_of(tmp_path)
    assert messages(tree) == [f"{tmp_path}/contoh/assets/besar.pdf:0: asset is 11.0 MB, above "
                              "the limit of 10 MB for .pdf files"]
    assert "besar.pdf" not in course.assets
    assert course.ok


def test_image_over_the_limit(tmp_path):
    base = write_course(tmp_path, "contoh", 1)
    (base / "assets" / "foto.png").write_bytes(b"\x89PNG" + b"0" * (3 * 1024 * 1024))
    assert messages(load_tree(tmp_path)) == [
        f"{tmp_path}/contoh/assets/foto.png:0: asset is 3.0 MB, above the limit of 2 MB for "
        ".png files"]


def test_glossary_term_defined_twice(tmp_path):
    base = write_course(tmp_path, "contoh", 1)
    (base / "glossary.yml").write_text(textwrap.dedent("""\
        terms:
          - term: Tagar
            definition: Kata berawalan #.
          - term: tagar
            definition: Lagi.
        """))
    tree, course = course_of(tmp_path)
    assert messages(tree) == [f"{tmp_path}/contoh/glossary.yml:4: term 'tagar' is already "
                              "defined on line 2"]
    assert course.glossary is None
    assert course.ok
    assert len(course.modules) == 1


def test_a_two_megabyte_module(tmp_path):
    base = write_course(tmp_path, "contoh", 2)
    module = base / "modules" / "02-modul.md"
    module.write_text(module.read_text() + ("kata " * 420_000))
    tree, course = course_of(tmp_path)
    assert messages(tree) == [f"{tmp_path}/contoh/modules/02-modul.md:1: file is 2.0 MB; a "
                              "text file may be at most 1 MB"]
    assert [m.id for m in course.modules] == ["contoh-m1"]
    assert course.refused["modules"].ids == {"contoh-m2"}


@pytest.mark.parametrize(("raw", "expected"), [
    (lambda text: text.replace("\n", "\r\n"),
     "01-modul.md:1: Windows line endings (CR LF); save the file with Unix line endings (LF)"),
    (lambda text: "\ufeff" + text,
     "01-modul.md:1: file starts with a byte-order mark (BOM); save it as UTF-8 without BOM"),
])
def test_windows_line_endings_or_a_bom(tmp_path, raw, expected):
    base = write_course(tmp_path, "contoh", 2)
    module = base / "modules" / "01-modul.md"
    module.write_bytes(raw(module.read_text()).encode("utf-8"))
    tree, course = course_of(tmp_path)
    assert messages(tree) == [f"{tmp_path}/contoh/modules/{expected}"]
    assert [m.id for m in course.modules] == ["contoh-m2"]


def test_crlf_in_a_quiz_refuses_that_quiz(tmp_path):
    base = write_course(tmp_path, "contoh", 1)
    (base / "quizzes").mkdir()
    (base / "quizzes" / "kuis.yml").write_bytes(QUIZ.replace("\n", "\r\n").encode())
    tree, course = course_of(tmp_path)
    assert messages(tree) == [f"{tmp_path}/contoh/quizzes/kuis.yml:1: Windows line endings "
                              "(CR LF); save the file with Unix line endings (LF)"]
    assert course.quizzes == []
    assert course.refused["quizzes"].ids == {"kuis"}


def test_a_symlink_that_leaves_the_content_folder(tmp_path):
    content = tmp_path / "content"
    base = write_course(content, "contoh", 2)
    outside = tmp_path / "rahasia.md"
    outside.write_text((base / "modules" / "02-modul.md").read_text())
    (base / "modules" / "02-modul.md").unlink()
    os.symlink(outside, base / "modules" / "02-modul.md")
    os.symlink(tmp_path / "rahasia.md", base / "assets" / "bocor.png")
    tree, course = course_of(content)
    assert messages(tree) == [
        f"{content}/contoh/assets/bocor.png:1: symlink points outside the content folder; "
        "copy the file into the course instead",
        f"{content}/contoh/modules/02-modul.md:1: symlink points outside the content folder; "
        "copy the file into the course instead"]
    assert [m.id for m in course.modules] == ["contoh-m1"]


def test_a_symlink_inside_the_content_folder_is_fine(tmp_path):
    base = write_course(tmp_path, "contoh", 1)
    os.symlink(base / "assets" / "diagram.svg", base / "assets" / "salinan.svg")
    assert not load_tree(tmp_path).all_problems()


def test_a_broken_course_yml_still_refuses_the_course(tmp_path):
    base = write_course(tmp_path, "contoh", 1)
    (base / "course.yml").write_text((base / "course.yml").read_text().replace(
        "hours_jp: 4", "hours_jp: empat"))
    _tree, course = course_of(tmp_path)
    assert not course.ok


def test_module_minutes_that_do_not_add_up_to_the_jp_warn_on_hours_jp(tmp_path):
    base = write_course(tmp_path, "contoh", 3)  # 4 JP, modules of 60 minutes
    module = base / "modules" / "02-modul.md"
    module.write_text(module.read_text().replace("minutes: 60", "minutes: 55"))
    tree = load_tree(tmp_path, check=True)
    assert not tree.all_problems()
    assert [str(w) for w in tree.all_warnings()] == [
        f"{tmp_path}/contoh/course.yml:4: warning: the modules' minutes add up to 175, but 4 JP "
        "is 180 minutes (1 JP = 45 minutes); change a module's 'minutes' or 'hours_jp'"]
    module.write_text(module.read_text().replace("minutes: 55", "minutes: 60"))
    assert not load_tree(tmp_path, check=True).all_warnings()


NEAR_QUIZ = """\
id: {quiz}
title: Kuis
kind: {kind}
questions:
  - id: {qid}
    type: single
    text: |
      Sebuah unggahan perpustakaan menjangkau **{reach}** akun dan memperoleh 200
      interaksi. Berapa persen tingkat keterlibatannya dihitung dari jangkauan?
    choices:
      - text: "{right} persen"
        correct: true
      - text: 20 persen
  - id: {qid}-lain
    type: truefalse
    text: {other}
    answer: true
"""


def test_near_duplicate_questions_warn_within_a_pair_and_across_courses(tmp_path):
    first = write_course(tmp_path, "satu", 2)
    second = write_course(tmp_path, "dua", 2)
    (first / "quizzes").mkdir()
    (second / "quizzes").mkdir()
    (first / "quizzes" / "pretest.yml").write_text(NEAR_QUIZ.format(
        quiz="satu-pre", kind="pretest", qid="s-pre-01", reach="4.000", right=5,
        other="Merek perpustakaan adalah janji layanan yang dirasakan pemustaka."))
    (first / "quizzes" / "posttest.yml").write_text(NEAR_QUIZ.format(
        quiz="satu-post", kind="posttest", qid="s-post-01", reach="2.000", right=10,
        other="Kalender konten memuat jadwal unggahan setiap kanal selama sebulan."))
    (second / "quizzes" / "kuis.yml").write_text(NEAR_QUIZ.format(
        quiz="dua-kuis", kind="practice", qid="d-kuis-01", reach="5.000", right=4,
        other="Wawancara referensi dimulai dengan pertanyaan terbuka kepada pemustaka."))
    tree = load_tree(tmp_path, check=True)
    assert not tree.all_problems()  # a warning refuses nothing
    near = [(Path(w.path).parent.parent.name + "/" + Path(w.path).name, w.line, w.message)
            for w in tree.all_warnings()]
    # Files are read in order (dua/ before satu/): each later copy names the first one.
    assert [(where, line) for where, line, _ in near] == [
        ("satu/posttest.yml", 5), ("satu/pretest.yml", 5)]
    assert "question 's-post-01' is nearly the same as 'd-kuis-01' (" in near[0][2]
    assert f"{tmp_path}/dua/quizzes/kuis.yml:5, 98% alike)" in near[0][2]
    assert "question 's-pre-01' is nearly the same as 'd-kuis-01' (" in near[1][2]
    assert "a test measures more with different questions" in near[1][2]
    # The three true/false questions share a form but not their words: no warning.
    assert not [w for w in near if "-lain" in w[2]]
