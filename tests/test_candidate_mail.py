"""What candidates are told (issue 27): their interview day with the names, the breaks and the
day's length, in a calendar whose entries a resend updates; every message in their record; and
the sender delivering a candidate's message once, at its time, and only while it still fits."""

from __future__ import annotations

from datetime import timedelta
from mailbox import calendar_of, html_of, text_of

import pytest
from take_home_world import DAYS, SENT_AT, build_take_home, to_candidate

from scoring import candidate_mail, candidates, mail, schedule_changes, take_homes
from scoring.candidate_mail import NO_EMAIL
from scoring.errors import InvalidInput, NotAllowed
from scoring.outbox import withheld_row
from world import DAY, build, dump, raw_sql, session_of, submit

BEFORE = DAY - timedelta(days=1)
DAY_LINES = [
    "10:00-10:30 UTC: Candidate presentation with Q&A, with Ana Alvarez",
    "10:30-11:00: break (30 minutes)",
    "11:00-11:30 UTC: General data science technical questions, with Bo Berg",
    "11:30-12:00: break (30 minutes)",
    "12:00-13:00 UTC: Coding session, with Cy Chen",
]


def send_day(w, at=BEFORE):
    return candidate_mail.send_schedule(w.store, w.coordinator, w.candidate_id, now=at)


def alias_of(w):
    return candidates.get_candidate(w.store, w.coordinator, w.candidate_id).alias


def test_the_schedule_lists_the_names_the_breaks_and_the_length_and_goes_once(tmp_path, server):
    inbox, settings = server
    w = build(tmp_path / "w.sqlite")
    send_day(w)
    mail.send_outbox(w.store, settings)
    assert mail.send_outbox(w.store, settings).sent == 0
    (message,) = inbox.to("grace@example.com")
    assert message["Subject"] == "Your interview day for Data scientist, Fri 20 Nov 2026"
    text = text_of(message).replace("\r\n", "\n")
    assert "\n".join(f"- {line}" for line in DAY_LINES) in text
    assert "Your day lasts 3 h, from 10:00 to 13:00 UTC, with 2 breaks (1 h in all)." in text
    assert "Your contact for the day is Cora Ordinator (cora@example.com)" in text
    assert "ask for a break at any time" in text
    assert "<li>10:30-11:00: break (30 minutes)</li>" in html_of(message)
    # Nothing internal: no alias, no score, no scale, no link into Debrief.
    for internal in (alias_of(w), "score", "Strong", "debrief.example.com"):
        assert internal not in text
    calendar = calendar_of(message)
    assert str(calendar["method"]) == "PUBLISH"
    events = calendar.walk("VEVENT")
    assert [e.decoded("dtstart") for e in events] == [DAY + timedelta(hours=h) for h in (1, 2, 3)]
    assert all(str(e["uid"]).startswith("candidate-") and "attendee" not in e for e in events)
    assert {int(e["sequence"]) for e in events} == {0}
    # Not the interviewers' entries: their invitations keep theirs.
    theirs = {
        str(calendar_of(m).walk("VEVENT")[0]["uid"]) for m in inbox.messages if m is not message
    }
    assert theirs and not theirs & {str(e["uid"]) for e in events}


def test_a_resend_updates_the_entries_and_cancels_a_session_no_longer_on_the_day(tmp_path, server):
    inbox, settings = server
    w = build(tmp_path / "w.sqlite")
    send_day(w)
    mail.send_outbox(w.store, settings)
    first = {str(e["uid"]): e for e in calendar_of(inbox.to("grace@")[0]).walk("VEVENT")}
    schedule_changes.move_session(
        w.store, w.coordinator, session_of(w, "cy"), DAY + timedelta(hours=4), now=BEFORE
    )
    schedule_changes.cancel_session(w.store, w.coordinator, session_of(w, "bo"), now=BEFORE)
    send_day(w)
    mail.send_outbox(w.store, settings)
    second = inbox.to("grace@")[1]
    assert second["Subject"].startswith("Updated: Your interview day")
    text = text_of(second).replace("\r\n", "\n")
    assert "It replaces the schedule we sent you before" in text
    assert "No longer on your day:" in text
    assert "- Fri 20 Nov, 11:00-11:30 UTC: General data science technical questions" in text
    assert "13:00-14:00 UTC: Coding session, with Cy Chen" in text
    events = {str(e["uid"]): e for e in calendar_of(second).walk("VEVENT")}
    assert set(events) == set(first)  # the same entries, updated
    assert {int(e["sequence"]) for e in events.values()} == {1}
    cancelled = [e for e in events.values() if str(e["status"]) == "CANCELLED"]
    assert [c.decoded("dtstart") for c in cancelled] == [DAY + timedelta(hours=2)]


def test_the_schedule_is_refused_without_a_day_an_email_or_a_candidate(tmp_path):
    w = build(tmp_path / "w.sqlite")
    no_email = candidates.add_candidate(w.store, w.coordinator, w.opening_id, "Ada Byron")
    no_day = candidates.add_candidate(w.store, w.coordinator, w.opening_id, "Al Kh", "al@ex.org")
    before = dump(w.store)
    with pytest.raises(InvalidInput, match=f"^{NO_EMAIL}$"):
        candidate_mail.send_schedule(w.store, w.coordinator, no_email, now=BEFORE)
    with pytest.raises(InvalidInput, match=r"^schedule: no session"):
        candidate_mail.send_schedule(w.store, w.coordinator, no_day, now=BEFORE)
    with pytest.raises(InvalidInput, match=r"^schedule: this candidate's day is over"):
        send_day(w, DAY + timedelta(days=1))
    for who in ("manager", "ana"):
        with pytest.raises(NotAllowed, match=r"coordinator"):
            candidate_mail.send_schedule(w.store, w.person(who), w.candidate_id, now=BEFORE)
    assert dump(w.store) == before
    schedule_changes.withdraw_candidate(w.store, w.coordinator, w.candidate_id, "took another")
    with pytest.raises(InvalidInput, match=r"^candidate: This candidate has withdrawn"):
        send_day(w)


def test_every_message_to_a_candidate_is_in_their_record(tmp_path, server):
    _, settings = server
    w = build(tmp_path / "w.sqlite")
    assert candidate_mail.messages_to(w.store, w.coordinator, w.candidate_id) == []
    send_day(w)
    (queued,) = candidate_mail.messages_to(w.store, w.manager, w.candidate_id)
    assert (queued.kind, queued.state, queued.sent_at) == ("schedule", "queued", None)
    assert queued.subject.startswith("Your interview day") and queued.created_at == BEFORE
    mail.send_outbox(w.store, settings)
    (sent,) = candidate_mail.messages_to(w.store, w.coordinator, w.candidate_id)
    assert sent.state == "sent" and sent.sent_at is not None and sent.withdrawn is None
    for who in ("ana", "member", "outsider"):
        # Ana still has her scorecard to write: blind first, then not hers to read at all
        refused = r"coordinator and the opening's hiring manager|Submit your own scorecard"
        with pytest.raises(NotAllowed, match=refused):
            candidate_mail.messages_to(w.store, w.person(who), w.candidate_id)


def test_a_hiring_manager_who_sees_only_the_alias_reads_the_alias_in_the_record(tmp_path):
    w = build(tmp_path / "w.sqlite", anonymise=True, manager_interviews=True)
    send_day(w)
    with pytest.raises(NotAllowed, match="Submit your own scorecard"):  # blind till theirs is in
        candidate_mail.messages_to(w.store, w.manager, w.candidate_id)
    submit(w, "manager", 4)
    (message,) = candidate_mail.messages_to(w.store, w.manager, w.candidate_id)
    assert "Grace" not in message.text and f"Hello {alias_of(w)}," in message.text
    (message,) = candidate_mail.messages_to(w.store, w.coordinator, w.candidate_id)
    assert "Hello Grace Hopper," in message.text


def test_a_candidates_message_is_judged_by_the_candidate_not_by_a_missing_person(tmp_path):
    w = build(tmp_path / "w.sqlite")
    send_day(w)
    (row,) = to_candidate(w.store, w.candidate_id)
    assert row["recipient_id"] is None and row["to_address"] == "grace@example.com"
    with w.store.read() as db:
        assert withheld_row(db, row) is None
    schedule_changes.withdraw_candidate(w.store, w.coordinator, w.candidate_id, "took another")
    with w.store.read() as db:
        assert withheld_row(db, row) == "the candidate has withdrawn"
    # Erased: whatever the message, it no longer goes.
    raw_sql(w, "UPDATE candidates SET email = '' WHERE id = ?", w.candidate_id)
    with w.store.read() as db:
        for kind in ("schedule", "feedback", "take_home_feedback"):
            erased = withheld_row(db, {**dict(row), "kind": kind})
            assert erased == "the candidate's email is no longer in Debrief"


def test_a_schedule_queued_before_a_withdrawal_is_not_sent(tmp_path, server):
    inbox, settings = server
    w = build(tmp_path / "w.sqlite")
    send_day(w)
    schedule_changes.withdraw_candidate(w.store, w.coordinator, w.candidate_id, "took another")
    mail.send_outbox(w.store, settings)
    assert inbox.to("grace@") == []
    (row,) = to_candidate(w.store, w.candidate_id)
    assert (row["state"], row["last_error"]) == ("failed", "withdrawn: the candidate has withdrawn")


def test_the_take_home_reminder_goes_at_its_time_once(tmp_path, server):
    inbox, settings = server
    t = build_take_home(tmp_path / "t.sqlite")
    take_homes.send_take_home(t.store, t.w.coordinator, t.candidate_id, "churn.zip", now=SENT_AT)
    deadline = SENT_AT + timedelta(days=DAYS)
    mail.send_outbox(t.store, settings, now=lambda: SENT_AT + timedelta(minutes=1))
    (assignment,) = inbox.to("lin@example.com")
    assert assignment["Subject"] == "Your take-home assignment for Data scientist (take-home)"
    assert "about 3 hours" in text_of(assignment)
    mail.send_outbox(t.store, settings, now=lambda: deadline - timedelta(hours=25))
    assert len(inbox.to("lin@")) == 1  # not yet
    for _ in range(2):
        mail.send_outbox(t.store, settings, now=lambda: deadline - timedelta(hours=23))
    _, reminder = inbox.to("lin@")
    assert len(inbox.to("lin@")) == 2
    assert reminder["Subject"].startswith("Reminder: your take-home for Data scientist")


def test_no_reminder_once_the_answer_is_in_or_after_a_withdrawal(tmp_path, server):
    inbox, settings = server
    deadline = SENT_AT + timedelta(days=DAYS)
    answered = build_take_home(tmp_path / "a.sqlite", email="lin@example.com")
    gone = build_take_home(tmp_path / "b.sqlite", email="lin@example.org")
    for t in (answered, gone):
        take_homes.send_take_home(
            t.store, t.w.coordinator, t.candidate_id, "churn.zip", now=SENT_AT
        )
        mail.send_outbox(t.store, settings, now=lambda: SENT_AT + timedelta(minutes=1))
    take_homes.record_submission(
        answered.store, answered.w.coordinator, answered.candidate_id, "answer.zip", now=SENT_AT
    )
    schedule_changes.withdraw_candidate(gone.store, gone.w.coordinator, gone.candidate_id, "left")
    for t in (answered, gone):
        mail.send_outbox(t.store, settings, now=lambda: deadline)
    assert [m["Subject"].split(" ")[0] for m in inbox.messages] == ["Your", "Your"]
    (reminder,) = [
        r for r in to_candidate(gone.store, gone.candidate_id) if "reminder" in r["kind"]
    ]
    assert reminder["last_error"] == "withdrawn: the candidate has withdrawn"
