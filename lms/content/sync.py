"""Store a loaded content tree, one transaction per course and per program.

A problem in course.yml refuses the course (its last good version keeps serving); a
problem in a module, asset, quiz or assignment refuses that item only, and the rest
of the course is stored. Every problem is recorded on the course for its instructors
and coordinators to read. Unchanged courses are skipped by hash.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

from lms.content.kinds import COURSE_KINDS, TREE_KINDS
from lms.content.programs import sync_program
from lms.content.tree import ContentTree
from lms.courses.loader import CourseSource
from lms.courses.models import Course
from lms.courses.sync import record_item_problems, record_refusal, sync_course
from lms.extensions import db
from lms.sources import Problem, Refused


@dataclass
class SyncReport:
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    refused: dict[str, list[str]] = field(default_factory=dict)
    # Courses stored with some items refused: label -> the items' problems.
    partial: dict[str, list[str]] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.refused and not self.partial

    def summary(self) -> str:
        return (
            f"{len(self.added)} added, {len(self.changed)} changed, "
            f"{len(self.unchanged)} unchanged, {len(self.removed)} removed, "
            f"{len(self.refused)} refused, {len(self.partial)} with refused items"
        )


def sync_tree(tree: ContentTree, *, surveys_root: Path | None = None) -> SyncReport:
    """Store every course and program of tree; commits once per course and program."""
    report = SyncReport()
    seen: set[str] = set()
    for source in tree.courses:
        label = source.id or source.path
        if source.id:
            seen.add(source.id)
        try:
            outcome = _sync_one(source)
            db.session.commit()
        except SQLAlchemyError as exc:
            db.session.rollback()
            outcome = "refused"
            source.problems.append(Problem(source.yml_path, 0,
                                           f"database refused the course: {exc.orig}"))
            record_refusal(source)
            db.session.commit()
        if outcome == "refused":
            report.refused[label] = [str(p) for p in sorted(set(source.problems))]
            continue
        getattr(report, outcome).append(label)
        if source.item_problems:
            report.partial[label] = [str(p) for p in sorted(set(source.item_problems))]
    for course in db.session.scalars(select(Course).where(Course.is_published.is_(True))):
        if course.slug not in seen:
            course.is_published = False
            report.removed.append(course.slug)
    db.session.commit()
    for program in tree.programs:
        if program.problems:
            report.refused[f"program {program.id or program.path}"] = [
                str(p) for p in program.problems]
            continue
        sync_program(program)
        db.session.commit()
    if surveys_root is not None:
        for name, kind in TREE_KINDS.items():
            for problem in kind.sync(surveys_root):
                report.refused.setdefault(name, []).append(str(problem))
        db.session.commit()
    return report


def known_courses() -> dict[str, tuple[str, str]]:
    """Folder name -> (course id, content hash) of every published course whose last sync
    found no problem: what load_tree may skip when the hash is unchanged."""
    rows = db.session.execute(select(Course.source_dir, Course.slug, Course.content_hash).where(
        Course.is_published.is_(True), Course.sync_error.is_(None),
        Course.content_hash.is_not(None)))
    return {folder: (slug, digest) for folder, slug, digest in rows if folder}


def _sync_one(source: CourseSource) -> str:
    outcome, course = sync_course(source)
    if outcome == "refused" or course is None:
        return "refused"
    if not source.parsed:
        if outcome != "unchanged":  # changed since load_tree looked: never store a stub
            raise RuntimeError(f"course {source.id} changed during the sync; run it again")
        return outcome
    if outcome != "unchanged":
        for name, kind in COURSE_KINDS.items():
            kind.sync(course.id, getattr(source, name), source.refused.get(name) or Refused())
    record_item_problems(course, source.item_problems)
    db.session.flush()
    return outcome
