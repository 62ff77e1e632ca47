"""The curriculum at the depth of a Perpusnas modul pelatihan (issue 18), read from
course_content/ as it ships: hours, structure of every module, tests, products, glossary,
sources and the wording the program agreed on. Each assertion is something a reviewer who
trains librarians checked by hand before."""

import re
from pathlib import Path

import pytest

from lms.content import load_tree

ROOT = Path(__file__).resolve().parents[2]
CONTENT = ROOT / "course_content"

# JP per subject, from its weight in the diklat (~56 JP; docs/curriculum.md).
JP = {
    "orientasi-program": 1, "dinamika-kelompok": 3, "etika-promosi-digital": 4,
    "pengantar-promosi-digital": 6, "branding-perpustakaan": 6, "copywriting": 6,
    "konten-promosi-digital": 6, "media-sosial-promosi": 5, "crm-perpustakaan": 6,
    "blog-vlog-promosi": 4, "perancangan-program-promosi": 6, "observasi-lapangan": 3,
}
EXPERIENTIAL = {"dinamika-kelompok", "observasi-lapangan"}  # learnt by doing: no pre/post-test
COHORT_DAYS = 12  # day 0 .. day 11


@pytest.fixture(scope="module")
def tree():
    return load_tree(CONTENT, check=True)


@pytest.fixture(scope="module")
def courses(tree):
    return {c.id: c for c in tree.courses}


def test_the_program_totals_56_jp_in_the_agreed_order_and_the_minutes_add_up(tree, courses):
    program = tree.programs[0]
    assert program.courses == list(JP)
    assert sum(courses[c].hours_jp for c in program.courses) == 56
    for course_id, hours in JP.items():
        course = courses[course_id]
        assert course.hours_jp == hours, course_id
        assert sum(m.minutes for m in course.modules) == hours * 45, course_id


def test_reading_fits_the_hours(courses):
    """About 1,500-2,500 words per JP of reading, plus activities: a subject has at least
    1,000 words per JP (activities take the rest) and at most 2,500."""
    for course_id, course in courses.items():
        words = sum(len(m.body.split()) for m in course.modules)
        low = 600 if course_id in EXPERIENTIAL | {"orientasi-program"} else 1000
        assert low * course.hours_jp <= words <= 2500 * course.hours_jp, (course_id, words)


@pytest.mark.parametrize("course_id", list(JP))
def test_every_module_has_objectives_indicators_exercises_with_keys_and_a_summary(
        courses, course_id):
    for module in courses[course_id].modules:
        assert module.objectives, module.path
        body = module.body
        assert re.search(r"^## Indikator Keberhasilan", body, re.M), module.path
        assert re.search(r"^## Rangkuman", body, re.M), module.path
        if course_id != "orientasi-program":
            assert re.search(r"^## Latihan", body, re.M), module.path
            assert re.search(r"Kunci Jawaban|Kunci jawaban|Pembahasan", body), module.path


@pytest.mark.parametrize("course_id", list(JP))
def test_every_course_has_a_daftar_pustaka_and_a_glossary(courses, course_id):
    course = courses[course_id]
    assert any(re.search(r"^## Daftar Pustaka", m.body, re.M) for m in course.modules), course_id
    assert course.glossary, course_id
    assert len(course.glossary) >= 5, course_id


def test_the_program_glossary_defines_every_acronym_the_issue_names(courses):
    terms = {t.term.lower() for t in courses["orientasi-program"].glossary}
    for term in ("cta", "peso", "servqual", "nps", "ikm", "tpbis", "seo", "jp", "rtl"):
        assert term in terms, term


def test_every_taught_subject_and_the_program_have_a_pre_and_post_test(courses):
    for course_id, course in courses.items():
        kinds = {q.kind: q for q in course.quizzes}
        if course_id in EXPERIENTIAL:
            continue
        pre, post = kinds.get("pretest"), kinds.get("posttest")
        assert pre, course_id
        assert post, course_id
        assert len(pre.questions) >= 10, course_id
        # Pre-tests never show the key before the post-test.
        assert pre.review_answers in ("after_close", "never"), course_id
        assert pre.review_feedback in ("after_close", "never"), course_id
        # Post-tests with several attempts draw from pools and keep the key until the close.
        assert post.attempts != 1, course_id
        assert post.draw_pools, course_id
        assert post.draw_count < len(post.questions), course_id
        assert len(post.questions) >= post.draw_count + 5, course_id
        assert post.review_answers in ("after_close", "never"), course_id
        assert post.review_feedback in ("after_close", "never"), course_id
        pre_ids, post_ids = {q.id for q in pre.questions}, {q.id for q in post.questions}
        assert not pre_ids & post_ids, course_id


def test_the_program_post_test_opens_at_the_end_of_the_diklat(courses):
    post = next(q for q in courses["orientasi-program"].quizzes if q.kind == "posttest")
    assert post.opens_day is not None
    assert 9 <= post.opens_day < COHORT_DAYS


def test_no_near_duplicate_questions_anywhere(tree):
    near = [str(w) for w in tree.all_warnings() if "nearly the same" in w.message]
    assert near == []


PRODUCTS = {  # a product a promotion librarian makes -> words its assignment title holds
    "kalender konten": r"kalender konten",
    "poster atau karusel": r"poster|karusel|carousel|unggahan geser",
    "naskah dan papan cerita vlog 60 detik": r"vlog",
    "artikel blog": r"blog",
    "pedoman merek": r"pedoman merek|panduan merek",
    "kertas kerja": r"rancangan program|kertas kerja",
}


def _assignments(courses):
    return [(c.id, a) for c in courses.values() for a in c.assignments]


def test_the_products_are_assessed_with_rubrics_and_templates_inside_the_cohort(courses):
    found = _assignments(courses)
    for product, pattern in PRODUCTS.items():
        assert any(re.search(pattern, a.title, re.I) for _, a in found), product
    for course_id, assignment in found:
        assert assignment.rubric, assignment.id
        assert 1 <= assignment.due_days < COHORT_DAYS - 1, (assignment.id, assignment.due_days)
        folder = Path(courses[course_id].path)
        source = next(f for f in (folder / "assignments").glob("*.md")
                      if f"id: {assignment.id}\n" in f.read_text(encoding="utf-8"))
        links = re.findall(r"\.\./assets/([\w.-]+\.(?:docx|xlsx|odt))", source.read_text())
        assert links, f"{assignment.id} links no template (DOCX, XLSX or ODT)"
    by_id = {a.id: a for _, a in found}
    assert by_id["ppp-tugas-rancangan-program"].due_days == 8  # the design around day 8-9
    observation = [a for cid, a in found if cid == "observasi-lapangan"]
    assert max(a.due_days for a in observation) <= 10  # the RTL before closing


def _text(course) -> str:
    return "\n".join(m.body for m in course.modules)


def test_indonesian_sources_and_real_settings_are_taught(courses):
    everything = "\n".join(_text(c) for c in courses.values())
    for needed in ("Sujatna", "Kode Etik", "Undang-Undang Nomor 43 Tahun 2007",
                   "Jabatan Fungsional Pustakawan", "Balangan", "Blitar", "Batu"):
        assert needed in everything, needed
    crm = _text(courses["crm-perpustakaan"]).lower()
    assert "wawancara referensi" in crm
    assert "mendengarkan aktif" in crm
    for kind in ("perpustakaan sekolah", "perpustakaan perguruan tinggi", "perpustakaan khusus"):
        assert kind in everything.lower(), kind


@pytest.mark.parametrize("course_id", list(JP))
def test_the_wording_the_program_agreed_on(courses, course_id):
    text = _text(courses[course_id])  # quiz wording: tests/content/test_spelling.py
    assert len(re.findall(r"Car Free Day", text)) <= 1, course_id
    for wrong in ("metrik kesombongan", "pasca pelatihan", "penderita epilepsi",
                  "dirancangi", "infografik"):
        assert wrong not in text.lower(), (course_id, wrong)
    # "tuli" as a lower-case adjective; the community's own term is "Tuli".
    assert not re.search(r"\btuli\b", text), course_id
