"""Time, stored as naive UTC everywhere; pages convert to the reader's zone."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo


def utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def site_zone() -> ZoneInfo:
    """The site's own zone (BABEL_DEFAULT_TIMEZONE, WIB by default): where documents are
    signed and dates without a time are read."""
    from flask import current_app

    return ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])


def site_date(moment: datetime) -> date:
    """The calendar date of a naive UTC moment in the site's zone."""
    return moment.replace(tzinfo=UTC).astimezone(site_zone()).date()
