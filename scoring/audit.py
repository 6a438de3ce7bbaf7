"""The audit log: who did what, when. Append-only (a trigger refuses UPDATE and DELETE)."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlite_utils import Database

from scoring.store import stamp


def record(
    db: Database,
    actor_id: int | None,
    action: str,
    subject: str,
    at: datetime,
    **detail: Any,
) -> None:
    """Append one entry, inside the caller's unit of work (so it commits with the change)."""
    db.execute(
        "INSERT INTO audit_log (at, actor_id, action, subject, detail) VALUES (?, ?, ?, ?, ?)",
        [stamp(at), actor_id, action, subject, json.dumps(detail, default=str, sort_keys=True)],
    )


def entries(db: Database, action: str | None = None) -> list[dict[str, Any]]:
    """Every entry, oldest first (optionally of one action), with detail decoded."""
    sql, params = "SELECT * FROM audit_log", []
    if action:
        sql, params = sql + " WHERE action = ?", [action]
    rows = db.execute(sql + " ORDER BY id", params).fetchall()
    return [{**dict(r), "detail": json.loads(r["detail"])} for r in rows]
