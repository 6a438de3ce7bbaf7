"""Hostile text in mail: a name with a line break cannot add a header or a recipient, HTML in it
stays text, and a megabyte of it does not make a megabyte message. Sent through a real SMTP
server and read back."""

from __future__ import annotations

from datetime import timedelta
from mailbox import calendar_of, html_of, secrets_file, smtp_server, text_of

import pytest

from scoring import mail, openings, outbox
from world import DAY, build

HOSTILE = (
    "Eve\r\nBcc: attacker@evil.example\r\nX-Injected: yes\n\n<script>alert(1)</script>"
    "<a href='https://evil.example'>click</a>" + "x" * 1_000_000
)


def test_render_keeps_every_value_one_line_escaped_and_short():
    subject, text, html = outbox.render(
        "invitation",
        HOSTILE,
        "https://debrief.example.com/my_interviews",
        candidate=HOSTILE,
        session=HOSTILE,
        opening=HOSTILE,
        when="Fri 20 Nov 2026, 10:00-10:30 UTC",
        before="",
        why="",
    )
    assert "\n" not in subject and "\r" not in subject and len(subject) <= 250
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "href='https://evil.example'" not in html
    assert "Bcc: attacker" not in text.replace("Eve Bcc: attacker", "")
    assert len(text) < 5_000 and len(html) < 5_000


@pytest.fixture
def hostile_world(tmp_path, monkeypatch):
    """A world whose candidate and interviewer got hostile names past the forms (an old import,
    a hand edit): what comes out of the outbox must still be safe."""
    with smtp_server() as (inbox, port):
        path = secrets_file(tmp_path, port)
        monkeypatch.setenv("DEBRIEF_SECRETS", str(path))
        w = build(tmp_path / "w.sqlite")
        with w.store.write() as db:
            db.execute("UPDATE candidates SET name = ? WHERE id = ?", [HOSTILE, w.candidate_id])
            db.execute("UPDATE people SET name = ? WHERE id = ?", [HOSTILE, w.ana.id])
            # the build's messages count as sent (kept: a reminder follows an invitation)
            db.execute("UPDATE outbox SET state = 'sent'")
        yield w, inbox, mail.mail_settings(path)


def test_a_hostile_name_adds_no_header_no_recipient_and_no_markup(hostile_world):
    w, inbox, settings = hostile_world
    session = openings.schedule_session(
        w.store, w.coordinator, w.candidate_id, 4, DAY + timedelta(hours=8), [w.ana.id]
    )
    openings.move_session(w.store, w.coordinator, session, DAY + timedelta(hours=9))
    report = mail.send_outbox(w.store, settings)
    assert report.sent == 2 and not report.problems
    assert inbox.recipients == [["ana@example.com"], ["ana@example.com"]]
    for message in inbox.messages:
        raw = message.as_string()
        # the name stays a quoted display name: one address, Ana's
        assert [a.addr_spec for a in message["To"].addresses] == ["ana@example.com"]
        assert message["Bcc"] is None and message["X-Injected"] is None
        assert "\n" not in message["Subject"] and len(message["Subject"]) <= 250
        assert "<script>" not in html_of(message) and "&lt;script&gt;" in html_of(message)
        assert len(raw) < 30_000
        assert text_of(message).startswith("Hello Eve Bcc: attacker@evil.example X-Injected")
        (event,) = calendar_of(message).walk("VEVENT")
        assert "\n" not in str(event["summary"]) and len(str(event["summary"])) <= 250


def test_hostile_names_in_reminders_and_the_status_listing(hostile_world):
    w, inbox, settings = hostile_world
    outbox.queue_due_reminders(w.store, DAY + timedelta(hours=6))
    outbox.remind(w.store, w.coordinator, w.seats["bo"], now=DAY + timedelta(hours=7))
    mail.send_outbox(w.store, settings)
    assert inbox.messages
    for message in inbox.messages:
        assert "\n" not in message["Subject"] and message["Bcc"] is None
        assert len(message.as_string()) < 30_000
    for shown in outbox.messages(w.store, w.coordinator, w.opening_id):
        assert "\n" not in shown.subject and "\n" not in shown.to
