"""Notifications, each person's choices about them, and messages to a cohort."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint, false, func, true
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.auth.models import User
from lms.clock import utcnow
from lms.extensions import db

# How a notification's mail stands: none asked, sent on its own, waiting for the day's
# digest, or gone out in a digest.
MAIL_NONE, MAIL_SENT, MAIL_DIGEST, MAIL_DIGESTED = "none", "sent", "digest", "digested"


class Notification(db.Model):
    """One thing a person is told about. (user, kind, key) is unique: whatever asks twice
    (two hosts running the same reminder, a retried job, a double click), the person is
    told once. The text is written once, in the recipient's language, when it is made."""

    __tablename__ = "notifications"
    __table_args__ = (
        UniqueConstraint("user_id", "kind", "key", name="uq_notifications_user_kind_key"),
        Index("ix_notifications_user_read", "user_id", "read_at"),
        Index("ix_notifications_mail_state", "mail_state"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(40))
    # What it is about, stable: "quiz-due:12:3:2026-12-01T02:00" (a changed due time is a
    # new reminder), "reply:881", "message:5".
    key: Mapped[str] = mapped_column(String(200))
    title: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text, default="")
    # Where it leads: an endpoint and its values, built when opened (never a stored URL);
    # the target (type and id) is checked then, so a deleted thread degrades gracefully.
    endpoint: Mapped[str | None] = mapped_column(String(100))
    params: Mapped[dict] = mapped_column(JSON, default=dict)
    anchor: Mapped[str | None] = mapped_column(String(60))
    target_type: Mapped[str | None] = mapped_column(String(40))
    target_id: Mapped[int | None]
    cohort_id: Mapped[int | None] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"))
    # False when the person turned the in-app list off for this kind: the row still keeps
    # the reminder from being sent twice and carries the mail or the digest.
    shown: Mapped[bool] = mapped_column(default=True, server_default=true())
    mail_state: Mapped[str] = mapped_column(String(10), default=MAIL_NONE)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    read_at: Mapped[datetime | None]

    user: Mapped[User] = relationship()

    def __repr__(self) -> str:
        return f"<Notification {self.id} {self.kind} user={self.user_id}>"


class NotificationSettings(db.Model):
    """A person's choices: the (kind, channel) pairs turned off, and the daily digest.
    No row: everything on, mail sent one by one. (Announcement mails keep their own
    column, users.announcement_mails, which predates this table.)"""

    __tablename__ = "notification_settings"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"),
                                         unique=True)
    off: Mapped[list] = mapped_column(JSON, default=list)  # ["forum_reply:mail", ...]
    daily_digest: Mapped[bool] = mapped_column(default=False, server_default=false())
    updated_at: Mapped[datetime] = mapped_column(server_default=func.now(),
                                                 onupdate=func.now())


class CohortMessage(db.Model):
    """A message from a coordinator or instructor to (part of) a cohort, or a participant's
    reply to its sender (parent_id set, one recipient)."""

    __tablename__ = "cohort_messages"
    __table_args__ = (Index("ix_cohort_messages_sender_created", "sender_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"),
                                           index=True)
    sender_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("cohort_messages.id", ondelete="CASCADE"), index=True)
    # "all", "no_posttest", "low_attendance", "waitlist", "person", "reply"
    audience: Mapped[str] = mapped_column(String(20))
    subject: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    recipient_ids: Mapped[list] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    sender: Mapped[User | None] = relationship()

    def __repr__(self) -> str:
        return f"<CohortMessage {self.id} cohort={self.cohort_id} {self.audience}>"
