"""Where the scorecards stand, never a score: each seat's state, a candidate's status board, an
opening's Status page, and the counts every screen shows of them (`status_counts`). The records
(`SeatStatus` and `seat_status` that builds it from a row, `CandidateStatus`, `StatusCounts`) are
defined in `scoring.models.status` and importable from here as before.

A seat is upcoming (its session has not ended), to do, overdue (`overdue_hours` after its session
with nothing submitted), submitted, late (first submitted after that) or recused.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from scoring.candidates import candidate_ids
from scoring.database import Database
from scoring.guards import Granted, guarded
from scoring.models.status import (
    CandidateStatus,
    SeatStatus,
    StatusCounts,
    seat_status,
)
from scoring.permissions import (
    CandidateFacts,
    Person,
    candidate_facts,
    candidates_facts,
    ensure,
    may,
)
from scoring.queries import seats as Q
from scoring.store import now_utc, stamp

RECENT_DAYS = 14
"""How far back Status looks by default: the recent past, where the work is."""
AHEAD_DAYS = 14
"""How far ahead Status looks by default."""
PER_PAGE = 25
MISSING_MAX = 25
"""At most this many missing scorecards on Status (the oldest first)."""


@guarded("see_status", on="candidate_id")
def status_board(g: Granted, candidate_id: int, now: datetime | None = None) -> list[SeatStatus]:
    """Who has submitted, who is late, missing or recused, for one candidate. No scores."""
    at = now or now_utc()
    rows = g.db.execute(Q.OF_CANDIDATE, [candidate_id]).fetchall()
    return [seat_status(r, at) for r in rows]


def status_counts(boards: Iterable[CandidateStatus]) -> StatusCounts:
    """The counts of the candidates' seats (one candidate's row, or a whole page): the one place
    that says what is in, late, overdue, recused, and how many debriefs are open."""
    boards = list(boards)
    states = [seat.state for board in boards for seat in board.seats]
    return StatusCounts(
        candidates=len(boards),
        seats=len(states),
        submitted=sum(s in ("submitted", "late") for s in states),
        late=states.count("late"),
        overdue=states.count("overdue"),
        to_do=states.count("to_do"),
        upcoming=states.count("upcoming"),
        recused=states.count("recused"),
        debriefs_open=sum(board.debrief_open for board in boards),
    )


def candidate_label(
    db: Database, actor: Person, candidate_id: int, facts: CandidateFacts | None = None
) -> str:
    """The candidate's name, or their alias where the actor may not see the name."""
    facts = facts or candidate_facts(db, candidate_id)
    row = db.execute(Q.NAME_AND_ALIAS, [candidate_id]).fetchone()
    return row["name"] if may(actor, "see_name", facts) else row["alias"]


def boards(db: Database, actor: Person, ids: list[int], at: datetime) -> dict[int, CandidateStatus]:
    """The status board of each candidate, in four queries for them all (facts, names, seats).
    Each candidate is checked on its own (`see_status`): one refused refuses them all."""
    if not ids:
        return {}
    facts = candidates_facts(db, ids)
    names = {r["id"]: r for r in db.execute(Q.names(len(ids)), ids)}
    seats: dict[int, list[SeatStatus]] = {i: [] for i in ids}
    for r in db.execute(Q.of_candidates(len(ids)), ids):
        seats[r["candidate_id"]].append(seat_status(r, at))
    found = {}
    for i in ids:
        ensure(actor, "see_status", facts[i])
        row = names[i]
        found[i] = CandidateStatus(
            candidate_id=i,
            candidate=row["name"] if may(actor, "see_name", facts[i]) else row["alias"],
            seats=seats[i],
            debrief_open=facts[i].debrief_open,
            withdrawn=row["withdrawn_at"] is not None,
        )
    return found


@guarded("see_opening_status", on="opening_id")
def opening_status(
    g: Granted, opening_id: int, now: datetime | None = None
) -> list[CandidateStatus]:
    """Every candidate of an opening with their status board (no scores), for the coordinator
    and the opening's hiring manager."""
    at = now or now_utc()
    ids = candidate_ids(g.db, opening_id)
    found: dict[int, CandidateStatus] = {}
    for n in range(0, len(ids), 500):  # a few queries for each 500, never one each
        found |= boards(g.db, g.actor, ids[n : n + 500], at)
    return [found[i] for i in ids]


@dataclass(frozen=True)
class StatusPage:
    """One page of an opening's Status: the candidates with a session between `since` and
    `until`, latest session first, and the scorecards missing from sessions in that window."""

    opening_id: int
    since: datetime
    until: datetime
    candidates: list[CandidateStatus]  # this page's
    missing: list[tuple[CandidateStatus, SeatStatus]]  # due or overdue, oldest session first
    more_missing: bool  # more are missing from later sessions of the window
    total: int  # candidates in the window (every page)
    page: int
    pages: int

    @property
    def counts(self) -> StatusCounts:
        """The counts of this page's candidates (`status_counts`)."""
        return status_counts(self.candidates)


@guarded("see_opening_status", on="opening_id")
def status_page(
    g: Granted,
    opening_id: int,
    since: datetime,
    until: datetime,
    *,
    page: int = 1,
    per_page: int = PER_PAGE,
    missing_max: int = MISSING_MAX,
    now: datetime | None = None,
) -> StatusPage:
    """Status for the coordinator and the opening's hiring manager (never a score), bounded by
    a window of session dates: the candidates with a session in it, a page at a time, and the
    scorecards due or overdue from its sessions (at most `missing_max`). A fixed number of
    set-based queries, whatever the opening's history."""
    at = now or now_utc()
    window = [stamp(since), stamp(until), opening_id]
    db = g.db
    total = db.execute(Q.WINDOW_COUNT, window).fetchone()[0]
    pages = max(1, -(-total // per_page))
    page = min(max(1, page), pages)
    ids = [r[0] for r in db.execute(Q.WINDOW_PAGE, [*window, per_page, (page - 1) * per_page])]
    found_missing = db.execute(Q.MISSING, [*window, stamp(at), missing_max + 1]).fetchall()
    missing_rows = found_missing[:missing_max]
    everyone = list(dict.fromkeys(ids + [r["candidate_id"] for r in missing_rows]))
    found = boards(db, g.actor, everyone, at)
    return StatusPage(
        opening_id=opening_id,
        since=since,
        until=until,
        candidates=[found[i] for i in ids],
        missing=[(found[r["candidate_id"]], seat_status(r, at)) for r in missing_rows],
        more_missing=len(found_missing) > missing_max,
        total=total,
        page=page,
        pages=pages,
    )
