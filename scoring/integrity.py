"""`python -m scoring verify`: is the history intact?

Checks, in this order, and reports every problem with the row it is in (the first is the one to look
at): SQLite's own integrity and foreign-key checks; that every trigger guarding the history is in
place; the audit log's chain and its signatures under the audit key (`scoring.keys`: an entry must
be signed with it, or come before a seal signed with it that vouches for its content), and that the
chain head each backup saw is still there; each rubric snapshot against its hash; each scorecard,
decision, committee vote, opened debrief and hire outcome against the digest its audit entry
recorded when it was written; and the invariants the service keeps (revisions numbered 1, 2, ...
with a reason after the first; a scorecard against its session's rubric with a score or "not
assessed" for every criterion and an overall on the opening's scale; no scorecard on a recused seat;
decisions only on an opened debrief; votes only by the opening's committee).
"""

from __future__ import annotations

import json

from pydantic import ValidationError

from scoring import keys
from scoring.audit import (
    DIGESTED,
    SEALS,
    chain_hash,
    row_digest,
    signature,
    signed_by,
)
from scoring.database import Database
from scoring.keys import AuditKey, AuditKeyProblem
from scoring.migrations import (
    _APPEND_ONLY,
    _FUNNEL_HISTORY,
    _LATER_HISTORY,
    _NO_REPLACE,
    _PRIVACY_HISTORY,
)
from scoring.models.integrity import Report
from scoring.personal import PREFIX
from scoring.queries import audit as QA
from scoring.queries import integrity as QI
from scoring.queries.schema_pg import GUARD_TRIGGERS
from scoring.rubric import Rubric
from scoring.store import Store

GUARDS = (
    [f"{t}_append_only_{e}" for t in _APPEND_ONLY for e in ("update", "delete")]
    + [f"{t}_no_replace" for t in _NO_REPLACE]
    + [f"{t}_append_only_{e}" for t in _LATER_HISTORY for e in ("update", "delete")]
    + [f"{t}_no_replace" for t in _LATER_HISTORY]
    + [f"{t}_append_only_{e}" for t in _FUNNEL_HISTORY for e in ("update", "delete")]
    + [f"{t}_no_replace" for t in _FUNNEL_HISTORY]
    + [f"{t}_append_only_{e}" for t in _PRIVACY_HISTORY for e in ("update", "delete")]
    + [f"{t}_no_replace" for t in _PRIVACY_HISTORY]
    + ["stage_seats_keep_their_reviewer", "stage_seats_recused_once", "stage_seats_kept"]
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
    "stage_reviews": (("review_stage",), lambda e: e["detail"].get("review_id")),
    "stage_outcomes": (("stage_outcome",), lambda e: e["detail"].get("outcome_id")),
}


def verify(
    store: Store, key: AuditKey | None = None, since: tuple[int, str] | None = None
) -> Report:
    """Check the whole history of one database; see the module's docstring for what. `key`:
    the audit key (default: the one for this database, see `scoring.keys.find`); `since`: a
    chain head (id, hash) a backup saw, which must still be there unchanged."""
    report = Report()
    if key is None:
        try:  # on PostgreSQL never a file beside the database: the environment or the secrets
            key = keys.configured() if store.engine == "postgresql" else keys.find(store.path)
        except AuditKeyProblem as exc:
            report.problems.append(str(exc))
    if key is not None and key.beside_database:
        report.notes.append(
            f"the audit key is the file {key.source}, beside the database: whoever can write the"
            f" database can usually read it too. Move it to ${keys.ENV} or [audit] key in"
            " .streamlit/secrets.toml and delete the file (see README, 'The audit key')"
        )
    with store.read() as db:
        _sqlite(db, report)
        _guards(db, report)
        entries = _chain(db, report, key)
        _backups(entries, report, since)
        _snapshots(db, report)
        _vouched(db, entries, report)
        _invariants(db, report)
        _privacy(db, entries, report)
    return report


def _sqlite(db: Database, report: Report) -> None:
    result = db.execute(QI.INTEGRITY_CHECK).fetchall()
    if [r[0] for r in result] != ["ok"]:
        report.problems.append(f"sqlite integrity_check: {result[0][0]}")
    for table, rowid, parent, _ in db.execute(QI.FOREIGN_KEY_CHECK).fetchall():
        report.problems.append(f"{table} row {rowid}: refers to a missing {parent} row")


def _guards(db: Database, report: Report) -> None:
    # On PostgreSQL: its own guards (SQLite's, and TRUNCATE refused), each enabled ALWAYS (a
    # trigger merely enabled is skipped by a session in replica mode).
    guards = GUARD_TRIGGERS if db.engine == "postgresql" else GUARDS
    present = {r[0] for r in db.execute(QI.TRIGGERS)}
    for name in guards:
        if name not in present:
            report.problems.append(f"trigger {name} is missing: the history is unguarded")
    report.checked["triggers"] = len(guards)


def _chain(db: Database, report: Report, key: AuditKey | None) -> list[dict]:
    say = report.problems.append
    rows = db.execute(QA.ENTRIES).fetchall()
    previous, root, sealed_through, first_signed = "", "", -1, None
    kinds: list[str] = []  # per entry: "ours" (signed with this key), "other" (another), "plain"
    for index, row in enumerate(rows):
        where = f"audit_log id {row['id']}"
        by = signed_by(row["hash"])
        if row["prev_hash"] != previous:
            say(
                f"{where}: does not follow the entry before it (an entry was removed, inserted or"
                " changed)"
            )
        elif by is None and row["hash"] != chain_hash(previous, row):
            say(f"{where}: its content does not match its hash")
        if by is None:
            kinds.append("plain")
        elif key is not None and by == key.id:
            kinds.append("ours")
            if row["hash"] != signature(key, previous, row):
                say(
                    f"{where}: its signature does not match its content: it was changed, or"
                    " written without the audit key"
                )
            elif row["action"] in SEALS:
                if json.loads(row["detail"]).get("root") != root:
                    say(f"{where}: the entries before this seal are not the ones it vouched for")
                else:
                    sealed_through = index
        else:
            kinds.append("other")
        if by is not None and first_signed is None:
            first_signed = index
        root = chain_hash(root, row)
        previous = row["hash"]
    report.head = (rows[-1]["id"], rows[-1]["hash"]) if rows else (0, "")
    _unvouched(rows, kinds, sealed_through, first_signed, key, report)
    report.checked["audit entries"] = len(rows)
    return [{**dict(r), "detail": json.loads(r["detail"])} for r in rows]


def _unvouched(
    rows: list,
    kinds: list[str],
    sealed_through: int,
    first_signed: int | None,
    key: AuditKey | None,
    report: Report,
) -> None:
    """Entries neither signed with this key nor vouched for by a later seal signed with it."""
    say = report.problems.append
    loose = [i for i in range(sealed_through + 1, len(rows)) if kinds[i] != "ours"]
    if not loose:
        return
    ids = lambda group: (  # noqa: E731
        f"audit_log id {rows[group[0]]['id']}"
        if len(group) == 1
        else f"{len(group):,} audit entries (ids {rows[group[0]]['id']} to {rows[group[-1]]['id']})"
    )
    others = [i for i in loose if kinds[i] == "other"]
    if others and key is None:
        say(
            f"no audit key is set, so the signatures of {ids(others)} cannot be checked: set"
            f" ${keys.ENV} or [audit] key in .streamlit/secrets.toml to the key they were signed"
            f" with (key {signed_by(rows[others[0]]['hash'])})"
        )
    elif others:
        say(
            f"{ids(others)}: signed with another audit key (key"
            f" {signed_by(rows[others[0]]['hash'])}) than the one set here (key {key.id}, from"
            f" {key.source}): the wrong key is set (a new key needs `python -m scoring rekey`,"
            " which seals the history under it)"
        )
    plain = [i for i in loose if kinds[i] == "plain"]
    late = {i for i in plain if first_signed is not None and i > first_signed}
    early = [i for i in plain if i not in late]
    if late:
        say(
            f"{ids(sorted(late))}: not signed, though entries before it are: written or recomputed"
            " behind Debrief's back"
        )
    if early:
        report.unsealed = len(early)
        say(
            f"{ids(early)}: not signed with the audit key. Either they were written before"
            " Debrief had one, or the history was recomputed behind its back. If you trust this"
            " database as it stands, seal them with `python -m scoring adopt-key`"
        )


def _backups(entries: list[dict], report: Report, since: tuple[int, str] | None) -> None:
    """Each backup recorded the chain head it saw; that entry must still be the same."""
    stored = {e["id"]: e["hash"] for e in entries}
    heads = [
        (
            f"the backup of {e['at']} ({e['detail'].get('file')})",
            e["detail"].get("head_id"),
            e["detail"].get("head_hash"),
        )
        for e in entries
        if e["action"] == "backup"
    ]
    if since is not None:
        heads.append(("the chain head you gave", *since))
    for what, head_id, head_hash in heads:
        if head_id and stored.get(head_id) != head_hash:
            report.problems.append(
                f"history was rewritten since {what}: audit_log id {head_id} is not the entry it"
                " saw" + ("" if head_id in stored else " (it is gone)")
            )
        report.checked["backup heads"] += 1
    if heads and not report.problems:
        what, head_id, _ = heads[-1]
        report.notes.append(
            f"unchanged since {what}: the {head_id:,} entries it saw are all still here"
        )


def _snapshots(db: Database, report: Report) -> None:
    for row in db.execute(QI.SNAPSHOTS):
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
        for (key,) in db.execute(QA.HISTORY_KEYS[table]).fetchall():
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


def _privacy(db: Database, entries: list[dict], report: Report) -> None:
    """Every erasure was written by an audited erasure; no candidate's data key is gone without
    one (their sealed values would read as erased with nothing to say so)."""
    erased = {
        (e["subject"], e["detail"].get("basis"))
        for e in entries
        if e["action"] == "erase_candidate"
    }
    for candidate_id, basis in db.execute(QI.ERASURES).fetchall():
        if (f"candidate:{candidate_id}", basis) not in erased:
            report.problems.append(f"erasures candidate_id {candidate_id}: no audit entry wrote it")
        report.checked["erasures"] += 1
    for (candidate_id,) in db.execute(QI.KEYLESS, [len(PREFIX), PREFIX]).fetchall():
        report.problems.append(
            f"candidates id {candidate_id}: their data key is missing, and they were never erased"
            " (deleted behind Debrief's back: their sealed data cannot be read)"
        )


def _invariants(db: Database, report: Report) -> None:
    say = report.problems.append
    for r in db.execute(QI.CARDS):
        where = f"scorecards id {r['id']}"
        if r["rubric_hash"] != r["session_rubric"]:
            say(f"{where}: scored against another rubric than its session's")
        if r["recused_at"]:
            say(f"{where}: its seat is marked recused, but a recused seat has no scorecard")
        if not r["scale_min"] <= r["overall"] <= r["scale_max"]:
            say(f"{where}: overall {r['overall']} is off the opening's scale")
        if (r["revision"] == 1) != (r["revision_reason"] is None):
            say(f"{where}: a first revision has no reason and a later one has one")
    for assignment, revisions in db.execute(QI.REVISIONS):
        numbers = [int(n) for n in revisions.split(",")]
        if numbers != list(range(1, len(numbers) + 1)):
            say(f"assignments id {assignment}: revisions {numbers} are not 1, 2, ...")
    for r in db.execute(QI.CRITERIA_SCORED):
        content = db.execute(QI.SNAPSHOT, [r["rubric_hash"]]).fetchone()
        wanted = {c["id"] for c in json.loads(content["content"])["criteria"]} if content else set()
        if set((r["ids"] or "").split(",")) - {""} != wanted:
            say(f"scorecards id {r['id']}: its criterion scores do not match its rubric")
    for r in db.execute(QI.DECISIONS_OPENED):
        if r["opened_at"] is None or r["decided_at"] < r["opened_at"]:
            say(f"decisions id {r['id']}: recorded without an opened debrief")
    for r in db.execute(QI.STRAY_VOTES):
        say(f"committee_votes id {r['id']}: cast by someone not on the opening's committee")
