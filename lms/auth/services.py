"""Account operations: plain values in, rows flushed; the caller commits."""

import threading

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from flask import current_app, has_app_context
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import func, select

from lms.auth.models import Role, User, new_session_token
from lms.auth.passwords import MAX_LENGTH, normalize
from lms.clock import utcnow
from lms.extensions import db

# argon2-cffi's defaults are RFC 9106's second recommended profile (Argon2id, t=3,
# m=64 MiB, p=4), above OWASP's minimum. Tests may set PASSWORD_HASHING = "fast-for-tests"
# (t=1, m=8 KiB); create_app refuses that setting in production.
STRONG_HASHER = PasswordHasher()
_FAST_HASHER = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
# Verified against when the email is unknown, so a wrong email costs as much time as a
# wrong password and does not reveal which accounts exist. Made once, with each hasher's
# parameters, and written here rather than computed: an Argon2 hash at start-up (or at the
# first unknown email) cost every process 0.1-0.3 s. Recomputed if the parameters change.
_DUMMY_HASHES: dict[int, str] = {
    id(STRONG_HASHER): "$argon2id$v=19$m=65536,t=3,p=4$f4NZq7dJnmLIAOB314DWnA$"
                       "zymKo3dUrogQ63qSnTut7x6uM/36CNPP3IyxLvMTBOM",
    id(_FAST_HASHER): "$argon2id$v=19$m=8,t=1,p=1$V1v4pVN3FFuQf2Htjd5Ozw$"
                      "iLPZOsD4uFx8Loi/q9sXx9qypYdynX+nJ0fPcMeqfew",
}


def _hasher() -> PasswordHasher:
    if has_app_context() and current_app.config.get("PASSWORD_HASHING") == "fast-for-tests":
        return _FAST_HASHER
    return STRONG_HASHER


def _dummy_hash() -> str:
    hasher = _hasher()
    known = _DUMMY_HASHES.get(id(hasher))
    if known is None or hasher.check_needs_rehash(known):
        known = _DUMMY_HASHES[id(hasher)] = hasher.hash("not-a-real-password")
    return known


MIN_PASSWORD_LENGTH = 10


class AccountError(ValueError):
    """A request about an account that cannot be honoured; the message is for the user."""


def new_random_password() -> str:
    """An unguessable password for accounts made for someone (they choose their own)."""
    import secrets

    return secrets.token_urlsafe(32)


def normalize_email(email: str) -> str:
    return email.strip().lower()


def hash_password(password: str) -> str:
    """The Argon2id hash of the NFKC form; refuses (ValueError) more than MAX_LENGTH."""
    if len(password) > MAX_LENGTH * 4:  # before normalizing a megabyte
        raise ValueError("password too long")
    password = normalize(password)
    if len(password) > MAX_LENGTH:
        raise ValueError("password too long")
    return _hasher().hash(password)


def find_user_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == normalize_email(email)))


def create_user(
    *,
    email: str,
    password: str,
    full_name: str,
    institution: str = "",
    position: str = "",
    nip: str | None = None,
    role: Role = Role.PARTICIPANT,
) -> User:
    """Create an account. Refuses an email already registered (any case)."""
    email = normalize_email(email)
    exists = db.session.scalar(select(func.count()).select_from(User).where(User.email == email))
    if exists:
        raise AccountError("email-taken")
    user = User(
        email=email,
        password_hash=hash_password(password),
        full_name=" ".join(full_name.split()),
        institution=institution.strip(),
        position=position.strip(),
        nip=(nip or "").strip() or None,
        role=Role(role).value,
    )
    db.session.add(user)
    db.session.flush()
    return user


def authenticate(email: str, password: str) -> User | None:
    """The active user with this email and password, or None. Upgrades old hashes.

    In one transaction; the sign-in page splits it (sign_in_candidate, password_match,
    complete_authentication) to verify the password outside any transaction."""
    user_id, hashed = sign_in_candidate(email)
    return complete_authentication(user_id, password, hashed, password_match(hashed, password))


def sign_in_candidate(email: str) -> tuple[int | None, str]:
    """The id and password hash to check a sign-in against: (None, a dummy hash of the
    same cost) for an unknown email, so both cost the same time."""
    user = find_user_by_email(email)
    return (user.id, user.password_hash) if user is not None else (None, _dummy_hash())


def password_match(hashed: str, password: str) -> str | None:
    """Argon2 verification alone (about 0.1 s of CPU, no database): "nfkc", "as-typed"
    (a hash made before normalization) or None. One at a time per process."""
    with _VERIFYING:
        return _match(hashed, password)


# Each verification already runs its 4 lanes in parallel over 64 MiB: sixteen at once in
# one worker (a sign-in burst) only thrashed memory and cores, and every one finished late.
_VERIFYING = threading.BoundedSemaphore(1)


def complete_authentication(user_id: int | None, password: str, hashed: str,
                            match: str | None) -> User | None:
    """After password_match: the user, reread, if the password matched the hash they still
    have and they are active; records the sign-in and upgrades an old hash. None otherwise
    (also when the password changed since the hash was read)."""
    if user_id is None or not match:
        return None
    user = db.session.get(User, user_id, populate_existing=True)
    if user is None or user.password_hash != hashed or not user.is_active:
        return None
    if match == "as-typed" or _hasher().check_needs_rehash(user.password_hash):
        # Made before NFKC, or with other Argon2 parameters: now that we have the
        # password, store it the current way.
        user.password_hash = hash_password(password)
    user.last_login_at = utcnow()
    return user


def password_matches(user: User, password: str) -> bool:
    """True when password is the user's; no side effect (no rehash, no sign-in time)."""
    return _safe_verify(user.password_hash, password)


def change_password(user: User, current: str, new: str) -> None:
    """Set a new password after checking the current one; ends every other session."""
    if not _safe_verify(user.password_hash, current):
        raise AccountError("wrong-password")
    user.password_hash = hash_password(new)
    end_all_sessions(user)


def set_password(user: User, new: str) -> None:
    """Set a password without the current one (administrators, the CLI)."""
    user.password_hash = hash_password(new)
    end_all_sessions(user)


def end_all_sessions(user: User) -> None:
    """Make every login cookie issued so far for this user unusable."""
    from lms.auth.sessions import end_all

    user.session_token = new_session_token()
    end_all(user)


# Password-reset links: signed, valid two days, and only until the password (or anything
# else that changes the session token) changes, so each link works once.
RESET_MAX_AGE = 2 * 24 * 3600


def _reset_serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key, salt="password-reset")


def reset_token(user: User) -> str:
    """A token for the reset page (auth.reset) that choosing a password makes unusable."""
    return _reset_serializer().dumps({"u": user.id, "t": user.session_token})


def user_for_reset_token(token: str) -> User | None:
    """The user the token was made for, or None when it is forged, expired or used."""
    import secrets

    try:
        data = _reset_serializer().loads(token, max_age=RESET_MAX_AGE)
        user = db.session.get(User, int(data["u"]))
        valid = user is not None and secrets.compare_digest(user.session_token, str(data["t"]))
    except (BadSignature, KeyError, TypeError, ValueError):
        return None
    return user if valid else None


def _verify(hashed: str, password: str) -> bool:
    try:
        return _hasher().verify(hashed, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def _match(hashed: str, password: str) -> str | None:
    """"nfkc" when the NFKC form matches, "as-typed" when only the raw form does (a hash
    made before normalization), else None. Too long to be anyone's: refused unhashed."""
    if len(password) > MAX_LENGTH * 4:
        return None
    normal = normalize(password)
    if len(normal) > MAX_LENGTH:
        return None
    if _verify(hashed, normal):
        return "nfkc"
    if normal != password and _verify(hashed, password):
        return "as-typed"
    return None


def _safe_verify(hashed: str, password: str) -> bool:
    return _match(hashed, password) is not None
