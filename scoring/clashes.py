"""When an interview day clashes: the rule, pure (no database, no Streamlit).

A *booking* is one session on someone's day: its time, its candidate and its interviewers. The
rule compares the bookings being placed (a plan, a move, a new interviewer) with the others:

- **candidate**: two sessions of the same candidate overlap (they cannot be in two rooms);
- **interviewer**: an interviewer is in two sessions at once, whichever the candidate or opening;
- **break**: two sessions of the same candidate do not overlap but leave less than the break
  between them.

Sessions that only touch (one ends at 15:00, the next starts at 15:00) do not overlap. The first
two kinds are refused; a short break is a warning that needs the coordinator's confirmation.
Each clash is said in words, with its times in the zone it is read in (``Clash.words``).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, tzinfo
from typing import Literal

from scoring.errors import InvalidInput

ClashKind = Literal["candidate", "interviewer", "break"]


@dataclass(frozen=True)
class Booking:
    """One session on the day as the clash check reads it. `session_id` is None for a session
    not stored yet (part of a plan); `field` names it on the form (``session.2``, ``starts_at``)."""

    session_id: int | None
    title: str
    candidate_id: int
    candidate: str  # as the reader may see them: the name, or the alias
    starts_at: datetime
    ends_at: datetime
    interviewers: tuple[tuple[int, str], ...] = ()  # (id, name) of each seat not recused
    field: str = "session"

    def overlaps(self, other: Booking) -> bool:
        """Do the two share a moment? Touching ends do not count."""
        return self.starts_at < other.ends_at and other.starts_at < self.ends_at

    def gap(self, other: Booking) -> timedelta:
        """The time between the two (zero or less when they overlap or touch)."""
        return max(other.starts_at - self.ends_at, self.starts_at - other.ends_at)


def _times(booking: Booking, zone: tzinfo) -> str:
    start, end = booking.starts_at.astimezone(zone), booking.ends_at.astimezone(zone)
    return f"{start:%H:%M}–{end:%H:%M}"


@dataclass(frozen=True)
class Clash:
    """One clash of a booking being placed with another booking."""

    kind: ClashKind
    placed: Booking
    other: Booking
    person: str = ""  # the interviewer, for an interviewer clash
    break_minutes: int = 0

    @property
    def refused(self) -> bool:
        """A clash nobody can confirm away: a person cannot be in two sessions at once."""
        return self.kind != "break"

    def words(self, zone: tzinfo = UTC) -> str:
        """The clash in a recruiter's words, times in `zone` (named at the end), e.g.
        ``Coding 15:00–16:00 overlaps the candidate's Stakeholders 15:15–15:45 (CET)``."""
        placed, other = self.placed, self.other
        named = f"({placed.starts_at.astimezone(zone):%Z})"
        if self.kind == "candidate":
            return (
                f"{placed.title} {_times(placed, zone)} overlaps the candidate's"
                f" {other.title} {_times(other, zone)} {named}"
            )
        if self.kind == "interviewer":
            return (
                f"{self.person} already interviews {other.candidate}"
                f" {_times(other, zone)} ({other.title}) {named}"
            )
        minutes = int(placed.gap(other).total_seconds() // 60)
        after = placed.starts_at >= other.ends_at
        return (
            f"{placed.title} {_times(placed, zone)}"
            + (
                f" starts {minutes} min after the candidate's {other.title}"
                if after
                else f" ends {minutes} min before the candidate's {other.title}"
            )
            + f" {_times(other, zone)}: less than the {self.break_minutes}-minute break {named}"
        )


def find_clashes(
    placed: Iterable[Booking], others: Iterable[Booking], break_minutes: int = 0
) -> list[Clash]:
    """Every clash of the `placed` bookings with the `others` and with each other: candidate
    overlaps, interviewer overlaps (any candidate, any opening) and breaks shorter than
    `break_minutes` between one candidate's sessions. A stored session being changed is among
    `placed` only (its old time is gone). Refused clashes come first, each pair once."""
    placed = list(placed)
    moving = {b.session_id for b in placed if b.session_id is not None}
    rest = [b for b in others if b.session_id is None or b.session_id not in moving]
    brk = timedelta(minutes=break_minutes)
    found: list[Clash] = []
    for index, booking in enumerate(placed):
        # each pair of placed bookings once: a plan's sessions are checked among themselves too
        for other in [*placed[:index], *rest]:
            same_candidate = other.candidate_id == booking.candidate_id
            if booking.overlaps(other):
                if same_candidate:
                    found.append(Clash("candidate", booking, other))
                    continue  # its interviewers are the same moment: said once
                theirs = {i for i, _ in other.interviewers}
                found += [
                    Clash("interviewer", booking, other, person=name)
                    for person_id, name in booking.interviewers
                    if person_id in theirs
                ]
            elif same_candidate and booking.gap(other) < brk:
                found.append(Clash("break", booking, other, break_minutes=break_minutes))
    return sorted(found, key=lambda c: not c.refused)


class ScheduleClash(InvalidInput):
    """A plan or change that clashes: nothing was written. `clashes` lists every one; the message
    names the field of the first and says each in words (times in UTC; a page says them in the
    viewer's zone with `problems`). `needs_confirmation`: only short breaks, which the
    coordinator may confirm."""

    def __init__(self, clashes: list[Clash]):
        self.clashes = clashes
        first = clashes[0].placed.field
        super().__init__(f"{first}: " + "; ".join(c.words() for c in clashes))

    @property
    def needs_confirmation(self) -> bool:
        """True when every clash is a short break: the change goes through once confirmed."""
        return not any(c.refused for c in self.clashes)

    def problems(self, zone: tzinfo = UTC) -> dict[str, list[str]]:
        """Each field's clashes in words, in `zone`: what a form shows under each field."""
        shown: dict[str, list[str]] = {}
        for clash in self.clashes:
            shown.setdefault(clash.placed.field, []).append(clash.words(zone))
        return shown


# Set by `unchecked`: in this thread (context), clashes are found but not refused.
_UNCHECKED: ContextVar[bool] = ContextVar("clashes_unchecked", default=False)


@contextmanager
def unchecked() -> Iterator[None]:
    """Inside this block (in this thread only) clashes are not refused: for building a made-up
    history, such as the demo organisation or a test's or benchmark's fixture, whose days were
    drawn at random. No screen or command a person uses sets it; the Interview day screen still
    shows such a day's clashes (`openings.day_clashes`)."""
    token = _UNCHECKED.set(True)
    try:
        yield
    finally:
        _UNCHECKED.reset(token)


def refuse_clashes(clashes: list[Clash], confirmed: bool = False) -> None:
    """Raise ScheduleClash when a clash stands: any refused one, or a short break that was not
    confirmed. A confirmed short break passes."""
    standing = [c for c in clashes if c.refused or not confirmed]
    if standing and not _UNCHECKED.get():
        raise ScheduleClash(standing)
