"""`lms content sync`: stable ids, last good version kept, unchanged skipped."""

from sqlalchemy import select

from lms.courses.models import Course, Module, ModuleProgress, Program
from lms.extensions import db
from tests.conftest import write_course


def sync(runner, *args):
    return runner.invoke(args=["content", "sync", *args])


def test_sync_reports_added_then_unchanged(app, runner, content_dir):
    write_course(content_dir, "contoh", 3)
    first = sync(runner)
    assert first.exit_code == 0, first.output
    assert "added     contoh" in first.output
    assert "1 added, 0 changed, 0 unchanged, 0 removed, 0 refused" in first.output
    second = sync(runner)
    assert "0 added, 0 changed, 1 unchanged, 0 removed, 0 refused" in second.output
    with app.app_context():
        modules = db.session.scalars(select(Module).order_by(Module.position)).all()
        assert [m.slug for m in modules] == ["contoh-m1", "contoh-m2", "contoh-m3"]
        assert 'href="contoh-m2#bagian-pertama"' in modules[0].html


def test_broken_course_keeps_last_good_version(app, runner, content_dir, client, make_user, auth):
    base = write_course(content_dir, "contoh", 2)
    write_course(content_dir, "lain", 1, title="Kursus Lain")
    assert sync(runner).exit_code == 0
    module_file = base / "modules" / "02-modul.md"
    module_file.write_text(module_file.read_text().replace("Isi modul 2", "Versi rusak")
                           + "[x](99-hilang.md)\n")
    other = content_dir / "lain" / "modules" / "01-modul.md"
    other.write_text(other.read_text().replace("Isi modul 1", "Isi baru kursus lain"))
    result = sync(runner)
    assert result.exit_code == 1
    # Only the broken module is refused: the course itself is stored.
    assert "partly    contoh" in result.output
    assert "02-modul.md:" in result.output
    assert "99-hilang.md" in result.output
    assert "changed   lain" in result.output
    with app.app_context():
        module = db.session.scalar(select(Module).where(Module.slug == "contoh-m2"))
        assert "Isi modul 2" in module.html
        assert "Versi rusak" not in module.html
        course = db.session.scalar(select(Course).where(Course.slug == "contoh"))
        assert course.is_published
        assert "99-hilang.md" in course.sync_error
        other_module = db.session.scalar(select(Module).where(Module.slug == "lain-m1"))
        assert "Isi baru kursus lain" in other_module.html
    # Staff see the error on the course page; participants do not.
    _, staff = make_user(role="instructor")
    auth.login(staff)
    assert "99-hilang.md" in client.get("/courses/contoh").get_data(as_text=True)
    auth.logout()
    _, participant = make_user()
    auth.login(participant)
    assert "99-hilang.md" not in client.get("/courses/contoh").get_data(as_text=True)


def test_renaming_and_reordering_files_keeps_progress(app, runner, content_dir, make_user):
    base = write_course(content_dir, "contoh", 2)
    sync(runner)
    user_id, _ = make_user()
    with app.app_context():
        module = db.session.scalar(select(Module).where(Module.slug == "contoh-m1"))
        db.session.add(ModuleProgress(user_id=user_id, module_id=module.id))
        db.session.commit()
        module_id = module.id
    (base / "modules" / "01-modul.md").rename(base / "modules" / "07-namanya-baru.md")
    yml = base / "course.yml"
    yml.write_text(yml.read_text().replace("  - contoh-m1\n  - contoh-m2\n",
                                           "  - contoh-m2\n  - contoh-m1\n"))
    result = sync(runner)
    assert result.exit_code == 0, result.output
    assert "changed   contoh" in result.output
    with app.app_context():
        module = db.session.get(Module, module_id)
        assert module.slug == "contoh-m1"
        assert module.position == 1
        assert module.source_path == "07-namanya-baru.md"
        assert db.session.scalar(select(ModuleProgress).where(
            ModuleProgress.module_id == module_id)) is not None


def test_removed_course_and_module_are_hidden_not_deleted(app, runner, content_dir):
    base = write_course(content_dir, "contoh", 2)
    write_course(content_dir, "lain", 1)
    sync(runner)
    (base / "modules" / "02-modul.md").unlink()
    yml = base / "course.yml"
    yml.write_text(yml.read_text().replace("  - contoh-m2\n", ""))
    first = (base / "modules" / "01-modul.md")
    first.write_text(first.read_text().replace("[lanjut](02-modul.md#bagian-pertama)", ""))
    import shutil
    shutil.rmtree(content_dir / "lain")
    result = sync(runner)
    assert result.exit_code == 0, result.output
    assert "removed   lain" in result.output
    with app.app_context():
        assert not db.session.scalar(select(Module).where(Module.slug == "contoh-m2")).is_active
        assert not db.session.scalar(select(Course).where(Course.slug == "lain")).is_published


def test_new_broken_course_is_recorded_but_not_published(app, runner, content_dir):
    base = write_course(content_dir, "baru", 1)
    (base / "modules" / "01-modul.md").write_text("tanpa front matter\n")
    result = sync(runner)
    assert result.exit_code == 1
    with app.app_context():
        course = db.session.scalar(select(Course).where(Course.slug == "baru"))
        assert not course.is_published
        assert "missing front matter" in course.sync_error


def test_program_is_loaded_in_order(app, runner, content_dir):
    write_course(content_dir, "satu", 1)
    write_course(content_dir, "dua", 1)
    (content_dir / "_programs").mkdir()
    (content_dir / "_programs" / "p.yml").write_text(
        "id: program-contoh\ntitle: Program Contoh\ncourses:\n  - dua\n  - satu\n")
    assert sync(runner).exit_code == 0
    with app.app_context():
        program = db.session.scalar(select(Program))
        assert [pc.course.slug for pc in program.courses] == ["dua", "satu"]


def test_content_check_cli(runner, content_dir):
    base = write_course(content_dir, "contoh", 1)
    ok = runner.invoke(args=["content", "check", str(content_dir)])
    assert ok.exit_code == 0
    (base / "course.yml").write_text("id: contoh\ntitle: [x\n")
    bad = runner.invoke(args=["content", "check", str(content_dir)])
    assert bad.exit_code == 1
    assert f"{content_dir}/contoh/course.yml:2: YAML error" in bad.output
