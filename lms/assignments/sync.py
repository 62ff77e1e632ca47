"""Store a course's assignments by stable id (called inside the course's transaction)."""

from sqlalchemy import select

from lms.assignments.loader import AssignmentSource
from lms.assignments.models import Assignment
from lms.extensions import db
from lms.sources import Refused

FIELDS = ("title", "instructions_html", "due_days", "max_score", "pass_mark", "accepted_types",
          "max_size_mb", "allow_text", "rubric")


def sync_assignments(course_id: int, sources: list[AssignmentSource],
                     refused: Refused | None = None) -> None:
    """Upsert by stable id; a refused assignment file keeps its last good version."""
    existing = {a.slug: a for a in db.session.scalars(
        select(Assignment).where(Assignment.course_id == course_id))}
    for position, source in enumerate(sources):
        row = existing.pop(source.id, None)
        if row is None:
            row = Assignment(course_id=course_id, slug=source.id)
            db.session.add(row)
        for name in FIELDS:
            setattr(row, name, getattr(source, name))
        row.position = position
        row.content_hash = source.digest
        row.is_active = True
    for slug, row in existing.items():
        if not (refused and refused.keeps(slug)):
            row.is_active = False
    db.session.flush()
