"""Where the scorecards stand, never a score: each seat's state, a candidate's status board, an
opening's Status page, and the counts every screen shows of them (`status_counts`).

A seat is upcoming (its session has not ended), to do, overdue (`overdue_hours` after its session
with nothing submitted), submitted, late (first submitted after that) or recused.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from scoring.candidates import candidate_ids
from scoring.database import Database
from scoring.guards import Granted, guarded
from scoring.permissions import (
    CandidateFacts,
    Person,
    candidate_facts,
    candidates_facts,
    ensure,
    may,
)
from scoring.queries import seats as Q
from scoring.store import now_utc, parse_stamp, stamp

RECENT_DAYS = 14
"""How far back Status looks by default: the recent past, where the work is."""
AHEAD_DAYS = 14
"""How far ahead Status looks by default."""
PER_PAGE = 25
MISSING_MAX = 25
"""At most this many missing scorecards on Status (the oldest first)."""


@dataclass(frozen=True)
class SeatStatus:
    """One session × interviewer on the status board: never a score."""

    assignment_id: int
    session_id: int
    session_title: str
    position: int
    interviewer_id: int
    interviewer_name: str
    starts_at: datetime
    ends_at: datetime
    state: str  # upcoming, to_do, overdue, submitted, late, recused
    submitted_at: datetime | None
    revisions: int
    recusal_reason: str | None
    has_draft: bool
    last_reminded_at: datetime | None = None  # the latest due, overdue or nudge queued
    location: str = ""  # where the session takes place: a room or a video link, as typed

    @property
    def hours_after_session(self) -> float | None:
        """Hours from the end of the session to the first submission."""
        if self.submitted_at is None:
            return None
        return (self.submitted_at - self.ends_at).total_seconds() / 3600


def _state(
    ends: datetime, submitted: datetime | None, recused: bool, overdue_hours: float, at: datetime
) -> str:
    limit = timedelta(hours=overdue_hours)
    if recused:
        return "recused"
    if submitted is not None:
        return "late" if submitted - ends > limit else "submitted"
    if at < ends:
        return "upcoming"
    return "overdue" if at - ends > limit else "to_do"


def seat_status(row: Any, at: datetime) -> SeatStatus:
    """One row of the seat-status queries (`scoring.queries.seats`) as where the seat stands at
    `at`."""
    starts, ends = parse_stamp(row["starts_at"]), parse_stamp(row["ends_at"])
    submitted = parse_stamp(row["submitted"])
    return SeatStatus(
        assignment_id=row["assignment_id"],
        session_id=row["session_id"],
        session_title=row["title"],
        position=row["position"],
        interviewer_id=row["interviewer_id"],
        interviewer_name=row["interviewer_name"],
        starts_at=starts,
        ends_at=ends,
        state=_state(ends, submitted, bool(row["recused_at"]), row["overdue_hours"], at),
        submitted_at=submitted,
        revisions=row["revisions"],
        recusal_reason=row["recusal_reason"],
        has_draft=bool(row["has_draft"]),
        last_reminded_at=parse_stamp(row["last_reminded"]),
        location=row["location"] or "",
    )


@guarded("see_status", on="candidate_id")
def status_board(g: Granted, candidate_id: int, now: datetime | None = None) -> list[SeatStatus]:
    """Who has submitted, who is late, missing or recused, for one candidate. No scores."""
    at = now or now_utc()
    rows = g.db.execute(Q.OF_CANDIDATE, [candidate_id]).fetchall()
    return [seat_status(r, at) for r in rows]


@dataclass(frozen=True)
class CandidateStatus:
    """One candidate on an opening's Status page: the seats and whether the debrief is open."""

    candidate_id: int
    candidate: str
    seats: list[SeatStatus]
    debrief_open: bool
    withdrawn: bool = False


@dataclass(frozen=True)
class StatusCounts:
    """How the scorecards of some candidates stand, as Status shows them. `submitted` counts
    every scorecard in, late ones included; `late` those of them that came in late."""

    candidates: int
    seats: int
    submitted: int
    late: int
    overdue: int
    to_do: int
    upcoming: int
    recused: int
    debriefs_open: int

    @property
    def expected(self) -> int:
        """The scorecards owed: every seat not recused."""
        return self.seats - self.recused

    @property
    def missing(self) -> int:
        """Owed and not in, the session over: to do or overdue."""
        return self.to_do + self.overdue


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
