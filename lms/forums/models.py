"""Forums of a cohort (one general, one per program course), their threads and posts."""

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint, false, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.auth.models import User
from lms.clock import utcnow
from lms.cohorts.models import Cohort
from lms.courses.models import Course
from lms.extensions import db


class Forum(db.Model):
    """A cohort's forum about one course, or its general forum when course_id is None."""

    __tablename__ = "forums"
    __table_args__ = (
        UniqueConstraint("cohort_id", "course_id"),
        # NULLs are distinct in the constraint above: this keeps one general forum per cohort.
        Index("uq_forums_general", "cohort_id", unique=True,
              sqlite_where=text("course_id IS NULL"),
              postgresql_where=text("course_id IS NULL")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"),
                                           index=True)
    course_id: Mapped[int | None] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    cohort: Mapped[Cohort] = relationship()
    course: Mapped[Course | None] = relationship()

    def __repr__(self) -> str:
        return f"<Forum {self.id} cohort={self.cohort_id} course={self.course_id}>"


class Thread(db.Model):
    __tablename__ = "forum_threads"
    __table_args__ = (Index("ix_forum_threads_listing", "forum_id", "pinned", "last_post_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    forum_id: Mapped[int] = mapped_column(ForeignKey("forums.id", ondelete="CASCADE"),
                                          index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    title: Mapped[str] = mapped_column(String(200))
    pinned: Mapped[bool] = mapped_column(default=False, server_default=false())
    locked: Mapped[bool] = mapped_column(default=False, server_default=false())
    hidden: Mapped[bool] = mapped_column(default=False, server_default=false())
    # Time of the newest post: orders the forum and tells readers what is new.
    last_post_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    forum: Mapped[Forum] = relationship()
    author: Mapped[User | None] = relationship()

    def __repr__(self) -> str:
        return f"<Thread {self.id} forum={self.forum_id}>"


class Post(db.Model):
    __tablename__ = "forum_posts"
    __table_args__ = (Index("ix_forum_posts_thread_created", "thread_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    thread_id: Mapped[int] = mapped_column(ForeignKey("forum_threads.id", ondelete="CASCADE"))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"),
                                                  index=True)
    body_markdown: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)  # rendered and sanitized once, when written
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    edited_at: Mapped[datetime | None]
    hidden: Mapped[bool] = mapped_column(default=False, server_default=false())

    thread: Mapped[Thread] = relationship()
    author: Mapped[User | None] = relationship()

    def __repr__(self) -> str:
        return f"<Post {self.id} thread={self.thread_id}>"


class ThreadRead(db.Model):
    """How far a user has read a thread: posts after last_read_at are new to them."""

    __tablename__ = "forum_thread_reads"
    __table_args__ = (UniqueConstraint("user_id", "thread_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    thread_id: Mapped[int] = mapped_column(ForeignKey("forum_threads.id", ondelete="CASCADE"),
                                           index=True)
    last_read_at: Mapped[datetime]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    def __repr__(self) -> str:
        return f"<ThreadRead user={self.user_id} thread={self.thread_id}>"


class DigestSubscription(db.Model):
    """A participant asked for an email of the new posts of a cohort's forums."""

    __tablename__ = "forum_digest_subscriptions"
    __table_args__ = (UniqueConstraint("user_id", "cohort_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"),
                                           index=True)
    # Posts after this moment go into the next digest (set to the subscription time at first).
    last_sent_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    user: Mapped[User] = relationship()
    cohort: Mapped[Cohort] = relationship()

    def __repr__(self) -> str:
        return f"<DigestSubscription user={self.user_id} cohort={self.cohort_id}>"
