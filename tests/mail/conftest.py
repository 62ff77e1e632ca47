"""Reading the development outbox, and a deliberately slow SMTP server on 127.0.0.1."""

import email
import email.policy
import socketserver
import threading
import time
from pathlib import Path

import pytest

from tests.cohorts.conftest import login_as, make_cohort, program  # noqa: F401


def outbox(app) -> list[email.message.EmailMessage]:
    """Every mail written to instance/outbox/, oldest first."""
    folder = Path(app.instance_path) / "outbox"
    return [email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
            for path in sorted(folder.glob("*.eml"))] if folder.exists() else []


def mails_to(app, address: str) -> list[email.message.EmailMessage]:
    return [m for m in outbox(app) if m["To"] == address]


def clear_outbox(app) -> None:
    for path in (Path(app.instance_path) / "outbox").glob("*.eml"):
        path.unlink()


class SlowSMTP(socketserver.ThreadingTCPServer):
    """Speaks just enough SMTP, after keeping every client waiting `delay` seconds."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, delay: float):
        self.delay = delay
        self.messages: list[bytes] = []
        super().__init__(("127.0.0.1", 0), _Session)


class _Session(socketserver.StreamRequestHandler):
    def reply(self, line: str) -> None:
        self.wfile.write(line.encode() + b"\r\n")

    def handle(self) -> None:
        time.sleep(self.server.delay)  # the slow part: a server far away, or overloaded
        self.reply("220 slow.example ESMTP")
        while line := self.rfile.readline():
            command = line.decode(errors="replace").strip().upper()
            if command.startswith(("EHLO", "HELO")):
                self.reply("250 slow.example")
            elif command.startswith(("MAIL", "RCPT", "RSET", "NOOP")):
                self.reply("250 OK")
            elif command == "DATA":
                self.reply("354 go on")
                data = b""
                while (chunk := self.rfile.readline()) not in (b".\r\n", b""):
                    data += chunk
                self.server.messages.append(data)
                self.reply("250 queued")
            elif command == "QUIT":
                self.reply("221 bye")
                return
            else:
                self.reply("502 not here")


@pytest.fixture
def slow_smtp(app):
    """The app sends through an SMTP server that waits 3 seconds before it says hello,
    from the background thread (MAIL_BACKGROUND), as in production."""
    server = SlowSMTP(delay=3.0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=server.server_address[1],
                      MAIL_USE_TLS=False, MAIL_BACKGROUND=True, MAIL_TIMEOUT=10)
    yield server
    server.shutdown()
    server.server_close()

