"""The queries about an opening's candidates: adding them (one, or a file's worth), reading them,
finding them a page at a time, their emails, phones and sources."""

from scoring.queries import marks

ALIAS_TAKEN = "SELECT 1 FROM candidates WHERE opening_id = ? AND alias = ?"
TAKEN_EMAILS = "SELECT email FROM candidates WHERE opening_id = ? AND email <> ''"
ADD_CANDIDATE = (
    "INSERT INTO candidates (opening_id, name, email, phone, source, alias, created_at)"
    " VALUES (?, ?, ?, ?, ?, ?, ?)"
)
# One typed in on the Candidates screen: no phone or source.
ADD_NAMED = (
    "INSERT INTO candidates (opening_id, name, email, alias, created_at) VALUES (?, ?, ?, ?, ?)"
)
# Then the name, email and phone, sealed under the new candidate's data key (scoring.personal).
SEAL_CONTACT = "UPDATE candidates SET name = ?, email = ?, phone = ? WHERE id = ?"
CANDIDATE = "SELECT * FROM candidates WHERE id = ?"
CANDIDATE_IDS = "SELECT id FROM candidates WHERE opening_id = ? ORDER BY id"
WITHDRAW = "UPDATE candidates SET withdrawn_at = ?, withdrawal_reason = ? WHERE id = ?"


def by_id(n: int) -> str:
    """`n` candidates' rows, by id."""
    return f"SELECT * FROM candidates WHERE id IN ({marks(n)})"


def contacts(n: int) -> str:
    """The phone and source of `n` candidates of one opening (opening id first, then the ids)."""
    return f"SELECT id, phone, source FROM candidates WHERE opening_id = ? AND id IN ({marks(n)})"


# Finding candidates: which of an opening's candidates there are (the opening id first). A
# search reads every one's name, alias and email (sealed: opened as they are read) and matches
# them in Python: bounded by the opening, not by history.
_OF_OPENING = "opening_id = ?"
_STILL_IN = " AND withdrawn_at IS NULL"


def _found(active_only: bool) -> str:
    return _OF_OPENING + (_STILL_IN if active_only else "")


def found_count(active_only: bool) -> str:
    """How many of the opening's candidates there are."""
    return f"SELECT COUNT(*) FROM candidates WHERE {_found(active_only)}"


def found_page(active_only: bool) -> str:
    """One page of the opening's candidates' ids, the latest added first (then LIMIT and
    OFFSET)."""
    return (
        f"SELECT id FROM candidates WHERE {_found(active_only)} ORDER BY id DESC LIMIT ? OFFSET ?"
    )


def searched(active_only: bool) -> str:
    """Every candidate of the opening with what a search matches, the latest added first."""
    where = _found(active_only)
    return f"SELECT id, name, alias, email FROM candidates WHERE {where} ORDER BY id DESC"
