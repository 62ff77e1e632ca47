"""Who may use a route: decorators and the safe-redirect check."""

from functools import wraps
from urllib.parse import urlsplit

from flask import abort, url_for
from flask_login import current_user, login_required

from lms.auth.models import Role

MANAGERS = (Role.COORDINATOR, Role.ADMIN)  # run cohorts: see and change every one of them


def is_manager(user) -> bool:
    """A signed-in coordinator or admin."""
    return user.is_authenticated and user.has_role(*MANAGERS)


def roles_required(*roles: Role):
    """Signed-in users with one of these roles; others get 403."""

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if not current_user.has_role(*roles):
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


# Where each role starts after signing in: participants study; the others have work of
# their own, and "My learning" would only tell them a coordinator will enroll them.
LANDING = {Role.INSTRUCTOR: "manage.teaching", Role.COORDINATOR: "manage.cohorts",
           Role.ADMIN: "manage.cohorts"}


def landing_url(user) -> str:
    """The page a signed-in person starts on, by role."""
    return url_for(LANDING.get(user.role, "courses.dashboard"))


def is_safe_next(target: str | None) -> bool:
    """True for a path on this site ("/courses/x"), never another host or scheme."""
    if not target or not target.startswith("/") or target.startswith("//"):
        return False
    if "\\" in target or any(ord(ch) < 32 for ch in target):
        return False
    parts = urlsplit(target)
    return not parts.scheme and not parts.netloc
