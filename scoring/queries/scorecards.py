"""The scorecard queries: writing a revision, reading revisions back, and drafts."""

from scoring.queries import marks

# One assignment with its session and the candidate's opening: what writing a scorecard needs.
ASSIGNMENT = """SELECT a.*, i.candidate_id, i.rubric_hash, i.title AS session_title, i.ends_at,
                  i.starts_at,
                  i.position, c.opening_id
           FROM assignments a JOIN interview_sessions i ON i.id = a.session_id
           JOIN candidates c ON c.id = i.candidate_id WHERE a.id = ?"""
LATEST_REVISION = "SELECT MAX(revision) FROM scorecards WHERE assignment_id = ?"
ADD_SCORECARD = """INSERT INTO scorecards (assignment_id, revision, overall, feedback, rubric_hash,
                 submitted_at, revision_reason, saw_others) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"""
ADD_CRITERION_SCORE = (
    "INSERT INTO criterion_scores (scorecard_id, criterion_id, score, evidence) VALUES (?, ?, ?, ?)"
)

# A scorecard revision with who wrote it for which session, and when revision 1 came in.
_CARD = """
    SELECT s.*, a.interviewer_id, a.session_id, i.candidate_id, i.title AS session_title,
           i.position, i.ends_at, p.name AS interviewer_name, o.overdue_hours,
           (SELECT MIN(f.submitted_at) FROM scorecards f
            WHERE f.assignment_id = s.assignment_id) AS first_submitted_at
    FROM scorecards s JOIN assignments a ON a.id = s.assignment_id
    JOIN interview_sessions i ON i.id = a.session_id
    JOIN candidates c ON c.id = i.candidate_id JOIN openings o ON o.id = c.opening_id
    JOIN people p ON p.id = a.interviewer_id
"""


def cards(n: int) -> str:
    """`n` scorecard revisions by id."""
    return f"{_CARD} WHERE s.id IN ({marks(n)})"


def criterion_scores(n: int) -> str:
    """The criterion scores of `n` scorecard revisions."""
    return f"SELECT * FROM criterion_scores WHERE scorecard_id IN ({marks(n)})"


LATEST_ID = "SELECT id FROM scorecards WHERE assignment_id = ? ORDER BY revision DESC LIMIT 1"
REVISION_IDS = "SELECT id FROM scorecards WHERE assignment_id = ? ORDER BY revision"
# The latest revision of every non-recused seat of a candidate, in session order.
ACTIVE_IDS = """SELECT s.id FROM interview_sessions i
               JOIN assignments a ON a.session_id = i.id AND a.recused_at IS NULL
               JOIN scorecards s ON s.assignment_id = a.id
               WHERE i.candidate_id = ? AND s.revision =
                 (SELECT MAX(revision) FROM scorecards WHERE assignment_id = a.id)
               ORDER BY i.position, a.id"""

# Drafts: one per seat, until its scorecard is submitted.
SAVE_DRAFT = (
    "INSERT INTO drafts (assignment_id, content, saved_at) VALUES (?, ?, ?)"
    " ON CONFLICT (assignment_id) DO UPDATE SET content = excluded.content,"
    " saved_at = excluded.saved_at"
)
DRAFT = "SELECT content FROM drafts WHERE assignment_id = ?"
DRAFT_AND_SAVED = "SELECT content, saved_at FROM drafts WHERE assignment_id = ?"
DELETE_DRAFT = "DELETE FROM drafts WHERE assignment_id = ?"

SEAT_OF_SCORECARD = "SELECT assignment_id FROM scorecards WHERE id = ?"
