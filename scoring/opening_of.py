"""The opening a candidate, a session or a seat belongs to.

An action about an opening (`manage_opening`, `see_opening_status`) is often asked by a caller
that names something on it: the Interview day screen names a candidate or a session, the Remind
button a seat. These find the opening's id from that id, on the caller's connection, for
`@guarded(..., via=...)` (`scoring.guards`):

    @guarded("manage_opening", on="session_id", via=opening_of_session, write=True)
    def move_session(g: Granted, session_id: int, starts_at: datetime, ...) -> None:

Each raises NotFound, saying what was not found, for an id that names nothing: the guard asks
after re-reading the person, so refusals keep their order (signed in, found, allowed).
"""

from __future__ import annotations

from scoring.database import Database
from scoring.errors import NotFound
from scoring.queries import schedule as Q


def _opening(db: Database, statement: str, key: int, missing: str) -> int:
    row = db.execute(statement, [key]).fetchone()
    if row is None:
        raise NotFound(missing)
    return row[0]


def opening_of_candidate(db: Database, candidate_id: int) -> int:
    """The id of the candidate's opening (NotFound: "No candidate with id N.")."""
    return _opening(
        db, Q.OPENING_OF_CANDIDATE, candidate_id, f"No candidate with id {candidate_id}."
    )


def opening_of_session(db: Database, session_id: int) -> int:
    """The id of the opening whose candidate the session is on the day of (NotFound: "No session
    with id N.")."""
    return _opening(db, Q.OPENING_OF_SESSION, session_id, f"No session with id {session_id}.")


def opening_of_seat(db: Database, assignment_id: int) -> int:
    """The id of the opening a seat (an assignment) is on, through its session and candidate
    (NotFound: "No assignment with id N.")."""
    return _opening(db, Q.OPENING_OF_SEAT, assignment_id, f"No assignment with id {assignment_id}.")
