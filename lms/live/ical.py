"""An iCalendar (RFC 5545) feed of live sessions and deadlines, written by hand.

Pure: plain values in, text out; no Flask, no database. Times are written in UTC
with a Z, so no VTIMEZONE block is needed and every phone shows them in its own zone;
days (a cohort's start and end, the evaluation window) are DATE values, the same day
everywhere. A weekly series is one event with RRULE, EXDATE for the occurrences
cancelled, and an event of its own (same UID, RECURRENCE-ID) for each one changed.
Lines end in CRLF and are folded at 75 octets without splitting a UTF-8 character.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

MAX_OCTETS = 75
PRODID = "-//Library Staff Learning//Live sessions and deadlines//ID"


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
    weekly_count: int | None = None  # RRULE:FREQ=WEEKLY;COUNT=n (a series' master event)
    exdates: tuple[datetime, ...] = ()  # occurrences of the series that do not happen
    recurrence_id: datetime | None = None  # this occurrence of the series, changed
    all_day: tuple[date, date] | None = None  # first and last day, instead of the times
    categories: str | None = None  # "Deadline", "Cohort", "Live session"


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


def day_stamp(value: date) -> str:
    return value.strftime("%Y%m%d")


def _event_lines(event: CalendarEvent, stamp: datetime) -> list[str]:
    lines = ["BEGIN:VEVENT", f"UID:{escape_text(event.uid)}", f"DTSTAMP:{utc_stamp(stamp)}"]
    if event.recurrence_id is not None:
        lines.append(f"RECURRENCE-ID:{utc_stamp(event.recurrence_id)}")
    if event.all_day is not None:
        first, last = event.all_day
        # DTEND of a day event is the day after the last one (exclusive).
        lines += [f"DTSTART;VALUE=DATE:{day_stamp(first)}",
                  f"DTEND;VALUE=DATE:{day_stamp(last + timedelta(days=1))}",
                  "TRANSP:TRANSPARENT"]
    else:
        lines += [f"DTSTART:{utc_stamp(event.starts_at)}", f"DTEND:{utc_stamp(event.ends_at)}"]
    if event.weekly_count:
        lines.append(f"RRULE:FREQ=WEEKLY;COUNT={int(event.weekly_count)}")
        if event.exdates:
            lines.append("EXDATE:" + ",".join(utc_stamp(d) for d in sorted(event.exdates)))
    lines += [
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
    if event.categories:
        lines.append(f"CATEGORIES:{escape_text(event.categories)}")
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
