"""Reading courses and recording progress. Services flush; the view commits."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import and_, case, exists, func, select

from lms.auth.models import User
from lms.clock import utcnow
from lms.courses.models import Course, Enrollment, Module, ModuleProgress, ProgramCourse
from lms.extensions import db


class EnrollmentError(ValueError):
    """An enrollment that cannot be made; the message says why."""


@dataclass
class CourseProgress:
    course: Course
    total: int
    done: int
    next_module: Module | None = None

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0


def published_courses() -> list[Course]:
    return list(db.session.scalars(
        select(Course).where(Course.is_published.is_(True)).order_by(Course.title)))


def courses_with_errors() -> list[Course]:
    return list(db.session.scalars(
        select(Course).where(Course.sync_error.is_not(None)).order_by(Course.slug)))


def get_course(slug: str) -> Course | None:
    return db.session.scalar(select(Course).where(Course.slug == slug))


def active_modules(course: Course) -> list[Module]:
    return list(db.session.scalars(
        select(Module).where(Module.course_id == course.id, Module.is_active.is_(True))
        .order_by(Module.position)))


def is_enrolled(user: User, course: Course) -> bool:
    return bool(db.session.scalar(
        select(func.count()).select_from(Enrollment)
        .where(Enrollment.user_id == user.id, Enrollment.course_id == course.id)))


def can_study(user: User, course: Course) -> bool:
    """Staff may open every course; participants only those they are enrolled in."""
    return user.is_authenticated and (user.is_staff or is_enrolled(user, course))


# A module's last view is written at most this often: it only feeds "last activity" in the
# coordinator's grid, and a write at every visit put every page view in the writers' queue.
VIEW_EVERY = timedelta(minutes=5)


def module_progress(user: User, module: Module) -> ModuleProgress | None:
    return db.session.scalar(select(ModuleProgress).where(
        ModuleProgress.user_id == user.id, ModuleProgress.module_id == module.id))


@dataclass(frozen=True)
class ModuleView:
    """What the module page shows, read in two statements whatever the course's size:
    the course with whether the person is enrolled, then its active modules in order with
    the person's progress on each and the text of the one being opened."""
    course: object  # a row: id, slug, title, is_published
    may_study: bool
    modules: list  # rows: id, slug, title, minutes, position, html and objectives (only
    #                the opened one's), last_viewed_at, completed_at (the person's)
    index: int | None

    @property
    def module(self):
        return self.modules[self.index]


def module_view(user: User, slug: str, module_slug: str) -> ModuleView | None:
    """The module page of `slug` for user (signed in), or None when there is no such
    course, or it is unpublished and the user is not staff."""
    enrolled = exists().where(Enrollment.user_id == user.id, Enrollment.course_id == Course.id)
    course = db.session.execute(select(
        Course.id, Course.slug, Course.title, Course.is_published, enrolled.label("enrolled"))
        .where(Course.slug == slug)).first()
    if course is None or not (course.is_published or user.is_staff):
        return None
    if not (user.is_staff or course.enrolled):
        return ModuleView(course, False, [], None)
    opened = Module.slug == module_slug
    modules = db.session.execute(
        select(Module.id, Module.slug, Module.title, Module.minutes, Module.position,
               case((opened, Module.html)).label("html"),
               case((opened, Module.objectives), else_=None).label("objectives"),
               ModuleProgress.last_viewed_at, ModuleProgress.completed_at)
        .outerjoin(ModuleProgress, and_(ModuleProgress.module_id == Module.id,
                                        ModuleProgress.user_id == user.id))
        .where(Module.course_id == course.id, Module.is_active.is_(True))
        .order_by(Module.position)).all()
    index = next((i for i, m in enumerate(modules) if m.slug == module_slug), None)
    return ModuleView(course, True, modules, index)


def view_to_record(row) -> bool:
    """Whether opening the module now has to be written (first view, or the last one
    written more than VIEW_EVERY ago). `row` has the person's last_viewed_at (None when
    never viewed)."""
    return row is None or row.last_viewed_at is None or \
        utcnow() - row.last_viewed_at >= VIEW_EVERY


def record_view(user: User, module) -> ModuleProgress:
    """Remember that the user opened the module (first and last time)."""
    row = module_progress(user, module)
    now = utcnow()
    if row is None:
        row = ModuleProgress(user_id=user.id, module_id=module.id,
                             first_viewed_at=now, last_viewed_at=now)
        db.session.add(row)
    else:
        row.last_viewed_at = now
    db.session.flush()
    return row


def set_done(user: User, module: Module, done: bool) -> ModuleProgress:
    """Mark a module done (keeping the first completion time) or not done."""
    row = record_view(user, module)
    if done and row.completed_at is None:
        row.completed_at = utcnow()
    elif not done:
        row.completed_at = None
    db.session.flush()
    return row


def enroll(user: User, course: Course) -> Enrollment:
    """Enroll a user in a published course; enrolling twice changes nothing."""
    if not course.is_published:
        raise EnrollmentError(f"course '{course.slug}' is not published")
    existing = db.session.scalar(select(Enrollment).where(
        Enrollment.user_id == user.id, Enrollment.course_id == course.id))
    if existing:
        return existing
    enrollment = Enrollment(user_id=user.id, course_id=course.id)
    db.session.add(enrollment)
    db.session.flush()
    return enrollment


def learning_overview(user: User) -> list[CourseProgress]:
    """The user's enrolled courses with module counts, in three queries whatever their number;
    in the order of their program (a course outside any program last, by title)."""
    place = (select(func.min(ProgramCourse.position))
             .where(ProgramCourse.course_id == Course.id).scalar_subquery())
    courses = list(db.session.scalars(
        select(Course).join(Enrollment, Enrollment.course_id == Course.id)
        .where(Enrollment.user_id == user.id, Course.is_published.is_(True))
        .order_by(place.is_(None), place, Course.title)))
    if not courses:
        return []
    ids = [c.id for c in courses]
    modules = db.session.execute(
        select(Module.id, Module.course_id, Module.slug, Module.title)
        .where(Module.course_id.in_(ids), Module.is_active.is_(True))
        .order_by(Module.course_id, Module.position)).all()
    done_ids = set(db.session.scalars(
        select(ModuleProgress.module_id).join(Module, Module.id == ModuleProgress.module_id)
        .where(ModuleProgress.user_id == user.id, ModuleProgress.completed_at.is_not(None),
               Module.course_id.in_(ids))))
    result = {c.id: CourseProgress(course=c, total=0, done=0) for c in courses}
    for row in modules:
        entry = result[row.course_id]
        entry.total += 1
        if row.id in done_ids:
            entry.done += 1
        elif entry.next_module is None:
            entry.next_module = row
    return list(result.values())
