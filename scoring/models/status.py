"""Where the scorecards stand, never a score: a seat's state, a candidate's seats, the counts.

A seat is upcoming (its session has not ended), to do, overdue (`overdue_hours` after its session
with nothing submitted), submitted, late (first submitted after that) or recused.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from scoring.clock import parse_stamp


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
