"""The live sessions' cohort (two courses, a participant factory, instructors, sessions),
the quizzes and assignment of course "satu", and helpers to read notifications and mail."""

from sqlalchemy import select

from lms.auth.models import User
from lms.extensions import db
from lms.notifications.models import Notification
from tests.cohorts.conftest import login_as, make_cohort, program  # noqa: F401
from tests.live.conftest import (  # noqa: F401
    CODE,
    _english,
    add_session,
    cohort_id,
    instructor,
    member,
)
from tests.live.test_next import tasks  # noqa: F401
from tests.mail.conftest import clear_outbox, mails_to, outbox  # noqa: F401


def notes(app, user_id: int, kind: str | None = None) -> list[Notification]:
    """The person's notifications (every one, shown or not), oldest first."""
    with app.app_context():
        query = select(Notification).where(Notification.user_id == user_id)
        if kind:
            query = query.where(Notification.kind == kind)
        rows = list(db.session.scalars(query.order_by(Notification.id)))
        db.session.expunge_all()
        return rows


def email_of(app, user_id: int) -> str:
    with app.app_context():
        return db.session.get(User, user_id).email
