"""Benchmark: does every page cost what today's work costs, not what all of history costs?
(Not a timed test: it prints figures.)

Builds, with the demo generator's patterns, databases of 100, 1,000 and 10,000 candidates (about
620, 6,000 and 60,000 scorecards) with the same number of candidates per interview day (the
larger ones simply have more history behind them), then measures, for each page, the script time
of a full AppTest rerun (median) and the SQL statements it runs:

- the debrief page of one decided candidate (panel, engine under every strategy, three charts);
- the opening's pipeline (first page) and its day view (the latest interview day);
- My interviews of the busiest interviewer;
- Status, Candidates, Interview day and People as the coordinator sees them;
- Decisions as the hiring manager of the data scientist opening sees it.

Fairness: every page's reruns are interleaved, round by round, with the yardstick (one altair
chart and one table from a ready frame) and the floor (a bare one-`st.write` page), all in this
one process, so a slow moment of the machine weighs on all of them alike. AppTest leaves out the
full garbage collection a live server runs after every rerun (`runner.postScriptGC`); when that
option is on, each timed rerun includes it here.

Targets: each page at the largest size at most 1.5x the same page at the smallest, and the same
number of SQL statements per rerun at every size.

With --one-opening every candidate is in the data scientist opening; otherwise they take turns
over the demo's three openings. --keep DIR keeps the databases (and reuses them next time).

usage: .venv/bin/python benchmarks/page_bench.py [--sizes 100,1000,10000] [--runs 5]
       [--keep DIR] [--one-opening] [--pages status,decisions]
"""

from __future__ import annotations

import argparse
import gc
import json
import logging
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from store_bench import build, six_session_catalog  # noqa: E402
from streamlit import config  # noqa: E402
from streamlit.testing.v1 import AppTest  # noqa: E402

from scoring.rubric import load_catalog  # noqa: E402
from scoring.store import Store, count_statements  # noqa: E402

PER_DAY = 10_000 / 365  # candidates a day, in every database
FLOOR = "import streamlit as st\nst.write('floor')\n"


def latest_day(at: AppTest) -> None:
    """The pipeline's interview-day filter set to the latest day with interviews."""
    (day,) = [s for s in at.selectbox if s.label == "Interview day"]
    day.select_index(1)


@dataclass(frozen=True)
class Page:
    """One page to measure: its file, who opens it and with what."""

    name: str
    file: str | None  # None: the yardstick or the floor
    who: str  # manager, coordinator, busiest (interviewer) or "" (no one)
    query: tuple[tuple[str, str], ...] = ()
    choose: Callable[[AppTest], None] | None = None


@dataclass(frozen=True)
class World:
    """The people and candidate a database's pages are opened with."""

    manager_id: int
    coordinator_id: int
    busiest_id: int
    candidate_id: int
    scorecards: int


def open_page(page: Page, world: World) -> AppTest:
    """An AppTest on the page, reached through app.py as its person, warmed (imports, caches)."""
    if page.file is None:
        if page.name == "floor":
            at = AppTest.from_string(FLOOR, default_timeout=120)
        else:
            at = AppTest.from_file(str(ROOT / "benchmarks" / "baseline_page.py"))
            at.default_timeout = 120
    else:
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
        at.session_state["person_id"] = {
            "manager": world.manager_id,
            "coordinator": world.coordinator_id,
            "busiest": world.busiest_id,
        }[page.who]
        at.run()
        for key, value in page.query:
            at.query_params[key] = value if value != "{candidate}" else str(world.candidate_id)
        at.switch_page(page.file)
    at.run()
    if page.choose is not None:
        page.choose(at)
        at.run()
    assert not at.exception, (page.name, at.exception)
    return at


def rerun(at: AppTest) -> tuple[float, float]:
    """Seconds of one rerun, and of the full collection a live server runs after it (when on)."""
    started = time.perf_counter()
    at.run()
    ran = time.perf_counter()
    if config.get_option("runner.postScriptGC"):
        gc.collect(2)
    return ran - started, time.perf_counter() - ran


def statements(at: AppTest) -> tuple[int, int]:
    """SQL statements and connections of one rerun."""
    with count_statements() as seen:
        at.run()
    return len(seen), seen.connections


def world_of(store: Store, team, decided: list[int]) -> World:
    """The pages' people: the data scientist opening's hiring manager, the coordinator, the
    interviewer with the most interviews; and its latest decided candidate with one interviewer
    per session (the same shape at every size)."""
    opening = team.openings["ds"]
    with store.read() as db:
        scorecards = db.execute("SELECT COUNT(*) FROM scorecards").fetchone()[0]
        busiest = db.execute(
            "SELECT interviewer_id FROM assignments GROUP BY interviewer_id"
            " ORDER BY COUNT(*) DESC LIMIT 1"
        ).fetchone()[0]
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
    return World(
        manager_id=opening.hiring_manager_id,
        coordinator_id=team.coordinator.id,
        busiest_id=busiest,
        candidate_id=candidate_id,
        scorecards=scorecards,
    )


def cold_insights(world: World) -> float:
    """Median ms of the Insights figures for all the hiring manager's openings worked out afresh
    (the page keeps them until the history changes: this is the first view after a change). The
    hiring manager, not the coordinator: only they get the figures from scores."""
    from scoring import insights, uncertainty
    from scoring.people import get_person

    store = Store(Path(os.environ["DEBRIEF_DB"]))
    manager = get_person(store, world.manager_id)
    ids = [o.id for o in insights.insight_openings(store, manager)]
    times = []
    for _ in range(3):
        uncertainty._KEPT.clear()  # the first view after a change: nothing kept
        started = time.perf_counter()
        insights.opening_insights(store, manager, ids)
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000


def section(name: str) -> Callable[[AppTest], None]:
    """The Insights page's section `name` chosen."""

    def choose(at: AppTest) -> None:
        at.button_group(key="section").set_value(name)

    return choose


PAGES = [
    Page("floor", None, ""),
    Page("yardstick", None, ""),
    Page("debrief", "pages/debrief.py", "manager", (("candidate", "{candidate}"),)),
    Page("pipeline", "pages/pipeline.py", "manager"),
    Page("day view", "pages/pipeline.py", "manager", choose=latest_day),
    Page("my interviews", "pages/my_interviews.py", "busiest"),
    Page("status", "pages/status.py", "coordinator"),
    Page("decisions", "pages/decisions.py", "manager"),
    Page("candidates", "pages/candidates.py", "coordinator"),
    Page("interview day", "pages/interview_day.py", "coordinator"),
    Page("people", "pages/people.py", "coordinator"),
    # as the hiring manager: the coordinator gets no figure from scores
    Page("insights", "pages/insights.py", "manager"),
    Page("insights decisions", "pages/insights.py", "manager", choose=section("decisions")),
    Page("insights thresholds", "pages/insights.py", "manager", choose=section("thresholds")),
    Page("insights after hire", "pages/insights.py", "manager", choose=section("hires")),
]


Figures = tuple[float, float, int, int]  # ms of the script, ms of the collection, SQL, connections


def measure(pages: list[Page], world: World, runs: int) -> dict[str, Figures]:
    """Median ms of the script and of the collection after it, statements and connections per
    rerun of each page, the pages' reruns interleaved round by round."""
    tests = {p.name: open_page(p, world) for p in pages}
    counted = {name: statements(at) for name, at in tests.items()}
    times: dict[str, list[tuple[float, float]]] = {name: [] for name in tests}
    for _ in range(runs):
        for name, at in tests.items():
            times[name].append(rerun(at))
    for name, at in tests.items():
        assert not at.exception, (name, at.exception)
    return {
        name: (
            statistics.median(r for r, _ in t) * 1000,
            statistics.median(g for _, g in t) * 1000,
            *counted[name],
        )
        for name, t in times.items()
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100,1000,10000", help="candidates, comma-separated")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--keep", type=Path, help="keep (and reuse) the databases here")
    parser.add_argument("--one-opening", action="store_true", help="all in the ds opening")
    parser.add_argument("--pages", help="only these pages, comma-separated (floor, yardstick too)")
    args = parser.parse_args()
    os.chdir(ROOT)
    # AppTest run outside a script thread warns on every rerun; nothing to act on here
    logging.getLogger("streamlit.runtime.scriptrunner_utils.script_run_context").addFilter(
        lambda record: "missing ScriptRunContext" not in record.getMessage()
    )
    sizes = [int(s) for s in args.sizes.split(",")]
    wanted = set(args.pages.split(",")) if args.pages else None
    pages = [p for p in PAGES if wanted is None or p.name in wanted or p.file is None]
    catalog = six_session_catalog(load_catalog(ROOT / "rubrics"))
    folder = args.keep or Path(tempfile.mkdtemp(prefix="debrief-pages-"))
    folder.mkdir(parents=True, exist_ok=True)
    print(f"runner.postScriptGC = {config.get_option('runner.postScriptGC')} (counted when on)")

    results: dict[int, dict[str, Figures]] = {}
    cards: dict[int, int] = {}
    for size in sizes:
        shape = "one" if args.one_opening else "three"
        path = folder / f"pages-{size}-{shape}.sqlite"
        saved = path.with_suffix(".world.json")
        built = time.perf_counter()
        if args.keep is None or not saved.exists():
            for leftover in folder.glob(f"{path.name}*"):
                leftover.unlink()
            store, team, decided = build(
                path,
                size,
                catalog,
                days=size / PER_DAY,
                openings=("ds",) if args.one_opening else None,
            )
            world = world_of(store, team, decided)
            saved.write_text(json.dumps(asdict(world)))
        else:  # kept from an earlier run with the same size and shape
            world = World(**json.loads(saved.read_text()))
        os.environ["DEBRIEF_DB"] = str(path)
        cards[size] = world.scorecards
        print(
            f"{size:,} candidates, {world.scorecards:,} scorecards"
            f" (ready in {time.perf_counter() - built:.0f} s)",
            flush=True,
        )
        results[size] = measure(pages, world, args.runs)
        if any(p.name.startswith("insights") for p in pages):
            print(f"  insights, figures worked out afresh: {cold_insights(world):.0f} ms")
        print(
            "  "
            + ", ".join(
                f"{k} {ms:.0f}+{gc_ms:.0f} ms/{n} sql"
                for k, (ms, gc_ms, n, _) in results[size].items()
            ),
            flush=True,
        )

    head = " | ".join(f"{cards[s]:,} cards" for s in sizes)
    print("\nms: the script's rerun + the full collection after it (median)")
    print(
        f"| page | {head} | SQL statements (connections) | largest / smallest"
        " | script only: largest / smallest |"
    )
    print("|---|" + "---|" * len(sizes) + "---|---|---|")
    for page in pages:
        row = [results[s][page.name] for s in sizes]
        growth = (row[-1][0] + row[-1][1]) / (row[0][0] + row[0][1])
        sql = " / ".join(f"{n} ({c})" for _, _, n, c in row)
        cells = " | ".join(f"{ms:.0f} + {gc_ms:.0f} ms" for ms, gc_ms, _, _ in row)
        script = row[-1][0] / row[0][0]
        print(f"| {page.name} | {cells} | {sql} | {growth:.2f}x | {script:.2f}x |")
    print(f"\ndatabases in {folder}")


if __name__ == "__main__":
    main()
