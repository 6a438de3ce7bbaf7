"""The statements of `backup`/`restore` on PostgreSQL (`scoring.backup_pg`). Those that name a
table or a database are templates for `psycopg.sql.SQL(...).format(...)`, with every name passed
as a `psycopg.sql.Identifier` (quoted by psycopg, never spliced as text). Written in PostgreSQL's
own dialect: they run on psycopg connections directly, not through `scoring.dialect`."""

SERVER_VERSION = "SHOW server_version_num"
# A scratch database on the same server, where a dump is restored to be checked.
CREATE_DATABASE = (
    "CREATE DATABASE {name} TEMPLATE template0 ENCODING {encoding}"
    " LC_COLLATE {collate} LC_CTYPE {ctype}"
)
# The live database's encoding and collation, which the scratch database copies.
LIVE_LOCALE = (
    "SELECT pg_encoding_to_char(encoding), datcollate, datctype FROM pg_database"
    " WHERE datname = current_database()"
)
DROP_DATABASE = "DROP DATABASE IF EXISTS {name} WITH (FORCE)"
# The dump is taken in this snapshot, and (without a scratch database) checked in it.
BEGIN_SNAPSHOT = "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY"
EXPORT_SNAPSHOT = "SELECT pg_export_snapshot()"
ROLLBACK = "ROLLBACK"
COMMIT = "COMMIT"
BEGIN = "BEGIN"
UTC = "SET TIME ZONE 'UTC'"
# The write lock every Debrief write unit takes first (scoring.postgres.WRITE_LOCK).
WRITE_LOCK = "SELECT pg_advisory_xact_lock(%s)"
# How long `restore` waits for a lock before giving up (nothing changed): a worker's long read
# or write must not hold it up forever, nor it everyone queued behind it.
LOCK_TIMEOUT = "SET LOCAL lock_timeout = '30s'"

# The tables of the current schema, their columns (in order, with their types) and the
# foreign keys between them: what `restore` copies, and in which order.
TABLES = (
    "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
    " WHERE c.relkind IN ('r', 'p') AND n.nspname = current_schema() ORDER BY c.relname"
)
COLUMNS = (
    "SELECT c.relname, a.attname, format_type(a.atttypid, a.atttypmod)"
    " FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid"
    " JOIN pg_namespace n ON n.oid = c.relnamespace"
    " WHERE c.relkind IN ('r', 'p') AND n.nspname = current_schema()"
    " AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = ''"
    " ORDER BY c.relname, a.attnum"
)
FOREIGN_KEYS = (
    "SELECT c.relname, p.relname FROM pg_constraint k"
    " JOIN pg_class c ON c.oid = k.conrelid JOIN pg_class p ON p.oid = k.confrelid"
    " JOIN pg_namespace n ON n.oid = c.relnamespace"
    " WHERE k.contype = 'f' AND n.nspname = current_schema()"
)
# Each table's user triggers and how each is enabled ('O' origin, 'A' always, 'R' replica,
# 'D' disabled): `restore` switches them off for the copy and back exactly as they were.
TRIGGERS = (
    "SELECT c.relname, t.tgname, t.tgenabled FROM pg_trigger t"
    " JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace"
    " WHERE NOT t.tgisinternal AND n.nspname = current_schema() ORDER BY c.relname, t.tgname"
)
# The sequences behind identity (and serial) columns, and where each stands.
SEQUENCES = (
    "SELECT c.relname, a.attname, pg_get_serial_sequence(quote_ident(c.relname), a.attname)"
    " FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid"
    " JOIN pg_namespace n ON n.oid = c.relnamespace"
    " WHERE c.relkind IN ('r', 'p') AND n.nspname = current_schema() AND a.attnum > 0"
    " AND NOT a.attisdropped"
    " AND pg_get_serial_sequence(quote_ident(c.relname), a.attname) IS NOT NULL"
)
# Where a sequence stands (None: never used); the sequence by the name the catalog gave.
SEQUENCE_LAST = (
    "SELECT last_value FROM pg_sequences"
    " WHERE (quote_ident(schemaname) || '.' || quote_ident(sequencename))::regclass = %s::regclass"
)
# `restore` moves a sequence only forwards (to the restored rows' or the target's own, whichever
# is further): setval is not undone by a rollback, and a sequence ahead of the rows only leaves
# a gap in the ids, where one behind them would refuse the next insert.
SEQUENCE_SET = "SELECT setval(%s::regclass, %s)"

LOCK_TABLES = "LOCK TABLE {tables} IN SHARE ROW EXCLUSIVE MODE"
DISABLE_TRIGGERS = "ALTER TABLE {table} DISABLE TRIGGER USER"
ENABLE_TRIGGER = {
    "O": "ALTER TABLE {table} ENABLE TRIGGER {trigger}",
    "A": "ALTER TABLE {table} ENABLE ALWAYS TRIGGER {trigger}",
    "R": "ALTER TABLE {table} ENABLE REPLICA TRIGGER {trigger}",
    "D": "ALTER TABLE {table} DISABLE TRIGGER {trigger}",
}
# DELETE, not TRUNCATE: a reader whose snapshot began before the restore commits goes on
# seeing the old rows (TRUNCATE would show it empty tables).
EMPTY_TABLE = "DELETE FROM {table}"
COPY_OUT = "COPY {table} ({columns}) TO STDOUT (FORMAT BINARY)"
COPY_IN = "COPY {table} ({columns}) FROM STDIN (FORMAT BINARY)"
COUNT_ROWS = "SELECT COUNT(*) FROM {table}"
