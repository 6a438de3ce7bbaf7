"""Benchmark: do the debrief page and the opening's day view stay fast as history grows?
(Not a timed test: it prints figures.)

Builds, with the demo generator's patterns, a small database (100 candidates, ~600 scorecards)
and a large one (10,000 candidates, ~60,000 scorecards) with the same number of candidates per
interview day (the large one simply has a year of history behind it), then measures the script
time of a full AppTest rerun of:

- the debrief page of one decided candidate (panel, engine under every strategy, three charts);
- the opening's day view (the most recent interview day);
- a yardstick page that draws one altair chart and one table from a ready frame.

Targets: each page at the large size at most 1.5x the same page at the small size, and at most
10x the yardstick.

usage: .venv/bin/python benchmarks/page_bench.py [--candidates 10000] [--small 100] [--runs 15]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from store_bench import build, six_session_catalog  # noqa: E402
from streamlit.testing.v1 import AppTest  # noqa: E402

from scoring.rubric import load_catalog  # noqa: E402

PER_DAY = 10_000 / 365  # candidates a day, in both databases


def rerun_time(page: str | None, person_id: int | None, query: dict, runs: int) -> float:
    """Median seconds of `at.run()` for a page reached through app.py (or a bare script)."""
    if page is None:
        at = AppTest.from_file(str(ROOT / "benchmarks" / "baseline_page.py"), default_timeout=60)
    else:
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
        at.session_state["person_id"] = person_id
        at.run()
        for key, value in query.items():
            at.query_params[key] = value
        at.switch_page(page)
    at.run()  # warm: caches, imports
    assert not at.exception, at.exception
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        at.run()
        times.append(time.perf_counter() - started)
    assert not at.exception, at.exception
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--candidates", type=int, default=10_000)
    parser.add_argument("--small", type=int, default=100)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--keep", type=Path)
    args = parser.parse_args()
    os.chdir(ROOT)
    catalog = six_session_catalog(load_catalog(ROOT / "rubrics"))
    folder = args.keep or Path(tempfile.mkdtemp(prefix="debrief-pages-"))
    folder.mkdir(parents=True, exist_ok=True)

    results: dict[str, dict[str, float]] = {}
    for label, size in (("small", args.small), ("large", args.candidates)):
        path = folder / f"pages-{label}.sqlite"
        for leftover in folder.glob(f"pages-{label}.sqlite*"):
            leftover.unlink()
        store, team, decided = build(path, size, catalog, days=size / PER_DAY)
        os.environ["DEBRIEF_DB"] = str(path)
        opening = team.openings["ds"]
        with store.read() as db:
            scorecards = db.execute("SELECT COUNT(*) FROM scorecards").fetchone()[0]
            # the same shape in both databases: the latest decided candidate of the data
            # scientist opening with one interviewer per session (six scorecards)
            candidate_id = next(
                c
                for c in reversed(decided)
                if db.execute(
                    """SELECT c.opening_id = ? AND COUNT(*) = 6 FROM candidates c
                       JOIN interview_sessions i ON i.candidate_id = c.id
                       JOIN assignments a ON a.session_id = i.id WHERE c.id = ?""",
                    [opening.id, c],
                ).fetchone()[0]
            )
        manager_id = opening.hiring_manager_id
        results[label] = {
            "debrief": rerun_time(
                "pages/debrief.py", manager_id, {"candidate": str(candidate_id)}, args.runs
            ),
            "day view": rerun_time("pages/debrief_day.py", manager_id, {}, args.runs),
        }
        print(
            f"{label}: {size:,} candidates, {scorecards:,} scorecards: "
            + ", ".join(f"{k} {v * 1000:.0f} ms" for k, v in results[label].items())
        )
    yardstick = rerun_time(None, None, {}, args.runs)
    print(f"yardstick page (one altair chart, one table): {yardstick * 1000:.0f} ms")
    for page in ("debrief", "day view"):
        growth = results["large"][page] / results["small"][page]
        versus = results["large"][page] / yardstick
        print(
            f"ratio {page}: large / small {growth:.2f}x (target <= 1.5x),"
            f" large / yardstick {versus:.1f}x (target <= 10x)"
        )
    print(f"databases in {folder}")


if __name__ == "__main__":
    main()
