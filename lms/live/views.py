"""Live session pages: schedule, scheduling, check-in, attendance, calendar feed, /next.

Importing lms.live.models here is what makes create_all() (tests) know the tables.
"""

from datetime import datetime

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
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from wtforms import SelectChoice

from lms.auth.access import is_safe_next
from lms.clock import utcnow
from lms.cohorts import services as cohorts
from lms.cohorts.access import CohortAccess, cohort_required
from lms.exports import export_response, exportable, nip_cell
from lms.extensions import db
from lms.live import feed, services
from lms.live.forms import SessionForm, TimeZoneForm
from lms.live.models import AttendanceStatus, LiveSession
from lms.live.zones import abbreviation, local_label, local_range, to_local, to_utc
from lms.urls import external_url

bp = Blueprint("live", __name__)
FIELD_OF_ERROR = {"topic": "topic", "ends_at": "end", "course_id": "course",
                  "instructor_id": "instructor", "meeting_url": "meeting_url",
                  "recording_url": "recording_url", "weeks": "weeks"}


def _locale() -> str:
    return str(get_locale() or current_app.config["BABEL_DEFAULT_LOCALE"])


def render_in_zone(template: str, **context):
    """Render with the reader's zone and the helpers that write times in it."""
    zone = services.time_zone_of(current_user.id if current_user.is_authenticated else None)
    locale = _locale()
    return render_template(
        template, zone=zone, zone_abbr=abbreviation(zone), now=utcnow(),
        when=lambda s: local_range(s.starts_at, s.ends_at, zone, locale),
        at=lambda dt: local_label(dt, zone, locale) if dt else "",
        check_in_open=services.check_in_open, link_shown=services.link_shown,
        may_schedule=services.may_schedule, may_take_attendance=services.may_take_attendance,
        status_label=_status_label, zone_form=TimeZoneForm(formdata=None, time_zone=zone),
        **context)


def _status_label(status: str | None) -> str:
    return {AttendanceStatus.PRESENT: _("present"), AttendanceStatus.ABSENT: _("absent"),
            AttendanceStatus.EXCUSED: _("excused")}.get(status, _("not recorded"))


def _session_or_404(cohort, session_id: int) -> LiveSession:
    session = services.get_session(cohort, session_id)
    if session is None:
        abort(404)
    return session


def _feed_url(cohort) -> str:
    return external_url("live.calendar", code=cohort.code,
                        token=feed.feed_token(current_user.id, cohort.id))


@bp.get("/cohorts/<code>/sessions")
@cohort_required("view")
def schedule(code: str, access: CohortAccess):
    cohort, who = access.cohort, access
    now = utcnow()
    sessions = services.sessions_of(cohort)
    mine = services.own_attendance(cohort, current_user.id) if who.participant else {}
    feed_url = _feed_url(cohort)
    return render_in_zone(
        "live/schedule.html", cohort=cohort, who=who, mine=mine,
        upcoming=[s for s in sessions if not services.has_ended(s, now)],
        past=[s for s in reversed(sessions) if services.has_ended(s, now)],
        cancelled=services.cancelled_upcoming(cohort, now),
        percent=services.own_percent(sessions, mine, now) if who.participant else None,
        feed_url=feed_url, webcal_url="webcal://" + feed_url.split("://", 1)[1])


@bp.post("/time-zone")
@login_required
def set_time_zone():
    form = TimeZoneForm()
    if not form.validate_on_submit():
        abort(400)
    services.set_time_zone(current_user.id, form.time_zone.data)
    db.session.commit()
    flash(_("Times are now shown in %(zone)s.", zone=abbreviation(form.time_zone.data)),
          "success")
    target = request.form.get("next")
    return redirect(target if is_safe_next(target) else url_for("progress.next_items"))


def _fill_choices(form: SessionForm, cohort, who) -> None:
    courses = services.schedulable_courses(who, cohort)
    form.course.choices = ([SelectChoice("", _("The whole cohort (no single course)"))]
                           if who.manager else []) + [
        SelectChoice(str(c.id), c.title) for c in courses]
    form.instructor.choices = [SelectChoice("", _("No instructor named"))] + [
        SelectChoice(str(u.id), u.full_name) for u in services.instructor_choices(cohort, who)]


def _fields(form: SessionForm) -> services.SessionFields:
    zone = form.time_zone.data
    return services.SessionFields(
        topic=form.topic.data or "",
        starts_at=to_utc(datetime.combine(form.day.data, form.start.data), zone),
        ends_at=to_utc(datetime.combine(form.day.data, form.end.data), zone),
        course_id=int(form.course.data) if form.course.data else None,
        instructor_id=int(form.instructor.data) if form.instructor.data else None,
        meeting_url=form.meeting_url.data or "", recording_url=form.recording_url.data or "")


def _save(form: SessionForm, cohort, who, session: LiveSession | None):
    """Validate and store; the form page again with the refusal under its field."""
    try:
        if session is None:
            session = services.create_series(cohort, _fields(form), who,
                                             form.weeks.data or 1)
        else:
            services.update_session(session, _fields(form), who)
    except services.LiveError as exc:
        db.session.rollback()
        getattr(form, FIELD_OF_ERROR.get(exc.code, "topic")).errors.append(exc.detail)
        return render_in_zone("live/session_form.html", cohort=cohort, form=form,
                              session=session, who=who), 400
    db.session.commit()
    flash(_("Session saved: %(topic)s.", topic=session.topic), "success")
    return redirect(url_for(".schedule", code=cohort.code))


@bp.route("/cohorts/<code>/sessions/new", methods=["GET", "POST"])
@cohort_required("view")
def new_session(code: str, access: CohortAccess):
    cohort, who = access.cohort, access
    if not who.manager and not who.taught:
        abort(403)
    form = SessionForm()
    _fill_choices(form, cohort, who)
    if not form.is_submitted():
        form.time_zone.data = services.time_zone_of(current_user.id)
        if not who.manager and form.course.choices:
            form.course.data = form.course.choices[0].value
        form.instructor.data = str(current_user.id) if who.taught else ""
    if form.validate_on_submit():
        return _save(form, cohort, who, None)
    return render_in_zone("live/session_form.html", cohort=cohort, form=form, session=None,
                          who=who), 400 if form.is_submitted() else 200


@bp.route("/cohorts/<code>/sessions/<int:session_id>/edit", methods=["GET", "POST"])
@cohort_required("view")
def edit_session(code: str, session_id: int, access: CohortAccess):
    cohort, who = access.cohort, access
    session = _session_or_404(cohort, session_id)
    if not services.may_schedule(who, session.course_id):
        abort(403)
    form = SessionForm()
    _fill_choices(form, cohort, who)
    if not form.is_submitted():
        zone = services.time_zone_of(current_user.id)
        start, end = to_local(session.starts_at, zone), to_local(session.ends_at, zone)
        form.topic.data = session.topic
        form.course.data = str(session.course_id or "")
        form.instructor.data = str(session.instructor_id or "")
        form.day.data, form.start.data, form.end.data = start.date(), start.time(), end.time()
        form.time_zone.data = zone
        form.meeting_url.data = session.meeting_url
        form.recording_url.data = session.recording_url
    if form.validate_on_submit():
        return _save(form, cohort, who, session)
    return render_in_zone("live/session_form.html", cohort=cohort, form=form,
                          session=session, who=who, delete_form=FlaskForm()
                          ), 400 if form.is_submitted() else 200


@bp.post("/cohorts/<code>/sessions/<int:session_id>/delete")
@cohort_required("view")
def delete_session(code: str, session_id: int, access: CohortAccess):
    cohort, who = access.cohort, access
    session = _session_or_404(cohort, session_id)
    if not services.may_schedule(who, session.course_id):
        abort(403)
    if not FlaskForm().validate_on_submit():
        abort(400)
    services.cancel_session(session, who, utcnow())
    db.session.commit()
    flash(_("Session cancelled: %(topic)s. Subscribed calendars remove it at their next "
            "update.", topic=session.topic), "info")
    return redirect(url_for(".schedule", code=code))


@bp.post("/cohorts/<code>/sessions/<int:session_id>/check-in")
@cohort_required("view")
def check_in(code: str, session_id: int, access: CohortAccess):
    cohort, who = access.cohort, access
    session = _session_or_404(cohort, session_id)
    if not FlaskForm().validate_on_submit():
        abort(400)
    target = request.form.get("next")
    back = target if is_safe_next(target) else url_for(".schedule", code=code)
    try:
        services.check_in(session, who, utcnow())
    except services.LiveError as exc:
        db.session.rollback()
        flash(exc.detail, "error")
        return redirect(back)
    db.session.commit()
    flash(_("You are checked in to %(topic)s.", topic=session.topic), "success")
    return redirect(back)


@bp.route("/cohorts/<code>/sessions/<int:session_id>/attendance", methods=["GET", "POST"])
@cohort_required("view")
def session_attendance(code: str, session_id: int, access: CohortAccess):
    cohort, who = access.cohort, access
    session = _session_or_404(cohort, session_id)
    if not services.may_take_attendance(who, session):
        abort(403)
    form = FlaskForm()
    if form.validate_on_submit():
        marks = {int(key.removeprefix("status-")): value
                 for key, value in request.form.items()
                 if key.startswith("status-") and key.removeprefix("status-").isdigit()}
        try:
            changed = services.set_attendance(session, marks, who, utcnow())
        except services.LiveError as exc:
            db.session.rollback()
            flash(exc.detail, "error")
        else:
            db.session.commit()
            flash(_("Attendance saved: %(n)d changed.", n=changed), "success")
            return redirect(url_for(".session_attendance", code=code, session_id=session.id))
    return render_in_zone("live/attendance.html", cohort=cohort, who=who, session=session,
                          people=services.participants(cohort),
                          rows=services.attendance_at(session),
                          statuses=list(AttendanceStatus), form=form)


@bp.get("/cohorts/<code>/attendance")
@cohort_required("view")
def register(code: str, access: CohortAccess):
    cohort, who = access.cohort, access
    if not who.may_watch:
        abort(403)
    return render_in_zone("live/register.html", cohort=cohort, who=who,
                          register=services.register(cohort, utcnow()))


@exportable(bp, "/cohorts/<code>/attendance")
@cohort_required("view")
def register_csv(code: str, access: CohortAccess):
    cohort, who = access.cohort, access
    if not who.may_watch:
        abort(403)
    data = services.register(cohort, utcnow())
    zone = services.time_zone_of(current_user.id)
    locale = _locale()
    header = [_("Name"), _("NIP"), _("Email"), _("Institution")]
    header += [f"{s.topic} ({local_label(s.starts_at, zone, locale)})" for s in data.sessions]
    header += [_("Attendance in percent")]
    rows = ([r.user.full_name, nip_cell(r.user.nip), r.user.email, r.user.institution,
             *[_status_label(r.cells.get(s.id)) if s.id in r.cells else "" for s in data.sessions],
             "" if r.percent is None else r.percent] for r in data.rows)
    return export_response(f"{cohort.code}-attendance", header, rows, _("Attendance"))


@bp.get("/cohorts/<code>/calendar.ics")
def calendar(code: str):
    """The subscription feed: the token in the address stands in for the session cookie."""
    cohort = cohorts.get_cohort(code)
    user = feed.feed_user(cohort, request.args.get("token", "")) if cohort else None
    if user is None:
        abort(404)
    page = external_url("live.schedule", code=code)
    body = feed.feed_text(cohort, user, utcnow(), page)
    response = Response(body, mimetype="text/calendar")  # Flask adds charset=utf-8
    response.headers["Content-Disposition"] = f'inline; filename="{cohort.code}.ics"'
    response.headers["Cache-Control"] = "private, max-age=300"
    return response
