"""User accounts."""

import enum
import secrets
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import String, func
from sqlalchemy import true as sa_true
from sqlalchemy.orm import Mapped, mapped_column

from lms.extensions import db


class Role(enum.StrEnum):
    PARTICIPANT = "participant"
    INSTRUCTOR = "instructor"
    COORDINATOR = "coordinator"
    ADMIN = "admin"


STAFF_ROLES = frozenset({Role.INSTRUCTOR, Role.COORDINATOR, Role.ADMIN})


def new_session_token() -> str:
    return secrets.token_urlsafe(24)


class User(UserMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    # As it will be printed on a certificate.
    full_name: Mapped[str] = mapped_column(String(200))
    # "Dr.", "S.Sos., M.Hum." and the like, kept apart from the name.
    academic_title: Mapped[str] = mapped_column(String(100), default="", server_default="")
    password_hash: Mapped[str] = mapped_column(String(255))
    institution: Mapped[str] = mapped_column(String(200), default="")
    position: Mapped[str] = mapped_column(String(200), default="")
    nip: Mapped[str | None] = mapped_column(String(32))
    role: Mapped[str] = mapped_column(String(20), default=Role.PARTICIPANT.value)
    locale: Mapped[str | None] = mapped_column(String(8))
    # Part of the login cookie's identity: changing it (sign-out, password
    # change) makes every cookie issued before unusable.
    session_token: Mapped[str] = mapped_column(String(64), default=new_session_token)
    is_active_account: Mapped[bool] = mapped_column(default=True)
    # Announcements of the person's cohorts are mailed to them unless they turn it off.
    announcement_mails: Mapped[bool] = mapped_column(default=True, server_default=sa_true())
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())
    last_login_at: Mapped[datetime | None]

    def get_id(self) -> str:
        return f"{self.id}:{self.session_token}"

    @property
    def is_active(self) -> bool:
        return self.is_active_account

    @property
    def is_staff(self) -> bool:
        return self.role in STAFF_ROLES

    def has_role(self, *roles: Role) -> bool:
        return self.role in {Role(r).value for r in roles}

    def __repr__(self) -> str:
        return f"<User {self.id} {self.email} {self.role}>"
