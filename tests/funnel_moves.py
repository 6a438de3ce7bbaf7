"""Candidates moved through a whole funnel through the service, at chosen moments: resume screen
(provisional bar, every rejection spot-checked) -> take-home -> on-site loop -> offer. Each
move is what the product's people do: a reviewer's review, a spot check, the hiring manager's
decision at the take-home and at the debrief, the coordinator's record of the offer's answer
and of a withdrawal."""

from __future__ import annotations

from datetime import datetime, timedelta

from scoring import debrief, openings, schedule_changes, stage_reviews
from scoring.permissions import Person
from scoring.rubric import Loop
from tests.funnel_world import criteria_at
from tests.world import CATALOG, DAY, World

WHOLE_FUNNEL = [
    {
        "kind": "screen",
        "rubric": "resume-screen",
        "bar": 0.5,
        "provisional": True,
        "spot_check": 1.0,
    },
    {"kind": "take_home", "rubric": "take-home-review", "hours": 3, "deadline_days": 7},
    {"kind": "loop"},
    {"kind": "offer"},
]
T0 = DAY - timedelta(days=25)  # when the candidates are added (the opening is 5 days older)


def whole_funnel(w: World) -> int:
    """A new opening of the world's hiring manager whose process is `WHOLE_FUNNEL`, decided by
    the hiring manager; its resume screen reviewed by Ana and Bo."""
    data = CATALOG.loops["ds-generalist-onsite"].model_dump(mode="json")
    opening = openings.create_opening(
        w.store,
        w.coordinator,
        title="Funnel opening",
        role="Data scientist",
        loop=Loop.model_validate({**data, "stages": WHOLE_FUNNEL}),
        catalog=CATALOG,
        hiring_manager_id=w.manager.id,
        strategy={"kind": "manager"},
        stage_reviewers={1: [w.ana.id, w.bo.id]},
        now=T0 - timedelta(days=5),
    )
    return opening.id


def seats_of(w: World, candidate_id: int, position: int) -> list[dict]:
    """The candidate's seats at a stage (id, reviewer, purpose), oldest first."""
    with w.store.read() as db:
        rows = db.execute(
            "SELECT id, reviewer_id, purpose FROM stage_seats"
            " WHERE candidate_id = ? AND position = ? ORDER BY id",
            [candidate_id, position],
        ).fetchall()
    return [dict(id=r[0], reviewer_id=r[1], purpose=r[2]) for r in rows]


def person(w: World, person_id: int) -> Person:
    """The world's person with this id."""
    return next(
        p
        for p in (w.coordinator, w.manager, w.ana, w.bo, w.cy, w.member, w.outsider)
        if p.id == person_id
    )


def add(w: World, opening_id: int, n: int, at: datetime = T0) -> int:
    """Candidate number `n`, added at `at`: they enter the resume screen."""
    return openings.add_candidate(
        w.store, w.coordinator, opening_id, f"Applicant {n}", f"applicant{n}@example.org", now=at
    )


def _review(w: World, seat: dict, level: int, at: datetime) -> None:
    stage_reviews.review(
        w.store,
        person(w, seat["reviewer_id"]),
        seat["id"],
        criteria_at(w, seat["id"], level),
        level,
        f"reviewed at level {level}",
        now=at,
    )


def screen(w: World, candidate_id: int, advance: bool, at: datetime) -> None:
    """The resume screen's reviewer reviews above the bar (advance) or below it (a
    provisional rejection, which goes to a spot check)."""
    seat = next(s for s in seats_of(w, candidate_id, 1) if s["purpose"] == "review")
    _review(w, seat, 4 if advance else 1, at)


def spot_check(w: World, candidate_id: int, agree: bool, at: datetime) -> None:
    """The second reviewer of a rejected resume: agrees (below the bar too) or not."""
    seat = next(s for s in seats_of(w, candidate_id, 1) if s["purpose"] == "spot_check")
    _review(w, seat, 1 if agree else 4, at)


def take_home(w: World, candidate_id: int, advance: bool, at: datetime) -> None:
    """The hiring manager decides the take-home."""
    outcome = "advance" if advance else "reject"
    stage_reviews.decide(
        w.store, w.manager, candidate_id, 2, outcome, f"take-home: {outcome}", now=at
    )


def loop(w: World, candidate_id: int, hire: bool, at: datetime) -> None:
    """The on-site loop's debrief is opened (early: no session in these tests) and decided."""
    debrief.open_debrief(w.store, w.manager, candidate_id, reason="the test's debrief", now=at)
    debrief.record_decision(
        w.store,
        w.manager,
        candidate_id,
        "hire" if hire else "no_hire",
        "the panel's evidence",
        True,
        now=at + timedelta(hours=2),
    )


def offer(w: World, candidate_id: int, accept: bool, at: datetime) -> None:
    """The coordinator records the answer to the offer (declined: the candidate withdraws)."""
    stage_reviews.record_offer(
        w.store, w.coordinator, candidate_id, accept, "" if accept else "another offer", now=at
    )


def withdraw(w: World, candidate_id: int, at: datetime) -> None:
    """The candidate withdraws wherever they are."""
    schedule_changes.withdraw_candidate(
        w.store, w.coordinator, candidate_id, "found another job", now=at
    )
