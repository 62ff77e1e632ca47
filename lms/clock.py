"""Time, stored as naive UTC everywhere; pages convert to the reader's zone."""

from datetime import UTC, datetime


def utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)
