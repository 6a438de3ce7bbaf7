"""The queries about a candidate's interview day: placing sessions and seats, recusal, planning
(`scoring.schedule`), and moving, relocating, cancelling, reseating and withdrawing
(`scoring.schedule_changes`)."""

from scoring.queries import marks

# ------------------------------------------------------- the opening a change to the day is about

# The opening a candidate, a session or a seat belongs to (`scoring.opening_of`): what
# `manage_opening` is asked about when the caller names one of them.
OPENING_OF_CANDIDATE = "SELECT opening_id FROM candidates WHERE id = ?"
OPENING_OF_SESSION = (
    "SELECT c.opening_id FROM interview_sessions i JOIN candidates c ON c.id = i.candidate_id"
    " WHERE i.id = ?"
)
OPENING_OF_SEAT = (
    "SELECT c.opening_id FROM assignments a JOIN interview_sessions i ON i.id = a.session_id"
    " JOIN candidates c ON c.id = i.candidate_id WHERE a.id = ?"
)

# ------------------------------------------------------------------------------ placing the day

LOOP_SESSION = "SELECT * FROM opening_sessions WHERE opening_id = ? AND position = ?"
LOOP_MINUTES = "SELECT position, minutes FROM opening_sessions WHERE opening_id = ?"
ON_THE_DAY = "SELECT 1 FROM interview_sessions WHERE candidate_id = ? AND position = ?"
ADD_SESSION = (
    "INSERT INTO interview_sessions (candidate_id, position, title, rubric_hash,"
    " starts_at, ends_at, calendar_uid, location) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
)
ADD_SEAT = "INSERT INTO assignments (session_id, interviewer_id, assigned_at) VALUES (?, ?, ?)"
# The candidate whose day a session is on (their row).
SESSION_CANDIDATE = (
    "SELECT c.* FROM interview_sessions i JOIN candidates c ON c.id = i.candidate_id WHERE i.id = ?"
)
SESSION = """SELECT i.*, c.opening_id, c.withdrawn_at FROM interview_sessions i
           JOIN candidates c ON c.id = i.candidate_id WHERE i.id = ?"""
ACTIVE_SEATS = "SELECT interviewer_id FROM assignments WHERE session_id = ? AND recused_at IS NULL"
# ... the same, in the order they were seated
SEATED = (
    "SELECT interviewer_id FROM assignments WHERE session_id = ? AND recused_at IS NULL ORDER BY id"
)
SEAT = "SELECT * FROM assignments WHERE id = ?"
SEAT_SCORED = "SELECT 1 FROM scorecards WHERE assignment_id = ?"
SEAT_CANDIDATE = (
    "SELECT i.candidate_id FROM assignments a JOIN interview_sessions i"
    " ON i.id = a.session_id WHERE a.id = ?"
)
RECUSE = "UPDATE assignments SET recused_at = ?, recusal_reason = ? WHERE id = ?"
DROP_DRAFTS = "DELETE FROM drafts WHERE assignment_id = ?"
PERSON_NAME = "SELECT name FROM people WHERE id = ?"
PEOPLE_ROLES = "SELECT id, name, roles FROM people"


def names(n: int) -> str:
    """The names of `n` people, by id."""
    return f"SELECT id, name FROM people WHERE id IN ({marks(n)})"


# ------------------------------------------------------------------------------ planning the day

# An interviewer's other sessions overlapping a time (interviewer, the end, the start).
OVERLAPS = """SELECT i.title, i.starts_at, c.name AS candidate FROM assignments a
           JOIN interview_sessions i ON i.id = a.session_id
           JOIN candidates c ON c.id = i.candidate_id
           WHERE a.interviewer_id = ? AND a.recused_at IS NULL
             AND i.starts_at < ? AND i.ends_at > ?"""
RECUSED_FROM = """SELECT a.interviewer_id, a.recusal_reason FROM assignments a
                   JOIN interview_sessions i ON i.id = a.session_id
                   WHERE i.candidate_id = ? AND a.recused_at IS NOT NULL"""

# ---------------------------------------------------------------------------- changing the day

SUBMITTED_BY = """SELECT p.name FROM assignments a JOIN people p ON p.id = a.interviewer_id
               WHERE a.session_id = ?
                 AND EXISTS (SELECT 1 FROM scorecards s WHERE s.assignment_id = a.id)
               ORDER BY a.id"""
MOVE = (
    "UPDATE interview_sessions SET starts_at = ?, ends_at = ?, location = ?,"
    " calendar_sequence = calendar_sequence + 1 WHERE id = ?"
)
RELOCATE = (
    "UPDATE interview_sessions SET location = ?,"
    " calendar_sequence = calendar_sequence + 1 WHERE id = ?"
)
LOCATIONS = "SELECT id, location FROM interview_sessions WHERE candidate_id = ?"
CANDIDATE_SESSIONS = "SELECT id FROM interview_sessions WHERE candidate_id = ?"
SESSION_SEATS = "SELECT id FROM assignments WHERE session_id = ?"
ON_THE_SESSION = "SELECT 1 FROM assignments WHERE session_id = ? AND interviewer_id = ?"
UNSCORED_SEATS = """SELECT a.id, a.interviewer_id, a.recused_at FROM assignments a
                   WHERE a.session_id = ?
                     AND NOT EXISTS (SELECT 1 FROM scorecards s WHERE s.assignment_id = a.id)"""
DROP_SEATS = "DELETE FROM assignments WHERE session_id = ?"
DROP_SEAT = "DELETE FROM assignments WHERE id = ?"
DROP_SESSION = "DELETE FROM interview_sessions WHERE id = ?"
