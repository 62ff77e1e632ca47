"""Outgoing email: SMTP when configured, else files in instance/outbox/ to read.

Services queue messages with `send_to` (one person, in their language) or `queue_mail`.
Each message is a background job (lms/jobs/) written in the same transaction as the change
that sends it: a rolled-back change never mails anyone, and a message leaves only after the
commit and never inside a request (a worker sends it, or a thread of this process after
the response when no Redis is configured). A slow or unreachable server therefore neither
slows a page nor shows, by its timing, whether a mail was sent at all (e.g. "forgot
password" for an address that has no account); a failing server is retried with backoff.
Outside a request with no Redis (the CLI) mail is sent at once: the command waits.

Every message carries a Message-ID made from its job, so a copy sent twice can be told.
Links in mails are built by lms.urls.external_url, from PUBLIC_URL.
"""

from __future__ import annotations

import smtplib
import ssl
import time
from collections.abc import Callable
from email.message import EmailMessage
from pathlib import Path
from typing import TYPE_CHECKING

from flask import Flask, current_app
from flask_babel import force_locale

from lms.jobs import queue as jobs

if TYPE_CHECKING:
    from lms.auth.models import User


# Links and languages --------------------------------------------------------------------


def language_of(user: User) -> str:
    """The language the person chose, else the site's default (Indonesian)."""
    languages = current_app.config["LANGUAGES"]
    return user.locale if user.locale in languages else current_app.config[
        "BABEL_DEFAULT_LOCALE"]


def send_to(user: User, compose: Callable[[], tuple[str, str]], *,
            key: str | None = None) -> None:
    """Queue a mail to user written in their language, not the sender's: compose() runs
    with the recipient's locale in force and returns (subject, body)."""
    with force_locale(language_of(user)):
        subject, body = compose()
    queue_mail(user.email, subject, body, key=key)


def queue_mail(to: str, subject: str, body: str, *, key: str | None = None) -> None:
    """Send after the current transaction commits (and after the response, in a request).
    With a key, a message with that key is sent once at most, whoever asks again."""
    jobs.enqueue("mail.send", {"to": to, "subject": subject, "body": body},
                 key=f"mail:{key}" if key else None)


# Sending --------------------------------------------------------------------------------

def _message(cfg, to: str, subject: str, body: str,
             message_id: str | None = None) -> EmailMessage:
    message = EmailMessage()
    message["From"] = cfg["MAIL_FROM"]
    message["To"] = to
    # One line: a title typed with a line break must not become a header of its own.
    message["Subject"] = " ".join(subject.split())
    if message_id:
        message["Message-ID"] = message_id
    message.set_content(body)
    return message


def deliver(cfg, instance_path: str, to: str, subject: str, body: str,
            message_id: str | None = None) -> None:
    """Hand one message to SMTP, or write it to instance/outbox/ when no server is set."""
    message = _message(cfg, to, subject, body, message_id)
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


@jobs.job("mail.send", resumable=False)
def _send_job(row, *, to: str, subject: str, body: str) -> dict:
    """One message. Not resumable: one whose worker died while talking to the SMTP server
    may have left, so it is marked failed for an admin to look at, not sent again."""
    domain = (current_app.config["MAIL_FROM"].rsplit("@", 1)[-1].strip("> ") or "lms")
    deliver(current_app.config, current_app.instance_path, to, subject, body,
            message_id=f"<lms-job-{row.id}@{domain}>")
    return {"to": to}


def flush(app: Flask, timeout: float = 30.0) -> bool:
    """Wait for the mails (and other jobs) handed to this process's thread."""
    return jobs.flush(app, timeout)


def init_mail(app: Flask | None = None) -> None:
    """Nothing to wire any more: mail rides on the jobs (kept for create_app's order)."""
