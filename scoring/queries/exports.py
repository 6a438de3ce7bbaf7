"""The bulk exports' statements: candidates' labels, their opened debriefs, the Decisions page's
blind rows and its walk down the latest decisions, the scorecards in force of many candidates.

Some lists may be empty (no candidate hidden from the actor): `_none_of` then writes a condition
that is always true (SQLite reads `IN ()` as an empty list; PostgreSQL has no such list)."""

from scoring.queries import marks


def _none_of(column: str, n: int) -> str:
    """`column` is none of `n` values (true when there are none: PostgreSQL has no `IN ()`)."""
    return f"{column} NOT IN ({marks(n)})" if n else "(1 = 1)"


def labels_of(n: int) -> str:
    """The name and alias of `n` candidates."""
    return f"SELECT id, name, alias FROM candidates WHERE id IN ({marks(n)})"


def debriefs_of(n: int) -> str:
    """The opened debriefs of `n` candidates."""
    return f"SELECT * FROM debriefs WHERE candidate_id IN ({marks(n)})"


# The candidates of an opening on which the actor has an unsubmitted, unrecused seat: bounded by
# the actor's own open seats.
PENDING_OWN = """SELECT DISTINCT i.candidate_id FROM assignments a
                   JOIN interview_sessions i ON i.id = a.session_id
                   JOIN candidates c ON c.id = i.candidate_id
                   WHERE a.interviewer_id = ? AND a.recused_at IS NULL AND c.opening_id = ?
                     AND NOT EXISTS (SELECT 1 FROM scorecards s WHERE s.assignment_id = a.id)
                   ORDER BY i.candidate_id"""


def counts_without(hidden: int) -> str:
    """The opening's candidates and how many are decided, leaving out `hidden` candidates."""
    return f"""SELECT COUNT(*), COALESCE(SUM(CASE WHEN EXISTS
                  (SELECT 1 FROM decisions d WHERE d.candidate_id = c.id)
                  AND {_none_of("c.id", hidden)} THEN 1 ELSE 0 END), 0)
                FROM candidates c WHERE c.opening_id = ?"""


def latest_decided_without(hidden: int) -> str:
    """The opening's decisions, the latest first, leaving out `hidden` candidates. CROSS JOIN
    keeps the decisions outside: down their ids, not all the opening's candidates."""
    return f"""SELECT d.candidate_id FROM decisions d CROSS JOIN candidates c
                ON c.id = d.candidate_id
                WHERE c.opening_id = ? AND {_none_of("d.candidate_id", hidden)}
                ORDER BY d.id DESC"""


def cards_in_force_of(n: int) -> str:
    """The latest revision of every non-recused seat of `n` candidates, in panel order."""
    return f"""SELECT s.id FROM interview_sessions i
                        JOIN assignments a ON a.session_id = i.id AND a.recused_at IS NULL
                        JOIN scorecards s ON s.assignment_id = a.id
                        WHERE i.candidate_id IN ({marks(n)}) AND s.revision =
                          (SELECT MAX(revision) FROM scorecards WHERE assignment_id = a.id)
                        ORDER BY i.candidate_id, i.position, a.id"""


def seen_others_of(n: int) -> str:
    """Which of `n` seats have any revision made after their author could see others' scores."""
    return (
        "SELECT DISTINCT assignment_id FROM scorecards"
        f" WHERE assignment_id IN ({marks(n)}) AND saw_others = 1"
    )
