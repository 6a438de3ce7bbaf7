"""The SQLite file and how Debrief talks to it.

One file (``DEBRIEF_DB``, else ``data/debrief.sqlite`` under the project), opened through
sqlite-utils, in WAL mode with foreign keys on and a busy timeout.

The pattern: **a connection per unit of work**. Streamlit runs every browser session in a thread of
its own, and several processes (the app, the command line, a test) may share the file, so no
connection is shared across threads. `Store.read()` and `Store.write()` each open a connection,
do one unit of work and close it. A write starts with ``BEGIN IMMEDIATE``: it takes the write lock
up front, waits for it (the busy timeout) instead of failing half-way, and commits everything or
nothing. Opening a connection on a local file costs tens of microseconds, far below a page render.

`Store.batch()` keeps one connection and one transaction open for many units (the demo generator
and the benchmark), so bulk loads run through the same service code without a commit per row.

The store keeps rows; it never decides who may see what (see `scoring.permissions`).
"""

from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from sqlite_utils import Database

from scoring.migrations import migrations

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_PATH = PROJECT_ROOT / "data" / "debrief.sqlite"
BUSY_TIMEOUT_SECONDS = 30.0


def default_path() -> Path:
    """``$DEBRIEF_DB`` when set, else ``data/debrief.sqlite`` in the project."""
    return Path(os.environ.get("DEBRIEF_DB") or DEFAULT_PATH)


def now_utc() -> datetime:
    """The current time, timezone-aware, to the second."""
    return datetime.now(UTC).replace(microsecond=0)


def stamp(moment: datetime) -> str:
    """A datetime as the ISO text the database keeps (UTC)."""
    if moment.tzinfo is None:
        raise ValueError("times must be timezone-aware")
    return moment.astimezone(UTC).isoformat()


def parse_stamp(text: str | None) -> datetime | None:
    """The inverse of `stamp`."""
    return datetime.fromisoformat(text) if text else None


class Store:
    """A Debrief database file. Cheap to create; holds no open connection between units."""

    def __init__(self, path: str | Path | None = None):
        self.path = Path(path) if path is not None else default_path()
        self._batch = threading.local()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.migrate()

    def _connect(self) -> Database:
        conn = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_SECONDS, isolation_level=None)
        conn.row_factory = sqlite3.Row
        conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_SECONDS * 1000)}")
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA synchronous = NORMAL")  # safe with WAL: a crash loses no commit
        return Database(conn, execute_plugins=False)

    def migrate(self) -> list[str]:
        """Apply pending migrations (a no-op when there are none); returns the names applied."""
        db = self._connect()
        try:
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
        db = self._connect()
        try:
            db.conn.execute("BEGIN")
            yield db
        finally:
            if db.conn.in_transaction:
                db.conn.execute("ROLLBACK")
            db.close()

    @contextmanager
    def write(self) -> Iterator[Database]:
        """A connection holding the write lock; commits at the end, or rolls everything back."""
        shared = getattr(self._batch, "db", None)
        if shared is not None:
            with shared.atomic():  # a savepoint: a failed unit leaves the batch as it was
                yield shared
            return
        db = self._connect()
        try:
            db.conn.execute("BEGIN IMMEDIATE")
            try:
                yield db
            except BaseException:
                db.conn.execute("ROLLBACK")
                raise
            db.conn.execute("COMMIT")
        finally:
            db.close()

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
