"""Benchmark: do the debrief page, the opening's pipeline and its day view stay fast as history
grows? (Not a timed test: it prints figures.)

Builds, with the demo generator's patterns, a small database (100 candidates, ~600 scorecards)
and a large one (10,000 candidates, ~60,000 scorecards) with the same number of candidates per
interview day (the large one simply has a year of history behind it), then measures the script
time of a full AppTest rerun of:

- the debrief page of one decided candidate (panel, engine under every strategy, three charts);
- the opening's pipeline (the first page: 25 candidates, newest interview first, with the counts
  of every stage over the whole opening);
- the opening's day view (the most recent interview day; now the pipeline's day filter);
- a yardstick page that draws one altair chart and one table from a ready frame.

Targets: each page at the large size at most 1.5x the same page at the small size, and at most
10x the yardstick.

With --one-opening every candidate is in the data scientist opening (10,000 in one opening's
history); otherwise they take turns over the demo's three openings.

usage: .venv/bin/python benchmarks/page_bench.py [--candidates 10000] [--small 100] [--runs 15]
       [--one-opening]
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


def latest_day(at: AppTest) -> None:
    """The pipeline's interview-day filter set to the latest day with interviews (the old day
    view)."""
    (day,) = [s for s in at.selectbox if s.label == "Interview day"]
    day.select_index(1)


def rerun_time(
    page: str | None, person_id: int | None, query: dict, runs: int, choose=None
) -> float:
    """Median seconds of `at.run()` for a page reached through app.py (or a bare script), after
    `choose(at)` has set its widgets, if given."""
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
    if choose is not None:
        choose(at)
        at.run()
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
    parser.add_argument("--one-opening", action="store_true", help="all in the ds opening")
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
        store, team, decided = build(
            path, size, catalog, days=size / PER_DAY, openings=("ds",) if args.one_opening else None
        )
        os.environ["DEBRIEF_DB"] = str(path)
        opening = team.openings["ds"]
        with store.read() as db:
            scorecards = db.execute("SELECT COUNT(*) FROM scorecards").fetchone()[0]
            in_opening = db.execute(
                "SELECT COUNT(*) FROM candidates WHERE opening_id = ?", [opening.id]
            ).fetchone()[0]
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
            "pipeline": rerun_time("pages/pipeline.py", manager_id, {}, args.runs),
            "day view": rerun_time("pages/pipeline.py", manager_id, {}, args.runs, latest_day),
        }
        print(
            f"{label}: {size:,} candidates ({in_opening:,} in the opening),"
            f" {scorecards:,} scorecards: "
            + ", ".join(f"{k} {v * 1000:.0f} ms" for k, v in results[label].items())
        )
    yardstick = rerun_time(None, None, {}, args.runs)
    print(f"yardstick page (one altair chart, one table): {yardstick * 1000:.0f} ms")
    for page in results["large"]:
        growth = results["large"][page] / results["small"][page]
        versus = results["large"][page] / yardstick
        print(
            f"ratio {page}: large / small {growth:.2f}x (target <= 1.5x),"
            f" large / yardstick {versus:.1f}x (target <= 10x)"
        )
    print(f"databases in {folder}")


if __name__ == "__main__":
    main()
