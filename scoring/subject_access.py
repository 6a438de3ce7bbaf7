"""A subject-access export (issue 28): everything Debrief holds about one candidate, as one JSON
document, for a coordinator to give them.

`subject_access` reads it on one snapshot (the guard's unit of work) and records the export in
the audit log in the same unit: a refusal writes nothing. What it holds, table by table, is
`COVERED` (the document's key for each table), and what it leaves out, with why, `LEFT_OUT`:
tests/test_subject_access.py reads the live schema and fails on a table that names a
candidate, a session, a seat or a scorecard and is in neither.

Every text comes out as stored and opened (`scoring.personal`): nothing is trimmed, escaped or
rendered, so the document says exactly what was typed. Times are ISO 8601 in UTC.

`privacy_actions` is the question the coordinator's privacy panel asks first: which of the
privacy actions the reader may take on the candidate now, and whether they are on a legal hold.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from scoring import audit, personal
from scoring.database import Database
from scoring.guards import Granted, guarded
from scoring.legal_holds import on_hold
from scoring.opening_record import rubric_snapshot
from scoring.permission_facts import candidate_facts, current, stage_facts
from scoring.permissions import Person, why_not
from scoring.queries import subject_access as Q
from scoring.retention import standing
from scoring.retention_settings import configured
from scoring.store import Store, now_utc, parse_stamp, stamp

FORMAT = "debrief subject access 1"

# table -> the key of the document that holds its rows about the candidate.
COVERED = {
    "candidates": "candidate",
    "erasures": "candidate",
    "interview_sessions": "sessions",
    "assignments": "sessions",
    "scorecards": "scorecards",
    "criterion_scores": "scorecards",
    "drafts": "drafts",
    "seat_questions": "questions_asked",
    "quote_consents": "quote_consents",
    "cheating_flags": "cheating_flags",
    "stage_seats": "stage_reviewers",
    "stage_reviews": "stage_reviews",
    "stage_outcomes": "stage_outcomes",
    "take_home_events": "take_home_events",
    "debriefs": "debrief",
    "decisions": "decisions",
    "committee_votes": "committee_votes",
    "hire_outcomes": "hire_outcomes",
    "candidate_feedback": "candidate_feedback",
    "outbox": "messages",
    "legal_holds": "legal_holds",
    "retention_notices": "retention",
    "candidate_demographics": "demographics",
    "audit_log": "audit",
}
# table -> why its rows about the candidate are not in the document.
LEFT_OUT = {
    "candidate_keys": "the candidate's data key, wrapped under the privacy key: what seals their"
    " data, not data about them (its loss on erasure shows as candidate.erased)",
}

DEMOGRAPHICS_NOTE = (
    "Self-identified answers (demographics): the categories answered and when are listed, not"
    " the answers. Debrief shows them per candidate to no one, the coordinator who makes this"
    " export included; they count only in aggregate, in the adverse-impact figures, and are"
    " erased with the candidate. The candidate gave them and may give them again."
)
TIMES_NOTE = "Times are in UTC (ISO 8601)."

# The actions of the privacy panel, in the order it draws them.
PANEL_ACTIONS = ("subject_access", "erase_candidate", "hold_candidate", "record_demographics")


def _plain(db: Database, value: Any) -> Any:
    """A stored value as JSON: a time as ISO text, every sealed text in it opened, however deep
    in a JSON value (rows read through `db.execute` have their columns opened already, not the
    texts inside a column's JSON: an engine result's reasons, an audit entry's detail)."""
    if isinstance(value, datetime):
        return stamp(value)
    if isinstance(value, str):
        return personal.reveal(db, value)
    if isinstance(value, dict):
        return {k: _plain(db, v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(db, v) for v in value]
    return value


def _row(db: Database, row: Any, *, drop: tuple[str, ...] = ()) -> dict[str, Any]:
    # a row iterates its values: its column names are its keys()
    return {k: _plain(db, row[k]) for k in row.keys() if k not in drop}  # noqa: SIM118


def _rows(db: Database, sql: str, candidate_id: int, **kw: Any) -> list[dict[str, Any]]:
    return [_row(db, r, **kw) for r in db.execute(sql, {"candidate": candidate_id}).fetchall()]


def _json_text(db: Database, text: Any) -> Any:
    """A stored JSON text (a draft, an event's detail, an engine result) as data; a text that is
    not JSON (an erased one reads "(erased)") as it is."""
    if not isinstance(text, str):
        return text
    try:
        return _plain(db, json.loads(text))
    except ValueError:
        return text


def _candidate(db: Database, candidate_id: int) -> dict[str, Any]:
    row = db.execute(Q.CANDIDATE, {"candidate": candidate_id}).fetchone()
    erasure = db.execute(Q.ERASURE, {"candidate": candidate_id}).fetchone()
    c = _row(db, row)
    return {
        "id": c["id"],
        "alias": c["alias"],
        "name": c["name"],
        "email": c["email"],
        "phone": c["phone"],
        "source": c["source"],
        "created_at": c["created_at"],
        "opening": {
            "id": c["opening_id"],
            "title": c["opening_title"],
            "role": c["opening_role"],
            "level": c["opening_level"],
            "scale": [c["scale_min"], c["scale_max"]],
        },
        "withdrawn": c["withdrawn_at"] is not None,
        "withdrawn_at": c["withdrawn_at"],
        "withdrawal_reason": c["withdrawal_reason"],
        "erased": erasure is not None,
        "erasure": _row(db, erasure) if erasure is not None else None,
    }


def _criterion_names(db: Database, rubric_hash: str) -> dict[str, str]:
    return {c.id: c.name for c in rubric_snapshot(db, rubric_hash).criteria}


def _sessions(db: Database, candidate_id: int) -> list[dict[str, Any]]:
    seats: dict[int, list[dict[str, Any]]] = {}
    for seat in _rows(db, Q.SEATS, candidate_id):
        seats.setdefault(seat.pop("session_id"), []).append(seat)
    sessions = []
    for session in _rows(db, Q.SESSIONS, candidate_id):
        mine = seats.get(session["id"], [])
        session["interviewers"] = [s["interviewer"] for s in mine if s["recused_at"] is None]
        session["seats"] = mine
        sessions.append(session)
    return sessions


def _scorecards(db: Database, candidate_id: int) -> list[dict[str, Any]]:
    criteria: dict[int, list[dict[str, Any]]] = {}
    for entry in _rows(db, Q.CRITERION_SCORES, candidate_id):
        criteria.setdefault(entry.pop("scorecard_id"), []).append(entry)
    cards = []
    for card in _rows(db, Q.SCORECARDS, candidate_id):
        names = _criterion_names(db, card.pop("rubric_hash"))
        card["saw_others"] = bool(card["saw_others"])
        card["criteria"] = [
            {"criterion": names.get(e["criterion_id"], e["criterion_id"]), **e}
            for e in criteria.get(card["id"], [])
        ]
        cards.append(card)
    return cards


def _stage_titles(db: Database, candidate_id: int) -> dict[int, str]:
    return {r["position"]: r["title"] for r in db.execute(Q.STAGES, {"candidate": candidate_id})}


def _with_stage(rows: list[dict[str, Any]], titles: dict[int, str]) -> list[dict[str, Any]]:
    return [{**r, "stage": titles.get(r["position"], "")} for r in rows]


def _debrief(db: Database, candidate_id: int) -> dict[str, Any] | None:
    row = db.execute(Q.DEBRIEF, {"candidate": candidate_id}).fetchone()
    if row is None:
        return None
    opened = _row(db, row, drop=("frozen_result",))
    opened["result_at_opening"] = _json_text(db, row["frozen_result"])
    return opened


def _decisions(db: Database, candidate_id: int) -> list[dict[str, Any]]:
    rows = db.execute(Q.DECISIONS, {"candidate": candidate_id}).fetchall()
    decisions = []
    for row in rows:
        decision = _row(db, row, drop=("engine_result",))
        decision["accepts_responsibility"] = bool(decision["accepts_responsibility"])
        decision["engine_result"] = _json_text(db, row["engine_result"])
        decisions.append(decision)
    return decisions


def _retention(db: Database, candidate_id: int) -> dict[str, Any]:
    hold = on_hold(db, candidate_id)
    settings = configured()
    if settings is None:  # retention is off: nobody is due
        due_on, why = None, "retention is not configured"
    else:
        (where,) = standing(db, [candidate_id], settings, {candidate_id: hold})
        due_on, why = where.due_on or None, where.why
    return {
        "due_on": due_on,  # the day retention erases them (None: not due)
        "why": why,
        "notices": _rows(db, Q.RETENTION_NOTICES, candidate_id),
        "on_hold": hold is not None,
        "hold_reason": hold,
    }


def _demographics(db: Database, candidate_id: int) -> list[dict[str, Any]]:
    """The categories they answered and when: never the answers (`DEMOGRAPHICS_NOTE`)."""
    return [
        {"category": row["category"], "recorded_at": row["recorded_at"]}
        for row in _rows(db, Q.DEMOGRAPHICS, candidate_id)
    ]


def _audit(db: Database, candidate_id: int) -> list[dict[str, Any]]:
    entries = []
    named = {"candidate": candidate_id, "subject": f"candidate:{candidate_id}"}
    for row in db.execute(Q.AUDIT, named).fetchall():
        entry = _row(db, row, drop=("detail",))
        entry["detail"] = _plain(db, personal.reveal_detail(db, json.loads(row["detail"] or "{}")))
        entries.append(entry)
    return entries


def document(db: Database, candidate_id: int, at: datetime) -> dict[str, Any]:
    """Everything held about the candidate, read on `db` (one snapshot), as JSON data."""
    titles = _stage_titles(db, candidate_id)
    holds = _rows(db, Q.LEGAL_HOLDS, candidate_id)
    for hold in holds:
        hold["held"] = bool(hold["held"])
    candidate = _candidate(db, candidate_id)
    drafts = _rows(db, Q.DRAFTS, candidate_id)
    for draft in drafts:
        draft["content"] = _json_text(db, draft["content"])
    events = _rows(db, Q.TAKE_HOME_EVENTS, candidate_id)
    for event in events:
        event["detail"] = _json_text(db, event["detail"])
    reviews = _with_stage(_rows(db, Q.STAGE_REVIEWS, candidate_id), titles)
    for review in reviews:
        review["scores"] = _json_text(db, review["scores"])
    outcomes = _with_stage(_rows(db, Q.STAGE_OUTCOMES, candidate_id), titles)
    for outcome in outcomes:
        outcome["provisional"] = bool(outcome["provisional"])
    hires = _rows(db, Q.HIRE_OUTCOMES, candidate_id)
    for hire in hires:
        hire["still_employed"] = bool(hire["still_employed"])
    messages = [
        {
            "id": m["id"],
            "kind": m["kind"],
            "to": "candidate" if m["recipient_id"] is None else "team",
            "to_address": m["to_address"],
            "to_name": m["to_name"],
            "subject": m["subject"],
            "text": m["text_body"],
            "state": m["state"],
            "created_at": m["created_at"],
            "sent_at": m["sent_at"],
        }
        for m in _rows(db, Q.MESSAGES, candidate_id)
    ]
    notes = [TIMES_NOTE, DEMOGRAPHICS_NOTE]
    if candidate["erased"]:
        notes.append(
            "This candidate was erased: their name, email and every text about them are gone"
            " (an erased text reads '(erased)'); scores, decisions and dates remain, as numbers."
        )
    return {
        "format": FORMAT,
        "generated_at": stamp(at),
        "notes": notes,
        "candidate": candidate,
        "sessions": _sessions(db, candidate_id),
        "scorecards": _scorecards(db, candidate_id),
        "drafts": drafts,
        "questions_asked": _rows(db, Q.QUESTIONS, candidate_id),
        "quote_consents": _rows(db, Q.QUOTE_CONSENTS, candidate_id),
        "cheating_flags": _rows(db, Q.CHEATING_FLAGS, candidate_id),
        "stage_reviewers": _with_stage(_rows(db, Q.STAGE_SEATS, candidate_id), titles),
        "stage_reviews": reviews,
        "stage_outcomes": outcomes,
        "take_home_events": _with_stage(events, titles),
        "debrief": _debrief(db, candidate_id),
        "decisions": _decisions(db, candidate_id),
        "committee_votes": _rows(db, Q.VOTES, candidate_id),
        "hire_outcomes": hires,
        "candidate_feedback": _rows(db, Q.FEEDBACK, candidate_id),
        "messages": messages,
        "legal_holds": holds,
        "retention": _retention(db, candidate_id),
        "demographics": _demographics(db, candidate_id),
        "audit": _audit(db, candidate_id),
    }


@guarded("subject_access", on="candidate_id", write=True)
def subject_access(g: Granted, candidate_id: int, now: datetime | None = None) -> dict[str, Any]:
    """Everything held about the candidate, as one JSON-able document (see the module), read on
    one snapshot; the export is recorded in the audit log in the same unit of work. Coordinators
    only, and not one who still has a scorecard to write on the candidate (the document holds
    everyone's)."""
    at = now or now_utc()
    found = document(g.db, candidate_id, at)
    audit.record(g.db, g.actor.id, "subject_access", f"candidate:{candidate_id}", at, format=FORMAT)
    return found


@dataclass(frozen=True)
class PrivacyActions:
    """What the coordinator's privacy panel may offer on one candidate, asked once."""

    candidate_id: int
    allowed: frozenset[str]  # of PANEL_ACTIONS: what the reader may do now
    refused: dict[str, str]  # of PANEL_ACTIONS: why not, for each the reader may not do
    erased_at: datetime | None
    hold: str | None  # the legal hold's reason while one is in force (for who may lift it)


def privacy_actions(store: Store, actor: Person, candidate_id: int) -> PrivacyActions:
    """Which privacy actions (`PANEL_ACTIONS`) the reader may take on the candidate now, why not
    the others, whether the candidate is erased and the legal hold in force, if any. A question:
    it refuses nothing (each action checks again when it is done)."""
    with store.read() as db:
        person = current(db, actor)
        facts = candidate_facts(db, candidate_id)
        stage = stage_facts(db, candidate_id)  # subject_access's resource: every review too
        refused = {
            a: why
            for a in PANEL_ACTIONS
            if (why := why_not(person, a, stage if a == "subject_access" else facts))
        }
        allowed = frozenset(a for a in PANEL_ACTIONS if a not in refused)
        erased = db.execute(Q.ERASED_AT, {"candidate": candidate_id}).fetchone()
        hold = on_hold(db, candidate_id) if "hold_candidate" in allowed else None
    erased_at = erased[0] if erased else None
    return PrivacyActions(
        candidate_id=candidate_id,
        allowed=allowed,
        refused=refused,
        erased_at=parse_stamp(erased_at) if isinstance(erased_at, str) else erased_at,
        hold=hold,
    )
