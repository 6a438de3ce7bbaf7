"""The proof of a copy made by `python -m scoring migrate-to` (`scoring.migrate_to`), run inside
the copy's transaction before it commits: `verify` on the copy under the file's audit key, with
the same counts and chain head as on the file; every row of every table equal, value for value,
in key order on both sides; and the JSON decision summary of every opened debrief, and each
opening's decision and scorecard exports, equal on both sides, read as the same person at the
same moment (the opening's hiring manager, else a committee member, else for the decisions a
coordinator: whoever the permission table lets read it)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import zip_longest

from scoring import debrief, exports, people
from scoring.clock import now_utc
from scoring.database import Database
from scoring.errors import DebriefError, NotAllowed
from scoring.integrity import verify
from scoring.models.integrity import Report
from scoring.queries import migrate_to as Q
from scoring.store import Store

CHUNK = 1000  # rows read (and written) at a time
SHOWN_PROBLEMS = 5  # per table, after which the rest are counted


@dataclass
class Table:
    """One table as both sides have it: its columns (the file's order) and its key."""

    name: str
    columns: list[str]
    key: list[tuple[str, bool]]  # (column, is text), in the primary key's order


@dataclass
class Outcome:
    """What migrate-to did: rows copied per table, the proof, and any check that failed."""

    source: str
    target: str
    rows: dict[str, int] = field(default_factory=dict)
    proof: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    copy_seconds: float = 0.0
    proof_seconds: float = 0.0
    committed: bool = False


def rows(sdb: Database, table: Table) -> Iterator[tuple]:
    """Every row of `table` in the SQLite file, in key order, a chunk read at a time."""
    cursor = sdb.execute_stored(
        Q.source_rows_of(table.name, table.columns, [c for c, _ in table.key])
    )
    while chunk := cursor.fetchmany(CHUNK):
        yield from (tuple(r) for r in chunk)


def prove(
    sdb: Database,
    tdb,
    source: Store,
    target,
    key,
    before: Report,
    plan: list[Table],
    outcome: Outcome,
) -> None:
    """The three checks of the copy, inside its transaction (`tdb`: the target's connection,
    holding it); each failure in `outcome.problems`, each check passed in `outcome.proof`."""
    say = outcome.problems.append
    after = verify(target, key)  # reads the copy: the batch's own connection, uncommitted
    checked = {k: v for k, v in after.checked.items() if k != "triggers"}
    if not after.ok:
        say(f"verify on the copy: {after.problems[0]}")
    elif after.head != before.head or checked != {
        k: v for k, v in before.checked.items() if k != "triggers"
    }:
        say(f"verify on the copy checked {dict(after.checked)}, on the file {dict(before.checked)}")
    else:
        outcome.proof.append(
            f"verify: history intact under audit key {key.id if key else '(none)'}"
            f" ({', '.join(f'{n:,} {w}' for w, n in sorted(after.checked.items()))});"
            f" chain head audit_log id {after.head[0]:,}, as in the file"
        )
    rows = sum(_same_rows(sdb, tdb, table, say) for table in plan)
    if not any(p.startswith("rows:") for p in outcome.problems):
        outcome.proof.append(
            f"rows: all {rows:,} rows of the {len(plan)} tables equal, value for value, ids kept"
        )
    _same_exports(sdb, source, target, outcome)


def _same_rows(sdb: Database, tdb, table: Table, say) -> int:
    """Compare every row of one table on both sides, in key order; the rows compared."""
    shown_here, count = 0, 0
    with tdb.conn.cursor(name="migrate_to_rows") as theirs:
        theirs.itersize = CHUNK
        theirs.execute(Q.rows_of(table.name, table.columns, table.key))
        for mine, copied in zip_longest(rows(sdb, table), theirs):
            count += 1
            if mine is not None and copied is not None and tuple(copied) == mine:
                continue
            if shown_here == SHOWN_PROBLEMS:
                say(f"rows: {table.name}: more rows differ")
            if shown_here < SHOWN_PROBLEMS:
                row = mine if mine is not None else tuple(copied)
                where = ", ".join(f"{c} {row[table.columns.index(c)]}" for c, _ in table.key)
                say(f"rows: {table.name} {where}: {_difference(table, mine, copied)}")
            shown_here += 1
    return count


def _difference(table: Table, mine: tuple | None, copied) -> str:
    if copied is None:
        return "missing from the copy"
    if mine is None:
        return "in the copy only"
    for column, a, b in zip(table.columns, mine, copied, strict=True):
        if a != b:
            return f"{column} is {a!r} in the file, {b!r} in the copy"
    return "out of order"


def _same_exports(sdb: Database, source: Store, target, outcome: Outcome) -> None:
    """The JSON decision summary of every opened debrief, and each opening's decision and
    scorecard exports, equal on both sides: the same reader, the same moment."""
    moment = now_utc()
    summaries, unread, tables = 0, [], 0
    for candidate_id, opening_id in sdb.execute(Q.OPENED).fetchall():

        def summary_json(store, person, cid=candidate_id):
            view = debrief.debrief(store, person, cid, now=moment)
            made = exports.summary_of(view, generated=moment, charts=False).as_json()
            return json.dumps(made, sort_keys=True, ensure_ascii=False, default=str)

        if _same_for(sdb, source, target, _readers(sdb, opening_id), summary_json, outcome,
                     f"the decision summary of candidate {candidate_id}"):  # fmt: skip
            summaries += 1
        else:
            unread.append(candidate_id)
    for (opening_id,) in sdb.execute(Q.OPENINGS).fetchall():
        coordinators = [r[0] for r in sdb.execute(Q.COORDINATORS)]
        for what, rows_of, who in (
            ("decisions", exports.decision_rows, _readers(sdb, opening_id) + coordinators),
            ("scorecards", exports.scorecard_rows, _readers(sdb, opening_id)),
        ):

            def rows_json(store, person, made=rows_of, oid=opening_id):
                return json.dumps(made(store, person, oid), sort_keys=True, default=str)

            tables += _same_for(
                sdb, source, target, who, rows_json, outcome, f"opening {opening_id}'s {what}"
            )
    if not any(p.startswith("exports:") for p in outcome.problems):
        outcome.proof.append(
            f"exports: {summaries:,} decision summaries (JSON) of opened debriefs and"
            f" {tables:,} opening exports (decisions, scorecards) equal"
        )
    if unread:
        outcome.notes.append(
            f"{len(unread):,} opened debrief(s) (candidate {unread[0]}...) have nobody who may"
            " read them now (hiring manager or committee): compared by their rows only"
        )


def _readers(sdb: Database, opening_id: int) -> list[int]:
    return [r[0] for r in sdb.execute(Q.READERS, [opening_id, opening_id])]


def _same_for(sdb, source, target, who: list[int], made, outcome: Outcome, what: str) -> bool:
    """`made(store, person)` on both sides, as the first of `who` allowed to: equal? False
    when nobody may."""
    for person_id in dict.fromkeys(who):
        try:
            mine = made(source, people.get_person(source, person_id))
        except NotAllowed:
            continue
        try:
            theirs = made(target, people.get_person(target, person_id))
        except DebriefError as exc:
            outcome.problems.append(f"exports: {what}, as person {person_id}: {exc}")
            return True
        if mine != theirs:
            outcome.problems.append(
                f"exports: {what}, as person {person_id}, differs: {_first_change(mine, theirs)}"
            )
        return True
    return False


def _first_change(mine: str, theirs: str) -> str:
    """Where two JSON texts part: 40 characters either side, from each."""
    pairs = zip(mine, theirs, strict=False)
    at = next((i for i, (a, b) in enumerate(pairs) if a != b), min(len(mine), len(theirs)))
    near = slice(max(at - 40, 0), at + 40)
    return f"...{mine[near]!r} in the file, ...{theirs[near]!r} in the copy"
