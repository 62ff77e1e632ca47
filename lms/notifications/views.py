"""Pages: the notification list and its header badge, opening one, marking read, the
choices in the profile (/profile/notifications), and messages to a cohort.

Importing lms.notifications.models here is what makes create_all() (tests) know the tables.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from sqlalchemy import select
from werkzeug.routing import BuildError

from lms import db_setup
from lms.auth.models import User
from lms.cohorts.access import CohortAccess, cohort_required
from lms.extensions import db
from lms.notifications import messages, services
from lms.notifications.models import CohortMessage, Notification
from lms.urls import external_url

bp = Blueprint("notifications", __name__)


def unread_badge() -> int:
    """The header's count (one query; none for visitors)."""
    if not current_user.is_authenticated:
        return 0
    return services.unread_count(current_user.id)


def init_app(app) -> None:
    app.jinja_env.globals["notifications_unread"] = unread_badge
    app.register_blueprint(bp)


# The list -----------------------------------------------------------------------------

@bp.get("/notifications")
@login_required
def index():
    page = max(1, request.args.get("page", 1, type=int) or 1)
    rows, more = services.page_of(current_user.id, page)
    return render_template("notifications/index.html", rows=rows, page=page, more=more,
                           form=FlaskForm(), kinds=services.KINDS)


@bp.post("/notifications/read")
@login_required
def mark_read():
    if not FlaskForm().validate_on_submit():
        abort(400)
    raw = request.form.get("id", "")
    changed = services.mark_read(current_user.id, [int(raw)] if raw.isdigit() else None)
    db.session.commit()
    if not raw:
        flash(_("All notifications are marked as read."), "success")
    elif not changed:
        flash(_("This notification was already read."), "info")
    return redirect(url_for(".index", page=request.form.get("page", 1, type=int)))


def _target_exists(row: Notification) -> bool:
    """Whether the page a notification is about is still there for its reader."""
    if not row.target_type or row.target_id is None:
        return True
    from lms.assignments.models import Assignment
    from lms.certificates.models import Certificate
    from lms.cohorts.models import Announcement, Cohort
    from lms.forums.models import Post, Thread
    from lms.live.models import LiveSession
    from lms.quizzes.models import Attempt, Quiz

    models = {"forum_post": Post, "announcement": Announcement, "cohort": Cohort,
              "assignment": Assignment, "quiz": Quiz, "attempt": Attempt,
              "certificate": Certificate, "live_session": LiveSession,
              "cohort_message": CohortMessage}
    model = models.get(row.target_type)
    if model is None:
        return True
    found = db.session.get(model, row.target_id)
    if found is None:
        return False
    if model is Post:
        thread = db.session.get(Thread, found.thread_id)
        return thread is not None and not thread.hidden and not found.hidden
    if model in (Quiz, Assignment):
        return bool(found.is_active)
    if model is LiveSession:
        return found.cancelled_at is None
    return True


@bp.get("/notifications/<int:notification_id>")
@login_required
def open_one(notification_id: int):
    """Mark it read and go where it leads; when that page is gone (a deleted thread, a
    quiz removed from the course), say so here instead of leading to an error."""
    row = db.session.get(Notification, notification_id)
    if row is None or row.user_id != current_user.id:
        abort(404)
    exists = _target_exists(row)
    target = None
    if exists and row.endpoint:
        try:
            target = url_for(row.endpoint, _anchor=row.anchor, **(row.params or {}))
        except BuildError:
            target = None
    if row.read_at is None:
        db_setup.writing()
        services.mark_read(current_user.id, [row.id])
        db.session.commit()
    if target is None:
        flash(_("The page this notification was about is no longer available (it was "
                "removed or hidden). The notification itself is below."), "info")
        return redirect(url_for(".index", _anchor=f"notification-{row.id}"))
    return redirect(target)


# Choices ------------------------------------------------------------------------------

def _box_name(kind: str, channel: str) -> str:
    # The announcement mail box keeps the name of the older page's only box.
    return "announcement_mails" if (kind, channel) == ("announcement", "mail") else (
        f"{kind}-{channel}")


@bp.route("/profile/notifications", methods=["GET", "POST"])
@login_required
def settings():
    form = FlaskForm()
    if form.validate_on_submit():
        wanted = {f"{k}:{c}" for k in services.KINDS for c in services.CHANNELS
                  if request.form.get(_box_name(k, c))}
        services.save_choices(current_user, wanted, bool(request.form.get("daily_digest")))
        db.session.commit()
        flash(_("Your notification choices are saved."), "success")
        return redirect(url_for(".settings"))
    if request.method == "POST":
        abort(400)
    return render_template("notifications/settings.html", form=form, kinds=services.KINDS,
                           choices=services.choices_of(current_user), box_name=_box_name)


# Messages to a cohort -------------------------------------------------------------------

def _message_form_context(cohort, who, values=None, error=None):
    return {"cohort": cohort, "who": who, "form": FlaskForm(), "audiences": messages.AUDIENCES,
            "people": messages.people_to_choose(cohort), "values": values or {},
            "error": error, "max_body": messages.MAX_BODY,
            "sent": messages.cohort_messages(cohort)}


@bp.route("/cohorts/<code>/messages", methods=["GET", "POST"])
@cohort_required("view")
def cohort_messages(code: str, access: CohortAccess):
    """Staff: the form and every message sent to the cohort. Participants: the messages
    they received."""
    cohort, who = access.cohort, access
    if not messages.may_send(who):
        if request.method == "POST":
            abort(403)
        return render_template("notifications/received.html", cohort=cohort,
                               rows=messages.messages_for(cohort, current_user.id))
    if request.method == "POST":
        if not FlaskForm().validate_on_submit():
            abort(400)
        values = {k: request.form.get(k, "") for k in ("audience", "person", "subject", "body")}
        person = int(values["person"]) if values["person"].isdigit() else None
        try:
            message, count = messages.send(cohort, who, values["audience"], values["subject"],
                                           values["body"], person)
        except messages.MessageError as exc:
            db.session.rollback()
            return render_template("notifications/messages.html",
                                   **_message_form_context(cohort, who, values, exc.detail)), 400
        db.session.commit()
        flash(_("Message sent to %(n)d people.", n=count), "success")
        return redirect(url_for(".message", code=code, message_id=message.id))
    return render_template("notifications/messages.html", **_message_form_context(cohort, who))


@bp.route("/cohorts/<code>/messages/<int:message_id>", methods=["GET", "POST"])
@cohort_required("known")
def message(code: str, message_id: int, access: CohortAccess):
    """One message with its replies; its recipients (the waiting list too) reply here."""
    cohort, who = access.cohort, access
    found = db.session.get(CohortMessage, message_id)
    if found is None or found.cohort_id != cohort.id or found.parent_id is not None:
        abort(404)
    staff = messages.may_send(who)
    recipient = messages.received(found, current_user.id)
    if not (staff or recipient):
        abort(404)
    error, text = None, ""
    if request.method == "POST":
        if not FlaskForm().validate_on_submit():
            abort(400)
        text = request.form.get("body", "")
        try:
            messages.reply(found, current_user, text)
        except messages.MessageError as exc:
            db.session.rollback()
            error = exc.detail
        else:
            db.session.commit()
            flash(_("Your reply was sent to %(name)s.",
                    name=found.sender.full_name if found.sender else ""), "success")
            return redirect(url_for(".message", code=code, message_id=message_id))
    if request.method == "GET":
        services.mark_target_read(current_user.id, "cohort_message", found.id)
    replies = messages.replies_seen_by(found, current_user.id, who.manager)
    authors = {u.id: u for u in db.session.scalars(select(User).where(
        User.id.in_({r.sender_id for r in replies if r.sender_id})))} if replies else {}
    return render_template("notifications/message.html", cohort=cohort, message=found,
                           replies=replies, authors=authors, recipient=recipient,
                           staff=staff, form=FlaskForm(), error=error, text=text,
                           audiences=messages.AUDIENCES, max_body=messages.MAX_BODY,
                           in_cohort=who.may_view,
                           back=url_for(".cohort_messages", code=code) if who.may_view
                           else url_for(".index"),
                           page_url=external_url("notifications.message", code=code,
                                                 message_id=message_id)
                           ), 400 if error else 200
