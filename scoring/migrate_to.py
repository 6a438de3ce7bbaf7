"""`python -m scoring migrate-to URL`: copy a SQLite database into an empty PostgreSQL one, and
prove the copy before it is committed.

What it does, in order; any refusal exits having written nothing:

1. The SQLite file must exist, be a Debrief database and have no migration pending (the copy is
   of a whole schema, step for step the target's). Every time it holds (the columns that are
   TIMESTAMPTZ on PostgreSQL, `scoring.queries.schema_pg.TIMESTAMPS`) must read back as the same
   text (`stamp(parse_stamp(x)) == x`): the audit chain and the rows' digests hash that text,
   and PostgreSQL keeps a time, not the text. Then the file must pass `verify` under its audit
   key: a copy can only be proved of a history that proves itself.
2. The PostgreSQL database must be reachable and empty: no table but Debrief's, no row but the
   migrations' bookkeeping and the one audit entry (``history_locked``) that migrating a new
   database writes. `Store(url)` migrates it.
3. One transaction holds the copy and its proof, under the store's write lock. The target's own
   ``history_locked`` entry goes first: the file's audit chain is copied entry for entry (ids,
   hashes and signatures as they are), so the target's chain *is* the file's, its own mark
   included, and the same audit key verifies it. Appending the file's chain after the target's
   mark instead would change every entry's id and predecessor: every signature would have to
   be made again, and the chain heads recorded by earlier backups would no longer be there.
   Deleting that one entry needs the append-only refusal off for one statement: it is turned
   back on (ENABLE ALWAYS) in the same transaction, which holds audit_log locked meanwhile, so
   no one else ever sees it off, and `verify` (below) checks it is on before the commit.
   Every other row goes in in an order the target's triggers accept, none of them off: parents
   before children; each scorecard followed by its criterion scores (the newest scorecard's
   only); decisions and hire outcomes in the order their audit entries were written (an outcome
   only while its candidate's latest decision is hire); the audit log in id order (each entry
   after the one whose hash it carries). Every row keeps its id; each identity sequence is then
   set to the highest id (the outbox's to the highest SQLite ever gave out).
4. The proof, inside the transaction, before COMMIT: `verify` on the target under the same key;
   every row of every table equal, value for value, on both sides; and the JSON decision summary
   of every opened debrief, and each opening's decision and scorecard exports, equal on both
   sides, read as someone allowed to (the opening's hiring manager, else a committee member,
   else a coordinator for the decisions). A failed check rolls everything back: the target is
   left as it was, empty.

The file is held with SQLite's write lock while it is read (`Store.batch`), so the app cannot
change it half-way: stop the app first, and point it at the URL afterwards.
"""

from __future__ import annotations

import json
import math
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

import psycopg

from scoring import keys, privacy_key
from scoring.clock import parse_stamp, stamp
from scoring.database import Database
from scoring.errors import DebriefError
from scoring.integrity import verify
from scoring.migrate_proof import CHUNK, Outcome, Table, prove, rows
from scoring.migrations import migrations
from scoring.models.integrity import Report
from scoring.postgres import PostgresStore, shown
from scoring.queries import migrate_to as Q
from scoring.queries.schema_pg import TIMESTAMPS
from scoring.store import Store

# Every table, in an order the target's foreign keys and triggers accept. Criterion scores go
# in with their scorecard, hire outcomes with the decisions (`_copy`).
ORDER = (
    "people", "access_codes", "rubric_snapshots", "openings", "opening_sessions",
    "opening_committee", "candidates", "interview_sessions", "assignments", "scorecards",
    "criterion_scores", "drafts", "debriefs", "decisions", "hire_outcomes", "committee_votes",
    "opening_stages", "stage_seats", "stage_reviews", "stage_outcomes", "seat_questions",
    "retired_questions", "cheating_flags", "take_home_events", "candidate_feedback",
    "quote_consents", "audit_log", "sign_in_throttle", "sign_in_sessions", "sign_in_failures",
    "sign_in_nonces", "leases", "outbox", "kept_figures", "candidate_keys", "erasures",
    "legal_holds", "retention_notices", "candidate_demographics", "fairness_tally",
)  # fmt: skip
WITH_PARENT = {"criterion_scores": "scorecards", "hire_outcomes": "decisions"}


class Refused(DebriefError):
    """migrate-to will not start (the message says why and what to do); nothing was written."""


class _Unproved(Exception):
    """A check of the proof failed: the transaction rolls back."""


def migrate_to(source_path: str | Path, url: str) -> Outcome:
    """Copy the SQLite database at `source_path` into the empty PostgreSQL database at `url`
    and prove the copy (see the module's docstring); raises `Refused` before writing anything
    when it cannot start. A failed proof leaves the target as it was (`Outcome.problems`)."""
    path = Path(source_path)
    _check_source(path)
    _check_target(url)
    source = Store(path)
    try:
        key = keys.find(source.path)
    except keys.AuditKeyProblem as exc:
        raise Refused(f"{path}: {exc}") from None
    outcome = Outcome(str(path), shown(url))
    with _frozen(source), source.read() as sdb:
        _stamps_round_trip(sdb)
        before = verify(source, key)
        if not before.ok:
            raise Refused(
                f"{path} does not verify, so its copy could not be proved: {before.problems[0]}"
                " (`python -m scoring verify` lists every problem)"
            )
        if key is not None and key.beside_database:
            outcome.notes.append(
                f"the audit key is the file {key.source}, beside the SQLite file: on PostgreSQL"
                f" Debrief reads it only from ${keys.ENV} or [audit] key in"
                " .streamlit/secrets.toml. Put it there before the app uses the URL"
            )
        sealing = privacy_key.find(source.path)
        if sealing is not None and sealing.beside_database:
            outcome.notes.append(
                f"the privacy key is the file {sealing.source}, beside the SQLite file: on"
                f" PostgreSQL Debrief reads it only from ${privacy_key.ENV} or [privacy] key in"
                " .streamlit/secrets.toml. Put it there before the app uses the URL, or no"
                " candidate's name or the texts about them can be read"
            )
        target = _open_target(url)
        try:
            _copy_and_prove(sdb, source, target, key, before, outcome)
        except _Unproved:
            pass  # rolled back; the problems are in the outcome
        except psycopg.Error as exc:  # e.g. a user that does not own the tables
            raise Refused(f"{shown(url)}: {_said(exc, url)}. Nothing was copied") from None
        finally:
            target.close()
    return outcome


# ------------------------------------------------------------------------------ the SQLite file


def _check_source(path: Path) -> None:
    """Refuse a file that is missing, not a Debrief database, or not migrated to this version."""
    if not path.is_file():
        raise Refused(f"{path}: no such file (give the SQLite database with --db)")
    try:
        conn = sqlite3.connect(f"file:{quote(str(path.resolve()))}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        raise Refused(f"{path}: cannot be opened: {exc}") from None
    try:
        db = Database(conn)
        applied = [m.name for m in migrations.applied(db)]
        pending = [m.name for m in migrations.pending(db)]
    except sqlite3.DatabaseError as exc:
        raise Refused(f"{path} is not a SQLite database ({exc})") from None
    finally:
        conn.close()
    if not applied:
        raise Refused(f"{path} is not a Debrief database: it records no Debrief migration")
    newer = [name for name in applied if name not in migrations.names]
    if newer:
        raise Refused(
            f"{path} was written by a newer Debrief (migration {newer[0]}): run migrate-to"
            " from that version"
        )
    if pending:
        raise Refused(
            f"{path} has {len(pending)} migration(s) pending ({', '.join(pending)}): bring it up"
            f" to date first by opening it once with this version of Debrief (`python -m"
            f" scoring verify --db {path}` does, and checks it), then migrate"
        )


@contextmanager
def _frozen(source: Store) -> Iterator[None]:
    """The file held still while it is copied and compared: every read of the block is one
    snapshot under SQLite's write lock (nothing is written: the transaction commits empty)."""
    with nullcontext() if source.read_only else source.batch():
        yield


def _stamps_round_trip(sdb: Database) -> None:
    """Refuse a time that PostgreSQL would not give back as the same text."""
    present = set(_source_tables(sdb))
    for table, columns in TIMESTAMPS.items():
        if table not in present:
            continue
        key = [c for c, _ in _source_key(sdb, table)]
        for row in sdb.execute_stored(Q.source_rows_of(table, key + list(columns), key)):
            for column, value in zip(columns, row[len(key) :], strict=True):
                if value is not None and not _round_trips(value):
                    where = ", ".join(f"{c} {row[i]}" for i, c in enumerate(key))
                    raise Refused(
                        f"{table} row {where}: {column} is {value!r}, which PostgreSQL would not"
                        " give back as the same text (a time in UTC as Debrief writes it, e.g."
                        " 2026-11-20T09:00:00+00:00): the audit chain and the rows' digests hash"
                        " that text. Nothing was copied"
                    )


def _round_trips(value: object) -> bool:
    try:
        return isinstance(value, str) and stamp(parse_stamp(value)) == value  # type: ignore[arg-type]
    except (ValueError, TypeError):
        return False


def _source_tables(sdb: Database) -> list[str]:
    return [r[0] for r in sdb.execute(Q.SOURCE_TABLES)]


def _source_key(sdb: Database, table: str) -> list[tuple[str, int]]:
    columns = sdb.execute(Q.SOURCE_COLUMNS, [table]).fetchall()
    key = sorted((r[1], r[0]) for r in columns if r[1])
    return [(name, place) for place, name in key] or [(r[0], 0) for r in columns]


# ---------------------------------------------------------------------------- the PostgreSQL one


def _said(exc: BaseException, url: str) -> str:
    """An error's text with the URL's password, if it shows at all, blanked."""
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    password = urlsplit(url).password
    for secret in {password, unquote(password)} if password else ():
        text = text.replace(secret, "***")
    return text


def _check_target(url: str) -> None:
    """Refuse a database that cannot be reached, or holds anything: before writing to it."""
    try:
        conn = psycopg.connect(url, connect_timeout=10, autocommit=True)
    except Exception as exc:  # psycopg's, or a URL it cannot parse: said with no password
        raise Refused(f"cannot reach {shown(url)}: {_said(exc, url)}") from None
    try:
        tables = [r[0] for r in conn.execute(Q.TARGET_TABLES)]
        if tables and "_sqlite_migrations" not in tables:
            raise Refused(
                f"{shown(url)} holds tables that are not Debrief's ({', '.join(tables[:5])}):"
                " migrate-to copies only into an empty database (createdb a new one)"
            )
        _refuse_rows(conn, url, tables)
    finally:
        conn.close()


def _refuse_rows(conn: psycopg.Connection, url: str, tables: list[str]) -> int | None:
    """Refuse a target holding rows; the id of m004's lone ``history_locked`` entry, if any."""
    held, mark = [], None
    for table in tables:
        if table == "_sqlite_migrations":
            continue
        if table == "audit_log":
            entries = conn.execute(Q.AUDIT_ENTRIES).fetchall()
            only_mark = (
                len(entries) == 1
                and entries[0][1] == "history_locked"
                and entries[0][2] is None
                and entries[0][3] == ""
            )
            if only_mark:
                mark = entries[0][0]
                continue
            count = len(entries)
        else:
            count = conn.execute(Q.count_rows(table)).fetchone()[0]
        if count:
            held.append(f"{table} {count:,}")
    if held:
        raise Refused(
            f"{shown(url)} holds data already ({', '.join(held)}): migrate-to copies only into"
            " an empty database (createdb a new one)"
        )
    return mark


def _open_target(url: str) -> PostgresStore:
    """The target as a store, migrated (`Store(url)`), or refused saying why."""
    try:
        target = Store(url)
    except (DebriefError, psycopg.Error) as exc:
        raise Refused(f"{shown(url)} could not be prepared: {_said(exc, url)}") from None
    assert isinstance(target, PostgresStore)
    return target


def _plan(sdb: Database, tdb, url: str) -> list[Table]:
    """Each table as both sides have it, in `ORDER`; refused when the schemas differ."""
    mine = _source_tables(sdb)
    theirs = sorted(t for t in tdb.table_names() if t != "_sqlite_migrations")
    if sorted(mine) != theirs:
        raise Refused(
            f"the file's tables ({', '.join(sorted(set(mine) - set(theirs))) or 'none'} only"
            f" there) and {shown(url)}'s ({', '.join(sorted(set(theirs) - set(mine))) or 'none'}"
            " only there) differ: both must be at the same version of Debrief"
        )
    unknown = [t for t in mine if t not in ORDER]
    if unknown:
        raise Refused(f"migrate-to does not know the table {unknown[0]}: update Debrief")
    plan = []
    for name in ORDER:
        if name not in mine:
            continue
        columns = [r[0] for r in sdb.execute(Q.SOURCE_COLUMNS, [name])]
        types = dict(tdb.conn.execute(Q.TARGET_COLUMNS, [name]).fetchall())
        if set(columns) != set(types):
            raise Refused(
                f"{name} has other columns in the file ({', '.join(columns)}) than on"
                f" {shown(url)} ({', '.join(types)})"
            )
        key = [(c, types[c] == "text") for c, _ in _source_key(sdb, name)]
        plan.append(Table(name, columns, key))
    return plan


# ------------------------------------------------------------------------------------ the copy


def _copy_and_prove(
    sdb: Database, source: Store, target: PostgresStore, key, before: Report, outcome: Outcome
) -> None:
    """The copy and its proof in one transaction on the target; `_Unproved` rolls it back."""
    with target.batch(), target.write() as tdb:
        started = time.perf_counter()
        mark = _refuse_rows(tdb.conn, target.url, tdb.table_names())
        plan = _plan(sdb, tdb, target.url)
        if mark is not None:
            with _naming("removing the target's own history_locked entry"):
                tdb.conn.execute(Q.KEEP_OFF_DELETE)
                tdb.conn.execute(Q.DROP_MARK, [mark])
                tdb.conn.execute(Q.GUARD_DELETE_AGAIN)
        by_name = {t.name: t for t in plan}
        for table in plan:
            if table.name not in WITH_PARENT:
                outcome.rows.update(_copy(sdb, tdb, table, by_name))
        _sequences(sdb, tdb)
        outcome.copy_seconds = time.perf_counter() - started
        started = time.perf_counter()
        prove(sdb, tdb, source, target, key, before, plan, outcome)
        outcome.proof_seconds = time.perf_counter() - started
        if outcome.problems:
            raise _Unproved
    outcome.committed = True


def _copy(sdb: Database, tdb, table: Table, by_name: dict[str, Table]) -> dict[str, int]:
    """Copy one table (with the table copied alongside it); rows copied, by table."""
    child = next((c for c, parent in WITH_PARENT.items() if parent == table.name), None)
    if child is None or child not in by_name:
        return {table.name: _copy_plain(sdb, tdb, table)}
    return _copy_with(sdb, tdb, table, by_name[child])


def _copy_plain(sdb: Database, tdb, table: Table) -> int:
    statement, count = Q.insert_into(table.name, table.columns), 0
    cursor = sdb.execute_stored(
        Q.source_rows_of(table.name, table.columns, [c for c, _ in table.key])
    )
    with _naming(f"copying {table.name}"), tdb.conn.cursor() as writer:
        while chunk := cursor.fetchmany(CHUNK):
            writer.executemany(statement, [tuple(r) for r in chunk])
            count += len(chunk)
    return count


def _copy_with(sdb: Database, tdb, parent: Table, child: Table) -> dict[str, int]:
    """A parent table and the child whose triggers read it, interleaved: each scorecard then
    its criterion scores; decisions and hire outcomes in the order they were written."""
    if child.name == "criterion_scores":
        order = _cards_then_scores(sdb, parent, child)
    else:
        order = _as_written(sdb, parent, child)
    counts = {parent.name: 0, child.name: 0}
    statements = {t.name: Q.insert_into(t.name, t.columns) for t in (parent, child)}
    with (
        _naming(f"copying {parent.name} and {child.name}"),
        tdb.conn.pipeline(),
        tdb.conn.cursor() as writer,
    ):
        for name, row in order:
            writer.execute(statements[name], row)
            counts[name] += 1
    return counts


def _cards_then_scores(sdb: Database, cards: Table, scores: Table) -> Iterator[tuple[str, tuple]]:
    at = scores.columns.index("scorecard_id")
    waiting = rows(sdb, scores)  # ordered by scorecard, as the cards are by id
    score = next(waiting, None)
    for card in rows(sdb, cards):
        yield cards.name, card
        while score is not None and score[at] == card[cards.columns.index("id")]:
            yield scores.name, score
            score = next(waiting, None)
    if score is not None:  # a score of no scorecard: the target refuses it, saying so
        yield scores.name, score
        yield from ((scores.name, s) for s in waiting)


def _as_written(sdb: Database, decisions: Table, outcomes: Table) -> list[tuple[str, tuple]]:
    """Decisions and hire outcomes in the order of the audit entries that wrote them (a
    decision from before entries named their row, m004, comes first)."""
    written: dict[tuple[str, int], int] = {}
    for entry_id, action, detail in sdb.execute(Q.WRITERS):
        named = json.loads(detail).get("decision_id" if action == "decide" else "outcome_id")
        if named is not None:
            written[("decisions" if action == "decide" else "hire_outcomes", named)] = entry_id
    both = []
    for table, late in ((decisions, 0), (outcomes, math.inf)):
        at = table.columns.index("id")
        for row in rows(sdb, table):
            both.append((written.get((table.name, row[at]), late), table.name, row[at], row))
    both.sort(key=lambda r: (r[0], r[1] != decisions.name, r[2]))
    return [(name, row) for _, name, _, row in both]


def _sequences(sdb: Database, tdb) -> None:
    """Each identity sequence past the highest id copied (the outbox's past the highest id
    SQLite ever gave out, as AUTOINCREMENT never hands one out twice)."""
    for table, column in tdb.conn.execute(Q.IDENTITY_COLUMNS).fetchall():
        highest = tdb.conn.execute(Q.max_of(table, column)).fetchone()[0]
        if table == "outbox":
            given = sdb.execute(Q.OUTBOX_SEQUENCE).fetchone()
            highest = max(highest, given[0] if given else 0)
        tdb.conn.execute(Q.SET_SEQUENCE, [table, column, max(highest, 1), highest > 0])


@contextmanager
def _naming(what: str) -> Iterator[None]:
    """A refusal while copying, said with the table it came from."""
    try:
        yield
    except psycopg.Error as exc:
        raise Refused(f"{what}: {_said(exc, '')}. Nothing was copied") from None


def said(outcome: Outcome) -> str:
    """What migrate-to did, in lines to print: the rows per table, the proof, and then either
    that the copy is committed or why it was rolled back."""
    width = max((len(t) for t in outcome.rows), default=10)
    lines = [f"{outcome.source} -> {outcome.target}"]
    lines += [f"  {table:<{width}}  {n:>9,}" for table, n in outcome.rows.items()]
    lines.append(
        f"  {'rows':<{width}}  {sum(outcome.rows.values()):>9,} copied in"
        f" {outcome.copy_seconds:.1f} s; proved in {outcome.proof_seconds:.1f} s:"
    )
    lines += [f"  {line}" for line in outcome.proof]
    lines += [f"note: {note}" for note in outcome.notes]
    if outcome.committed:
        lines.append(
            f"Committed: {outcome.target} now holds the copy. Point the app at it"
            " (DEBRIEF_DB=URL) and keep the same audit key."
        )
    else:
        lines += [f"failed: {problem}" for problem in outcome.problems[:20]]
        lines.append(f"Rolled back: {outcome.target} is left as it was (empty); nothing copied.")
    return "\n".join(lines) + "\n"
