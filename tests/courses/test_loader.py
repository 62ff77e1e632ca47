"""The loader, without an app: every problem named by file and line."""

import textwrap

from lms.content import load_tree
from tests.conftest import write_course


def problems_of(root):
    return [str(p) for p in load_tree(root).all_problems()]


def test_valid_course_loads_in_listed_order(tmp_path):
    base = write_course(tmp_path, "contoh", 3)
    yml = base / "course.yml"
    yml.write_text(yml.read_text().replace("  - contoh-m1\n  - contoh-m2\n",
                                           "  - contoh-m2\n  - contoh-m1\n"))
    tree = load_tree(tmp_path)
    assert tree.all_problems() == []
    course = tree.courses[0]
    assert [m.id for m in course.modules] == ["contoh-m2", "contoh-m1", "contoh-m3"]
    assert course.hours_jp == 4
    assert set(course.assets) == {"diagram.svg"}


def test_module_links_are_rewritten_to_stable_ids(tmp_path):
    write_course(tmp_path, "contoh", 2)
    module = load_tree(tmp_path).courses[0].modules[0]
    assert 'href="contoh-m2#bagian-pertama"' in module.html
    assert '<div class="admonition tip">' in module.html
    assert 'class="footnote-ref"' in module.html
    assert '<div class="toc">' in module.html
    assert "<table>" in module.html
    assert 'src="../assets/diagram.svg"' in module.html


def test_broken_front_matter_names_file_and_line(tmp_path):
    base = write_course(tmp_path, "contoh", 2)
    path = base / "modules" / "02-modul.md"
    path.write_text("---\nid: contoh-m2\ntitle: [unclosed\nminutes: 30\n---\nbody\n")
    found = problems_of(tmp_path)
    assert any(p.startswith(f"{tmp_path}/contoh/modules/02-modul.md:") and "YAML error" in p
               for p in found), found


def test_missing_front_matter(tmp_path):
    base = write_course(tmp_path, "contoh", 1)
    (base / "modules" / "01-modul.md").write_text("# Tanpa front matter\n")
    assert f"{tmp_path}/contoh/modules/01-modul.md:1: missing front matter: the file must start " \
           "with '---'" in problems_of(tmp_path)


def test_unknown_key_and_missing_key(tmp_path):
    base = write_course(tmp_path, "contoh", 1)
    yml = base / "course.yml"
    yml.write_text(yml.read_text().replace("hours_jp: 4\n", "jam: 4\n"))
    found = problems_of(tmp_path)
    assert any(":4: unknown key 'jam'" in p for p in found), found
    assert any(":1: missing required key 'hours_jp'" in p for p in found), found


def test_duplicate_module_id(tmp_path):
    base = write_course(tmp_path, "contoh", 2)
    path = base / "modules" / "02-modul.md"
    path.write_text(path.read_text().replace("id: contoh-m2", "id: contoh-m1"))
    found = problems_of(tmp_path)
    assert any("02-modul.md:2: module id 'contoh-m1' is already used" in p for p in found), found


def test_duplicate_yaml_key(tmp_path):
    base = write_course(tmp_path, "contoh", 1)
    yml = base / "course.yml"
    yml.write_text(yml.read_text() + "title: Lagi\n")
    assert any("course.yml:" in p and "duplicate key 'title'" in p for p in problems_of(tmp_path))


def test_link_to_missing_module_and_asset(tmp_path):
    base = write_course(tmp_path, "contoh", 1)
    path = base / "modules" / "01-modul.md"
    text = path.read_text()
    lines = text.count("\n")
    path.write_text(text + "[hilang](09-tidak-ada.md)\n![Gambar](../assets/tidak-ada.png)\n")
    found = problems_of(tmp_path)
    assert (f"{tmp_path}/contoh/modules/01-modul.md:{lines + 1}: link to module file "
            "'09-tidak-ada.md' which does not exist in modules/") in found
    assert (f"{tmp_path}/contoh/modules/01-modul.md:{lines + 2}: image 'tidak-ada.png' "
            "does not exist in assets/") in found


def test_link_to_missing_anchor_and_image_without_alt(tmp_path):
    base = write_course(tmp_path, "contoh", 2)
    path = base / "modules" / "01-modul.md"
    path.write_text(path.read_text() + "[x](02-modul.md#tidak-ada)\n![](../assets/diagram.svg)\n")
    found = problems_of(tmp_path)
    assert any("that module has no heading with this anchor" in p for p in found), found
    assert any("needs alternative text" in p for p in found), found


def test_links_inside_code_are_not_checked(tmp_path):
    base = write_course(tmp_path, "contoh", 1)
    path = base / "modules" / "01-modul.md"
    path.write_text(path.read_text() + "\n```\n[contoh](tidak-ada.md)\n```\n`[x](y.md)`\n")
    assert problems_of(tmp_path) == []


def test_unlisted_module_and_listed_missing_module(tmp_path):
    base = write_course(tmp_path, "contoh", 2)
    yml = base / "course.yml"
    yml.write_text(yml.read_text().replace("  - contoh-m2\n", "  - contoh-m9\n"))
    found = problems_of(tmp_path)
    assert any("course.yml:11: no module file has id 'contoh-m9'" in p for p in found), found
    assert any("02-modul.md:2: module 'contoh-m2' is not listed" in p for p in found), found


def test_duplicate_course_id_across_folders(tmp_path):
    write_course(tmp_path, "contoh", 1)
    write_course(tmp_path, "contoh", 1, folder="salinan")
    assert any("course id 'contoh' is already used" in p for p in problems_of(tmp_path))


def test_svg_with_script_is_refused(tmp_path):
    base = write_course(tmp_path, "contoh", 1)
    (base / "assets" / "jahat.svg").write_text('<svg><script>alert(1)</script></svg>')
    assert any("jahat.svg:1: SVG must not contain scripts" in p for p in problems_of(tmp_path))


def test_javascript_link_is_refused(tmp_path):
    base = write_course(tmp_path, "contoh", 1)
    path = base / "modules" / "01-modul.md"
    path.write_text(path.read_text() + "[klik](javascript:alert(1))\n")
    assert any("scheme that is not allowed" in p for p in problems_of(tmp_path))


def test_program_with_unknown_course(tmp_path):
    write_course(tmp_path, "contoh", 1)
    (tmp_path / "_programs").mkdir()
    (tmp_path / "_programs" / "p.yml").write_text(textwrap.dedent("""\
        id: program-contoh
        title: Program
        courses:
          - contoh
          - tidak-ada
        """))
    tree = load_tree(tmp_path)
    assert [str(p) for p in tree.all_problems()] == [
        f"{tmp_path}/_programs/p.yml:5: unknown course id 'tidak-ada'"]
