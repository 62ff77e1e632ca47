"""A second factor: TOTP (RFC 6238, through pyotp) with single-use recovery codes.

Plain values in, rows flushed; the caller commits. A code is accepted once: the last
time step used is stored, and a recovery code is marked used, each by an UPDATE that
only one of two simultaneous requests can win.
"""

import hashlib
import secrets
from datetime import UTC, datetime

import pyotp
import segno
from flask import current_app
from sqlalchemy import BigInteger, ForeignKey, String, delete, func, or_, select, update
from sqlalchemy.orm import Mapped, mapped_column

from lms.audit import services as audit
from lms.auth.models import Role, User
from lms.clock import utcnow
from lms.extensions import db

STEP_SECONDS = 30
# Codes from the step before and after are accepted too: phones' clocks drift.
WINDOW = 1
RECOVERY_CODES = 10
REQUIRED_ROLES = (Role.COORDINATOR, Role.ADMIN)


class SecondFactorError(ValueError):
    """A code or request that cannot be accepted; `code` says which problem."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


class SecondFactor(db.Model):
    __tablename__ = "second_factors"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"),
                                         unique=True)
    # Base32, shown once as a QR code; the authenticator app keeps its own copy.
    secret: Mapped[str] = mapped_column(String(64))
    # None while enrolment waits for the first code.
    confirmed_at: Mapped[datetime | None]
    # The last 30-second step whose code was accepted: it and earlier ones are refused.
    last_time_step: Mapped[int | None] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())

    def __repr__(self) -> str:
        return f"<SecondFactor user={self.user_id} confirmed={self.confirmed_at}>"


class RecoveryCode(db.Model):
    __tablename__ = "recovery_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"),
                                         index=True)
    # SHA-256 of the normalised code: 40 random bits, tried at a limited rate, need no slow hash.
    code_hash: Mapped[str] = mapped_column(String(64))
    used_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())

    def __repr__(self) -> str:
        return f"<RecoveryCode {self.id} user={self.user_id} used={self.used_at}>"


def is_required_for(user) -> bool:
    """True when this person must have a second factor before doing anything else."""
    return bool(current_app.config.get("REQUIRE_SECOND_FACTOR_FOR_STAFF")) and \
        user.has_role(*REQUIRED_ROLES)


def factor_of(user: User) -> SecondFactor | None:
    return db.session.scalar(select(SecondFactor).where(SecondFactor.user_id == user.id))


def is_enrolled(user: User) -> bool:
    """True when the person has a confirmed second factor."""
    return db.session.scalar(select(SecondFactor.id).where(
        SecondFactor.user_id == user.id, SecondFactor.confirmed_at.is_not(None))) is not None


def remaining_recovery_codes(user: User) -> int:
    return db.session.scalar(select(func.count()).select_from(RecoveryCode).where(
        RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None))) or 0


def begin_enrolment(user: User) -> SecondFactor:
    """A new unconfirmed secret (replacing an unconfirmed one). Refuses when one is in use."""
    factor = factor_of(user)
    if factor is not None and factor.confirmed_at is not None:
        raise SecondFactorError("already-enrolled")
    if factor is None:
        factor = SecondFactor(user_id=user.id, secret=pyotp.random_base32())
        db.session.add(factor)
    else:
        factor.secret = pyotp.random_base32()
    db.session.flush()
    return factor


def provisioning_uri(factor: SecondFactor, user: User) -> str:
    issuer = current_app.config.get("SECOND_FACTOR_ISSUER") or "LMS"
    return pyotp.TOTP(factor.secret).provisioning_uri(name=user.email, issuer_name=issuer)


def qr_svg(uri: str) -> str:
    """The QR code as inline SVG: a path with presentation attributes, no style or script
    (the Content-Security-Policy allows neither inline)."""
    return segno.make(uri, error="m").svg_inline(scale=4, dark="#000", light="#fff",
                                                 title="QR")


def confirm_enrolment(user: User, code: str) -> list[str]:
    """Turn the pending factor on with a first correct code; returns the recovery codes
    (shown once). Refuses a wrong code and a person with no pending factor."""
    factor = factor_of(user)
    if factor is None or factor.confirmed_at is not None:
        raise SecondFactorError("no-pending")
    if not _accept_totp(factor, code):
        raise SecondFactorError("wrong-code")
    factor.confirmed_at = utcnow()
    codes = new_recovery_codes(user)
    audit.record(user.id, "second_factor.enrolled", "user", user.id,
                 f"{user.email} turned on a second factor")
    return codes


def new_recovery_codes(user: User) -> list[str]:
    """Replace the person's recovery codes with RECOVERY_CODES new ones, returned in clear
    this once; only their hashes are stored."""
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = []
    for _n in range(RECOVERY_CODES):
        raw = secrets.token_hex(5)  # 40 bits, 10 hex digits
        codes.append(f"{raw[:5]}-{raw[5:]}")
        db.session.add(RecoveryCode(user_id=user.id, code_hash=_hash(raw)))
    db.session.flush()
    return codes


def verify(user: User, code: str) -> str | None:
    """Check a sign-in code: "totp" or "recovery" when accepted (and used up), else None.
    A TOTP code already accepted, or one from an earlier step, is refused; so is a
    recovery code used before."""
    factor = factor_of(user)
    if factor is None or factor.confirmed_at is None:
        return None
    if _accept_totp(factor, code):
        return "totp"
    if _accept_recovery_code(user, code):
        return "recovery"
    return None


def remove(user: User, actor: User | None, *, by_admin: bool) -> bool:
    """Delete the person's factor and recovery codes, audited. An admin's reset (actor
    None: the server's operator, from `lms users reset-second-factor`) also ends the
    person's sessions (the phone may be in someone else's hands). False when there was
    nothing to remove."""
    factor = factor_of(user)
    if factor is None:
        return False
    db.session.delete(factor)
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    if by_admin:
        user.session_token = secrets.token_urlsafe(24)
        who = actor.email if actor is not None else "the command line"
        audit.record(actor.id if actor is not None else None, "second_factor.reset", "user",
                     user.id, f"{who} reset the second factor of {user.email}")
    else:
        audit.record(actor.id, "second_factor.disabled", "user", user.id,
                     f"{user.email} turned off their second factor")
    db.session.flush()
    return True


def current_step() -> int:
    """The RFC 6238 time step of lms.clock's now (naive UTC there)."""
    moment = utcnow().replace(tzinfo=UTC)
    return int(moment.timestamp()) // STEP_SECONDS


def _accept_totp(factor: SecondFactor, code: str) -> bool:
    digits = "".join(ch for ch in (code or "") if not ch.isspace())
    if len(digits) != 6 or not digits.isascii() or not digits.isdigit():
        return False
    totp = pyotp.TOTP(factor.secret, interval=STEP_SECONDS)
    now = current_step()
    for step in range(now - WINDOW, now + WINDOW + 1):
        if factor.last_time_step is not None and step <= factor.last_time_step:
            continue
        if secrets.compare_digest(totp.generate_otp(step), digits):
            # Only one of two requests racing with the same code moves the step on.
            moved = db.session.execute(
                update(SecondFactor)
                .where(SecondFactor.id == factor.id,
                       or_(SecondFactor.last_time_step.is_(None),
                           SecondFactor.last_time_step < step))
                .values(last_time_step=step)
                .execution_options(synchronize_session=False)).rowcount
            if moved != 1:
                return False
            factor.last_time_step = step
            return True
    return False


def _normalise_recovery(code: str) -> str:
    return "".join(ch for ch in (code or "").lower() if ch not in " -\t")


def _hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def _accept_recovery_code(user: User, code: str) -> bool:
    raw = _normalise_recovery(code)
    if len(raw) != 10:
        return False
    wanted = _hash(raw)
    rows = db.session.execute(select(RecoveryCode.id, RecoveryCode.code_hash).where(
        RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None))).all()
    match = None
    for row_id, stored in rows:
        if secrets.compare_digest(stored, wanted):
            match = row_id
    if match is None:
        return False
    used = db.session.execute(
        update(RecoveryCode).where(RecoveryCode.id == match, RecoveryCode.used_at.is_(None))
        .values(used_at=utcnow()).execution_options(synchronize_session=False)).rowcount
    return used == 1


def summary(user: User) -> dict:
    """What the profile page shows: on since when, and how many recovery codes are left."""
    factor = factor_of(user)
    enrolled = factor is not None and factor.confirmed_at is not None
    return {"enrolled": enrolled, "since": factor.confirmed_at if enrolled else None,
            "remaining": remaining_recovery_codes(user) if enrolled else 0,
            "required": is_required_for(user)}
