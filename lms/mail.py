"""Outgoing email: SMTP when configured, else files in instance/outbox/ to read.

Services queue messages with `send_to` (one person, in their language) or `queue_mail`.
A message leaves only after the database transaction commits (so a rolled-back change
never mails anyone), and never inside a request: what a request queued is handed, when
the request is over, to a background thread that talks to the SMTP server. A slow or
unreachable server therefore neither slows a page nor shows, by its timing, whether a
mail was sent at all (e.g. "forgot password" for an address that has no account).
Outside a request (the CLI, the forum digest) mail is sent at once: the command waits.

Links in mails are built by `public_url`, from PUBLIC_URL, never from the request's host.
"""

from __future__ import annotations

import atexit
import queue
import smtplib
import ssl
import threading
import time
from collections.abc import Callable
from email.message import EmailMessage
from pathlib import Path
from typing import TYPE_CHECKING

from flask import Flask, current_app, g, has_request_context
from flask_babel import force_locale
from sqlalchemy import event
from sqlalchemy.orm import Session

from lms.extensions import db

if TYPE_CHECKING:
    from lms.auth.models import User

_installed = False
Message = tuple[str, str, str]  # to, subject, body


# Links and languages --------------------------------------------------------------------


def language_of(user: User) -> str:
    """The language the person chose, else the site's default (Indonesian)."""
    languages = current_app.config["LANGUAGES"]
    return user.locale if user.locale in languages else current_app.config[
        "BABEL_DEFAULT_LOCALE"]


def send_to(user: User, compose: Callable[[], tuple[str, str]]) -> None:
    """Queue a mail to user written in their language, not the sender's: compose() runs
    with the recipient's locale in force and returns (subject, body)."""
    with force_locale(language_of(user)):
        subject, body = compose()
    queue_mail(user.email, subject, body)


def queue_mail(to: str, subject: str, body: str) -> None:
    """Send after the current transaction commits (and after the response, in a request)."""
    db.session.info.setdefault("outbox", []).append((to, subject, body))


# Sending --------------------------------------------------------------------------------

def _message(cfg, to: str, subject: str, body: str) -> EmailMessage:
    message = EmailMessage()
    message["From"] = cfg["MAIL_FROM"]
    message["To"] = to
    # One line: a title typed with a line break must not become a header of its own.
    message["Subject"] = " ".join(subject.split())
    message.set_content(body)
    return message


def deliver(cfg, instance_path: str, to: str, subject: str, body: str) -> None:
    """Hand one message to SMTP, or write it to instance/outbox/ when no server is set.
    Plain values only, so that it can run on a thread without the app's context."""
    message = _message(cfg, to, subject, body)
    if cfg.get("MAIL_SERVER"):
        with smtplib.SMTP(cfg["MAIL_SERVER"], int(cfg.get("MAIL_PORT") or 587),
                          timeout=int(cfg.get("MAIL_TIMEOUT") or 20)) as smtp:
            if cfg.get("MAIL_USE_TLS", True):
                smtp.starttls(context=ssl.create_default_context())
            if cfg.get("MAIL_USERNAME"):
                smtp.login(cfg["MAIL_USERNAME"], cfg.get("MAIL_PASSWORD") or "")
            smtp.send_message(message)
        return
    outbox = Path(instance_path) / "outbox"
    outbox.mkdir(exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    name = f"{stamp}-{time.perf_counter_ns() % 10**9:09d}.eml"
    (outbox / name).write_bytes(bytes(message))


def send_now(to: str, subject: str, body: str) -> None:
    deliver(current_app.config, current_app.instance_path, to, subject, body)


def _send_all(app: Flask, messages: list[Message]) -> None:
    """Each message on its own: one that fails (server down, bad address) is logged and
    the others still leave."""
    for to, subject, body in messages:
        try:
            deliver(app.config, app.instance_path, to, subject, body)
        except Exception:  # after the response there is nobody to tell but the log
            app.logger.exception("could not send mail to %s", to)


class Postman:
    """One background thread per app that sends what requests queued, in order."""

    def __init__(self, app: Flask):
        self.app = app
        self.jobs: queue.Queue[list[Message]] = queue.Queue()
        self.lock = threading.Lock()
        self.thread: threading.Thread | None = None

    def post(self, messages: list[Message]) -> None:
        self.jobs.put(messages)
        with self.lock:  # started lazily: after a pre-forking server has forked
            if self.thread is None or not self.thread.is_alive():
                if self.thread is None:  # what is queued at exit still leaves (10 s at most)
                    atexit.register(self.flush, 10.0)
                self.thread = threading.Thread(target=self._run, name="lms-mail", daemon=True)
                self.thread.start()

    def _run(self) -> None:
        while True:
            messages = self.jobs.get()
            try:
                _send_all(self.app, messages)
            finally:
                self.jobs.task_done()

    def flush(self, timeout: float = 30.0) -> bool:
        """Wait until everything posted so far has been sent; False on timeout."""
        deadline = time.monotonic() + timeout
        while self.jobs.unfinished_tasks:
            if time.monotonic() > deadline:
                return False
            time.sleep(0.01)
        return True


def postman(app: Flask) -> Postman:
    return app.extensions["lms_mail"]


def flush(app: Flask, timeout: float = 30.0) -> bool:
    """Wait for the mails handed to the background thread (tests, shutting down)."""
    return postman(app).flush(timeout)


def _background(app: Flask) -> bool:
    """MAIL_BACKGROUND: True sends from the thread; False sends at the end of the request,
    after the response is made (the default under TESTING, so tests read the outbox
    straight after a request); unset means True except when testing."""
    setting = app.config.get("MAIL_BACKGROUND")
    return (not app.testing) if setting is None else bool(setting)


# Wiring ---------------------------------------------------------------------------------

def _after_commit(session: Session) -> None:
    pending = session.info.pop("outbox", [])
    if not pending:
        return
    if has_request_context():  # kept until the request is over, see _hand_over
        g.setdefault("lms_mail", []).extend(pending)
        return
    _send_all(current_app._get_current_object(), pending)


def _after_rollback(session: Session) -> None:
    session.info.pop("outbox", None)


def _hand_over(_exc: BaseException | None) -> None:
    """At the end of a request (the response is made): post what it committed."""
    pending = g.pop("lms_mail", None)
    if not pending:
        return
    app = current_app._get_current_object()
    if _background(app):
        postman(app).post(pending)
    else:
        _send_all(app, pending)


def init_mail(app: Flask | None = None) -> None:
    global _installed
    if not _installed:
        event.listen(Session, "after_commit", _after_commit)
        event.listen(Session, "after_rollback", _after_rollback)
        _installed = True
    if app is not None and "lms_mail" not in app.extensions:
        app.extensions["lms_mail"] = Postman(app)
        app.teardown_request(_hand_over)
