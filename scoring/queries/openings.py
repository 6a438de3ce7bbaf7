"""The queries about an opening itself: its record (settings, committee, loop sessions, frozen
rubrics), creating, listing, changing and closing it (`scoring.opening_record`,
`scoring.openings`)."""

from collections.abc import Iterable

from scoring.queries import marks

# ----------------------------------------------------------------------- the record and its rubrics

RUBRIC_KNOWN = "SELECT 1 FROM rubric_snapshots WHERE hash = ?"
ADD_RUBRIC = "INSERT INTO rubric_snapshots (hash, rubric_id, version, content) VALUES (?, ?, ?, ?)"
RUBRIC_CONTENT = "SELECT content FROM rubric_snapshots WHERE hash = ?"
OPENING = "SELECT * FROM openings WHERE id = ?"
COMMITTEE = "SELECT person_id FROM opening_committee WHERE opening_id = ? ORDER BY person_id"
LOOP_SESSIONS = (
    "SELECT position, title, minutes, rubric_hash FROM opening_sessions"
    " WHERE opening_id = ? ORDER BY position"
)
CLOSED_AT = "SELECT closed_at FROM openings WHERE id = ?"

# ------------------------------------------------------------------------- creating and listing

# Whether a person exists and may still be given a part (hiring manager, committee, a seat).
PERSON_ACTIVE = "SELECT active FROM people WHERE id = ?"
ADD_OPENING = """INSERT INTO openings (title, role, level, loop_id, loop_snapshot, strategy,
                 reveal_rule, anonymise, scale_min, scale_max, scale_labels, forced_choice,
                 overdue_hours, hiring_manager_id, created_at, created_by)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"""
ADD_LOOP_SESSION = (
    "INSERT INTO opening_sessions (opening_id, position, title, minutes, rubric_hash)"
    " VALUES (?, ?, ?, ?, ?)"
)
ADD_COMMITTEE_MEMBER = "INSERT INTO opening_committee (opening_id, person_id) VALUES (?, ?)"
ALL_OPENINGS = "SELECT id FROM openings ORDER BY id"
# One EXISTS per opening, not a scan of everything the person ever interviewed: this stays fast
# however long their history is.
OPENINGS_OF_PERSON = """SELECT o.id FROM openings o
                       WHERE o.hiring_manager_id = :p
                          OR EXISTS (SELECT 1 FROM opening_committee m
                                     WHERE m.opening_id = o.id AND m.person_id = :p)
                          OR EXISTS (SELECT 1 FROM assignments a
                                     JOIN interview_sessions i ON i.id = a.session_id
                                     JOIN candidates c ON c.id = i.candidate_id
                                     WHERE a.interviewer_id = :p AND c.opening_id = o.id)
                       ORDER BY o.id"""

# ---------------------------------------------------------------------------- changing an opening

FIRST_SCORECARDS = """SELECT COUNT(*) FROM scorecards s JOIN assignments a ON a.id = s.assignment_id
               JOIN interview_sessions i ON i.id = a.session_id
               JOIN candidates c ON c.id = i.candidate_id
               WHERE c.opening_id = ? AND s.revision = 1"""
A_DEBRIEF_OPEN = (
    "SELECT 1 FROM debriefs d JOIN candidates c ON c.id = d.candidate_id"
    " WHERE c.opening_id = ? LIMIT 1"
)
CLEAR_COMMITTEE = "DELETE FROM opening_committee WHERE opening_id = ?"
CLOSE = "UPDATE openings SET closed_at = ? WHERE id = ?"

# What `edit_opening` may set, by column: a change names only these.
EDITABLE = frozenset(
    {
        "title",
        "role",
        "level",
        "hiring_manager_id",
        "strategy",
        "reveal_rule",
        "anonymise",
        "forced_choice",
        "overdue_hours",
        "scale_min",
        "scale_max",
        "scale_labels",
    }
)


def voters_among(n: int) -> str:
    """The names of those of `n` committee members who voted on the opening (opening id first,
    then the members; `n` may be 0: nobody)."""
    return f"""SELECT DISTINCT p.name FROM committee_votes v
                        JOIN candidates c ON c.id = v.candidate_id
                        JOIN people p ON p.id = v.member_id
                        WHERE c.opening_id = ? AND v.member_id IN
                          ({marks(n) if n else "NULL"})"""


def update_opening(columns: Iterable[str]) -> str:
    """Set these columns of one opening (named parameters: each column's name, and `id`)."""
    columns = list(columns)
    unknown = set(columns) - EDITABLE
    if not columns or unknown:
        raise ValueError(f"not an editable column of an opening: {sorted(unknown) or columns}")
    assignments = ", ".join(f"{c} = :{c}" for c in columns)
    return f"UPDATE openings SET {assignments} WHERE id = :id"
