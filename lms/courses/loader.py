"""Read course_content/ into plain dataclasses and `path:line: message` problems.

Pure: files in, values out. No Flask, no database. `lms content check` prints
the problems; `courses.sync` stores what is valid.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

from lms.assignments.loader import load_assignments
from lms.certificates.settings import DEFAULTS as CERTIFICATE_DEFAULTS
from lms.certificates.settings import check_settings
from lms.courses.links import render_and_check_links
from lms.courses.source import (
    Key,
    Located,
    Problem,
    YamlError,
    check_id,
    check_mapping,
    check_str_list,
    parse_yaml,
    split_front_matter,
)
from lms.quizzes.loader import load_quizzes
from lms.records.programfile import PROGRAM_KEYS as PROGRAM_RECORD_KEYS
from lms.records.programfile import check_program_records

ASSET_TYPES = {
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".webp": "image/webp",
    ".svg": "image/svg+xml",
}
MAX_ASSET_BYTES = 2 * 1024 * 1024
# Script in an SVG runs when the file is opened on its own: refuse it at the source.
_SVG_ACTIVE = re.compile(rb"<script|\bon\w+\s*=|javascript:", re.I)
MODULE_FILE = re.compile(r"^\d{2,3}-[a-z0-9][a-z0-9-]*\.md$")

COURSE_SCHEMA = {
    "id": Key(str, True),
    "title": Key(str, True),
    "summary": Key(str, True),
    "hours_jp": Key(int, True, "a whole number of JP"),
    "instructors": Key(list, True, "a list of roles"),
    "objectives": Key(list, False, "a list"),
    "modules": Key(list, True, "a list of module ids"),
}
MODULE_SCHEMA = {
    "id": Key(str, True),
    "title": Key(str, True),
    "minutes": Key(int, True, "a whole number of minutes"),
    "objectives": Key(list, False, "a list"),
}
PROGRAM_SCHEMA = {
    "id": Key(str, True),
    "title": Key(str, True),
    "summary": Key(str, False),
    "courses": Key(list, True, "a list of course ids"),
    "certificate": Key(dict, False, "a mapping of certificate settings"),
    **PROGRAM_RECORD_KEYS,
}


@dataclass
class ModuleSource:
    id: str
    title: str
    minutes: int
    objectives: list[str]
    path: str
    filename: str
    body: str
    body_line: int
    digest: str
    html: str = ""
    anchors: set[str] = field(default_factory=set)


@dataclass
class AssetSource:
    name: str
    content_type: str
    data: bytes
    digest: str


@dataclass
class CourseSource:
    dirname: str
    path: str
    id: str | None = None
    title: str = ""
    summary: str = ""
    hours_jp: int = 0
    instructors: list[str] = field(default_factory=list)
    objectives: list[str] = field(default_factory=list)
    modules: list[ModuleSource] = field(default_factory=list)
    assets: dict[str, AssetSource] = field(default_factory=dict)
    quizzes: list = field(default_factory=list)  # lms.quizzes.loader.QuizSource
    assignments: list = field(default_factory=list)  # lms.assignments.loader.AssignmentSource
    problems: list[Problem] = field(default_factory=list)
    digest: str = ""

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass
class ProgramSource:
    path: str
    id: str | None = None
    title: str = ""
    summary: str = ""
    courses: list[str] = field(default_factory=list)
    certificate: dict = field(default_factory=dict)
    records: dict = field(default_factory=dict)  # lms.records.programfile
    problems: list[Problem] = field(default_factory=list)


@dataclass
class ContentTree:
    root: str
    courses: list[CourseSource] = field(default_factory=list)
    programs: list[ProgramSource] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    def all_problems(self) -> list[Problem]:
        found = list(self.problems)
        for item in [*self.courses, *self.programs]:
            found.extend(item.problems)
        return sorted(set(found), key=lambda p: (p.path, p.line, p.message))


def load_tree(root: Path | str) -> ContentTree:
    """Load every course folder and program file below root."""
    root = Path(root)
    tree = ContentTree(root=str(root))
    if not root.is_dir():
        tree.problems.append(Problem(str(root), 0, "content folder not found"))
        return tree
    for folder in sorted(p for p in root.iterdir() if p.is_dir()):
        if folder.name.startswith((".", "_")):
            continue
        tree.courses.append(load_course(folder, display=root / folder.name))
    programs_dir = root / "_programs"
    if programs_dir.is_dir():
        for file in sorted(programs_dir.glob("*.yml")):
            tree.programs.append(load_program(file, display=programs_dir / file.name))
    _check_across(tree)
    return tree


def _check_across(tree: ContentTree) -> None:
    seen: dict[str, CourseSource] = {}
    for course in tree.courses:
        if not course.id:
            continue
        if course.id in seen:
            course.problems.append(
                Problem(
                    f"{course.path}/course.yml",
                    1,
                    f"course id '{course.id}' is already used by {seen[course.id].path}",
                )
            )
        else:
            seen[course.id] = course
    program_ids: dict[str, str] = {}
    for program in tree.programs:
        if program.id and program.id in program_ids:
            program.problems.append(
                Problem(program.path, 1, f"program id '{program.id}' is already used by "
                        f"{program_ids[program.id]}")
            )
        elif program.id:
            program_ids[program.id] = program.path
        doc_lines = getattr(program, "_lines", {})
        for index, course_id in enumerate(program.courses):
            if course_id not in seen:
                program.problems.append(
                    Problem(program.path, doc_lines.get(index, 1),
                            f"unknown course id '{course_id}'")
                )


def load_program(file: Path, display: Path | None = None) -> ProgramSource:
    path = str(display or file)
    program = ProgramSource(path=path)
    doc = _read_yaml(file, path, program.problems)
    if doc is None:
        return program
    data, problems = check_mapping(doc, path, PROGRAM_SCHEMA)
    program.problems.extend(problems)
    if "id" in data:
        program.problems.extend(check_id(data["id"], path, doc.line("id"), "program id"))
    program.problems.extend(check_str_list(data, "courses", doc, path))
    if isinstance(data.get("certificate"), dict):
        program.certificate, found = check_settings(doc, path)
        program.problems.extend(found)
    else:
        program.certificate = dict(CERTIFICATE_DEFAULTS)
    program.records, found = check_program_records(doc, path)
    program.problems.extend(found)
    if program.problems:
        return program
    program.id = data["id"]
    program.title = data["title"].strip()
    program.summary = (data.get("summary") or "").strip()
    program.courses = list(data["courses"])
    program._lines = {i: doc.line("courses", i) for i in range(len(program.courses))}  # type: ignore[attr-defined]
    return program


def load_course(folder: Path, display: Path | None = None) -> CourseSource:
    """Load one course folder. Problems are collected, never raised."""
    shown = str(display or folder)
    course = CourseSource(dirname=folder.name, path=shown)
    yml = folder / "course.yml"
    yml_path = f"{shown}/course.yml"
    if not yml.is_file():
        course.problems.append(Problem(yml_path, 0, "missing course.yml in a course folder"))
        return course
    doc = _read_yaml(yml, yml_path, course.problems)
    if doc is None:
        return course
    data, problems = check_mapping(doc, yml_path, COURSE_SCHEMA)
    course.problems.extend(problems)
    if isinstance(data.get("id"), str):
        course.problems.extend(check_id(data["id"], yml_path, doc.line("id"), "course id"))
        course.id = data["id"]
    for key in ("instructors", "objectives", "modules"):
        course.problems.extend(check_str_list(data, key, doc, yml_path))
    if isinstance(data.get("hours_jp"), int) and data["hours_jp"] <= 0:
        course.problems.append(
            Problem(yml_path, doc.line("hours_jp"), "'hours_jp' must be above 0"))
    course.title = str(data.get("title") or "").strip()
    course.summary = str(data.get("summary") or "").strip()
    course.hours_jp = data.get("hours_jp") if isinstance(data.get("hours_jp"), int) else 0
    course.instructors = [s.strip() for s in data.get("instructors") or [] if isinstance(s, str)]
    course.objectives = [s.strip() for s in data.get("objectives") or [] if isinstance(s, str)]

    course.assets = _load_assets(folder / "assets", f"{shown}/assets", course.problems)
    modules = _load_modules(folder / "modules", f"{shown}/modules", course.problems)
    order = data.get("modules") if isinstance(data.get("modules"), list) else []
    course.modules = _order_modules(modules, order, doc, yml_path, course.problems)
    course.problems.extend(render_and_check_links(course.assets, modules))
    course.quizzes, problems = load_quizzes(folder / "quizzes", f"{shown}/quizzes")
    course.problems.extend(problems)
    course.assignments, problems = load_assignments(folder / "assignments",
                                                    f"{shown}/assignments")
    course.problems.extend(problems)
    course.digest = _digest_folder(folder)
    return course


def _read_yaml(file: Path, path: str, problems: list[Problem], offset: int = 0) -> Located | None:
    try:
        text = file.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        problems.append(Problem(path, 1, "file is not UTF-8 text"))
        return None
    try:
        doc = parse_yaml(text, offset=offset)
    except YamlError as exc:
        problems.append(Problem(path, exc.line, exc.message))
        return None
    if doc.value is None:
        problems.append(Problem(path, 1, "file is empty"))
        return None
    return doc


def _load_assets(folder: Path, shown: str, problems: list[Problem]) -> dict[str, AssetSource]:
    assets: dict[str, AssetSource] = {}
    if not folder.is_dir():
        return assets
    for file in sorted(folder.iterdir()):
        if file.name.startswith("."):
            continue
        content_type = ASSET_TYPES.get(file.suffix.lower())
        if not file.is_file() or content_type is None:
            problems.append(
                Problem(f"{shown}/{file.name}", 0,
                        "assets must be image files: " + ", ".join(sorted(ASSET_TYPES)))
            )
            continue
        data = file.read_bytes()
        if len(data) > MAX_ASSET_BYTES:
            problems.append(Problem(f"{shown}/{file.name}", 0, "asset larger than 2 MB"))
            continue
        if content_type == "image/svg+xml" and _SVG_ACTIVE.search(data):
            problems.append(Problem(f"{shown}/{file.name}", 1, "SVG must not contain scripts"))
            continue
        assets[file.name] = AssetSource(
            name=file.name, content_type=content_type, data=data,
            digest=hashlib.sha256(data).hexdigest(),
        )
    return assets


def _load_modules(folder: Path, shown: str, problems: list[Problem]) -> list[ModuleSource]:
    modules: list[ModuleSource] = []
    if not folder.is_dir():
        return modules
    ids: dict[str, str] = {}
    for file in sorted(folder.iterdir()):
        if file.name.startswith(".") or not file.is_file():
            continue
        path = f"{shown}/{file.name}"
        if file.suffix != ".md":
            problems.append(Problem(path, 0, "only Markdown module files (NN-slug.md) belong here"))
            continue
        if not MODULE_FILE.match(file.name):
            problems.append(Problem(path, 0, "module file name must look like 01-slug.md"))
        module = _load_module(file, path, problems)
        if module is None:
            continue
        if module.id in ids:
            problems.append(
                Problem(path, 2, f"module id '{module.id}' is already used by {ids[module.id]}")
            )
            continue
        ids[module.id] = path
        modules.append(module)
    return modules


def _load_module(file: Path, path: str, problems: list[Problem]) -> ModuleSource | None:
    raw = file.read_bytes()
    split, found = split_front_matter(raw, path)
    if split is None:
        problems.extend(found)
        return None
    doc = split.doc
    data, found = check_mapping(doc, path, MODULE_SCHEMA)
    if isinstance(data.get("id"), str):
        found.extend(check_id(data["id"], path, doc.line("id"), "module id"))
    found.extend(check_str_list(data, "objectives", doc, path))
    if isinstance(data.get("minutes"), int) and data["minutes"] <= 0:
        found.append(Problem(path, doc.line("minutes"), "'minutes' must be above 0"))
    problems.extend(found)
    if found:
        return None
    return ModuleSource(
        id=data["id"],
        title=data["title"].strip(),
        minutes=data["minutes"],
        objectives=[s.strip() for s in data.get("objectives") or []],
        path=path,
        filename=file.name,
        body=split.body,
        body_line=split.body_line,
        digest=hashlib.sha256(raw).hexdigest(),
    )


def _order_modules(modules, order, doc, yml_path, problems) -> list[ModuleSource]:
    by_id = {m.id: m for m in modules}
    ordered: list[ModuleSource] = []
    listed: set[str] = set()
    for index, module_id in enumerate(order):
        if not isinstance(module_id, str):
            continue
        if module_id in listed:
            problems.append(
                Problem(yml_path, doc.line("modules", index), f"module '{module_id}' listed twice")
            )
            continue
        listed.add(module_id)
        if module_id not in by_id:
            problems.append(
                Problem(yml_path, doc.line("modules", index),
                        f"no module file has id '{module_id}'")
            )
            continue
        ordered.append(by_id[module_id])
    for module in modules:
        if module.id not in listed:
            problems.append(
                Problem(module.path, 2,
                        f"module '{module.id}' is not listed under 'modules' in course.yml")
            )
    if not order:
        problems.append(
            Problem(yml_path, doc.line("modules"), "a course needs at least one module"))
    return ordered


# Bump when the loader reads the same files differently, so every course is synced again.
LOADER_VERSION = "4"


def _digest_folder(folder: Path) -> str:
    digest = hashlib.sha256(LOADER_VERSION.encode())
    for file in sorted(folder.rglob("*")):
        hidden = any(part.startswith(".") for part in file.relative_to(folder).parts)
        if file.is_file() and not hidden:
            digest.update(str(file.relative_to(folder)).encode())
            digest.update(b"\0")
            digest.update(file.read_bytes())
            digest.update(b"\0")
    return digest.hexdigest()
