"""The personal calendar feed holds every deadline and weekly series, read by three
independent readers: `icalendar` (the parser most Python tools use), `recurring-ical-events`
(expands RRULE, EXDATE and RECURRENCE-ID the way calendar apps do) and `ics` (a separate
grammar-based parser: a second opinion on the syntax, folding and escaping)."""

from datetime import UTC, date, datetime, timedelta

import icalendar
import ics
import recurring_ical_events
from sqlalchemy import select

from lms.cohorts import services as cohorts
from lms.extensions import db
from lms.live.models import LiveSession
from lms.quizzes.models import Quiz
from tests.conftest import csrf_from
from tests.live.test_sessions import feed_url, post_session
from tests.notifications.conftest import CODE
from tests.notifications.test_reminders import _sync


def _feed(client) -> bytes:
    response = client.get(feed_url(client))
    assert response.status_code == 200
    assert response.mimetype == "text/calendar"
    return response.data


def test_every_deadline_and_the_cohort_days_are_in_the_feed(
        app, content_dir, program, cohort_id, member):
    _sync(app, content_dir)
    participant, _ = member()
    data = _feed(participant)
    with app.app_context():
        quiz_closes = db.session.scalar(select(Quiz.closes_at).where(Quiz.slug == "post"))
        cohort = cohorts.get_cohort(CODE)
        starts_on, ends_on = cohort.starts_on, cohort.ends_on
        from lms.assignments import services as assignments
        from lms.assignments.models import Assignment
        from lms.evaluations.window import answer_until

        due = assignments.due_at(db.session.scalar(select(Assignment)), cohort)
        last_day = answer_until(cohort)

    # icalendar
    events = {str(e["SUMMARY"]): e for e in icalendar.Calendar.from_ical(data).walk("VEVENT")}
    quiz = events["Quiz closes: Post-test Satu"]
    assert quiz.decoded("DTEND") == quiz_closes.replace(tzinfo=UTC)  # in UTC, with a Z
    assert b"DTEND:" + quiz_closes.strftime("%Y%m%dT%H%M%SZ").encode() in data
    assert "/courses/satu/quizzes/post" in str(quiz["URL"])
    work = events["Assignment due: Rencana Tindak Lanjut"]
    assert work.decoded("DTEND") == due.replace(tzinfo=UTC)
    begins = events["Angkatan I Tahun 2026 begins"]
    assert begins.decoded("DTSTART") == starts_on  # a day, the same everywhere
    assert events["Angkatan I Tahun 2026 ends"].decoded("DTSTART") == ends_on
    evaluation = next(e for s, e in events.items() if s.startswith("Training evaluation"))
    assert evaluation.decoded("DTSTART") == ends_on
    assert evaluation.decoded("DTEND") == last_day + timedelta(days=1)  # exclusive end
    assert not any(e.get("VTODO") for e in events.values())

    # ics: the same events, the same instants
    calendar = ics.Calendar(data.decode())
    by_name = {e.name: e for e in calendar.events}
    assert set(by_name) == set(events)
    assert by_name["Quiz closes: Post-test Satu"].end.datetime == quiz_closes.replace(tzinfo=UTC)
    assert by_name["Angkatan I Tahun 2026 begins"].all_day


def test_a_removed_quiz_leaves_the_feed(app, content_dir, program, cohort_id, member):
    _sync(app, content_dir)
    participant, _ = member()
    assert b"Quiz closes: Post-test Satu" in _feed(participant)
    _sync(app, content_dir, quiz=None)
    assert b"Quiz closes" not in _feed(participant)


def test_a_weekly_series_is_entered_once_and_read_with_its_exceptions(
        app, login_as, member):
    coordinator, _ = login_as("coordinator")
    response = post_session(coordinator, topic="Kelas Kamis", day="2026-12-03",
                            start="09:00", end="11:00", weeks="4")
    assert response.status_code == 302, response.text
    with app.app_context():
        sessions = list(db.session.scalars(select(LiveSession).order_by(LiveSession.starts_at)))
        assert [s.starts_at for s in sessions] == [
            datetime(2026, 12, 3, 2) + timedelta(weeks=n) for n in range(4)]  # 09.00 WIB
        second, third = sessions[1].id, sessions[2].id
    # The second week is cancelled, the third moved an hour later, one by one.
    edit = coordinator.get(f"/cohorts/{CODE}/sessions/{second}/edit").text
    assert coordinator.post(f"/cohorts/{CODE}/sessions/{second}/delete",
                            data={"csrf_token": csrf_from(edit)}).status_code == 302
    moved = post_session(coordinator, url=f"/cohorts/{CODE}/sessions/{third}/edit",
                         topic="Kelas Kamis", day="2026-12-17", start="10:00", end="12:00")
    assert moved.status_code == 302, moved.text

    participant, _ = member()
    page = participant.get(f"/cohorts/{CODE}/sessions").text
    assert "Thursday, 3 December 2026, 09:00–11:00 WIB" in page  # the person's zone
    assert page.count('<span class="badge">weekly</span>') == 3  # the cancelled week is apart
    data = _feed(participant)
    text = data.decode()
    assert text.count("RRULE:FREQ=WEEKLY;COUNT=4") == 1  # entered once, one series
    assert "EXDATE:20261210T020000Z" in text
    assert "RECURRENCE-ID:20261217T020000Z" in text

    # icalendar + recurring-ical-events: what a calendar app shows
    calendar = icalendar.Calendar.from_ical(data)
    shown = recurring_ical_events.of(calendar).between(date(2026, 12, 1), date(2027, 1, 1))
    series = sorted((e.decoded("DTSTART"), str(e["SUMMARY"])) for e in shown
                    if str(e["UID"]).startswith("live-series-"))
    assert series == [
        (datetime(2026, 12, 3, 2, tzinfo=UTC), "Kelas Kamis"),
        (datetime(2026, 12, 17, 3, tzinfo=UTC), "Kelas Kamis"),  # moved, not doubled
        (datetime(2026, 12, 24, 2, tzinfo=UTC), "Kelas Kamis"),
    ]

    # ics: parses the same feed and sees the series' first start in UTC
    parsed = ics.Calendar(text)
    firsts = [e for e in parsed.events if e.uid.startswith("live-series-")]
    assert datetime(2026, 12, 3, 2, tzinfo=UTC) in {e.begin.datetime for e in firsts}


def test_a_participant_in_wita_sees_the_series_in_wita_and_the_feed_stays_utc(
        app, login_as, member):
    coordinator, _ = login_as("coordinator")
    assert post_session(coordinator, topic="Kelas", day="2026-12-03", start="09:00",
                        end="10:00", weeks="2").status_code == 302
    participant, _ = member()
    page = participant.get(f"/cohorts/{CODE}/sessions").text
    assert participant.post("/time-zone", data={
        "csrf_token": csrf_from(page), "time_zone": "Asia/Makassar",
        "next": f"/cohorts/{CODE}/sessions"}).status_code == 302
    page = participant.get(f"/cohorts/{CODE}/sessions").text
    assert "Thursday, 3 December 2026, 10:00–11:00 WITA" in page
    assert b"DTSTART:20261203T020000Z" in _feed(participant)


def test_a_series_longer_than_half_a_year_is_refused(app, cohort_id, login_as):
    coordinator, _ = login_as("coordinator")
    response = post_session(coordinator, weeks="27")
    assert response.status_code == 400
    with app.app_context():
        assert db.session.scalar(select(LiveSession.id)) is None


def test_a_quiz_that_opens_days_into_the_angkatan_is_in_the_feed(
        app, content_dir, program, cohort_id, member):
    """The program post-test (`opens_day: 10`) opens at 00.00 WIB on the start date + 10."""
    from tests.notifications.test_reminders import POSTTEST

    _sync(app, content_dir, POSTTEST + "opens_day: 3\n")
    participant, _ = member()
    data = _feed(participant)
    with app.app_context():
        starts_on = cohorts.get_cohort(CODE).starts_on
    opens = datetime.combine(starts_on + timedelta(days=3), datetime.min.time(),
                             tzinfo=UTC) - timedelta(hours=7)  # 00.00 WIB in UTC
    events = {str(e["SUMMARY"]): e for e in icalendar.Calendar.from_ical(data).walk("VEVENT")}
    opening = events["Quiz opens: Post-test Satu"]
    assert opening.decoded("DTSTART") == opens
    assert "/courses/satu/quizzes/post" in str(opening["URL"])
    by_name = {e.name: e for e in ics.Calendar(data.decode()).events}
    assert by_name["Quiz opens: Post-test Satu"].begin.datetime == opens
