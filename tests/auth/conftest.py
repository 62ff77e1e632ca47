"""Helpers for the sign-in tests: links read from the development outbox."""

import re
from urllib.parse import urlsplit

from tests.mail.conftest import (
    mails_to,
    slow_smtp,  # noqa: F401 (a fixture the tests here use)
)


def mailed_path(app, address: str, marker: str) -> str:
    """The path of the one link containing `marker` in the mails to address."""
    found = [link for mail in mails_to(app, address)
             for link in re.findall(r"https?://\S+", mail.get_content()) if marker in link]
    assert len(found) == 1, found
    return urlsplit(found[0]).path
