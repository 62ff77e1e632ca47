"""Spelling of every course with Hunspell's Indonesian dictionary (Debian's hunspell-id).

Plain words must be Indonesian (id_ID) or in the project's word lists; words in *italics*
(foreign terms, EYD V) may be English (en_US); nonstandard forms in forbidden.txt fail
even where a dictionary knows them. A new unknown word fails with its file and line.
"""

from pathlib import Path

import pytest

from lms.content.spelling import check_course, hunspell_available

ROOT = Path(__file__).resolve().parents[2]
CONTENT = ROOT / "course_content"
LISTS = ROOT / "tests/data/spelling"
COURSES = sorted(p.name for p in CONTENT.iterdir() if (p / "course.yml").is_file())



def needs_hunspell(test):
    """`make test` installs Hunspell (scripts/system-deps test); without it the test fails,
    never skips, so a machine that lost it cannot pass the spelling check unseen."""
    def run(*args, **kwargs):
        assert hunspell_available(), "hunspell is missing: scripts/system-deps test installs it"
        return test(*args, **kwargs)
    run.__name__, run.__doc__ = test.__name__, test.__doc__
    import functools
    return functools.wraps(test)(run)


@needs_hunspell
@pytest.mark.parametrize("course", COURSES)
def test_every_course_is_spelled_with_the_indonesian_dictionary(course):
    unknown = check_course(CONTENT / course, LISTS, CONTENT.parent)
    assert not unknown, (
        f"{len(unknown)} unknown or nonstandard words (fix them, or add correct ones to "
        f"tests/data/spelling/{course}.txt; scripts/spellcheck {course} lists them):\n"
        + "\n".join(map(str, unknown[:60])))


@needs_hunspell
def test_the_check_names_a_misspelling_a_nonstandard_form_and_an_unitalicised_english_word(
        tmp_path):
    folder = tmp_path / "kursus"
    (folder / "modules").mkdir(parents=True)
    (folder / "course.yml").write_text("id: kursus\ntitle: Promosi Perpustakaan\n",
                                       encoding="utf-8")
    (folder / "modules/01-a.md").write_text(
        "---\nid: a\ntitle: Modul\nminutes: 5\n---\n\n"
        "Perpustakaan membuka layanan baru.\n"
        "Pemustaka dapat meminjam bukku di sana.\n"
        "Silahkan datang ke perpustakaan.\n"
        "Unggah konten dengan *engagement* tinggi dan engagement rendah.\n"
        "```\nkode tidak diperiksa: zzqx\n```\n"
        "Tautan [ke situs](https://contoh.zzqx.id/) dan tagar #BacaBukuYuk tidak diperiksa.\n",
        encoding="utf-8")
    found = [(u.line, u.word, u.write) for u in check_course(folder, LISTS, tmp_path)]
    assert (8, "bukku", "") in found
    assert (9, "Silahkan", "silakan") in found
    assert (10, "engagement", "") in found           # the plain one, not the italic one
    assert [f for f in found if f[0] == 10] == [(10, "engagement", "")]
    assert not [f for f in found if f[0] in (7, 12, 14)]
    assert str(check_course(folder, LISTS, tmp_path)[0]).startswith("kursus/modules/01-a.md:")


@needs_hunspell
def test_markup_and_settings_are_not_read_as_words(tmp_path):
    folder = tmp_path / "kursus"
    (folder / "modules").mkdir(parents=True)
    (folder / "quizzes").mkdir()
    (folder / "assignments").mkdir()
    (folder / "course.yml").write_text("id: kursus\ntitle: Promosi Perpustakaan\n",
                                       encoding="utf-8")
    (folder / "modules/01-a.md").write_text(
        "---\nid: a\ntitle: Modul\nminutes: 5\n---\n\n"
        '!!! example "Kunci jawaban"\n    Jawaban yang tepat.\n', encoding="utf-8")
    (folder / "quizzes/kuis.yml").write_text(
        "id: k\ntitle: Kuis\nreview:\n  score: immediately\n  feedback: after_close\n"
        "questions:\n  - id: q\n    type: truefalse\n    text: Perpustakaan buka.\n"
        "    answer: true\n    feedback_true: Betull.\n", encoding="utf-8")
    (folder / "assignments/tugas.md").write_text(
        "---\nid: t\ntitle: Tugas\nrubric:\n  - id: r\n    criterion: Isi\n    levels:\n"
        '      - {label: Sangat baik, points: 25, description: "Lengkap dan jelass."}\n'
        "---\n\nKerjakan tugas.\n", encoding="utf-8")
    found = [(Path(u.path).name, u.line, u.word) for u in check_course(folder, LISTS, tmp_path)]
    assert sorted(found) == [("kuis.yml", 11, "Betull"), ("tugas.md", 8, "jelass")]
