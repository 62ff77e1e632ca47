"""Cohorts as participants and coordinators use them: apply, select, capacity, waitlist."""

import threading
from pathlib import Path

import pytest
from sqlalchemy import func, select

from lms.audit.models import AuditEntry
from lms.cohorts import services
from lms.cohorts.models import Cohort, CohortMember, MemberStatus
from lms.courses.models import Enrollment
from lms.extensions import db
from tests.conftest import csrf_from

MOTIVATION = "Saya ingin meningkatkan promosi perpustakaan desa kami."


def apply(client, code="angkatan-1", **extra):
    page = client.get(f"/cohorts/{code}/apply")
    data = {"csrf_token": csrf_from(page.text), "motivation": MOTIVATION,
            "institution": "Perpustakaan Desa Maju", "position": "Pengelola", **extra}
    return client.post(f"/cohorts/{code}/apply", data=data)


def status_of(app, user_id, code="angkatan-1"):
    with app.app_context():
        return db.session.scalar(select(CohortMember.status).join(Cohort).where(
            Cohort.code == code, CohortMember.user_id == user_id))


def decide(client, member_ids, decision, code="angkatan-1"):
    page = client.get(f"/manage/cohorts/{code}")
    return client.post(f"/manage/cohorts/{code}/decide", data={
        "csrf_token": csrf_from(page.text), "member": [str(i) for i in member_ids],
        "decision": decision})


def member_ids(app, code="angkatan-1"):
    with app.app_context():
        return {m.user_id: m.id for m in db.session.scalars(select(CohortMember))}


def test_open_cohorts_are_listed_for_participants(app, make_cohort, login_as):
    make_cohort()
    make_cohort("tertutup", mode="invitation")
    client, _ = login_as()
    html = client.get("/cohorts").text
    assert "Angkatan I Tahun 2026" in html
    assert "Ajukan lamaran" in html
    assert "/cohorts/tertutup/apply" not in html


def test_apply_then_coordinator_accepts_and_participant_gets_courses(app, make_cohort,
                                                                     login_as):
    make_cohort()
    participant, user_id = login_as()
    response = apply(participant)
    assert response.status_code == 302
    assert status_of(app, user_id) == "applied"
    assert "lamaran terkirim, menunggu seleksi" in participant.get("/cohorts").text
    coordinator, coordinator_id = login_as("coordinator")
    page = coordinator.get("/manage/cohorts/angkatan-1").text
    assert MOTIVATION[:40] in page
    decide(coordinator, [member_ids(app)[user_id]], "accept")
    assert status_of(app, user_id) == "accepted"
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Enrollment).where(
            Enrollment.user_id == user_id)) == 2
        entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "member.accept"))
        assert entry.actor_id == coordinator_id
        assert entry.changes == {"status": ["applied", "accepted"]}
    assert "Kursus Satu" in participant.get("/learning").text
    outbox = list((Path(app.instance_path) / "outbox").glob("*.eml"))
    assert any("Angkatan I Tahun 2026" in f.read_text() for f in outbox)


def test_capacity_holds_in_bulk_and_the_rest_wait(app, make_cohort, login_as):
    make_cohort(capacity=2)
    people = []
    for _ in range(3):
        client, user_id = login_as()
        apply(client)
        people.append(user_id)
    coordinator, _ = login_as("coordinator")
    ids = member_ids(app)
    response = decide(coordinator, [ids[u] for u in people], "accept")
    assert response.status_code == 302
    statuses = [status_of(app, u) for u in people]
    assert statuses == ["accepted", "accepted", "waitlisted"]
    page = coordinator.get("/manage/cohorts/angkatan-1").text
    assert "2 dari 2 tempat terisi" in page


def test_withdrawal_promotes_the_first_on_the_waitlist(app, make_cohort, login_as):
    make_cohort(capacity=1)
    first, first_id = login_as()
    apply(first)
    coordinator, _ = login_as("coordinator")
    second, second_id = login_as()
    apply(second)
    third, third_id = login_as()
    apply(third)
    ids = member_ids(app)
    decide(coordinator, [ids[first_id]], "accept")
    decide(coordinator, [ids[third_id]], "waitlist")
    decide(coordinator, [ids[second_id]], "waitlist")
    page = first.get("/cohorts/angkatan-1/withdraw").text  # the confirmation step
    first.post("/cohorts/angkatan-1/withdraw", data={"csrf_token": csrf_from(page),
                                                      "confirm": "yes"})
    assert status_of(app, first_id) == "withdrawn"
    assert status_of(app, third_id) == "accepted"  # waitlisted first
    assert status_of(app, second_id) == "waitlisted"
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Enrollment).where(
            Enrollment.user_id == first_id)) == 0


def test_open_and_key_modes(app, make_cohort, login_as):
    make_cohort("terbuka", mode="open", capacity=1)
    make_cohort("berkunci", mode="key", key="RAHASIA-2026")
    client, user_id = login_as()
    apply(client, "terbuka")
    assert status_of(app, user_id, "terbuka") == "accepted"
    other, other_id = login_as()
    apply(other, "terbuka")
    assert status_of(app, other_id, "terbuka") == "waitlisted"
    wrong = apply(client, "berkunci", key="salah")
    assert wrong.status_code == 400
    assert "Kunci pendaftaran salah." in wrong.text
    assert status_of(app, user_id, "berkunci") is None
    apply(client, "berkunci", key="RAHASIA-2026")
    assert status_of(app, user_id, "berkunci") == "accepted"


def test_applying_twice_and_outside_the_window(app, make_cohort, login_as):
    make_cohort()
    make_cohort("lampau", registration_closes_on=__import__("datetime").date(2020, 1, 1),
                registration_opens_on=__import__("datetime").date(2019, 12, 1))
    client, user_id = login_as()
    apply(client)
    again = apply(client)
    assert again.status_code == 400
    assert "sudah mengajukan lamaran" in again.text
    closed = client.get("/cohorts/lampau/apply")
    assert closed.status_code == 302


def test_short_motivation_is_refused(app, make_cohort, login_as):
    make_cohort()
    client, user_id = login_as()
    response = apply(client, motivation="singkat")
    assert "Motivasi" in response.text
    assert status_of(app, user_id) is None


def test_participants_and_instructors_cannot_manage(app, make_cohort, login_as):
    make_cohort()
    participant, _ = login_as()
    instructor, _ = login_as("instructor")
    for client in (participant, instructor):
        for url in ("/manage/cohorts", "/manage/cohorts/angkatan-1", "/manage/cohorts/new",
                    "/manage/cohorts/angkatan-1/import", "/manage/audit"):
            assert client.get(url).status_code == 403, url
    assert participant.get("/manage/cohorts/angkatan-1/grid").status_code == 403


def test_coordinator_creates_and_edits_a_cohort_in_the_browser(app, program, login_as):
    coordinator, _ = login_as("coordinator")
    page = coordinator.get("/manage/cohorts/new").text
    data = {"csrf_token": csrf_from(page), "program": "program-contoh",
            "code": "angkatan-2", "name": "Angkatan II Tahun 2026", "number": "2",
            "year": "2026", "starts_on": "2026-12-01", "ends_on": "2026-12-20",
            "registration_opens_on": "2026-11-01", "registration_closes_on": "2026-11-30",
            "capacity": "40", "enrollment_mode": "application"}
    assert coordinator.post("/manage/cohorts/new", data=data).status_code == 302
    bad = coordinator.post("/manage/cohorts/angkatan-2/edit", data={
        **data, "ends_on": "2026-11-20"})
    assert bad.status_code == 400
    assert "Tanggal selesai mendahului tanggal mulai." in bad.text
    coordinator.post("/manage/cohorts/angkatan-2/edit", data={**data, "capacity": "35"})
    with app.app_context():
        assert services.get_cohort("angkatan-2").capacity == 35
        entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "cohort.update"))
        assert entry.changes == {"capacity": [40, 35]}


def test_concurrent_acceptance_never_exceeds_capacity(app, make_cohort, make_user):
    """Two coordinators accept different applicants at the same moment: one place, one wins."""
    cohort_id = make_cohort(capacity=1)
    applicants = []
    user_ids = [make_user()[0] for _ in range(2)]
    with app.app_context():
        for user_id in user_ids:
            member = CohortMember(cohort_id=cohort_id, user_id=user_id, status="applied")
            db.session.add(member)
            db.session.flush()
            applicants.append(member.id)
        db.session.commit()
    coordinator_id, _ = make_user(role="coordinator")
    barrier = threading.Barrier(2)
    errors = []

    def accept(member_id):
        with app.app_context():
            try:
                # Wait before touching the database: on SQLite the first transaction
                # holds the write lock, so a barrier inside it would deadlock the test.
                barrier.wait()
                cohort = db.session.get(Cohort, cohort_id)
                services.decide(cohort, [member_id], "accept", coordinator_id)
                db.session.commit()
            except Exception as exc:  # noqa: BLE001 - reported below
                errors.append(exc)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=accept, args=(m,)) for m in applicants]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    with app.app_context():
        statuses = sorted(db.session.scalars(select(CohortMember.status)))
    assert statuses == ["accepted", "waitlisted"]


@pytest.mark.parametrize("decision", ["reject", "waitlist"])
def test_unknown_members_are_refused(app, make_cohort, login_as, decision):
    make_cohort()
    make_cohort("lain")
    other, other_id = login_as()
    apply(other, "lain")
    coordinator, _ = login_as("coordinator")
    ids = member_ids(app)
    response = decide(coordinator, [ids[other_id]], decision)
    assert response.status_code == 302
    assert status_of(app, other_id, "lain") == "applied"
    assert MemberStatus.APPLIED == "applied"


def test_coordinator_adds_one_person_by_email(app, make_cohort, login_as, make_user):
    make_cohort(mode="invitation", capacity=1)
    _, email = make_user(email="tamu@example.org")
    _, other = make_user(email="lain@example.org")
    coordinator, _ = login_as("coordinator")
    page = coordinator.get("/manage/cohorts/angkatan-1")
    token = csrf_from(page.text)
    coordinator.post("/manage/cohorts/angkatan-1/add", data={"csrf_token": token,
                                                             "email": email})
    full = coordinator.post("/manage/cohorts/angkatan-1/add", data={
        "csrf_token": token, "email": other}, follow_redirects=True)
    assert "Angkatan sudah penuh." in full.text
    unknown = coordinator.post("/manage/cohorts/angkatan-1/add", data={
        "csrf_token": token, "email": "siapa@example.org"}, follow_redirects=True)
    assert "Tidak ada akun dengan email ini." in unknown.text
    with app.app_context():
        rows = {m.user.email: m.status for m in db.session.scalars(select(CohortMember))}
    assert rows == {"tamu@example.org": "accepted"}
