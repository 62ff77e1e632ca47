"""A broken quiz, assignment, module or asset refuses that item only: it keeps its last
good version, its problem is shown to the course's staff, the rest of the course syncs."""

import textwrap

from sqlalchemy import select

from lms.courses.models import Course, CourseAsset, Module
from lms.extensions import db
from lms.quizzes.models import Quiz
from tests.conftest import write_course
from tests.content.test_checks import QUIZ

ASSIGNMENT = """\
---
id: tugas
title: Tugas
due_days: 7
max_score: 100
---

Kerjakan tugas ini.
"""


def sync(runner):
    return runner.invoke(args=["content", "sync"])


def test_broken_quiz_keeps_its_last_good_version_and_the_rest_syncs(
        app, runner, content_dir, client, make_user, auth):
    base = write_course(content_dir, "contoh", 2)
    (base / "quizzes").mkdir()
    (base / "quizzes" / "kuis.yml").write_text(QUIZ)
    (base / "assignments").mkdir()
    (base / "assignments" / "tugas.md").write_text(ASSIGNMENT)
    assert sync(runner).exit_code == 0
    (base / "quizzes" / "kuis.yml").write_text(
        QUIZ.replace("title: Kuis", "title: Kuis Baru").replace("kind: practice", "kind: ujian"))
    (base / "assignments" / "tugas.md").write_text(ASSIGNMENT.replace("max_score: 100",
                                                                      "max_score: nol"))
    module = base / "modules" / "01-modul.md"
    module.write_text(module.read_text().replace("Isi modul 1", "Isi modul 1 yang diperbarui"))
    result = sync(runner)
    assert result.exit_code == 1
    assert "partly    contoh" in result.output
    assert "kuis.yml:3: 'kind' must be one of" in result.output
    assert "tugas.md:5: 'max_score' must be a whole number of points" in result.output
    with app.app_context():
        quiz = db.session.scalar(select(Quiz).where(Quiz.slug == "kuis"))
        assert quiz.is_active
        assert quiz.title == "Kuis"
        from lms.assignments.models import Assignment
        task = db.session.scalar(select(Assignment).where(Assignment.slug == "tugas"))
        assert task.is_active
        assert task.max_score == 100
        module = db.session.scalar(select(Module).where(Module.slug == "contoh-m1"))
        assert "yang diperbarui" in module.html
        course = db.session.scalar(select(Course).where(Course.slug == "contoh"))
        assert "kuis.yml:3:" in course.sync_error
        assert "tugas.md:5:" in course.sync_error
    _, coordinator = make_user(role="coordinator")
    auth.login(coordinator)
    assert "kuis.yml:3:" in client.get("/courses/contoh").text
    # Fixed: the quiz changes and the problems disappear from the page.
    (base / "quizzes" / "kuis.yml").write_text(QUIZ.replace("title: Kuis", "title: Kuis Baru"))
    (base / "assignments" / "tugas.md").write_text(ASSIGNMENT)
    assert sync(runner).exit_code == 0
    with app.app_context():
        assert db.session.scalar(select(Quiz.title).where(Quiz.slug == "kuis")) == "Kuis Baru"
        assert db.session.scalar(select(Course.sync_error)) is None


def test_broken_module_and_asset_keep_their_last_good_version(app, runner, content_dir):
    base = write_course(content_dir, "contoh", 3)
    assert sync(runner).exit_code == 0
    second = base / "modules" / "02-modul.md"
    second.write_text(second.read_text().replace("Isi modul 2", "Rusak")
                      .replace("minutes: 60", "minutes: -5"))
    (base / "assets" / "diagram.svg").write_text("<svg><script>alert(1)</script></svg>")
    third = base / "modules" / "03-modul.md"
    third.write_text(third.read_text().replace("Isi modul 3", "Isi modul 3 baru"))
    result = sync(runner)
    assert "02-modul.md:4: 'minutes' must be above 0" in result.output
    assert "diagram.svg:1: SVG must not contain scripts" in result.output
    with app.app_context():
        modules = {m.slug: m for m in db.session.scalars(select(Module))}
        assert modules["contoh-m2"].is_active
        assert "Isi modul 2" in modules["contoh-m2"].html
        assert "Isi modul 3 baru" in modules["contoh-m3"].html
        asset = db.session.scalar(select(CourseAsset).where(CourseAsset.name == "diagram.svg"))
        assert b"<script" not in asset.data


def test_a_removed_quiz_is_still_deactivated(app, runner, content_dir):
    base = write_course(content_dir, "contoh", 1)
    (base / "quizzes").mkdir()
    (base / "quizzes" / "kuis.yml").write_text(QUIZ)
    assert sync(runner).exit_code == 0
    (base / "quizzes" / "kuis.yml").unlink()
    (base / "modules" / "01-modul.md").write_text(
        (base / "modules" / "01-modul.md").read_text() + "\nLagi.\n")
    assert sync(runner).exit_code == 0
    with app.app_context():
        assert not db.session.scalar(select(Quiz.is_active))


def test_sync_prints_surveys_with_the_rest(app, runner, content_dir):
    write_course(content_dir, "contoh", 1)
    (content_dir / "_surveys").mkdir()
    (content_dir / "_surveys" / "rusak.yml").write_text(textwrap.dedent("""\
        id: rusak
        title: [
        """))
    result = sync(runner)
    assert result.exit_code == 1
    assert "refused   surveys" in result.output
    assert "rusak.yml" in result.output


def test_unchanged_courses_are_skipped_by_hash_before_parsing(app, runner, content_dir):
    from lms.content import known_courses, load_tree

    write_course(content_dir, "contoh", 2)
    base = write_course(content_dir, "lain", 1)
    assert sync(runner).exit_code == 0
    module = base / "modules" / "01-modul.md"
    module.write_text(module.read_text() + "\nTambahan.\n")
    with app.app_context():
        tree = load_tree(content_dir, known=known_courses())
    parsed = {c.id: c.parsed for c in tree.courses}
    assert parsed == {"contoh": False, "lain": True}
    assert tree.courses[0].modules == []  # nothing read beyond the hash
    result = sync(runner)
    assert "0 added, 1 changed, 1 unchanged, 0 removed, 0 refused" in result.output
    with app.app_context():
        assert db.session.scalar(select(Module.is_active).where(Module.slug == "contoh-m2"))


def test_a_course_with_refused_items_is_parsed_again_until_clean(app, runner, content_dir):
    from lms.content import known_courses

    base = write_course(content_dir, "contoh", 2)
    (base / "assets" / "x.exe").write_bytes(b"MZ")
    assert sync(runner).exit_code == 1
    with app.app_context():
        assert known_courses() == {}
    second = sync(runner)
    assert "partly    contoh" in second.output  # still shown, not skipped as unchanged
