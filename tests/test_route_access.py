"""Every route, walked as seven people, against a table of who may do what.

The world: a program of two courses ("satu" with a quiz and an assignment, "dua"), cohort A
(running) and cohort B. People: anonymous; p1, a participant of A with a submission, a quiz
attempt with an essay, a forum thread, a certificate and an evaluation; p2, a participant
of B; inst, who teaches "satu" in A; inst2, who teaches "dua" in A; a coordinator; an admin.

GET is asked of every route that has it; POST (a valid CSRF token, no other data) of the
routes that have only POST. Each role walks a fresh world, GETs first, then the POSTs, with
the few that change who is who (withdrawing, removing an instructor, signing out) last.

Statuses are compared by class: "200" for 2xx, "login" for a redirect to the sign-in page,
"302" for any other redirect, else the code. A route without a row fails the test: a new
route must be classified here.
"""

import io
import re
import shutil
import textwrap
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from lms import clock
from lms.auth.models import Role
from lms.cohorts.models import CohortInstructor, CohortMember
from lms.courses.models import Course, Module, Program
from lms.extensions import db
from tests.conftest import PASSWORD, AuthActions, count_queries, csrf_from, write_course
from tests.quizzes.conftest import QUIZ

ROLES = ("anon", "p1", "p2", "inst", "inst2", "coord", "admin")
SURVEY = Path(__file__).resolve().parents[1] / "course_content" / "_surveys" / "evaluasi-diklat.yml"
ASSIGNMENT = textwrap.dedent("""\
    ---
    id: satu-tugas
    title: Tugas Satu
    due_days: 21
    max_score: 100
    pass_mark: 70
    accepted_types: [pdf]
    max_size_mb: 2
    allow_text: true
    ---

    Tulis laporan singkat.
    """)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

# Written from the behaviour of November 2026. Columns:
#                                  anon  p1    p2    inst  inst2 coord admin
EXPECTED = {
    "applications.decide":            "login 403   403   403   403   302   302",
    "applications.download":          "login 200   404   404   404   200   200",
    "applications.mine":              "login 200   302   302   302   302   302",
    "applications.review":            "login 403   403   403   403   302   302",
    "applications.save_fields":       "login 400   302   302   302   302   302",
    "applications.selection":         "login 403   403   403   403   200   200",
    "applications.upload":            "login 400   302   302   302   302   302",
    "assignments.assignment_page":    "login 200   200   200   200   200   200",
    "assignments.cohort_assignments": "login 403   403   200   200   200   200",
    "assignments.download":           "login 200   404   200   404   200   200",
    "assignments.grade_page":         "login 403   403   200   403   200   200",
    "assignments.grading_queue":      "login 403   403   200   403   200   200",
    "assignments.queue_zip":          "login 403   403   302   403   302   302",
    "auth.change_password":           "login 302   302   302   302   302   302",
    "auth.finish_registration":       "302   302   302   302   302   302   302",
    "auth.forgot":                    "200   200   200   200   200   200   200",
    "auth.login":                     "200   302   302   302   302   302   302",
    "auth.logout":                    "login login login login login login login",
    "auth.register":                  "200   302   302   302   302   302   302",
    "auth.reset":                     "302   302   302   302   302   302   302",
    "certificates.badge":             "login 200   404   404   404   200   200",
    "certificates.cohort_export":     "login 403   403   403   403   200   200",
    "certificates.cohort_page":       "login 403   403   403   403   200   200",
    "certificates.download_zip":      "login 403   403   403   403   302   302",
    "certificates.issue":             "login 403   403   403   403   302   302",
    "certificates.mine":              "login 200   200   200   200   200   200",
    "certificates.pdf":               "login 200   404   404   404   200   200",
    "certificates.prepare":           "login 403   403   403   403   302   302",
    "certificates.recertify":         "login 403   403   403   403   404   404",
    "certificates.reissue":           "login 403   403   403   403   302   302",
    "certificates.revoke":            "login 403   403   403   403   302   302",
    "certificates.verify":            "200   200   200   200   200   200   200",
    "cohorts.apply":                  "login 302   302   302   302   302   302",
    "credentials.check":              "200   200   200   200   200   200   200",
    "credentials.issuer":             "200   200   200   200   200   200   200",
    "credentials.issuer_key":         "200   200   200   200   200   200   200",
    "credentials.program":            "200   200   200   200   200   200   200",
    "credentials.status_list":        "200   200   200   200   200   200   200",
    "cohorts.open_list":              "200   200   200   200   200   200   200",
    "cohorts.withdraw":               "login 200   404   404   404   404   404",
    "courses.asset":                  "200   200   200   200   200   200   200",
    "courses.catalog":                "200   200   200   200   200   200   200",
    "courses.course_page":            "200   200   200   200   200   200   200",
    "courses.dashboard":              "login 200   200   200   200   200   200",
    "courses.glossary":               "200   200   200   200   200   200   200",
    "courses.module_page":            "login 200   200   200   200   200   200",
    "courses.preview":                "login 403   403   200   200   200   200",
    "courses.preview_asset":          "login 403   403   200   200   200   200",
    "courses.preview_glossary":       "login 403   403   200   200   200   200",
    "courses.preview_module":         "login 403   403   200   200   200   200",
    "courses.set_progress":           "login 400   400   400   400   400   400",
    "evaluations.fill":               "login 200   403   200   200   200   200",
    "evaluations.report":             "login 403   403   200   200   200   200",
    "evaluations.report_csv":         "login 403   403   403   403   200   200",
    "forums.digest":                  "login 302   404   302   302   302   302",
    "forums.edit_post":               "login 200   404   200   403   200   200",
    "forums.forum":                   "login 200   404   200   200   200   200",
    "forums.index":                   "login 200   404   200   200   200   200",
    "forums.moderate_post":           "login 403   404   302   403   302   302",
    "forums.moderate_thread":         "login 403   404   302   403   302   302",
    "forums.move_thread":             "login 403   404   302   403   302   302",
    "forums.new_thread":              "login 200   404   200   200   200   200",
    "forums.post":                    "login 302   404   302   302   302   302",
    "forums.search":                  "login 200   404   200   200   200   200",
    "forums.thread":                  "login 200   404   200   200   200   200",
    "jobs.download":                  "login 404   404   404   404   404   404",
    "jobs.index":                     "login 403   403   403   403   403   200",
    "jobs.retry":                     "login 403   403   403   403   403   302",
    "jobs.show":                      "login 404   404   404   404   200   200",
    "jobs.state":                     "login 404   404   404   404   200   200",
    "live.calendar":                  "404   404   404   404   404   404   404",
    "live.check_in":                  "login 302   404   302   302   302   302",
    "live.delete_session":            "login 403   404   302   403   302   302",
    "live.edit_session":              "login 403   404   200   403   200   200",
    "live.new_session":               "login 403   404   200   200   200   200",
    "progress.next_items":                "login 200   200   200   200   200   200",
    "live.register":                  "login 403   404   200   200   200   200",
    "live.register_csv":              "login 403   404   200   200   200   200",
    "live.schedule":                  "login 200   404   200   200   200   200",
    "live.session_attendance":        "login 403   404   200   403   200   200",
    "live.set_time_zone":             "login 302   302   302   302   302   302",
    "manage.add_member":              "login 403   403   403   403   302   302",
    "manage.announcements":           "login 403   403   403   403   200   200",
    "manage.applicants_export":       "login 403   403   403   403   200   200",
    "manage.audit_log":               "login 403   403   403   403   403   200",
    "manage.cohort":                  "login 403   403   403   403   200   200",
    "manage.cohorts":                 "login 403   403   403   403   200   200",
    "manage.decide":                  "login 403   403   403   403   302   302",
    "manage.edit_cohort":             "login 403   403   403   403   200   200",
    "manage.grid":                    "login 403   403   200   200   200   200",
    "manage.grid_csv":                "login 403   403   200   200   200   200",
    "manage.import_csv":              "login 403   403   403   403   200   200",
    "manage.instructors":             "login 403   403   403   403   200   200",
    "manage.new_cohort":              "login 403   403   403   403   200   200",
    "manage.program":                 "login 403   403   403   403   200   200",
    "manage.programs":                "login 403   403   403   403   200   200",
    "manage.remove_instructor":       "login 403   403   403   403   302   302",
    "manage.teaching":                "login 403   403   200   200   200   200",
    "manage.withdraw_member":         "login 403   403   403   403   200   200",
    "notifications.cohort_messages":  "login 200   404   200   200   200   200",
    "notifications.index":            "login 200   200   200   200   200   200",
    "notifications.mark_read":        "login 302   302   302   302   302   302",
    "notifications.message":          "login 200   404   200   200   200   200",
    "notifications.open_one":         "login 302   404   404   404   404   404",
    "notifications.settings":         "login 200   200   200   200   200   200",
    "oidc.callback":                  "404   404   404   404   404   404   404",
    "oidc.login":                     "404   404   404   404   404   404   404",
    "people.approve":                 "login 403   403   403   403   302   302",
    "people.change_role":             "login 403   403   403   403   403   302",
    "people.corrections_list":        "login 403   403   403   403   200   200",
    "people.deactivate":              "login 403   403   403   403   302   302",
    "people.edit":                    "login 403   403   403   403   400   400",
    "people.index":                   "login 403   403   403   403   200   200",
    "people.person":                  "login 403   403   403   403   200   200",
    "people.reactivate":              "login 403   403   403   403   302   302",
    "people.reissue":                 "login 403   403   403   403   302   302",
    "people.reject":                  "login 403   403   403   403   302   302",
    "people.reset_link":              "login 403   403   403   403   302   302",
    "profile.change_password":        "login 400   400   400   400   400   400",
    "profile.details":                "login 400   400   400   400   400   400",
    "profile.end_other_sessions":     "login 302   302   302   302   302   302",
    "profile.preferences":            "login 400   400   400   400   400   400",
    "profile.request_correction":     "login 400   400   400   400   400   400",
    "profile.show":                   "login 200   200   200   200   200   200",
    "privacy.deletion_list":          "login 403   403   403   403   200   200",
    "privacy.download":               "login 200   200   200   200   200   200",
    "privacy.my_data":                "login 200   200   200   200   200   200",
    "privacy.notice":                 "200   200   200   200   200   200   200",
    "privacy.process_deletion":       "login 403   403   403   403   302   302",
    "privacy.refuse_deletion":        "login 403   403   403   403   302   302",
    "privacy.request_deletion":       "login 400   400   400   400   400   400",
    "records.jp_report":              "login 403   403   403   403   200   200",
    "records.jp_report_export":       "login 403   403   403   403   200   200",
    "records.record":                 "login 200   200   200   200   200   200",
    "records.record_pdf":             "login 200   200   200   200   200   200",
    "quiz_import.download":           "login 403   403   400   403   400   400",
    "quiz_import.upload":             "login 403   403   200   403   200   200",
    "quiz_reports.grade_item":        "login 403   403   302   403   302   302",
    "quiz_reports.grading_queue":     "login 403   403   200   200   200   200",
    "quiz_reports.items_export":      "login 403   403   200   200   200   200",
    "quiz_reports.results":           "login 403   403   200   200   200   200",
    "quiz_reports.results_csv":       "login 403   403   200   200   200   200",
    "quizzes.attempt_page":           "login 200   404   404   404   404   404",
    "quizzes.confirm":                "login 200   404   404   404   404   404",
    "quizzes.confirm_save":           "login 302   404   404   404   404   404",
    "quizzes.quiz_page":              "login 200   200   200   200   200   200",
    "quizzes.review":                 "login 302   404   404   404   404   404",
    "quizzes.save":                   "login 302   404   404   404   404   404",
    "quizzes.start":                  "login 302   302   302   302   302   302",
    "quizzes.submit":                 "login 302   404   404   404   404   404",
    "second_factor.admin_reset":      "login 403   403   403   403   403   302",
    "second_factor.challenge":        "login 302   302   302   302   302   302",
    "second_factor.confirm":          "login 302   302   302   302   302   302",
    "second_factor.disable":          "login 302   302   302   302   302   302",
    "second_factor.regenerate":       "login 302   302   302   302   302   302",
    "second_factor.setup":            "login 200   200   200   200   200   200",
    "second_factor.start":            "login 302   302   302   302   302   302",
    "site.healthz":                   "200   200   200   200   200   200   200",
    "site.home":                      "200   302   302   302   302   302   302",
    "site.set_language":              "302   302   302   302   302   302   302",
    "static":                         "200   200   200   200   200   200   200",
}

# POST-only routes walked after the others, in this order: they change the world.
LAST = ("privacy.process_deletion", "cohorts.withdraw", "manage.withdraw_member",
        "manage.remove_instructor", "auth.logout")


def build_world(app, content_dir, runner) -> dict:
    """Content synced, two cohorts, six accounts and one of everything; returns ids."""
    write_course(content_dir, "satu", 2, title="Kursus Satu")
    write_course(content_dir, "dua", 1, title="Kursus Dua")
    (content_dir / "satu" / "quizzes").mkdir()
    (content_dir / "satu" / "quizzes" / "kuis.yml").write_text(
        QUIZ.format(kind="practice", limit=0, attempts=0, answers="immediately"))
    (content_dir / "satu" / "assignments").mkdir()
    (content_dir / "satu" / "assignments" / "tugas.md").write_text(ASSIGNMENT)
    (content_dir / "_programs").mkdir()
    (content_dir / "_programs" / "p.yml").write_text(
        "id: program-contoh\ntitle: Diklat Contoh\ncourses:\n  - satu\n  - dua\n")
    (content_dir / "_surveys").mkdir()
    shutil.copy(SURVEY, content_dir / "_surveys" / SURVEY.name)
    result = runner.invoke(args=["content", "sync"])
    assert result.exit_code == 0, result.output

    from lms.assignments import services as assignments
    from lms.assignments.models import Assignment
    from lms.auth import services as accounts
    from lms.certificates import services as certificates
    from lms.cohorts import services as cohorts
    from lms.evaluations import services as evaluations
    from lms.forums.models import Forum, Post, Thread
    from lms.live.models import LiveSession
    from lms.quizzes import services as quizzes
    from lms.quizzes.models import Quiz

    with app.app_context():
        today = clock.today()
        program = db.session.scalar(select(Program))
        users = {}
        for name, role in (("p1", Role.PARTICIPANT), ("p2", Role.PARTICIPANT),
                           ("inst", Role.INSTRUCTOR), ("inst2", Role.INSTRUCTOR),
                           ("coord", Role.COORDINATOR), ("admin", Role.ADMIN)):
            users[name] = accounts.create_user(
                email=f"{name}@example.org", password=PASSWORD, full_name=f"Orang {name}",
                institution="Perpustakaan Contoh", position="Pustakawan", role=role)
        coord = users["coord"].id
        fields = {"name": "Angkatan", "number": 1, "year": today.year, "description": "",
                  "registration_opens_on": today - timedelta(days=30),
                  "registration_closes_on": today - timedelta(days=10),
                  "starts_on": today - timedelta(days=7), "ends_on": today + timedelta(days=30),
                  "capacity": 40, "enrollment_mode": "invitation"}
        a = cohorts.create_cohort(program, "angkatan-a", fields, coord)
        b = cohorts.create_cohort(program, "angkatan-b", {**fields, "number": 2}, coord)
        assert cohorts.enroll_user(a, users["p1"], coord)
        assert cohorts.enroll_user(b, users["p2"], coord)
        satu = db.session.scalar(select(Course).where(Course.slug == "satu"))
        dua = db.session.scalar(select(Course).where(Course.slug == "dua"))
        cohorts.assign_instructor(a, satu, users["inst"], coord)
        cohorts.assign_instructor(a, dua, users["inst2"], coord)
        p1 = users["p1"]

        task = db.session.scalar(select(Assignment).where(Assignment.course_id == satu.id))
        submission = assignments.submit(task, a, p1, "Laporan saya.",
                                        [assignments.Upload("laporan.pdf", io.BytesIO(PDF))])
        quiz = db.session.scalar(select(Quiz).where(Quiz.course_id == satu.id))
        attempt = quizzes.start_attempt(quiz, p1.id)
        essay = next(i for i in attempt.items if i.version.data["type"] == "essay")
        quizzes.submit_attempt(attempt, {essay.position: "Rencana promosi kami."})
        attempt = quizzes.start_attempt(quiz, p1.id)  # an open one for save and submit

        forum = Forum(cohort_id=a.id, course_id=satu.id)
        db.session.add(forum)
        db.session.flush()
        thread = Thread(forum_id=forum.id, author_id=p1.id, title="Pertanyaan")
        db.session.add(thread)
        db.session.flush()
        post = Post(thread_id=thread.id, author_id=p1.id, body_markdown="Isi",
                    body_html="<p>Isi</p>")
        db.session.add(post)
        now = clock.utcnow()
        session = LiveSession(cohort_id=a.id, course_id=satu.id, instructor_id=users["inst"].id,
                              topic="Tanya jawab", starts_at=now + timedelta(days=1),
                              ends_at=now + timedelta(days=1, hours=1))
        db.session.add(session)

        certificate = certificates.issue(a, p1, coord, requirements=[
            certificates.Requirement("semua", True)])
        version = evaluations.current_version("evaluasi-diklat")
        survey = version.data
        best = max(point["value"] for point in survey["scale"])
        evaluations.submit(a, p1.id, version, {
            "organiser": {item["id"]: best for item in survey["organiser_items"]},
            "instructors": [{"instructor_id": t.instructor_id, "course_id": t.course_id,
                             "ratings": {item["id"]: best
                                         for item in survey["instructor_items"]}}
                            for t in evaluations.targets(a, p1.id)],
            "open": {}}, today)
        from lms.people import corrections

        correction = corrections.request_correction(p1, certificate, "Peserta Satu Koreksi",
                                                    "Salah ketik")
        from lms.jobs.models import FAILED, BackgroundJob

        job = BackgroundJob(kind="certificates.zip", params={"cohort_id": a.id}, status=FAILED,
                            attempts=4, max_attempts=4, done=0, owner_id=coord,
                            error="ValueError: example")
        db.session.add(job)
        db.session.flush()
        from lms.applications import storage as application_storage
        from lms.applications.models import ApplicationDocument
        from lms.privacy.models import DeletionRequest

        stored = application_storage.save_document(io.BytesIO(PDF), "surat.pdf",
                                                   max_bytes=len(PDF), accepted=["pdf"])
        document = ApplicationDocument(
            member_id=db.session.scalar(select(CohortMember.id).where(
                CohortMember.cohort_id == a.id, CohortMember.user_id == p1.id)),
            requirement="surat", original_name="surat.pdf", stored_name=stored.stored_name,
            kind="pdf", size=stored.size, sha256=stored.sha256, uploaded_at=now)
        deletion = DeletionRequest(user_id=users["p2"].id, reason="")
        db.session.add_all([document, deletion])
        db.session.flush()
        from lms.cohorts.access import cohort_access
        from lms.notifications import messages
        from lms.notifications.models import Notification

        message, _count = messages.send(a, cohort_access(a, users["coord"]), "person",
                                        "Jadwal", "Isi pesan.", p1.id)
        notification_id = db.session.scalar(select(Notification.id).where(
            Notification.user_id == p1.id, Notification.kind == "message"))
        ids = {
            "document_id": document.id, "doc_id": "surat", "request_id": deletion.id,
            "user_id": p1.id, "correction_id": correction.id, "job_id": job.id,
            "code": a.code, "slug": satu.slug, "course_slug": satu.slug,
            "module_slug": db.session.scalar(select(Module.slug).where(
                Module.course_id == satu.id).order_by(Module.position)),
            "name": "diagram.svg", "quiz_slug": quiz.slug, "assignment_slug": task.slug,
            "file_id": submission.files[0].id, "submission_id": submission.id,
            "attempt_id": attempt.id, "item_id": essay.id, "forum_id": forum.id,
            "thread_id": thread.id, "post_id": post.id, "session_id": session.id,
            "certificate_id": certificate.id, "token": "not-a-token",
            "filename": "css/app.css", "action": None,
            "member_id": db.session.scalar(select(CohortMember.id).where(
                CohortMember.cohort_id == a.id, CohortMember.user_id == p1.id)),
            "assignment_id": db.session.scalar(select(CohortInstructor.id).where(
                CohortInstructor.cohort_id == a.id,
                CohortInstructor.user_id == users["inst"].id)),
            "verify_code": certificate.verification_code, "program_slug": program.slug,
            "number": 1,
            "export_format": "xlsx",  # exports answer .csv and .xlsx from one view
            "message_id": message.id, "notification_id": notification_id,
        }
        db.session.commit()
    return ids


def url_values(endpoint: str, arguments, ids: dict) -> dict:
    values = {}
    for name in arguments:
        assert name in ids, f"{endpoint}: give build_world an id for the URL argument {name!r}"
        value = ids[name]
        if endpoint == "certificates.verify":
            value = ids["verify_code"]
        elif endpoint in ("manage.program", "credentials.program"):
            value = ids["program_slug"]
        elif name == "action":
            value = "pin" if endpoint == "forums.moderate_thread" else "unhide"
        values[name] = value
    return values


def status_class(response) -> str:
    code = response.status_code
    if 200 <= code < 300:
        return "200"
    if 300 <= code < 400:
        return "login" if "/auth/login" in response.headers.get("Location", "") else "302"
    return str(code)


def walk(app, client, ids: dict, token: str | None) -> dict[str, str]:
    """{endpoint: status class} for every route, GETs first, then POST-only routes."""
    rules = sorted(app.url_map.iter_rules(), key=lambda r: r.endpoint)
    gets = [r for r in rules if "GET" in r.methods]
    posts = [r for r in rules if "GET" not in r.methods]
    posts.sort(key=lambda r: (LAST.index(r.endpoint) if r.endpoint in LAST else -1))
    seen = {}
    with app.test_request_context():
        from flask import url_for

        for rule in gets + posts:
            url = url_for(rule.endpoint, **url_values(rule.endpoint, rule.arguments, ids))
            if "GET" in rule.methods:
                response = client.get(url)
            else:
                response = client.post(url, data={"csrf_token": token} if token else {})
            seen[rule.endpoint] = status_class(response)
            response.close()  # file responses (static, downloads) hold their file open
    return seen


@pytest.fixture
def world(app, content_dir, runner):
    return build_world(app, content_dir, runner)


@pytest.mark.parametrize("role", ROLES)
def test_every_route_answers_each_role_as_the_table_says(app, client, world, role):
    auth = AuthActions(client)
    if role == "anon":
        token = auth.token("/auth/login")
    else:
        response = auth.login(f"{role}@example.org")
        assert response.status_code == 302, response.text
        token = csrf_from(client.get("/learning").text)
    column = ROLES.index(role)
    seen = walk(app, client, world, token)
    unclassified = {endpoint: got for endpoint, got in seen.items() if endpoint not in EXPECTED}
    assert not unclassified, f"add these routes to EXPECTED ({role} saw): {unclassified}"
    assert set(EXPECTED) <= set(seen), f"gone: {sorted(set(EXPECTED) - set(seen))}"
    wrong = {endpoint: (EXPECTED[endpoint].split()[column], got)
             for endpoint, got in seen.items() if EXPECTED[endpoint].split()[column] != got}
    assert not wrong, f"{role}: endpoint: (expected, got) {wrong}"



STANDING = re.compile(r"FROM cohort_(instructors|members)\s+WHERE\s.*cohort_id = .*user_id = ",
                      re.S)


@pytest.mark.parametrize("role", ["p1", "inst", "coord"])
def test_a_thread_page_reads_the_standing_once(app, client, world, role):
    """The person's standing in the cohort (courses taught, membership) is read once per
    request, however many checks the page makes."""
    AuthActions(client).login(f"{role}@example.org")
    url = f"/cohorts/{world['code']}/threads/{world['thread_id']}"
    client.get(url)
    with count_queries(app) as statements:
        response = client.get(url)
    assert response.status_code == 200
    standing = [s for s in statements if STANDING.search(s)]
    assert len(standing) == 2, standing
