"""Store one loaded course: its row, modules, assets and glossary, matched by stable id.

Called by lms.content.sync inside the course's transaction. Rows are matched by stable
id, so renamed or reordered files keep every learner's progress. A refused module or
asset keeps its last good version: it is neither changed nor deactivated.
"""

from __future__ import annotations

from sqlalchemy import select

from lms.clock import utcnow
from lms.courses.assets import DOWNLOAD_TYPES
from lms.courses.loader import CourseSource
from lms.courses.models import Course, CourseAsset, Module
from lms.extensions import db
from lms.sources import Refused


def record_refusal(source: CourseSource) -> Course | None:
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


def record_item_problems(course: Course, problems: list) -> None:
    """Items refused one by one: shown on the course page to its staff until fixed."""
    text = "\n".join(str(p) for p in sorted(set(problems))) or None
    if text != course.sync_error:
        course.sync_error = text
        course.sync_error_at = utcnow() if text else None


def sync_course(source: CourseSource) -> tuple[str, Course | None]:
    """("refused" | "unchanged" | "added" | "changed", the row). Flushes, never commits."""
    if not source.ok:
        return "refused", record_refusal(source)
    course = db.session.scalar(select(Course).where(Course.slug == source.id))
    if course is not None and course.content_hash == source.digest and course.is_published:
        return "unchanged", course
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
    course.synced_at = utcnow()
    if source.glossary is not None:
        course.glossary = [{"term": t.term, "anchor": t.anchor, "html": t.html}
                           for t in source.glossary]
    elif "glossary" not in source.refused:
        course.glossary = []
    db.session.flush()
    _sync_modules(course, source)
    _sync_assets(course, source)
    return outcome, course


def _sync_modules(course: Course, source: CourseSource) -> None:
    refused = source.refused.get("modules") or Refused()
    existing = {m.slug: m for m in db.session.scalars(
        select(Module).where(Module.course_id == course.id))}
    keep = set()
    for item in source.modules:
        module = existing.get(item.id)
        if module is None:
            module = Module(course_id=course.id, slug=item.id)
            db.session.add(module)
        keep.add(item.id)
        module.title = item.title
        module.minutes = item.minutes
        module.objectives = list(item.objectives)
        module.position = item.position
        module.source_path = item.filename
        if module.content_hash != item.digest or module.html != item.html:
            module.html = item.html
            module.content_hash = item.digest
        module.is_active = True
    for slug, module in existing.items():
        if slug not in keep and not refused.keeps(slug):
            module.is_active = False


def _sync_assets(course: Course, source: CourseSource) -> None:
    refused = {p.path.rsplit("/", 1)[-1] for p in source.problems
               if p.path.startswith(f"{source.path}/assets/")}
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
    kept = []
    for name, asset in assets.items():
        if name not in refused:  # a refused asset keeps its last good version
            db.session.delete(asset)
        elif asset.content_type in DOWNLOAD_TYPES.values():
            kept.append({"name": name, "size": len(asset.data)})
    course.downloads = sorted(
        [{"name": a.name, "size": len(a.data)} for a in source.assets.values() if a.is_download]
        + kept, key=lambda d: d["name"])
    db.session.flush()
