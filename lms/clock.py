"""Time in one place: stored as naive UTC everywhere; pages convert to the reader's zone.

Services ask this module, never `date.today()` or `datetime.now()`, so that tests (and a
demo of a past or future cohort) can freeze the clock with `frozen(...)`.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from flask import current_app, has_app_context

DEFAULT_ZONE = "Asia/Jakarta"
_frozen_at: datetime | None = None


def utcnow() -> datetime:
    """Now, as a naive UTC datetime (how the database stores times)."""
    if _frozen_at is not None:
        return _frozen_at
    return datetime.now(UTC).replace(tzinfo=None)


def site_zone() -> ZoneInfo:
    """The site's zone (WIB by default): registration windows and issue dates are local."""
    name = current_app.config.get("BABEL_DEFAULT_TIMEZONE") if has_app_context() else None
    return ZoneInfo(name or DEFAULT_ZONE)


def site_date(moment: datetime) -> date:
    """The calendar date of a naive UTC moment in the site's zone."""
    return moment.replace(tzinfo=UTC).astimezone(site_zone()).date()


def now_in(zone: str | ZoneInfo | None = None) -> datetime:
    """Now as an aware datetime in `zone` (the site's zone when None)."""
    tz = ZoneInfo(zone) if isinstance(zone, str) else (zone or site_zone())
    return utcnow().replace(tzinfo=UTC).astimezone(tz)


def today(zone: str | ZoneInfo | None = None) -> date:
    """Today's date in `zone` (the site's zone when None), not the server's."""
    return now_in(zone).date()


@contextmanager
def frozen(at: datetime) -> Iterator[datetime]:
    """Stop the clock at `at` (aware, or naive UTC) for the duration of the block."""
    global _frozen_at
    if at.tzinfo is not None:
        at = at.astimezone(UTC).replace(tzinfo=None)
    previous, _frozen_at = _frozen_at, at
    try:
        yield at
    finally:
        _frozen_at = previous
