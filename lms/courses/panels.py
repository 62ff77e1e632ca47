"""What features above courses add to the course page and the dashboard.

Courses sit below quizzes, assignments, cohorts, evaluations and the progress layer, so
those pages cannot ask them; they answer the `course_page` and `dashboard` signals
instead. The view collects the answers once and passes them to the template, which
queries nothing.
"""

from __future__ import annotations

from typing import Any

from blinker import Namespace

_signals = Namespace()

#: Sent with the course (a Course row) as sender, `user` (the current user, perhaps
#: anonymous) and `modules` (the course's active modules, already loaded); a receiver
#: returns a dict of template variables (or None).
course_page = _signals.signal("course-page")

#: Sent with the signed-in user as sender; a receiver returns a dict of template
#: variables for "My learning" (announcements, evaluations to give ...).
dashboard = _signals.signal("dashboard")


def collect(course, user, modules: list) -> dict[str, Any]:
    """Every receiver's template variables for this course and user, merged."""
    found: dict[str, Any] = {}
    for _receiver, answer in course_page.send(course, user=user, modules=modules):
        found.update(answer or {})
    return found


def collect_dashboard(user) -> dict[str, Any]:
    """Every receiver's template variables for the user's dashboard, merged."""
    found: dict[str, Any] = {}
    for _receiver, answer in dashboard.send(user):
        found.update(answer or {})
    return found
