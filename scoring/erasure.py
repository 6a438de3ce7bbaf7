"""Erasure that keeps the record provable (issue 28).

A candidate is erased by destroying their data key (`scoring.personal`): every text personal to
them was stored sealed under it (their name, email and phone, scorecard feedback and evidence,
review notes, rationales, reasons, flags, feedback, messages), so none of it can be read again,
while the history rows and the digests their audit entries recorded, which hold only the
ciphertext, stay exactly as written: `verify` still passes. Besides the key, erasure removes
what is not history: their drafts, their self-identified answers (first folded into anonymous
counts, `scoring.demographics.forget`), the text of messages to or about them (and those still
queued are never sent), their contact details, source and the kept Insights figures (a cache).
SQLite overwrites what it deletes (`secure_delete`), and `scrub` then checkpoints and truncates
the write-ahead log, so no earlier copy of a page is left in it.

They become "Erased candidate #N" everywhere; their scores, decisions, votes and stage outcomes
stay as numbers and words of the process, and go on feeding Insights.

A candidate still in process is withdrawn first (by a coordinator, on Candidates); one under a
legal hold is not erased until the hold is lifted (`scoring.retention`). Text written before
texts were sealed (migration m014) stays in the history, which cannot change without breaking
the proof: `Erased.legacy_texts` says how many, and the README says what to do about them.
"""

from __future__ import annotations

import json
import re
import time
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from scoring import audit, demographics, personal
from scoring.errors import InvalidInput, NotFound
from scoring.guards import Granted, guarded
from scoring.legal_holds import on_hold
from scoring.queries import personal as Q
from scoring.stages import progress_of
from scoring.store import now_utc, stamp
from scoring.text import check_length, check_one_line

REASON_MAX = 500
BASES = ("request", "retention")
STOPPED = "never sent: the candidate was erased"


@dataclass(frozen=True)
class Erased:
    """What an erasure did."""

    candidate_id: int
    alias: str
    basis: str
    legacy_texts: int = 0  # texts about them from before texts were sealed, kept by the history
    scrubbed: bool = True  # the write-ahead log was checkpointed and truncated

    def summary(self) -> str:
        """One line for the command line and the screen."""
        words = (
            f"Candidate {self.candidate_id} ({self.alias}) erased: their data key is destroyed;"
            f" they are now {personal.erased_name(self.candidate_id)}."
        )
        if self.legacy_texts:
            words += (
                f" {self.legacy_texts} text{'s' if self.legacy_texts != 1 else ''} about them"
                " written before texts were sealed remain in the history (see README, Privacy)."
            )
        if not self.scrubbed:
            words += (
                " The write-ahead log was busy (a reader held it): the next erasure or the daily"
                " retention run truncates it."
            )
        return words


def _names(reason: str, name: str, email: str) -> bool:
    """The reason names the candidate: their whole name or email, any word of their name of
    three letters or more, or their email's local part, as a word of the reason."""
    words = set(re.findall(r"\w+", reason.casefold()))
    folded = reason.casefold()
    parts = {w for w in re.findall(r"\w+", (name or "").casefold()) if len(w) >= 3}
    local = (email or "").partition("@")[0].casefold()
    return bool(
        (name and name.casefold() in folded)
        or (email and email.casefold() in folded)
        or parts & words
        or (len(local) >= 3 and local in words)
    )


def _legacy_texts(db: Any, candidate_id: int) -> int:
    """How many texts about the candidate were stored before texts were sealed (m014): the
    history keeps them (see the module's docstring)."""
    count = sum(db.execute(sql, [candidate_id]).fetchone()[0] or 0 for sql in Q.LEGACY_TEXTS)
    for (detail,) in db.execute_stored(Q.AUDITED_REASONS, [f"candidate:{candidate_id}"]):
        reason = json.loads(detail or "{}").get("reason")
        count += bool(reason) and not personal.is_token(reason)
    return count


def erase_in(
    db: Any, candidate_id: int, *, by_id: int | None, basis: str, reason: str, at: datetime
) -> Erased:
    """Erase one candidate inside the caller's write unit (see the module's docstring). Then
    call `scrub(store)` once the unit is committed."""
    if basis not in BASES:
        raise ValueError(f"basis must be one of {BASES}")
    row = db.execute(Q.CANDIDATE, [candidate_id]).fetchone()
    if row is None:
        raise NotFound(f"No candidate with id {candidate_id}.")
    if db.execute(Q.ERASED, [candidate_id]).fetchone():
        raise InvalidInput(f"candidate: {row['alias']} is already erased.")
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput("reason: say why they are erased (a request, and when)")
    check_length("reason", reason, REASON_MAX)
    reason = check_one_line("reason", reason)
    if basis == "request" and _names(reason, row["name"], row["email"]):  # not retention's words
        raise InvalidInput(
            "reason: it names the candidate; the reason is kept after the erasure, so give it"
            " without their name or email (for example: their request by email of 3 Dec)"
        )
    held = on_hold(db, candidate_id)
    if held is not None:
        raise InvalidInput(f"candidate: a legal hold is on {row['alias']} ({held}): lift it first")
    if basis == "request" and progress_of(db, candidate_id).state == "in_process":
        raise InvalidInput(
            f"candidate: {row['alias']} is still in process: withdraw them first (Candidates),"
            " then erase them"
        )
    legacy = _legacy_texts(db, candidate_id)
    demographics.forget(db, candidate_id)
    db.execute(Q.DELETE_KEY, [candidate_id])
    db.execute(Q.DELETE_DRAFTS, [candidate_id])
    db.execute(Q.STOP_MESSAGES, [STOPPED, candidate_id])
    db.execute(Q.BLANK_MESSAGES, [personal.ERASED_TEXT, STOPPED, candidate_id])
    db.execute(Q.CLEAR_CONTACT, [personal.erased_name(candidate_id), candidate_id])
    db.execute(Q.DROP_KEPT_FIGURES)
    db.execute(Q.ADD_ERASURE, [candidate_id, stamp(at), by_id, basis, reason])
    personal.keyring(db).forget()
    audit.record(
        db,
        by_id,
        "erase_candidate",
        f"candidate:{candidate_id}",
        at,
        basis=basis,
        reason=reason,
        legacy_texts=legacy,
    )
    return Erased(candidate_id, row["alias"], basis, legacy)


@guarded("erase_candidate", on="candidate_id", write=True)
def _erase(g: Granted, candidate_id: int, reason: str, now: datetime | None = None) -> Erased:
    return erase_in(
        g.db,
        candidate_id,
        by_id=g.actor.id if g.actor else None,
        basis="request",
        reason=reason,
        at=now or now_utc(),
    )


def erase(
    store: Any, actor: Any, candidate_id: int, reason: str, now: datetime | None = None
) -> Erased:
    """A coordinator erases a candidate at their request (the permission table's
    `erase_candidate`), then the freed pages and the write-ahead log are scrubbed."""
    done = _erase(store, actor, candidate_id, reason, now)
    if not scrub(store):
        done = Erased(done.candidate_id, done.alias, done.basis, done.legacy_texts, False)
    return done


# How hard `scrub` tries while a reader holds the write-ahead log: about 3 s at most.
SCRUB_TRIES = 20
SCRUB_WAIT = 0.05


def scrub(store: Any, tries: int | None = None) -> bool:
    """After erasures are committed: no earlier copy of a changed page is left outside the
    database file. SQLite: a checkpoint that truncates the write-ahead log (retried while a
    reader holds it); PostgreSQL: the tables erasure changed are vacuumed (their dead rows'
    space reused; the server's own WAL and backups age out as its operator keeps them).
    Returns whether it was done."""
    if store.engine == "postgresql":
        return _vacuum(store)
    import sqlite3

    conn = sqlite3.connect(store.path, timeout=SCRUB_WAIT * 2, isolation_level=None)
    try:
        for _ in range(SCRUB_TRIES if tries is None else tries):
            busy, _log, _done = conn.execute(Q.CHECKPOINT).fetchone()
            if not busy:
                return True
            time.sleep(SCRUB_WAIT)
        return False
    finally:
        conn.close()


def _vacuum(store: Any) -> bool:
    import psycopg

    with psycopg.connect(store.url, autocommit=True) as conn:
        for statement in Q.VACUUM_ERASED:
            conn.execute(statement)
    return True
