"""An iCalendar (RFC 5545) feed of live sessions, written by hand.

Pure: plain values in, text out; no Flask, no database. Times are written in UTC
with a Z, so no VTIMEZONE block is needed and every phone shows them in its own zone.
Lines end in CRLF and are folded at 75 octets without splitting a UTF-8 character.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

MAX_OCTETS = 75
PRODID = "-//Library Staff Learning//Live sessions//ID"


@dataclass(frozen=True)
class CalendarEvent:
    uid: str  # stable per session, so an edit updates the phone's copy instead of adding one
    starts_at: datetime  # naive UTC
    ends_at: datetime  # naive UTC
    summary: str
    description: str = ""
    url: str | None = None
    location: str | None = None
    sequence: int = 0  # grows when the session changes, so calendars take the new version
    cancelled: bool = False  # STATUS:CANCELLED: a calendar that has the event removes it


def utc_stamp(value: datetime) -> str:
    """A naive UTC time as 20261201T020000Z."""
    return value.strftime("%Y%m%dT%H%M%SZ")


def escape_text(value: str) -> str:
    """TEXT values: backslash, semicolon, comma and newlines escaped; other controls dropped."""
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    value = "".join(ch for ch in value if ch == "\n" or ch == "\t" or ord(ch) >= 32)
    return (value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\n", "\\n"))


def clean_uri(value: str) -> str:
    """URI values are not escaped, so nothing that could end the line may pass."""
    return "".join(ch for ch in value if ord(ch) > 32 and ch != "\x7f")


def fold(line: str) -> str:
    """Split a content line into CRLF-joined pieces of at most 75 octets each.

    Continuation lines start with one space, which counts towards their 75 octets.
    """
    pieces: list[str] = []
    current, size, limit = [], 0, MAX_OCTETS
    for ch in line:
        width = len(ch.encode("utf-8"))
        if size + width > limit:
            pieces.append("".join(current))
            current, size, limit = [], 0, MAX_OCTETS - 1
        current.append(ch)
        size += width
    pieces.append("".join(current))
    return "\r\n ".join(pieces)


def _event_lines(event: CalendarEvent, stamp: datetime) -> list[str]:
    lines = [
        "BEGIN:VEVENT",
        f"UID:{escape_text(event.uid)}",
        f"DTSTAMP:{utc_stamp(stamp)}",
        f"DTSTART:{utc_stamp(event.starts_at)}",
        f"DTEND:{utc_stamp(event.ends_at)}",
        f"SEQUENCE:{int(event.sequence)}",
        f"STATUS:{'CANCELLED' if event.cancelled else 'CONFIRMED'}",
        f"SUMMARY:{escape_text(event.summary)}",
    ]
    if event.description:
        lines.append(f"DESCRIPTION:{escape_text(event.description)}")
    if event.url:
        lines.append(f"URL:{clean_uri(event.url)}")
    if event.location:
        lines.append(f"LOCATION:{escape_text(event.location)}")
    lines.append("END:VEVENT")
    return lines


def calendar(events: Iterable[CalendarEvent], *, name: str, stamp: datetime) -> str:
    """The whole VCALENDAR text; `stamp` (naive UTC) is when the feed was made."""
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape_text(name)}",
        # Ask subscribed calendars to look again every hour (Google and Apple honour one each).
        "REFRESH-INTERVAL;VALUE=DURATION:PT1H",
        "X-PUBLISHED-TTL:PT1H",
    ]
    for event in events:
        lines.extend(_event_lines(event, stamp))
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)
