"""Rendered parts of pages kept per app, for keys that hold everything the part prints.

A key is a tuple of the values the part is rendered from (texts, titles, the reader's
progress as frozen values, the language ...), so a change of any of them is another key:
nothing has to be invalidated, and an entry no longer asked for is dropped when the
budget is spent (least recently used first)."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable

from flask import current_app, g
from markupsafe import Markup, escape

from lms.security import CSRF_MARK, csrf_token

#: Characters kept per app and kind of part (keys and bodies counted), about 8 MB of text.
BUDGET = 8_000_000


class Kept:
    __slots__ = ("entries", "size", "budget", "lock")

    def __init__(self, budget: int = BUDGET):
        self.entries: OrderedDict = OrderedDict()
        self.size = 0
        self.budget = budget
        # Threaded workers share an app: moving an entry another thread has just dropped
        # would fail the page.
        self.lock = threading.Lock()

    def get(self, key):
        with self.lock:
            body = self.entries.get(key)
            if body is not None:
                self.entries.move_to_end(key)
                return body[0]
        return None

    def put(self, key, body: str, size: int) -> None:
        """Keep body under key; size: the characters it holds (body and key's texts)."""
        if size > self.budget:
            return
        with self.lock:
            old = self.entries.pop(key, None)
            if old is not None:
                self.size -= old[1]
            while self.entries and self.size + size > self.budget:
                self.size -= self.entries.popitem(last=False)[1][1]
            self.entries[key] = (body, size)
            self.size += size


def kept(kind: str) -> Kept:
    """This app's parts of one kind ("module", "page")."""
    found = current_app.extensions.get("lms_kept")
    if found is None:
        found = current_app.extensions["lms_kept"] = {}
    part = found.get(kind)
    if part is None:
        part = found[kind] = Kept()
    return part


def keep(kind: str, key: Hashable | None, render: Callable[[], str],
         key_chars: int | None = None) -> Markup:
    """render()'s output, rendered once per app for each key (None: every time) and kept
    in `kept(kind)`. The session's CSRF token is never kept: while a part renders,
    `lms.security.csrf_token()` gives a mark, replaced by this request's token at each use.
    key_chars: the characters the key holds (counted against the budget); unknown, the
    part's own length is counted again."""
    if key is None:
        return Markup(render())  # noqa: S704 -- our own templates' output
    parts = kept(kind)
    body = parts.get(key)
    if body is None:
        g.lms_csrf_mark = True
        try:
            body = str(render())
        finally:
            g.lms_csrf_mark = False
        parts.put(key, body, len(body) + (len(body) if key_chars is None else key_chars))
    if CSRF_MARK in body:
        body = body.replace(CSRF_MARK, str(escape(csrf_token())))
    return Markup(body)  # noqa: S704 -- our own templates' output, the token escaped
