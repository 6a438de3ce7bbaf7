"""The queries about an opening's candidates: adding them, their emails, phones and sources."""

from scoring.queries import marks

TAKEN_EMAILS = "SELECT email FROM candidates WHERE opening_id = ? AND email <> ''"
ADD_CANDIDATE = (
    "INSERT INTO candidates (opening_id, name, email, phone, source, alias, created_at)"
    " VALUES (?, ?, ?, ?, ?, ?, ?)"
)


def contacts(n: int) -> str:
    """The phone and source of `n` candidates of one opening (opening id first, then the ids)."""
    return f"SELECT id, phone, source FROM candidates WHERE opening_id = ? AND id IN ({marks(n)})"
