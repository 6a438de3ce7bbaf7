"""An opening whose process is a take-home, the on-site loop and the offer, on the people of
tests/world.py, built through the service: for the tests of take-homes and of what candidates
are told (tests/test_take_homes.py, test_candidate_mail.py, test_candidate_feedback.py)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from funnel_world import criteria_at, funnel_loop

from scoring import candidates, openings, stage_reviews
from world import CATALOG, DAY, World, build

# The take-home: three hours asked, five days to answer, reviewed blind by Ana.
HOURS, DAYS = 3, 5
SENT_AT = DAY - timedelta(days=20)


def take_home_stages(blind: bool = True) -> list[dict]:
    return [
        {
            "kind": "take_home",
            "rubric": "take-home-review",
            "hours": HOURS,
            "deadline_days": DAYS,
            "blind": blind,
        },
        {"kind": "loop"},
        {"kind": "offer"},
    ]


@dataclass
class TakeHomeWorld:
    w: World
    opening_id: int
    candidate_id: int

    @property
    def store(self):
        return self.w.store


def build_take_home(path, *, email: str = "lin@example.com", blind: bool = True) -> TakeHomeWorld:
    """The world of tests/world.py and a second opening, with a take-home that Ana reviews; its
    candidate Lin Lovelace (at `email`; none when empty) is at the take-home."""
    w = build(path)
    opening = openings.create_opening(
        w.store,
        w.coordinator,
        title="Data scientist (take-home)",
        role="Data scientist",
        loop=funnel_loop(take_home_stages(blind)),
        catalog=CATALOG,
        hiring_manager_id=w.manager.id,
        strategy={"kind": "manager"},
        stage_reviewers={1: [w.ana.id]},
        now=SENT_AT - timedelta(days=1),
    )
    candidate_id = candidates.add_candidate(
        w.store, w.coordinator, opening.id, "Lin Lovelace", email, now=SENT_AT - timedelta(days=1)
    )
    return TakeHomeWorld(w, opening.id, candidate_id)


def review_seat(t: TakeHomeWorld) -> int:
    """Ana's review seat on the candidate's take-home (once the answer is in)."""
    with t.store.read() as db:
        return db.execute(
            "SELECT id FROM stage_seats WHERE candidate_id = ? AND reviewer_id = ?",
            [t.candidate_id, t.w.ana.id],
        ).fetchone()[0]


def review(t: TakeHomeWorld, overall: int, notes: str = "Clear notebook; the model is checked."):
    """Ana reviews the take-home, every criterion in the middle, `overall` her verdict."""
    seat = review_seat(t)
    return stage_reviews.review(
        t.store,
        t.w.ana,
        seat,
        criteria_at(t.w, seat, 2),
        overall,
        notes,
        now=SENT_AT + timedelta(days=4),
    )


def outbox_rows(store, **where) -> list:
    """The outbox's rows matching `where` (column = value), oldest first."""
    clause = " AND ".join(f"{k} = ?" for k in where) or "1 = 1"
    with store.read() as db:
        return db.execute(
            f"SELECT * FROM outbox WHERE {clause} ORDER BY id", list(where.values())
        ).fetchall()


def to_candidate(store, candidate_id: int) -> list:
    """Every message to the candidate (no recipient person), oldest first."""
    with store.read() as db:
        return db.execute(
            "SELECT * FROM outbox WHERE candidate_id = ? AND recipient_id IS NULL ORDER BY id",
            [candidate_id],
        ).fetchall()
