"""The versioned schema: applied on open, a no-op the second time, WAL and foreign keys on."""

import sqlite3

from scoring.migrations import migrations
from scoring.store import Store


def test_migrations_run_on_an_empty_file_and_again_as_a_no_op(tmp_path):
    path = tmp_path / "fresh.sqlite"
    store = Store(path)
    with store.read() as db:
        applied = [m.name for m in migrations.applied(db)]
        tables = set(db.table_names())
    assert applied == [m.name for m in migrations._migrations]
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
