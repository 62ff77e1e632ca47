"""Time zones and the iCalendar writer, without an app."""

from datetime import UTC, datetime

import icalendar
import pytest

from lms.live import ical
from lms.live.zones import abbreviation, local_label, local_range, to_local, to_utc

DAY = datetime(2026, 12, 1)


@pytest.mark.parametrize(("zone", "utc_hour", "abbr"), [
    ("Asia/Jakarta", 2, "WIB"), ("Asia/Pontianak", 2, "WIB"),
    ("Asia/Makassar", 1, "WITA"), ("Asia/Jayapura", 0, "WIT"),
])
def test_nine_o_clock_local_in_each_zone(zone, utc_hour, abbr):
    stored = to_utc(DAY.replace(hour=9), zone)
    assert stored == DAY.replace(hour=utc_hour)
    assert stored.tzinfo is None
    assert to_local(stored, zone).hour == 9
    assert abbreviation(zone) == abbr
    assert local_label(stored, zone) == f"Selasa, 1 Desember 2026, 09.00 {abbr}"
    assert local_label(stored, zone, "en") == f"Tuesday, 1 December 2026, 09:00 {abbr}"


def test_one_instant_reads_differently_across_the_zones():
    instant = datetime(2026, 12, 1, 2, 0)
    labels = [local_label(instant, z) for z in ("Asia/Jakarta", "Asia/Makassar",
                                                 "Asia/Jayapura")]
    assert labels == ["Selasa, 1 Desember 2026, 09.00 WIB",
                      "Selasa, 1 Desember 2026, 10.00 WITA",
                      "Selasa, 1 Desember 2026, 11.00 WIT"]


def test_ranges_and_the_day_boundary():
    assert local_range(datetime(2026, 12, 1, 2), datetime(2026, 12, 1, 4), "Asia/Makassar") \
        == "Selasa, 1 Desember 2026, 10.00–12.00 WITA"
    # 23.00 UTC is already the next day in Jayapura (UTC+9).
    assert local_label(datetime(2026, 11, 30, 23), "Asia/Jayapura") == \
        "Selasa, 1 Desember 2026, 08.00 WIT"
    assert " – " in local_range(datetime(2026, 12, 1, 12), datetime(2026, 12, 1, 16),
                                "Asia/Jayapura")


def test_unknown_zones_are_refused():
    with pytest.raises(ValueError, match="unknown time zone"):
        local_label(DAY, "Europe/Amsterdam")
    with pytest.raises(ValueError, match="unknown time zone"):
        to_utc(DAY, "UTC")


def event(**fields):
    values = {"uid": "live-session-7@lms.example.org", "starts_at": datetime(2026, 12, 1, 2),
              "ends_at": datetime(2026, 12, 1, 4), "summary": "Sesi", **fields}
    return ical.CalendarEvent(**values)


def test_calendar_text_is_folded_escaped_and_parses():
    long_topic = "Katalogisasi, klasifikasi; dan ✓ " + "perpustakaan digital " * 8
    text = ical.calendar(
        [event(summary=long_topic, description="Baris satu\nTautan: https://meet.example/a,b",
               url="https://meet.example/a?x=1&y=2", location="https://meet.example/a",
               sequence=2)],
        name="Angkatan I: sesi daring", stamp=datetime(2026, 11, 1, 8, 30))
    raw = text.encode("utf-8")
    assert raw.endswith(b"\r\n")
    assert b"\n" not in raw.replace(b"\r\n", b"")
    lines = raw.split(b"\r\n")[:-1]
    assert all(len(line) <= 75 for line in lines)
    assert any(line.startswith(b" ") for line in lines)  # something was folded
    for line in lines:
        line.decode("utf-8")  # no UTF-8 character split across a fold

    calendar = icalendar.Calendar.from_ical(text)
    (vevent,) = calendar.walk("VEVENT")
    assert str(vevent["SUMMARY"]) == long_topic
    assert str(vevent["DESCRIPTION"]) == "Baris satu\nTautan: https://meet.example/a,b"
    assert str(vevent["URL"]) == "https://meet.example/a?x=1&y=2"
    assert vevent["UID"] == "live-session-7@lms.example.org"
    assert vevent.decoded("DTSTART") == datetime(2026, 12, 1, 2, tzinfo=UTC)
    assert vevent.decoded("DTEND") == datetime(2026, 12, 1, 4, tzinfo=UTC)
    assert vevent.decoded("DTSTAMP") == datetime(2026, 11, 1, 8, 30, tzinfo=UTC)
    assert int(vevent["SEQUENCE"]) == 2
    assert str(calendar["X-WR-CALNAME"]) == "Angkatan I: sesi daring"
    assert "DTSTART:20261201T020000Z\r\n" in text


def test_fold_counts_octets_not_characters():
    line = "SUMMARY:" + "é" * 100  # two octets each
    folded = ical.fold(line).encode("utf-8").split(b"\r\n")
    assert all(len(piece) <= 75 for piece in folded)
    assert b"".join(p[1:] if i else p for i, p in enumerate(folded)).decode() == line


def test_nothing_in_a_value_can_start_a_new_property():
    text = ical.calendar([event(summary="a\r\nX-EVIL:1", url="https://x.example/\r\nX-EVIL:2")],
                         name="n", stamp=DAY)
    assert "\r\nX-EVIL" not in text
