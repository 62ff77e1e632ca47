"""Password rules after NIST SP 800-63B section 3.1.1.2: a minimum length, a list of known
passwords, the person's own name and email; no composition rules, no expiry.

Everything here is plain: no database. `problem()` gives the message to show; forms, the
reset page and the `lms users create` command all ask it.
"""

import re
import unicodedata
from functools import cache
from pathlib import Path

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

MIN_LENGTH = 10
# Long enough for any passphrase or password manager; short enough that a 1 MB "password"
# is refused before Argon2 ever sees it.
MAX_LENGTH = 1024
COMMON_LIST = Path(__file__).resolve().parent / "data" / "common-passwords.txt"

HINT = _l("At least %(n)d characters. A few unrelated words are easy to remember and hard to "
          "guess; numbers or symbols are not required.", n=MIN_LENGTH)


def normalize(password: str) -> str:
    """NFKC, as at every hashing and every verification: the same password typed with a
    precomposed "é" or with "e" and a combining accent is the same password."""
    return unicodedata.normalize("NFKC", password)


@cache
def common_passwords() -> frozenset[str]:
    lines = COMMON_LIST.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip().lower() for line in lines if line.strip())


def _is_common(password: str) -> bool:
    lowered = password.lower()
    known = common_passwords()
    # "qwertyuiop123" is "qwertyuiop" with a counter added: as easy to guess.
    return lowered in known or lowered.rstrip("0123456789!.?") in known


def _is_pattern(password: str) -> bool:
    """Few distinct characters ("aaaaaaaaaa", "abababababab") or one run of neighbours
    ("0123456789", "abcdefghijkl", "9876543210")."""
    if len(set(password)) < 4:
        return True
    steps = {ord(b) - ord(a) for a, b in zip(password, password[1:], strict=False)}
    return steps in ({1}, {-1})


def _personal_parts(email: str, full_name: str) -> list[str]:
    local = email.lower().partition("@")[0]
    parts = re.split(r"[\W_]+", f"{local} {full_name.lower()}")
    return [p for p in {local, *parts} if len(p) >= 4]


def problem(password: str, *, email: str = "", full_name: str = "") -> str | None:
    """Why this password cannot be chosen, as a message for the person, or None."""
    password = normalize(password)
    if len(password) < MIN_LENGTH:
        return _("Use at least %(n)d characters.", n=MIN_LENGTH)
    if len(password) > MAX_LENGTH:
        return _("Use at most %(n)d characters.", n=MAX_LENGTH)
    if _is_common(password) or _is_pattern(password):
        return _("This password is one of the first that attackers try. Choose another: a "
                 "few unrelated words are easy to remember and hard to guess.")
    squeezed = re.sub(r"[\W_]+", "", password.lower())
    for part in _personal_parts(email, full_name):
        if part in password.lower() or part in squeezed:
            return _("This password contains your name or email address, which others can "
                     "guess. Choose another.")
    return None
