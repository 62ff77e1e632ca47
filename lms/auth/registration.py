"""Registration that does not say whether an address has an account.

Every valid form gets the same answer ("open the link we mailed you"). A new address
receives a link that creates the account; an address that already has one receives a
warning instead ("someone tried to register with your address"). The password is hashed in
both cases, and mail leaves after the response, so the time taken says nothing either.
The link's token is random and stored hashed, with the chosen details and the password's
Argon2 hash kept here until it is opened (never in the mail).
"""

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import String, delete, select
from sqlalchemy.orm import Mapped, mapped_column

from lms.auth import services
from lms.auth.models import User
from lms.clock import utcnow
from lms.extensions import db

VALID_FOR = timedelta(days=2)


class PendingRegistration(db.Model):
    __tablename__ = "pending_registrations"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    email: Mapped[str] = mapped_column(String(254), index=True)
    full_name: Mapped[str] = mapped_column(String(200))
    institution: Mapped[str] = mapped_column(String(200), default="")
    position: Mapped[str] = mapped_column(String(200), default="")
    nip: Mapped[str | None] = mapped_column(String(32))
    password_hash: Mapped[str] = mapped_column(String(255))
    locale: Mapped[str | None] = mapped_column(String(8))
    # The version of the privacy notice the person agreed to on the form (lms.privacy).
    privacy_notice: Mapped[str | None] = mapped_column(String(40))
    created_at: Mapped[datetime]

    def __repr__(self) -> str:
        return f"<PendingRegistration {self.id} {self.email}>"


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "replace")).hexdigest()


def start(*, email: str, password: str, full_name: str, institution: str, position: str,
          nip: str | None, locale: str | None, privacy_notice: str | None = None
          ) -> tuple[User | None, str | None]:
    """(the existing account, None) when the address has one, else (None, token) for the
    link that finishes a new one. Both paths hash the password, so both take as long."""
    email = services.normalize_email(email)
    password_hash = services.hash_password(password)
    db.session.execute(delete(PendingRegistration).where(
        PendingRegistration.created_at < utcnow() - VALID_FOR))
    existing = services.find_user_by_email(email)
    if existing is not None:
        return existing, None
    token = secrets.token_urlsafe(32)
    db.session.add(PendingRegistration(
        token_hash=_digest(token), email=email, full_name=" ".join(full_name.split()),
        institution=institution.strip(), position=position.strip(),
        nip=(nip or "").strip() or None, password_hash=password_hash, locale=locale,
        privacy_notice=privacy_notice, created_at=utcnow()))
    db.session.flush()
    return None, token


def pending(token: str) -> PendingRegistration | None:
    if not token or len(token) > 200:
        return None
    row = db.session.scalar(select(PendingRegistration).where(
        PendingRegistration.token_hash == _digest(token)))
    if row is None or row.created_at < utcnow() - VALID_FOR:
        return None
    return row


def finish(row: PendingRegistration) -> User:
    """Create the account the link was mailed for. Refuses (AccountError "email-taken") an
    address that got an account meanwhile; every pending link for the address ends."""
    user = services.create_user(
        email=row.email, password=secrets.token_urlsafe(16), full_name=row.full_name,
        institution=row.institution, position=row.position, nip=row.nip)
    user.password_hash = row.password_hash
    user.locale = row.locale
    db.session.execute(delete(PendingRegistration).where(
        PendingRegistration.email == row.email))
    db.session.flush()
    return user
