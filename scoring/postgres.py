"""PostgreSQL as Debrief's store: `DEBRIEF_DB=postgresql://user@host/db`.

The same service runs on it as on SQLite (`scoring.store.Store` makes a `PostgresStore` for a
``postgresql://`` URL): the same units of work, the same statements (translated once each by
`scoring.dialect`), the same migrations (each numbered step runs its PostgreSQL DDL from
`scoring.queries.schema_pg`) and the same rules, which PostgreSQL's own triggers enforce.

How a unit of work maps:
- `read()`: one ``REPEATABLE READ, READ ONLY`` transaction: one consistent snapshot for the
  block, as SQLite's read transaction gives.
- `write()`: a transaction that first takes one transaction-level advisory lock (`WRITE_LOCK`),
  so write units run one at a time, as SQLite's ``BEGIN IMMEDIATE`` makes them: a unit reads
  what every earlier write committed and nothing commits under it, so the rules the service
  checks before writing (a submission is final once; two submits make one) hold unchanged.
  Reads never wait for it.
- Connections come from a pool (psycopg_pool) per store, shared by the threads of a process.

Values: times (TIMESTAMPTZ columns) are read back as the ISO text `scoring.clock.stamp` writes,
so the service, the audit chain and the exports see the same values on both engines; Python
booleans are bound as 0/1, as SQLite stores them.
"""

from __future__ import annotations

import os
import threading
import weakref
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from datetime import UTC
from functools import lru_cache
from typing import Any

import psycopg
from psycopg import pq
from psycopg.conninfo import conninfo_to_dict
from psycopg.rows import tuple_row
from psycopg.types.datetime import TimestamptzLoader
from psycopg_pool import ConnectionPool

from scoring.dialect import to_postgres
from scoring.errors import StorageFailed
from scoring.paths import default_target
from scoring.personal import Opened, keyring, personal_sql
from scoring.queries import database as DB
from scoring.queries import postgres as Q

ENGINE = "postgresql"
# The advisory lock every write unit holds until it ends (any 64-bit number; "DEBRIEF" in ASCII).
WRITE_LOCK = 0x4445425249454600
BUSY_TIMEOUT_SECONDS = 30.0  # as SQLite's (scoring/store.py): then "busy", never a hang
POOL_MAX = int(os.environ.get("DEBRIEF_PG_POOL", "20"))  # connections a process may keep
CONNECT_TIMEOUT = 10
NOTHING_LOST = "Nothing was half-written, and what you typed is still in the form."


def shown(url: str) -> str:
    """The URL to print: its user, hosts (each with its port) and database only, never a
    password (in the URL's user part or its query) nor any other option."""
    try:
        given = conninfo_to_dict(url)
    except psycopg.Error:
        return "the PostgreSQL database (its URL could not be read)"
    hosts = str(given.get("host") or "").split(",")
    ports = str(given.get("port") or "").split(",")
    if len(ports) == 1:
        ports = ports * len(hosts)
    places = ",".join(
        host + (f":{port}" if port else "")
        for host, port in zip(hosts, ports + [""] * len(hosts), strict=False)
        if not host.startswith("/")  # a Unix socket's folder says nothing to a reader
    )
    user = f"{given['user']}@" if given.get("user") else ""
    return f"postgresql://{user}{places}/{given.get('dbname', '')}"


class _StampLoader(TimestamptzLoader):
    """A TIMESTAMPTZ read back as the ISO text (UTC) `scoring.clock.stamp` writes."""

    def load(self, data):  # type: ignore[override]
        return super().load(data).astimezone(UTC).isoformat()


@lru_cache(maxsize=1024)
def _row_class(names: tuple[str, ...]) -> type:
    index = {name: i for i, name in enumerate(names)}

    class Row(tuple):
        """A row read by column name or by position, as sqlite3.Row is."""

        __slots__ = ()

        def __getitem__(self, key):  # type: ignore[override]
            if isinstance(key, str):
                return tuple.__getitem__(self, index[key])
            return tuple.__getitem__(self, key)

        def keys(self) -> list[str]:
            return list(names)

    return Row


def _rows(cursor: psycopg.Cursor) -> Any:
    description = cursor.description
    if description is None:
        return tuple
    return _row_class(tuple(column.name for column in description))


def _bound(parameters: Sequence[Any] | dict[str, Any] | None) -> Any:
    if parameters is None:
        return None
    if isinstance(parameters, dict):
        return {k: int(v) if isinstance(v, bool) else v for k, v in parameters.items()}
    return [int(v) if isinstance(v, bool) else v for v in parameters]


class Cursor:
    """What a statement gave: rows to read, its row count, and the new row's id (`lastrowid`)
    for an insert, as sqlite3's cursor has."""

    def __init__(self, cursor: psycopg.Cursor, returns_id: bool):
        self._cursor = cursor
        self.lastrowid: int | None = None
        if returns_id:
            made = cursor.fetchall()
            self.lastrowid = made[-1][0] if made else None

    @property
    def rowcount(self) -> int:
        """The rows the statement changed (or returned)."""
        return self._cursor.rowcount

    @property
    def description(self):
        """The columns of its rows."""
        return self._cursor.description

    def fetchone(self):
        """The next row, or None."""
        return self._cursor.fetchone() if self._cursor.description else None

    def close(self) -> None:
        """Done with its rows."""
        self._cursor.close()

    def fetchmany(self, size: int) -> list:
        """Up to `size` more rows."""
        return self._cursor.fetchmany(size) if self._cursor.description else []

    def fetchall(self) -> list:
        """Every row left."""
        return self._cursor.fetchall() if self._cursor.description else []

    def __iter__(self):
        return iter(self.fetchall())


class PgDatabase:
    """A PostgreSQL connection with the calls the service makes on `scoring.database.Database`."""

    engine = ENGINE

    def __init__(self, conn: psycopg.Connection, url: str = ""):
        self.conn = conn
        self.url = url  # the store's: where the kept figures of this database are saved
        self.keyring: Any = None  # scoring.personal.Keyring, made at the first sealed value

    def forget_keys(self) -> None:
        """A unit of work begins: the data keys opened in the last one are forgotten."""
        if self.keyring is not None:
            self.keyring.forget()

    @property
    def in_transaction(self) -> bool:
        """Whether a transaction is open on the connection."""
        return self.conn.info.transaction_status != pq.TransactionStatus.IDLE

    def execute(self, sql: str, parameters: Sequence[Any] | dict[str, Any] | None = None) -> Cursor:
        """Run one statement written for SQLite (translated by `scoring.dialect`)."""
        text, returns_id = to_postgres(sql, parameters is not None)
        cursor = self.conn.cursor()
        if not personal_sql(sql):
            cursor.execute(text, _bound(parameters))  # type: ignore[arg-type]
            return Cursor(cursor, returns_id)
        # a candidate's sealed values are read opened (scoring.personal)
        cursor.row_factory = tuple_row  # type: ignore[assignment]
        cursor.execute(text, _bound(parameters))  # type: ignore[arg-type]
        read = Cursor(cursor, returns_id)
        names = tuple(c.name for c in cursor.description or ())
        return Opened(read, keyring(self), _row_class(names))  # type: ignore[return-value]

    def execute_stored(
        self, sql: str, parameters: Sequence[Any] | dict[str, Any] | None = None
    ) -> Cursor:
        """Run one statement and read its rows as stored: sealed values stay sealed."""
        text, returns_id = to_postgres(sql, parameters is not None)
        cursor = self.conn.cursor()
        cursor.execute(text, _bound(parameters))  # type: ignore[arg-type]
        return Cursor(cursor, returns_id)

    def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        """Run one statement for each set of parameters."""
        text, _ = to_postgres(sql, True)
        if text.endswith(" RETURNING id"):
            text = text[: -len(" RETURNING id")]
        with self.conn.cursor() as cursor:
            cursor.executemany(text, [_bound(r) for r in rows])

    @contextmanager
    def atomic(self) -> Iterator[PgDatabase]:
        """All of the block or none of it: a transaction, or a savepoint inside an open one."""
        if not self.in_transaction:
            self.conn.execute(Q.BEGIN)
            try:
                yield self
            except BaseException:
                if self.in_transaction:
                    self.conn.execute(Q.ROLLBACK)
                raise
            self.conn.execute(Q.COMMIT)
            return
        with self.conn.transaction():  # a savepoint inside the open transaction
            yield self

    def table_names(self) -> list[str]:
        """The names of the tables in the database's schema."""
        rows = self.conn.execute(Q.OVERRIDES[DB.TABLE_NAMES])
        return [row[0] for row in rows]

    def close(self) -> None:
        """Close the connection."""
        self.conn.close()


def configure(conn: psycopg.Connection) -> None:
    """Set up a connection as the store's are: times read as `stamp` text, rows by name, UTC."""
    conn.adapters.register_loader("timestamptz", _StampLoader)
    conn.row_factory = _rows  # type: ignore[assignment]
    conn.execute(Q.UTC)


def storage_failure(exc: BaseException, url: str) -> StorageFailed:
    """A PostgreSQL error as one plain message, as `scoring.store.storage_failure` words
    SQLite's: what happened, that nothing was half-written, what to do."""
    text = str(exc).lower()
    if isinstance(exc, psycopg.errors.DiskFull) or "no space left" in text:
        what = "The disk holding Debrief's database is full, so this was not saved."
        todo = "Ask whoever runs Debrief to free some space, then try again."
    elif isinstance(exc, psycopg.errors.ReadOnlySqlTransaction) or "read-only" in text:
        what = "Debrief is in read-only mode: its database cannot be written just now."
        todo = "You can still read what you may; try saving again once it is writable."
    elif isinstance(exc, psycopg.errors.LockNotAvailable | psycopg.errors.QueryCanceled):
        what = "Debrief's database is busy with a long task, so this was not saved."
        todo = "Try again in a minute."
    else:
        what = f"Debrief could not use its database at {shown(url)} ({exc})."
        todo = "Try again; if it keeps happening, tell whoever runs Debrief."
    return StorageFailed(f"{what} {NOTHING_LOST} {todo}")


_FAULTS = (
    psycopg.OperationalError,  # the server gone or refusing, a full disk
    psycopg.errors.ReadOnlySqlTransaction,  # a standby
    psycopg.errors.InsufficientResources,
)


def _take_write_lock(db: PgDatabase, wait: float) -> None:
    """Inside a just-begun transaction: the write lock, waiting at most `wait` seconds for it
    (and for any lock after it in this transaction), as SQLite's busy timeout does."""
    db.conn.execute(Q.LOCK_WAIT, [f"{max(1, round(wait * 1000))}ms"])
    db.conn.execute(Q.WRITE_LOCK, [WRITE_LOCK])


def _is_refusal_or_bug(exc: BaseException) -> bool:
    """One of our own triggers refusing a change, or a bug: not a storage fault."""
    return not isinstance(exc, _FAULTS)


class PostgresStore:
    """A Debrief database on a PostgreSQL server: the API of `scoring.store.Store` (which makes
    one for a ``postgresql://`` URL). Holds a pool of connections, opened on first use."""

    engine = ENGINE
    read_only = False  # a standby refuses writes, with a plain message

    def __init__(self, url: str | None = None, pool_max: int = POOL_MAX):
        url = url or str(default_target())
        self.url = url
        self.pool_max = pool_max
        self.path = None  # no file: the audit key comes from $DEBRIEF_AUDIT_KEY or the secrets
        self._local = threading.local()
        self._pool_lock = threading.Lock()
        self._pool: ConnectionPool | None = None
        self.migrate()

    @property
    def location(self) -> str:
        """Where the database is, as `DEBRIEF_DB` or ``--db`` takes it: the URL."""
        return self.url

    @property
    def shown(self) -> str:
        """Where the database is, to print: the URL without its password (`shown`)."""
        return shown(self.url)

    def __repr__(self) -> str:
        return f"PostgresStore({shown(self.url)!r})"

    def __str__(self) -> str:
        return shown(self.url)

    # ------------------------------------------------------------------ connections

    def _pool_now(self) -> ConnectionPool:
        if self._pool is None:
            with self._pool_lock:
                if self._pool is None:
                    pool = ConnectionPool(
                        self.url,
                        min_size=1,
                        max_size=self.pool_max,
                        kwargs={"autocommit": True, "connect_timeout": CONNECT_TIMEOUT},
                        configure=configure,
                        open=False,
                        name="debrief",
                    )
                    pool.open(wait=True, timeout=CONNECT_TIMEOUT)
                    weakref.finalize(self, pool.close)
                    self._pool = pool
        return self._pool

    @contextmanager
    def _connection(self) -> Iterator[PgDatabase]:
        kept = getattr(self._local, "kept", None)
        if kept is not None and not kept.in_transaction:
            yield kept
            return
        try:
            pool = self._pool_now()
            conn = pool.getconn(timeout=CONNECT_TIMEOUT)
        except Exception as exc:  # the server cannot be reached: a fault, said plainly
            raise storage_failure(exc, self.url) from exc
        try:
            yield PgDatabase(conn, self.url)
        finally:
            if conn.info.transaction_status != pq.TransactionStatus.IDLE:
                with suppress(psycopg.Error):
                    conn.execute(Q.ROLLBACK)
            pool.putconn(conn)

    # ------------------------------------------------------------------ units of work

    @contextmanager
    def read(self) -> Iterator[PgDatabase]:
        """A connection for reading; one consistent snapshot for the whole block."""
        shared = getattr(self._local, "db", None)
        if shared is not None:
            yield shared
            return
        with self._connection() as db:
            try:
                db.conn.execute(Q.BEGIN_READ)
                db.forget_keys()
                yield db
            except psycopg.Error as exc:
                if not _is_refusal_or_bug(exc):
                    raise storage_failure(exc, self.url) from exc
                raise
            finally:
                if db.in_transaction:  # a broken connection: its own error is the one to tell
                    with suppress(psycopg.Error):
                        db.conn.execute(Q.ROLLBACK)

    @contextmanager
    def write(self, wait: float | None = None) -> Iterator[PgDatabase]:
        """A connection holding the write lock; commits at the end, or rolls everything back.
        `wait`: at most so many seconds for the lock (and any other the unit meets), then
        StorageFailed ("busy"); by default `BUSY_TIMEOUT_SECONDS`, as SQLite's busy timeout."""
        shared = getattr(self._local, "db", None)
        if shared is not None:
            with shared.atomic():
                yield shared
            return
        with self._connection() as db:
            try:
                try:
                    db.conn.execute(Q.BEGIN)
                    db.forget_keys()
                    _take_write_lock(db, BUSY_TIMEOUT_SECONDS if wait is None else wait)
                    yield db
                    db.conn.execute(Q.COMMIT)
                except BaseException:
                    if db.in_transaction:
                        with suppress(psycopg.Error):
                            db.conn.execute(Q.ROLLBACK)
                    raise
            except psycopg.Error as exc:
                if not _is_refusal_or_bug(exc):
                    raise storage_failure(exc, self.url) from exc
                raise

    @contextmanager
    def one_connection(self) -> Iterator[None]:
        """Every unit of work this thread starts inside the block runs on one connection (see
        `scoring.store.Store.one_connection`)."""
        if getattr(self._local, "kept", None) is not None:
            yield
            return
        with self._connection() as db:
            self._local.kept = db
            try:
                yield
            finally:
                self._local.kept = None

    @contextmanager
    def batch(self) -> Iterator[None]:
        """Many units of work on one connection in one transaction (holding the write lock);
        inside a batch, a nested one is a savepoint."""
        shared = getattr(self._local, "db", None)
        if shared is not None:
            with shared.atomic():
                yield
            return
        with self._connection() as db:
            self._local.db = db
            try:
                db.conn.execute(Q.BEGIN)
                _take_write_lock(db, BUSY_TIMEOUT_SECONDS)
                try:
                    yield
                except BaseException:
                    with suppress(psycopg.Error):
                        db.conn.execute(Q.ROLLBACK)
                    raise
                db.conn.execute(Q.COMMIT)
            except psycopg.Error as exc:
                if not _is_refusal_or_bug(exc):
                    raise storage_failure(exc, self.url) from exc
                raise
            finally:
                self._local.db = None

    def migrate(self) -> list[str]:
        """Apply pending migrations (a no-op when there are none); returns the names applied.
        Two processes opening a new database at once migrate it once (the write lock, taken
        only when something is pending: opening a store never queues behind a writer)."""
        from scoring.migrations import migrations

        with self._connection() as db:
            try:
                if not migrations.pending(db):  # type: ignore[arg-type]
                    return []
                db.conn.execute(Q.BEGIN)
                _take_write_lock(db, BUSY_TIMEOUT_SECONDS)
                pending = [m.name for m in migrations.pending(db)]  # type: ignore[arg-type]
                if pending:
                    migrations.apply(db)  # type: ignore[arg-type]
                db.conn.execute(Q.COMMIT)
            except BaseException as exc:
                if db.in_transaction:
                    with suppress(psycopg.Error):
                        db.conn.execute(Q.ROLLBACK)
                if isinstance(exc, psycopg.Error) and not _is_refusal_or_bug(exc):
                    raise storage_failure(exc, self.url) from exc
                raise
        return pending

    def close(self) -> None:
        """Close the pool (a store is otherwise closed when it is collected)."""
        if self._pool is not None:
            self._pool.close()
            self._pool = None
