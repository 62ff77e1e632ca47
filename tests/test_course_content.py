"""The real curriculum in course_content/: valid, loaded, and every module page renders."""

from pathlib import Path

import pytest
from sqlalchemy import select

from lms.content import load_tree, sync_tree
from lms.courses.models import Course, Module, Program
from lms.extensions import db

CONTENT = Path(__file__).resolve().parent.parent / "course_content"
PROGRAM_ORDER = [
    "orientasi-program", "dinamika-kelompok", "etika-promosi-digital", "pengantar-promosi-digital",
    "branding-perpustakaan", "copywriting", "konten-promosi-digital", "media-sosial-promosi",
    "crm-perpustakaan", "blog-vlog-promosi", "perancangan-program-promosi", "observasi-lapangan",
]
CORE = ["pengantar-promosi-digital", "branding-perpustakaan", "copywriting", "crm-perpustakaan"]


@pytest.fixture(scope="module")
def tree():
    return load_tree(CONTENT)


def test_content_check_finds_no_problem(tree):
    assert [str(p) for p in tree.all_problems()] == []


def test_program_lists_the_subjects_in_order(tree):
    assert [p.id for p in tree.programs] == ["diklat-ppbd"]
    assert tree.programs[0].courses == PROGRAM_ORDER


def test_core_courses_have_five_substantial_modules(tree):
    by_id = {c.id: c for c in tree.courses}
    for course_id in CORE:
        modules = by_id[course_id].modules
        assert len(modules) >= 5, course_id
        for module in modules:
            assert len(module.body.split()) >= 700, module.path
            assert "## Latihan" in module.body, module.path
            assert "## Rangkuman" in module.body, module.path


def test_instructors_are_roles(tree):
    for course in tree.courses:
        assert course.instructors, course.id
        for name in course.instructors:
            assert any(word in name for word in ("Widyaiswara", "Pustakawan", "Praktisi",
                                                  "Fasilitator")), (course.id, name)


def test_first_course_uses_every_content_feature(tree):
    course = next(c for c in tree.courses if c.id == "pengantar-promosi-digital")
    html = "\n".join(m.html for m in course.modules)
    for marker in ('<div class="toc">', "<table>", 'class="footnote-ref"', "<img ",
                   'class="admonition note"', 'class="admonition tip"',
                   'class="admonition warning"', 'class="admonition important"',
                   'class="admonition example"'):
        assert marker in html, marker
    module_ids = {m.id for m in course.modules}
    assert any(f'href="{mid}#' in html for mid in module_ids)


def test_every_taught_subject_has_teaching_pre_and_post_tests(tree):
    """Every pre- and post-test explains each question: a general feedback, or feedback on
    every choice (a multiple-response item is often explained once, for all its choices)."""
    for course in tree.courses:
        kinds = {q.kind: q for q in course.quizzes}
        if "pretest" not in kinds:
            continue  # the experiential subjects (tests/content/test_curriculum.py)
        for kind in ("pretest", "posttest"):
            quiz = kinds[kind]
            assert len(quiz.questions) >= 10, (course.id, kind)
            assert len({q.type for q in quiz.questions}) >= 3, (course.id, kind)
            if course.id in CORE:
                assert len({q.type for q in quiz.questions}) >= 4, (course.id, kind)
            for question in quiz.questions:
                explained = bool(question.general_feedback_html) or (
                    bool(question.choices) and all(c.feedback_html for c in question.choices))
                if question.type in ("truefalse",):
                    explained = explained or bool(question.feedback_true_html
                                                  or question.feedback_false_html)
                assert explained, (quiz.id, question.id)


def test_every_other_subject_has_modules_and_a_quiz(tree):
    for course in tree.courses:
        # The orientation (1 JP) is one module with the program's pre- and post-test.
        assert len(course.modules) >= (1 if course.id == "orientasi-program" else 2), course.id
        assert course.quizzes, course.id


def test_every_module_page_renders(app, client, auth, make_user):
    app.config["CONTENT_DIR"] = str(CONTENT)
    with app.app_context():
        report = sync_tree(load_tree(CONTENT))
        assert report.ok
        assert len(report.added) == len(PROGRAM_ORDER)
        program = db.session.scalar(select(Program))
        assert [pc.course.slug for pc in program.courses] == PROGRAM_ORDER
        total_jp = sum(pc.course.hours_jp for pc in program.courses)
        assert 40 <= total_jp <= 100
        pages = [(c.slug, m.slug) for c in db.session.scalars(select(Course))
                 for m in db.session.scalars(select(Module).where(Module.course_id == c.id))]
    _, email = make_user(role="coordinator")
    auth.login(email)
    for course_slug, module_slug in pages:
        response = client.get(f"/courses/{course_slug}/modules/{module_slug}")
        assert response.status_code == 200, (course_slug, module_slug)
        assert "<h1>" in response.get_data(as_text=True)
    for course_slug in PROGRAM_ORDER:
        assert client.get(f"/courses/{course_slug}").status_code == 200
        assert client.get(f"/courses/{course_slug}/preview").status_code == 200


def test_every_quiz_can_be_taken_and_reviewed(app, client, auth, make_user, enroll):
    """Start, submit empty and review every quiz of the program as a participant."""
    import re

    from tests.conftest import csrf_from

    app.config["CONTENT_DIR"] = str(CONTENT)
    with app.app_context():
        assert sync_tree(load_tree(CONTENT)).ok
        from lms.quizzes.models import Quiz
        quizzes = [(c.slug, q.slug) for q, c in db.session.execute(
            select(Quiz, Course).join(Course, Course.id == Quiz.course_id))]
    assert len(quizzes) >= 15
    user_id, email = make_user()
    for course_slug in PROGRAM_ORDER:
        enroll(user_id, course_slug)
    auth.login(email)
    for course_slug, quiz_slug in quizzes:
        base = f"/courses/{course_slug}/quizzes/{quiz_slug}"
        page = client.get(base)
        assert page.status_code == 200, base
        started = client.post(base + "/start", data={"csrf_token": csrf_from(page.text)})
        attempt_url = started.headers["Location"]
        attempt = client.get(attempt_url)
        assert attempt.status_code == 200, base
        positions = re.findall(r'name="p" value="(\d+)"', attempt.text)
        submitted = client.post(attempt_url + "/submit", data={
            "csrf_token": csrf_from(attempt.text), "p": positions})
        assert submitted.status_code == 302, base
        review = client.get(attempt_url + "/review")
        assert review.status_code == 200, base
        assert "<h1>" in review.text
