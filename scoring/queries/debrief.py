"""The debrief's statements: the panel's scorecards with their history, who opened it, the
committee's votes, the decisions, and the writes of opening, voting and deciding; the day view's
walk down the sessions' start-time index."""

from scoring.queries import marks

# Every revision of every non-recused seat of one candidate, seats in session order and each
# seat's revisions oldest first: the last of a seat is its scorecard in force, the rest its history.
PANEL_REVISIONS = """SELECT s.id FROM interview_sessions i
               JOIN assignments a ON a.session_id = i.id AND a.recused_at IS NULL
               JOIN scorecards s ON s.assignment_id = a.id
               WHERE i.candidate_id = ?
               ORDER BY i.position, a.id, s.revision"""

OPENED = (
    "SELECT d.*, p.name FROM debriefs d JOIN people p ON p.id = d.opened_by WHERE candidate_id = ?"
)

# Each member's vote in force (their latest) with how often they changed it.
VOTES_IN_FORCE = """SELECT v.*, p.name,
                  (SELECT COUNT(*) - 1 FROM committee_votes e
                   WHERE e.candidate_id = v.candidate_id AND e.member_id = v.member_id) AS changes
           FROM committee_votes v JOIN people p ON p.id = v.member_id
           WHERE v.id IN (SELECT MAX(id) FROM committee_votes WHERE candidate_id = ?
                          GROUP BY member_id)
           ORDER BY v.id"""


def decisions_of(n: int) -> str:
    """Every recorded decision of `n` candidates with who made it, oldest first."""
    return f"""SELECT d.*, p.name FROM decisions d JOIN people p ON p.id = d.decided_by
            WHERE d.candidate_id IN ({marks(n)}) ORDER BY d.id"""


OPEN = (
    "INSERT INTO debriefs (candidate_id, opened_at, opened_by, early_reason, frozen_result)"
    " VALUES (?, ?, ?, ?, ?)"
)
VOTE = (
    "INSERT INTO committee_votes (candidate_id, member_id, vote, note, cast_at)"
    " VALUES (?, ?, ?, ?, ?)"
)
DECIDE = """INSERT INTO decisions (candidate_id, outcome, decided_by, decided_at, rationale,
                 accepts_responsibility, strategy, engine_result)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?)"""

# The day view: the next day with one of the opening's sessions, either way from a moment.
_DAY_FROM = """SELECT i.starts_at FROM interview_sessions i INDEXED BY sessions_by_start
                    JOIN candidates c ON c.id = i.candidate_id"""
NEXT_DAY = f"""{_DAY_FROM}
                    WHERE i.starts_at >= ? AND c.opening_id = ?
                    ORDER BY i.starts_at ASC LIMIT 1"""
PREVIOUS_DAY = f"""{_DAY_FROM}
                    WHERE i.starts_at < ? AND c.opening_id = ?
                    ORDER BY i.starts_at DESC LIMIT 1"""
# The opening's candidates interviewed in a window, by their first session.
DAY_CANDIDATES = """SELECT i.candidate_id, MIN(i.starts_at) AS first
                   FROM interview_sessions i INDEXED BY sessions_by_start
                   JOIN candidates c ON c.id = i.candidate_id
                   WHERE c.opening_id = ? AND i.starts_at >= ? AND i.starts_at < ?
                   GROUP BY i.candidate_id ORDER BY first"""
