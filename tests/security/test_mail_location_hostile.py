"""A hostile place or video link in the mail: line breaks cannot add an iCalendar property (a
second attendee, another organiser, an alarm) or a mail header, Markdown and HTML in it stay
text, and a megabyte of it makes neither a megabyte message nor a cut that hides the rest. The
location is written past the forms (an old import, a hand edit) and the messages are sent
through a real SMTP server and parsed back as a calendar would."""

from __future__ import annotations

from datetime import timedelta
from mailbox import calendar_of, html_of, secrets_file, smtp_server, text_of

import pytest

from scoring import mail, outbox
from scoring.store import now_utc
from world import DAY, build

HOSTILE_PLACE = (
    "Room 1\r\nATTENDEE;CN=Eve:mailto:eve@evil.example\r\nORGANIZER:mailto:eve@evil.example"
    "\nEND:VEVENT\nBEGIN:VALARM\nTRIGGER:-PT5M\r\nBcc: eve@evil.example\r\nX-Injected: yes"
    "\u2028**bold** [click](https://evil.example) <script>alert(1)</script>"
    "<a href='https://evil.example'>here</a>" + "x" * 1_000_000
)


@pytest.fixture
def hostile_place(tmp_path, monkeypatch):
    with smtp_server() as (inbox, port):
        path = secrets_file(tmp_path, port)
        monkeypatch.setenv("DEBRIEF_SECRETS", str(path))
        w = build(tmp_path / "w.sqlite")
        with w.store.write() as db:
            db.execute("UPDATE outbox SET state = 'sent'")  # the build's own messages
            session_id = db.execute(
                "SELECT session_id FROM assignments WHERE id = ?", [w.seats["ana"]]
            ).fetchone()[0]
            db.execute(
                "UPDATE interview_sessions SET location = ? WHERE id = ?",
                [HOSTILE_PLACE, session_id],
            )
            outbox.queue_session_mail(db, session_id, "invitation", now_utc(), w.coordinator.id)
            db.execute(
                "UPDATE interview_sessions SET calendar_sequence = calendar_sequence + 1,"
                " starts_at = ?, ends_at = ? WHERE id = ?",
                [
                    (DAY + timedelta(hours=5)).isoformat(),
                    (DAY + timedelta(hours=5, minutes=30)).isoformat(),
                    session_id,
                ],
            )
            outbox.queue_session_mail(
                db,
                session_id,
                "update",
                now_utc(),
                w.coordinator.id,
                before=DAY + timedelta(hours=1),
                location_before=HOSTILE_PLACE,
            )
        yield w, inbox, mail.mail_settings(path)


def test_a_hostile_place_adds_no_calendar_line_no_header_and_no_markup(hostile_place):
    w, inbox, settings = hostile_place
    report = mail.send_outbox(w.store, settings)
    assert report.sent == 2 and not report.problems
    assert inbox.recipients == [["ana@example.com"], ["ana@example.com"]]
    for message in inbox.messages:
        # the mail: one recipient, no header from the place, its words escaped, a sane size
        assert [a.addr_spec for a in message["To"].addresses] == ["ana@example.com"]
        assert message["Bcc"] is None and message["X-Injected"] is None
        assert "\n" not in message["Subject"] and len(message["Subject"]) <= 250
        assert "<script>" not in html_of(message) and "&lt;script&gt;" in html_of(message)
        assert "<a href='https://evil.example'>" not in html_of(message)
        assert "<strong>" not in html_of(message) and "**bold**" in html_of(message)
        assert len(message.as_string()) < 30_000
        (where,) = [line for line in text_of(message).splitlines() if "Room 1" in line]
        assert where.startswith("Where: Room 1 ATTENDEE;CN=Eve:mailto:eve@evil.example")

        # the calendar: one event, Ana the one attendee, Cora the organiser, no alarm
        calendar = calendar_of(message)
        (event,) = calendar.walk("VEVENT")
        assert not calendar.walk("VALARM")
        assert str(event["attendee"]) == "mailto:ana@example.com"
        assert str(event["organizer"]) == "mailto:cora@example.com"
        location = str(event["location"])
        assert location.startswith("Room 1 ATTENDEE;CN=Eve:mailto:eve@evil.example ORGANIZER")
        assert "\n" not in location and "\r" not in location
        assert len(location) <= outbox.LOCATION_LIMIT and location.endswith("…")
        # no unfolded line of the file begins with anything the place wrote
        (part,) = [p for p in message.walk() if p.get_content_type() == "text/calendar"]
        lines = part.get_content().replace("\r\n ", "").splitlines()
        assert [ln for ln in lines if ln.startswith("ATTENDEE")] == [
            ln for ln in lines if ln.startswith("ATTENDEE") and "ana@example.com" in ln
        ]
        assert not [ln for ln in lines if ln.startswith(("BEGIN:VALARM", "TRIGGER", "Bcc"))]
        assert sum(ln == "END:VEVENT" for ln in lines) == 1


def test_the_status_listing_shows_the_hostile_place_as_one_line_of_text(hostile_place):
    w, _, _ = hostile_place
    for shown in outbox.messages(w.store, w.coordinator, w.opening_id):
        assert "\n" not in shown.subject and "\n" not in shown.to
        assert len(shown.text) < 5_000
