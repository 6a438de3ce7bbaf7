"""The queries behind who is booked when (`scoring.bookings`): stored sessions with their
candidate, by candidate or by a window of start times and the people seated, and their seats.
Each statement is written from the named parts below; a list of people gets its placeholders
from `marks`."""

from scoring.queries import marks

_SESSIONS = """
    SELECT i.id, i.title, i.position, i.candidate_id, i.starts_at, i.ends_at, i.location,
           c.name AS candidate_name, c.alias
    FROM interview_sessions i JOIN candidates c ON c.id = i.candidate_id
"""
_OF_CANDIDATE = " WHERE i.candidate_id = ?"

# One candidate's sessions, soonest first; and as the clash check reads them (any order).
CANDIDATE_DAY = _SESSIONS + _OF_CANDIDATE + " ORDER BY i.starts_at, i.id"
CANDIDATE_SESSIONS = _SESSIONS + _OF_CANDIDATE


def seats(n: int) -> str:
    """The seats not recused of `n` sessions, with their interviewers' names."""
    return f"""SELECT a.session_id, a.interviewer_id, p.name FROM assignments a
            JOIN people p ON p.id = a.interviewer_id
            WHERE a.recused_at IS NULL AND a.session_id IN ({marks(n)})
            ORDER BY a.id"""


def others_nearby(n: int) -> str:
    """Other candidates' sessions starting in a window (from, to, the candidate left out) in
    which one of `n` interviewers has a seat they have not recused from."""
    return (
        _SESSIONS
        + f""" WHERE i.starts_at >= ? AND i.starts_at < ? AND i.candidate_id <> ?
                   AND EXISTS (SELECT 1 FROM assignments a WHERE a.session_id = i.id
                               AND a.recused_at IS NULL
                               AND a.interviewer_id IN ({marks(n)}))"""
    )


def interviewers_day(n: int) -> str:
    """The sessions starting in a window (from, to) in which one of `n` interviewers has a seat
    they have not recused from, soonest first."""
    return (
        _SESSIONS
        + f""" WHERE i.starts_at >= ? AND i.starts_at < ?
                       AND EXISTS (SELECT 1 FROM assignments a WHERE a.session_id = i.id
                                   AND a.recused_at IS NULL
                                   AND a.interviewer_id IN ({marks(n)}))
                       ORDER BY i.starts_at, i.id"""
    )
