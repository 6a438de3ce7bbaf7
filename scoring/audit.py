"""The audit log: who did what, when. Append-only (triggers refuse UPDATE, DELETE and REPLACE) and
hash-chained: each entry carries the hash of the entry before it and its own hash over both, so
an entry changed, removed or slipped in shows as a broken link (`python -m scoring verify`)."""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from typing import Any

from sqlite_utils import Database

from scoring.store import stamp


def chain_hash(previous: str, entry: Any) -> str:
    """The hash of one entry, chained to the hash of the entry before it."""
    body = json.dumps(
        [
            previous,
            entry["id"],
            entry["at"],
            entry["actor_id"],
            entry["action"],
            entry["subject"],
            entry["detail"],
        ],
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(body.encode()).hexdigest()


def record(
    db: Database,
    actor_id: int | None,
    action: str,
    subject: str,
    at: datetime,
    **detail: Any,
) -> None:
    """Append one entry, inside the caller's unit of work (so it commits with the change). The
    caller holds the write lock, so the entry before it cannot change under it."""
    last = db.execute("SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1").fetchone()
    previous = last["hash"] if last else ""
    entry = {
        "id": (last["id"] if last else 0) + 1,
        "at": stamp(at),
        "actor_id": actor_id,
        "action": action,
        "subject": subject,
        "detail": json.dumps(detail, default=str, sort_keys=True),
    }
    db.execute(
        "INSERT INTO audit_log (id, at, actor_id, action, subject, detail, prev_hash, hash)"
        " VALUES (:id, :at, :actor_id, :action, :subject, :detail, :prev_hash, :hash)",
        {**entry, "prev_hash": previous, "hash": chain_hash(previous, entry)},
    )


def entries(db: Database, action: str | None = None) -> list[dict[str, Any]]:
    """Every entry, oldest first (optionally of one action), with detail decoded."""
    sql, params = "SELECT * FROM audit_log", []
    if action:
        sql, params = sql + " WHERE action = ?", [action]
    rows = db.execute(sql + " ORDER BY id", params).fetchall()
    return [{**dict(r), "detail": json.loads(r["detail"])} for r in rows]


# What each history row's audit entry vouches for: the row as stored, by its key. The writer
# records the digest in the same unit of work; `verify` recomputes it, so a row changed by any
# means (even with the triggers dropped) no longer matches its entry.
DIGESTED = {
    "scorecards": "id",
    "decisions": "id",
    "committee_votes": "id",
    "debriefs": "candidate_id",
    "hire_outcomes": "id",
}


def row_digest(db: Database, table: str, key: Any) -> str:
    """A hash of one history row as stored (a scorecard with its criterion scores)."""
    column = DIGESTED[table]
    row = db.execute(f"SELECT * FROM {table} WHERE {column} = ?", [key]).fetchone()
    body: list[Any] = [dict(row) if row else None]
    if table == "scorecards":
        body.append(
            [
                dict(r)
                for r in db.execute(
                    "SELECT * FROM criterion_scores WHERE scorecard_id = ? ORDER BY criterion_id",
                    [key],
                )
            ]
        )
    text = json.dumps(body, sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()
