"""The calendar feed: a per-person secret address and the iCalendar text behind it.

A phone subscribes without a session cookie, so the address itself is the credential:
the user id and an HMAC of user and cohort with the app's SECRET_KEY. It reveals
nothing but the schedule, stops working when the person leaves the cohort, and
changing SECRET_KEY revokes every address at once.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from datetime import datetime
from urllib.parse import urlsplit

from flask import current_app
from flask_babel import gettext as _

from lms.auth.models import User
from lms.cohorts.access import cohort_access
from lms.cohorts.models import Cohort
from lms.extensions import db
from lms.live import ical
from lms.live.services import cancelled_upcoming, has_ended, link_shown, sessions_of
from lms.urls import public_base


def _mac(user_id: int, cohort_id: int) -> str:
    key = str(current_app.config["SECRET_KEY"]).encode()
    message = f"lms.live.calendar:{user_id}:{cohort_id}".encode()
    digest = hmac.new(key, message, hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest[:24]).decode()  # 192 bits, 32 characters


def feed_token(user_id: int, cohort_id: int) -> str:
    """A secret for the user's subscription to one cohort's calendar: the user id and an
    HMAC of user and cohort with the app's SECRET_KEY (changing the key revokes all)."""
    return f"{user_id}.{_mac(user_id, cohort_id)}"


def feed_user(cohort: Cohort, token: str) -> User | None:
    """The user the token was made for, if it is right for this cohort and the user may
    still see the schedule; None otherwise."""
    user_part, _dot, mac = (token or "").partition(".")
    if not user_part.isdigit() or len(user_part) > 12 or not mac:
        return None
    user_id = int(user_part)
    if not hmac.compare_digest(mac.encode(), _mac(user_id, cohort.id).encode()):
        return None
    user = db.session.get(User, user_id)
    if user is None or not user.is_active or not cohort_access(cohort, user).may_view:
        return None
    return user


def feed_text(cohort: Cohort, user: User, now: datetime, page_url: str) -> str:
    """The cohort's sessions as iCalendar text, as the schedule page shows them to user.

    The meeting link is in an event only when the page would show it to this person now
    (see services.link_shown); a phone refreshes the feed about every hour, so the page
    stays the place to find the link. A cancelled session stays in the feed, as
    STATUS:CANCELLED with a higher SEQUENCE, until it is over, so that a phone that
    imported it removes it; after that it is left out.
    """
    host = urlsplit(public_base()).hostname or "lms"
    who = cohort_access(cohort, user)
    events = []
    for session in [*sessions_of(cohort), *cancelled_upcoming(cohort, now)]:
        link = session.meeting_url if link_shown(session, who, now) else ""
        lines = [_("Cancelled.")] if session.cancelled_at else []
        lines += [session.course.title] if session.course else []
        if session.instructor:
            lines.append(_("Instructor: %(name)s", name=session.instructor.full_name))
        if link:
            lines.append(_("Meeting link: %(url)s", url=link))
        if session.recording_url and has_ended(session, now):
            lines.append(_("Recording: %(url)s", url=session.recording_url))
        lines.append(_("Schedule and check-in: %(url)s", url=page_url))
        events.append(ical.CalendarEvent(
            uid=f"live-session-{session.id}@{host}", starts_at=session.starts_at,
            ends_at=session.ends_at, summary=session.topic, description="\n".join(lines),
            url=link or page_url, location=link or None, sequence=session.revision,
            cancelled=session.cancelled_at is not None))
    events.sort(key=lambda e: (e.starts_at, e.uid))
    return ical.calendar(events, name=_("%(cohort)s: live sessions", cohort=cohort.name),
                         stamp=now)
