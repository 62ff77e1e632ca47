"""Indonesia's time zones for people: naive UTC in, the local way of writing a time out.

Pure: no Flask, no database. The abbreviation comes from a fixed map because the
time zone database and CLDR name some of these zones "GMT+7" or "+0800" depending
on the locale, and participants know them as WIB, WITA and WIT.
"""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from babel.dates import format_datetime

DEFAULT_ZONE = "Asia/Jakarta"
# Indonesia keeps no daylight saving time: each zone has one abbreviation all year.
ABBREVIATIONS = {
    "Asia/Jakarta": "WIB",
    "Asia/Pontianak": "WIB",
    "Asia/Makassar": "WITA",
    "Asia/Jayapura": "WIT",
}
ZONE_NAMES = tuple(ABBREVIATIONS)

# Indonesian writes 09.00, English 09:00; both spell the weekday and month out.
_PATTERNS = {"id": ("EEEE, d MMMM y, HH.mm", "HH.mm"),
             "en": ("EEEE, d MMMM y, HH:mm", "HH:mm")}


def check_zone(zone_name: str) -> str:
    """The zone name if it is one of Indonesia's four; ValueError otherwise."""
    if zone_name not in ABBREVIATIONS:
        raise ValueError(f"unknown time zone {zone_name!r}: use one of {', '.join(ZONE_NAMES)}")
    return zone_name


def abbreviation(zone_name: str) -> str:
    return ABBREVIATIONS[check_zone(zone_name)]


def to_local(dt_utc: datetime, zone_name: str) -> datetime:
    """A naive UTC time as an aware time in the zone."""
    return dt_utc.replace(tzinfo=UTC).astimezone(ZoneInfo(check_zone(zone_name)))


def to_utc(local: datetime, zone_name: str) -> datetime:
    """A wall-clock time read in the zone (naive) as naive UTC, the way times are stored."""
    aware = local.replace(tzinfo=ZoneInfo(check_zone(zone_name)))
    return aware.astimezone(UTC).replace(tzinfo=None)


def _patterns(locale: str) -> tuple[str, str]:
    return _PATTERNS.get(str(locale).split("_")[0], _PATTERNS["en"])


def local_label(dt_utc: datetime, zone_name: str, locale: str = "id") -> str:
    """'Selasa, 1 Desember 2026, 09.00 WIB' (or the English way for locale 'en')."""
    full, _time = _patterns(locale)
    local = to_local(dt_utc, zone_name)
    return f"{format_datetime(local, full, tzinfo=local.tzinfo, locale=locale)} " \
           f"{abbreviation(zone_name)}"


def local_range(starts_utc: datetime, ends_utc: datetime, zone_name: str,
                locale: str = "id") -> str:
    """'Selasa, 1 Desember 2026, 09.00–11.00 WITA'; both days in full when they differ."""
    full, short = _patterns(locale)
    start, end = to_local(starts_utc, zone_name), to_local(ends_utc, zone_name)
    if start.date() != end.date():
        return f"{local_label(starts_utc, zone_name, locale)} – " \
               f"{local_label(ends_utc, zone_name, locale)}"
    first = format_datetime(start, full, tzinfo=start.tzinfo, locale=locale)
    last = format_datetime(end, short, tzinfo=end.tzinfo, locale=locale)
    return f"{first}–{last} {abbreviation(zone_name)}"
