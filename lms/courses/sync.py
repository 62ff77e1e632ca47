"""Store a loaded content tree in the database, one transaction per course.

A course with any problem is refused whole: its last good version keeps
serving, and the problems are recorded on the course for its instructors and
coordinators to read. Rows are matched by stable id, so renamed or reordered
files keep every learner's progress. Unchanged courses are skipped by hash.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

from lms.assignments.sync import sync_assignments
from lms.clock import utcnow
from lms.courses.loader import ContentTree, CourseSource, ProgramSource
from lms.courses.models import Course, CourseAsset, Module, Program, ProgramCourse
from lms.extensions import db
from lms.quizzes.sync import sync_quizzes


@dataclass
class SyncReport:
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    refused: dict[str, list[str]] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.refused

    def summary(self) -> str:
        return (
            f"{len(self.added)} added, {len(self.changed)} changed, "
            f"{len(self.unchanged)} unchanged, {len(self.removed)} removed, "
            f"{len(self.refused)} refused"
        )


def sync_tree(tree: ContentTree) -> SyncReport:
    """Load every course and program of tree; commits once per course and program."""
    report = SyncReport()
    seen: set[str] = set()
    for source in tree.courses:
        label = source.id or source.path
        if source.id:
            seen.add(source.id)
        try:
            outcome = _sync_course(source)
            db.session.commit()
        except SQLAlchemyError as exc:
            db.session.rollback()
            outcome = "refused"
            source.problems.append(_db_problem(source, exc))
            _record_refusal(source)
            db.session.commit()
        if outcome == "refused":
            report.refused[label] = [str(p) for p in source.problems]
        else:
            getattr(report, outcome).append(label)
    for course in db.session.scalars(select(Course).where(Course.is_published.is_(True))):
        if course.slug not in seen:
            course.is_published = False
            report.removed.append(course.slug)
    db.session.commit()
    for program in tree.programs:
        if program.problems:
            report.refused[f"program {program.id or program.path}"] = [
                str(p) for p in program.problems
            ]
            continue
        _sync_program(program)
        db.session.commit()
    return report


def _db_problem(source: CourseSource, exc: SQLAlchemyError):
    from lms.courses.source import Problem

    return Problem(f"{source.path}/course.yml", 0, f"database refused the course: {exc.orig}")


def _record_refusal(source: CourseSource) -> Course | None:
    """Keep the last good version; remember why this one was refused."""
    if not source.id:
        return None
    course = db.session.scalar(select(Course).where(Course.slug == source.id))
    if course is None:
        course = Course(slug=source.id, title=source.title or source.id, is_published=False)
        db.session.add(course)
    course.source_dir = source.dirname
    course.sync_error = "\n".join(str(p) for p in source.problems)
    course.sync_error_at = utcnow()
    db.session.flush()
    return course


def _sync_course(source: CourseSource) -> str:
    if not source.ok or not source.id:
        _record_refusal(source)
        return "refused"
    course = db.session.scalar(select(Course).where(Course.slug == source.id))
    if course is not None and course.content_hash == source.digest and course.is_published:
        if course.sync_error:
            course.sync_error = None
        return "unchanged"
    outcome = "added" if course is None or course.content_hash is None else "changed"
    if course is None:
        course = Course(slug=source.id)
        db.session.add(course)
    course.title = source.title
    course.summary = source.summary
    course.hours_jp = source.hours_jp
    course.instructors = list(source.instructors)
    course.objectives = list(source.objectives)
    course.source_dir = source.dirname
    course.content_hash = source.digest
    course.is_published = True
    course.sync_error = None
    course.sync_error_at = None
    course.synced_at = utcnow()
    db.session.flush()

    existing = {m.slug: m for m in db.session.scalars(
        select(Module).where(Module.course_id == course.id))}
    keep = set()
    for position, item in enumerate(source.modules):
        module = existing.get(item.id)
        if module is None:
            module = Module(course_id=course.id, slug=item.id)
            db.session.add(module)
        keep.add(item.id)
        module.title = item.title
        module.minutes = item.minutes
        module.objectives = list(item.objectives)
        module.position = position
        module.source_path = item.filename
        if module.content_hash != item.digest or module.html != item.html:
            module.html = item.html
            module.content_hash = item.digest
        module.is_active = True
    for slug, module in existing.items():
        if slug not in keep:
            module.is_active = False

    assets = {a.name: a for a in db.session.scalars(
        select(CourseAsset).where(CourseAsset.course_id == course.id))}
    for name, item in source.assets.items():
        asset = assets.pop(name, None)
        if asset is None:
            db.session.add(CourseAsset(course_id=course.id, name=name,
                                       content_type=item.content_type, data=item.data,
                                       content_hash=item.digest))
        elif asset.content_hash != item.digest:
            asset.data, asset.content_hash, asset.content_type = (
                item.data, item.digest, item.content_type)
    for asset in assets.values():
        db.session.delete(asset)
    db.session.flush()
    sync_quizzes(course.id, source.quizzes)
    sync_assignments(course.id, source.assignments)
    return outcome


def _sync_program(source: ProgramSource) -> None:
    program = db.session.scalar(select(Program).where(Program.slug == source.id))
    if program is None:
        program = Program(slug=source.id)
        db.session.add(program)
    program.title = source.title
    program.summary = source.summary
    program.certificate = dict(source.certificate)
    program.records = dict(source.records)
    program.is_active = True
    courses = {c.slug: c for c in db.session.scalars(
        select(Course).where(Course.slug.in_(source.courses)))}
    program.courses.clear()
    db.session.flush()
    for position, slug in enumerate(source.courses):
        program.courses.append(ProgramCourse(course=courses[slug], position=position))
    db.session.flush()
