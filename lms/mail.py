"""Outgoing email: SMTP when configured, else files in instance/outbox/ to read.

Services queue messages with `queue_mail`; they leave only after the database
transaction commits (so a rolled-back change never mails anyone).
"""

from __future__ import annotations

import smtplib
import ssl
import time
from email.message import EmailMessage
from pathlib import Path

from flask import current_app
from sqlalchemy import event
from sqlalchemy.orm import Session

from lms.extensions import db

_installed = False


def queue_mail(to: str, subject: str, body: str) -> None:
    """Send after the current transaction commits."""
    db.session.info.setdefault("outbox", []).append((to, subject, body))


def _message(to: str, subject: str, body: str) -> EmailMessage:
    message = EmailMessage()
    message["From"] = current_app.config["MAIL_FROM"]
    message["To"] = to
    message["Subject"] = subject
    message.set_content(body)
    return message


def send_now(to: str, subject: str, body: str) -> None:
    cfg = current_app.config
    message = _message(to, subject, body)
    if cfg.get("MAIL_SERVER"):
        with smtplib.SMTP(cfg["MAIL_SERVER"], int(cfg.get("MAIL_PORT") or 587),
                          timeout=20) as smtp:
            if cfg.get("MAIL_USE_TLS", True):
                smtp.starttls(context=ssl.create_default_context())
            if cfg.get("MAIL_USERNAME"):
                smtp.login(cfg["MAIL_USERNAME"], cfg.get("MAIL_PASSWORD") or "")
            smtp.send_message(message)
        return
    outbox = Path(current_app.instance_path) / "outbox"
    outbox.mkdir(exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    name = f"{stamp}-{time.perf_counter_ns() % 10**9:09d}.eml"
    (outbox / name).write_bytes(bytes(message))


def _after_commit(session: Session) -> None:
    pending = session.info.pop("outbox", [])
    for to, subject, body in pending:
        try:
            send_now(to, subject, body)
        except (OSError, smtplib.SMTPException):
            current_app.logger.exception("could not send mail to %s", to)


def _after_rollback(session: Session) -> None:
    session.info.pop("outbox", None)


def init_mail() -> None:
    global _installed
    if not _installed:
        event.listen(Session, "after_commit", _after_commit)
        event.listen(Session, "after_rollback", _after_rollback)
        _installed = True
