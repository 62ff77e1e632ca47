"""Reading courses and recording progress. Services flush; the view commits."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import NamedTuple

from sqlalchemy import and_, bindparam, case, exists, func, select
from sqlalchemy.orm import defer

from lms.auth.models import User
from lms.clock import utcnow
from lms.courses.models import Course, Enrollment, Module, ModuleProgress, ProgramCourse
from lms.extensions import db
from lms.statements import prepared, rows


class EnrollmentError(ValueError):
    """An enrollment that cannot be made; the message says why."""


@dataclass(frozen=True)
class CourseCard:
    """What the dashboard shows of a course."""
    id: int
    slug: str
    title: str
    hours_jp: int


@dataclass(frozen=True)
class ModuleLink:
    slug: str
    title: str


@dataclass
class CourseProgress:
    course: CourseCard
    total: int
    done: int
    next_module: ModuleLink | None = None

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
    """The course's active modules in order, without their text (a page listing them
    does not show it; reading `html` raises rather than send a statement per module)."""
    return list(db.session.scalars(_active_modules(), {"course_id": course.id}))


@prepared
def _active_modules():
    return (select(Module).options(defer(Module.html, raiseload=True))
            .where(Module.course_id == bindparam("course_id"), Module.is_active.is_(True))
            .order_by(Module.position))


def course_for(user: User, slug: str):
    """The course `slug` as a row of what the course page shows of it (id, slug, title,
    summary, hours_jp, instructors, objectives, is_published, sync_error, sync_error_at,
    downloads, glossary), and whether user (perhaps anonymous) is enrolled in it, in one
    statement; (None, False) when there is no such course."""
    found = rows(_course_and_enrolled(), {
        "slug": slug, "user_id": user.id if user.is_authenticated else None})
    return (found[0], bool(found[0].enrolled)) if found else (None, False)


@prepared
def _course_and_enrolled():
    enrolled = exists().where(Enrollment.user_id == bindparam("user_id"),
                              Enrollment.course_id == Course.id)
    return select(Course.id, Course.slug, Course.title, Course.summary, Course.hours_jp,
                  Course.instructors, Course.objectives, Course.is_published,
                  Course.sync_error, Course.sync_error_at, Course.downloads, Course.glossary,
                  enrolled.label("enrolled")).where(Course.slug == bindparam("slug"))


def module_rows(course_id: int) -> list:
    """The course's active modules in order as rows of what a list of them shows: id,
    course_id, slug, title, minutes, position."""
    return rows(_module_rows(), {"course_id": course_id})


@prepared
def _module_rows():
    return (select(Module.id, Module.course_id, Module.slug, Module.title, Module.minutes,
                   Module.position)
            .where(Module.course_id == bindparam("course_id"), Module.is_active.is_(True))
            .order_by(Module.position))


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
    """What the module page shows, read in one statement whatever the course's size: the
    course with whether the person is enrolled, joined with its active modules in order
    with the person's progress on each and the text of the one being opened."""
    course: CourseHead
    may_study: bool
    modules: list  # rows: id, slug, title, minutes, position, html and objectives (only
    #                the opened one's), last_viewed_at, completed_at (the person's)
    index: int | None

    @property
    def module(self):
        return self.modules[self.index]


class CourseHead(NamedTuple):
    """What the module page shows of its course."""
    id: int
    slug: str
    title: str
    is_published: bool
    enrolled: bool


def module_view(user: User, slug: str, module_slug: str) -> ModuleView | None:
    """The module page of `slug` for user (signed in), or None when there is no such
    course, or it is unpublished and the user is not staff."""
    found = rows(_module_page(), {"user_id": user.id, "slug": slug, "opened": module_slug})
    if not found:
        return None
    first = found[0]
    course = CourseHead(first.course_id, first.course_slug, first.course_title,
                        first.is_published, bool(first.enrolled))
    staff = user.is_staff
    if not (course.is_published or staff):
        return None
    if not (staff or course.enrolled):
        return ModuleView(course, False, [], None)
    modules = found if first.id is not None else []  # (a course without active modules)
    index = next((i for i, m in enumerate(modules) if m.slug == module_slug), None)
    return ModuleView(course, True, modules, index)


@prepared
def _module_page():
    # The course's columns (course_id, course_slug, course_title, is_published, enrolled)
    # on each row of its active modules in order; one row of NULL module columns when it
    # has none.
    enrolled = exists().where(Enrollment.user_id == bindparam("user_id"),
                              Enrollment.course_id == Course.id)
    opened = Module.slug == bindparam("opened")
    return (select(Course.id.label("course_id"), Course.slug.label("course_slug"),
                   Course.title.label("course_title"), Course.is_published,
                   enrolled.label("enrolled"), Module.id, Module.slug, Module.title,
                   Module.minutes, Module.position,
                   case((opened, Module.html)).label("html"),
                   case((opened, Module.objectives), else_=None).label("objectives"),
                   ModuleProgress.last_viewed_at, ModuleProgress.completed_at)
            .outerjoin(Module, and_(Module.course_id == Course.id, Module.is_active.is_(True)))
            .outerjoin(ModuleProgress, and_(ModuleProgress.module_id == Module.id,
                                            ModuleProgress.user_id == bindparam("user_id")))
            .where(Course.slug == bindparam("slug"))
            .order_by(Module.position))


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
    """The user's enrolled, published courses with their module counts and the first module
    not done, in one statement whatever their number; in the order of their program (a
    course outside any program last, by title)."""
    result: dict[int, CourseProgress] = {}
    for row in rows(_overview(), {"user_id": user.id}):
        entry = result.get(row.id)
        if entry is None:
            entry = result[row.id] = CourseProgress(
                course=CourseCard(row.id, row.slug, row.title, row.hours_jp), total=0, done=0)
        if row.module_slug is None:  # a course without active modules
            continue
        entry.total += 1
        if row.completed_at is not None:
            entry.done += 1
        elif entry.next_module is None:
            entry.next_module = ModuleLink(row.module_slug, row.module_title)
    return list(result.values())


@prepared
def _overview():
    place = (select(func.min(ProgramCourse.position))
             .where(ProgramCourse.course_id == Course.id).scalar_subquery())
    return (select(Course.id, Course.slug, Course.title, Course.hours_jp,
                   Module.slug.label("module_slug"), Module.title.label("module_title"),
                   ModuleProgress.completed_at)
            .join(Enrollment, Enrollment.course_id == Course.id)
            .outerjoin(Module, and_(Module.course_id == Course.id, Module.is_active.is_(True)))
            .outerjoin(ModuleProgress, and_(ModuleProgress.module_id == Module.id,
                                            ModuleProgress.user_id == bindparam("user_id")))
            .where(Enrollment.user_id == bindparam("user_id"), Course.is_published.is_(True))
            .order_by(place.is_(None), place, Course.title, Course.id, Module.position))
