"""The seat-status queries: each seat (assignment) of a panel with where it stands, never a score.

Status, the debrief, the pipeline and My interviews read the same columns; each statement below is
written whole from the named parts, so no caller edits another's text.
"""

from scoring.queries import marks

# Where one seat stands: who, which session, when, submitted (and how often revised), a draft,
# the last reminder.
_SEAT = """a.id AS assignment_id, a.session_id, a.interviewer_id, a.recused_at,
           a.recusal_reason, i.title, i.position, i.starts_at, i.ends_at, i.candidate_id,
           p.name AS interviewer_name,"""
# ... and, for an interviewer's own list, whose interview it is
_CANDIDATE = """ c.name AS candidate_name, c.alias, o.anonymise, o.title AS opening_title,
           c.opening_id,"""
_STANDING = """ o.overdue_hours, i.location,
           (SELECT MIN(submitted_at) FROM scorecards s WHERE s.assignment_id = a.id) AS submitted,
           (SELECT COUNT(*) FROM scorecards s WHERE s.assignment_id = a.id) AS revisions,
           EXISTS (SELECT 1 FROM drafts d WHERE d.assignment_id = a.id) AS has_draft,
           (SELECT MAX(m.created_at) FROM outbox m WHERE m.assignment_id = a.id
            AND m.kind IN ('due', 'overdue', 'reminder')) AS last_reminded"""
_FROM = """
    FROM assignments a JOIN interview_sessions i ON i.id = a.session_id
    JOIN candidates c ON c.id = i.candidate_id JOIN openings o ON o.id = c.opening_id
    JOIN people p ON p.id = a.interviewer_id"""
# from the sessions' start-time index: a window of days costs what those days hold
_FROM_BY_START = """
    FROM interview_sessions i INDEXED BY sessions_by_start
    JOIN assignments a ON a.session_id = i.id
    JOIN candidates c ON c.id = i.candidate_id JOIN openings o ON o.id = c.opening_id
    JOIN people p ON p.id = a.interviewer_id"""

OF_CANDIDATE = (
    f"SELECT {_SEAT}{_STANDING}{_FROM} WHERE i.candidate_id = ? ORDER BY i.position, a.id"
)
OF_SEAT = f"SELECT {_SEAT}{_STANDING}{_FROM} WHERE a.id = ?"
# ... and, for the interviewer's own form, the rubric it is scored against and the draft held:
# where the form stands after a change, in one statement (`scoring.drafts.draft_standing`).
OF_SEAT_WITH_DRAFT = f"""SELECT {_SEAT}{_STANDING}, i.rubric_hash, d.content AS draft,
           d.saved_at AS draft_saved_at{_FROM}
    LEFT JOIN drafts d ON d.assignment_id = a.id WHERE a.id = ?"""
MINE = (
    f"SELECT {_SEAT}{_CANDIDATE}{_STANDING}{_FROM}"
    " WHERE a.interviewer_id = ? ORDER BY i.starts_at, a.id"
)
MINE_FROM = (
    f"SELECT {_SEAT}{_CANDIDATE}{_STANDING}{_FROM_BY_START}"
    " WHERE i.starts_at >= ? AND a.interviewer_id = ? ORDER BY i.starts_at, a.id"
)
MINE_BEFORE = (
    f"SELECT {_SEAT}{_CANDIDATE}{_STANDING}{_FROM_BY_START}"
    " WHERE i.starts_at < ? AND a.interviewer_id = ?"
    " ORDER BY i.starts_at DESC, a.id DESC LIMIT ? OFFSET ?"
)


def of_candidates(n: int) -> str:
    """Every seat of `n` candidates, each panel in session order."""
    return (
        f"SELECT {_SEAT}{_STANDING}{_FROM}"
        f" WHERE i.candidate_id IN ({marks(n)}) ORDER BY i.position, a.id"
    )


# The seat-status columns over every seat, with no filter: for `scoring.debrief`, which still
# appends its own WHERE (until it reads OF_CANDIDATE); nothing in the service builds on it.
STATUS = f"SELECT {_SEAT}{_STANDING}{_FROM}"

# Status's missing scorecards: the seats of the window's sessions (of one opening) that have
# ended with nothing submitted, not recused, the candidate not withdrawn; oldest session first.
MISSING = (
    f"SELECT {_SEAT}{_STANDING}{_FROM_BY_START}"
    """ WHERE i.starts_at >= ? AND i.starts_at < ? AND c.opening_id = ?
                  AND i.ends_at <= ? AND a.recused_at IS NULL AND c.withdrawn_at IS NULL
                  AND NOT EXISTS (SELECT 1 FROM scorecards s WHERE s.assignment_id = a.id)
                ORDER BY i.starts_at, a.id LIMIT ?"""
)

# The candidates of one opening with a session in a window of start times (start, end, opening).
_WINDOW = """FROM interview_sessions i INDEXED BY sessions_by_start
                 JOIN candidates c ON c.id = i.candidate_id
                 WHERE i.starts_at >= ? AND i.starts_at < ? AND c.opening_id = ?"""
WINDOW_COUNT = f"SELECT COUNT(DISTINCT i.candidate_id) {_WINDOW}"
# ... a page of them, the latest session first (then LIMIT, OFFSET)
WINDOW_PAGE = f"""SELECT i.candidate_id {_WINDOW} GROUP BY i.candidate_id
                    ORDER BY MAX(i.starts_at) DESC, i.candidate_id DESC LIMIT ? OFFSET ?"""

NAME_AND_ALIAS = "SELECT name, alias FROM candidates WHERE id = ?"


def names(n: int) -> str:
    """The name, alias and withdrawal of `n` candidates."""
    return f"SELECT id, name, alias, withdrawn_at FROM candidates WHERE id IN ({marks(n)})"
