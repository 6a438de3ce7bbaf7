"""The outbox's queries: writing a message, the people and places it is written for, who may
still get it, the reminders, and what the Status page lists. Each statement is written whole."""

# ------------------------------------------------------------------------------ writing a row

# Its text as the service wrote it, line breaks and all.
INSERT_MESSAGE = (
    "INSERT INTO outbox (created_at, kind, recipient_id, to_address, to_name, subject,\n"
    "             text_body, html_body, ics, ics_method, dedupe_key, candidate_id, assignment_id,\n"
    "             next_attempt_at)\n"
    "           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)\n"
    "           ON CONFLICT (dedupe_key) DO NOTHING"
)
PERSON = "SELECT * FROM people WHERE id = ?"
CANDIDATE_NAMES = "SELECT name, alias FROM candidates WHERE id = ?"
OPENING_TITLE = "SELECT title FROM openings WHERE id = ?"

# ---------------------------------------------------------------------- who may still get it

WITHDRAW = (
    "UPDATE outbox SET state = 'failed', last_error = ?, claimed_by = NULL,"
    " claimed_at = NULL WHERE id = ?"
)
QUEUED_TO = "SELECT * FROM outbox WHERE state = 'queued' AND recipient_id = ? ORDER BY id"
# (recipient, since, the WITHDRAWN prefix followed by %)
WITHDRAWN_TO = (
    "SELECT * FROM outbox WHERE state = 'failed' AND recipient_id = ? AND created_at >= ?"
    " AND last_error LIKE ? ORDER BY id"
)
GIVE_BACK = (
    "UPDATE outbox SET state = 'queued', last_error = NULL, next_attempt_at = ? WHERE id = ?"
)

# ------------------------------------------------------------------------- the interview day

CALENDAR_UID = "SELECT calendar_uid FROM interview_sessions WHERE id = ?"
SET_CALENDAR_UID = "UPDATE interview_sessions SET calendar_uid = ? WHERE id = ?"
SET_CALENDAR_SEQUENCE = "UPDATE interview_sessions SET calendar_sequence = ? WHERE id = ?"
SESSION = """SELECT i.*, c.opening_id, o.title AS opening_title FROM interview_sessions i
           JOIN candidates c ON c.id = i.candidate_id JOIN openings o ON o.id = c.opening_id
           WHERE i.id = ?"""
SESSION_SEATS = (
    "SELECT id, interviewer_id FROM assignments WHERE session_id = ? AND recused_at IS NULL"
    " ORDER BY id"
)

# ---------------------------------------------------------------------------------- reminders

SEAT = """SELECT a.id, a.interviewer_id, a.recused_at, i.title, i.ends_at, i.candidate_id,
                  o.overdue_hours, o.title AS opening_title,
                  EXISTS (SELECT 1 FROM scorecards s WHERE s.assignment_id = a.id) AS submitted
           FROM assignments a JOIN interview_sessions i ON i.id = a.session_id
           JOIN candidates c ON c.id = i.candidate_id JOIN openings o ON o.id = c.opening_id
           WHERE a.id = ?"""
# (now, now - REMIND_WINDOW): every seat invited to a session that ended without its scorecard
DUE_SEATS = """SELECT a.id, i.ends_at, o.overdue_hours FROM interview_sessions i
               JOIN assignments a ON a.session_id = i.id AND a.recused_at IS NULL
               JOIN candidates c ON c.id = i.candidate_id JOIN openings o ON o.id = c.opening_id
               WHERE i.ends_at <= ? AND i.ends_at >= ?
                 AND c.withdrawn_at IS NULL AND o.closed_at IS NULL
                 AND NOT EXISTS (SELECT 1 FROM scorecards s WHERE s.assignment_id = a.id)
                 AND EXISTS (SELECT 1 FROM outbox m
                             WHERE m.assignment_id = a.id AND m.kind = 'invitation')
               ORDER BY i.ends_at, a.id"""
LAST_REMINDED = (
    "SELECT MAX(created_at) FROM outbox WHERE assignment_id = ?"
    " AND kind IN ('due', 'overdue', 'reminder') AND state <> 'failed'"
)
# (since, until, opening, now): the Status window's seats whose session ended without a scorecard
ENDED_WITHOUT_SCORECARD = """SELECT a.id, a.interviewer_id, i.ends_at, o.overdue_hours
               FROM interview_sessions i INDEXED BY sessions_by_start
               JOIN assignments a ON a.session_id = i.id AND a.recused_at IS NULL
               JOIN candidates c ON c.id = i.candidate_id JOIN openings o ON o.id = c.opening_id
               WHERE i.starts_at >= ? AND i.starts_at < ? AND c.opening_id = ?
                 AND i.ends_at <= ? AND c.withdrawn_at IS NULL
                 AND NOT EXISTS (SELECT 1 FROM scorecards s WHERE s.assignment_id = a.id)
               ORDER BY i.starts_at, a.id"""

# ------------------------------------------------------------------------------ the decision

DECISION = "SELECT outcome, decided_by FROM decisions WHERE id = ? AND candidate_id = ?"
EARLIER_DECISION = (
    "SELECT outcome FROM decisions WHERE candidate_id = ? AND id < ? ORDER BY id DESC LIMIT 1"
)

# ------------------------------------------------------------------------- what the app shows

# CROSS JOIN keeps the outbox the outer loop: walked newest first, it stops at `limit` rows
# instead of sorting every message of the opening.
LATEST_OF_OPENING = """SELECT m.* FROM outbox m CROSS JOIN candidates c ON c.id = m.candidate_id
               WHERE c.opening_id = ? ORDER BY m.id DESC LIMIT ?"""
COUNT_BY_STATE = "SELECT state, COUNT(*) FROM outbox GROUP BY state"
COUNT_WITHDRAWN = "SELECT COUNT(*) FROM outbox WHERE state = 'failed' AND last_error LIKE ?"
