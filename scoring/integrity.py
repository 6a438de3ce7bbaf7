"""`python -m scoring verify`: is the history intact?

Checks, in this order, and reports every problem with the row it is in (the first is the one to
look at): SQLite's own integrity and foreign-key checks; that every trigger guarding the history
is in place; the audit log's hash chain; each rubric snapshot against its hash; each scorecard,
decision, committee vote, opened debrief and hire outcome against the digest its audit entry
recorded when it was written; and the invariants the service keeps (revisions numbered 1, 2, ...
with a reason after the first; a scorecard against its session's rubric with a score or "not
assessed" for every criterion and an overall on the opening's scale; no scorecard on a recused
seat; decisions only on an opened debrief; votes only by the opening's committee).
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field

from pydantic import ValidationError
from sqlite_utils import Database

from scoring.audit import DIGESTED, chain_hash, row_digest
from scoring.migrations import _APPEND_ONLY, _LATER_HISTORY, _NO_REPLACE
from scoring.rubric import Rubric
from scoring.store import Store

GUARDS = (
    [f"{t}_append_only_{e}" for t in _APPEND_ONLY for e in ("update", "delete")]
    + [f"{t}_no_replace" for t in _NO_REPLACE]
    + [f"{t}_append_only_{e}" for t in _LATER_HISTORY for e in ("update", "delete")]
    + [f"{t}_no_replace" for t in _LATER_HISTORY]
    + [
        "debriefs_frozen",
        "debriefs_kept",
        "criterion_scores_with_their_scorecard",
        "rubric_snapshots_frozen_update",
        "rubric_snapshots_frozen_delete",
        "assignments_keep_their_interviewer",
        "assignments_scored_stay",
        "assignments_scored_kept",
        "sessions_keep_their_place",
        "sessions_scored_stay",
        "sessions_scored_kept",
        "candidates_stay_in_their_opening",
        "openings_scored_frozen",
        "opening_sessions_scored_update",
        "opening_sessions_scored_delete",
        "audit_log_chained",
        "opening_closed_stays_closed",
        "candidate_withdrawn_stays_withdrawn",
        "hire_outcomes_only_for_hires",
    ]
)
# The audit action that vouches for each kind of history row, and where it names the row.
VOUCHERS = {
    "scorecards": (("submit", "revise"), lambda e: int(e["subject"].split(":")[1])),
    "decisions": (("decide",), lambda e: e["detail"].get("decision_id")),
    "committee_votes": (("vote", "change_vote"), lambda e: e["detail"].get("vote_id")),
    "debriefs": (("open_debrief",), lambda e: int(e["subject"].split(":")[1])),
    "hire_outcomes": (("record_outcome",), lambda e: e["detail"].get("outcome_id")),
}


@dataclass
class Report:
    """What `verify` found: problems (first broken row first) and what it checked."""

    problems: list[str] = field(default_factory=list)
    checked: Counter = field(default_factory=Counter)

    @property
    def ok(self) -> bool:
        """Nothing is wrong."""
        return not self.problems


def verify(store: Store) -> Report:
    """Check the whole history of one database; see the module's docstring for what."""
    report = Report()
    with store.read() as db:
        _sqlite(db, report)
        _guards(db, report)
        entries = _chain(db, report)
        _snapshots(db, report)
        _vouched(db, entries, report)
        _invariants(db, report)
    return report


def _sqlite(db: Database, report: Report) -> None:
    result = db.execute("PRAGMA integrity_check").fetchall()
    if [r[0] for r in result] != ["ok"]:
        report.problems.append(f"sqlite integrity_check: {result[0][0]}")
    for table, rowid, parent, _ in db.execute("PRAGMA foreign_key_check").fetchall():
        report.problems.append(f"{table} row {rowid}: refers to a missing {parent} row")


def _guards(db: Database, report: Report) -> None:
    present = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")}
    for name in GUARDS:
        if name not in present:
            report.problems.append(f"trigger {name} is missing: the history is unguarded")
    report.checked["triggers"] = len(GUARDS)


def _chain(db: Database, report: Report) -> list[dict]:
    previous, entries = "", []
    for row in db.execute("SELECT * FROM audit_log ORDER BY id"):
        if row["prev_hash"] != previous:
            report.problems.append(
                f"audit_log id {row['id']}: does not follow the entry before it"
                " (an entry was removed, inserted or changed)"
            )
        elif row["hash"] != chain_hash(previous, row):
            report.problems.append(f"audit_log id {row['id']}: its content does not match its hash")
        previous = row["hash"]
        entries.append({**dict(row), "detail": json.loads(row["detail"])})
    report.checked["audit entries"] = len(entries)
    return entries


def _snapshots(db: Database, report: Report) -> None:
    for row in db.execute("SELECT hash, content FROM rubric_snapshots"):
        try:
            same = Rubric.model_validate_json(row["content"]).content_hash == row["hash"]
        except ValidationError:
            same = False
        if not same:
            report.problems.append(
                f"rubric_snapshots {row['hash'][:12]}: its content does not match its hash"
            )
        report.checked["rubric snapshots"] += 1


def _vouched(db: Database, entries: list[dict], report: Report) -> None:
    locked = next((e["detail"]["before"] for e in entries if e["action"] == "history_locked"), {})
    for table, (actions, key_of) in VOUCHERS.items():
        vouchers = {key_of(e): e for e in entries if e["action"] in actions}
        column = DIGESTED[table]
        for (key,) in db.execute(f"SELECT {column} FROM {table} ORDER BY {column}").fetchall():
            entry = vouchers.get(key)
            if entry is None and key <= locked.get(table, 0):
                pass  # logged before entries named their row (migration m004)
            elif entry is None:
                report.problems.append(f"{table} {column} {key}: no audit entry wrote it")
            elif "digest" in entry["detail"] and entry["detail"]["digest"] != row_digest(
                db, table, key
            ):
                report.problems.append(
                    f"{table} {column} {key}: changed since it was written"
                    f" (audit_log id {entry['id']})"
                )
            report.checked[table] += 1


def _invariants(db: Database, report: Report) -> None:
    say = report.problems.append
    for r in db.execute(
        """SELECT s.id, s.assignment_id, s.revision, s.revision_reason, s.rubric_hash, s.overall,
                  i.rubric_hash AS session_rubric, a.recused_at, o.scale_min, o.scale_max
           FROM scorecards s JOIN assignments a ON a.id = s.assignment_id
           JOIN interview_sessions i ON i.id = a.session_id
           JOIN candidates c ON c.id = i.candidate_id JOIN openings o ON o.id = c.opening_id
           ORDER BY s.assignment_id, s.revision"""
    ):
        where = f"scorecards id {r['id']}"
        if r["rubric_hash"] != r["session_rubric"]:
            say(f"{where}: scored against another rubric than its session's")
        if r["recused_at"]:
            say(f"{where}: its seat is marked recused, but a recused seat has no scorecard")
        if not r["scale_min"] <= r["overall"] <= r["scale_max"]:
            say(f"{where}: overall {r['overall']} is off the opening's scale")
        if (r["revision"] == 1) != (r["revision_reason"] is None):
            say(f"{where}: a first revision has no reason and a later one has one")
    for assignment, revisions in db.execute(
        "SELECT assignment_id, group_concat(revision) FROM"
        " (SELECT assignment_id, revision FROM scorecards ORDER BY assignment_id, revision)"
        " GROUP BY assignment_id"
    ):
        numbers = [int(n) for n in revisions.split(",")]
        if numbers != list(range(1, len(numbers) + 1)):
            say(f"assignments id {assignment}: revisions {numbers} are not 1, 2, ...")
    for r in db.execute(
        "SELECT s.id, s.rubric_hash, group_concat(cs.criterion_id) AS ids FROM scorecards s"
        " LEFT JOIN criterion_scores cs ON cs.scorecard_id = s.id GROUP BY s.id"
    ):
        content = db.execute(
            "SELECT content FROM rubric_snapshots WHERE hash = ?", [r["rubric_hash"]]
        ).fetchone()
        wanted = {c["id"] for c in json.loads(content["content"])["criteria"]} if content else set()
        if set((r["ids"] or "").split(",")) - {""} != wanted:
            say(f"scorecards id {r['id']}: its criterion scores do not match its rubric")
    for r in db.execute(
        "SELECT d.id, d.decided_at, b.opened_at FROM decisions d"
        " LEFT JOIN debriefs b ON b.candidate_id = d.candidate_id ORDER BY d.id"
    ):
        if r["opened_at"] is None or r["decided_at"] < r["opened_at"]:
            say(f"decisions id {r['id']}: recorded without an opened debrief")
    for r in db.execute(
        """SELECT v.id FROM committee_votes v JOIN candidates c ON c.id = v.candidate_id
           WHERE NOT EXISTS (SELECT 1 FROM opening_committee m
                             WHERE m.opening_id = c.opening_id AND m.person_id = v.member_id)
           ORDER BY v.id"""
    ):
        say(f"committee_votes id {r['id']}: cast by someone not on the opening's committee")
