"""The audit log: who did what, when. Append-only (triggers refuse UPDATE, DELETE and REPLACE) and
chained: each entry carries the hash of the entry before it and its own signature over both, so
an entry changed, removed or slipped in shows as a broken link (`python -m scoring verify`).

The signature is an HMAC-SHA256 under the audit key (`scoring.keys`), which is held outside the
database: ``hmac-sha256:<key id>:<hex>``. Anyone can recompute a plain hash, so without the key a
rewritten history could be made to look whole again; with it, they cannot. Entries written
before Debrief had a key carry the plain SHA-256 of `chain_hash`; the key holder vouches for them
once with a *seal* (`python -m scoring adopt-key`), a signed entry whose `root` is the plain
chain over the content of every entry before it. A new key (`python -m scoring rekey`) is a seal
too, under the new key, written only after the whole history checks out under the old one.
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from pathlib import Path
from typing import Any

from scoring import keys
from scoring.clock import stamp
from scoring.database import Database
from scoring.keys import AuditKey, AuditKeyProblem
from scoring.queries import audit as Q

SIGNED = "hmac-sha256:"
# The audit actions whose signed entry vouches for every entry before it.
SEALS = ("adopt_key", "rekey")


def _body(previous: str, entry: Any) -> bytes:
    return json.dumps(
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
    ).encode()


def chain_hash(previous: str, entry: Any) -> str:
    """The plain (public) hash of one entry, chained to the hash of the entry before it: what
    entries from before the audit key carry, and what a seal's root is made of."""
    return hashlib.sha256(_body(previous, entry)).hexdigest()


def signature(key: AuditKey, previous: str, entry: Any) -> str:
    """The signed hash of one entry under `key`, chained to the hash of the entry before it."""
    return f"{SIGNED}{key.id}:{key.sign(_body(previous, entry))}"


def signed_by(stored: str) -> str | None:
    """The id of the key a stored hash was signed with; None for a plain hash."""
    if not stored.startswith(SIGNED):
        return None
    return stored[len(SIGNED) :].split(":", 1)[0]


def content_root(rows: list[Any]) -> str:
    """The plain chain over the content of `rows` (oldest first), whatever their stored hashes
    are: what a seal vouches for."""
    root = ""
    for row in rows:
        root = chain_hash(root, row)
    return root


def _database_path(db: Database) -> Path:
    for row in db.execute(Q.DATABASE_LIST).fetchall():
        if row[1] == "main" and row[2]:
            return Path(row[2])
    raise AuditKeyProblem("the audit key is kept beside the database, and this one has no file")


def writing_key(db: Database, last_hash: str) -> AuditKey:
    """The key to sign the next entry with. Refuses a key other than the one the last entry was
    signed with (signing on would leave a history nobody can check); creates the key file beside
    the database when no key is set and nothing is signed yet."""
    key = keys.configured()
    if key is None:
        key = getattr(db, "_debrief_audit_key", None)
    if key is None and getattr(db, "engine", "sqlite") == "postgresql":
        raise AuditKeyProblem(
            f"Debrief's audit key is not set. On PostgreSQL it is never kept beside the database:"
            f" set ${keys.ENV} or [audit] key in .streamlit/secrets.toml ({keys.MAKE_ONE} makes"
            " one) on every host. Nothing was saved."
        )
    if key is None:
        path = _database_path(db)
        key = keys.find(path)
        if key is None and signed_by(last_hash):
            raise AuditKeyProblem(
                f"Debrief's audit key is missing: its history is signed with key"
                f" {signed_by(last_hash)}, and there is no ${keys.ENV}, no [audit] key in"
                f" .streamlit/secrets.toml and no {keys.key_file(path).name} beside the"
                " database. Nothing was saved. Ask whoever runs Debrief to put the key back."
            )
        key = key or keys.create_file(path)
        db._debrief_audit_key = key  # type: ignore[attr-defined] - one look-up per connection
    written_with = signed_by(last_hash)
    if written_with and written_with != key.id:
        raise AuditKeyProblem(
            f"Debrief's audit key (key {key.id}, from {key.source}) is not the one its history"
            f" is signed with (key {written_with}). Nothing was saved. Ask whoever runs Debrief"
            " to set the right key (after `python -m scoring rekey`, the new one)."
        )
    return key


def record(
    db: Database,
    actor_id: int | None,
    action: str,
    subject: str,
    at: datetime,
    **detail: Any,
) -> None:
    """Append one entry, inside the caller's unit of work (so it commits with the change). The
    caller holds the write lock, so the entry before it cannot change under it. Signed with the
    audit key (see `writing_key`)."""
    last = db.execute(Q.HEAD).fetchone()
    previous = last["hash"] if last else ""
    key = writing_key(db, previous)
    entry = {
        "id": (last["id"] if last else 0) + 1,
        "at": stamp(at),
        "actor_id": actor_id,
        "action": action,
        "subject": subject,
        "detail": json.dumps(detail, default=str, sort_keys=True),
    }
    db.execute(
        Q.APPEND,
        {**entry, "prev_hash": previous, "hash": signature(key, previous, entry)},
    )


def seal(db: Database, key: AuditKey, action: str, at: datetime, **detail: Any) -> dict:
    """Append a seal signed with `key`: it vouches for every entry before it (their content's
    plain chain is its `root`). Only for a history the caller has checked. Returns its detail."""
    rows = db.execute(Q.ENTRIES).fetchall()
    previous = rows[-1]["hash"] if rows else ""
    detail = {
        **detail,
        "entries": len(rows),
        "through": rows[-1]["id"] if rows else 0,
        "root": content_root(rows),
        "key_id": key.id,
    }
    entry = {
        "id": (rows[-1]["id"] if rows else 0) + 1,
        "at": stamp(at),
        "actor_id": None,
        "action": action,
        "subject": "audit_log",
        "detail": json.dumps(detail, default=str, sort_keys=True),
    }
    db.execute(
        Q.APPEND,
        {**entry, "prev_hash": previous, "hash": signature(key, previous, entry)},
    )
    return detail


def head(db: Database) -> tuple[int, str]:
    """The id and stored hash of the last entry ((0, "") when there is none)."""
    last = db.execute(Q.HEAD).fetchone()
    return (last["id"], last["hash"]) if last else (0, "")


def entries(db: Database, action: str | None = None) -> list[dict[str, Any]]:
    """Every entry, oldest first (optionally of one action), with detail decoded."""
    if action:
        rows = db.execute(Q.ENTRIES_OF, [action]).fetchall()
    else:
        rows = db.execute(Q.ENTRIES).fetchall()
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
    "stage_reviews": "id",
    "stage_outcomes": "id",
}


def row_digest(db: Database, table: str, key: Any) -> str:
    """A hash of one history row as stored (a scorecard with its criterion scores): a
    candidate's sealed texts as their ciphertext, never opened (`scoring.personal`), so the
    digest commits to nothing of the cleartext and still matches once the candidate is
    erased."""
    row = db.execute_stored(Q.HISTORY_ROW[table], [key]).fetchone()
    body: list[Any] = [dict(row) if row else None]
    if table == "scorecards":
        body.append([dict(r) for r in db.execute_stored(Q.CRITERION_SCORES, [key]).fetchall()])
    text = json.dumps(body, sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()
