"""An essay graded, and a certificate issued then revoked, reach the person: in the list
and, for certificates, always by mail."""

from sqlalchemy import select

from lms.auth.models import User
from lms.certificates import revisions
from lms.certificates import services as certificates
from lms.cohorts.models import Cohort
from lms.content import load_tree, sync_tree
from lms.extensions import db
from lms.notifications import services as notifications
from lms.quizzes import services as quizzes
from lms.quizzes.models import Quiz
from lms.quizzes.spec import Question
from tests.certificates.test_issuing import (  # noqa: F401
    _day_after_the_cohort,
    cohort_id,
    participant,
)
from tests.notifications.conftest import email_of, mails_to, notes

ESSAY = """\
id: esai
title: Esai Satu
kind: practice
questions:
  - id: e
    type: essay
    points: 2
    text: Jelaskan rencana promosi Anda.
"""


def test_an_essay_graded_is_told_with_a_link_to_the_review(app, content_dir, cohort_id,  # noqa: F811
                                                          make_user):
    course = next(p for p in content_dir.iterdir() if (p / "course.yml").exists())
    (course / "quizzes").mkdir(exist_ok=True)
    (course / "quizzes" / "esai.yml").write_text(ESSAY)
    with app.app_context():
        assert sync_tree(load_tree(content_dir)).ok
        db.session.commit()
    user_id, _ = participant(app, cohort_id, make_user, post=None)
    grader_id, _ = make_user(role="instructor")
    with app.app_context():
        quiz = db.session.scalar(select(Quiz).where(Quiz.slug == "esai"))
        attempt = quizzes.start_attempt(quiz, user_id)
        (item,) = [i for i in attempt.items if Question.from_dict(i.version.data).id == "e"]
        quizzes.submit_attempt(attempt, {item.position: "Promosi lewat media sosial."})
        quizzes.grade_essay(item, 2, "Bagus sekali.", grader_id)
        db.session.commit()
        attempt_id = attempt.id
    (told,) = notes(app, user_id, "essay_graded")
    assert told.title == "Essay graded: Esai Satu"
    assert (told.endpoint, told.params) == ("quizzes.review", {"attempt_id": attempt_id})
    assert told.body == "Bagus sekali."


def test_a_certificate_issued_and_revoked_is_always_mailed(app, cohort_id, make_user):  # noqa: F811
    user_id, _ = participant(app, cohort_id, make_user)
    coordinator_id, _ = make_user(role="coordinator")
    with app.app_context():
        # Every mail turned off: certificates still come.
        user = db.session.get(User, user_id)
        notifications.save_choices(user, set(), daily_digest=True)
        certificate = certificates.issue(db.session.get(Cohort, cohort_id), user, coordinator_id)
        db.session.commit()
        revisions.revoke(certificate, "Data tidak benar.", coordinator_id)
        db.session.commit()
    issued, revoked = notes(app, user_id, "certificate")
    assert issued.mail_state == revoked.mail_state == "sent"  # not kept for the digest
    assert issued.endpoint == "certificates.mine"
    assert "Data tidak benar." in revoked.body
    subjects = [m["Subject"] for m in mails_to(app, email_of(app, user_id))]
    assert len([s for s in subjects if "ertifikat" in s or "ertificate" in s]) == 2, subjects


def test_a_persons_notifications_are_in_their_archive_and_go_with_their_account(
        app, cohort_id, make_user):  # noqa: F811
    import io
    import json
    import zipfile
    from datetime import date

    from lms.notifications.models import Notification, NotificationSettings
    from lms.privacy import deletion
    from lms.privacy.archive import write_archive
    from lms.privacy.models import DeletionRequest

    user_id, _ = participant(app, cohort_id, make_user, study=False, post=None)
    coordinator_id, _ = make_user(role="coordinator")
    with app.app_context():
        user = db.session.get(User, user_id)
        notifications.save_choices(user, {"message:web"}, daily_digest=False)
        db.session.commit()
        out = io.BytesIO()
        write_archive(user, out, site="x", made=date(2026, 12, 21))
        (told,) = json.loads(zipfile.ZipFile(out).read("notifications.json"))
        assert told["kind"] == "enrollment"
        found = DeletionRequest(user_id=user_id, reason="")
        db.session.add(found)
        db.session.flush()
        deletion.process(found, db.session.get(User, coordinator_id), date(2026, 12, 21))
        db.session.commit()
        for model in (Notification, NotificationSettings):
            assert db.session.scalar(select(model.id).where(model.user_id == user_id)) is None
