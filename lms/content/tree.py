"""The whole content tree: every course with its kinds, every program, in one pass.

Pure: files in, values and problems out; nothing is raised and nothing stored.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from lms.content.kinds import COURSE_KINDS, TREE_KINDS
from lms.content.lint import comment_warnings, duplicate_questions
from lms.content.programs import ProgramSource, check_programs, load_programs
from lms.courses.loader import CourseSource, DiskCache, load_course
from lms.sources import Problem, content_root
from lms.video import DEFAULT_PROVIDERS

# Bump when the loader reads the same files differently, so every course is synced again.
LOADER_VERSION = "5"


@dataclass
class ContentTree:
    root: str
    courses: list[CourseSource] = field(default_factory=list)
    programs: list[ProgramSource] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)

    def all_problems(self) -> list[Problem]:
        """Every problem of the tree (not the warnings), sorted by file and line."""
        found = list(self.problems)
        for item in [*self.courses, *self.programs]:
            found.extend(item.problems)
        return sorted(set(found), key=lambda p: (p.path, p.line, p.message))

    def all_warnings(self) -> list[Problem]:
        found = list(self.warnings)
        for course in self.courses:
            found.extend(course.warnings)
        return sorted(set(found), key=lambda p: (p.path, p.line, p.message))


def load_tree(root: Path | str, *, videos=DEFAULT_PROVIDERS, check: bool = False,
              known: dict[str, tuple[str, str]] | None = None) -> ContentTree:
    """Load every course folder and program file below root. With check (`lms content
    check`), also the tree kinds' problems and the warnings of the whole tree.

    known maps a folder name to the (course id, content hash) stored by the last sync
    that found no problem in it: a folder whose files still hash the same is not parsed
    or rendered at all (the sync then reports it unchanged).
    """
    root = Path(root)
    tree = ContentTree(root=str(root))
    if not root.is_dir():
        tree.problems.append(Problem(str(root), 0, "content folder not found"))
        return tree
    token = content_root.set(root)
    try:
        for folder in sorted(p for p in root.iterdir() if p.is_dir()):
            if folder.name.startswith((".", "_")):
                continue
            display = Path(root) / folder.name
            digest = digest_folder(folder)
            stored = (known or {}).get(folder.name)
            if stored and stored[1] == digest:
                tree.courses.append(CourseSource(dirname=folder.name, path=str(display),
                                                 id=stored[0], digest=digest, parsed=False))
                continue
            tree.courses.append(load_course_kinds(folder, display, videos, digest=digest))
        tree.programs = load_programs(root)
        if check:
            for kind in TREE_KINDS.values():
                tree.problems.extend(kind.check(root))
            tree.warnings.extend(comment_warnings(root, root))
            tree.warnings.extend(duplicate_questions(root, root))
    finally:
        content_root.reset(token)
    _check_across(tree)
    return tree


def load_course_kinds(folder: Path, display: Path, videos=DEFAULT_PROVIDERS,
                      cache: DiskCache | None = None, digest: str = "") -> CourseSource:
    """One course folder: course, modules and assets, then every registered course kind."""
    course = load_course(folder, display=display, videos=videos, cache=cache)
    for name, kind in COURSE_KINDS.items():
        loaded = kind.load(folder / name, f"{display}/{name}")
        setattr(course, name, loaded.items)
        course.problems.extend(loaded.problems)
        course.warnings.extend(loaded.warnings)
        course.refused[name] = loaded.refused
    course.digest = digest or digest_folder(folder)
    return course


def _check_across(tree: ContentTree) -> None:
    seen: dict[str, CourseSource] = {}
    for course in tree.courses:
        if not course.id:
            continue
        if course.id in seen:
            course.problems.append(Problem(course.yml_path, 1, f"course id '{course.id}' is "
                                                               f"already used by "
                                                               f"{seen[course.id].path}"))
        else:
            seen[course.id] = course
    check_programs(tree.programs, set(seen))


def digest_folder(folder: Path) -> str:
    digest = hashlib.sha256(LOADER_VERSION.encode())
    for file in sorted(folder.rglob("*")):
        hidden = any(part.startswith(".") for part in file.relative_to(folder).parts)
        if file.is_file() and not hidden:
            digest.update(str(file.relative_to(folder)).encode())
            digest.update(b"\0")
            digest.update(file.read_bytes())
            digest.update(b"\0")
    return digest.hexdigest()
