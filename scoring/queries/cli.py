"""The statements of the command line's history commands (`scoring.cli_history`)."""

# The chain head of a backup file: its last audit entry.
LAST_AUDIT_ENTRY = "SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1"
# Whether a database about to be replaced by `restore` is in use.
COUNT_PEOPLE = "SELECT COUNT(*) FROM people"
# The whole audit log, in order: `rekey` seals its content under the new key.
AUDIT_LOG = "SELECT * FROM audit_log ORDER BY id"
