"""Failed sign-ins slow down guessing, per account and per address, without locking anyone
out for good.

Every attempt is counted as a failure *before* its password is checked (so a burst of
parallel requests cannot all slip through before the first failure is written) and taken
back when it succeeds: successful sign-ins do not count. Past a number of free failures
each further one makes the next attempt wait, twice as long each time, up to a cap. While a
key waits, attempts on it are answered 429 without checking the password. Counters live in
a table, so every worker sees the same ones; a key with no failure for FORGET_AFTER starts
again from zero.

The account key is a hash of the email as typed (normalized), whether or not an account has
it: the answer never says whether one exists.
"""

import hashlib
import ipaddress
import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import String, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, mapped_column

from lms.clock import utcnow
from lms.extensions import db


class SignInThrottle(db.Model):
    __tablename__ = "sign_in_throttles"

    # "account:<sha256 of the email>" or "address:<IP address>"
    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    failures: Mapped[int] = mapped_column(default=0)
    last_failure_at: Mapped[datetime]
    wait_until: Mapped[datetime | None]

    def __repr__(self) -> str:
        return f"<SignInThrottle {self.key} {self.failures}>"


@dataclass(frozen=True)
class Rule:
    free: int  # failures before any wait
    first_wait: int  # seconds after the first failure past the free ones
    max_wait: int  # the doubling stops here
    forget_after: int  # seconds without a failure after which the count starts again

    def wait_after(self, failures: int) -> int:
        if failures <= self.free:
            return 0
        doublings = min(failures - self.free - 1, 30)
        return min(self.first_wait * 2**doublings, self.max_wait)


def _rule(kind: str) -> Rule:
    cfg = current_app.config
    prefix = f"SIGNIN_{kind.upper()}_"
    return Rule(cfg[prefix + "FREE_FAILURES"], cfg[prefix + "FIRST_WAIT"],
                cfg[prefix + "MAX_WAIT"], cfg[prefix + "FORGET_AFTER"])


def account_key(email: str) -> str:
    digest = hashlib.sha256(email.strip().lower().encode("utf-8", "replace")).hexdigest()
    return f"account:{digest[:48]}"


def address_key(address: str | None) -> str:
    """One key per IPv4 address, and per /64 for IPv6 (what one subscriber usually gets:
    rotating inside it would otherwise give an attacker endless addresses)."""
    text = (address or "unknown")[:64]
    try:
        ip = ipaddress.ip_address(text)
    except ValueError:
        return f"address:{text}"
    if ip.version == 6:
        if ip.ipv4_mapped is not None:
            return f"address:{ip.ipv4_mapped}"
        return f"address:{ipaddress.ip_network(f'{ip}/64', strict=False)}"
    return f"address:{ip}"


def _row(key: str) -> SignInThrottle | None:
    return db.session.scalar(
        select(SignInThrottle).where(SignInThrottle.key == key).with_for_update())


def _row_or_new(key: str, now: datetime) -> SignInThrottle:
    """The locked row for key, inserted when missing. Two first attempts at once (on
    PostgreSQL; SQLite runs them one after the other) both try to insert: the second
    reads the first's row instead of failing."""
    row = _row(key)
    if row is not None:
        return row
    try:
        with db.session.begin_nested():
            row = SignInThrottle(key=key, failures=0, last_failure_at=now)
            db.session.add(row)
    except IntegrityError:
        row = _row(key)
    return row


def _remaining(row: SignInThrottle | None, now: datetime) -> int:
    if row is None or row.wait_until is None or row.wait_until <= now:
        return 0
    return math.ceil((row.wait_until - now).total_seconds())


def begin_attempt(email: str, address: str | None) -> int:
    """Count this attempt as failed until it proves otherwise. Returns 0 when it may go
    on, else the seconds to wait (nothing is counted then). The caller commits at once,
    before checking the password, so that other workers see the count."""
    now = utcnow()
    keys = {"account": account_key(email), "address": address_key(address)}
    # Both rows exist and are locked before the wait is read, so parallel attempts see
    # each other's counts even for a key never seen before.
    rows = {kind: _row_or_new(key, now) for kind, key in keys.items()}
    wait = max(_remaining(row, now) for row in rows.values())
    if wait:
        return wait
    for kind, row in rows.items():
        rule = _rule(kind)
        if now - row.last_failure_at > timedelta(seconds=rule.forget_after):
            row.failures = 0
        row.failures += 1
        row.last_failure_at = now
        seconds = rule.wait_after(row.failures)
        row.wait_until = now + timedelta(seconds=seconds) if seconds else None
    db.session.flush()
    return 0


def succeeded(email: str, address: str | None) -> None:
    """The attempt begun for this email and address signed in: the account starts again
    from zero, the address gets back the one failure counted in advance."""
    account = _row(account_key(email))
    if account is not None:
        db.session.delete(account)
    row = _row(address_key(address))
    if row is not None:
        row.failures = max(row.failures - 1, 0)
        seconds = _rule("address").wait_after(row.failures)
        row.wait_until = row.last_failure_at + timedelta(seconds=seconds) if seconds else None
    db.session.flush()


def forget_account(email: str) -> None:
    """Choosing a new password through a reset link proves the mailbox: the account's
    failures no longer count."""
    row = _row(account_key(email))
    if row is not None:
        db.session.delete(row)
        db.session.flush()


def wait_text(seconds: int) -> tuple[int, str]:
    """(amount, "seconds"|"minutes") rounded up, for the message."""
    if seconds < 120:
        return seconds, "seconds"
    return math.ceil(seconds / 60), "minutes"
