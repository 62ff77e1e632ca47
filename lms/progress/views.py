"""Pages that read the progress layer: `/next`, and the course page's panel of modules,
quizzes and assignments with the reader's state on each."""

from __future__ import annotations

from flask import Blueprint, current_app
from flask_login import current_user, login_required

from lms.clock import utcnow
from lms.courses.panels import course_page
from lms.live.views import render_in_zone
from lms.progress.agenda import agenda_for
from lms.progress.build import for_course

bp = Blueprint("progress", __name__)


@bp.get("/next")
@login_required
def next_items():
    # The forums are built alongside: link to them only once their pages exist.
    return render_in_zone("live/next.html", agenda=agenda_for(current_user.id, utcnow()),
                          forums="forums.index" in current_app.view_functions)


@course_page.connect
def course_panel(course, *, user, modules=None, **_ignored) -> dict:
    """The reader's progress on the course's items: modules done, quizzes with their grade
    by the quiz's method and attempts left, assignments with their latest status, and the
    pre-/post-test gain."""
    return {"course_progress": for_course(
        course, user.id if user.is_authenticated else None, modules)}
