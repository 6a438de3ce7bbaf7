"""Kept Insights figures: worked out once, then served until something they read changes, to
every server process and the command line alike.

**What a kept figure depends on.** Every service write appends an entry to the audit log, naming
what it is about (`scorecard:12`, `assignment:7`, `session:3`, `candidate:9`, `opening:2`,
`person:4`). A kept figure records the entry it was made at (its id and hash) and what it read
(`Depends`): the candidates in its window, the openings whose edits and newly opened debriefs
would change it, and for one's own calibration the person whose seats it follows. To serve it
later, the entries written since are read by primary key (`TAIL`), each resolved to the candidate
and opening it touches; the figure is still good unless one of them touches what it read. So a
scorecard for another opening, or for a candidate of the same opening whose debrief has not
opened (outside every window), leaves the figure warm; a decision, a vote, a revision, an outcome
or a seat on a candidate in the window, an opened debrief in its openings, an edit of its
opening, or a change to a person (a role, a name) makes it cold. An entry that cannot be placed
(an unknown action or subject) makes every figure cold: unknown means changed. Only actions that
change nothing a figure reads are passed over (`QUIET`: signing in, codes, mail). The hash of
the entry a figure was made at must still be the hash here: a restored backup is another history.

**Updated, not made again.** When every entry since that touches a figure is about candidates it
read (no opening, no person, no newly opened debrief in its window), and this process kept what
the figure was worked out from (`_STATES`, the `STATE_SIZE` most recently used), the caller's
`update` makes it from that, reading again only those candidates (`scoring.insights.window`):
the first view after a decision or a scorecard revised in the window costs about what the kept
view costs. Anything else, or a process that kept nothing, works it out afresh.

**Who it is for.** The key holds everything that decides what the person may see: who they are,
their roles, whether they are active, and what was asked (the openings, or their own figures);
the figures are made after `see_insights` (or `see_own_calibration`) was checked, and a write
that changes a permission fact the figures read (a seat, a role, the opening's hiring manager or
committee) is a write about a candidate in the window, a person or the opening. The key also
holds a digest of Debrief's own code, so figures made by an older release are never served.

**Where it is kept.** In this process (a small LRU) and in the `kept_figures` table (m011), as
JSON: plain values and, for each table, its columns, dtypes and values (`encode`, `decode`;
never pickle: whoever can write the file must not get to run code). The table is a cache: any
row may go; it keeps at most `SHARED_ROWS` rows, none older than `SHARED_AGE`. A row is written
on a connection of its own that waits at most `SAVE_WAIT` for the write lock: a busy moment
skips keeping, never holds up the reader.
"""

from __future__ import annotations

import functools
import hashlib
import json
import math
import sqlite3
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, fields
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import pandas as pd

from scoring.errors import StorageFailed
from scoring.insights.records import Insights
from scoring.paths import is_url
from scoring.permissions import Person
from scoring.queries import kept as Q

FORMAT = 1  # the shape of a kept row's content; another shape is another key
TAIL_MAX = 5000  # entries since a figure was made worth reading; beyond, it is made again
PROCESS_SIZE = 64  # figures kept in this process
STATE_SIZE = 8  # of them, what the most recently used were worked out from (a few MB each)
SHARED_ROWS = 200  # rows kept in the table
SHARED_AGE = timedelta(days=1)  # and none older
SAVE_WAIT = 0.2  # seconds a save waits for the write lock before giving up

# Actions that change nothing a figure reads, whatever their subject.
QUIET = frozenset(
    {
        "sign_in",
        "sign_in_failed",
        "sign_out_everywhere",
        "issue_code",
        "remind",
        "withdraw_mail",
        "give_back_mail",
        "backup",
    }
)
# Subjects resolved to a candidate by `TAIL` (an unresolved one changes everything).
_CANDIDATE_SUBJECTS = ("candidate", "scorecard", "assignment", "session")


class Unkeepable(ValueError):
    """A figure this module cannot write as JSON (kept in this process only)."""


@dataclass(frozen=True)
class Depends:
    """What a kept figure read: the candidates it counts or left out (`candidates`), the
    openings whose own entries (an edit, a close, an import) change it (`openings`; None: any
    opening's), the openings whose newly opened debriefs enter its window (`windows`), and the
    person whose seats it follows (`seated`: an entry about any candidate they hold a seat on)."""

    candidates: frozenset[int]
    openings: frozenset[int] | None
    windows: frozenset[int] = frozenset()
    seated: int | None = None

    def as_json(self) -> dict:
        """The dependencies as plain JSON values."""
        return {
            "candidates": sorted(self.candidates),
            "openings": None if self.openings is None else sorted(self.openings),
            "windows": sorted(self.windows),
            "seated": self.seated,
        }

    @classmethod
    def from_json(cls, data: dict) -> Depends:
        """The dependencies from `as_json`'s values."""
        openings = data["openings"]
        return cls(
            candidates=frozenset(int(c) for c in data["candidates"]),
            openings=None if openings is None else frozenset(int(o) for o in openings),
            windows=frozenset(int(o) for o in data["windows"]),
            seated=None if data["seated"] is None else int(data["seated"]),
        )


@dataclass
class _Entry:
    as_of: tuple[int, str]  # the audit entry the figures are known good at
    depends: Depends
    view: Insights


@dataclass(frozen=True)
class _State:
    """What a view was worked out from (the caller's, opaque here), good at `as_of` with
    `depends`: kept in this process only, to update the view after a write about a few of the
    candidates it read."""

    as_of: tuple[int, str]
    depends: Depends
    reads: object


_PROCESS: OrderedDict[tuple[str, str], _Entry] = OrderedDict()
_STATES: OrderedDict[tuple[str, str], _State] = OrderedDict()
_LOCK = threading.Lock()
# How each view was served since the process started (or `forget`): tests and the benchmark
# read these; nothing else does. "made" counts every view worked out, in full or updated;
# `UPDATED` those of them updated from what was read before.
COUNTS = {"process": 0, "shared": 0, "made": 0}
UPDATED = {"views": 0}


def forget() -> None:
    """Drop what this process keeps (the shared table is left alone) and zero `COUNTS`."""
    with _LOCK:
        _PROCESS.clear()
        _STATES.clear()
        for name in COUNTS:
            COUNTS[name] = 0
        UPDATED["views"] = 0


_CODE: list[str] = []


def code_digest() -> str:
    """A digest of Debrief's own code (every module of `scoring`), worked out once a process:
    figures made by another release are another key."""
    if not _CODE:
        root = Path(__file__).resolve().parent.parent
        digest = hashlib.sha256()
        for path in sorted(root.rglob("*.py")):
            digest.update(path.relative_to(root).as_posix().encode())
            digest.update(path.read_bytes())
        _CODE.append(digest.hexdigest()[:16])
    return _CODE[0]


def key_of(actor: Person, what: tuple) -> str:
    """The key of the figures `what` (the openings asked, or one's own) as `actor` may see them:
    the person, their roles and whether they are active, the code and the format."""
    parts = [FORMAT, code_digest(), actor.id, sorted(actor.roles), bool(actor.active), list(what)]
    return hashlib.sha256(json.dumps(parts, default=str).encode()).hexdigest()


# What a view's `work` gives: the figures, what they read, and (optionally) what they were
# worked out from, for `update`; and what `update` gives from that and the candidates touched
# since (None: work it all out).
Made = tuple[Insights, Depends] | tuple[Insights, Depends, object]
Update = Callable[[object, frozenset[int]], Made | None]


def kept(
    db, actor: Person, what: tuple, work: Callable[[], Made], update: Update | None = None
) -> Insights:
    """The figures `work` makes for `what`, as `actor` may see them: from this process or the
    shared table when nothing they read has changed since they were made; else, when every
    entry since that touches them is about a candidate they read (no opening, no person, no
    newly opened debrief in their window) and this process kept what they were worked out from,
    `update(reads, touched)` makes them from that; else `work()` makes them afresh. What is made
    is kept. `db` is the caller's read snapshot; the head of its history is the version."""
    head = _head(db)
    path = _where(db)
    key = key_of(actor, what)
    with _LOCK:
        entry = _PROCESS.get((path, key))
        if entry is not None:
            _PROCESS.move_to_end((path, key))
        state = _STATES.get((path, key))
    if entry is not None and _still_good(db, entry, head):
        if state is not None and (state.as_of, state.depends) == (entry.as_of, entry.depends):
            with _LOCK:  # what the view was made from is as good as the view
                _STATES[(path, key)] = _State(head, state.depends, state.reads)
        entry.as_of = head
        COUNTS["process"] += 1
        return entry.view
    entry = _shared(db, key, head) if path else None
    if entry is not None:
        COUNTS["shared"] += 1
    else:
        made = _updated(db, state, head, update) if state is not None and update else None
        if made is None:
            made = work()
        else:
            UPDATED["views"] += 1
        entry = _Entry(head, made[1], made[0])
        COUNTS["made"] += 1
        if len(made) > 2:
            state = _State(head, made[1], made[2])
        if path:
            _save(path, key, entry)
    with _LOCK:
        _PROCESS[(path, key)] = entry
        _PROCESS.move_to_end((path, key))
        while len(_PROCESS) > PROCESS_SIZE:
            _PROCESS.popitem(last=False)
        if state is not None:
            _STATES[(path, key)] = state
            _STATES.move_to_end((path, key))
            while len(_STATES) > STATE_SIZE:
                _STATES.popitem(last=False)
    return entry.view


def _updated(db, state: _State, head: tuple[int, str], update: Update) -> Made | None:
    """The view `update` makes from `state` after the writes since it was read, when each of
    them that touches it is about one of its candidates; None when anything else changed."""
    touched = _changed(db, state.as_of, state.depends, head)
    if touched is None:
        return None
    made = update(state.reads, touched)
    return None if made is None or len(made) < 3 else made


def _head(db) -> tuple[int, str]:
    row = db.execute(Q.HEAD).fetchone()
    return (0, "") if row is None else (int(row[0]), str(row[1]))


def _still_good(db, entry: _Entry, head: tuple[int, str]) -> bool:
    """Is every entry written since `entry` was made about something it did not read?"""
    return _changed(db, entry.as_of, entry.depends, head) == frozenset()


def _changed(
    db, as_of: tuple[int, str], depends: Depends, head: tuple[int, str]
) -> frozenset[int] | None:
    """The candidates that entries written since `as_of` changed of what a figure with these
    dependencies read (empty: nothing it read changed), or None when one changed anything else
    (an opening, a person, the window) or cannot be placed: the history moved back, more than
    `TAIL_MAX` entries were written, or the entry at `as_of` is not the one it was (another
    history: a restored backup)."""
    if as_of == head:
        return frozenset()
    after, known = as_of
    if head[0] < after or head[0] - after > TAIL_MAX:
        return None
    row = db.execute(Q.ENTRY_HASH, [after]).fetchone()
    if after and (row is None or row[0] != known):
        return None  # another history (a restored backup): nothing kept from it holds
    tail = db.execute(
        Q.TAIL,
        {"after": after, "head": head[0], "limit": TAIL_MAX, "person": depends.seated or -1},
    )
    touched: set[int] = set()
    for row in tail:
        touch = _touch(depends, row)
        if touch is True:
            return None
        if touch is not False:
            touched.add(touch)
    return frozenset(touched)


def _touch(depends: Depends, row) -> bool | int:
    """What this audit entry changed of what a figure with these dependencies read: nothing
    (False), one candidate it read (their id), or more (True)."""
    _, action, subject, candidate, candidate_opening, opening, seated = tuple(row)
    if action in QUIET:
        return False
    kind = str(subject).split(":", 1)[0]
    if kind in _CANDIDATE_SUBJECTS:
        if candidate is None or candidate_opening is None:
            return True  # about something gone or unknown: assume it mattered
        # a newly opened debrief enters the window of its opening's figures
        if action == "open_debrief" and int(candidate_opening) in depends.windows:
            return True
        if int(candidate) in depends.candidates or seated:
            return int(candidate)
        return False
    if kind == "opening":
        return depends.openings is None or opening is None or int(opening) in depends.openings
    # mail: no figure reads it; a person (a role, a name, active or not), the database or
    # anything unknown: every figure may have read it
    return kind != "outbox"


# ---------------------------------------------------------------------- the shared table


def _shared(db, key: str, head: tuple[int, str]) -> _Entry | None:
    """The row for `key`, decoded, if it is still good at `head` (None otherwise, or if it
    does not read as a kept figure: a row any writer of the file could have put there is only
    ever parsed as JSON)."""
    try:
        row = db.execute(Q.GET, [key]).fetchone()
    except sqlite3.OperationalError:
        return None  # a database before m011
    if row is None:
        return None
    try:
        data = json.loads(row[0])
        as_of = (int(data["as_of"][0]), str(data["as_of"][1]))
        depends = Depends.from_json(data["depends"])
    except (ValueError, KeyError, TypeError, IndexError):
        return None
    if _changed(db, as_of, depends, head) != frozenset():
        return None  # made cold since: not worth making its tables
    try:
        return _Entry(as_of, depends, decode(data["view"]))
    except (ValueError, KeyError, TypeError, IndexError):
        return None


def _where(db) -> str:
    """The database `db` reads: its file ('' for one in memory), or its server's URL."""
    if db.engine == "postgresql":
        return db.url
    return db.execute(Q.DATABASE_FILE).fetchone()[0] or ""


def _save(path: str, key: str, entry: _Entry) -> None:
    """Write the row for `key` and drop old rows, on a connection of its own: at most
    `SAVE_WAIT` for the write lock, and nothing kept if the file cannot be written now."""
    try:
        content = json.dumps(
            {
                "as_of": list(entry.as_of),
                "depends": entry.depends.as_json(),
                "view": encode(entry.view),
            },
            separators=(",", ":"),
        )
    except Unkeepable:
        return
    # To the microsecond, not `clock.now_utc`'s second: the newest rows are the ones kept
    # (`Q.DROP_BEYOND`), and views made within one second must still come in order.
    made = datetime.now(UTC)
    if is_url(path):
        _save_on_server(path, key, content, made)
        return
    try:
        conn = sqlite3.connect(path, timeout=SAVE_WAIT, isolation_level=None)
    except sqlite3.Error:
        return
    try:
        conn.execute(Q.TAKE_LOCK)
        conn.execute(Q.PUT, [key, content, made.isoformat()])
        conn.execute(Q.DROP_OLDER, [(made - SHARED_AGE).isoformat()])
        conn.execute(Q.DROP_BEYOND, [SHARED_ROWS])
        conn.execute(Q.COMMIT)
    except sqlite3.Error:
        if conn.in_transaction:
            conn.rollback()
    finally:
        conn.close()


def _save_on_server(url: str, key: str, content: str, made: datetime) -> None:
    """`_save` on PostgreSQL: the same rows, as one write unit of that store, waiting for its
    write lock no longer than `SAVE_WAIT`, as on SQLite."""
    try:
        with _server(url).write(wait=SAVE_WAIT) as db:
            db.execute(Q.PUT, [key, content, made.isoformat()])
            db.execute(Q.DROP_OLDER, [(made - SHARED_AGE).isoformat()])
            db.execute(Q.DROP_BEYOND, [SHARED_ROWS])
    except StorageFailed:
        return  # a cache: nothing kept this time


@functools.lru_cache(maxsize=8)
def _server(url: str):
    """The store the kept figures are saved through: one connection (saves are rare), beside
    the pool of the process's own store."""
    from scoring.postgres import PostgresStore

    return PostgresStore(url, pool_max=1)


# ------------------------------------------------------------------------------ the format


def encode(view: Insights) -> dict:
    """`view` as plain JSON values: each table as its columns, dtypes and values by column;
    sets as sorted lists. Unkeepable for anything else (an index other than 0..n-1, an object
    column holding more than plain values, a dtype without a plain form)."""
    out = {}
    for f in fields(view):
        value = getattr(view, f.name)
        if isinstance(value, pd.DataFrame):
            out[f.name] = {"frame": _frame(value)}
        elif isinstance(value, frozenset):
            out[f.name] = {"set": sorted(int(v) for v in value)}
        else:
            out[f.name] = {"value": _plain(value)}
    return out


def decode(data: dict) -> Insights:
    """The `Insights` `encode` wrote: ValueError (or KeyError, TypeError) on anything else."""
    values = {}
    for f in fields(Insights):
        cell = data[f.name]
        if "frame" in cell:
            values[f.name] = _unframe(cell["frame"])
        elif "set" in cell:
            values[f.name] = frozenset(int(v) for v in cell["set"])
        else:
            values[f.name] = cell["value"]
    return Insights(**values)


_DTYPES = ("int64", "float64", "bool", "str", "object", "Int64", "boolean", "string")


def _frame(frame: pd.DataFrame) -> dict:
    if not isinstance(frame.index, pd.RangeIndex) or frame.index.start != 0:
        raise Unkeepable("index")
    if frame.index.step != 1 or isinstance(frame.columns, pd.MultiIndex):
        raise Unkeepable("index")
    columns = []
    for i, name in enumerate(frame.columns):
        if not isinstance(name, str | int) or isinstance(name, bool):
            raise Unkeepable(f"column name {name!r}")
        column = frame.iloc[:, i]
        dtype = str(column.dtype)
        if dtype not in _DTYPES:
            raise Unkeepable(f"{name}: {dtype}")
        columns.append([name, dtype, [_plain(v) for v in column.tolist()]])
    return {"rows": len(frame), "columns": columns}


def _unframe(data: dict) -> pd.DataFrame:
    rows = int(data["rows"])
    built = {}
    for name, dtype, values in data["columns"]:
        if dtype not in _DTYPES or len(values) != rows:
            raise ValueError(f"column {name!r}")
        built[name] = pd.Series(
            [math.nan if v is None and dtype == "float64" else v for v in values],
            dtype=dtype,
        )
    if not built:
        return pd.DataFrame(index=pd.RangeIndex(rows))
    return pd.DataFrame(built, index=pd.RangeIndex(rows))


def _plain(value):
    """A value as JSON holds it: None for a missing one, Python numbers (NaN as NaN), strings,
    dicts and lists of plain values; Unkeepable for anything else."""
    if value is None or value is pd.NA:
        return None
    if isinstance(value, bool | np.bool_):
        return bool(value)
    if isinstance(value, int | np.integer):
        return int(value)
    if isinstance(value, float | np.floating):
        return float(value)  # NaN too: Python's json writes and reads it
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        if not all(isinstance(k, str) for k in value):
            raise Unkeepable("a dict key")
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    raise Unkeepable(type(value).__name__)
