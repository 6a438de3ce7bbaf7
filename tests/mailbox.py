"""A real SMTP server for the tests (aiosmtpd on a free local port) and the settings that point
Debrief at it. Every message it accepts is parsed back and kept, in order."""

from __future__ import annotations

import asyncio
import socket
import threading
from contextlib import contextmanager
from email import message_from_bytes
from email.message import EmailMessage
from email.policy import default
from pathlib import Path

from aiosmtpd.controller import Controller
from icalendar import Calendar


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Inbox:
    """What the server received. `answer` may refuse a message (return an SMTP reply) and
    `hold_at` makes the server wait on the n-th message (1-based) until `release` is set,
    without accepting it: the sender is then mid-message."""

    def __init__(self):
        self.messages: list[EmailMessage] = []
        self.recipients: list[list[str]] = []
        self.answer = None
        self.hold_at: int | None = None
        self.holding = threading.Event()
        self.release = threading.Event()
        self._seen = 0

    async def handle_DATA(self, server, session, envelope):
        self._seen += 1
        if self.hold_at == self._seen:
            self.holding.set()
            while not self.release.is_set():
                await asyncio.sleep(0.05)
            return "451 4.3.0 the server went away before accepting it"
        message = message_from_bytes(envelope.original_content or envelope.content, policy=default)
        if self.answer:
            refusal = self.answer(message)
            if refusal:
                return refusal
        self.messages.append(message)
        self.recipients.append(list(envelope.rcpt_tos))
        return "250 Message accepted"

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.messages if address in str(m["To"])]


@contextmanager
def smtp_server():
    """Start a local SMTP server; yield (inbox, port)."""
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield inbox, port
    finally:
        inbox.release.set()
        controller.stop()


def secrets_file(folder: Path, port: int) -> Path:
    """A .streamlit/secrets.toml that sends through the local server, without TLS."""
    path = folder / "secrets.toml"
    path.write_text(
        f"""[smtp]
host = "127.0.0.1"
port = {port}
security = "none"
from = "Debrief <debrief@example.com>"

[app]
url = "https://debrief.example.com"
"""
    )
    return path


def calendar_of(message: EmailMessage) -> Calendar:
    """The message's .ics attachment, parsed back."""
    (part,) = [p for p in message.walk() if p.get_content_type() == "text/calendar"]
    return Calendar.from_ical(part.get_content())


def event_of(message: EmailMessage):
    (event,) = calendar_of(message).walk("VEVENT")
    return event


def text_of(message: EmailMessage) -> str:
    return message.get_body(("plain",)).get_content()


def html_of(message: EmailMessage) -> str:
    return message.get_body(("html",)).get_content()
