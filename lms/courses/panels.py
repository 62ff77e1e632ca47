"""What features above courses add to the course page.

Courses sit below quizzes, assignments and the progress layer, so the course page cannot
ask them; they answer the `course_page` signal instead. The view collects the answers
once and passes them to the template, which queries nothing.
"""

from __future__ import annotations

from typing import Any

from blinker import Namespace

_signals = Namespace()

#: Sent with the course (a Course row) as sender, `user` (the current user, perhaps
#: anonymous) and `modules` (the course's active modules, already loaded); a receiver
#: returns a dict of template variables (or None).
course_page = _signals.signal("course-page")


def collect(course, user, modules: list) -> dict[str, Any]:
    """Every receiver's template variables for this course and user, merged."""
    found: dict[str, Any] = {}
    for _receiver, answer in course_page.send(course, user=user, modules=modules):
        found.update(answer or {})
    return found
