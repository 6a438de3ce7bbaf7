"""Past candidates of the world's opening, each interviewed in one session by a pair (Ana and Bo)
who score independently, built through the service: the measured rater error's data."""

from __future__ import annotations

from datetime import timedelta

import numpy as np

from scoring import debrief, openings, scorecards
from scoring.matrix import full_scores
from world import DAY, World

FIRST = DAY - timedelta(days=400)  # well before the world's own candidate (Grace)


def add_paired(
    w: World,
    count: int,
    *,
    noise: float = 0.6,
    seed: int = 7,
    start: int = 0,
    overalls: tuple[int, int] = (3, 3),
) -> list[int]:
    """`count` candidates, each with one session (the loop's first) scored by Ana and Bo: every
    criterion at the candidate's level plus each interviewer's own noise (in points), the
    overall recommendations `overalls` (Ana's, Bo's), then the debrief opened by the hiring
    manager. Returns their ids."""
    rng = np.random.default_rng(seed + start)
    ids = []
    for n in range(start, start + count):
        at = FIRST + timedelta(days=n)
        candidate = openings.add_candidate(w.store, w.coordinator, w.opening_id, f"Past {n}")
        session = openings.schedule_session(
            w.store, w.coordinator, candidate, 1, at, [w.ana.id, w.bo.id], now=at
        )
        level = rng.uniform(1.5, 3.5)
        with w.store.read() as db:
            seats = db.execute(
                "SELECT id, interviewer_id FROM assignments WHERE session_id = ?", [session]
            ).fetchall()
            rubric = openings.rubric_snapshot(
                db,
                db.execute(
                    "SELECT rubric_hash FROM interview_sessions WHERE id = ?", [session]
                ).fetchone()[0],
            )
        for seat, interviewer in seats:
            person = w.ana if interviewer == w.ana.id else w.bo
            criteria = full_scores(w.store, seat, 1)
            for criterion in rubric.criteria:
                point = round(level + rng.normal(0, noise))
                point = point if criterion.kind == "scale" else int(point >= 3)
                criteria[criterion.id]["score"] = int(
                    np.clip(point, criterion.scale.min, criterion.scale.max)
                )
            scorecards.submit(
                w.store,
                person,
                seat,
                overall=overalls[0] if person is w.ana else overalls[1],
                feedback="seen",
                criteria=criteria,
                now=at + timedelta(hours=2),
            )
        debrief.open_debrief(w.store, w.manager, candidate, now=at + timedelta(hours=3))
        ids.append(candidate)
    return ids
