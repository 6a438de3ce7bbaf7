"""The mail sender's queries: claiming the next due message, settling it, and giving back the
claims of a sender that is gone. Each statement is written whole."""

CLAIMED = "SELECT id, claimed_by, claimed_at FROM outbox WHERE state = 'sending'"
GIVE_BACK_CLAIM = (
    "UPDATE outbox SET state = 'queued', claimed_by = NULL, claimed_at = NULL"
    " WHERE id = ? AND state = 'sending'"
)
NEXT_DUE = (
    "SELECT * FROM outbox WHERE state = 'queued' AND next_attempt_at <= ?"
    " ORDER BY next_attempt_at, id LIMIT 1"
)
CLAIM = "UPDATE outbox SET state = 'sending', claimed_by = ?, claimed_at = ? WHERE id = ?"
MARK_SENT = (
    "UPDATE outbox SET state = 'sent', sent_at = ?, attempts = attempts + 1,"
    " claimed_by = NULL, last_error = NULL WHERE id = ?"
)
ATTEMPTS = "SELECT attempts FROM outbox WHERE id = ?"
MARK_UNSENT = (
    "UPDATE outbox SET state = ?, attempts = ?, next_attempt_at = ?, last_error = ?,"
    " claimed_by = NULL, claimed_at = NULL WHERE id = ?"
)
