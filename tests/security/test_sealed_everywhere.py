"""Every text personal to a candidate is sealed, wherever the whole funnel writes one (issue 28).

The demo runs the whole process: screens, take-homes, loops, decisions, votes, recusals,
withdrawals, cheating flags, feedback, hire outcomes, messages. Read as stored, every column that
holds a candidate's name, contact or a text about them holds a token (or nothing), audit entries
included; no candidate's name or email is in the file's bytes; and after one candidate's
erasure, their texts no longer open while `verify` passes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from scoring import candidate_mail, demo, erasure, people, personal
from scoring.integrity import verify
from scoring.store import Store
from tests.world import CATALOG, DAY, build

pytestmark = [pytest.mark.slow, pytest.mark.sqlite_only("scans the SQLite file's bytes")]

# table -> (columns holding a candidate's personal values, the SQL finding each row's candidate)
PERSONAL = {
    "candidates": (("name", "email", "phone", "withdrawal_reason"), "id"),
    "scorecards": (
        ("feedback", "revision_reason"),
        "(SELECT i.candidate_id FROM assignments a JOIN interview_sessions i"
        " ON i.id = a.session_id WHERE a.id = t.assignment_id)",
    ),
    "criterion_scores": (
        ("evidence",),
        "(SELECT i.candidate_id FROM scorecards s JOIN assignments a ON a.id = s.assignment_id"
        " JOIN interview_sessions i ON i.id = a.session_id WHERE s.id = t.scorecard_id)",
    ),
    "drafts": (
        ("content",),
        "(SELECT i.candidate_id FROM assignments a JOIN interview_sessions i"
        " ON i.id = a.session_id WHERE a.id = t.assignment_id)",
    ),
    "assignments": (
        ("recusal_reason",),
        "(SELECT candidate_id FROM interview_sessions WHERE id = t.session_id)",
    ),
    "debriefs": (("early_reason",), "candidate_id"),
    "decisions": (("rationale",), "candidate_id"),
    "committee_votes": (("note",), "candidate_id"),
    "stage_seats": (("recusal_reason",), "candidate_id"),
    "stage_reviews": (
        ("notes",),
        "(SELECT candidate_id FROM stage_seats WHERE id = t.seat_id)",
    ),
    "stage_outcomes": (("reason",), "candidate_id"),
    "cheating_flags": (("evidence",), "candidate_id"),
    "take_home_events": (("detail",), "candidate_id"),
    "candidate_feedback": (("logistical", "performance", "note"), "candidate_id"),
    "hire_outcomes": (("note",), "candidate_id"),
    "legal_holds": (("reason",), "candidate_id"),
}
# Audit entries about a candidate whose detail carries typed text.
AUDITED_TEXT = {
    "recuse": "reason",
    "recuse_stage": "reason",
    "withdraw_candidate": "reason",
    "decline_offer": "reason",
    "open_debrief": "reason",
    "flag_cheating": "evidence",
    "place_hold": "reason",
    "lift_hold": "reason",
}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    store = Store(tmp_path_factory.mktemp("sealed") / "demo.sqlite")
    demo.build_demo(store, CATALOG, today=DAY)
    return store


def stored_rows(store: Store, sql: str, *params) -> list:
    with store.read() as db:
        return db.execute_stored(sql, params).fetchall()


def unsealed(value) -> bool:
    return value not in (None, "") and not personal.is_token(value)


def test_every_personal_column_holds_tokens_as_stored(built):
    loose = []
    erased = {r[0] for r in stored_rows(built, "SELECT candidate_id FROM erasures")}
    for table, (columns, candidate) in PERSONAL.items():
        for column in columns:
            rows = stored_rows(built, f"SELECT {candidate}, t.{column} FROM {table} t")
            # the demo writes every kind of row but these (tested in their own files)
            assert rows or table in ("drafts", "legal_holds", "cheating_flags"), table
            for candidate_id, value in rows:
                if candidate_id in erased and table == "candidates":
                    continue
                if unsealed(value):
                    loose.append(f"{table}.{column} of candidate {candidate_id}: {value[:60]!r}")
                elif value and personal.token_candidate(value) != candidate_id:
                    loose.append(f"{table}.{column}: sealed under another candidate's key")
    assert loose == []


def test_messages_to_or_about_a_candidate_hold_tokens(tmp_path):
    """(The demo queues no mail: the world's invitations, and the candidate's day sent to
    them.)"""
    w = build(tmp_path / "mail.sqlite")
    candidate_mail.send_schedule(w.store, w.coordinator, w.candidate_id, now=DAY)
    rows = stored_rows(
        w.store,
        "SELECT id, recipient_id, to_address, to_name, subject, text_body, html_body, ics"
        " FROM outbox WHERE candidate_id IS NOT NULL",
    )
    assert {r[1] is None for r in rows} == {True, False}  # to the candidate, and about them
    loose = []
    for row in rows:
        texts = [row[4], row[5], row[6], row[7]]
        if row[1] is None:  # to the candidate: their address and name too
            texts += [row[2], row[3]]
        loose += [f"outbox {row[0]}: {t[:60]!r}" for t in texts if unsealed(t)]
    assert loose == []


def test_audit_entries_hold_typed_text_about_a_candidate_sealed(built):
    loose = []
    for action, key in AUDITED_TEXT.items():
        for entry_id, detail in stored_rows(
            built, "SELECT id, detail FROM audit_log WHERE action = ?", action
        ):
            value = json.loads(detail).get(key)
            if unsealed(value):
                loose.append(f"audit_log {entry_id} ({action}): {value[:60]!r}")
    assert loose == []


def test_no_candidates_name_or_email_is_in_the_files_bytes(built):
    erasure.scrub(built)
    data = Path(built.path).read_bytes()
    people = {r[0] for r in stored_rows(built, "SELECT name FROM people")}
    with built.read() as db:  # opened: what the service reads
        found = db.execute("SELECT id, name, email FROM candidates").fetchall()
    assert len(found) > 100
    named = [
        f"{r[0]}: {text}"
        for r in found
        for text in (r[1], r[2])
        if text
        and text not in people
        and not text.startswith("Erased candidate #")
        and text.encode() in data
    ]
    assert named == []


def test_an_erased_demo_candidates_texts_no_longer_open_and_verify_passes(built):
    decided = stored_rows(
        built,
        "SELECT d.candidate_id FROM decisions d JOIN candidates c ON c.id = d.candidate_id"
        " WHERE c.withdrawn_at IS NULL ORDER BY d.id LIMIT 1",
    )
    (candidate_id,) = decided[0]
    with built.read() as db:
        texts = [
            r[0]
            for r in db.execute(
                "SELECT s.feedback FROM scorecards s JOIN assignments a ON a.id = s.assignment_id"
                " JOIN interview_sessions i ON i.id = a.session_id WHERE i.candidate_id = ?",
                [candidate_id],
            ).fetchall()
        ]
        coordinator = db.execute(
            "SELECT id FROM people WHERE roles LIKE '%coordinator%' ORDER BY id"
        ).fetchone()[0]
    assert texts and all(t and t != personal.ERASED_TEXT for t in texts)
    actor = people.get_person(built, coordinator)
    erasure.erase(built, actor, candidate_id, "their request by email, 3 Dec")
    with built.read() as db:
        after = [
            r[0]
            for r in db.execute(
                "SELECT s.feedback FROM scorecards s JOIN assignments a ON a.id = s.assignment_id"
                " JOIN interview_sessions i ON i.id = a.session_id WHERE i.candidate_id = ?",
                [candidate_id],
            ).fetchall()
        ]
    assert after == [personal.ERASED_TEXT] * len(texts)
    report = verify(built)
    assert report.ok, report.problems
