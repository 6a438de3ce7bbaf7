"""Benchmark: does Debrief stay fast as history grows? (Not a timed test: it prints figures.)

Builds two databases with the demo generator's patterns (stages, panels, twists), one small and
one large (default: 100 and 10,000 candidates; every loop is six sessions, so about 600 and 60,000
scorecards), then measures in the same run:

1. submitting one scorecard through the service (`scorecards.submit`: access check, validation
   against the rubric snapshot, all-or-nothing write, audit) next to a bare sqlite3 insert of the
   same rows with the same connection pattern (a connection per unit, WAL, one transaction).
   Target: at most 5x.
2. loading one candidate's full panel (`scorecards.panel`) and the whole debrief page's data
   (`debrief.debrief`: panel, engine under every strategy, raw and forced) at the large size next
   to the small size. Target: at most 1.5x.

usage: .venv/bin/python benchmarks/store_bench.py [--candidates 10000] [--small 100] [--keep DIR]
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from scoring import debrief, scorecards
from scoring.demo import STAGES, add_demo_candidate, create_demo_team, fitting_twists
from scoring.openings import rubric_snapshot
from scoring.rubric import Catalog, LoopSession, load_catalog
from scoring.store import Store, stamp

TODAY = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)
# Six scored sessions a candidate: the on-site loops with the screens before them.
EXTRA_SESSIONS = {
    "ds-generalist-onsite": ["hm-phone-screen", "take-home-review"],
    "ml-engineer-onsite": ["hm-phone-screen"],
    "data-analyst-onsite": ["hm-phone-screen", "resume-screen"],
}


def six_session_catalog(catalog: Catalog) -> Catalog:
    """The demo's loops with the screening sessions added in front."""
    loops = {}
    for loop_id, loop in catalog.loops.items():
        extra = [
            LoopSession(rubric=r, minutes=catalog.rubrics[r].duration_minutes)
            for r in EXTRA_SESSIONS.get(loop_id, [])
        ]
        loops[loop_id] = loop.model_copy(update={"sessions": [*extra, *loop.sessions]})
    return Catalog(rubrics=catalog.rubrics, loops=loops)


def build(
    path: Path,
    candidates: int,
    catalog: Catalog,
    days: float = 365,
    openings: tuple[str, ...] | None = None,
) -> tuple[Store, object, list[int]]:
    """A database of `candidates` spread over `days` of history, mostly decided, taking turns
    over the demo's openings (or only over `openings`, keys such as "ds")."""
    store = Store(path)
    rng = random.Random(7)
    history = [s for s in STAGES if s not in ("scheduled", "today")]
    with store.batch():
        team = create_demo_team(store, catalog, rng, TODAY - timedelta(days=400))
        keys = sorted(openings or team.openings)
        decided = []
        for n in range(candidates):
            stage = "decided" if n % 10 < 8 else rng.choice(history)
            twists = [t for t in fitting_twists(stage) if rng.random() < 0.08]
            opening = team.openings[keys[n % len(keys)]]
            day = TODAY - timedelta(days=days * (candidates - n) / candidates)
            candidate_id = add_demo_candidate(
                store,
                team,
                opening,
                stage,
                rng.choice(("unanimous", "positive", "lukewarm", "split", "negative", "veto")),
                rng,
                day,
                twists=twists,
            )
            if stage == "decided":
                decided.append(candidate_id)
    return store, team, decided


def fresh_assignments(store: Store, team, count: int) -> list[tuple[object, int]]:
    """(interviewer, assignment id) pairs with nothing submitted yet, for the submit timing."""
    rng = random.Random(11)
    opening = team.openings["ds"]
    with store.batch():
        ids = [
            add_demo_candidate(store, team, opening, "scheduled", "positive", rng, TODAY)
            for _ in range(count)
        ]
    seats = []
    for candidate_id in ids:
        for seat in scorecards.status_board(store, team.coordinator, candidate_id):
            seats.append((team.people[seat.interviewer_id], seat.assignment_id))
    return seats


def rubric_hash_of(store: Store, assignment_id: int) -> str:
    with store.read() as db:
        return db.execute(
            "SELECT i.rubric_hash FROM assignments a JOIN interview_sessions i"
            " ON i.id = a.session_id WHERE a.id = ?",
            [assignment_id],
        ).fetchone()[0]


def criteria_for(store: Store, rubric_hash: str) -> dict[str, dict]:
    with store.read() as db:
        rubric = rubric_snapshot(db, rubric_hash)
    return {
        c.id: {"score": c.scale.max, "evidence": "Benchmark evidence note."}
        for c in rubric.criteria
    }


def time_submits(store: Store, seats: list[tuple[object, int]]) -> tuple[float, float]:
    """Median seconds: service submit on half the seats, bare insert of the same rows on the
    other half (interleaved, so both see the same file state)."""
    service, bare = [], []
    for index, (person, assignment_id) in enumerate(seats):
        rubric_hash = rubric_hash_of(store, assignment_id)
        criteria = criteria_for(store, rubric_hash)
        if index % 2 == 0:
            started = time.perf_counter()
            scorecards.submit(
                store,
                person,
                assignment_id,
                overall=4,
                feedback="Clear yes.",
                criteria=criteria,
                now=TODAY + timedelta(days=30),  # after the interviews (a scorecard waits for them)
            )
            service.append(time.perf_counter() - started)
            continue
        started = time.perf_counter()
        conn = sqlite3.connect(store.path, timeout=30, isolation_level=None)
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA synchronous = NORMAL")
        conn.execute("BEGIN IMMEDIATE")
        scorecard_id = conn.execute(
            "INSERT INTO scorecards (assignment_id, revision, overall, feedback, rubric_hash,"
            " submitted_at, saw_others) VALUES (?, 1, 4, 'Clear yes.', ?, ?, 0)",
            [assignment_id, rubric_hash, stamp(TODAY)],
        ).lastrowid
        conn.executemany(
            "INSERT INTO criterion_scores (scorecard_id, criterion_id, score, evidence)"
            " VALUES (?, ?, ?, ?)",
            [(scorecard_id, k, v["score"], v["evidence"]) for k, v in criteria.items()],
        )
        conn.execute("COMMIT")
        conn.close()
        bare.append(time.perf_counter() - started)
    return statistics.median(service), statistics.median(bare)


def time_panel_loads(
    store: Store, team, candidate_ids: list[int], rounds: int
) -> tuple[float, float]:
    """Median seconds to load a decided candidate's panel, and its whole debrief view."""
    rng = random.Random(3)
    panel, page = [], []
    for _ in range(rounds):
        candidate_id = rng.choice(candidate_ids)
        with store.read() as db:
            opening_id = db.execute(
                "SELECT opening_id FROM candidates WHERE id = ?", [candidate_id]
            ).fetchone()[0]
        manager = next(
            team.people[o.hiring_manager_id] for o in team.openings.values() if o.id == opening_id
        )
        started = time.perf_counter()
        cards = scorecards.panel(store, manager, candidate_id)
        panel.append(time.perf_counter() - started)
        started = time.perf_counter()
        view = debrief.debrief(store, manager, candidate_id)
        page.append(time.perf_counter() - started)
        assert cards and view.scorecards
    return statistics.median(panel), statistics.median(page)


def count(store: Store, table: str) -> int:
    with store.read() as db:
        return db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--candidates", type=int, default=10_000)
    parser.add_argument("--small", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=300, help="panel loads measured per size")
    parser.add_argument("--submits", type=int, default=50, help="candidates to submit for")
    parser.add_argument("--keep", type=Path, help="keep the databases in this folder")
    args = parser.parse_args()
    catalog = six_session_catalog(load_catalog(Path(__file__).resolve().parent.parent / "rubrics"))
    folder = args.keep or Path(tempfile.mkdtemp(prefix="debrief-bench-"))
    folder.mkdir(parents=True, exist_ok=True)

    results = {}
    for label, size in (("small", args.small), ("large", args.candidates)):
        path = folder / f"{label}.sqlite"
        for leftover in folder.glob(f"{label}.sqlite*"):
            leftover.unlink()
        started = time.perf_counter()
        store, team, decided = build(path, size, catalog)
        built = time.perf_counter() - started
        panel, page = time_panel_loads(store, team, decided, args.rounds)
        results[label] = (panel, page)
        print(
            f"{label}: {count(store, 'candidates'):,} candidates, "
            f"{count(store, 'scorecards'):,} scorecards (built in {built:.1f} s); "
            f"panel {panel * 1000:.2f} ms, debrief page data {page * 1000:.2f} ms (median)"
        )
        if label == "large":
            service, bare = time_submits(store, fresh_assignments(store, team, args.submits))
            print(
                f"submit one scorecard at {count(store, 'scorecards'):,}: service "
                f"{service * 1000:.2f} ms, bare sqlite3 insert {bare * 1000:.2f} ms (median)"
            )
    panel_ratio = results["large"][0] / results["small"][0]
    page_ratio = results["large"][1] / results["small"][1]
    submit_ratio = service / bare
    print(f"ratio submit service / bare insert: {submit_ratio:.2f}x (target <= 5x)")
    print(
        f"ratio panel load large / small: {panel_ratio:.2f}x, debrief page data "
        f"{page_ratio:.2f}x (target <= 1.5x)"
    )
    print(f"databases in {folder}")


if __name__ == "__main__":
    main()
