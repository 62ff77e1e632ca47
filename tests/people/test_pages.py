"""People list and person page: who may open what, search, filters, records, query count."""

import pytest
from sqlalchemy import select

from lms.audit.models import AuditEntry
from lms.auth.models import User
from lms.cohorts.models import Cohort
from lms.extensions import db
from tests.conftest import count_queries
from tests.people.conftest import post

PERSON_POSTS = ("edit", "deactivate", "reactivate", "reset-link")


def test_every_people_route_refuses_those_without_the_role(app, client, login_as, member):
    target, _ = member()
    gets = ["/people/", f"/people/{target}", "/people/corrections"]
    posts = [f"/people/{target}/{action}" for action in (*PERSON_POSTS, "role")] + [
        f"/people/{target}/certificates/1/reissue", "/people/corrections/1/approve",
        "/people/corrections/1/reject"]
    for url in gets:
        response = client.get(url)
        assert response.status_code == 302
        assert "/auth/login" in response.headers["Location"]
    for url in posts:
        assert client.post(url).status_code in {302, 400}  # no session: login or CSRF
    for role in ("participant", "instructor"):
        staff, _ = login_as(role)
        for url in gets:
            assert staff.get(url).status_code == 403, (role, url)
        for url in posts:
            assert post(staff, url).status_code == 403, (role, url)
    coordinator, _ = login_as("coordinator")
    assert post(coordinator, f"/people/{target}/role", {"role": "admin"}).status_code == 403
    with app.app_context():
        assert db.session.get(User, target).role == "participant"


def test_forms_without_a_csrf_token_are_refused(app, login_as, member):
    target, _ = member(full_name="Budi Santoso")
    admin, _ = login_as("admin")
    response = admin.post(f"/people/{target}/edit", data={"full_name": "Orang Lain",
                                                           "email": "lain@example.org"})
    assert response.status_code == 400
    assert admin.post(f"/people/{target}/deactivate").status_code == 400
    with app.app_context():
        user = db.session.get(User, target)
        assert (user.full_name, user.is_active_account) == ("Budi Santoso", True)


def test_admin_searches_and_filters_everyone(app, login_as, member, make_user):
    member(full_name="Budi Santoso", institution="Perpustakaan Kota Bogor")
    member(full_name="Sari Dewi", institution="Perpustakaan Desa Maju")
    make_user(full_name="Tanpa Angkatan", email="sendiri@example.org")
    admin, _ = login_as("admin", full_name="Admin Satu")
    page = admin.get("/people/")
    assert page.status_code == 200
    assert all(name in page.text for name in ("Budi Santoso", "Sari Dewi", "Tanpa Angkatan",
                                              "Admin Satu"))
    assert "angkatan-1" in page.text  # each person's cohorts
    found = admin.get("/people/?q=bogor")
    assert "Budi Santoso" in found.text
    assert "Sari Dewi" not in found.text
    assert "1 orang" in found.text
    by_email = admin.get("/people/?q=SENDIRI@")
    assert "Tanpa Angkatan" in by_email.text
    assert "Budi" not in by_email.text
    admins = admin.get("/people/?role=admin")
    assert "Admin Satu" in admins.text
    assert "Budi Santoso" not in admins.text
    with app.app_context():
        cohort_id = db.session.scalar(select(Cohort.id))
    in_cohort = admin.get(f"/people/?cohort={cohort_id}")
    assert "Budi Santoso" in in_cohort.text
    assert "Tanpa Angkatan" not in in_cohort.text
    percent = admin.get("/people/?q=%25")  # a LIKE wildcard is searched for literally
    assert "Tidak ada yang cocok." in percent.text
    assert admin.get("/people/?page=999&cohort=abc").status_code == 200


def test_coordinator_sees_only_the_people_of_cohorts(app, login_as, member, make_user):
    inside, _ = member(full_name="Budi Santoso")
    outside, _ = make_user(full_name="Tanpa Angkatan")
    other_admin, _ = make_user(role="admin", full_name="Admin Lain")
    coordinator, coordinator_id = login_as("coordinator")
    page = coordinator.get("/people/")
    assert "Budi Santoso" in page.text
    assert "Tanpa Angkatan" not in page.text
    assert "Admin Lain" not in page.text
    assert coordinator.get(f"/people/{inside}").status_code == 200
    for user_id in (outside, other_admin):
        assert coordinator.get(f"/people/{user_id}").status_code == 404
        assert post(coordinator, f"/people/{user_id}/deactivate").status_code == 404
    assert coordinator.get("/people/999999").status_code == 404
    with app.app_context():
        refused = db.session.scalars(select(AuditEntry).where(
            AuditEntry.action == "person.refused")).all()
        assert {(e.actor_id, e.target_id) for e in refused} == {
            (coordinator_id, outside), (coordinator_id, other_admin)}
        assert len(refused) == 4
        assert db.session.get(User, outside).is_active_account


def test_person_page_shows_cohorts_attempts_submissions_and_certificates(
        app, login_as, holder):
    from datetime import datetime

    from lms.assignments.models import Assignment, Submission
    from lms.courses.models import Course
    from lms.quizzes.models import Attempt, Quiz

    user_id, _, _ = holder(full_name="Budi Santoso", nip="198001012005011001")
    with app.app_context():
        course = db.session.scalar(select(Course))
        quiz = Quiz(course_id=course.id, slug="pre", title="Pre-test Satu", kind="pretest")
        task = Assignment(course_id=course.id, slug="tugas", title="Tugas Rencana Promosi")
        db.session.add_all([quiz, task])
        db.session.flush()
        db.session.add(Attempt(quiz_id=quiz.id, user_id=user_id, started_at=datetime(2026, 12, 2),
                               finished_at=datetime(2026, 12, 2, 1), percent=75.0))
        db.session.add(Submission(assignment_id=task.id, cohort_id=db.session.scalar(
            select(Cohort.id)), user_id=user_id, submitted_at=datetime(2026, 12, 3),
            status="graded", score=88.0))
        db.session.commit()
    coordinator, _ = login_as("coordinator")
    page = coordinator.get(f"/people/{user_id}")
    assert page.status_code == 200
    text = page.text
    assert "Angkatan I Tahun 2026" in text
    assert "diterima" in text
    assert "Pre-test Satu" in text
    assert "75%" in text
    assert "Tugas Rencana Promosi" in text
    assert "88" in text
    assert "001/" in text  # the certificate number
    assert "198001012005011001" in text
    assert "Ubah peran" not in text  # only admins change roles
    admin, _ = login_as("admin")
    assert "Ubah peran" in admin.get(f"/people/{user_id}").text


@pytest.mark.parametrize("role", ["coordinator", "admin"])
def test_people_list_query_count_does_not_grow_with_people(app, login_as, member, role):
    viewer, _ = login_as(role)
    for _ in range(2):
        member()
    viewer.get("/people/")
    with count_queries(app) as few:
        assert viewer.get("/people/").status_code == 200
    for _ in range(12):
        member()
    with count_queries(app) as many:
        page = viewer.get("/people/")
    assert page.text.count("/people/") > 14
    assert len(many) == len(few)


def test_header_links_follow_the_role(login_as):
    participant, _ = login_as("participant")
    page = participant.get("/profile")
    assert 'href="/profile"' in page.text
    assert 'href="/people/"' not in page.text
    coordinator, _ = login_as("coordinator")
    assert 'href="/people/"' in coordinator.get("/profile").text
