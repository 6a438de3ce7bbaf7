"""The SQLite file and how Debrief talks to it.

One file (``DEBRIEF_DB``, else ``data/debrief.sqlite`` under the project), opened with sqlite3
(wrapped as `scoring.database.Database`), in WAL mode with foreign keys on and a busy timeout.

The pattern: **a connection per unit of work**. Streamlit runs every browser session in a thread of
its own, and several processes (the app, the command line, a test) may share the file, so no
connection is shared across threads. `Store.read()` and `Store.write()` each open a connection,
do one unit of work and close it. A write starts with ``BEGIN IMMEDIATE``: it takes the write lock
up front, waits for it (the busy timeout) instead of failing half-way, and commits everything or
nothing. Opening a connection on a local file costs tens of microseconds, far below a page render.

`Store.batch()` keeps one connection and one transaction open for many units (the demo generator
and the benchmark), so bulk loads run through the same service code without a commit per row.
`Store.one_connection()` keeps one connection, not a transaction, for the units of a block (a
page's rerun): each unit still begins and ends on its own.

One idle connection per Store stays open (`_keep_wal_open`), only so that SQLite's WAL files
are not deleted and re-created between units of work: on a full disk that re-creation fails.

The store keeps rows; it never decides who may see what (see `scoring.permissions`).
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import threading
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

from scoring.clock import now_utc, parse_stamp, stamp  # noqa: F401 - their old home
from scoring.database import Database
from scoring.errors import StorageFailed
from scoring.migrations import migrations
from scoring.paths import (  # noqa: F401 - their old home
    DEFAULT_PATH,
    PROJECT_ROOT,
    default_path,
    default_target,
    is_url,
)

BUSY_TIMEOUT_SECONDS = 30.0
NOTHING_LOST = "Nothing was half-written, and what you typed is still in the form."


def storage_failure(exc: sqlite3.Error | OSError, path: Path) -> StorageFailed:
    """A database error as one plain message: what happened, that nothing was half-written,
    what to do."""
    text = str(exc).lower()
    if "full" in text or ("i/o" in text and _free_bytes(path) < 1_000_000):
        what = "The disk holding Debrief's database is full, so this was not saved."
        todo = "Ask whoever runs Debrief to free some space, then try again."
    elif "readonly" in text or "read-only" in text:
        what = "Debrief is in read-only mode: its database file cannot be written just now."
        todo = "You can still read what you may; try saving again once it is writable."
    elif "locked" in text or "busy" in text:
        what = "Debrief's database is busy with a long task, so this was not saved."
        todo = "Try again in a minute."
    elif "not a database" in text or "malformed" in text or "corrupt" in text:
        what = f"Debrief's database file ({path.name}) is damaged and cannot be read."
        todo = "Ask whoever runs Debrief to restore the latest backup (python -m scoring restore)."
    else:
        what = f"Debrief could not use its database ({exc})."
        todo = "Try again; if it keeps happening, tell whoever runs Debrief."
    return StorageFailed(f"{what} {NOTHING_LOST} {todo}")


def _free_bytes(path: Path) -> int:
    try:
        return shutil.disk_usage(path.parent).free
    except OSError:
        return 0


def _is_fault(exc: BaseException) -> bool:
    """A storage fault, not one of our own triggers refusing a change, nor a bug."""
    # "database or disk is full", "readonly", "locked" are OperationalError; a damaged file is a
    # plain DatabaseError. IntegrityError (a trigger refusing) and ProgrammingError are bugs.
    return isinstance(exc, sqlite3.OperationalError) or type(exc) is sqlite3.DatabaseError


@dataclass
class StatementCount:
    """What `count_statements` saw: the statements run and the connections opened."""

    statements: list[str] = field(default_factory=list)
    connections: int = 0

    def __len__(self) -> int:
        return len(self.statements)


# Whoever counts statements (a benchmark, a test pinning a page's cost) hears every statement run
# on a connection opened while they listen. With nobody listening it costs one check a connection.
_LISTENERS: list[StatementCount] = []


def _heard(statement: str) -> None:
    for listener in _LISTENERS:
        listener.statements.append(statement)


@contextmanager
def count_statements() -> Iterator[StatementCount]:
    """Count the SQL statements run (in any thread, by any Store) on connections opened inside
    the block, to pin what a page costs per rerun. Connection set-up (its pragmas, BEGIN and
    ROLLBACK) counts too: a connection per unit of work is part of the cost."""
    seen = StatementCount()
    _LISTENERS.append(seen)
    try:
        yield seen
    finally:
        _LISTENERS.remove(seen)


class Store:
    """A Debrief database file. Cheap to create; holds no open connection between units.

    Given a ``postgresql://`` URL (as `path`, or in ``$DEBRIEF_DB``), makes a
    `scoring.postgres.PostgresStore` instead: the same API on a PostgreSQL server."""

    engine = "sqlite"

    def __new__(cls, path: str | Path | None = None):
        """A `Store` for a file, a `PostgresStore` for a ``postgresql://`` URL."""
        target = path if path is not None else default_target()
        if cls is Store and is_url(target):
            from scoring.postgres import PostgresStore

            return PostgresStore(target)  # not a Store: Python runs no Store.__init__ on it
        return super().__new__(cls)

    def __init__(self, path: str | Path | None = None):
        self.path = Path(path) if path is not None else default_path()
        self._batch = threading.local()
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.migrate()
            self._keep_wal_open()
        except (sqlite3.Error, OSError) as exc:
            if isinstance(exc, sqlite3.Error) and not _is_fault(exc):
                raise
            raise storage_failure(exc, self.path) from exc

    def _connect(self) -> Database:
        if self.read_only and self.path.exists():
            conn = self._connect_read_only()
        else:
            conn = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_SECONDS, isolation_level=None)
        conn.row_factory = sqlite3.Row
        if _LISTENERS:
            conn.set_trace_callback(_heard)
            for listener in _LISTENERS:
                listener.connections += 1
        conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_SECONDS * 1000)}")
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA synchronous = NORMAL")  # safe with WAL: a crash loses no commit
        # What is deleted is overwritten with zeros, not left in free pages (an erased
        # candidate's data key, drafts, mail): scoring.erasure.
        conn.execute("PRAGMA secure_delete = ON")
        return Database(conn)

    def _keep_wal_open(self) -> None:
        """Hold one idle connection for the life of this Store. SQLite deletes the WAL and its
        shared-memory file when the last connection closes and must create them again for the
        next one; on a full disk it cannot, and then even reading fails. With them kept, a full
        disk still lets everyone read, and a write fails with "disk is full"."""
        if self.read_only:
            return
        keeper = sqlite3.connect(self.path, check_same_thread=False)
        keeper.execute("SELECT 1 FROM sqlite_master LIMIT 1").fetchall()
        weakref.finalize(self, keeper.close)

    def _connect_read_only(self) -> sqlite3.Connection:
        """Read-only mode: the file (or its folder) cannot be written. SQLite opens a WAL file
        read-only when it may create its shared-memory file; on read-only media it reads the file
        as immutable (nobody can change it there)."""
        uri = f"file:{quote(str(self.path.resolve()))}?mode=ro"
        for suffix in ("", "&immutable=1"):
            conn = sqlite3.connect(
                uri + suffix, uri=True, timeout=BUSY_TIMEOUT_SECONDS, isolation_level=None
            )
            try:
                conn.execute("SELECT 1 FROM sqlite_master LIMIT 1")
                return conn
            except sqlite3.OperationalError:
                conn.close()
                if suffix:
                    raise
        raise AssertionError("unreachable")

    def migrate(self) -> list[str]:
        """Apply pending migrations (a no-op when there are none); returns the names applied."""
        db = self._connect()
        try:
            if self.read_only and self.path.exists():
                if migrations.pending(db):
                    raise sqlite3.OperationalError("attempt to write a readonly database")
                return []
            db.conn.execute("PRAGMA journal_mode = WAL")
            if not migrations.pending(db):
                return []
            # BEGIN IMMEDIATE: two processes opening a new file at once migrate it once.
            db.conn.execute("BEGIN IMMEDIATE")
            try:
                pending = [m.name for m in migrations.pending(db)]
                migrations.apply(db)
                db.conn.execute("COMMIT")
            except BaseException:
                db.conn.execute("ROLLBACK")
                raise
            return pending
        finally:
            db.close()

    @contextmanager
    def read(self) -> Iterator[Database]:
        """A connection for reading; one consistent snapshot for the whole block."""
        shared = getattr(self._batch, "db", None)
        if shared is not None:
            yield shared
            return
        kept = self._idle_kept()
        try:
            db = kept or self._connect()
        except sqlite3.Error as exc:
            raise storage_failure(exc, self.path) from exc
        try:
            db.conn.execute("BEGIN")
            db.forget_keys()
            yield db
        except sqlite3.Error as exc:
            if _is_fault(exc):
                raise storage_failure(exc, self.path) from exc
            raise
        finally:
            if db.conn.in_transaction:
                db.conn.execute("ROLLBACK")
            if db is not kept:
                db.close()

    @contextmanager
    def write(self) -> Iterator[Database]:
        """A connection holding the write lock; commits at the end, or rolls everything back."""
        shared = getattr(self._batch, "db", None)
        if shared is not None:
            with shared.atomic():  # a savepoint: a failed unit leaves the batch as it was
                yield shared
            return
        kept = self._idle_kept()
        try:
            db = kept or self._connect()
        except sqlite3.Error as exc:
            raise storage_failure(exc, self.path) from exc
        try:
            try:
                db.conn.execute("BEGIN IMMEDIATE")
                db.forget_keys()
                yield db
                db.conn.execute("COMMIT")
            except BaseException:
                if db.conn.in_transaction:
                    db.conn.execute("ROLLBACK")
                raise
        except sqlite3.Error as exc:
            if _is_fault(exc):
                raise storage_failure(exc, self.path) from exc
            raise
        finally:
            if db is not kept:
                db.close()

    @contextmanager
    def one_connection(self) -> Iterator[None]:
        """Every unit of work this thread starts inside the block runs on one connection (a
        page's rerun: its sign-in check, its reads and its saves), instead of opening one each:
        opening a connection reads the schema again, about half a millisecond of CPU.

        Each unit keeps its own transaction, exactly as without the block: a read is one
        snapshot and ends with it, a write takes the write lock up front and commits or rolls
        back at its end; nothing is held between units. A unit started while another is still
        open (nested) gets a connection of its own, as before; inside `batch()` the batch's
        connection is used, as before. Nested blocks share the outer one's connection."""
        if getattr(self._batch, "kept", None) is not None:
            yield
            return
        try:
            db = self._connect()
        except sqlite3.Error as exc:
            raise storage_failure(exc, self.path) from exc
        self._batch.kept = db
        try:
            yield
        finally:
            self._batch.kept = None
            if db.conn.in_transaction:  # only after a failure inside a unit's own clean-up
                db.conn.execute("ROLLBACK")
            db.close()

    def _idle_kept(self) -> Database | None:
        """The connection `one_connection` keeps for this thread, when no unit is open on it."""
        kept = getattr(self._batch, "kept", None)
        return kept if kept is not None and not kept.conn.in_transaction else None

    @property
    def location(self) -> str:
        """Where the database is, as `DEBRIEF_DB` or ``--db`` takes it: the file's path."""
        return str(self.path)

    @property
    def shown(self) -> str:
        """Where the database is, to print (the file; for a server, its URL without a password)."""
        return str(self.path)

    @property
    def read_only(self) -> bool:
        """The database file (or its folder, where SQLite keeps its journal) cannot be written."""
        return not (os.access(self.path, os.W_OK) and os.access(self.path.parent, os.W_OK))

    @contextmanager
    def batch(self) -> Iterator[None]:
        """Run many units of work on one connection in one transaction (bulk loads, or several
        service calls that must land together). Inside a batch, a nested one is a savepoint."""
        shared = getattr(self._batch, "db", None)
        if shared is not None:
            with shared.atomic():
                yield
            return
        db = self._connect()
        self._batch.db = db
        try:
            db.conn.execute("BEGIN IMMEDIATE")
            try:
                yield
            except BaseException:
                db.conn.execute("ROLLBACK")
                raise
            db.conn.execute("COMMIT")
        finally:
            self._batch.db = None
            db.close()
