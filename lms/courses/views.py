"""Catalog, course page, module page, progress, assets and the staff preview."""

from pathlib import Path

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required
from markupsafe import Markup
from sqlalchemy import select

from lms import db_setup
from lms.auth.access import roles_required
from lms.auth.models import STAFF_ROLES
from lms.courses import panels, services
from lms.courses.forms import ProgressForm
from lms.courses.kept import keep
from lms.courses.loader import CourseSource, DiskCache, load_course
from lms.courses.models import CourseAsset, Module
from lms.extensions import db
from lms.i18n import locale_code

bp = Blueprint("courses", __name__)

ASSET_CSP = "default-src 'none'; style-src 'unsafe-inline'; sandbox"


def _course_or_404(slug: str):
    course = services.get_course(slug)
    if course is None:
        abort(404)
    if not course.is_published and not (current_user.is_authenticated and current_user.is_staff):
        abort(404)
    return course


@bp.get("/courses")
def catalog():
    courses = services.published_courses()
    broken = services.courses_with_errors() if _is_staff() else []
    return render_template("courses/catalog.html", courses=courses, broken=broken)


@bp.get("/learning")
@login_required
def dashboard():
    user = current_user._get_current_object()
    overview = services.learning_overview(user)
    # Announcements and evaluations to give come from the features above courses.
    found = panels.collect_dashboard(user)
    return render_template("courses/dashboard.html", overview=overview,
                           body_key=_dashboard_key(user, overview, found), **found)


def _dashboard_key(user, overview, found: dict):
    """What "My learning" prints below the greeting, as a key to keep it by (see `kept`):
    the courses with their progress, the receivers' values (rows of announcements and
    evaluations to give), whether and how the reader is staff, the language."""
    try:
        key = ("dashboard", request.script_root, locale_code(), user.is_staff, user.role,
               tuple((c.course, c.total, c.done, c.next_module) for c in overview),
               tuple((name, tuple(value) if isinstance(value, list) else value)
                     for name, value in sorted(found.items())))
        hash(key)
    except TypeError:  # a receiver's value that is no plain value: render every time
        return None
    return key


@bp.get("/courses/<slug>")
def course_page(slug: str):
    course, enrolled = services.course_for(current_user, slug)
    staff = _is_staff()
    if course is None or not (course.is_published or staff):
        abort(404)
    modules = services.module_rows(course.id) if course.is_published else []
    may_study = staff or enrolled
    # Progress on modules, quizzes and assignments comes from the layers above courses
    # (lms.progress answers `panels.course_page`); the template only prints it.
    found = panels.collect(course, current_user, modules=modules)
    return render_template(
        "courses/course.html", course=course, modules=modules, may_study=may_study,
        show_errors=staff, body_key=_course_body_key(course, modules, may_study, staff, found),
        **found)


def _course_body_key(course, modules, may_study: bool, staff: bool, found: dict):
    """What the course page's body prints, as a key to keep it by (see `kept`): the course
    row, its modules, the reader's progress (frozen values), whether they may study, the
    language. None (rendered each time) for staff, who also see sync errors with times."""
    if staff:
        return None
    try:
        key = ("course", request.script_root, request.path, locale_code(),
               current_user.is_authenticated, may_study, repr(course), tuple(modules),
               tuple(sorted(found.items())))
        hash(key)
    except TypeError:  # a receiver's value that is no plain value: render every time
        return None
    return key


@bp.app_template_global("kept")
def kept_block(key, caller) -> Markup:
    """`{% call kept(key) %}...{% endcall %}`: the block's output, rendered once per app
    for each key (a tuple of everything the block prints; None: render every time), kept
    in lms.courses.kept."""
    return keep("page", key, caller)


@bp.get("/courses/<slug>/modules/<module_slug>")
@login_required
def module_page(slug: str, module_slug: str):
    view = services.module_view(current_user, slug, module_slug)
    if view is None:
        abort(404)
    if not view.may_study:
        abort(403)
    if view.index is None:
        abort(404)
    module, index, modules = view.module, view.index, view.modules
    done = module.completed_at is not None
    if services.view_to_record(module):
        db_setup.writing()
        done = services.record_view(current_user, module).completed_at is not None
        db.session.commit()
    previous = modules[index - 1] if index > 0 else None
    following = modules[index + 1] if index + 1 < len(modules) else None
    return render_template(
        "courses/module.html", course=view.course, module=module,
        body=_module_body(view.course, module, previous, following, index + 1,
                          len(modules), done))


# The module page's body (breadcrumb, module text, progress forms, pager) as rendered
# before, per app (lms.courses.kept), keyed by everything it prints: the module's text,
# title, objectives, the course's title, the neighbours, the language, whether done. A
# content sync that changes any of them makes another key; nothing has to be invalidated.
# The CSRF token is put in at each request.
def _module_body(course, module, previous, following, position: int, count: int,
                 done: bool) -> Markup:
    objectives = module.objectives
    try:
        key = (request.script_root, locale_code(), course.slug, course.title,
               module.slug, module.title, module.minutes,
               tuple(objectives) if objectives else None, module.html, position, count,
               previous and (previous.slug, previous.title),
               following and (following.slug, following.title), done)
        hash(key)
    except TypeError:  # objectives that are not plain strings: render every time
        key = None
    return keep("module", key, lambda: current_app.jinja_env.get_template(
        "courses/_module_body.html").render(
        course=course, module=module, html=module.html,
        previous=previous, next=following, position=position, count=count, done=done,
        may_mark=True, preview=False), key_chars=len(module.html or ""))


@bp.post("/courses/<slug>/modules/<module_slug>/progress")
@login_required
def set_progress(slug: str, module_slug: str):
    course = _course_or_404(slug)
    if not services.can_study(current_user, course):
        abort(403)
    module = db.session.scalar(select(Module).where(
        Module.course_id == course.id, Module.slug == module_slug, Module.is_active.is_(True)))
    if module is None:
        abort(404)
    form = ProgressForm()
    if not form.validate_on_submit() or form.done.data not in ("1", "0"):
        abort(400)
    done = form.done.data == "1"
    services.set_done(current_user, module, done)
    db.session.commit()
    flash(_("Module marked as done.") if done else _("Module marked as not done."), "success")
    if done and request.form.get("then") == "next":
        following = services.active_modules(course)
        slugs = [m.slug for m in following]
        position = slugs.index(module.slug)
        if position + 1 < len(slugs):
            return redirect(url_for(".module_page", slug=slug, module_slug=slugs[position + 1]))
        return redirect(url_for(".course_page", slug=slug))
    return redirect(url_for(".module_page", slug=slug, module_slug=module_slug))


@bp.get("/courses/<slug>/assets/<name>")
def asset(slug: str, name: str):
    course = _course_or_404(slug)
    row = db.session.scalar(select(CourseAsset).where(
        CourseAsset.course_id == course.id, CourseAsset.name == name))
    if row is None:
        abort(404)
    return _asset_response(row.data, row.content_type, row.content_hash, name)


@bp.get("/courses/<slug>/glossary")
def glossary(slug: str):
    course = _course_or_404(slug)
    return render_template("courses/glossary.html", course=course, preview=False,
                           terms=course.glossary or [])


def _asset_response(data: bytes, content_type: str, etag: str, name: str) -> Response:
    response = Response(data, mimetype=content_type)
    if not content_type.startswith("image/"):  # a download: a file to keep, not a page
        response.headers.set("Content-Disposition", "attachment", filename=name)
    response.headers["Content-Security-Policy"] = ASSET_CSP
    response.headers["Cache-Control"] = "private, max-age=3600"
    response.set_etag(etag)
    return response.make_conditional(request)


# The preview reads straight from disk, so authors see a change before it is synced;
# through a cache per course folder it re-reads only changed files and re-renders only
# changed modules (one process's memory: a few courses of text and images).
_PREVIEW_CACHES: dict[str, DiskCache] = {}


def _disk_course(slug: str) -> CourseSource:
    course = services.get_course(slug)
    root = Path(current_app.config["CONTENT_DIR"])
    folder = root / course.source_dir if course and course.source_dir else None
    if folder is None or not (folder / "course.yml").is_file():
        folder = next((p for p in sorted(root.iterdir()) if p.is_dir()
                       and (p / "course.yml").is_file() and _declares(p, slug)), None) \
            if root.is_dir() else None
    if folder is None:
        abort(404)
    cache = _PREVIEW_CACHES.setdefault(str(folder.resolve()), DiskCache())
    return load_course(folder, display=Path(root.name) / folder.name, cache=cache, drafts=True,
                       videos=current_app.config["VIDEO_PROVIDERS"])


def _declares(folder: Path, slug: str) -> bool:
    head = (folder / "course.yml").read_text(encoding="utf-8", errors="replace")
    return any(line.strip() == f"id: {slug}" for line in head.splitlines())


@bp.get("/courses/<slug>/preview")
@roles_required(*STAFF_ROLES)
def preview(slug: str):
    source = _disk_course(slug)
    return render_template("courses/preview.html", source=source)


@bp.get("/courses/<slug>/preview/modules/<module_slug>")
@roles_required(*STAFF_ROLES)
def preview_module(slug: str, module_slug: str):
    source = _disk_course(slug)
    modules = source.modules
    index = next((i for i, m in enumerate(modules) if m.id == module_slug), None)
    if index is None:
        abort(404)
    module = modules[index]
    problems = [p for p in source.problems if p.path == module.path]
    return render_template(
        "courses/module.html", course=source, module=module, html=module.html,
        previous=modules[index - 1] if index > 0 else None,
        next=modules[index + 1] if index + 1 < len(modules) else None,
        position=index + 1, count=len(modules), done=False, may_mark=False, preview=True,
        problems=problems,
    )


@bp.get("/courses/<slug>/preview/assets/<name>")
@roles_required(*STAFF_ROLES)
def preview_asset(slug: str, name: str):
    source = _disk_course(slug)
    item = source.assets.get(name)
    if item is None:
        abort(404)
    return _asset_response(item.data, item.content_type, item.digest, name)


@bp.get("/courses/<slug>/preview/glossary")
@roles_required(*STAFF_ROLES)
def preview_glossary(slug: str):
    source = _disk_course(slug)
    terms = [{"term": t.term, "anchor": t.anchor, "html": t.html}
             for t in source.glossary or ()]
    return render_template("courses/glossary.html", course=source, preview=True, terms=terms)


def _is_staff() -> bool:
    return current_user.is_authenticated and current_user.is_staff
