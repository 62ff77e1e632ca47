"""The schedule, scheduling rules, time zones on the page and the calendar feed."""

from datetime import UTC, datetime, timedelta

import icalendar
import pytest
from sqlalchemy import func, select

from lms.extensions import db
from lms.live.models import LiveSession, UserPreference
from tests.conftest import csrf_from
from tests.live.conftest import CODE, course_id

NEW = f"/cohorts/{CODE}/sessions/new"


def session_count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(LiveSession))


def post_session(client, url=NEW, **fields):
    data = {"csrf_token": csrf_from(client.get(url).text), "topic": "Katalogisasi RDA",
            "course": "", "instructor": "", "day": "2026-12-01", "start": "09:00",
            "end": "11:00", "time_zone": "Asia/Jakarta",
            "meeting_url": "https://meet.example.org/abc-defg-hij", "recording_url": "",
            **fields}
    return client.post(url, data=data)


def feed_url(client) -> str:
    page = client.get(f"/cohorts/{CODE}/sessions").text
    start = page.index('id="live-feed"')
    value = page[start:].split('value="', 1)[1].split('"', 1)[0].replace("&amp;", "&")
    return value.removeprefix("http://localhost")


def test_times_entered_in_wib_wita_wit_are_right_in_the_ical_feed(app, login_as, member):
    coordinator, _ = login_as("coordinator")
    for zone, topic in (("Asia/Jakarta", "Sesi WIB"), ("Asia/Makassar", "Sesi WITA"),
                        ("Asia/Jayapura", "Sesi WIT")):
        response = post_session(coordinator, topic=topic, time_zone=zone)
        assert response.status_code == 302, response.text
    participant, _ = member()
    response = participant.get(feed_url(participant))
    assert response.status_code == 200
    assert response.mimetype == "text/calendar"
    calendar = icalendar.Calendar.from_ical(response.data)
    events = {str(e["SUMMARY"]): e for e in calendar.walk("VEVENT")
              if str(e["UID"]).startswith("live-")}
    expected = {"Sesi WIB": 2, "Sesi WITA": 1, "Sesi WIT": 0}  # 09.00 local in UTC
    for topic, hour in expected.items():
        event = events[topic]
        assert event.decoded("DTSTART") == datetime(2026, 12, 1, hour, tzinfo=UTC)
        assert event.decoded("DTEND") == datetime(2026, 12, 1, hour + 2, tzinfo=UTC)
        # Days before the start the page does not show the meeting link; neither does the feed.
        assert "meet.example.org" not in str(event["DESCRIPTION"])
        assert str(event["URL"]) == f"http://localhost/cohorts/{CODE}/sessions"
        assert event.decoded("DTSTAMP").tzinfo is not None
    uids = {str(e["UID"]) for e in events.values()}
    assert len(uids) == 3
    again = icalendar.Calendar.from_ical(participant.get(feed_url(participant)).data)
    assert {str(e["UID"]) for e in again.walk("VEVENT")
            if str(e["UID"]).startswith("live-")} == uids  # stable per session
    assert all(len(line) <= 75 for line in response.data.split(b"\r\n"))


def test_the_page_shows_local_time_with_the_zone_name(app, login_as, member, add_session):
    coordinator, _ = login_as("coordinator")
    assert post_session(coordinator, topic="Sesi pagi", day="2030-12-02").status_code == 302
    participant, user_id = member()
    page = participant.get(f"/cohorts/{CODE}/sessions").text
    assert "Monday, 2 December 2030, 09:00–11:00 WIB" in page
    participant.post("/language", data={"csrf_token": csrf_from(page), "locale": "id"})
    page = participant.get(f"/cohorts/{CODE}/sessions").text
    assert "Senin, 2 Desember 2030, 09.00–11.00 WIB" in page
    for zone, label in (("Asia/Makassar", "10.00–12.00 WITA"),
                        ("Asia/Jayapura", "11.00–13.00 WIT"),
                        ("Asia/Pontianak", "09.00–11.00 WIB")):
        response = participant.post("/time-zone", data={
            "csrf_token": csrf_from(page), "time_zone": zone,
            "next": f"/cohorts/{CODE}/sessions"})
        assert response.headers["Location"] == f"/cohorts/{CODE}/sessions"
        page = participant.get(f"/cohorts/{CODE}/sessions").text
        assert f"Senin, 2 Desember 2030, {label}" in page
    with app.app_context():
        assert db.session.scalar(select(UserPreference.time_zone).where(
            UserPreference.user_id == user_id)) == "Asia/Pontianak"
    bad = participant.post("/time-zone", data={"csrf_token": csrf_from(page),
                                               "time_zone": "Europe/Amsterdam"})
    assert bad.status_code == 400


def test_a_session_ending_before_it_starts_is_refused(app, login_as, cohort_id):
    coordinator, _ = login_as("coordinator")
    response = post_session(coordinator, start="11:00", end="09:00")
    assert response.status_code == 400
    assert "The session ends before it starts" in response.text
    assert 'id="end-error"' in response.text
    assert post_session(coordinator, start="09:00", end="09:00").status_code == 400
    assert session_count(app) == 0


@pytest.mark.parametrize("link", ["javascript:alert(1)", "ftp://files.example.org/x",
                                  "meet.example.org/abc", "https://"])
def test_links_must_be_web_addresses(app, login_as, cohort_id, link):
    coordinator, _ = login_as("coordinator")
    response = post_session(coordinator, meeting_url=link)
    assert response.status_code == 400
    assert "A link must be a web address" in response.text
    assert session_count(app) == 0


def test_instructors_schedule_only_their_own_courses(app, login_as, instructor, cohort_id):
    satu, dua = course_id(app, "satu"), course_id(app, "dua")
    teacher, teacher_id = instructor("satu")
    form = teacher.get(NEW).text
    courses = form[form.index('id="course"'):].split("</select>", 1)[0]
    assert f'value="{satu}"' in courses
    assert f'value="{dua}"' not in courses
    assert 'value=""' not in courses  # the whole cohort is for coordinators
    refused = post_session(teacher, course=str(dua))
    assert refused.status_code == 400
    assert session_count(app) == 0
    whole_cohort = post_session(teacher, course="")
    assert whole_cohort.status_code == 400
    assert session_count(app) == 0
    assert post_session(teacher, course=str(satu),
                        instructor=str(teacher_id)).status_code == 302
    with app.app_context():
        session = db.session.scalar(select(LiveSession))
        assert (session.course_id, session.instructor_id) == (satu, teacher_id)
        session_id = session.id
    other, _ = instructor("dua")
    assert other.get(f"/cohorts/{CODE}/sessions/{session_id}/edit").status_code == 403
    edit_url = f"/cohorts/{CODE}/sessions/{session_id}/edit"
    moved = post_session(other, url=NEW, course=str(satu))
    assert moved.status_code == 400
    # The teacher may edit their session but not move it to a course they do not teach.
    assert post_session(teacher, url=edit_url, course=str(dua)).status_code == 400
    assert post_session(teacher, url=edit_url, course=str(satu), topic="Baru",
                        recording_url="https://video.example.org/r1").status_code == 302
    with app.app_context():
        session = db.session.get(LiveSession, session_id)
        assert (session.topic, session.course_id, session.revision) == ("Baru", satu, 1)


def test_participants_cannot_schedule_and_outsiders_get_404(app, login_as, member, add_session):
    session_id = add_session(timedelta(days=2))
    participant, _ = member()
    assert participant.get(NEW).status_code == 403
    assert participant.get(f"/cohorts/{CODE}/sessions/{session_id}/edit").status_code == 403
    assert participant.get(f"/cohorts/{CODE}/attendance").status_code == 403
    outsider, _ = login_as("participant")
    other_teacher, _ = login_as("instructor")
    for client in (outsider, other_teacher):
        for url in (f"/cohorts/{CODE}/sessions", NEW, f"/cohorts/{CODE}/attendance",
                    f"/cohorts/{CODE}/sessions/{session_id}/attendance"):
            assert client.get(url).status_code == 404, url
    response = outsider.post(f"/cohorts/{CODE}/sessions/{session_id}/check-in",
                             data={"csrf_token": csrf_from(outsider.get("/learning").text)})
    assert response.status_code == 404
    assert participant.get("/cohorts/tidak-ada/sessions").status_code == 404
    assert app.test_client().get(f"/cohorts/{CODE}/sessions").status_code == 302  # sign in


def test_meeting_link_shows_from_30_minutes_before_and_recording_after(
        app, member, add_session):
    add_session(timedelta(hours=3), topic="Nanti", meeting_url="https://meet.example.org/later")
    add_session(timedelta(minutes=20), topic="Segera",
                meeting_url="https://meet.example.org/soon")
    add_session(-timedelta(days=1), topic="Kemarin", meeting_url="https://meet.example.org/old",
                recording_url="https://video.example.org/rekaman")
    participant, _ = member()
    page = participant.get(f"/cohorts/{CODE}/sessions").text
    assert "https://meet.example.org/soon" in page
    assert "https://meet.example.org/later" not in page
    assert "https://meet.example.org/old" not in page
    assert "https://video.example.org/rekaman" in page
    assert page.index("Segera") < page.index("Nanti") < page.index("Kemarin")


def test_feed_tokens_are_per_user_and_cohort(app, make_cohort, member, add_session):
    add_session(timedelta(days=1))
    make_cohort(code="angkatan-2")
    first, first_id = member()
    second, _ = member(code="angkatan-2")
    own = feed_url(first)
    assert own.startswith(f"/cohorts/{CODE}/calendar.ics?token={first_id}.")
    anonymous = app.test_client()
    assert anonymous.get(own).status_code == 200
    token = own.split("token=", 1)[1]
    assert anonymous.get(f"/cohorts/angkatan-2/calendar.ics?token={token}").status_code == 404
    assert anonymous.get(f"/cohorts/{CODE}/calendar.ics").status_code == 404
    forged = f"{first_id + 1}.{token.split('.', 1)[1]}"
    assert anonymous.get(f"/cohorts/{CODE}/calendar.ics?token={forged}").status_code == 404
    tampered = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    assert anonymous.get(f"/cohorts/{CODE}/calendar.ics?token={tampered}").status_code == 404
    # The second user's own token works for their cohort only.
    other = feed_url_for(second, "angkatan-2")
    assert anonymous.get(other).status_code == 200
    assert anonymous.get(other.replace("angkatan-2", CODE)).status_code == 404


def feed_url_for(client, code: str) -> str:
    page = client.get(f"/cohorts/{code}/sessions").text
    start = page.index('id="live-feed"')
    return page[start:].split('value="', 1)[1].split('"', 1)[0].replace(
        "&amp;", "&").removeprefix("http://localhost")


def test_a_withdrawn_participant_loses_the_feed(app, member, add_session):
    from lms.cohorts import services as cohorts

    add_session(timedelta(days=1))
    participant, user_id = member()
    url = feed_url(participant)
    with app.app_context():
        cohort = cohorts.get_cohort(CODE)
        cohorts.withdraw(cohorts.membership(cohort, user_id), None)
        db.session.commit()
    assert app.test_client().get(url).status_code == 404
    assert participant.get(f"/cohorts/{CODE}/sessions").status_code == 404


def test_coordinator_cancels_a_session(app, login_as, add_session):
    session_id = add_session(timedelta(days=1))
    coordinator, _ = login_as("coordinator")
    edit = coordinator.get(f"/cohorts/{CODE}/sessions/{session_id}/edit").text
    response = coordinator.post(f"/cohorts/{CODE}/sessions/{session_id}/delete",
                                data={"csrf_token": csrf_from(edit)})
    assert response.status_code == 302
    with app.app_context():  # kept for the calendar feed, marked cancelled
        assert db.session.get(LiveSession, session_id).cancelled_at is not None
    assert coordinator.get(f"/cohorts/{CODE}/sessions/{session_id}/edit").status_code == 404
