"""My interviews: the acting interviewer's own sessions and where each scorecard stands.

Anyone signed in may list their own seats (there is no one else's to ask for), so these functions
re-read the person and check no action: the list is the actor's by construction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from scoring.permissions import Person, current
from scoring.queries import seats as Q
from scoring.status import PER_PAGE, SeatStatus, seat_status
from scoring.store import Store, now_utc, stamp


@dataclass(frozen=True)
class Assignment:
    """One of the acting interviewer's sessions, as "My interviews" lists it."""

    status: SeatStatus
    candidate_id: int
    candidate: str  # the name, or the alias on an anonymised opening
    opening_id: int
    opening_title: str


def _rows_from(rows: list[Any], at: datetime) -> list[Assignment]:
    return [
        Assignment(
            status=seat_status(r, at),
            candidate_id=r["candidate_id"],
            # an anonymised opening shows its scorers the alias, everywhere
            candidate=r["alias"] if r["anonymise"] else r["candidate_name"],
            opening_id=r["opening_id"],
            opening_title=r["opening_title"],
        )
        for r in rows
    ]


def my_assignments(store: Store, actor: Person, now: datetime | None = None) -> list[Assignment]:
    """The actor's assignments, soonest first (recused ones included, marked)."""
    at = now or now_utc()
    with store.read() as db:
        actor = current(db, actor)
        return _rows_from(db.execute(Q.MINE, [actor.id]).fetchall(), at)


@dataclass(frozen=True)
class MyInterviews:
    """What My interviews shows: every session from `since` on (today and upcoming), and one
    page of the earlier ones, the latest first."""

    since: datetime
    near: list[Assignment]  # from `since` on, soonest first, recused ones included
    earlier: list[Assignment]  # one page before `since`, the latest first
    earlier_page: int
    more_earlier: bool  # another page before this one


def my_interviews(
    store: Store,
    actor: Person,
    since: datetime,
    *,
    earlier_page: int = 1,
    per_page: int = PER_PAGE,
    now: datetime | None = None,
) -> MyInterviews:
    """The actor's own sessions from `since` on (the page passes the start of today) and page
    `earlier_page` of the ones before it, the latest first. Two walks along the sessions'
    start-time index that stop at what is shown: the cost follows the schedule and the page,
    not how many interviews the person ever did."""
    at = now or now_utc()
    with store.read() as db:
        actor = current(db, actor)
        near = db.execute(Q.MINE_FROM, [stamp(since), actor.id]).fetchall()
        page = max(1, earlier_page)
        earlier = db.execute(
            Q.MINE_BEFORE, [stamp(since), actor.id, per_page + 1, (page - 1) * per_page]
        ).fetchall()
        return MyInterviews(
            since=since,
            near=_rows_from(near, at),
            earlier=_rows_from(earlier[:per_page], at),
            earlier_page=page,
            more_earlier=len(earlier) > per_page,
        )
