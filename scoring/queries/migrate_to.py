"""The statements of `python -m scoring migrate-to` (`scoring.migrate_to`): reading every table of
a SQLite file, and writing and checking its copy on PostgreSQL.

Table and column names are spliced in by the builders below; they come from the two databases'
own catalogues (never from input) and are quoted. The PostgreSQL statements are PostgreSQL's own
(``%s`` placeholders), run on the connection itself, not translated from SQLite's.
"""

# ------------------------------------------------------------------------------ the SQLite file

# Every table of the file but SQLite's own and the migrations' bookkeeping (the target keeps its
# own: the same steps, applied there).
SOURCE_TABLES = (
    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
    " AND name <> '_sqlite_migrations' ORDER BY name"
)
# A table's columns in order, and each one's place in the primary key (0: not in it).
SOURCE_COLUMNS = "SELECT name, pk FROM pragma_table_info(?) ORDER BY cid"
# The highest outbox id ever handed out (AUTOINCREMENT never reuses one: it is in Message-IDs).
OUTBOX_SEQUENCE = "SELECT seq FROM sqlite_sequence WHERE name = 'outbox'"
# The audit entries that name the decision or hire outcome they wrote: the order those rows
# were written in, which the target's `hire_outcomes_only_for_hires` check needs again.
WRITERS = (
    "SELECT id, action, detail FROM audit_log"
    " WHERE action IN ('decide', 'record_outcome') ORDER BY id"
)

# Who a proof reads an opening's exports as (either engine): its hiring manager, then its
# committee, then the coordinators (for the decisions, which they may export too).
READERS = (
    "SELECT hiring_manager_id, 0 FROM openings WHERE id = ?"
    " UNION ALL SELECT person_id, 1 FROM opening_committee WHERE opening_id = ?"
    " ORDER BY 2, 1"
)
COORDINATORS = "SELECT id FROM people WHERE roles LIKE '%\"coordinator\"%' ORDER BY id"
OPENINGS = "SELECT id FROM openings ORDER BY id"
OPENED = (
    "SELECT d.candidate_id, c.opening_id FROM debriefs d"
    " JOIN candidates c ON c.id = d.candidate_id ORDER BY d.candidate_id"
)

# ---------------------------------------------------------------------------- the PostgreSQL one

# The tables of the target's schema (before it is migrated, if it has any).
TARGET_TABLES = (
    "SELECT table_name FROM information_schema.tables"
    " WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name"
)
TARGET_COLUMNS = (
    "SELECT column_name, data_type FROM information_schema.columns"
    " WHERE table_schema = current_schema() AND table_name = %s ORDER BY ordinal_position"
)
IDENTITY_COLUMNS = (
    "SELECT table_name, column_name FROM information_schema.columns"
    " WHERE table_schema = current_schema() AND is_identity = 'YES'"
    " AND table_name <> '_sqlite_migrations' ORDER BY table_name"
)
SET_SEQUENCE = "SELECT setval(pg_get_serial_sequence(%s, %s), %s, %s)"
AUDIT_ENTRIES = "SELECT id, action, actor_id, prev_hash FROM audit_log ORDER BY id"
# m004's own mark on a database just migrated, the one row allowed before the copy: the source's
# chain (with its own mark) takes its place, entry for entry. The refusal is off only inside the
# copy's transaction, which holds audit_log locked (ALTER TABLE) until it commits.
KEEP_OFF_DELETE = "ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only_delete"
DROP_MARK = "DELETE FROM audit_log WHERE id = %s AND action = 'history_locked'"
GUARD_DELETE_AGAIN = "ALTER TABLE audit_log ENABLE ALWAYS TRIGGER audit_log_append_only_delete"


def _name(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def count_rows(table: str) -> str:
    """How many rows `table` holds (either engine)."""
    return f"SELECT count(*) FROM {_name(table)}"


def max_of(table: str, column: str) -> str:
    """The highest value of `column` in `table`, or 0 (PostgreSQL)."""
    return f"SELECT coalesce(max({_name(column)}), 0) FROM {_name(table)}"


def rows_of(table: str, columns: list[str], key: list[tuple[str, bool]]) -> str:
    """Every row of `table` (its `columns`), in the order of its key: (column, is text) pairs.
    A text key is ordered byte by byte on both engines (SQLite's BINARY, PostgreSQL's "C"), so
    that the two sides walk their rows in the same order."""
    order = ", ".join(_name(c) + (' COLLATE "C"' if text else "") for c, text in key)
    return f"SELECT {', '.join(map(_name, columns))} FROM {_name(table)} ORDER BY {order}"


def source_rows_of(table: str, columns: list[str], key: list[str]) -> str:
    """Every row of `table` in the SQLite file, in key order (SQLite compares text bytewise)."""
    order = ", ".join(map(_name, key))
    return f"SELECT {', '.join(map(_name, columns))} FROM {_name(table)} ORDER BY {order}"


def insert_into(table: str, columns: list[str]) -> str:
    """One row into `table` on PostgreSQL, with the values of `columns` (ids included)."""
    marks = ", ".join(["%s"] * len(columns))
    return f"INSERT INTO {_name(table)} ({', '.join(map(_name, columns))}) VALUES ({marks})"
