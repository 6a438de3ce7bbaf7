"""The statements of `scoring.personal` (data keys) and `scoring.erasure`."""

DATABASE_LIST = "PRAGMA database_list"
KEY = "SELECT kek_id, wrapped FROM candidate_keys WHERE candidate_id = ?"
ADD_KEY = (
    "INSERT INTO candidate_keys (candidate_id, kek_id, wrapped, created_at) VALUES (?, ?, ?, ?)"
)
KEYS = (
    "SELECT candidate_id, kek_id, wrapped FROM candidate_keys"
    " WHERE candidate_id IN (SELECT value FROM json_each(?))"
)
ERASED = "SELECT 1 FROM erasures WHERE candidate_id = ?"
ERASED_OF = (
    "SELECT candidate_id FROM erasures WHERE candidate_id IN (SELECT value FROM json_each(?))"
)
ANY_KEY = "SELECT kek_id FROM candidate_keys LIMIT 1"

# ------------------------------------------------------------------------------- erasure
CANDIDATE = (
    "SELECT id, opening_id, alias, name, email, phone, withdrawn_at FROM candidates WHERE id = ?"
)
DELETE_KEY = "DELETE FROM candidate_keys WHERE candidate_id = ?"
DELETE_DRAFTS = (
    "DELETE FROM drafts WHERE assignment_id IN (SELECT a.id FROM assignments a"
    " JOIN interview_sessions i ON i.id = a.session_id WHERE i.candidate_id = ?)"
)
# Messages to or about them: never sent now; what they said (sealed) overwritten too, and the
# candidate's own address (a message to them has no person as its recipient).
STOP_MESSAGES = (
    "UPDATE outbox SET state = 'failed', last_error = ? WHERE candidate_id = ? AND state = 'queued'"
)
BLANK_MESSAGES = """UPDATE outbox SET subject = ?, text_body = '', html_body = '', ics = NULL,
        to_address = CASE WHEN recipient_id IS NULL THEN '' ELSE to_address END,
        to_name = CASE WHEN recipient_id IS NULL THEN '' ELSE to_name END,
        last_error = CASE WHEN last_error IS NULL THEN NULL ELSE ? END
    WHERE candidate_id = ?"""
CLEAR_CONTACT = "UPDATE candidates SET name = ?, email = '', phone = '', source = '' WHERE id = ?"
DROP_KEPT_FIGURES = "DELETE FROM kept_figures"
ADD_ERASURE = (
    "INSERT INTO erasures (candidate_id, erased_at, erased_by, basis, reason)"
    " VALUES (?, ?, ?, ?, ?)"
)
CHECKPOINT = "PRAGMA wal_checkpoint(TRUNCATE)"
# Texts about the candidate stored before texts were sealed (migration m014): the history keeps
# them, and erasure says how many (each statement counts one column's cleartext for a candidate).
_CLEAR = "{column} <> '' AND {column} NOT LIKE '\x1fpd1:%'"
_OF_SEATS = (
    "(SELECT a.id FROM assignments a JOIN interview_sessions i ON i.id = a.session_id"
    " WHERE i.candidate_id = ?)"
)
LEGACY_TEXTS = [
    "SELECT COUNT(*) FROM scorecards WHERE assignment_id IN "
    + _OF_SEATS
    + " AND "
    + _CLEAR.format(column="feedback"),
    "SELECT COUNT(*) FROM criterion_scores WHERE scorecard_id IN (SELECT id FROM scorecards"
    " WHERE assignment_id IN " + _OF_SEATS + ") AND " + _CLEAR.format(column="evidence"),
    "SELECT COUNT(*) FROM decisions WHERE candidate_id = ? AND "
    + _CLEAR.format(column="rationale"),
    "SELECT COUNT(*) FROM committee_votes WHERE candidate_id = ? AND "
    + _CLEAR.format(column="note"),
    "SELECT COUNT(*) FROM stage_reviews WHERE seat_id IN (SELECT id FROM stage_seats"
    " WHERE candidate_id = ?) AND " + _CLEAR.format(column="notes"),
    "SELECT COUNT(*) FROM cheating_flags WHERE candidate_id = ? AND "
    + _CLEAR.format(column="evidence"),
    "SELECT COUNT(*) FROM candidate_feedback WHERE candidate_id = ? AND ("
    + _CLEAR.format(column="performance")
    + " OR "
    + _CLEAR.format(column="logistical")
    + ")",
    "SELECT COUNT(*) FROM candidates WHERE id = ? AND withdrawal_reason IS NOT NULL AND "
    + _CLEAR.format(column="withdrawal_reason"),
    "SELECT COUNT(*) FROM assignments WHERE id IN "
    + _OF_SEATS
    + " AND recusal_reason IS NOT NULL AND "
    + _CLEAR.format(column="recusal_reason"),
    "SELECT COUNT(*) FROM stage_seats WHERE candidate_id = ? AND recusal_reason IS NOT NULL"
    " AND " + _CLEAR.format(column="recusal_reason"),
    "SELECT COUNT(*) FROM debriefs WHERE candidate_id = ? AND early_reason IS NOT NULL AND "
    + _CLEAR.format(column="early_reason"),
    "SELECT COUNT(*) FROM stage_outcomes WHERE candidate_id = ? AND "
    + _CLEAR.format(column="reason"),
    "SELECT COUNT(*) FROM scorecards WHERE assignment_id IN "
    + _OF_SEATS
    + " AND revision_reason IS NOT NULL AND "
    + _CLEAR.format(column="revision_reason"),
    "SELECT COUNT(*) FROM take_home_events WHERE candidate_id = ? AND "
    + _CLEAR.format(column="detail")
    + " AND detail <> '{}'",
    "SELECT COUNT(*) FROM hire_outcomes WHERE candidate_id = ? AND " + _CLEAR.format(column="note"),
]
# The audit entries about them (by subject) that may carry a typed reason: counted in Python.
AUDITED_REASONS = (
    "SELECT detail FROM audit_log WHERE subject = ? AND action IN"
    " ('withdraw_candidate', 'decline_offer', 'open_debrief', 'stage_outcome')"
)
# PostgreSQL, outside a transaction: the tables erasure deletes from or overwrites. The data
# keys' table is rewritten whole (VACUUM FULL: no dead row keeps a wrapped key); it is small.
VACUUM_ERASED = ["VACUUM FULL candidate_keys"] + [
    f"VACUUM {table}"
    for table in (
        "drafts",
        "outbox",
        "candidates",
        "candidate_demographics",
        "kept_figures",
    )
]
