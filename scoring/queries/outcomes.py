"""The queries of after the hire (`scoring.insights.outcomes`): recording an outcome, the
outcomes in force, the hires a manager may record for, and the hires the figures read. A list
of ids is spelt out as placeholders (`marks`), so these are functions of its length."""

from scoring.queries import marks

LAST_DECIDED_AT = "SELECT decided_at FROM decisions WHERE candidate_id = ? ORDER BY id DESC LIMIT 1"
ADD_OUTCOME = """INSERT INTO hire_outcomes (candidate_id, months, rating, still_employed, note,
                 recorded_by, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?)"""


def latest_outcome_ids(n: int) -> str:
    """The id of the latest outcome per (candidate, months) of `n` candidates."""
    return (
        f"SELECT MAX(id) FROM hire_outcomes WHERE candidate_id IN ({marks(n)})"
        " GROUP BY candidate_id, months"
    )


def _outcomes_where(which: str) -> str:
    return f"""SELECT h.*, p.name AS recorded_by_name FROM hire_outcomes h
            JOIN people p ON p.id = h.recorded_by WHERE h.id IN ({which})"""


def latest_outcomes(n: int) -> str:
    """The outcomes in force of `n` candidates (the ids as parameters), with who recorded them."""
    return _outcomes_where(latest_outcome_ids(n))


def outcomes(n: int) -> str:
    """`n` outcomes by their ids, with who recorded them."""
    return _outcomes_where(marks(n))


def _hires_walk(n: int, search: str) -> str:
    # Only an opening's hiring manager records (the table's rule, asked of every row the walk
    # yields): the walk is narrowed to the openings the actor manages, so a coordinator's or
    # someone else's page never walks every hire there is. CROSS JOIN keeps the decisions
    # outside: down their ids, the latest first.
    return f"""SELECT c.id FROM decisions d CROSS JOIN candidates c ON c.id = d.candidate_id
                JOIN openings o ON o.id = c.opening_id
                WHERE c.opening_id IN ({marks(n)}) AND o.hiring_manager_id = ?
                  AND d.outcome = 'hire'
                  AND d.id = (SELECT MAX(id) FROM decisions WHERE candidate_id = c.id){search}
                ORDER BY d.id DESC"""


def hires_walk(n: int) -> str:
    """The hires (decision in force: hire) of `n` openings the manager (the last parameter)
    manages, the latest decision first."""
    return _hires_walk(n, "")


def aliases(n: int) -> str:
    """The alias of `n` candidates."""
    return f"SELECT id, alias FROM candidates WHERE id IN ({marks(n)})"


def labels(n: int) -> str:
    """The alias and name of `n` candidates (the name sealed: opened as it is read)."""
    return f"SELECT id, alias, name FROM candidates WHERE id IN ({marks(n)})"


def hire_rows(n: int) -> str:
    """`n` hires with their opening's title and when the decision in force was made."""
    return f"""SELECT c.id, c.opening_id, c.name, c.alias, o.title,
                          (SELECT decided_at FROM decisions WHERE candidate_id = c.id
                           ORDER BY id DESC LIMIT 1) AS decided_at
                    FROM candidates c JOIN openings o ON o.id = c.opening_id
                    WHERE c.id IN ({marks(n)})"""


def counted_hires(n: int) -> str:
    """The hires with a recorded outcome of `n` openings, the latest decision first.
    hire_outcomes holds only hires, so this stays as small as the number of people hired."""
    return f"""SELECT c.id FROM (SELECT DISTINCT candidate_id FROM hire_outcomes) h
                JOIN candidates c ON c.id = h.candidate_id
                JOIN decisions d ON d.id =
                  (SELECT MAX(id) FROM decisions WHERE candidate_id = c.id)
                WHERE c.opening_id IN ({marks(n)}) AND d.outcome = 'hire'
                ORDER BY d.id DESC"""
