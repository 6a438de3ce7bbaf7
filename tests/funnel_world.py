"""An opening whose process is a funnel (issue 27), built through the service on the world's
people: resume screen (blind, provisional bar, every rejection spot-checked) -> phone screen
(the hiring manager) -> on-site loop -> offer. `review_all` writes a review at one level."""

from __future__ import annotations

from datetime import timedelta

from scoring import openings, stage_reviews
from scoring.opening_record import rubric_snapshot
from scoring.rubric import Loop
from tests.world import CATALOG, DAY, World

FUNNEL_STAGES = [
    {
        "kind": "screen",
        "rubric": "resume-screen",
        "blind": True,
        "bar": 0.5,
        "provisional": True,
        "spot_check": 1.0,
    },
    {"kind": "screen", "rubric": "hm-phone-screen"},
    {"kind": "loop"},
    {"kind": "offer"},
]


def funnel_loop(stages: list[dict] | None = None, base: str = "ds-generalist-onsite") -> Loop:
    """A catalog loop with stages in front of it."""
    data = CATALOG.loops[base].model_dump(mode="json")
    return Loop.model_validate({**data, "stages": stages or FUNNEL_STAGES})


def funnel_opening(w: World, stages: list[dict] | None = None, reviewers=None, **kw) -> int:
    """A new opening of the world's hiring manager with a funnel; the resume screen reviewed by
    Ana and Bo, the phone screen by the hiring manager (the default)."""
    opening = openings.create_opening(
        w.store,
        w.coordinator,
        title="Funnel opening",
        role="Data scientist",
        loop=funnel_loop(stages),
        catalog=CATALOG,
        hiring_manager_id=w.manager.id,
        strategy=kw.pop("strategy", {"kind": "manager"}),
        stage_reviewers=reviewers if reviewers is not None else {1: [w.ana.id, w.bo.id]},
        now=DAY - timedelta(days=30),
        **kw,
    )
    return opening.id


def criteria_at(w: World, seat_id: int, level: int) -> dict[str, dict]:
    """Every criterion of the seat's stage rubric at `level` (clamped to its scale)."""
    with w.store.read() as db:
        row = db.execute(
            "SELECT t.rubric_hash FROM stage_seats s JOIN candidates c ON c.id = s.candidate_id"
            " JOIN opening_stages t ON t.opening_id = c.opening_id AND t.position = s.position"
            " WHERE s.id = ?",
            [seat_id],
        ).fetchone()
        rubric = rubric_snapshot(db, row[0])
    return {
        c.id: {"score": max(c.scale.min, min(c.scale.max, level)), "evidence": ""}
        for c in rubric.criteria
    }


def seats_of(w: World, candidate_id: int, position: int | None = None) -> list[dict]:
    """The candidate's stage seats (id, position, reviewer, purpose), oldest first."""
    with w.store.read() as db:
        rows = db.execute(
            "SELECT id, position, reviewer_id, purpose FROM stage_seats WHERE candidate_id = ?"
            " ORDER BY id",
            [candidate_id],
        ).fetchall()
    found = [dict(id=r[0], position=r[1], reviewer_id=r[2], purpose=r[3]) for r in rows]
    return [s for s in found if position is None or s["position"] == position]


def review(w: World, who, seat_id: int, level: int, overall: int, hours: float = 1) -> int:
    """`who` (a Person) reviews the seat with every criterion at `level`."""
    return stage_reviews.review(
        w.store,
        who,
        seat_id,
        criteria_at(w, seat_id, level),
        overall,
        f"notes at level {level}",
        now=DAY - timedelta(days=20) + timedelta(hours=hours),
    )
