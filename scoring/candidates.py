"""An opening's candidates: adding one (with a stable alias), seeing them as one may, finding them.

A candidate's name and email are shown only to whoever may see them (`see_name`); everyone else
sees the alias. Importing candidates from a CSV file lives in `candidates_csv`; withdrawing one
changes their day and lives in `schedule_changes`.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, replace
from datetime import datetime

from scoring import audit, personal, stages
from scoring.emails import check_email
from scoring.guards import Granted, guarded
from scoring.models.openings import Candidate
from scoring.opening_record import ensure_open
from scoring.permissions import Person, candidates_facts, ensure, may
from scoring.queries import candidates as Q
from scoring.store import now_utc, stamp
from scoring.text import check_name

ALIAS_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


def new_alias(db, opening_id: int) -> str:
    """A fresh alias for a candidate of the opening ("Candidate K7QX"), shown where scorers may
    not see the name."""
    while True:
        alias = "Candidate " + "".join(secrets.choice(ALIAS_ALPHABET) for _ in range(4))
        taken = db.execute(Q.ALIAS_TAKEN, [opening_id, alias]).fetchone()
        if not taken:
            return alias


def seal_contact(db, candidate_id: int, name: str, email: str, phone: str = "") -> None:
    """A new candidate's name, email and phone, sealed under their own data key (the row was
    written with their alias in place of the name: the cleartext never reaches the file)."""
    db.execute(
        Q.SEAL_CONTACT,
        [
            personal.seal(db, candidate_id, name, "n"),
            personal.seal(db, candidate_id, email, "e"),
            personal.seal(db, candidate_id, phone, "p"),
            candidate_id,
        ],
    )


@guarded("manage_opening", on="opening_id", write=True)
def add_candidate(
    g: Granted,
    opening_id: int,
    name: str,
    email: str = "",
    now: datetime | None = None,
) -> int:
    """A coordinator adds a candidate to an opening; they get a stable alias. The email, when
    given, is checked and normalised (`check_email`); the name is kept without direction
    overrides (`check_name`: it cannot reorder the text it is shown in, mail included)."""
    at = now or now_utc()
    name = check_name("name", name, "Write the candidate's name.")
    email = check_email("email", email) if (email or "").strip() else ""
    ensure_open(g.db, opening_id)
    alias = new_alias(g.db, opening_id)
    candidate_id = g.db.execute(Q.ADD_NAMED, [opening_id, alias, "", alias, stamp(at)]).lastrowid
    seal_contact(g.db, candidate_id, name, email)
    audit.record(g.db, g.actor.id, "add_candidate", f"candidate:{candidate_id}", at)
    stages.enter(g.db, candidate_id, 1, at)
    return candidate_id


@guarded("see_candidate", on="candidate_id")
def get_candidate(g: Granted, candidate_id: int) -> Candidate:
    """A candidate as the acting person may see them (alias only on an anonymised opening)."""
    row = g.db.execute(Q.CANDIDATE, [candidate_id]).fetchone()
    return _candidate(row, may(g.actor, "see_name", g.facts))


def _candidate(row, named: bool) -> Candidate:
    """A candidate row as someone sees it: the name and email only where they may see them."""
    return Candidate(
        id=row["id"],
        opening_id=row["opening_id"],
        alias=row["alias"],
        display=row["name"] if named else row["alias"],
        name=row["name"] if named else None,
        email=row["email"] if named else None,
        withdrawn=row["withdrawn_at"] is not None,
    )


def candidate_ids(db, opening_id: int) -> list[int]:
    """The ids of an opening's candidates, oldest first."""
    return [r[0] for r in db.execute(Q.CANDIDATE_IDS, [opening_id])]


def _candidates(db, actor: Person, ids: list[int]) -> list[Candidate]:
    """These candidates as the actor may see them, in their order: two queries for them all,
    each row through the permission table (`see_candidate`, `see_name`)."""
    if not ids:
        return []
    facts = candidates_facts(db, ids)
    rows = {r["id"]: r for r in db.execute(Q.by_id(len(ids)), ids)}
    where = stages.progress(db, ids)
    plans = stages.processes(db, {r["opening_id"] for r in rows.values()})
    shown = []
    for i in ids:
        ensure(actor, "see_candidate", facts[i])
        candidate = _candidate(rows[i], may(actor, "see_name", facts[i]))
        shown.append(
            replace(candidate, standing=_standing(where.get(i), plans, rows[i], facts[i], actor))
        )
    return shown


STATES = {"in_process": "In process", "rejected": "Rejected", "withdrawn": "Withdrawn"}
STATES |= {"hired": "Hired", "done": "Done"}


def _standing(where, plans, row, facts, actor: Person) -> str:
    """ "Rejected · Resume screen", as the reader may see it: the outcome of a stage is a
    decision (`see_decision`); without it, in process or withdrawn."""
    if where is None:
        return ""
    stage = stages.stage_at(plans[row["opening_id"]], where.stage)
    state = where.state
    if state in ("rejected", "hired", "done") and not may(actor, "see_decision", facts):
        state = "in_process"
    return f"{STATES[state]} · {stage.title}"


@guarded("see_candidates", on="opening_id")
def list_candidates(g: Granted, opening_id: int) -> list[Candidate]:
    """The candidates of an opening, for its coordinator, hiring manager or committee (each
    through `see_candidate` and `see_name` too: `_candidates`)."""
    ids = candidate_ids(g.db, opening_id)
    return [
        c
        for chunk in range(0, len(ids), 500)
        for c in _candidates(g.db, g.actor, ids[chunk : chunk + 500])
    ]


@dataclass(frozen=True)
class CandidatePage:
    """One page of an opening's candidates matching a search, the latest added first."""

    rows: list[Candidate]
    total: int  # matching, every page
    page: int
    pages: int


# the coordinator's screens: whoever manages the opening typed or imported the names
@guarded("manage_opening", on="opening_id")
def find_candidates(
    g: Granted,
    opening_id: int,
    text: str = "",
    *,
    active_only: bool = False,
    page: int = 1,
    per_page: int = 25,
) -> CandidatePage:
    """The opening's candidates whose name, alias or email contains `text` (all without it),
    the latest added first, a page at a time: what a list or a picker shows, in a fixed number
    of queries whatever the opening's size. For whoever manages the opening (the Candidates and
    Interview day screens); each row is shown as the permission table lets them see it."""
    db = g.db
    text = text.strip().casefold()
    if text:  # names and emails are sealed: matched opened, over the opening's candidates
        personal.keyring(db).preload(
            r[0] for r in db.execute(Q.CANDIDATE_IDS, [opening_id]).fetchall()
        )
        matching = [
            r["id"]
            for r in db.execute(Q.searched(active_only), [opening_id])
            if any(text in (r[k] or "").casefold() for k in ("name", "alias", "email"))
        ]
        total = len(matching)
    else:
        total = db.execute(Q.found_count(active_only), [opening_id]).fetchone()[0]
    pages = max(1, -(-total // per_page))
    page = min(max(1, page), pages)
    start = (page - 1) * per_page
    if text:
        ids = matching[start : start + per_page]
    else:
        ids = [r[0] for r in db.execute(Q.found_page(active_only), [opening_id, per_page, start])]
    return CandidatePage(_candidates(db, g.actor, ids), total, page, pages)
