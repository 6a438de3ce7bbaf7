"""Mail only to people who still hold the role (issue 22, attack 4): an interviewer deactivated
and a hiring manager's role removed got 3 new reminders from `remind` and 30 messages naming
candidates from `send`. Now every message is checked when it is queued, when its recipient is
deactivated or their roles change (`outbox.recheck_mail`), and again by the sender just before
it goes. Through a real SMTP server, on a real SQLite file; nothing is mocked."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest

from scoring import debrief, mail, openings, outbox, people
from scoring.cli import main
from scoring.errors import InvalidInput
from world import DAY, build, page_as, session_of, submit

AFTER = DAY + timedelta(hours=6)  # every session of the world has ended
TWO_DAYS = DAY + timedelta(days=2)  # and every missing scorecard is overdue


def rows_to(w, person) -> list:
    with w.store.read() as db:
        return db.execute(
            "SELECT * FROM outbox WHERE recipient_id = ? ORDER BY id", [person.id]
        ).fetchall()


def audit_entries(w, action: str) -> list:
    with w.store.read() as db:
        return db.execute(
            "SELECT * FROM audit_log WHERE action = ? ORDER BY id", [action]
        ).fetchall()


def deactivate(w, person) -> None:
    people.set_active(w.store, w.coordinator, person.id, False)


def set_roles(w, person, roles: list[str]) -> None:
    people.update_person(w.store, w.coordinator, person.id, roles=roles)


def decided_world(tmp_path):
    """Every scorecard in ("ready to debrief" queued for Maria), the debrief open and a hire
    recorded (the decision queued for the panel, and with its outcome for Mo, the committee)."""
    w = build(tmp_path / "w.sqlite")
    for who, overall in (("ana", 5), ("bo", 4), ("cy", 4)):
        submit(w, who, overall)
    debrief.open_debrief(w.store, w.manager, w.candidate_id)
    debrief.record_decision(w.store, w.manager, w.candidate_id, "hire", "Strong panel", True)
    return w


# --------------------------------------------------------------------- a deactivated interviewer


def test_a_deactivated_interviewer_gets_nothing_from_remind_or_send(tmp_path, server):
    inbox, settings = server
    w = build(tmp_path / "w.sqlite")
    mail.send_outbox(w.store, settings)  # the three invitations
    assert len(inbox.to("ana@example.com")) == 1
    outbox.queue_due_reminders(w.store, AFTER)  # "due" for Ana, Bo and Cy: queued, not sent
    deactivate(w, w.ana)

    # queued before: withdrawn at once, with the reason and an audit entry
    (due,) = [r for r in rows_to(w, w.ana) if r["kind"] == "due"]
    assert (due["state"], due["last_error"]) == (
        "failed",
        "withdrawn: Ana Alvarez is no longer active",
    )
    (entry,) = audit_entries(w, "withdraw_mail")
    assert entry["subject"] == f"person:{w.ana.id}" and entry["actor_id"] == w.coordinator.id

    # new reminders: none for her, from the sweep or from either button
    assert outbox.queue_due_reminders(w.store, TWO_DAYS) == 2  # Bo's and Cy's overdue
    with pytest.raises(InvalidInput, match="Nothing sent: Ana Alvarez is no longer active"):
        outbox.remind(w.store, w.coordinator, w.seats["ana"], now=TWO_DAYS)
    everyone = outbox.remind_overdue(
        w.store, w.coordinator, w.opening_id, DAY, DAY + timedelta(days=1), now=TWO_DAYS
    )
    assert (everyone.queued, everyone.already, everyone.left_out) == (0, 2, 1)
    # a cancellation is not written to her either
    openings.cancel_session(w.store, w.coordinator, session_of(w, "ana"))

    secrets = str(tmp_path / "secrets.toml")  # written by the `server` fixture
    assert main(["send", "--db", w.store.location, "--secrets", secrets], io.StringIO()) == 0
    (invitation,) = inbox.to("ana@example.com")  # the one sent before she left
    assert invitation["Subject"].startswith("Interview: ")
    for other in ("bo@example.com", "cy@example.com"):
        subjects = [m["Subject"] for m in inbox.to(other)]
        assert any(s.startswith("Your scorecard is due") for s in subjects)
        assert any(s.startswith("Overdue: ") for s in subjects)
    assert [r["state"] for r in rows_to(w, w.ana)] == ["sent", "failed"]


def test_queued_before_a_deactivation_nothing_goes_out_whoever_withdraws_it(tmp_path, server):
    """Only people.set_active is called: whether it withdraws the messages itself (once it calls
    `recheck_mail`) or the sender finds them when it claims them, Bo gets nothing."""
    inbox, settings = server
    w = build(tmp_path / "w.sqlite")  # three invitations queued
    outbox.queue_due_reminders(w.store, AFTER)
    people.set_active(w.store, w.coordinator, w.bo.id, False)  # nothing else called

    report = mail.send_outbox(w.store, settings)
    assert inbox.to("bo@example.com") == []
    assert (report.sent, report.failed) == (4, 0)
    assert {r["last_error"] for r in rows_to(w, w.bo)} == {"withdrawn: Bo Berg is no longer active"}
    assert audit_entries(w, "withdraw_mail")
    # withdrawn is final: another run sends nothing more
    assert mail.send_outbox(w.store, settings).sent == 0


def test_an_interviewer_whose_role_is_removed_is_not_invited_nor_reminded(tmp_path, server):
    inbox, settings = server
    w = build(tmp_path / "w.sqlite")
    set_roles(w, w.cy, [])  # still active, no longer an interviewer
    outbox.queue_due_reminders(w.store, AFTER)
    mail.send_outbox(w.store, settings)
    assert inbox.to("cy@example.com") == []
    assert {r["last_error"] for r in rows_to(w, w.cy)} == {
        "withdrawn: Cy Chen is no longer an interviewer"
    }


# ------------------------------------------------- a hiring manager and a committee member removed


def test_removed_roles_get_neither_ready_to_debrief_nor_the_decision(tmp_path, server):
    inbox, settings = server
    w = decided_world(tmp_path)
    set_roles(w, w.manager, ["interviewer"])  # no longer a hiring manager
    set_roles(w, w.member, [])  # no longer a committee member

    report = mail.send_outbox(w.store, settings)
    assert inbox.to("maria@example.com") == [] and inbox.to("mo@example.com") == []
    (ready,) = rows_to(w, w.manager)
    assert ready["kind"] == "ready" and ready["last_error"] == (
        "withdrawn: Maria Manager is no longer the hiring manager of this opening"
    )
    (decision,) = rows_to(w, w.member)
    assert decision["kind"] == "decision" and decision["last_error"] == (
        "withdrawn: Mo Member no longer interviews, decides or votes on this candidate"
    )
    # the panel still hears that a decision is recorded, without the outcome
    for who in ("ana", "bo", "cy"):
        (told,) = [m for m in inbox.to(f"{who}@example.com") if "Decision" in m["Subject"]]
        assert "Hire" not in told["Subject"]
    assert report.withdrawn == 0  # recheck_mail withdrew them before the sender ran


def test_the_outcome_goes_only_to_who_may_see_it_when_it_is_sent(tmp_path, server):
    """Mo leaves the opening's committee (the Openings page) with "Decision recorded — Hire"
    queued: the sender finds he may no longer see the decision and does not send it."""
    inbox, settings = server
    w = decided_world(tmp_path)
    openings.edit_opening(w.store, w.coordinator, w.opening_id, committee_ids=[])
    report = mail.send_outbox(w.store, settings)
    assert inbox.to("mo@example.com") == []
    (decision,) = rows_to(w, w.member)
    assert decision["last_error"] == (
        "withdrawn: Mo Member no longer interviews, decides or votes on this candidate"
    )
    # the sender withdrew it, by nobody, and said so
    assert report.withdrawn == 1
    (entry,) = audit_entries(w, "withdraw_mail")
    assert (entry["subject"], entry["actor_id"]) == (f"outbox:{decision['id']}", None)


def test_a_new_hiring_manager_means_the_old_one_is_not_told_it_is_ready(tmp_path, server):
    inbox, settings = server
    w = build(tmp_path / "w.sqlite")
    for who in ("ana", "bo", "cy"):
        submit(w, who, 4)
    successor = people.add_person(
        w.store, w.coordinator, "Hal Heir", "hal@example.com", ["hiring_manager"]
    )
    openings.edit_opening(w.store, w.coordinator, w.opening_id, hiring_manager_id=successor.id)
    mail.send_outbox(w.store, settings)
    assert inbox.to("maria@example.com") == []


# ------------------------------------------------------------------- a role given back in time


def test_a_role_given_back_before_sending_is_sent(tmp_path, server):
    inbox, settings = server
    w = decided_world(tmp_path)
    set_roles(w, w.manager, ["interviewer"])
    (ready,) = rows_to(w, w.manager)
    assert ready["state"] == "failed"
    set_roles(w, w.manager, ["hiring_manager", "interviewer"])
    (ready,) = rows_to(w, w.manager)
    assert (ready["state"], ready["last_error"]) == ("queued", None)
    (back,) = audit_entries(w, "give_back_mail")
    assert back["subject"] == f"person:{w.manager.id}"

    mail.send_outbox(w.store, settings)
    (told,) = inbox.to("maria@example.com")
    assert "ready to debrief" in told["Subject"]


def test_a_role_given_back_before_the_sender_ran_is_sent_without_a_recheck(tmp_path, server):
    inbox, settings = server
    w = decided_world(tmp_path)
    people.update_person(w.store, w.coordinator, w.member.id, roles=[])
    people.update_person(w.store, w.coordinator, w.member.id, roles=["committee_member"])
    mail.send_outbox(w.store, settings)
    (told,) = inbox.to("mo@example.com")
    assert told["Subject"] == "Decision recorded: Grace Hopper — Hire"


# --------------------------------------------------------------- the call people.py is to make


def test_set_active_withdraws_queued_mail_in_its_own_transaction(tmp_path):
    w = build(tmp_path / "w.sqlite")  # three invitations queued
    people.set_active(w.store, w.coordinator, w.ana.id, False)
    (invitation,) = rows_to(w, w.ana)
    assert invitation["last_error"] == "withdrawn: Ana Alvarez is no longer active"
    (entry,) = audit_entries(w, "withdraw_mail")
    assert entry["actor_id"] == w.coordinator.id


def test_update_person_withdraws_and_gives_back_in_its_own_transaction(tmp_path):
    w = build(tmp_path / "w.sqlite")
    people.update_person(w.store, w.coordinator, w.ana.id, roles=[])
    (invitation,) = rows_to(w, w.ana)
    assert invitation["last_error"] == "withdrawn: Ana Alvarez is no longer an interviewer"
    people.update_person(w.store, w.coordinator, w.ana.id, roles=["interviewer"])
    (invitation,) = rows_to(w, w.ana)
    assert invitation["state"] == "queued"


# ------------------------------------------------------------------------------ the Status page


def test_status_says_in_words_why_a_message_was_not_sent(tmp_path, monkeypatch):
    monkeypatch.setenv("DEBRIEF_SECRETS", str(tmp_path / "none.toml"))
    w = build(tmp_path / "w.sqlite")
    deactivate(w, w.ana)
    at = page_as(w, "coordinator", "pages/status.py", monkeypatch)
    labels = [e.label for e in at.expander if "Interview:" in e.label]
    (ana,) = [label for label in labels if "to Ana Alvarez" in label]
    assert ana.endswith("· not sent: Ana Alvarez is no longer active")
    assert all(label.endswith("· waiting to be sent") for label in labels if label != ana)
    shown = " ".join(c.value for c in at.caption)
    assert "Not sent, and it will not be: Ana Alvarez is no longer active." in shown
