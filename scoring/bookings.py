"""Who is booked when: the stored sessions the clash check compares a change with, and each
interviewer's day as the Interview day screen shows it beside the picker. Reads only; the rule
itself is `scoring.clashes`.

Every query is bounded by the day in question (a window around the times being placed) and by
the people concerned, never all of history: the start-time index of `interview_sessions` finds
the window, and one candidate's own sessions are a handful.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from scoring.clashes import Booking
from scoring.guards import Granted, guarded
from scoring.permissions import Person, candidates_facts, may
from scoring.queries import bookings as Q
from scoring.queries import schedule as QS
from scoring.store import parse_stamp, stamp

# A session this long or longer would escape the window below; no loop has one.
LONGEST_SESSION = timedelta(hours=12)


def _as_bookings(db, actor: Person, rows: list) -> list[Booking]:
    """Session rows (`queries.bookings`) as bookings: each with its seats not recused, and its
    candidate as the actor may see them (the alias where the name is hidden from them)."""
    if not rows:
        return []
    ids = [r["id"] for r in rows]
    seats: dict[int, list[tuple[int, str]]] = {}
    for seat in db.execute(Q.seats(len(ids)), ids):
        seats.setdefault(seat["session_id"], []).append((seat["interviewer_id"], seat["name"]))
    facts = candidates_facts(db, sorted({r["candidate_id"] for r in rows}))
    named = {cid: may(actor, "see_name", f) for cid, f in facts.items()}
    return [
        Booking(
            session_id=r["id"],
            title=r["title"],
            candidate_id=r["candidate_id"],
            candidate=r["candidate_name"] if named.get(r["candidate_id"]) else r["alias"],
            starts_at=parse_stamp(r["starts_at"]),
            ends_at=parse_stamp(r["ends_at"]),
            interviewers=tuple(seats.get(r["id"], ())),
            field=f"session.{r['position']}",
        )
        for r in rows
    ]


def candidate_day(db, actor: Person, candidate_id: int) -> list[Booking]:
    """Every stored session of one candidate, soonest first, each named by its field on the
    Interview day screen (``session.2``): a few queries, whatever the number of sessions."""
    rows = db.execute(Q.CANDIDATE_DAY, [candidate_id]).fetchall()
    return _as_bookings(db, actor, rows)


def nearby(
    db,
    actor: Person,
    *,
    candidate_id: int,
    interviewer_ids: Iterable[int],
    starts: datetime,
    ends: datetime,
) -> list[Booking]:
    """What a change between `starts` and `ends` must not clash with: every session of the
    candidate, and every session from a day before to a day after in which one of the
    interviewers has a seat they have not recused from (any candidate, any opening)."""
    rows = db.execute(Q.CANDIDATE_SESSIONS, [candidate_id]).fetchall()
    people = sorted(set(interviewer_ids))
    if people:
        rows += db.execute(
            Q.others_nearby(len(people)),
            [
                stamp(starts - timedelta(days=1) - LONGEST_SESSION),
                stamp(ends + timedelta(days=1)),
                candidate_id,
                *people,
            ],
        ).fetchall()
    return _as_bookings(db, actor, rows)


@dataclass(frozen=True)
class InterviewerDay:
    """One interviewer's sessions on a day, for the coordinator choosing who sits where."""

    interviewer_id: int
    name: str
    sessions: tuple[Booking, ...]


@guarded("manage_opening", on="opening_id")
def interviewers_day(
    g: Granted,
    opening_id: int,
    interviewer_ids: Iterable[int],
    day_starts: datetime,
    day_ends: datetime,
) -> list[InterviewerDay]:
    """Each interviewer's sessions (seats not recused) that start between `day_starts` and
    `day_ends` (the viewer's day), any candidate and any opening, soonest first: what the
    Interview day screen shows beside its picker so the coordinator sees the gaps before
    choosing. For whoever manages the opening being planned."""
    people = list(dict.fromkeys(interviewer_ids))
    if not people:  # nobody picked: nobody's day to show
        return []
    db = g.db
    names = {r["id"]: r["name"] for r in db.execute(QS.names(len(people)), people)}
    rows = db.execute(
        Q.interviewers_day(len(people)), [stamp(day_starts), stamp(day_ends), *people]
    ).fetchall()
    bookings = _as_bookings(db, g.actor, rows)
    return [
        InterviewerDay(
            person_id,
            names.get(person_id, ""),
            tuple(b for b in bookings if person_id in {i for i, _ in b.interviewers}),
        )
        for person_id in people
        if person_id in names
    ]
