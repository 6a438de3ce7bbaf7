"""The versioned schema: applied on open, a no-op the second time, WAL and foreign keys on; a
file made when sqlite-utils ran the migrations opens unchanged; a failed migration leaves no
trace."""

import sqlite3
from pathlib import Path

import pytest

from scoring.database import Database, Migrations
from scoring.migrations import migrations
from scoring.store import Store

MADE_BY_SQLITE_UTILS = Path(__file__).parent / "data" / "made_by_sqlite_utils.sql"


def test_migrations_run_on_an_empty_file_and_again_as_a_no_op(tmp_path):
    path = tmp_path / "fresh.sqlite"
    store = Store(path)
    with store.read() as db:
        applied = [m.name for m in migrations.applied(db)]
        tables = set(db.table_names())
    assert applied == migrations.names
    assert {"people", "scorecards", "decisions", "audit_log", "debriefs"} <= tables
    assert store.migrate() == []
    assert Store(path).migrate() == []
    with store.read() as db:
        assert [m.name for m in migrations.applied(db)] == applied


def test_file_is_wal_with_foreign_keys_and_a_busy_timeout(tmp_path):
    store = Store(tmp_path / "wal.sqlite")
    with store.read() as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert db.execute("PRAGMA busy_timeout").fetchone()[0] >= 5000
    conn = sqlite3.connect(store.path)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"  # kept in the file
    conn.close()


def test_default_path_comes_from_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("DEBRIEF_DB", str(tmp_path / "env.sqlite"))
    assert Store().path == tmp_path / "env.sqlite"
    assert (tmp_path / "env.sqlite").exists()


def _schema(path: Path) -> list[tuple]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(
            "SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name"
        ).fetchall()
    finally:
        conn.close()


def _bookkeeping(path: Path) -> list[tuple]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("SELECT * FROM _sqlite_migrations ORDER BY id").fetchall()
    finally:
        conn.close()


def test_a_file_made_when_sqlite_utils_ran_the_migrations_opens_unchanged(tmp_path):
    """Its bookkeeping rows are read as they are: nothing is applied twice, only the migrations
    written since are added, and its schema is exactly the schema a new file gets today."""
    old = tmp_path / "old.sqlite"
    conn = sqlite3.connect(old)
    conn.executescript(MADE_BY_SQLITE_UTILS.read_text())
    conn.close()
    rows = _bookkeeping(old)
    assert [row[2] for row in rows] == migrations.names[:10]  # the ten it was made with

    store = Store(old)
    assert store.migrate() == []
    after = _bookkeeping(old)
    assert after[:10] == rows  # same ids, names and times: nothing re-applied
    assert [row[2] for row in after[10:]] == migrations.names[10:]  # the later ones, once
    with store.read() as db:
        assert db.execute("SELECT name FROM people").fetchall()[0]["name"] == "Cora Old"
    assert _schema(old) == _schema(Store(tmp_path / "new.sqlite").path)


def test_sqlite_utils_reads_the_bookkeeping_of_a_file_made_today(tmp_path):
    """The other way round, while sqlite-utils is still installed: its Migrations finds every
    migration of a new file applied, so going back to it would not run any twice."""
    sqlite_utils = pytest.importorskip("sqlite_utils")
    path = tmp_path / "today.sqlite"
    Store(path)
    theirs = sqlite_utils.Migrations("debrief")
    for name in migrations.names:
        theirs(name=name)(lambda db: None)
    db = sqlite_utils.Database(path)
    try:
        assert [m.name for m in theirs.applied(db)] == migrations.names
        assert theirs.pending(db) == []
    finally:
        db.close()


def test_a_failed_migration_leaves_no_trace_and_stays_pending(tmp_path):
    steps = Migrations("trial")

    @steps()
    def t001_table(db: Database) -> None:
        db.execute("CREATE TABLE kept (id INTEGER PRIMARY KEY)")

    @steps()
    def t002_fails(db: Database) -> None:
        db.execute("CREATE TABLE lost (id INTEGER PRIMARY KEY)")
        raise RuntimeError("half-way")

    db = Database(sqlite3.connect(tmp_path / "trial.sqlite", isolation_level=None))
    try:
        with pytest.raises(RuntimeError, match="half-way"):
            steps.apply(db)
        assert [m.name for m in steps.applied(db)] == ["t001_table"]
        assert [m.name for m in steps.pending(db)] == ["t002_fails"]
        assert "lost" not in db.table_names() and "kept" in db.table_names()
    finally:
        db.close()


def test_a_unit_inside_a_batch_rolls_back_alone(tmp_path):
    """`atomic` inside an open transaction is a savepoint: the failed unit goes, the rest stays."""
    db = Database(sqlite3.connect(tmp_path / "nest.sqlite", isolation_level=None))
    try:
        db.execute("CREATE TABLE t (x INTEGER)")
        with db.atomic():
            db.execute("INSERT INTO t VALUES (1)")
            with pytest.raises(ValueError, match="undo"), db.atomic():
                db.execute("INSERT INTO t VALUES (2)")
                raise ValueError("undo")
        assert [row[0] for row in db.execute("SELECT x FROM t")] == [1]
        assert db.execute("PRAGMA recursive_triggers").fetchone()[0] == 1
    finally:
        db.close()
