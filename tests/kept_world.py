"""Two openings with debriefed candidates, for the kept Insights figures (issue 25): opening A is
the world's (Grace still to be interviewed, outside every window), opening B a second one with
the same hiring manager. Each has a decided candidate and a debriefed, undecided one, scored by
Ana and Bo. Helpers say how a view was served (`served`) and what it reads afresh (`fresh`)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import timedelta

from scoring import debrief, insights, openings, scorecards
from scoring.insights import kept, memo
from scoring.matrix import full_scores
from world import CATALOG, DAY, World, build, raw_sql


@dataclass
class Two:
    w: World
    a: int  # opening A (the world's)
    b: int  # opening B
    a_decided: int
    a_open: int  # debriefed, not decided
    b_decided: int
    b_open: int
    sessions: dict[int, int]  # candidate -> their session


def seats_of(w: World, candidate_id: int) -> dict[int, int]:
    """interviewer id -> seat, of the candidate's sessions."""
    with w.store.read() as db:
        return {
            r[1]: r[0]
            for r in db.execute(
                "SELECT a.id, a.interviewer_id FROM assignments a"
                " JOIN interview_sessions i ON i.id = a.session_id WHERE i.candidate_id = ?",
                [candidate_id],
            )
        }


def scored(w: World, opening_id: int, name: str, day: int, decide: bool) -> tuple[int, int]:
    """A candidate of the opening interviewed by Ana and Bo `day` days before the world's day,
    both scorecards in, the debrief open, the committee's vote cast and (with `decide`) a hire
    decided."""
    start = DAY - timedelta(days=day)
    candidate_id = openings.add_candidate(w.store, w.coordinator, opening_id, name)
    session = openings.schedule_session(
        w.store,
        w.coordinator,
        candidate_id,
        3,
        start,
        [w.ana.id, w.bo.id],
        now=start - timedelta(days=1),
    )
    seats = seats_of(w, candidate_id)
    for person, overall, level in ((w.ana, 3, 3), (w.bo, 2, 2)):
        scorecards.submit(
            w.store,
            person,
            seats[person.id],
            overall=overall,
            feedback=f"{person.name} on {name}",
            criteria=full_scores(w.store, seats[person.id], level),
            now=start + timedelta(hours=3),
        )
    debrief.open_debrief(w.store, w.manager, candidate_id, now=start + timedelta(hours=4))
    debrief.cast_vote(w.store, w.member, candidate_id, "hire", now=start + timedelta(hours=5))
    if decide:
        debrief.record_decision(
            w.store, w.manager, candidate_id, "hire", "clear", True, now=start + timedelta(days=1)
        )
    return candidate_id, session


def new_opening(w: World, title: str) -> int:
    """An opening of the committee kind (quorum 1, the member), Maria its hiring manager."""
    return openings.create_opening(
        w.store,
        w.coordinator,
        title=title,
        role=title,
        loop=CATALOG.loops["ds-generalist-onsite"],
        catalog=CATALOG,
        hiring_manager_id=w.manager.id,
        strategy={"kind": "committee", "quorum": 1},
        committee_ids=[w.member.id],
    ).id


def two_openings(path) -> Two:
    """The world, a second opening B, and two debriefed candidates in each."""
    w = build(path, strategy={"kind": "committee", "quorum": 1})
    b = new_opening(w, "Analyst")
    sessions = {}
    ids = []
    for opening_id, name, day, decide in (
        (w.opening_id, "Ada Decided", 20, True),
        (w.opening_id, "Al Open", 18, False),
        (b, "Bea Decided", 16, True),
        (b, "Ben Open", 14, False),
    ):
        candidate_id, sessions[candidate_id] = scored(w, opening_id, name, day, decide)
        ids.append(candidate_id)
    return Two(w, w.opening_id, b, *ids, sessions=sessions)


def served(view) -> str:
    """How `view()` was served: "process", "shared" or "made" (exactly one of them)."""
    before = dict(kept.COUNTS)
    view()
    changed = [name for name, n in kept.COUNTS.items() if n != before[name]]
    assert len(changed) == 1, changed
    return changed[0]


def drop_shared(w: World) -> None:
    """Empty the shared table (as if no process had kept anything)."""
    raw_sql(w, "DELETE FROM kept_figures")


def as_text(view) -> str:
    """A view as one JSON text (NaN as NaN): equal texts, equal figures."""
    return json.dumps(insights.document(view), default=str, sort_keys=True)


def fresh(w: World, view):
    """`view()` worked out afresh: nothing kept in this process (the figures, nor the results
    they are made of) or the table."""
    kept.forget()
    memo.forget()
    drop_shared(w)
    return view()


def unscored_seat(two: Two, candidate_id: int, who) -> int:
    """A session of its own on the candidate's day with `who` seated, not yet scored."""
    w = two.w
    start = DAY - timedelta(days=18, hours=-2)
    openings.schedule_session(
        w.store, w.coordinator, candidate_id, 1, start, [who.id], now=start - timedelta(days=1)
    )
    return seats_of(w, candidate_id)[who.id]
