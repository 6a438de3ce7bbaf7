"""An opening for the adverse-impact figures (issue 28, item 5), built through the service on the
world's people: take-home (the hiring manager decides) -> on-site loop -> offer. Candidates are
added with their self-identified answers, and decided, at chosen moments; the figures are read
on `DAY` (20 Nov 2026), so they count what was decided before 1 Nov 2026."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

from scoring import debrief, demographics, openings, stage_reviews
from scoring.rubric import Loop
from tests.world import CATALOG, DAY, World

STAGES = [
    {"kind": "take_home", "rubric": "take-home-review", "hours": 3, "deadline_days": 7},
    {"kind": "loop"},
    {"kind": "offer"},
]
OCT = datetime(2026, 10, 5, 9, 0, tzinfo=UTC)  # last month, seen from DAY
SEP = datetime(2026, 9, 7, 9, 0, tzinfo=UTC)
TODAY = DAY  # this month: nothing written now shows before December
DECEMBER = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)
JANUARY = datetime(2027, 1, 5, 9, 0, tzinfo=UTC)

CONFIG = """
[demographics]
min_group = 5

[demographics.categories]
gender = ["Woman", "Man", "Non-binary"]
pet = ["Otter", "Quokka", "Prefer not to say"]
"""


def configure(folder: Path, monkeypatch, text: str = CONFIG) -> Path:
    """A secrets file holding `text`, read by the service from now on (set after the world is
    built: the world's own build does not depend on it)."""
    path = folder / "secrets.toml"
    path.write_text(text, encoding="utf-8")
    monkeypatch.setenv("DEBRIEF_SECRETS", str(path))
    return path


def fair_opening(w: World, title: str = "Fairness opening") -> int:
    """A new opening of the world's hiring manager whose process is `STAGES`."""
    data = CATALOG.loops["ds-generalist-onsite"].model_dump(mode="json")
    opening = openings.create_opening(
        w.store,
        w.coordinator,
        title=title,
        role="Data scientist",
        loop=Loop.model_validate({**data, "stages": STAGES}),
        catalog=CATALOG,
        hiring_manager_id=w.manager.id,
        strategy={"kind": "manager"},
        now=SEP - timedelta(days=30),
    )
    return opening.id


def add(w: World, opening_id: int, n: int, at: datetime = SEP, **answers: str) -> int:
    """Candidate `n`, added at `at`, with their answers recorded then (if any)."""
    candidate_id = openings.add_candidate(
        w.store, w.coordinator, opening_id, f"Applicant {n}", f"applicant{n}@example.org", now=at
    )
    if answers:
        demographics.record(w.store, w.coordinator, candidate_id, answers, now=at)
    return candidate_id


def decide(w: World, candidate_id: int, advance: bool, at: datetime = OCT) -> None:
    """The hiring manager decides the take-home (stage 1)."""
    outcome = "advance" if advance else "reject"
    stage_reviews.decide(w.store, w.manager, candidate_id, 1, outcome, f"test: {outcome}", now=at)


def loop(w: World, candidate_id: int, hire: bool, at: datetime = OCT) -> None:
    """The on-site loop's debrief is opened (early) and decided (stage 2)."""
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


def group(
    w: World,
    opening_id: int,
    selected: int,
    rejected: int,
    start: int,
    at: datetime = OCT,
    **answers: str,
) -> list[int]:
    """`selected + rejected` candidates with the same answers, decided at the take-home on
    `at`: the first `selected` advanced, the rest rejected."""
    ids = []
    for i in range(selected + rejected):
        candidate_id = add(w, opening_id, start + i, **answers)
        decide(w, candidate_id, i < selected, at)
        ids.append(candidate_id)
    return ids


def stored_rows(w: World, statement: str, *params) -> list[tuple]:
    """Rows read behind the service's back, as they are stored (the service opens sealed
    tokens in what it reads: this does not). SQLite's dialect, ? placeholders."""
    if w.store.engine == "postgresql":
        import psycopg

        from scoring.dialect import to_postgres

        text, _ = to_postgres(statement, bool(params))
        with psycopg.connect(w.store.url, autocommit=True) as conn:
            return [tuple(r) for r in conn.execute(text, params or None).fetchall()]
    conn = sqlite3.connect(w.store.path)
    try:
        return [tuple(r) for r in conn.execute(statement, params).fetchall()]
    finally:
        conn.close()
