"""The statements of `scoring.database`: a connection's set-up, savepoints, and the bookkeeping
table of applied migrations.

The bookkeeping table is the one sqlite-utils' `Migrations` created (its name, columns and unique
index, written exactly as sqlite-utils wrote them), so a file made while Debrief ran its
migrations through sqlite-utils opens unchanged and no migration runs twice.
"""

# sqlite-utils turned recursive triggers on for every connection it wrapped; Debrief's triggers
# were written and tested that way, so the connection keeps it.
RECURSIVE_TRIGGERS = "PRAGMA recursive_triggers=on;"
BEGIN = "BEGIN"
COMMIT = "COMMIT"
ROLLBACK = "ROLLBACK"


def savepoint(name: str) -> str:
    """Open the savepoint `name` (a name we made, never user input)."""
    return f"SAVEPOINT {name};"


def release(name: str) -> str:
    """Keep what was done since the savepoint `name`."""
    return f"RELEASE SAVEPOINT {name};"


def rollback_to(name: str) -> str:
    """Undo what was done since the savepoint `name` (it stays open until released)."""
    return f"ROLLBACK TO SAVEPOINT {name};"


TABLE_NAMES = "select name from sqlite_master where type = 'table'"

MIGRATIONS_TABLE_EXISTS = (
    "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '_sqlite_migrations'"
)
CREATE_MIGRATIONS_TABLE = """CREATE TABLE "_sqlite_migrations" (
   "id" INTEGER PRIMARY KEY,
   "migration_set" TEXT,
   "name" TEXT,
   "applied_at" TEXT
)"""
CREATE_MIGRATIONS_INDEX = """CREATE UNIQUE INDEX "idx__sqlite_migrations_migration_set_name"
    ON "_sqlite_migrations" ("migration_set", "name")"""
APPLIED_MIGRATIONS = (
    'SELECT name, applied_at FROM "_sqlite_migrations" WHERE migration_set = ? ORDER BY rowid'
)
RECORD_MIGRATION = (
    'INSERT INTO "_sqlite_migrations" (migration_set, name, applied_at) VALUES (?, ?, ?)'
)
