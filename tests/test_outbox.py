"""Email through a real SMTP server: the outbox is written with each event and delivered once."""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
from datetime import timedelta
from mailbox import event_of, html_of, text_of

import pytest

from scoring import debrief, mail, openings, outbox, scorecards
from scoring.cli import main
from scoring.errors import InvalidInput, NotAllowed
from scoring.store import now_utc
from world import DAY, ROOT, build, session_of, submit

STATUS_ONLY = "Only the coordinator and the opening's hiring manager see its status"


def outbox_rows(w, **where):
    clause = " AND ".join(f"{k} = ?" for k in where) or "1 = 1"
    with w.store.read() as db:
        return db.execute(
            f"SELECT * FROM outbox WHERE {clause} ORDER BY id", list(where.values())
        ).fetchall()


def test_each_interviewer_gets_an_invitation_with_a_calendar_entry(tmp_path, server):
    inbox, settings = server
    w = build(tmp_path / "w.sqlite")
    report = mail.send_outbox(w.store, settings)
    assert report.sent == 3 and not report.problems
    (ana,) = inbox.to("ana@example.com")
    assert ana["Subject"].startswith("Interview: Candidate presentation with Q&A with Grace Hopper")
    event = event_of(ana)
    assert event.decoded("dtstart") == DAY + timedelta(hours=1)
    assert event.decoded("dtend") == DAY + timedelta(hours=1, minutes=30)
    assert str(event["attendee"]) == "mailto:ana@example.com"
    assert str(event["organizer"]) == "mailto:cora@example.com"
    assert int(event["sequence"]) == 0
    scorecard = f"https://debrief.example.com/scorecard?assignment={w.seats['ana']}"
    assert scorecard in text_of(ana) and str(event["url"]) == scorecard
    assert f'href="{scorecard}"' in html_of(ana)
    # sent once: a second run has nothing to do
    assert mail.send_outbox(w.store, settings).sent == 0
    assert len(inbox.messages) == 3


def test_a_move_updates_the_same_calendar_entry(tmp_path, server):
    inbox, settings = server
    w = build(tmp_path / "w.sqlite")
    mail.send_outbox(w.store, settings)
    first = event_of(inbox.to("ana@example.com")[0])
    later = DAY + timedelta(hours=5)
    openings.move_session(w.store, w.coordinator, session_of(w, "ana"), later)
    mail.send_outbox(w.store, settings)
    moved = inbox.to("ana@example.com")[1]
    assert moved["Subject"].startswith("Moved: ")
    event = event_of(moved)
    assert str(event["uid"]) == str(first["uid"])
    assert int(event["sequence"]) == 1
    assert event.decoded("dtstart") == later
    assert "was Fri 20 Nov 2026 10:00 UTC" in text_of(moved)
    # only Ana's session moved: nobody else was written to
    assert len(inbox.messages) == 4


def test_a_cancellation_removes_the_calendar_entry(tmp_path, server):
    inbox, settings = server
    w = build(tmp_path / "w.sqlite")
    mail.send_outbox(w.store, settings)
    uid = str(event_of(inbox.to("bo@example.com")[0])["uid"])
    openings.cancel_session(w.store, w.coordinator, session_of(w, "bo"))
    mail.send_outbox(w.store, settings)
    cancel = inbox.to("bo@example.com")[1]
    assert cancel["Subject"].startswith("Cancelled: ")
    (part,) = [p for p in cancel.walk() if p.get_content_type() == "text/calendar"]
    assert part.get_param("method") == "CANCEL"
    event = event_of(cancel)
    assert str(event["uid"]) == uid and str(event["status"]) == "CANCELLED"
    assert int(event["sequence"]) == 1


def test_a_swapped_interviewer_is_uninvited_and_the_new_one_invited(tmp_path, server):
    inbox, settings = server
    w = build(tmp_path / "w.sqlite")
    mail.send_outbox(w.store, settings)
    uid = str(event_of(inbox.to("ana@example.com")[0])["uid"])
    openings.replace_interviewer(w.store, w.coordinator, w.seats["ana"], w.outsider.id)
    mail.send_outbox(w.store, settings)
    (gone,) = inbox.to("ana@example.com")[1:]
    (new,) = inbox.to("oz@example.com")
    assert str(event_of(gone)["uid"]) == uid == str(event_of(new)["uid"])
    assert "given it to another interviewer" in text_of(gone)
    assert new["Subject"].startswith("Interview: ")


def test_due_and_overdue_reminders_are_sent_exactly_once(tmp_path, server):
    inbox, settings = server
    w = build(tmp_path / "w.sqlite")
    mail.send_outbox(w.store, settings)
    submit(w, "cy", 4)  # Cy is in; Ana and Bo are not
    after = DAY + timedelta(hours=6)
    for _ in range(3):
        outbox.queue_due_reminders(w.store, after)
        mail.send_outbox(w.store, settings)
    due = [m for m in inbox.messages if m["Subject"].startswith("Your scorecard is due")]
    assert sorted(str(m["To"]) for m in due) == [
        "Ana Alvarez <ana@example.com>",
        "Bo Berg <bo@example.com>",
    ]
    link = f"https://debrief.example.com/scorecard?assignment={w.seats['ana']}"
    assert link in text_of(inbox.to("ana@example.com")[-1])
    two_days = DAY + timedelta(days=2)
    for _ in range(3):
        outbox.queue_due_reminders(w.store, two_days)
        mail.send_outbox(w.store, settings)
    overdue = [m for m in inbox.messages if m["Subject"].startswith("Overdue: ")]
    assert len(overdue) == 2
    # the status board says when each was last reminded
    board = {s.interviewer_name: s for s in scorecards.status_board(w.store, w.coordinator, 1)}
    assert board["Ana Alvarez"].last_reminded_at is not None
    assert board["Cy Chen"].last_reminded_at is None


def test_the_remind_button_nudges_one_interviewer(tmp_path, server):
    inbox, settings = server
    w = build(tmp_path / "w.sqlite")
    outbox.remind(w.store, w.coordinator, w.seats["bo"], now=DAY + timedelta(hours=7))
    outbox.remind(w.store, w.manager, w.seats["bo"], now=DAY + timedelta(hours=7))  # same minute
    mail.send_outbox(w.store, settings)
    nudges = [m for m in inbox.messages if m["Subject"].startswith("Reminder: ")]
    assert [str(m["To"]) for m in nudges] == ["Bo Berg <bo@example.com>"]
    assert "Cora Ordinator asks for your scorecard" in text_of(nudges[0])
    submit(w, "bo", 3)
    with pytest.raises(InvalidInput, match="This scorecard is already in"):
        outbox.remind(w.store, w.coordinator, w.seats["bo"])
    with pytest.raises(NotAllowed, match=STATUS_ONLY):
        outbox.remind(w.store, w.ana, w.seats["bo"])


def test_ready_to_debrief_and_the_decision_say_nothing_of_scores(tmp_path, server):
    inbox, settings = server
    w = build(tmp_path / "w.sqlite")
    for who, overall in (("ana", 5), ("bo", 4)):
        submit(w, who, overall)
    assert not [m for m in outbox_rows(w, kind="ready")]
    submit(w, "cy", 1)
    mail.send_outbox(w.store, settings)
    (ready,) = [m for m in inbox.messages if "ready to debrief" in m["Subject"]]
    assert str(ready["To"]) == "Maria Manager <maria@example.com>"
    assert "All 3 scorecards for Grace Hopper" in text_of(ready)
    assert f"/debrief?candidate={w.candidate_id}" in text_of(ready)

    debrief.open_debrief(w.store, w.manager, w.candidate_id)
    decision = debrief.record_decision(
        w.store, w.manager, w.candidate_id, "hire", "Strong panel", True
    )
    queued = outbox_rows(w, kind="decision")  # by record_decision, in its transaction
    assert len(queued) == 4
    # Calling the hook again queues nothing twice.
    with w.store.write() as db:
        outbox.queue_decision(db, w.candidate_id, decision.id, now_utc())
    assert len(outbox_rows(w, kind="decision")) == 4
    mail.send_outbox(w.store, settings)
    decided = [m for m in inbox.messages if m["Subject"].startswith("Decision recorded")]
    by_person = {str(m["To"]).split("<")[1].rstrip(">"): m for m in decided}
    assert sorted(by_person) == [
        "ana@example.com",
        "bo@example.com",
        "cy@example.com",
        "mo@example.com",
    ]
    assert by_person["mo@example.com"]["Subject"].endswith("— Hire")
    for interviewer in ("ana", "bo", "cy"):
        message = by_person[f"{interviewer}@example.com"]
        whole = message.as_string()
        assert "Hire" not in message["Subject"] and "Hire" not in text_of(message)
        assert "hire" not in text_of(message).lower().replace("hiring", "")
        assert "Strong panel" not in whole
    for message in inbox.messages:  # not one message carries a score or feedback
        assert "thinks" not in message.as_string()
        assert "Strong panel" not in message.as_string()


def test_failures_are_retried_with_backoff_and_recorded(tmp_path, server):
    inbox, settings = server
    w = build(tmp_path / "w.sqlite")
    inbox.answer = lambda m: (
        "550 5.1.1 no such mailbox"
        if "cy@" in str(m["To"])
        else ("451 4.7.1 try later" if "bo@" in str(m["To"]) else None)
    )
    report = mail.send_outbox(w.store, settings)
    assert (report.sent, report.retried, report.failed) == (1, 1, 1)
    by_to = {r["to_address"]: r for r in outbox_rows(w)}
    assert by_to["cy@example.com"]["state"] == "failed"
    assert "550" in by_to["cy@example.com"]["last_error"]
    bo = by_to["bo@example.com"]
    assert (bo["state"], bo["attempts"]) == ("queued", 1) and "451" in bo["last_error"]
    assert mail.send_outbox(w.store, settings).sent == 0  # not due again yet
    inbox.answer = None
    later = lambda: now_utc() + mail.backoff(1) + timedelta(seconds=1)  # noqa: E731
    assert mail.send_outbox(w.store, settings, now=later).sent == 1
    assert [str(m["To"]) for m in inbox.messages].count("Bo Berg <bo@example.com>") == 1


@pytest.mark.process
def test_a_sender_killed_mid_batch_then_run_again_sends_each_once(tmp_path, server):
    inbox, _ = server
    w = build(tmp_path / "w.sqlite")
    for when in (5, 6, 7):  # three more sessions moved: six messages in all
        openings.move_session(
            w.store, w.coordinator, session_of(w, "ana"), DAY + timedelta(hours=when)
        )
    inbox.hold_at = 4  # the server holds the fourth message, unaccepted
    secrets = tmp_path / "secrets.toml"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    sender = subprocess.Popen(
        [sys.executable, "-m", "scoring", "send", "--db", w.store.location, "--secrets", secrets],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert inbox.holding.wait(30), "the sender never reached the fourth message"
    sender.send_signal(signal.SIGKILL)
    sender.wait(10)
    inbox.release.set()
    assert len(inbox.messages) == 3
    states = [r["state"] for r in outbox_rows(w)]
    assert states == ["sent"] * 3 + ["sending"] + ["queued"] * 2
    out = io.StringIO()
    assert main(["send", "--db", w.store.location, "--secrets", str(secrets)], out) == 0
    assert "3 sent" in out.getvalue() and "1 given back" in out.getvalue()
    ids = sorted(m["Message-ID"] for m in inbox.messages)
    assert len(ids) == 6 == len(set(ids))
    assert [r["state"] for r in outbox_rows(w)] == ["sent"] * 6


def test_remind_and_send_on_the_command_line(tmp_path, server):
    inbox, _ = server
    w = build(tmp_path / "w.sqlite")
    out, err = io.StringIO(), io.StringIO()
    assert main(["remind", "--db", w.store.location], out, err) == 0
    assert "queued" in out.getvalue()
    secrets = str(tmp_path / "secrets.toml")
    assert main(["send", "--db", w.store.location, "--secrets", secrets], out, err) == 0
    assert len(inbox.messages) >= 3


def test_without_settings_mail_is_off_and_nothing_is_lost(tmp_path, monkeypatch):
    monkeypatch.setenv("DEBRIEF_SECRETS", str(tmp_path / "none.toml"))
    assert mail.mail_settings() is None
    w = build(tmp_path / "w.sqlite")
    err = io.StringIO()
    assert main(["send", "--db", w.store.location], io.StringIO(), err) == 2
    assert "mail is off" in err.getvalue() and "3 messages wait" in err.getvalue()
    shown = outbox.messages(w.store, w.coordinator, w.opening_id)
    assert len(shown) == 3 and all(m.state == "queued" for m in shown)


def test_bad_settings_name_the_key(tmp_path):
    path = tmp_path / "secrets.toml"
    path.write_text('[smtp]\nhost = "x"\nsecurity = "tls"\nfrom = "a@b.c"\n')
    with pytest.raises(mail.SettingsProblem, match=r"\[smtp\] security"):
        mail.mail_settings(path)
    path.write_text('[smtp]\nhost = "x"\n')
    with pytest.raises(mail.SettingsProblem, match=r"\[smtp\] from"):
        mail.mail_settings(path)
    path.write_text('[smtp]\nhost = "x"\nsecurity = "ssl"\nfrom = "a@b.c"\n')
    assert mail.mail_settings(path).port == 465


def test_status_shows_who_is_missing_and_the_remind_button_queues_a_reminder(tmp_path, monkeypatch):
    from world import page_as

    monkeypatch.setenv("DEBRIEF_SECRETS", str(tmp_path / "none.toml"))
    w = build(tmp_path / "w.sqlite")
    submit(w, "cy", 4)
    at = page_as(w, "coordinator", "pages/status.py", monkeypatch)
    # the window of session dates around the world's day, whenever the test runs
    at.date_input(key=f"status_window_{w.opening_id}").set_value((DAY.date(), DAY.date())).run()
    shown = " ".join(m.value for m in at.markdown)
    assert "Ana Alvarez" in shown and "not reminded yet" in shown
    assert "Mail is off" in " ".join(i.value for i in at.info)
    at.button(key=f"remind_{w.seats['ana']}").click().run()
    assert not at.exception
    shown = " ".join(m.value for m in at.markdown)
    assert "last reminded" in shown
    assert [r["to_address"] for r in outbox_rows(w, kind="reminder")] == ["ana@example.com"]
