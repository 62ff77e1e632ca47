"""Background jobs: through Redis and `lms worker`, in-process without Redis or when it is
down, retried and then shown failed to admins, run once however often they are handed on."""

import logging
import re
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from lms.auth.models import Role
from lms.extensions import db
from lms.jobs import queue as jobs
from lms.jobs.models import DONE, FAILED, QUEUED, RUNNING, BackgroundJob
from lms.jobs.schedule import INTERRUPTED, enqueue_daily, sweep
from tests.conftest import AuthActions, csrf_from
from tests.mail.conftest import mails_to, outbox

CALLS: dict[str, int] = {}


@jobs.job("tests.printer")
def printer(row, *, fail_times: int, name: str) -> dict:
    """Fails fail_times times (a printer on fire), then works."""
    CALLS[name] = CALLS.get(name, 0) + 1
    if CALLS[name] <= fail_times:
        raise OSError("printer on fire")
    return {"summary": f"printed after {CALLS[name]}"}


def make_job(app, kind="tests.printer", **params) -> int:
    with app.app_context():
        row = jobs.enqueue(kind, params)
        db.session.commit()  # handed on here: at once under TESTING without Redis
        return row.id


def job_row(app, job_id) -> BackgroundJob:
    with app.app_context():
        return db.session.get(BackgroundJob, job_id)


def admin_client(app, make_user):
    _, email = make_user(role=Role.ADMIN)
    client = app.test_client()
    AuthActions(client).login(email)
    return client


def forgot(client, email):
    token = csrf_from(client.get("/auth/forgot").text)
    return client.post("/auth/forgot", data={"csrf_token": token, "email": email})


def test_a_job_that_keeps_failing_stops_after_its_retries_and_shows_its_error(app, make_user):
    job_id = make_job(app, fail_times=99, name="always")
    row = job_row(app, job_id)
    assert (row.status, row.attempts) == (FAILED, 4)  # JOBS_MAX_ATTEMPTS, then it stops
    assert CALLS["always"] == 4
    assert row.error.startswith("OSError: printer on fire")
    admin = admin_client(app, make_user)
    page = admin.get("/manage/jobs")
    assert "OSError: printer on fire" in page.text
    assert "4 / 4" in page.text
    assert "gagal" in page.text
    # Retry from the page: it runs again with all its attempts, and now it works.
    CALLS["always"] = 0
    with app.app_context():
        db.session.get(BackgroundJob, job_id).params = {"fail_times": 1, "name": "always"}
        db.session.commit()
    done = admin.post(f"/manage/jobs/{job_id}/retry",
                      data={"csrf_token": csrf_from(page.text)}, follow_redirects=True)
    assert f"Tugas latar {job_id} akan dicoba lagi." in done.text
    row = job_row(app, job_id)
    assert (row.status, row.attempts, row.error) == (DONE, 2, None)


def test_retries_wait_longer_each_time(app):
    app.config.update(JOBS_BACKGROUND=True, JOBS_RETRY_WAITS=[30, 120, 600])
    with app.app_context():
        row = jobs.enqueue("tests.printer", {"fail_times": 99, "name": "backoff"})
        db.session.info.pop("lms_jobs")
        db.session.commit()
        job_id = row.id
    runner = jobs.jobs(app)
    try:
        runner.in_process([job_id])  # as after a response: on this process's thread
        assert runner.flush(timeout=10)
        row = job_row(app, job_id)
        assert row.status == "retrying"
        assert row.attempts == 1
        wait = (row.run_after - row.started_at).total_seconds()
        assert 29 <= wait <= 31  # the first wait: a timer (or the sweep) runs it then
        assert len(runner.timers) == 1
    finally:
        runner.cancel_retries()
    with app.app_context():  # the second attempt, by the sweep once the wait is over
        db.session.get(BackgroundJob, job_id).run_after = datetime(2026, 1, 1)
        db.session.commit()
    sweep(app)
    assert runner.flush(timeout=10)
    row = job_row(app, job_id)
    assert row.attempts == 2
    assert (row.run_after - row.started_at).total_seconds() >= 119  # waits grow
    runner.cancel_retries()


def test_jobs_go_through_redis_and_a_worker_runs_them(app, make_user, redis_jobs, runner):
    _, email = make_user(email="ada@example.org")
    assert forgot(app.test_client(), email).status_code == 302
    assert outbox(app) == []  # nothing sent by the web process: it waits in Redis
    with app.app_context():
        (row,) = db.session.scalars(select(BackgroundJob))
        assert row.status == QUEUED
    assert redis_jobs.rq_queue().count == 1
    # Handed on twice (a lost hand-over swept, say): still sent once.
    redis_jobs.dispatch([row.id])
    result = runner.invoke(args=["worker", "--burst"])
    assert result.exit_code == 0, result.output
    assert len(mails_to(app, email)) == 1
    message = mails_to(app, email)[0]
    assert message["Message-ID"] == f"<lms-job-{row.id}@localhost>"
    assert job_row(app, row.id).status == DONE


def test_redis_down_requests_still_serve_and_jobs_run_here_with_a_warning(
        app, make_user, caplog):
    app.config.update(REDIS_URL="redis://127.0.0.1:1/0")  # nothing listens there
    app.extensions["lms_jobs"] = jobs.Jobs(app)
    _, email = make_user(email="ada@example.org")
    with caplog.at_level(logging.WARNING):
        assert forgot(app.test_client(), email).status_code == 302
    assert len(mails_to(app, email)) == 1  # sent from this process instead
    assert any("Redis (redis://127.0.0.1:1/0) is not reachable" in r.getMessage()
               for r in caplog.records)
    page = admin_client(app, make_user).get("/manage/jobs")
    assert page.status_code == 200
    assert "Redis (redis://127.0.0.1:1/0) tidak dapat dihubungi" in page.text


def test_a_daily_job_is_made_once_whichever_hosts_ask(app):
    at = datetime(2026, 11, 26, 7, 30)  # site time, after both DIGEST_AT and NOTIFICATION_DIGEST_AT

    def daily(rows):
        return [r.id for r in rows if r.key.count(":") == 1]  # "<kind>:<day>", not a slot

    with app.app_context():
        first = enqueue_daily(at)
        second = enqueue_daily(at)  # another worker, the same minute
        later = enqueue_daily(at + timedelta(hours=5))
        assert daily(first) == daily(second) == daily(later)
        assert [r.id for r in first] == [r.id for r in second]  # the reminders' slot too
        keys = sorted(db.session.scalars(select(BackgroundJob.key)))
        assert keys == ["forums.digest:2026-11-26", "jobs.housekeeping:2026-11-26",
                        "notifications.digest:2026-11-26",
                        "notifications.reminders:2026-11-26T07:30",
                        "notifications.reminders:2026-11-26T12:30"]
        db.session.expire_all()  # they ran in app contexts of their own
        assert {r.status for r in db.session.scalars(select(BackgroundJob))} == {DONE}
        early = enqueue_daily(datetime(2026, 11, 27, 5, 0))  # before 06.00 the next day
        assert [r.key for r in early] == ["jobs.housekeeping:2026-11-27",  # at 03.00
                                          "notifications.reminders:2026-11-27T05:00"]


def test_a_dead_runners_job_is_taken_back_mail_is_not_sent_twice(app):
    with app.app_context():
        mail = jobs.enqueue("mail.send", {"to": "a@example.org", "subject": "s", "body": "b"})
        other = jobs.enqueue("tests.printer", {"fail_times": 0, "name": "resumed"})
        db.session.info.pop("lms_jobs")  # as if the host died right after its commit
        long_ago = datetime(2026, 1, 1)
        for row in (mail, other):
            row.status, row.attempts, row.heartbeat_at = RUNNING, 1, long_ago
        db.session.commit()
        ids = mail.id, other.id
    sweep(app)
    mail, other = (job_row(app, i) for i in ids)
    assert (mail.status, mail.error) == (FAILED, INTERRUPTED)  # an admin decides
    assert outbox(app) == []
    assert other.status == DONE
    assert CALLS["resumed"] == 1


def test_a_lost_hand_over_is_found_by_the_sweep(app):
    with app.app_context():
        row = jobs.enqueue("tests.printer", {"fail_times": 0, "name": "lost"})
        db.session.info.pop("lms_jobs")
        row.created_at = datetime(2026, 1, 1)
        db.session.commit()
        job_id = row.id
    assert job_row(app, job_id).status == QUEUED
    assert sweep(app) == [job_id]
    assert job_row(app, job_id).status == DONE


def test_bulk_issue_shows_a_progress_bar_fed_by_the_job(app, cohort_id, make_user,
                                                        certificates_day):
    from tests.certificates.test_issuing import participant
    from tests.certificates.test_truth import signed_in

    for name in ("Ani", "Budi", "Citra"):
        participant(app, cohort_id, make_user, full_name=name)
    coordinator_id, coordinator_email = make_user(role="coordinator")
    staff = signed_in(app, coordinator_email)
    page = staff.get("/manage/cohorts/angkatan-1/certificates")
    response = staff.post("/manage/cohorts/angkatan-1/certificates/issue",
                          data={"csrf_token": csrf_from(page.text)})
    assert response.status_code == 302
    job_url = response.headers["Location"]
    assert re.fullmatch(r"/jobs/\d+", job_url)
    shown = staff.get(job_url).text
    assert '<progress id="job-bar" max="100" value="100"' in shown
    assert 'role="status" aria-live="polite"' in shown
    assert "3 dari 3" in shown  # PDFs rendered and signed by the job
    assert "3 diterbitkan, 0 sudah memiliki, 0 belum menyelesaikan." in shown
    assert "js/job-progress.js" in shown
    state = staff.get(job_url + ".json").get_json()
    assert (state["status"], state["done"], state["total"], state["percent"]) == (
        DONE, 3, 3, 100)
    with app.app_context():
        from lms.certificates.models import Certificate
        assert db.session.scalar(select(func.count()).select_from(Certificate).where(
            Certificate.pdf_sha256.is_not(None))) == 3
    # Another coordinator does not see this job's page.
    _, other_email = make_user(role="coordinator")
    assert signed_in(app, other_email).get(job_url).status_code == 404
    # The ZIP, by a job too; asking twice finds the same job.
    first = staff.get("/manage/cohorts/angkatan-1/certificates/prepare")
    again = staff.get("/manage/cohorts/angkatan-1/certificates/prepare")
    assert first.headers["Location"] == again.headers["Location"]
    zip_page = staff.get(first.headers["Location"]).text
    assert "3 sertifikat dalam ZIP." in zip_page
    download = staff.get(re.search(r'href="(/jobs/\d+/download)"', zip_page).group(1))
    assert download.mimetype == "application/zip"
    assert download.headers["Content-Disposition"] == \
        'attachment; filename="sertifikat-angkatan-1.zip"'
    download.close()
    assert coordinator_id


def test_a_deadline_reminder_goes_once_to_who_has_not_handed_in(app, setup, freeze_clock):
    from lms.notifications.jobs import due_reminders
    from tests.assignments.test_assignments import client_for, submit

    assert submit(client_for(app, "budi@example.org"), "Sudah", []).status_code == 302
    # The task is due 7 days after the start (yesterday): 23.59 WIB in 6 days' time.
    with app.app_context():
        from lms.assignments import services
        from lms.assignments.models import Assignment
        from lms.cohorts.models import Cohort
        due = services.due_at(db.session.scalar(select(Assignment)),
                              db.session.scalar(select(Cohort)))
    freeze_clock((due - timedelta(hours=3)).replace(tzinfo=UTC))
    with app.app_context():
        assert due_reminders() == 1
        db.session.commit()
        assert due_reminders() == 0  # asked again (the next slot's job): told already
        db.session.commit()
    def reminders_to(address):
        return [m for m in mails_to(app, address) if m["Subject"].strip().startswith("Pengingat")]

    (reminder,) = reminders_to("ani@example.org")
    assert "Anda belum mengumpulkan" in reminder.get_content()
    assert reminders_to("budi@example.org") == []


def test_with_redis_down_signing_in_still_works(tmp_path, content_dir):
    """Rate limits on an unreachable Redis count in memory meanwhile; pages serve."""
    from lms.auth import services as accounts
    from tests.conftest import PASSWORD, _build_app

    down = "redis://127.0.0.1:1/0"
    app = _build_app(tmp_path / "down", content_dir, RATELIMIT_ENABLED=True,
                     RATELIMIT_STORAGE_URI=down, REDIS_URL=down,
                     SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'down.sqlite3'}")
    with app.app_context():
        db.create_all()
        accounts.create_user(email="ada@example.org", password=PASSWORD, full_name="Ada",
                             institution="Perpustakaan", position="Pustakawan")
        db.session.commit()
    try:
        client = app.test_client()
        assert AuthActions(client).login("ada@example.org").status_code == 302
        assert client.get("/learning").status_code == 200
    finally:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


def test_housekeeping_deletes_old_finished_jobs_and_their_zips_and_nothing_alive(app):
    """The reminders make 288 job rows a day and every bulk download a ZIP: a daily job
    deletes finished ones older than JOBS_KEEP_DAYS, never a job still to run or its file."""
    from lms.jobs.housekeeping import clean
    from lms.jobs.models import QUEUED
    from lms.storage import save_bytes, storage

    now = datetime(2026, 11, 26, 3, 0)
    with app.app_context():
        rows = {}
        for name, status, age in (("old-done", DONE, 40), ("old-failed", FAILED, 31),
                                  ("recent", DONE, 5), ("waiting", QUEUED, 90)):
            row = BackgroundJob(kind="tests.printer", status=status, params={"name": name},
                                finished_at=None if status == QUEUED
                                else now - timedelta(days=age))
            db.session.add(row)
            db.session.flush()
            rows[name] = row.id
        db.session.commit()
        for name, job_id in rows.items():
            save_bytes(f"exports/{job_id}-{name}.zip", b"PK\x05\x06" + b"\0" * 18)
        save_bytes("exports/999999-orphan.zip", b"PK")  # its row is long gone
        save_bytes("uploads/keep.pdf", b"%PDF-")  # not an export
        assert clean(now) == {"jobs": 2, "files": 3}
        left = set(db.session.scalars(select(BackgroundJob.id)))
        assert left == {rows["recent"], rows["waiting"]}
        keys = sorted(storage().keys(""))
        assert keys == sorted([f"exports/{rows['recent']}-recent.zip",
                               f"exports/{rows['waiting']}-waiting.zip", "uploads/keep.pdf"])
        assert clean(now) == {"jobs": 0, "files": 0}  # a second run finds nothing
