"""Sessions a person can see and end: one row per signed-in browser.

The login cookie (and the remember-me cookie) carry "user id:session token:session key".
The session token lives on the user and ends every session at once (password change,
deactivation, role change); the key names one row here and ends one session (signing out,
"sign out everywhere else"). A request whose row is gone is signed out.

Remember-me lasts at most REMEMBER_COOKIE_DURATION from the sign-in, and its key is replaced
each time the cookie brings a browser back: a copied cookie stops working once the owner's
browser has used it (or the copy has, and then the owner is asked to sign in again).
"""

import functools
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app, g, request, session
from flask_login import current_user, login_user, user_loaded_from_cookie
from sqlalchemy import ForeignKey, String, bindparam, delete, select, update
from sqlalchemy.orm import Mapped, make_transient_to_detached, mapped_column, relationship
from sqlalchemy.orm.util import identity_key

from lms import db_setup
from lms.auth.models import User
from lms.clock import utcnow
from lms.extensions import db
from lms.statements import prepared, rows

# last_seen_at is written at most this often, not at every request.
SEEN_EVERY = timedelta(minutes=5)


class UserSession(db.Model):
    __tablename__ = "user_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(String(64), unique=True)
    remember: Mapped[bool] = mapped_column(default=False)
    user_agent: Mapped[str] = mapped_column(String(300), default="")
    address: Mapped[str] = mapped_column(String(64), default="")
    created_at: Mapped[datetime]
    last_seen_at: Mapped[datetime]

    user: Mapped[User] = relationship()

    def __repr__(self) -> str:
        return f"<UserSession {self.id} user={self.user_id}>"


def _remember_limit() -> timedelta:
    return timedelta(seconds=int(current_app.config["REMEMBER_COOKIE_DURATION"]))


def _idle_limit() -> timedelta:
    return timedelta(seconds=int(current_app.config["PERMANENT_SESSION_LIFETIME"]))


def _new_key() -> str:
    return secrets.token_urlsafe(24)


def sign_in(user: User, remember: bool) -> UserSession:
    """Start a session for user in this browser (the caller cleared the old one)."""
    now = utcnow()
    row = UserSession(user_id=user.id, key=_new_key(), remember=remember,
                      user_agent=(request.user_agent.string or "")[:300],
                      address=(request.remote_addr or "")[:64], created_at=now,
                      last_seen_at=now)
    db.session.add(row)
    db.session.flush()
    login_user(user, remember=remember, duration=_remember_limit())
    session["_user_id"] = f"{user.get_id()}:{row.key}"
    return row


def current_key() -> str | None:
    return str(session.get("_user_id") or "").rpartition(":")[2] or None


@dataclass(frozen=True)
class SessionState:
    """What a request needs of its browser session row: read with the user, written (by
    touch) with one UPDATE only when something changed."""
    id: int
    remember: bool
    created_at: datetime
    last_seen_at: datetime


@functools.cache
def _user_columns() -> tuple[tuple[str, ...], tuple]:
    """The User's attribute names and their columns, in one order."""
    attributes = User.__mapper__.column_attrs
    return tuple(a.key for a in attributes), tuple(a.columns[0] for a in attributes)


@prepared
def _session_and_user():
    from lms.notifications.services import unread_count_column

    return (select(*_user_columns()[1], UserSession.id, UserSession.remember,
                   UserSession.created_at, UserSession.last_seen_at,
                   unread_count_column(User.id))
            .join(UserSession, UserSession.user_id == User.id)
            .where(UserSession.key == bindparam("key"),
                   UserSession.user_id == bindparam("user_id")))


def _persistent_user(values: tuple) -> User:
    """The User of these column values, in the session as if a query had loaded it (the
    one already there if the session holds it, as a query would return). Built from a
    plain row: the ORM's loading of one entity cost more than the statement itself."""
    keys = _user_columns()[0]
    held = db.session.identity_map.get(identity_key(User, values[keys.index("id")]))
    if held is not None:
        return held
    user = User.__mapper__.class_manager.new_instance()
    user.__dict__.update(zip(keys, values, strict=True))
    make_transient_to_detached(user)
    db.session.add(user)
    return user


def load(user_id: str) -> User | None:
    """The user of a live session "id:token:key", or None (ended, expired, deactivated)."""
    ident, token, key = (str(user_id).split(":") + ["", "", ""])[:3]
    if not ident.isdigit() or not token or not key:
        return None
    # The user, their session's state and the header's unread-notification count in one
    # statement of plain columns (the session row as a second entity, the lazy `row.user`
    # and the badge's count each cost more); Flask-Login keeps the user for the request,
    # g the rest (touch below, lms.notifications.views).
    found = rows(_session_and_user(), {"key": key, "user_id": int(ident)})
    if not found:
        return None
    *values, session_id, remember, created_at, last_seen_at, unread = found[0]
    user = _persistent_user(tuple(values))
    if not secrets.compare_digest(user.session_token, token) or not user.is_active:
        return None
    now = utcnow()
    if remember and created_at + _remember_limit() < now:
        return None
    if not remember and last_seen_at + _idle_limit() < now:
        return None
    g.user_session = SessionState(session_id, remember, created_at, last_seen_at)
    g.unread_notifications = unread
    return user


@user_loaded_from_cookie.connect
def _came_back_with_cookie(_app, user=None, **_extra) -> None:
    g.rotate_user_session = True


def touch() -> None:
    """Before each request: note when the session was last seen, and give a browser that
    came back through its remember-me cookie a new key (and so a new cookie)."""
    if request.endpoint in db_setup.CHEAP_ENDPOINTS or not current_user.is_authenticated:
        return
    row: SessionState | None = g.get("user_session")
    if row is None:
        return
    now = utcnow()
    rotate = g.pop("rotate_user_session", False)
    if not rotate and now - row.last_seen_at < SEEN_EVERY:
        return
    db_setup.writing()
    changes: dict = {}
    if rotate:
        changes["key"] = _new_key()
        session["_user_id"] = f"{current_user.get_id()}:{changes['key']}"
        session["_remember"] = "set"
        left = row.created_at + _remember_limit() - now
        session["_remember_seconds"] = max(int(left.total_seconds()), 1)
    if now - row.last_seen_at >= SEEN_EVERY:
        changes.update(last_seen_at=now, address=(request.remote_addr or "")[:64])
    if changes:
        db.session.execute(update(UserSession).where(UserSession.id == row.id)
                           .values(**changes))
        db.session.commit()


def end_this() -> None:
    """Signing out: this browser's session only."""
    key = current_key()
    if key:
        db.session.execute(delete(UserSession).where(UserSession.key == key))


def end_others(user: User) -> int:
    """"Sign out everywhere else": every session of user but this browser's. Returns how
    many ended."""
    key = current_key() or ""
    result = db.session.execute(delete(UserSession).where(
        UserSession.user_id == user.id, UserSession.key != key))
    return result.rowcount or 0


def end_all(user: User) -> None:
    db.session.execute(delete(UserSession).where(UserSession.user_id == user.id))


def of(user: User) -> list[UserSession]:
    """The person's live sessions, the most recently seen first."""
    rows = db.session.scalars(select(UserSession).where(UserSession.user_id == user.id)
                              .order_by(UserSession.last_seen_at.desc(), UserSession.id.desc()))
    now = utcnow()
    return [r for r in rows
            if (r.remember and r.created_at + _remember_limit() >= now)
            or (not r.remember and r.last_seen_at + _idle_limit() >= now)]


BROWSERS = (("Edg/", "Edge"), ("OPR/", "Opera"), ("SamsungBrowser", "Samsung Internet"),
            ("Firefox/", "Firefox"), ("Chrome/", "Chrome"), ("Safari/", "Safari"))
SYSTEMS = (("Android", "Android"), ("iPhone", "iPhone"), ("iPad", "iPad"),
           ("Windows", "Windows"), ("Mac OS X", "macOS"), ("CrOS", "ChromeOS"),
           ("Linux", "Linux"))


def device(user_agent: str) -> tuple[str, str]:
    """(browser, system) named from a User-Agent header; "" for what is not recognised."""
    browser = next((name for mark, name in BROWSERS if mark in user_agent), "")
    system = next((name for mark, name in SYSTEMS if mark in user_agent), "")
    return browser, system
