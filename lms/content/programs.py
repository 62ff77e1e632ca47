"""Program files (_programs/*.yml): the courses in order, and registered sections.

A section (`certificate:` today) is a key of the program file with its own check and
defaults, registered with register_section(); the loader and the sync need no change
for a new one. Pure loading; `sync_program` stores a checked program.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select

from lms.certificates.settings import DEFAULTS as CERTIFICATE_DEFAULTS
from lms.certificates.settings import check_settings
from lms.courses.models import Course, Program, ProgramCourse
from lms.extensions import db
from lms.records.programfile import check_application, check_final_grade
from lms.sources import (
    Key,
    Located,
    Problem,
    check_id,
    check_mapping,
    check_str_list,
    read_yaml,
)

PROGRAMS_DIR = "_programs"
PROGRAM_SCHEMA = {
    "id": Key(str, True),
    "title": Key(str, True),
    "summary": Key(str, False),
    "courses": Key(list, True, "a list of course ids"),
}


@dataclass(frozen=True)
class Section:
    """One optional mapping of a program file, checked and stored on its own."""

    name: str
    check: Callable[[Located, str], tuple[dict, list[Problem]]]  # (doc, path) -> value
    default: Callable[[], dict]
    store: Callable[[Program, dict], None]


SECTIONS: dict[str, Section] = {}


def register_section(section: Section) -> None:
    SECTIONS[section.name] = section


register_section(Section("certificate", check_settings, lambda: dict(CERTIFICATE_DEFAULTS),
                         lambda program, value: setattr(program, "certificate", dict(value))))


def _store_record(name: str) -> Callable[[Program, dict], None]:
    """The record sections (lms.records.programfile) share Program.records, by name."""
    def store(program: Program, value: dict) -> None:
        records = {k: v for k, v in (program.records or {}).items() if k != name}
        if value:
            records[name] = dict(value)
        program.records = records
    return store


for _name, _check in (("final_grade", check_final_grade), ("application", check_application)):
    register_section(Section(_name, _check, dict, _store_record(_name)))


@dataclass
class ProgramSource:
    path: str
    id: str | None = None
    title: str = ""
    summary: str = ""
    courses: list[str] = field(default_factory=list)
    sections: dict[str, dict] = field(default_factory=dict)
    course_lines: dict[int, int] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    @property
    def certificate(self) -> dict:
        return self.sections.get("certificate", {})


def load_programs(root: Path) -> list[ProgramSource]:
    folder = root / PROGRAMS_DIR
    if not folder.is_dir():
        return []
    return [load_program(file, display=folder / file.name) for file in sorted(folder.glob("*.yml"))]


def load_program(file: Path, display: Path | None = None) -> ProgramSource:
    path = str(display or file)
    program = ProgramSource(path=path)
    doc, found = read_yaml(file, path)
    if doc is None:
        program.problems.extend(found)
        return program
    schema = {**PROGRAM_SCHEMA, **{name: Key(dict, False, f"a mapping of {name} settings")
                                   for name in SECTIONS}}
    data, problems = check_mapping(doc, path, schema)
    program.problems.extend(problems)
    if "id" in data:
        program.problems.extend(check_id(data["id"], path, doc.line("id"), "program id"))
    program.problems.extend(check_str_list(data, "courses", doc, path))
    for name, section in SECTIONS.items():
        if isinstance(data.get(name), dict):
            program.sections[name], found = section.check(doc, path)
            program.problems.extend(found)
        else:
            program.sections[name] = section.default()
    if program.problems:
        return program
    program.id = data["id"]
    program.title = data["title"].strip()
    program.summary = (data.get("summary") or "").strip()
    program.courses = list(data["courses"])
    program.course_lines = {i: doc.line("courses", i) for i in range(len(program.courses))}
    return program


def check_programs(programs: list[ProgramSource], course_ids: set[str]) -> None:
    """Across files: program ids used twice, courses that do not exist."""
    seen: dict[str, str] = {}
    for program in programs:
        if program.id and program.id in seen:
            program.problems.append(Problem(program.path, 1, f"program id '{program.id}' is "
                                                             f"already used by {seen[program.id]}"))
        elif program.id:
            seen[program.id] = program.path
        for index, course_id in enumerate(program.courses):
            if course_id not in course_ids:
                program.problems.append(Problem(program.path, program.course_lines.get(index, 1),
                                                f"unknown course id '{course_id}'"))


def sync_program(source: ProgramSource) -> None:
    """Upsert one checked program by its id; the course list is replaced in order."""
    program = db.session.scalar(select(Program).where(Program.slug == source.id))
    if program is None:
        program = Program(slug=source.id)
        db.session.add(program)
    program.title = source.title
    program.summary = source.summary
    for name, section in SECTIONS.items():
        section.store(program, source.sections.get(name) or section.default())
    program.is_active = True
    if [pc.course.slug for pc in program.courses] == source.courses:
        db.session.flush()
        return  # the same courses in the same order: keep the rows
    courses = {c.slug: c for c in db.session.scalars(
        select(Course).where(Course.slug.in_(source.courses)))}
    program.courses.clear()
    db.session.flush()
    for position, slug in enumerate(source.courses):
        program.courses.append(ProgramCourse(course=courses[slug], position=position))
    db.session.flush()
