"""The 9 a.m. rush: N interviewers sign in, open their scorecard and submit it, all at once,
against one real `streamlit run server.py` with its own SQLite file; and the same N sessions on a
bare one-form Streamlit page (benchmarks/floor_app.py), the floor.

usage: .venv/bin/python benchmarks/load_bench.py [--sessions 10 30] [--only app|floor]
           [--server-arg=--runner.postScriptGC=false ...] [--env MALLOC_ARENA_MAX=2 ...]
           [--spy FOLDER]  (py-spy on the PATH: where the app's server spends its CPU)

Every session runs in its own Chromium context (its own cookies) of one headless Chromium,
driven by Playwright's asyncio API. The steps, timed per session from the first keystroke to the
page having settled:
  load     open the address, the sign-in form drawn (all sessions at once)
  sign_in  type email and code, press Sign in, until signed in          } started together once
  open     follow the "Score" link until the scorecard form is drawn    } every session has
  submit   choose every point, write feedback, submit, confirm, "final" } loaded
Printed per step: p50 and p95 over the sessions; for the server process, CPU seconds over the
whole run (user + system, from /proc), its resident memory after warming up (one session
loaded the first page), its peak and its memory after the run, and the growth per session.
Afterwards every assignment must hold exactly one submitted scorecard: a lost or doubled
submission exits with status 1, as does a session that failed a step.

The targets (issue 15): with 30 sessions each step's p95 at most 3x the floor's, and server
memory growth under 6 MB a session.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "e2e"))

from harness import CHROMIUM, CHROMIUM_ARGS, running_streamlit  # noqa: E402
from playwright.async_api import Page, async_playwright  # noqa: E402
from playwright.async_api import TimeoutError as PlaywrightTimeout  # noqa: E402

from scoring import openings, people, scorecards  # noqa: E402
from scoring.clashes import unchecked  # noqa: E402
from scoring.rubric import load_catalog  # noqa: E402
from scoring.store import Store, now_utc  # noqa: E402

STEPS = ("load", "sign_in", "open", "submit")
STEP_TIMEOUT_MS = 180_000
TICKS = os.sysconf("SC_CLK_TCK")
RETRIES: list[str] = []  # clicks that had to be repeated, reported with the run


# ---------------------------------------------------------------------------------- the world


@dataclass
class Interviewer:
    email: str
    code: str
    assignment_id: int


def build_world(path: Path, count: int) -> tuple[list[Interviewer], int]:
    """`count` interviewers, each with one access code and one interview that is over (ready to
    score), spread four to a candidate; returns them and the rubric's criterion count."""
    catalog = load_catalog(ROOT / "rubrics")
    store = Store(path)
    cora, _ = people.create_first_coordinator(store, "Cora Ordinator", "cora@example.com")
    maria = people.add_person(store, cora, "Maria Manager", "maria@example.com", ["hiring_manager"])
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
    started = now_utc() - timedelta(hours=4)  # every session over: each shows "Score"
    interviewers = []
    candidate = criteria = 0
    for n in range(count):
        person = people.add_person(
            store, cora, f"Interviewer {n}", f"i{n}@example.com", ["interviewer"]
        )
        if n % 4 == 0:
            candidate = openings.add_candidate(store, cora, opening.id, f"Candidate {n // 4}")
        with unchecked():  # a load fixture: every session of a candidate at once
            session = openings.schedule_session(
                store, cora, candidate, n % 4 + 1, started + timedelta(minutes=n % 4), [person.id]
            )
        with store.read() as db:
            (assignment_id,) = db.execute(
                "SELECT id FROM assignments WHERE session_id = ? AND interviewer_id = ?",
                [session, person.id],
            ).fetchone()
        code = people.issue_code(store, cora, person.id)
        interviewers.append(Interviewer(person.email, code, assignment_id))
        if n == 0:
            criteria = len(scorecards.sheet(store, person, assignment_id).rubric.criteria)
    return interviewers, criteria


def submissions(path: Path) -> dict[int, int]:
    """Submitted scorecards per assignment."""
    store = Store(path)
    with store.read() as db:
        rows = db.execute(
            "SELECT assignment_id, COUNT(*) FROM scorecards GROUP BY assignment_id"
        ).fetchall()
    return {row[0]: row[1] for row in rows}


# ---------------------------------------------------------------------------------- the server


@dataclass
class Server:
    url: str
    process: subprocess.Popen

    def cpu_seconds(self) -> float:
        fields = Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / TICKS  # utime + stime

    def memory_mb(self, key: str = "VmRSS") -> float:
        for line in Path(f"/proc/{self.process.pid}/status").read_text().splitlines():
            if line.startswith(key + ":"):
                return int(line.split()[1]) / 1024
        raise KeyError(key)


def browser_cpu_seconds(server_pid: int) -> float:
    """CPU seconds of this benchmark's other child processes (Chromium and Playwright's driver):
    on a small machine the browsers share the cores with the server."""
    parents, cpu = {}, {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        pid = int(stat.parent.name)
        parents[pid] = int(fields[1])
        cpu[pid] = (int(fields[11]) + int(fields[12])) / TICKS
    mine = {os.getpid()}
    for _ in range(10):  # a few generations deep
        mine |= {pid for pid, parent in parents.items() if parent in mine and pid != server_pid}
    return sum(cpu[pid] for pid in mine - {os.getpid()})


@contextmanager
def streamlit_server(script: Path, db: Path, env: dict[str, str], args: list[str]):
    """`streamlit run SCRIPT` on a free port with its own database; yields once it answers."""
    with running_streamlit(script, db, env=env, args=tuple(args)) as (url, process):
        yield Server(url, process)


# ---------------------------------------------------------------------------------- a session


async def settle(page: Page) -> None:
    """Until the app has finished running its script (see tests/e2e/harness.py)."""
    await page.wait_for_timeout(100)  # a click's rerun may not have started yet
    await page.wait_for_selector(
        "[data-testid=stApp][data-test-script-state=notRunning]", timeout=STEP_TIMEOUT_MS
    )
    await page.wait_for_function(
        "!document.querySelector('[data-testid=stSkeleton]')", timeout=STEP_TIMEOUT_MS
    )


async def load(page: Page, url: str) -> None:
    await page.goto(url, timeout=STEP_TIMEOUT_MS)
    await page.get_by_role("textbox", name="Access code").wait_for()
    await settle(page)


async def sign_in(page: Page, who: Interviewer) -> None:
    form = page.get_by_test_id("stForm")
    await form.get_by_role("textbox", name="Email").fill(who.email)
    await form.get_by_role("textbox", name="Access code").fill(who.code)
    await form.get_by_role("button", name="Sign in").click()
    await (
        page.get_by_role("link", name="Score", exact=True)
        .or_(page.get_by_role("button", name="Score", exact=True))
        .first.wait_for()
    )
    await settle(page)


async def open_scorecard(page: Page) -> None:
    await (
        page.get_by_role("link", name="Score", exact=True)
        .or_(page.get_by_role("button", name="Score", exact=True))
        .first.click()
    )
    await page.get_by_role("button", name="Submit scorecard…").wait_for()
    await settle(page)


async def submit(page: Page) -> None:
    """As a person would: each choice drawn before the next (each is a rerun, and on the app a
    saved draft), the feedback committed, then submit and confirm."""
    radios = page.get_by_test_id("stRadio")
    count = await radios.count()
    for index in range(count - 1):  # the last one is the overall recommendation
        await radios.nth(index).locator("[role=radiogroup] label").first.click()
        await settle(page)
    await radios.last.get_by_text("4 · Yes", exact=True).click()
    await settle(page)
    feedback = page.get_by_role("textbox", name="Written feedback (required)")
    await feedback.fill("Clear thinking.")
    await feedback.press("Tab")  # committed, as when one moves on
    await settle(page)
    confirm = page.get_by_role("button", name="Submit: it is final")
    for attempt in range(3):  # a click that lands while a rerun redraws can be lost: click again
        await page.get_by_role("button", name="Submit scorecard…").click()
        try:
            await confirm.wait_for(timeout=30_000 if attempt < 2 else STEP_TIMEOUT_MS)
            break
        except PlaywrightTimeout:
            RETRIES.append("submit")
    await confirm.click()
    await page.get_by_text("This scorecard is final").wait_for()
    await settle(page)


@dataclass
class Run:
    times: dict[str, list[float]] = field(default_factory=lambda: {s: [] for s in STEPS})
    failures: list[str] = field(default_factory=list)
    cpu: float = 0.0
    rss_idle: float = 0.0
    rss_after: float = 0.0
    rss_peak: float = 0.0
    wall: float = 0.0
    retries: int = 0
    browser_cpu: float = 0.0


async def drive(url: str, interviewers: list[Interviewer], server_pid: int) -> Run:
    """Every interviewer in a browser context of their own: all load, then all go at once."""
    run = Run()
    RETRIES.clear()
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        contexts = [
            await browser.new_context(viewport={"width": 1280, "height": 900}) for _ in interviewers
        ]
        pages = [await context.new_page() for context in contexts]
        for page in pages:
            page.set_default_timeout(STEP_TIMEOUT_MS)

        async def timed(step: str, name: str, page: Page, action) -> bool:
            started = time.monotonic()
            try:
                await action
            except Exception as exc:  # a failed step is counted, the others go on
                shown = await page.locator("[data-testid=stApp]").inner_text(timeout=5_000)
                run.failures.append(
                    f"{name} {step}: {type(exc).__name__}: {str(exc).splitlines()[0][:160]}"
                    f"\n    the page showed: {' '.join(shown.split())[-600:]}"
                )
                return False
            run.times[step].append(time.monotonic() - started)
            return True

        loaded = await asyncio.gather(
            *(
                timed("load", who.email, page, load(page, url))
                for page, who in zip(pages, interviewers, strict=True)
            )
        )

        async def rush(page: Page, who: Interviewer) -> None:
            if not await timed("sign_in", who.email, page, sign_in(page, who)):
                return
            if await timed("open", who.email, page, open_scorecard(page)):
                await timed("submit", who.email, page, submit(page))

        await asyncio.gather(
            *(
                rush(page, who)
                for page, who, ok in zip(pages, interviewers, loaded, strict=True)
                if ok
            )
        )
        run.browser_cpu = browser_cpu_seconds(server_pid)
        await browser.close()
    run.retries = len(RETRIES)
    return run


async def warm_up(url: str) -> None:
    """One session loads the first page, so that the server's first-run imports are not
    counted as the burst's."""
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = await browser.new_page()
        await load(page, url)
        await browser.close()


def measure(script: Path, db: Path, interviewers, env, args, spy: Path | None = None) -> Run:
    with streamlit_server(script, db, env, args) as server:
        asyncio.run(warm_up(server.url))
        time.sleep(1)
        idle, cpu_before = server.memory_mb(), server.cpu_seconds()
        sampler = spy and subprocess.Popen(
            [
                *("py-spy", "record", "--pid", str(server.process.pid), "--nonblocking"),
                *("--rate", "100", "--format", "raw", "--output", str(spy)),
            ],
            stdout=subprocess.DEVNULL,
        )
        started = time.monotonic()
        run = asyncio.run(drive(server.url, interviewers, server.process.pid))
        run.wall = time.monotonic() - started
        if sampler:
            sampler.send_signal(signal.SIGINT)
            sampler.wait(timeout=30)
        time.sleep(1)  # the last rerun's clean-up
        run.cpu = server.cpu_seconds() - cpu_before
        run.rss_idle, run.rss_after = idle, server.memory_mb()
        run.rss_peak = server.memory_mb("VmHWM")
    return run


# ---------------------------------------------------------------------------------- reporting


def p(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[round(q * 100) - 1]


def report(count: int, runs: dict[str, Run]) -> None:
    print(f"\n{count} sessions at once")
    names = list(runs)
    header = "step      " + "".join(f"{name + ' p50':>12}{name + ' p95':>12}" for name in names)
    if {"app", "floor"} <= set(names):
        header += f"{'p95 ratio':>11}"
    print(header)
    for step in STEPS:
        line = f"{step:<10}"
        for name in names:
            times = runs[name].times[step]
            line += f"{p(times, 0.5):>11.2f}s{p(times, 0.95):>11.2f}s"
        if {"app", "floor"} <= set(names):
            line += (
                f"{p(runs['app'].times[step], 0.95) / p(runs['floor'].times[step], 0.95):>10.1f}x"
            )
        print(line)
    for name, run in runs.items():
        growth = run.rss_after - run.rss_idle
        print(
            f"{name}: server CPU {run.cpu:.1f} s over {run.wall:.1f} s"
            f" (browsers {run.browser_cpu:.0f} s);"
            f" RSS idle {run.rss_idle:.0f} MB, after {run.rss_after:.0f} MB,"
            f" peak {run.rss_peak:.0f} MB; growth {growth / count:.1f} MB a session"
            + (f"; {run.retries} click(s) repeated" if run.retries else "")
        )
        for failure in run.failures:
            print(f"  FAILED {failure}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sessions", type=int, nargs="+", default=[10, 30])
    parser.add_argument("--only", choices=["app", "floor"])
    parser.add_argument("--server-arg", action="append", default=[], help="to streamlit run")
    parser.add_argument("--env", action="append", default=[], help="KEY=VALUE for the server")
    parser.add_argument("--keep", type=Path, help="keep the databases and logs in this folder")
    parser.add_argument(
        "--spy", type=Path, help="sample the app's server with py-spy into this folder"
    )
    options = parser.parse_args(argv)
    env = dict(item.split("=", 1) for item in options.env)
    args = [a for arg in options.server_arg for a in arg.split("=", 1)]
    if not Path(CHROMIUM).exists():
        raise SystemExit(f"{CHROMIUM} is missing")
    status = 0
    with tempfile.TemporaryDirectory() as scratch:
        folder = options.keep or Path(scratch)
        folder.mkdir(parents=True, exist_ok=True)
        for count in options.sessions:
            runs: dict[str, Run] = {}
            db = folder / f"rush-{count}.sqlite"
            for leftover in folder.glob(f"rush-{count}.*"):
                leftover.unlink()
            interviewers, criteria = build_world(db, count)
            if options.only != "app":
                floor_env = {**env, "FLOOR_CRITERIA": str(criteria)}
                floor_db = folder / f"floor-{count}.sqlite"
                script = ROOT / "benchmarks" / "floor_app.py"
                runs["floor"] = measure(script, floor_db, interviewers, floor_env, args)
            if options.only != "floor":
                spy = options.spy and options.spy / f"app-{count}.txt"
                if spy:
                    spy.parent.mkdir(parents=True, exist_ok=True)
                runs["app"] = measure(ROOT / "server.py", db, interviewers, env, args, spy)
                landed = submissions(db)
                wrong = {
                    who.email: landed.get(who.assignment_id, 0)
                    for who in interviewers
                    if landed.get(who.assignment_id, 0) != 1
                }
                print(
                    f"\nsubmissions: {sum(landed.values())} scorecards for {count} assignments;"
                    + (f" NOT exactly once: {wrong}" if wrong else " every one landed exactly once")
                )
                status |= bool(wrong)
            report(count, runs)
            status |= any(run.failures for run in runs.values())
    return status


if __name__ == "__main__":
    sys.exit(main())
