"""Read one course folder (course.yml, modules/, assets/, glossary.yml) into dataclasses.

Pure: files in, values and `path:line: message` problems out. No Flask, no database.
Quizzes, assignments and programs are other kinds, composed by lms.content. A problem
refuses its own file only: a broken module or asset is left out (the sync keeps its
last good version); only a problem in course.yml refuses the course.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

from lms.courses.assets import AssetSource, load_assets
from lms.courses.checks import check_body
from lms.courses.glossary import GLOSSARY_FILE, load_glossary
from lms.courses.links import render_and_check_links
from lms.markup import GlossaryTerm
from lms.sources import (
    Key,
    Located,
    Problem,
    Refused,
    check_id,
    check_mapping,
    check_place,
    check_str_list,
    loose_id,
    read_text,
    read_yaml,
    split_front_matter,
)
from lms.video import DEFAULT_PROVIDERS

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
    position: int = 0  # its place in course.yml's list


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
    glossary: list[GlossaryTerm] | None = None  # None: no file, or the file was refused
    quizzes: list = field(default_factory=list)  # filled by lms.content
    assignments: list = field(default_factory=list)  # filled by lms.content
    # Every problem of the folder; those of course.yml refuse the course, the others
    # refuse their own file.
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    refused: dict[str, Refused] = field(default_factory=dict)  # kind -> refused items
    digest: str = ""
    parsed: bool = True  # False: skipped by hash, unchanged since the last clean sync

    @property
    def yml_path(self) -> str:
        return f"{self.path}/course.yml"

    @property
    def ok(self) -> bool:
        """May the course itself be synced (its items may still be refused one by one)?"""
        return self.id is not None and not any(p.path == self.yml_path for p in self.problems)

    @property
    def item_problems(self) -> list[Problem]:
        return [p for p in self.problems if p.path != self.yml_path]


class DiskCache:
    """What the staff preview read before: files by (mtime, size), renders by input.

    Reading a course through a cache re-reads only files whose modification time or size
    changed, and renders a module again only when its text, the module file names or the
    glossary changed.
    """

    def __init__(self) -> None:
        self.files: dict[str, tuple[int, int, bytes]] = {}
        self.renders: dict[tuple, tuple[str, set[str]]] = {}
        self.reads = 0
        self.rendered = 0

    def read_bytes(self, file: Path) -> bytes:
        stat = file.stat()
        key = str(file)
        known = self.files.get(key)
        if known and known[0] == stat.st_mtime_ns and known[1] == stat.st_size:
            return known[2]
        self.reads += 1
        data = file.read_bytes()
        self.files[key] = (stat.st_mtime_ns, stat.st_size, data)
        return data


def load_course(folder: Path, display: Path | None = None, *, videos=DEFAULT_PROVIDERS,
                cache: DiskCache | None = None, drafts: bool = False) -> CourseSource:
    """Load one course folder. Problems are collected, never raised.

    With drafts (the staff preview), a module whose body has problems stays in the list
    so its author can read it; the sync never uses drafts.
    """
    shown = str(display or folder)
    course = CourseSource(dirname=folder.name, path=shown)
    yml = folder / "course.yml"
    yml_path = course.yml_path
    if not yml.is_file():
        course.problems.append(Problem(yml_path, 0, "missing course.yml in a course folder"))
        return course
    doc = _read_yaml(yml, yml_path, course.problems, cache)
    data: dict = {}
    if doc is not None:
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

    reader = cache.read_bytes if cache else None
    course.assets = load_assets(folder / "assets", f"{shown}/assets", course.problems, reader)
    glossary_path = f"{shown}/{GLOSSARY_FILE}"
    if (folder / GLOSSARY_FILE).exists():
        course.glossary, found = load_glossary(folder / GLOSSARY_FILE, glossary_path, reader)
        course.problems.extend(found)
        if found:
            course.refused["glossary"] = Refused(unknown=True)
    modules, refused = _load_modules(folder / "modules", f"{shown}/modules", course.problems,
                                     videos, reader, drafts)
    order = data.get("modules") if isinstance(data.get("modules"), list) else []
    if doc is not None:
        course.modules = _order_modules(modules, refused, order, doc, yml_path, course.problems)
    # A refused asset keeps its last good version, so links to it stay valid.
    asset_names = set(course.assets) | {p.path.rsplit("/", 1)[-1] for p in course.problems
                                        if p.path.startswith(f"{shown}/assets/")}
    found = render_and_check_links(asset_names, modules, videos=videos,
                                   glossary=course.glossary, cache=cache,
                                   refused_files=refused.files)
    course.problems.extend(found)
    broken = set() if drafts else {p.path for p in found}
    if order and not [m for m in course.modules if m.path not in broken] and doc is not None:
        course.problems.append(Problem(yml_path, doc.line("modules"),
                                       "none of this course's modules could be loaded; fix "
                                       "their problems below"))
    for module in [m for m in course.modules if m.path in broken]:
        refused.ids.add(module.id)
    course.modules = [m for m in course.modules if m.path not in broken]
    course.refused["modules"] = Refused(ids=refused.ids, unknown=refused.unknown)
    if doc is not None and course.hours_jp and course.modules and not refused.ids \
            and not refused.unknown:
        minutes = sum(m.minutes for m in course.modules)
        if minutes != course.hours_jp * MINUTES_PER_JP:
            course.warnings.append(Problem(
                yml_path, doc.line("hours_jp"),
                f"warning: the modules' minutes add up to {minutes}, but {course.hours_jp} JP "
                f"is {course.hours_jp * MINUTES_PER_JP} minutes (1 JP = {MINUTES_PER_JP} "
                f"minutes); change a module's 'minutes' or 'hours_jp'"))
    return course


MINUTES_PER_JP = 45


def _read_yaml(file: Path, path: str, problems: list[Problem], cache=None) -> Located | None:
    doc, found = read_yaml(file, path, cache.read_bytes if cache else None)
    problems.extend(found)
    return doc


@dataclass
class _RefusedModules(Refused):
    files: dict[str, str | None] = field(default_factory=dict)  # file name -> id if readable


def _load_modules(folder: Path, shown: str, problems: list[Problem], videos,
                  reader, drafts: bool = False) -> tuple[list[ModuleSource], _RefusedModules]:
    modules: list[ModuleSource] = []
    refused = _RefusedModules()
    if not folder.is_dir():
        return modules, refused
    ids: dict[str, str] = {}
    for file in sorted(folder.iterdir()):
        if file.name.startswith(".") or not (file.is_file() or file.is_symlink()):
            continue
        path = f"{shown}/{file.name}"
        if file.suffix != ".md":
            problems.append(Problem(path, 0, "only Markdown module files (NN-slug.md) belong here"))
            continue
        found: list[Problem] = []
        if not MODULE_FILE.match(file.name):
            found.append(Problem(path, 0, "module file name must look like 01-slug.md"))
        text, read_problems = read_text(file, path, reader)
        found.extend(read_problems)
        module = _load_module(file, path, text, found, videos) if text is not None else None
        if module is not None and module.id in ids:
            found.append(
                Problem(path, 2, f"module id '{module.id}' is already used by {ids[module.id]}"))
        problems.extend(found)
        if module is not None and drafts and module.id not in ids:
            found = []
        if found or module is None:
            refused_id = module.id if module else loose_id(text if text is not None
                                                             else _head(file, path))
            refused.files[file.name] = refused_id  # still a file other modules may link to
            if refused_id and refused_id not in ids:
                refused.ids.add(refused_id)
            elif not refused_id:
                refused.unknown = True
            continue
        ids[module.id] = path
        modules.append(module)
    return modules, refused


def _head(file: Path, path: str) -> str:
    """The top of a file refused before reading (too big, BOM, CR LF), for its id only."""
    if check_place(file, path):
        return ""
    with file.open("rb") as handle:
        return handle.read(4096).decode("utf-8", "replace").lstrip("\ufeff").replace("\r", "")


def _load_module(file: Path, path: str, text: str, found: list[Problem],
                 videos) -> ModuleSource | None:
    split, problems = split_front_matter(text, path)
    found.extend(problems)
    if split is None:
        return None
    # The body is checked even when the front matter is broken: every problem in one pass.
    found.extend(check_body(split.body, split.body_line, path, videos))
    doc = split.doc
    if doc is None:
        return None
    data, problems = check_mapping(doc, path, MODULE_SCHEMA)
    if isinstance(data.get("id"), str):
        problems.extend(check_id(data["id"], path, doc.line("id"), "module id"))
    problems.extend(check_str_list(data, "objectives", doc, path))
    if isinstance(data.get("minutes"), int) and data["minutes"] <= 0:
        problems.append(Problem(path, doc.line("minutes"), "'minutes' must be above 0"))
    found.extend(problems)
    if problems:
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
        digest=hashlib.sha256(text.encode()).hexdigest(),
    )


def _order_modules(modules, refused, order, doc, yml_path, problems) -> list[ModuleSource]:
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
            if module_id not in refused.ids and not refused.unknown:
                problems.append(Problem(yml_path, doc.line("modules", index),
                                        f"no module file has id '{module_id}'"))
            continue
        by_id[module_id].position = index
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
