"""An opening's candidates: adding one (with a stable alias), seeing them as one may, finding them.

A candidate's name and email are shown only to whoever may see them (`see_name`); everyone else
sees the alias. Importing candidates from a CSV file lives in `candidates_csv`; withdrawing one
changes their day and lives in `schedule_changes`.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import datetime

from scoring import audit
from scoring.emails import check_email
from scoring.opening_record import ensure_open
from scoring.permissions import (
    Person,
    candidate_facts,
    candidates_facts,
    current,
    ensure,
    may,
    opening_facts,
)
from scoring.store import Store, now_utc, stamp
from scoring.text import check_name

ALIAS_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


@dataclass(frozen=True)
class Candidate:
    """A candidate as one person may see them: `display` is the alias where the name is hidden."""

    id: int
    opening_id: int
    alias: str
    display: str
    name: str | None
    email: str | None
    withdrawn: bool = False


def new_alias(db, opening_id: int) -> str:
    """A fresh alias for a candidate of the opening ("Candidate K7QX"), shown where scorers may
    not see the name."""
    while True:
        alias = "Candidate " + "".join(secrets.choice(ALIAS_ALPHABET) for _ in range(4))
        taken = db.execute(
            "SELECT 1 FROM candidates WHERE opening_id = ? AND alias = ?", [opening_id, alias]
        ).fetchone()
        if not taken:
            return alias


def add_candidate(
    store: Store,
    actor: Person,
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
    with store.write() as db:
        actor = current(db, actor)
        ensure(actor, "manage_opening", opening_facts(db, opening_id))
        ensure_open(db, opening_id)
        candidate_id = db.execute(
            "INSERT INTO candidates (opening_id, name, email, alias, created_at)"
            " VALUES (?, ?, ?, ?, ?)",
            [opening_id, name, email, new_alias(db, opening_id), stamp(at)],
        ).lastrowid
        audit.record(db, actor.id, "add_candidate", f"candidate:{candidate_id}", at)
    return candidate_id


def get_candidate(store: Store, actor: Person, candidate_id: int) -> Candidate:
    """A candidate as the acting person may see them (alias only on an anonymised opening)."""
    with store.read() as db:
        actor = current(db, actor)
        facts = candidate_facts(db, candidate_id)
        ensure(actor, "see_candidate", facts)
        row = db.execute("SELECT * FROM candidates WHERE id = ?", [candidate_id]).fetchone()
        return _candidate(row, may(actor, "see_name", facts))


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
    return [
        r[0]
        for r in db.execute(
            "SELECT id FROM candidates WHERE opening_id = ? ORDER BY id", [opening_id]
        )
    ]


def _candidates(db, actor: Person, ids: list[int]) -> list[Candidate]:
    """These candidates as the actor may see them, in their order: two queries for them all,
    each row through the permission table (`see_candidate`, `see_name`)."""
    if not ids:
        return []
    facts = candidates_facts(db, ids)
    rows = {
        r["id"]: r
        for r in db.execute(
            f"SELECT * FROM candidates WHERE id IN ({','.join('?' * len(ids))})", ids
        )
    }
    shown = []
    for i in ids:
        ensure(actor, "see_candidate", facts[i])
        shown.append(_candidate(rows[i], may(actor, "see_name", facts[i])))
    return shown


def list_candidates(store: Store, actor: Person, opening_id: int) -> list[Candidate]:
    """The candidates of an opening, for its coordinator, hiring manager or committee."""
    with store.read() as db:
        actor = current(db, actor)
        ensure(actor, "see_candidates", opening_facts(db, opening_id))
        ids = candidate_ids(db, opening_id)
        return [
            c
            for chunk in range(0, len(ids), 500)
            for c in _candidates(db, actor, ids[chunk : chunk + 500])
        ]


@dataclass(frozen=True)
class CandidatePage:
    """One page of an opening's candidates matching a search, the latest added first."""

    rows: list[Candidate]
    total: int  # matching, every page
    page: int
    pages: int


def find_candidates(
    store: Store,
    actor: Person,
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
    with store.read() as db:
        actor = current(db, actor)
        # the coordinator's screens: whoever manages the opening typed or imported the names
        ensure(actor, "manage_opening", opening_facts(db, opening_id))
        where, params = "opening_id = ?", [opening_id]
        if active_only:
            where += " AND withdrawn_at IS NULL"
        text = text.strip()
        if text:
            like = "%" + re.sub(r"([\\%_])", r"\\\1", text) + "%"
            where += r" AND (name LIKE ? ESCAPE '\' OR alias LIKE ? ESCAPE '\'"
            where += r" OR email LIKE ? ESCAPE '\')"
            params += [like, like, like]
        total = db.execute(f"SELECT COUNT(*) FROM candidates WHERE {where}", params).fetchone()[0]
        pages = max(1, -(-total // per_page))
        page = min(max(1, page), pages)
        ids = [
            r[0]
            for r in db.execute(
                f"SELECT id FROM candidates WHERE {where} ORDER BY id DESC LIMIT ? OFFSET ?",
                [*params, per_page, (page - 1) * per_page],
            )
        ]
        return CandidatePage(_candidates(db, actor, ids), total, page, pages)
