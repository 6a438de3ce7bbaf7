"""An attacker who can write the database file and has read Debrief's source, but not its audit
key: raw SQL on the file, and only the public algorithms (`chain_hash`, `row_digest`)."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from scoring.audit import chain_hash, row_digest
from scoring.database import Database


def rewrite(path: Path, *statements: tuple[str, list]) -> None:
    """Drop every trigger, run `statements`, put the triggers back as they were."""
    conn = sqlite3.connect(path)
    try:
        triggers = conn.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger'"
        ).fetchall()
        for name, _ in triggers:
            conn.execute(f"DROP TRIGGER {name}")
        for statement, params in statements:
            conn.execute(statement, params)
        for _, sql in triggers:
            conn.execute(sql)
        conn.commit()
    finally:
        conn.close()


def recompute(path: Path, from_id: int = 1, fake_signature: bool = False) -> None:
    """Every audit entry's digest of its row recomputed from the rows as they now are, then the
    chain from entry `from_id` on (entries before it keep what they had). `fake_signature`:
    dress each recomputed hash as a signed one, under the real key's (public) id."""
    conn = sqlite3.connect(path)
    conn.row_factory = sqlite3.Row
    db = Database(conn)
    rows = [dict(r) for r in conn.execute("SELECT * FROM audit_log ORDER BY id")]
    tables = {"submit": "scorecards", "revise": "scorecards", "decide": "decisions"}
    for row in rows:
        detail = json.loads(row["detail"])
        if row["action"] in tables and "digest" in detail:
            table = tables[row["action"]]
            key = (
                int(row["subject"].split(":")[1])
                if table == "scorecards"
                else detail["decision_id"]
            )
            detail["digest"] = row_digest(db, table, key)
            row["detail"] = json.dumps(detail, default=str, sort_keys=True)
    key_id = next((r["hash"].split(":")[1] for r in rows if r["hash"].startswith("hmac")), "0")
    previous = ""
    for row in rows:
        if row["id"] >= from_id:
            row["prev_hash"] = previous
            plain = chain_hash(previous, row)
            row["hash"] = f"hmac-sha256:{key_id}:{plain}" if fake_signature else plain
        previous = row["hash"]
    conn.close()
    rewrite(
        path,
        *(
            (
                "UPDATE audit_log SET detail = ?, prev_hash = ?, hash = ? WHERE id = ?",
                [r["detail"], r["prev_hash"], r["hash"], r["id"]],
            )
            for r in rows
        ),
    )
