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
CANDIDATE = "SELECT * FROM candidates WHERE id = ?"
CANDIDATE_IDS = "SELECT id FROM candidates WHERE opening_id = ? ORDER BY id"
WITHDRAW = "UPDATE candidates SET withdrawn_at = ?, withdrawal_reason = ? WHERE id = ?"


def by_id(n: int) -> str:
    """`n` candidates' rows, by id."""
    return f"SELECT * FROM candidates WHERE id IN ({marks(n)})"


def contacts(n: int) -> str:
    """The phone and source of `n` candidates of one opening (opening id first, then the ids)."""
    return f"SELECT id, phone, source FROM candidates WHERE opening_id = ? AND id IN ({marks(n)})"


# Finding candidates: which of an opening's candidates match, from named parts (the opening id
# first; then, when searching, the pattern three times: name, alias, email).
_OF_OPENING = "opening_id = ?"
_STILL_IN = " AND withdrawn_at IS NULL"
_MATCHING = (
    r" AND (name LIKE ? ESCAPE '\' OR alias LIKE ? ESCAPE '\'" r" OR email LIKE ? ESCAPE '\')"
)


def _found(active_only: bool, searching: bool) -> str:
    return _OF_OPENING + (_STILL_IN if active_only else "") + (_MATCHING if searching else "")


def found_count(active_only: bool, searching: bool) -> str:
    """How many of the opening's candidates match (see `_found` for the parameters)."""
    return f"SELECT COUNT(*) FROM candidates WHERE {_found(active_only, searching)}"


def found_page(active_only: bool, searching: bool) -> str:
    """One page of the matching candidates' ids, the latest added first (the search's
    parameters, then LIMIT and OFFSET)."""
    where = _found(active_only, searching)
    return f"SELECT id FROM candidates WHERE {where} ORDER BY id DESC LIMIT ? OFFSET ?"
