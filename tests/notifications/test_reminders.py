"""Reminders: a quiz closing or an assignment due within 24 hours that the person has not
done, a live session within 30 minutes; once per person, even when the scheduler runs
twice at the same moment on two hosts (two threads on one real database here)."""

import threading
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from lms.assignments import services as assignments
from lms.assignments.models import Assignment
from lms.cohorts import services as cohorts
from lms.content import load_tree, sync_tree
from lms.extensions import db
from lms.jobs.models import BackgroundJob
from lms.jobs.schedule import enqueue_daily
from lms.notifications import jobs
from lms.notifications.models import Notification
from lms.quizzes.models import Quiz
from tests.live.test_next import ASSIGNMENT, pass_the_posttest
from tests.notifications.conftest import CODE, clear_outbox, email_of, mails_to, notes

# Closes on the cohort's third day, 17.00 WIB (make_cohort starts cohorts 10 days from today).
CLOSES = datetime.combine(date.today() + timedelta(days=12), datetime.min.time()).replace(
    hour=17)
POSTTEST = f"""\
id: post
title: Post-test Satu
kind: posttest
pass_mark: 90
closes_at: {CLOSES.isoformat(timespec="minutes")}
questions:
  - id: a
    type: truefalse
    text: Benar?
    answer: true
"""


def _sync(app, content_dir, quiz: str | None = POSTTEST):
    quizzes = content_dir / "satu" / "quizzes"
    quizzes.mkdir(exist_ok=True)
    if quiz is None:
        (quizzes / "post.yml").unlink()
    else:
        (quizzes / "post.yml").write_text(quiz)
    (content_dir / "satu" / "assignments").mkdir(exist_ok=True)
    (content_dir / "satu" / "assignments" / "rtl.md").write_text(ASSIGNMENT)
    with app.app_context():
        report = sync_tree(load_tree(content_dir))
        assert report.ok, report
        db.session.commit()


@pytest.fixture
def closing(app, content_dir, program, cohort_id):
    """Course satu with a post-test closing on CLOSES (WIB) and the RTL assignment;
    returns the quiz's closing time (naive UTC)."""
    _sync(app, content_dir)
    with app.app_context():
        return db.session.scalar(select(Quiz.closes_at).where(Quiz.slug == "post"))


def _count(app, model, *where) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(model.id)).where(*where))


def test_a_quiz_closing_tomorrow_is_reminded_to_who_has_not_taken_it(
        app, closing, member, freeze_clock):
    _lazy, lazy_id = member()
    _done, done_id = member()
    pass_the_posttest(app, done_id)
    freeze_clock(closing - timedelta(hours=12))
    with app.app_context():
        assert jobs.due_reminders() == 1
        db.session.commit()
    (reminder,) = notes(app, lazy_id, "due_soon")
    assert reminder.title.startswith("Reminder: the quiz Post-test Satu closes")
    assert reminder.endpoint == "quizzes.quiz_page"
    assert notes(app, done_id, "due_soon") == []
    (mail,) = [m for m in mails_to(app, email_of(app, lazy_id))
               if m["Subject"].strip().startswith("Reminder")]
    assert "/courses/satu/quizzes/post" in mail.get_content()
    # Two days before: not yet; the next run, or a later one: not again.
    with app.app_context():
        assert jobs.due_reminders(closing - timedelta(hours=48)) == 0
        assert jobs.due_reminders(closing - timedelta(hours=1)) == 0
        db.session.commit()


def test_an_assignment_due_tomorrow_is_reminded_unless_handed_in(
        app, closing, member, freeze_clock):
    _lazy, lazy_id = member()
    _done, done_id = member()
    with app.app_context():
        assignment = db.session.scalar(select(Assignment))
        cohort = cohorts.get_cohort(CODE)
        due = assignments.due_at(assignment, cohort)
        from lms.auth.models import User

        assignments.submit(assignment, cohort, db.session.get(User, done_id), "Sudah.", [])
        db.session.commit()
    freeze_clock(due - timedelta(hours=3))
    with app.app_context():
        assert jobs.due_reminders() == 1
        db.session.commit()
    (reminder,) = notes(app, lazy_id, "due_soon")
    assert reminder.params == {"slug": "satu", "assignment_slug": "tugas-rtl"}
    assert notes(app, done_id, "due_soon") == []


def test_a_quiz_removed_from_the_content_is_not_reminded(
        app, content_dir, closing, member, freeze_clock):
    _lazy, lazy_id = member()
    _sync(app, content_dir, quiz=None)  # the post-test file is gone: the quiz is inactive
    freeze_clock(closing - timedelta(hours=12))
    with app.app_context():
        assert not db.session.scalar(select(Quiz.is_active).where(Quiz.slug == "post"))
        assert jobs.due_reminders() == 0
        db.session.commit()
    assert notes(app, lazy_id, "due_soon") == []


def test_a_live_session_starting_within_30_minutes_is_told_once(app, member, add_session):
    participant, user_id = member()
    soon = add_session(timedelta(minutes=20), topic="Sesi pagi")
    add_session(timedelta(hours=2), topic="Sesi siang")
    with app.app_context():
        assert jobs.live_reminders() == 1
        assert jobs.live_reminders() == 0
        db.session.commit()
    (told,) = notes(app, user_id, "live_soon")
    assert told.title.startswith("Starting soon: Sesi pagi")
    assert (told.target_type, told.target_id) == ("live_session", soon)
    assert participant.get(f"/notifications/{told.id}").headers["Location"] == \
        f"/cohorts/{CODE}/sessions"


def test_two_schedulers_at_the_same_moment_remind_each_person_once(
        app, closing, member, add_session, freeze_clock):
    """Two hosts' sweeps enqueue the reminders of one time slot at once (two threads,
    the real database): one job, one notification and one mail per person and thing."""
    people = [member()[1] for _ in range(3)]
    freeze_clock(closing - timedelta(hours=12))
    # A session in 20 minutes too (relative to the frozen clock).
    with app.app_context():
        from lms.live.models import LiveSession

        cohort = cohorts.get_cohort(CODE)
        start = (closing - timedelta(hours=12) + timedelta(minutes=20)).replace(microsecond=0)
        db.session.add(LiveSession(cohort_id=cohort.id, topic="Sesi bersama",
                                   starts_at=start, ends_at=start + timedelta(hours=1)))
        db.session.commit()
    clear_outbox(app)
    at = (closing - timedelta(hours=12)).replace(tzinfo=UTC)
    barrier = threading.Barrier(2)
    errors = []

    def host():
        try:
            with app.app_context():
                barrier.wait()
                enqueue_daily(at)
                db.session.remove()
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)

    threads = [threading.Thread(target=host) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == []
    assert _count(app, BackgroundJob, BackgroundJob.kind == "notifications.reminders") == 1
    # And the same slot's job asked again later runs nothing new; two direct runs at once
    # (a retried job racing the first) add nothing either.
    run_errors = []

    def run_directly():
        try:
            with app.app_context():
                barrier.wait()
                jobs.due_reminders()
                jobs.live_reminders()
                db.session.commit()
                db.session.remove()
        except Exception as error:  # noqa: BLE001
            run_errors.append(error)

    threads = [threading.Thread(target=run_directly) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert run_errors == []
    for user_id in people:
        assert len(notes(app, user_id, "due_soon")) == 1
        assert len(notes(app, user_id, "live_soon")) == 1
        subjects = sorted(m["Subject"].strip().split(":")[0]
                          for m in mails_to(app, email_of(app, user_id)))
        assert subjects == ["Reminder", "Starting soon"], subjects
    assert _count(app, Notification, Notification.kind.in_(("due_soon", "live_soon"))) == 6
    with app.app_context():
        ids = db.session.scalars(select(Notification.id).where(
            Notification.kind.in_(("due_soon", "live_soon"))))
        keys = [f"mail:notification:{i}" for i in ids]
    assert _count(app, BackgroundJob, BackgroundJob.kind == "mail.send",
                  BackgroundJob.key.in_(keys)) == 6  # one mail job each, no more


def test_the_unique_key_holds_in_the_database_itself(app, member):
    """Not only the code's check: the database refuses a second row (SQLite and
    PostgreSQL alike), so no race can make a duplicate."""
    from sqlalchemy.exc import IntegrityError

    _client, user_id = member()
    with app.app_context():
        for _ in range(2):
            db.session.add(Notification(user_id=user_id, kind="due_soon", key="quiz-due:1",
                                        title="x", body="", params={}, mail_state="none"))
        with pytest.raises(IntegrityError):
            db.session.commit()
        db.session.rollback()


def test_the_digest_job_is_daily_and_once(app, member, freeze_clock):
    _client, user_id = member()
    freeze_clock(datetime(2026, 11, 26, 1, 0, tzinfo=UTC))  # 08.00 WIB
    with app.app_context():
        made = enqueue_daily()
        again = enqueue_daily()
        keys = sorted(r.key for r in made)
        assert "notifications.digest:2026-11-26" in keys
        assert [r.id for r in made] == [r.id for r in again]


def test_the_commands_run_the_same_once(app, member, add_session, runner):
    _client, user_id = member()
    add_session(timedelta(minutes=10), topic="Sesi")
    first = runner.invoke(args=["notifications", "remind"])
    assert first.exit_code == 0, first.output
    assert "1 live-session reminder(s)" in first.output
    again = runner.invoke(args=["notifications", "remind"])
    assert "0 live-session reminder(s)" in again.output
    assert len(notes(app, user_id, "live_soon")) == 1
    result = runner.invoke(args=["notifications", "digest"])
    assert result.exit_code == 0
    assert "0 digest email(s) sent" in result.output
