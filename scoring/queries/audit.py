"""The queries behind the audit log (`scoring.audit`) and the history rows its entries vouch
for. A history table's statements are written whole, one per table, never with a table's name
spliced in."""

DATABASE_LIST = "PRAGMA database_list"
HEAD = "SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1"
APPEND = (
    "INSERT INTO audit_log (id, at, actor_id, action, subject, detail, prev_hash, hash)"
    " VALUES (:id, :at, :actor_id, :action, :subject, :detail, :prev_hash, :hash)"
)
ENTRIES = "SELECT * FROM audit_log ORDER BY id"
ENTRIES_OF = "SELECT * FROM audit_log WHERE action = ? ORDER BY id"

# One history row by the key its audit entry names (`scoring.audit.DIGESTED`).
HISTORY_ROW = {
    "scorecards": "SELECT * FROM scorecards WHERE id = ?",
    "decisions": "SELECT * FROM decisions WHERE id = ?",
    "committee_votes": "SELECT * FROM committee_votes WHERE id = ?",
    "debriefs": "SELECT * FROM debriefs WHERE candidate_id = ?",
    "hire_outcomes": "SELECT * FROM hire_outcomes WHERE id = ?",
    "stage_reviews": "SELECT * FROM stage_reviews WHERE id = ?",
    "stage_outcomes": "SELECT * FROM stage_outcomes WHERE id = ?",
}
# Every key of a history table, in order: what `verify` checks against the audit log.
HISTORY_KEYS = {
    "scorecards": "SELECT id FROM scorecards ORDER BY id",
    "decisions": "SELECT id FROM decisions ORDER BY id",
    "committee_votes": "SELECT id FROM committee_votes ORDER BY id",
    "debriefs": "SELECT candidate_id FROM debriefs ORDER BY candidate_id",
    "hire_outcomes": "SELECT id FROM hire_outcomes ORDER BY id",
    "stage_reviews": "SELECT id FROM stage_reviews ORDER BY id",
    "stage_outcomes": "SELECT id FROM stage_outcomes ORDER BY id",
}
CRITERION_SCORES = "SELECT * FROM criterion_scores WHERE scorecard_id = ? ORDER BY criterion_id"
