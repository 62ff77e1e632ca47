"""Coordinators limited to programs: another program's cohorts, certificates and people are
refused, and each refusal is audited; an unlimited coordinator keeps every program."""

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from lms.audit.models import AuditEntry
from lms.auth.models import User
from lms.cohorts import services as cohorts
from lms.cohorts.models import Cohort, ProgramCoordinator
from lms.content import load_tree, sync_tree
from lms.courses.models import Program
from lms.extensions import db
from lms.people import scope
from tests.conftest import AuthActions, csrf_from, write_course


@pytest.fixture
def two_programs(app, content_dir):
    """Program A (course satu) and program B (course dua), one cohort each; returns codes."""
    write_course(content_dir, "satu", 1, title="Kursus Satu")
    write_course(content_dir, "dua", 1, title="Kursus Dua")
    (content_dir / "_programs").mkdir()
    (content_dir / "_programs" / "a.yml").write_text(
        "id: program-a\ntitle: Diklat A\ncourses:\n  - satu\n")
    (content_dir / "_programs" / "b.yml").write_text(
        "id: program-b\ntitle: Diklat B\ncourses:\n  - dua\n")
    today = date.today()
    with app.app_context():
        assert sync_tree(load_tree(content_dir)).ok
        for slug, code in (("program-a", "angkatan-a"), ("program-b", "angkatan-b")):
            program = db.session.scalar(select(Program).where(Program.slug == slug))
            cohorts.create_cohort(program, code, {
                "name": f"Angkatan {code[-1].upper()}", "number": 1, "year": today.year,
                "description": "Awal", "starts_on": today + timedelta(days=3),
                "ends_on": today + timedelta(days=30), "capacity": 40,
                "enrollment_mode": "invitation"}, None)
        db.session.commit()
    return "angkatan-a", "angkatan-b"


def signed_in(app, email):
    client = app.test_client()
    AuthActions(client).login(email)
    return client


def limit(app, email, slugs):
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == email))
        changed = scope.set_programs(user, slugs, None)
        db.session.commit()
        return changed


def refusals(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(AuditEntry).where(
            AuditEntry.action == "cohort.refused"))


def test_a_coordinator_of_program_b_cannot_edit_program_a_and_is_audited(app, two_programs,
                                                                          make_user):
    code_a, code_b = two_programs
    _, email = make_user(role="coordinator")
    assert limit(app, email, ["program-b"])
    client = signed_in(app, email)
    listing = client.get("/manage/cohorts").text
    assert "Angkatan B" in listing
    assert "Angkatan A" not in listing
    assert client.get(f"/manage/cohorts/{code_b}/edit").status_code == 200
    page = client.get(f"/manage/cohorts/{code_b}/edit").text
    assert client.get(f"/manage/cohorts/{code_a}/edit").status_code == 403
    forged = client.post(f"/manage/cohorts/{code_a}/edit", data={
        "csrf_token": csrf_from(page), "name": "Diubah", "description": "Diubah",
        "capacity": "5"})
    assert forged.status_code == 403
    with app.app_context():
        cohort = db.session.scalar(select(Cohort).where(Cohort.code == code_a))
        assert (cohort.name, cohort.capacity) == ("Angkatan A", 40)
        entry = db.session.scalars(select(AuditEntry).where(
            AuditEntry.action == "cohort.refused")).all()[-1]
        assert entry.target_id == cohort.id
        assert f"/manage/cohorts/{code_a}/edit" in entry.summary
    assert refusals(app) == 2
    # The new-cohort form offers only program B; a forged program A is not accepted.
    new = client.get("/manage/cohorts/new").text
    assert "Diklat B" in new
    assert "Diklat A" not in new


def test_an_unlimited_coordinator_and_an_admin_keep_every_program(app, two_programs, make_user):
    code_a, code_b = two_programs
    for role in ("coordinator", "admin"):
        _, email = make_user(role=role)
        client = signed_in(app, email)
        for code in (code_a, code_b):
            assert client.get(f"/manage/cohorts/{code}/edit").status_code == 200
    assert refusals(app) == 0


def test_people_of_another_program_are_out_of_reach(app, two_programs, make_user):
    code_a, _ = two_programs
    participant_id, _ = make_user()
    with app.app_context():
        cohorts.enroll_user(cohorts.get_cohort(code_a), db.session.get(User, participant_id),
                            None)
        db.session.commit()
    _, limited = make_user(role="coordinator")
    limit(app, limited, ["program-b"])
    assert signed_in(app, limited).get(f"/people/{participant_id}").status_code == 404
    _, unlimited = make_user(role="coordinator")
    assert signed_in(app, unlimited).get(f"/people/{participant_id}").status_code == 200


def test_limits_are_set_from_the_cli_checked_and_audited(app, runner, two_programs, make_user):
    _, email = make_user(role="coordinator")
    result = runner.invoke(args=["users", "programs", email, "program-a", "program-b"])
    assert result.exit_code == 0, result.output
    assert f"{email}: program-a, program-b" in result.output
    assert "Program tidak dikenal: nope" in runner.invoke(
        args=["users", "programs", email, "nope"]).output
    result = runner.invoke(args=["users", "programs", email, "--all"])
    assert f"{email}: every program" in result.output
    _, participant = make_user()
    assert "Hanya koordinator yang dapat dibatasi" in runner.invoke(
        args=["users", "programs", participant, "program-a"]).output
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(ProgramCoordinator)) == 0
        changes = [e.changes["programs"] for e in db.session.scalars(select(AuditEntry).where(
            AuditEntry.action == "person.programs").order_by(AuditEntry.id))]
    assert changes == [[[], ["program-a", "program-b"]], [["program-a", "program-b"], []]]
