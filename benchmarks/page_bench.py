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

With --after-write (issue 25) it measures instead the Insights page as the coordinator (all
openings), the data scientist opening's hiring manager and the busiest interviewer (their own
calibration): the kept view (a rerun with no write), and the first view after a write, each
round on a copy of the database: a scorecard submitted for a new candidate of ANOTHER opening
(not the data scientist one), of the SAME opening (whose debrief has not opened: outside every
window), and a decision on a candidate in the window of the data scientist opening (which the
figures read: updated from what this process read before, that candidate read again). Each is a
rerun of the page, interleaved round by round.

usage: .venv/bin/python benchmarks/page_bench.py [--sizes 100,1000,10000] [--runs 5]
       [--keep DIR] [--one-opening] [--pages status,decisions] [--after-write]
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
from datetime import UTC, datetime, timedelta
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
    import sqlite3

    from scoring import insights
    from scoring.insights import kept, memo
    from scoring.people import get_person

    store = Store(Path(os.environ["DEBRIEF_DB"]))
    manager = get_person(store, world.manager_id)
    ids = [o.id for o in insights.insight_openings(store, manager)]
    times = []
    for _ in range(3):
        kept.forget()  # the first view after a change: nothing kept here or in the table
        memo.forget()  # nor the results the figures are made of (a fresh process)
        with sqlite3.connect(store.path) as conn:
            conn.execute("DELETE FROM kept_figures")
        started = time.perf_counter()
        insights.opening_insights(store, manager, ids)
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000


# ------------------------------------------------------------ the first view after a write


@dataclass(frozen=True)
class Writer:
    """What the writes of `--after-write` need: the data scientist opening, another one, an
    interviewer other than the busiest, and the latest debriefed, undecided-or-decided
    candidate of the data scientist opening (in its window)."""

    ds: int
    other: int
    interviewer: int
    windowed: int


def writer_of(store: Store, world: World) -> Writer:
    with store.read() as db:
        ds = db.execute(
            "SELECT id FROM openings WHERE hiring_manager_id = ? ORDER BY id LIMIT 1",
            [world.manager_id],
        ).fetchone()[0]
        other = db.execute("SELECT MIN(id) FROM openings WHERE id <> ?", [ds]).fetchone()[0]
        interviewer = db.execute(
            "SELECT id FROM people WHERE roles LIKE '%interviewer%' AND id NOT IN (?, ?)"
            " AND active ORDER BY id LIMIT 1",
            [world.busiest_id, world.manager_id],
        ).fetchone()[0]
        windowed = db.execute(
            "SELECT d.candidate_id FROM debriefs d JOIN candidates c ON c.id = d.candidate_id"
            " WHERE c.opening_id = ? ORDER BY d.opened_at DESC LIMIT 1",
            [ds],
        ).fetchone()[0]
    return Writer(ds, other, interviewer, windowed)


def write_scorecard(store: Store, world: World, writer: Writer, opening_id: int, n: int) -> None:
    """A new candidate of the opening, one session with the writer's interviewer, and their
    scorecard submitted: three service writes about a candidate outside every window."""
    from scoring import openings, scorecards
    from scoring.matrix import full_scores
    from scoring.people import get_person

    coordinator = get_person(store, world.coordinator_id)
    person = get_person(store, writer.interviewer)
    start = datetime.now(UTC).replace(microsecond=0) + timedelta(days=30 + n)
    candidate = openings.add_candidate(store, coordinator, opening_id, f"Bench {n}")
    session = openings.schedule_session(
        store, coordinator, candidate, 1, start, [person.id], now=start - timedelta(days=1)
    )
    with store.read() as db:
        seat = db.execute("SELECT id FROM assignments WHERE session_id = ?", [session]).fetchone()[
            0
        ]
    scorecards.submit(
        store,
        person,
        seat,
        overall=3,
        feedback="benchmark",
        criteria=full_scores(store, seat, 3),
        now=start + timedelta(hours=3),
    )


def write_in_window(store: Store, world: World, writer: Writer, n: int) -> None:
    """A write the figures read: a candidate in the window of the data scientist opening gets
    another decision from its hiring manager (a later decision supersedes)."""
    from scoring import debrief
    from scoring.people import get_person

    manager = get_person(store, world.manager_id)
    for outcome in ("hire", "no_hire"):
        try:
            debrief.record_decision(
                store, manager, writer.windowed, outcome, f"benchmark {n}", True
            )
            return
        except debrief.DecisionRefused:  # the strategy may allow only one outcome
            continue
    raise RuntimeError("no decision could be recorded")


AFTER_PAGES = {
    "coordinator": Page("insights, coordinator", "pages/insights.py", "coordinator"),
    "manager": Page("insights, hiring manager", "pages/insights.py", "manager"),
    "interviewer": Page("insights, interviewer's own", "pages/insights.py", "busiest"),
}
AFTER_KINDS = ("kept", "another opening", "same opening", "in the window")


def after_write(path: Path, world: World, runs: int) -> dict[tuple[str, str], float]:
    """Median CPU ms of this process over a rerun of each Insights page (the script thread's
    work, whatever else the machine runs): kept, and the first after each kind of write (on a
    copy of the database, so the kept one is never written to)."""
    import shutil
    import sqlite3

    copy = path.with_name(path.stem + "-after.sqlite")
    for leftover in path.parent.glob(copy.name + "*"):
        leftover.unlink()
    source, target = sqlite3.connect(path), sqlite3.connect(copy)
    source.backup(target)
    source.close(), target.close()
    key = path.with_name(path.name + ".audit-key")
    if key.exists():
        shutil.copy(key, copy.with_name(copy.name + ".audit-key"))
    os.environ["DEBRIEF_DB"] = str(copy)
    store = Store(copy)
    writer = writer_of(store, world)
    tests = {who: open_page(page, world) for who, page in AFTER_PAGES.items()}
    times: dict[tuple[str, str], list[float]] = {}
    n = 0
    for round_ in range(runs + 1):  # the first round warms up (imports, caches): not counted
        for at in tests.values():  # the last round's writes seen: every view kept again
            at.run()
        for kind in AFTER_KINDS:
            for who, at in tests.items():
                n += 1
                if kind == "another opening":
                    write_scorecard(store, world, writer, writer.other, n)
                elif kind == "same opening":
                    write_scorecard(store, world, writer, writer.ds, n)
                elif kind == "in the window":
                    write_in_window(store, world, writer, n)
                started = time.process_time()  # CPU: other processes' load does not count
                at.run()
                took = time.process_time() - started
                assert not at.exception, (who, kind, at.exception)
                if round_:
                    times.setdefault((who, kind), []).append(took)
    os.environ["DEBRIEF_DB"] = str(path)
    return {k: statistics.median(v) * 1000 for k, v in times.items()}


def print_after(results: dict[int, dict], cards: dict[int, int]) -> None:
    sizes = sorted(results)
    head = " | ".join(f"{cards[s]:,} cards" for s in sizes)
    print("\nInsights, CPU ms of a rerun (median): kept, and the first view after a write")
    print(f"| view | after | {head} | x kept |")
    print("|---|---|" + "---|" * len(sizes) + "---|")
    for who in AFTER_PAGES:
        for kind in AFTER_KINDS:
            cells = " | ".join(f"{results[s][who, kind]:.0f}" for s in sizes)
            ratio = " / ".join(
                f"{results[s][who, kind] / results[s][who, 'kept']:.1f}x" for s in sizes
            )
            print(f"| {AFTER_PAGES[who].name} | {kind} | {cells} | {ratio} |")


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
    parser.add_argument(
        "--after-write",
        action="store_true",
        help="Insights: the kept view and the first view after each kind of write",
    )
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
        if args.after_write:
            print(f"{size:,} candidates, {world.scorecards:,} scorecards", flush=True)
            results[size] = after_write(path, world, args.runs)
            print("  " + ", ".join(f"{w} {k} {ms:.0f} ms" for (w, k), ms in results[size].items()))
            continue
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

    if args.after_write:
        print_after(results, cards)
        return
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
