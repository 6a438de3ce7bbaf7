"""How many scorecard submissions a second one SQLite file takes from 1, 2 and 4 processes at
once: the figure behind "when several workers need PostgreSQL" (README, Running on several
cores). Each process submits its share of seats through the service (`scorecards.submit`: the
rubric check, the rows, the audit entry, the outbox, one BEGIN IMMEDIATE transaction) as fast as
it can, all starting at one moment.

usage: .venv/bin/python benchmarks/write_rate.py [--seats 240] [--processes 1 2 4]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]
# a throwaway database: a throwaway key, not a key file beside it
os.environ.setdefault(
    "DEBRIEF_AUDIT_KEY", "write_rate benchmark key, not a secret: not used elsewhere"
)

from scoring import openings, people, scorecards  # noqa: E402
from scoring.permissions import Person  # noqa: E402
from scoring.store import Store  # noqa: E402
from world import CATALOG, DAY, full_scores  # noqa: E402


def org(path: Path, seats: int) -> list[int]:
    """An opening with `seats` interviewers, one seat each, four seats a candidate."""
    store = Store(path)
    coordinator, _ = people.create_first_coordinator(store, "Cora", "cora@example.com")
    manager = people.add_person(
        store, coordinator, "Maria", "maria@example.com", ["hiring_manager"]
    )
    opening = openings.create_opening(
        store,
        coordinator,
        title="Data scientist",
        role="Data scientist",
        loop=CATALOG.loops["ds-generalist-onsite"],
        catalog=CATALOG,
        hiring_manager_id=manager.id,
        strategy={"kind": "manager"},
    )
    with store.batch():
        for n in range(seats):
            person = people.add_person(
                store, coordinator, f"Interviewer {n}", f"i{n}@example.com", ["interviewer"]
            )
            if n % 4 == 0:
                candidate = openings.add_candidate(store, coordinator, opening.id, f"Cand {n}")
            openings.schedule_session(
                store, coordinator, candidate, n % 4 + 1, DAY + timedelta(hours=n % 4), [person.id]
            )
    with store.read() as db:
        return [r[0] for r in db.execute("SELECT id FROM assignments ORDER BY id").fetchall()]


def child(path: str, start: float, seats: list[int]) -> None:
    store = Store(path)
    work = []
    with store.read() as db:
        for seat in seats:
            row = db.execute(
                "SELECT p.* FROM assignments a JOIN people p ON p.id = a.interviewer_id"
                " WHERE a.id = ?",
                [seat],
            ).fetchone()
            work.append((Person.from_row(row), seat, full_scores(store, seat, level=3)))
    time.sleep(max(0.0, start - time.time()))
    began = time.time()
    took = []
    for person, seat, criteria in work:
        at = time.perf_counter()
        scorecards.submit(store, person, seat, overall=4, feedback="rate", criteria=criteria)
        took.append(time.perf_counter() - at)
    print(f"{began} {time.time()} {' '.join(f'{t:.5f}' for t in took)}", flush=True)


def measure(seats: int, processes: int) -> tuple[float, float, float]:
    """(submissions a second, median and p95 seconds a submission) with `processes` at once."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "rate.sqlite"
        ids = org(path, seats)
        start = time.time() + 3
        shares = [ids[n::processes] for n in range(processes)]
        runs = [
            subprocess.Popen(
                [sys.executable, __file__, "--child", str(path), str(start), *map(str, share)],
                stdout=subprocess.PIPE,
                text=True,
            )
            for share in shares
        ]
        lines = [r.communicate(timeout=600)[0].split() for r in runs]
        first = min(float(line[0]) for line in lines)
        last = max(float(line[1]) for line in lines)
        took = sorted(float(t) for line in lines for t in line[2:])
        with Store(path).read() as db:
            landed = db.execute("SELECT count(*) FROM scorecards").fetchone()[0]
        assert landed == seats, f"{landed} of {seats} landed"
    p95 = took[int(0.95 * (len(took) - 1))]
    return seats / (last - first), statistics.median(took), p95


def main() -> None:
    if sys.argv[1:2] == ["--child"]:
        child(sys.argv[2], float(sys.argv[3]), [int(s) for s in sys.argv[4:]])
        return
    parser = argparse.ArgumentParser()
    parser.add_argument("--seats", type=int, default=240)
    parser.add_argument("--processes", type=int, nargs="+", default=[1, 2, 4])
    options = parser.parse_args()
    print("| processes | submissions/s | median ms | p95 ms |")
    print("|---|---|---|---|")
    for processes in options.processes:
        rate, median, p95 = measure(options.seats, processes)
        print(f"| {processes} | {rate:.0f} | {median * 1000:.1f} | {p95 * 1000:.1f} |", flush=True)


if __name__ == "__main__":
    main()
