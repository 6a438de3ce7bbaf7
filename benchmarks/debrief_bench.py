"""Benchmark: the debrief page's rerun against the yardstick, in CPU (issue 25: at most 4x).
(Not a timed test: it prints figures.)

`page_bench.py --pages debrief` gives the wall time of an AppTest rerun. On a shared machine
the wall clock also counts the time other processes hold the cores, so this measures the CPU of
the thread that runs the script (what a server spends on the click), beside the wall time, the
SQL statements and the connections of a rerun, for:

- the yardstick (one altair chart and one table from a ready frame; benchmarks/baseline_page.py);
- the debrief of page_bench's candidate (decided, one interviewer per session: 7 charts);
- with --pair, also the debrief of a candidate with a pair in one session (its "where
  interviewers differ" chart drawn too), as its opening's hiring manager.

Every page's reruns are interleaved round by round, in one process, so a slow moment weighs on
all of them alike; the figures are medians.

AppTest compiles the page's source again on every rerun (a new `ScriptCache` each run, with
Streamlit's "magic" rewriting the whole syntax tree first); a server compiles it once and keeps
the bytecode. The debrief's source is much longer than the yardstick's, so that compile is a
large share of its AppTest rerun and none of a server's. The figures are given both ways:
"as AppTest runs it", and "compiled once" (one `ScriptCache` kept across reruns, as a server
keeps it).

usage: .venv/bin/python benchmarks/debrief_bench.py [--size 100] [--runs 15] [--keep DIR] [--pair]
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import statistics
import sys
import tempfile
import time
from contextlib import contextmanager, nullcontext
from dataclasses import asdict, replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import page_bench  # noqa: E402
from streamlit.runtime.scriptrunner import script_cache  # noqa: E402
from streamlit.testing.v1 import app_test, local_script_runner  # noqa: E402

from scoring.rubric import load_catalog  # noqa: E402
from scoring.store import Store  # noqa: E402

_script_cpu: list[float] = []  # the CPU seconds of the last script thread, appended as it ends
_run_script_thread = local_script_runner.LocalScriptRunner._run_script_thread


def _timed_script_thread(runner) -> None:
    started = time.thread_time()
    try:
        _run_script_thread(runner)
    finally:
        _script_cpu.append(time.thread_time() - started)


local_script_runner.LocalScriptRunner._run_script_thread = _timed_script_thread


_KEPT = (
    script_cache.ScriptCache()
)  # the bytecode of every page, compiled once, as a server keeps it


@contextmanager
def compiled_once():
    """AppTest with one script cache kept across its runs, as a server keeps the bytecode."""
    made = app_test.ScriptCache, local_script_runner.ScriptCache
    app_test.ScriptCache = local_script_runner.ScriptCache = lambda: _KEPT
    try:
        yield
    finally:
        app_test.ScriptCache, local_script_runner.ScriptCache = made


def pair_candidate(store: Store, world: page_bench.World) -> tuple[int, int] | None:
    """The latest debriefed candidate with two interviewers on one session, and their opening's
    hiring manager (None when the database has none)."""
    with store.read() as db:
        row = db.execute(
            """SELECT c.id, o.hiring_manager_id FROM candidates c
               JOIN openings o ON o.id = c.opening_id
               JOIN debriefs d ON d.candidate_id = c.id
               JOIN interview_sessions i ON i.candidate_id = c.id
               JOIN assignments a ON a.session_id = i.id AND a.recused_at IS NULL
               GROUP BY c.id HAVING COUNT(*) > COUNT(DISTINCT i.id)
               ORDER BY c.id DESC LIMIT 1"""
        ).fetchone()
    return None if row is None else (row[0], row[1])


HOW = ("as AppTest runs it", "compiled once")


def measure(worlds: dict[str, page_bench.World], runs: int) -> dict[tuple[str, str], tuple]:
    """Median script CPU ms, median wall ms, statements and connections per rerun of each page,
    each way (`HOW`), every page and way interleaved round by round."""
    pages = {"yardstick": page_bench.Page("yardstick", None, "")}
    for name in worlds:
        query = (("candidate", "{candidate}"),)
        pages[name] = page_bench.Page(name, "pages/debrief.py", "manager", query)
    tests = {
        (name, how): page_bench.open_page(page, worlds.get(name, worlds["debrief"]))
        for how in HOW
        for name, page in pages.items()
    }
    counted = {key: page_bench.statements(at) for key, at in tests.items()}
    cpu: dict[tuple, list[float]] = {key: [] for key in tests}
    wall: dict[tuple, list[float]] = {key: [] for key in tests}
    for _ in range(runs):
        for (name, how), at in tests.items():
            with compiled_once() if how == HOW[1] else nullcontext():
                started = time.perf_counter()
                at.run()
                wall[name, how].append(time.perf_counter() - started)
            cpu[name, how].append(_script_cpu[-1])
    for key, at in tests.items():
        assert not at.exception, (key, at.exception)
    return {
        key: (
            statistics.median(cpu[key]) * 1000,
            statistics.median(wall[key]) * 1000,
            *counted[key],
        )
        for key in tests
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=100, help="candidates (page_bench's world)")
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--keep", type=Path, help="keep (and reuse) the database here")
    parser.add_argument("--pair", action="store_true", help="also a debrief with a pair")
    args = parser.parse_args()
    os.chdir(ROOT)
    logging.getLogger("streamlit.runtime.scriptrunner_utils.script_run_context").addFilter(
        lambda record: "missing ScriptRunContext" not in record.getMessage()
    )
    folder = args.keep or Path(tempfile.mkdtemp(prefix="debrief-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"pages-{args.size}-three.sqlite"  # the same file page_bench --keep makes
    saved = path.with_suffix(".world.json")
    if args.keep is None or not saved.exists():
        for leftover in folder.glob(f"{path.name}*"):
            leftover.unlink()
        catalog = page_bench.six_session_catalog(load_catalog(ROOT / "rubrics"))
        store, team, decided = page_bench.build(
            path, args.size, catalog, days=args.size / page_bench.PER_DAY
        )
        world = page_bench.world_of(store, team, decided)
        saved.write_text(json.dumps(asdict(world)))
    else:
        world = page_bench.World(**json.loads(saved.read_text()))
    os.environ["DEBRIEF_DB"] = str(path)
    worlds = {"debrief": world}
    if args.pair:
        found = pair_candidate(Store(path), world)
        if found is None:
            print("no debrief with a pair in this database")
        else:
            worlds["debrief, a pair"] = replace(world, candidate_id=found[0], manager_id=found[1])
    print(
        f"{args.size:,} candidates, {world.scorecards:,} scorecards; {args.runs} rounds", flush=True
    )
    print(
        "\n| page | how | script CPU ms | x yardstick | wall ms | x yardstick"
        " | SQL statements (connections) |"
    )
    print("|---|---|---|---|---|---|---|")
    figures = measure(worlds, args.runs)
    for how in HOW:
        cpu0, wall0 = figures["yardstick", how][:2]
        for (name, way), (cpu, wall, sql, connections) in figures.items():
            if way == how:
                print(
                    f"| {name} | {how} | {cpu:.1f} | {cpu / cpu0:.2f}x | {wall:.1f}"
                    f" | {wall / wall0:.2f}x | {sql} ({connections}) |"
                )
    print(f"\ndatabase in {folder}")


if __name__ == "__main__":
    main()
