"""Check-in windows, instructors' corrections, the register and the certificate rule."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from lms.audit.models import AuditEntry
from lms.auth.models import User
from lms.cohorts.models import Cohort
from lms.extensions import db
from lms.live.models import Attendance
from lms.live.services import attendance_percent_by_user
from tests.conftest import csrf_from
from tests.live.conftest import CODE


def check_in(client, session_id):
    token = csrf_from(client.get(f"/cohorts/{CODE}/sessions").text)
    return client.post(f"/cohorts/{CODE}/sessions/{session_id}/check-in",
                       data={"csrf_token": token}, follow_redirects=True)


def attendance_rows(app):
    with app.app_context():
        return [(a.session_id, a.user_id, a.status, a.corrected_by_id)
                for a in db.session.scalars(select(Attendance).order_by(Attendance.id))]


@pytest.mark.parametrize(("starts_in", "message"), [
    (timedelta(minutes=30), "Check-in has not opened yet"),
    (-timedelta(hours=3), "Check-in is closed"),
])
def test_check_in_outside_the_window_is_refused(app, member, add_session, starts_in, message):
    session_id = add_session(starts_in, minutes=90)
    participant, _ = member()
    response = check_in(participant, session_id)
    assert message in response.text
    assert attendance_rows(app) == []


def test_check_in_during_the_window_is_recorded_once(app, member, add_session):
    early = add_session(timedelta(minutes=5))  # opens 10 minutes before the start
    running = add_session(-timedelta(minutes=30), minutes=90, topic="Berjalan")
    participant, user_id = member()
    page = participant.get(f"/cohorts/{CODE}/sessions").text
    assert page.count('/check-in"') == 2
    assert "You are checked in to" in check_in(participant, early).text
    first = attendance_rows(app)
    check_in(participant, early)
    assert attendance_rows(app) == first == [(early, user_id, "present", None)]
    check_in(participant, running)
    assert len(attendance_rows(app)) == 2
    assert "You are checked in." in participant.get(f"/cohorts/{CODE}/sessions").text


def test_staff_cannot_check_in(app, login_as, add_session, cohort_id):
    session_id = add_session(-timedelta(minutes=5))
    coordinator, _ = login_as("coordinator")
    response = check_in(coordinator, session_id)
    assert "Only participants of this cohort can check in." in response.text
    assert attendance_rows(app) == []


def test_instructor_corrects_attendance_and_the_register_counts_it(
        app, member, instructor, add_session):
    held = add_session(-timedelta(days=2), topic="Sesi satu")
    also_held = add_session(-timedelta(days=1), topic="Sesi dua")
    upcoming = add_session(timedelta(days=3), topic="Sesi tiga")
    budi, budi_id = member(full_name="Budi Santoso")
    sari, sari_id = member(full_name="Sari Wulandari")
    teacher, teacher_id = instructor("satu")
    url = f"/cohorts/{CODE}/sessions/{held}/attendance"
    page = teacher.get(url).text
    assert "Budi Santoso" in page
    assert "Sari Wulandari" in page
    response = teacher.post(url, data={"csrf_token": csrf_from(page),
                                       f"status-{budi_id}": "present",
                                       f"status-{sari_id}": "excused"}, follow_redirects=True)
    assert "Attendance saved: 2 changed." in response.text
    assert "Set by" in response.text
    with app.app_context():
        rows = {a.user_id: a for a in db.session.scalars(select(Attendance))}
        assert rows[budi_id].corrected_by_id == teacher_id
        assert rows[budi_id].corrected_at is not None
        assert rows[sari_id].status == "excused"
        entry = db.session.scalar(select(AuditEntry).where(
            AuditEntry.action == "live.attendance"))
        assert entry.actor_id == teacher_id
        assert entry.changes[str(sari_id)] == [None, "excused"]
    page = teacher.get(f"/cohorts/{CODE}/sessions/{also_held}/attendance").text
    teacher.post(f"/cohorts/{CODE}/sessions/{also_held}/attendance",
                 data={"csrf_token": csrf_from(page), f"status-{budi_id}": "absent",
                       f"status-{sari_id}": "present"})

    register = teacher.get(f"/cohorts/{CODE}/attendance").text
    assert "Sesi tiga" in register  # upcoming: shown, not counted
    budi_row = register[register.index("Budi Santoso"):].split("</tr>", 1)[0]
    sari_row = register[register.index("Sari Wulandari"):].split("</tr>", 1)[0]
    assert "50.0%" in budi_row  # present, absent
    assert "100.0%" in sari_row  # excused counts as attended, then present
    with app.app_context():
        percents = attendance_percent_by_user(db.session.scalar(
            select(Cohort.id).where(Cohort.code == CODE)))
    assert percents == {budi_id: 50.0, sari_id: 100.0}
    csv = teacher.get(f"/cohorts/{CODE}/attendance.csv").text
    assert '"present","absent","","50"\r\n' in csv  # English: comma
    # The participant sees their own attendance; the page of a session not held yet too.
    own = budi.get(f"/cohorts/{CODE}/sessions").text
    assert "Your attendance so far: 50.0% of the sessions held." in own
    assert teacher.get(f"/cohorts/{CODE}/sessions/{upcoming}/attendance").status_code == 200
    assert sari.get(f"/cohorts/{CODE}/attendance").status_code == 403


def test_attendance_refuses_strangers_and_unknown_statuses(
        app, member, instructor, add_session, login_as):
    session_id = add_session(-timedelta(days=1))
    _, budi_id = member()
    outsider_id = login_as("participant")[1]
    teacher, _ = instructor("satu")
    other_teacher, _ = instructor("dua")
    url = f"/cohorts/{CODE}/sessions/{session_id}/attendance"
    assert other_teacher.get(url).status_code == 403
    token = csrf_from(teacher.get(url).text)
    bad = teacher.post(url, data={"csrf_token": token, f"status-{budi_id}": "asleep"},
                       follow_redirects=True)
    assert "Unknown attendance status." in bad.text
    stranger = teacher.post(url, data={"csrf_token": token, f"status-{outsider_id}": "present"},
                            follow_redirects=True)
    assert "not participants of this cohort" in stranger.text
    assert attendance_rows(app) == []


def test_two_simultaneous_check_ins_keep_one_row(app, member, add_session):
    """The second request does not see the first's row yet and collides on the unique key:
    it answers with the first's check-in instead of an error."""
    from unittest import mock

    from lms.clock import utcnow
    from lms.cohorts import services as cohorts
    from lms.cohorts.access import cohort_access
    from lms.live import services

    session_id = add_session(-timedelta(minutes=5))
    _, user_id = member()
    with app.app_context():
        cohort = cohorts.get_cohort(CODE)
        who = cohort_access(cohort, db.session.get(User, user_id))
        db.session.add(Attendance(session_id=session_id, user_id=user_id, status="present",
                                  checked_in_at=utcnow()))
        db.session.flush()
        real, calls = db.session.scalar, []

        def first_misses(query):
            calls.append(query)
            return None if len(calls) == 1 else real(query)

        with mock.patch.object(db.session, "scalar", side_effect=first_misses):
            row = services.check_in(services.get_session(cohort, session_id), who, utcnow())
        db.session.commit()
        assert row.status == "present"
    assert len(attendance_rows(app)) == 1
