"""`backup`, `restore` and `verify --since` on PostgreSQL (`scoring.cli_history` calls these when
the database is a ``postgresql://`` URL), with the guarantees they give on SQLite.

- `backup FILE`: ``pg_dump --format=custom`` in one snapshot, which this process exported and
  holds open. The copy is then checked as on SQLite: restored into a scratch database on the same
  server (``debrief_check_<pid>_<hex>``, dropped after) and verified there with the live audit
  key; the chain head the copy holds is what the live history records. When the user may not
  CREATE DATABASE, the snapshot the dump was taken in is verified instead (the same rows, read by
  the same transaction), and the archive's table of contents is read back: the data is checked,
  the file's restore is not, and `backup` says so.
- `restore FILE`: the dump is restored into a scratch database and verified (brought up to date
  by the migrations first, as SQLite's copy is). Only then are the target's rows replaced, in one
  transaction on the target: the write lock every Debrief writer takes, the tables locked against
  writes (SHARE ROW EXCLUSIVE: readers carry on, seeing the old rows until it commits), the user
  triggers switched off, every table emptied (DELETE, so an older snapshot still sees the old
  rows) and filled from the scratch copy, the triggers switched back as they were, the restore
  noted in the history, and the whole database verified inside the same transaction: it
  commits only if that passes, else nothing changed. The database itself (its name, owner,
  grants, settings) stays, and so do the workers' pooled connections.
- `verify --since FILE`: the chain head a dump holds, read from the file by ``pg_restore``
  (no server needed), as SQLite's path reads the backup file.

The URL's password is never printed (`scoring.postgres.shown`) nor put on a command line: the
tools get it through a passfile of their own (owner-only, in a private temporary folder).
"""

from __future__ import annotations

import glob
import os
import re
import secrets
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from graphlib import TopologicalSorter
from pathlib import Path
from urllib.parse import urlsplit

import psycopg
from psycopg import sql
from psycopg.conninfo import conninfo_to_dict, make_conninfo

from scoring.errors import DebriefError
from scoring.integrity import verify
from scoring.keys import AuditKey
from scoring.models.integrity import Report
from scoring.postgres import WRITE_LOCK, PgDatabase, configure, shown
from scoring.queries import backup_pg as Q
from scoring.queries import cli as QC

DUMP_MAGIC = b"PGDMP"  # the first bytes of a pg_dump custom-format archive
SQLITE_MAGIC = b"SQLite format 3\x00"
BIN_ENV = "DEBRIEF_PG_BIN"  # a folder with pg_dump and pg_restore, tried first
SCRATCH_PREFIX = "debrief_check"
CONNECT_TIMEOUT = 10


class BackupProblem(DebriefError):
    """A backup or restore on PostgreSQL could not be done; the message says why and what to do."""


class InUse(BackupProblem):
    """The database to restore over holds people, and replacing it was not confirmed."""

    def __init__(self, people: int):
        super().__init__(f"it holds {people} people")
        self.people = people


class NoScratchDatabase(BackupProblem):
    """The user may not CREATE DATABASE, so a dump cannot be restored anywhere to be checked."""


def is_dump(path: Path) -> bool:
    """Whether `path` is a pg_dump custom-format archive (not a SQLite file)."""
    with suppress(OSError), open(path, "rb") as f:
        return f.read(len(DUMP_MAGIC)) == DUMP_MAGIC
    return False


# ------------------------------------------------------------------ the tools and the password


@dataclass(frozen=True)
class Tools:
    """pg_dump and pg_restore, of one PostgreSQL version."""

    pg_dump: str
    pg_restore: str
    major: int


def _tool_major(program: str) -> int | None:
    try:
        said = subprocess.run([program, "--version"], capture_output=True, text=True, timeout=30)
    except OSError:
        return None
    found = re.search(r"\)\s+(\d+)", said.stdout)
    return int(found.group(1)) if said.returncode == 0 and found else None


def tools(server_major: int | None = None) -> Tools:
    """The newest pg_dump/pg_restore found (in $DEBRIEF_PG_BIN, Debian's
    /usr/lib/postgresql/*/bin, then the PATH), refusing one older than the server's major
    version: pg_dump refuses a newer server, and pg_restore an archive from a newer pg_dump."""
    folders = [os.environ.get(BIN_ENV, "")]
    folders += sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True)
    on_path = shutil.which("pg_dump")
    folders.append(str(Path(on_path).parent) if on_path else "")
    found: list[Tools] = []
    for folder in filter(None, folders):
        dump, restore = Path(folder) / "pg_dump", Path(folder) / "pg_restore"
        if os.access(dump, os.X_OK) and os.access(restore, os.X_OK):
            major = _tool_major(str(dump))
            if major is not None:
                found.append(Tools(str(dump), str(restore), major))
    usable = [t for t in found if server_major is None or t.major >= server_major]
    if not usable:
        have = ", ".join(f"{t.major} ({t.pg_dump})" for t in found) or "none"
        raise BackupProblem(
            f"no pg_dump/pg_restore of PostgreSQL {server_major or 'any version'} or newer"
            f" (found: {have}). Install Debian's postgresql-client-{server_major or 'N'}, or set"
            f" ${BIN_ENV} to the folder holding them"
        )
    return max(usable, key=lambda t: t.major)


@contextmanager
def _for_tools(url: str) -> Iterator[tuple[str, dict[str, str]]]:
    """The connection string for a command line (without the password) and the environment
    to run the tool in: the password, if the URL has one, in a passfile only this process's
    user can read (PGPASSWORD would show in the child's environment; libpq's advice)."""
    params = conninfo_to_dict(url)
    password = params.pop("password", None)
    env = dict(os.environ)
    with tempfile.TemporaryDirectory(prefix="debrief-pgpass-") as folder:
        if password is not None:
            escaped = str(password).replace("\\", "\\\\").replace(":", "\\:")
            passfile = Path(folder) / "pgpass"
            descriptor = os.open(passfile, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(descriptor, "w", encoding="utf-8") as f:
                f.write(f"*:*:*:*:{escaped}\n")
            env.pop("PGPASSWORD", None)  # it would win over the passfile
            env["PGPASSFILE"] = str(passfile)
        yield make_conninfo(**params), env


def _run(command: list[str], env: dict[str, str], what: str, url: str) -> str:
    done = subprocess.run(command, capture_output=True, text=True, env=env)
    if done.returncode != 0:
        said = done.stderr.strip().replace(url, shown(url))
        raise BackupProblem(f"{what} failed: {said or f'exit code {done.returncode}'}")
    return done.stdout


def _connect(url: str) -> psycopg.Connection:
    try:
        return psycopg.connect(url, autocommit=True, connect_timeout=CONNECT_TIMEOUT)
    except psycopg.Error as exc:
        raise BackupProblem(f"cannot connect to {shown(url)}: {exc}") from None


def server_major(url: str) -> int:
    """The major version of the server at `url` (15 for 15.10)."""
    with _connect(url) as conn:
        return conn.info.server_version // 10000


# ------------------------------------------------------------------ a scratch database


def _with_database(url: str, name: str) -> str:
    return urlsplit(url)._replace(path="/" + name).geturl()


@contextmanager
def scratch_database(url: str) -> Iterator[str]:
    """A new empty database on the server of `url`, with the same encoding and collation as
    the live one, dropped after (WITH FORCE); its URL. NoScratchDatabase when the user may not
    create one."""
    name = f"{SCRATCH_PREFIX}_{os.getpid()}_{secrets.token_hex(4)}"
    with _connect(url) as conn:
        encoding, collate, ctype = conn.execute(Q.LIVE_LOCALE).fetchone()  # type: ignore[misc]
        try:
            conn.execute(
                sql.SQL(Q.CREATE_DATABASE).format(
                    name=sql.Identifier(name),
                    encoding=sql.Literal(encoding),
                    collate=sql.Literal(collate),
                    ctype=sql.Literal(ctype),
                )
            )
        except psycopg.errors.InsufficientPrivilege:
            user = conninfo_to_dict(url).get("user") or "this user"
            raise NoScratchDatabase(
                f"{user} may not CREATE DATABASE, so the dump cannot be restored anywhere to be"
                f" checked (ALTER ROLE {user} CREATEDB allows it)"
            ) from None
    try:
        yield _with_database(url, name)
    finally:
        with _connect(url) as conn:
            conn.execute(sql.SQL(Q.DROP_DATABASE).format(name=sql.Identifier(name)))


def _restore_into(found: Tools, dump: Path, url: str) -> None:
    """pg_restore the whole archive into the (empty) database at `url`, in one transaction.
    Objects are owned by the restoring user, with no grants: only the rows matter here."""
    with _for_tools(url) as (conninfo, env):
        _run(
            [
                found.pg_restore,
                "--no-owner",
                "--no-privileges",
                "--exit-on-error",
                "--single-transaction",
                f"--dbname={conninfo}",
                str(dump),
            ],
            env,
            f"pg_restore of {dump}",
            url,
        )


def _checked_in(url: str, key: AuditKey) -> Report:
    """Bring the database at `url` up to date (signing with `key`) and verify it with `key`."""
    from scoring import keys
    from scoring.postgres import PostgresStore

    with keys.using(key):
        store = PostgresStore(url)
        try:
            return verify(store, key=key)  # type: ignore[arg-type]
        finally:
            store.close()


class _InTransaction:
    """One open transaction, as the store `scoring.integrity.verify` reads through."""

    engine = "postgresql"
    path = None

    def __init__(self, db: PgDatabase):
        self._db = db

    @contextmanager
    def read(self) -> Iterator[PgDatabase]:
        yield self._db


def _database(conn: psycopg.Connection, url: str) -> PgDatabase:
    configure(conn)  # times read back as stamps, rows by name: as the store's connections
    return PgDatabase(conn, url)


# ------------------------------------------------------------------ backup


@dataclass
class Backup:
    """What `backup` made: the report of the check, and how the copy was checked."""

    report: Report
    restored: bool  # True: the file was restored into a scratch database and verified there
    note: str = ""  # why it was not, when it was not


def backup(url: str, target: Path, key: AuditKey) -> Backup:
    """pg_dump the database at `url` into `target` (custom format, one snapshot), then check the
    copy with `key` (see the module's docstring). The file is written before it is checked."""
    with _said_plainly(url):
        return _backup(url, target, key)


@contextmanager
def _said_plainly(url: str) -> Iterator[None]:
    """A server's error (refused, gone, a lock not had in time) as a BackupProblem."""
    try:
        yield
    except psycopg.Error as exc:
        raise BackupProblem(f"{shown(url)}: {exc}") from None


def _backup(url: str, target: Path, key: AuditKey) -> Backup:
    found = tools(server_major(url))
    partial = target.with_name(target.name + ".partial")
    with _connect(url) as live:
        live.execute(Q.BEGIN_SNAPSHOT)
        snapshot = live.execute(Q.EXPORT_SNAPSHOT).fetchone()[0]  # type: ignore[index]
        try:
            with _for_tools(url) as (conninfo, env):
                _run(
                    [
                        found.pg_dump,
                        "--format=custom",
                        f"--snapshot={snapshot}",
                        f"--file={partial}",
                        f"--dbname={conninfo}",
                    ],
                    env,
                    f"pg_dump of {shown(url)}",
                    url,
                )
            os.replace(partial, target)  # never a half-written file under the chosen name
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
        try:
            with scratch_database(url) as scratch:
                _restore_into(found, target, scratch)
                return Backup(_checked_in(scratch, key), restored=True)
        except NoScratchDatabase as exc:
            # The same rows, in the same snapshot pg_dump read: the data is checked; that the
            # file restores is not, beyond its table of contents reading back whole.
            with _for_tools(url) as (_, env):
                _run([found.pg_restore, "--list", str(target)], env, f"reading {target}", url)
            report = verify(_InTransaction(_database(live, url)), key=key)  # type: ignore[arg-type]
            return Backup(report, restored=False, note=str(exc))
        finally:
            with suppress(psycopg.Error):
                live.execute(Q.ROLLBACK)


def dump_head(path: Path) -> tuple[int, str]:
    """The chain head (id, hash) a dump holds: its audit log's last entry, read from the file
    by pg_restore (no server); (0, "") for an empty log."""
    found = tools()
    with _for_tools("postgresql://") as (_, env):
        text = _run(
            [found.pg_restore, "--data-only", "--table=audit_log", "--file=-", str(path)],
            env,
            f"reading {path}",
            "",
        )
    columns: list[str] | None = None
    best = (0, "")
    for line in text.splitlines():
        if columns is None:
            heading = re.match(r"COPY \S*audit_log \((.*)\) FROM stdin;$", line)
            if heading:
                columns = [c.strip().strip('"') for c in heading.group(1).split(",")]
            continue
        if line == "\\.":
            break
        values = line.split("\t")
        entry = int(values[columns.index("id")]), values[columns.index("hash")]
        best = max(best, entry)
    if columns is None:
        raise BackupProblem(f"{path} holds no audit log: not a Debrief backup")
    return best


# ------------------------------------------------------------------ restore


def restore(url: str, dump: Path, key: AuditKey, source: str, replace_in_use: bool) -> Report:
    """Replace the rows of the database at `url` with those of `dump` once a scratch copy of it
    verifies with `key` (see the module's docstring); a database holding people only with
    `replace_in_use` (else InUse). Returns the check of the dump (nothing changed when it is not
    ok); raises BackupProblem (and changes nothing) when it cannot be done."""
    with _said_plainly(url):
        return _restore(url, dump, key, source, replace_in_use)


def _restore(url: str, dump: Path, key: AuditKey, source: str, replace_in_use: bool) -> Report:
    from scoring import audit, keys
    from scoring.clock import now_utc

    found = tools(server_major(url))
    with scratch_database(url) as scratch:
        _restore_into(found, dump, scratch)
        report = _checked_in(scratch, key)
        if not report.ok:
            return report
        with _connect(url) as conn:
            people_now = conn.execute(QC.COUNT_PEOPLE).fetchone()[0]  # type: ignore[index]
        if people_now and not replace_in_use:
            raise InUse(people_now)
        with _connect(url) as live_conn, _connect(scratch) as copy:
            live = _database(live_conn, url)
            live_conn.execute(Q.BEGIN)
            try:
                live_conn.execute(Q.LOCK_TIMEOUT)
                live_conn.execute(Q.WRITE_LOCK, [WRITE_LOCK])
                _replace_rows(live_conn, copy)
                with keys.using(key):
                    audit.record(
                        live,
                        None,
                        "restore",
                        "database",
                        now_utc(),
                        file=source,
                        head_id=report.head[0],
                        head_hash=report.head[1],
                    )
                after = verify(_InTransaction(live), key=key)  # type: ignore[arg-type]
                if not after.ok:
                    raise BackupProblem(
                        f"the restored database does not verify: {after.problems[0]}"
                    )
                live_conn.execute(Q.COMMIT)
            except BaseException:
                with suppress(psycopg.Error):
                    live_conn.execute(Q.ROLLBACK)
                raise
    return report


def _layout(conn: psycopg.Connection) -> dict[str, list[tuple[str, str]]]:
    tables: dict[str, list[tuple[str, str]]] = {r[0]: [] for r in conn.execute(Q.TABLES)}
    for table, column, kind in conn.execute(Q.COLUMNS):
        tables[table].append((column, kind))
    return tables


def _replace_rows(live: psycopg.Connection, copy: psycopg.Connection) -> None:
    """Inside the caller's transaction on `live`: every table's rows replaced by `copy`'s."""
    tables = _layout(live)
    theirs = _layout(copy)
    if tables != theirs:
        differ = sorted(set(tables) ^ set(theirs)) or sorted(
            t for t in tables if tables[t] != theirs.get(t)
        )
        raise BackupProblem(
            "the backup's tables are not this database's (they differ in "
            f"{', '.join(differ[:5])}): is Debrief here at the same version as the backup's?"
        )
    parents: dict[str, set[str]] = {t: set() for t in tables}
    for child, parent in live.execute(Q.FOREIGN_KEYS):
        if child != parent:
            parents[child].add(parent)
    order = list(TopologicalSorter(parents).static_order())  # parents before children
    name = sql.Identifier
    live.execute(sql.SQL(Q.LOCK_TABLES).format(tables=sql.SQL(", ").join(name(t) for t in order)))
    triggers = live.execute(Q.TRIGGERS).fetchall()
    for table in sorted({t for t, _, _ in triggers}):
        live.execute(sql.SQL(Q.DISABLE_TRIGGERS).format(table=name(table)))
    for table in reversed(order):  # children first: no foreign key is left dangling
        live.execute(sql.SQL(Q.EMPTY_TABLE).format(table=name(table)))
    copy.execute(Q.BEGIN_SNAPSHOT)
    for table in order:
        columns = sql.SQL(", ").join(name(c) for c, _ in tables[table])
        out = sql.SQL(Q.COPY_OUT).format(table=name(table), columns=columns)
        into = sql.SQL(Q.COPY_IN).format(table=name(table), columns=columns)
        with copy.cursor().copy(out) as reading, live.cursor().copy(into) as writing:
            for block in reading:
                writing.write(block)
        counted = [
            c.execute(sql.SQL(Q.COUNT_ROWS).format(table=name(table))).fetchone()[0]  # type: ignore[index]
            for c in (live, copy)
        ]
        if counted[0] != counted[1]:
            raise BackupProblem(f"{table}: {counted[1]} rows in the backup, {counted[0]} copied")
    for _table, _column, sequence in copy.execute(Q.SEQUENCES).fetchall():
        wanted = [
            c.execute(Q.SEQUENCE_LAST, [sequence]).fetchone()[0]  # type: ignore[index]
            for c in (live, copy)
        ]
        if any(v is not None for v in wanted):
            live.execute(Q.SEQUENCE_SET, [sequence, max(v for v in wanted if v is not None)])
    copy.execute(Q.ROLLBACK)
    for table, trigger, enabled in triggers:
        statement = Q.ENABLE_TRIGGER[enabled]
        live.execute(sql.SQL(statement).format(table=name(table), trigger=name(trigger)))
