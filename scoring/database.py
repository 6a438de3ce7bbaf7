"""One SQLite connection as Debrief uses it, and the runner of its versioned schema.

Debrief writes its SQL by hand (the statements live in `scoring.queries`) and binds plain Python
values, so of sqlite-utils it used two things: its `Database` as a thin wrapper of a connection
(``execute``, ``atomic``) and its `Migrations`. Both are here, in sqlite3 alone, because importing
sqlite-utils imports pandas and numpy when they are installed (0.35 s and about 100 MB for every
command line call and the sign-in screen, which need neither).

`Migrations` keeps sqlite-utils' bookkeeping: the same ``_sqlite_migrations`` table, one row per
applied migration (its set, name and time), so every database file made before opens unchanged
and no migration runs twice. Like sqlite-utils, each migration runs together with its row in one
transaction (a savepoint inside the caller's transaction): a migration that fails leaves no trace
and stays pending.
"""

from __future__ import annotations

import secrets
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from scoring.personal import opened_sqlite, personal_sql
from scoring.queries import database as Q


class Database:
    """A SQLite connection (``conn``) with the few calls the service makes on it."""

    engine = "sqlite"

    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn
        self.keyring: Any = None  # scoring.personal.Keyring, made at the first sealed value
        conn.execute(Q.RECURSIVE_TRIGGERS)

    def execute(
        self, sql: str, parameters: Sequence[Any] | dict[str, Any] | None = None
    ) -> sqlite3.Cursor:
        """Run one statement with its bound `parameters`; returns the cursor to read rows from.
        A statement that may return a candidate's sealed values gives them opened
        (`scoring.personal`)."""
        if personal_sql(sql):
            cursor = self.conn.cursor()
            cursor.row_factory = None
            cursor.execute(sql, () if parameters is None else parameters)
            return opened_sqlite(self, cursor)  # type: ignore[return-value]
        if parameters is None:
            return self.conn.execute(sql)
        return self.conn.execute(sql, parameters)

    def execute_stored(
        self, sql: str, parameters: Sequence[Any] | dict[str, Any] | None = None
    ) -> sqlite3.Cursor:
        """Run one statement and read its rows as stored: sealed values stay sealed (what a
        digest of a history row is taken over, `scoring.audit.row_digest`)."""
        return self.conn.execute(sql, () if parameters is None else parameters)

    def forget_keys(self) -> None:
        """A unit of work begins: the data keys opened in the last one are forgotten."""
        if self.keyring is not None:
            self.keyring.forget()

    def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        """Run one statement for each set of parameters."""
        self.conn.executemany(sql, rows)

    @property
    def in_transaction(self) -> bool:
        """Whether a transaction is open on the connection."""
        return self.conn.in_transaction

    @contextmanager
    def atomic(self) -> Iterator[Database]:
        """All of the block or none of it: a transaction, or a savepoint inside an open one (so a
        failed unit inside a batch leaves the batch as it was)."""
        if not self.conn.in_transaction:
            self.conn.execute(Q.BEGIN)
            try:
                yield self
            except BaseException:
                if self.conn.in_transaction:
                    self.conn.execute(Q.ROLLBACK)
                raise
            self.conn.execute(Q.COMMIT)
            return
        name = f"debrief_{secrets.token_hex(8)}"
        self.conn.execute(Q.savepoint(name))
        try:
            yield self
        except BaseException:
            # A trigger's RAISE(ROLLBACK) can end the whole transaction, savepoint and all:
            # cleaning up then would hide the first error behind "no such savepoint".
            if self.conn.in_transaction:
                self.conn.execute(Q.rollback_to(name))
                self.conn.execute(Q.release(name))
            raise
        self.conn.execute(Q.release(name))

    def table_names(self) -> list[str]:
        """The names of the tables in the file."""
        return [row[0] for row in self.conn.execute(Q.TABLE_NAMES)]

    def close(self) -> None:
        """Close the connection."""
        self.conn.close()


@dataclass(frozen=True)
class Migration:
    """One step of the schema: its name (the function's) and the function applying it."""

    name: str
    fn: Callable[[Database], None]


@dataclass(frozen=True)
class Applied:
    """A migration recorded as applied, and when (sqlite-utils' text: "2026-07-04 12:00:00...")."""

    name: str
    applied_at: str


class Migrations:
    """A named, ordered set of migrations; ``@migrations()`` registers a function as the next."""

    def __init__(self, name: str, postgres: Callable[[Database, str], None] | None = None):
        self.name = name
        self._migrations: list[Migration] = []
        # On PostgreSQL a step runs `postgres(db, name)` (its DDL for that engine) instead.
        self.postgres = postgres

    def __call__(self) -> Callable[[Callable[[Database], None]], Callable[[Database], None]]:
        """``@migrations()``: the decorated function is the set's next migration, by its name."""

        def register(fn: Callable[[Database], None]) -> Callable[[Database], None]:
            if fn.__name__ in self.names:
                raise ValueError(f"migration {fn.__name__} is registered twice in {self.name}")
            self._migrations.append(Migration(fn.__name__, fn))
            return fn

        return register

    @property
    def names(self) -> list[str]:
        """Every migration's name, in the order they apply."""
        return [m.name for m in self._migrations]

    def applied(self, db: Database) -> list[Applied]:
        """The migrations of this set recorded in the file, in the order they were applied."""
        if db.execute(Q.MIGRATIONS_TABLE_EXISTS).fetchone() is None:
            return []
        return [Applied(row[0], row[1]) for row in db.execute(Q.APPLIED_MIGRATIONS, [self.name])]

    def pending(self, db: Database) -> list[Migration]:
        """The migrations not yet applied to the file, in order (reads only)."""
        done = {m.name for m in self.applied(db)}
        return [m for m in self._migrations if m.name not in done]

    def apply(self, db: Database) -> None:
        """Apply every pending migration, each with its bookkeeping row, all or nothing each."""
        if db.execute(Q.MIGRATIONS_TABLE_EXISTS).fetchone() is None:
            db.execute(Q.CREATE_MIGRATIONS_TABLE)
            db.execute(Q.CREATE_MIGRATIONS_INDEX)
        for migration in self.pending(db):
            with db.atomic():
                if db.engine == "postgresql" and self.postgres is not None:
                    self.postgres(db, migration.name)
                else:
                    migration.fn(db)
                db.execute(Q.RECORD_MIGRATION, [self.name, migration.name, str(datetime.now(UTC))])
