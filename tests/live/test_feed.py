"""The calendar feed shows what the schedule page shows, and cancellations reach phones.

Every feed here is parsed with the `icalendar` library, as a calendar app would read it.
"""

from datetime import timedelta

import icalendar
from sqlalchemy import select

from lms.audit.models import AuditEntry
from lms.clock import utcnow
from lms.extensions import db
from lms.live.models import LiveSession
from tests.conftest import csrf_from
from tests.live.conftest import CODE
from tests.live.test_sessions import feed_url

LINK = "https://meet.example.org/rahasia-rapat"


def events(client, url: str) -> dict[str, icalendar.Event]:
    """The live sessions of the feed (deadlines and the cohort's days are
    tests/notifications/test_calendar.py's)."""
    response = client.get(url)
    assert response.status_code == 200
    return {str(e["SUMMARY"]): e for e in
            icalendar.Calendar.from_ical(response.data).walk("VEVENT")
            if str(e["UID"]).startswith("live-")}


def event_text(event: icalendar.Event) -> str:
    return " ".join(str(event.get(key, "")) for key in ("DESCRIPTION", "URL", "LOCATION"))


def test_the_meeting_link_is_in_the_feed_exactly_when_the_page_shows_it(
        app, member, instructor, add_session):
    add_session(timedelta(days=3), topic="Lusa", meeting_url=LINK)
    add_session(timedelta(minutes=20), topic="Sebentar lagi", meeting_url=LINK)
    add_session(timedelta(minutes=-30), topic="Sedang berlangsung", meeting_url=LINK)
    add_session(timedelta(hours=-5), topic="Sudah lewat", meeting_url=LINK,
                recording_url="https://video.example.org/rekaman")
    participant, _ = member()
    url = feed_url(participant)
    page = participant.get(f"/cohorts/{CODE}/sessions").text
    assert page.count(LINK) == 2  # the two sessions within 30 minutes of starting or running
    feed = events(participant, url)
    assert set(feed) == {"Lusa", "Sebentar lagi", "Sedang berlangsung", "Sudah lewat"}
    assert LINK not in event_text(feed["Lusa"])  # days early: not on the page, not here
    assert LINK not in event_text(feed["Sudah lewat"])
    assert "https://video.example.org/rekaman" in event_text(feed["Sudah lewat"])
    for shown in ("Sebentar lagi", "Sedang berlangsung"):
        assert LINK in str(feed[shown]["DESCRIPTION"])
        assert str(feed[shown]["LOCATION"]) == LINK
    assert all(str(e["STATUS"]) == "CONFIRMED" for e in feed.values())

    # The instructor who runs the session sees the link on the page from the start,
    # and so in their own feed.
    teacher, _ = instructor("satu")
    assert LINK in teacher.get(f"/cohorts/{CODE}/sessions").text
    assert LINK in event_text(events(teacher, feed_url(teacher))["Lusa"])


def test_a_cancelled_session_stays_as_cancelled_with_a_higher_sequence_until_it_is_past(
        app, member, login_as, add_session):
    upcoming = add_session(timedelta(days=2), topic="Akan dibatalkan", meeting_url=LINK)
    add_session(timedelta(days=4), topic="Tetap")
    participant, _ = member()
    url = feed_url(participant)
    before = events(participant, url)
    assert int(before["Akan dibatalkan"]["SEQUENCE"]) == 0
    uid = str(before["Akan dibatalkan"]["UID"])

    coordinator, coordinator_id = login_as("coordinator")
    edit = coordinator.get(f"/cohorts/{CODE}/sessions/{upcoming}/edit").text
    assert coordinator.post(f"/cohorts/{CODE}/sessions/{upcoming}/delete",
                            data={"csrf_token": csrf_from(edit)}).status_code == 302

    after = events(participant, url)
    cancelled = after["Akan dibatalkan"]
    assert str(cancelled["UID"]) == uid  # the same event, so the phone updates its copy
    assert str(cancelled["STATUS"]) == "CANCELLED"
    assert int(cancelled["SEQUENCE"]) > int(before["Akan dibatalkan"]["SEQUENCE"])
    assert LINK not in event_text(cancelled)
    assert str(after["Tetap"]["STATUS"]) == "CONFIRMED"

    page = participant.get(f"/cohorts/{CODE}/sessions").text
    upcoming_part = page.split('class="live-cancelled"')[0]
    assert "Akan dibatalkan" not in upcoming_part  # no longer among the sessions held
    assert "<del>Akan dibatalkan" in page  # but listed as cancelled, like the feed
    # Nothing can be done with a cancelled session any more.
    for path in ("edit", "attendance"):
        assert coordinator.get(f"/cohorts/{CODE}/sessions/{upcoming}/{path}").status_code == 404
    assert participant.post(f"/cohorts/{CODE}/sessions/{upcoming}/check-in",
                            data={"csrf_token": csrf_from(page)}).status_code == 404
    with app.app_context():
        entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "live.cancel"))
        assert entry.actor_id == coordinator_id

        # Once the cancelled session is past, the feed leaves it out.
        session = db.session.get(LiveSession, upcoming)
        session.starts_at = utcnow() - timedelta(hours=3)
        session.ends_at = utcnow() - timedelta(hours=2)
        db.session.commit()
    assert "Akan dibatalkan" not in events(participant, url)
    assert "Akan dibatalkan" not in participant.get(f"/cohorts/{CODE}/sessions").text


def test_a_cancelled_session_no_longer_counts_for_attendance(app, member, login_as, add_session):
    held = add_session(timedelta(hours=-4), topic="Terlaksana")
    wrong = add_session(timedelta(hours=-2), topic="Salah input")
    participant, user_id = member()
    coordinator, _ = login_as("coordinator")
    form = coordinator.get(f"/cohorts/{CODE}/sessions/{held}/attendance").text
    coordinator.post(f"/cohorts/{CODE}/sessions/{held}/attendance",
                     data={"csrf_token": csrf_from(form), f"status-{user_id}": "present"})
    assert "50.0%" in participant.get(f"/cohorts/{CODE}/sessions").text
    edit = coordinator.get(f"/cohorts/{CODE}/sessions/{wrong}/edit").text
    coordinator.post(f"/cohorts/{CODE}/sessions/{wrong}/delete",
                     data={"csrf_token": csrf_from(edit)})
    assert "100.0%" in participant.get(f"/cohorts/{CODE}/sessions").text
    register = coordinator.get(f"/cohorts/{CODE}/attendance").text
    assert "Terlaksana" in register.split("<table", 1)[1]
    assert "Salah input" not in register.split("<table", 1)[1]
    with app.app_context():
        from lms.live.services import attendance_percent_by_user

        cohort_id = db.session.get(LiveSession, held).cohort_id
        assert attendance_percent_by_user(cohort_id)[user_id] == 100.0
