"""Long-run memory and per-rerun CPU of the real server: a few sessions signed in on their
scorecards, changing a point again and again (each change is a rerun and a saved draft).

usage: .venv/bin/python benchmarks/soak.py [--sessions 5] [--reruns 400]
           [--server-arg=--runner.postScriptGC=false ...] [--env MALLOC_ARENA_MAX=2 ...]

Prints the server's resident memory every tenth of the run, its CPU seconds per rerun, and the
growth over the second half (after warm-up), which should be near zero with whatever
garbage-collection setting the server runs.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from pathlib import Path

from load_bench import (
    CHROMIUM,
    CHROMIUM_ARGS,
    build_world,
    load,
    open_scorecard,
    settle,
    sign_in,
    streamlit_server,
)
from playwright.async_api import async_playwright


async def soak(server, interviewers, reruns: int) -> list[tuple[int, float, float]]:
    """(reruns so far, server RSS in MB, server CPU seconds) samples."""
    samples = [(0, server.memory_mb(), server.cpu_seconds())]
    done = 0
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        pages = []
        for who in interviewers:
            page = await (await browser.new_context()).new_page()
            page.set_default_timeout(60_000)
            await load(page, server.url)
            await sign_in(page, who)
            await open_scorecard(page)
            pages.append(page)
        samples = [(0, server.memory_mb(), server.cpu_seconds())]
        step = max(1, reruns // 10)

        async def change(page, round_: int) -> None:
            radio = page.get_by_test_id("stRadio").first
            await radio.locator("[role=radiogroup] label").nth(round_ % 2).click()
            await settle(page)

        round_ = 0
        while done < reruns:
            await asyncio.gather(*(change(page, round_) for page in pages))
            round_ += 1
            done += len(pages)
            if done // step != (done - len(pages)) // step:
                samples.append((done, server.memory_mb(), server.cpu_seconds()))
        await browser.close()
    return samples


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sessions", type=int, default=5)
    parser.add_argument("--reruns", type=int, default=400)
    parser.add_argument("--server-arg", action="append", default=[], help="to streamlit run")
    parser.add_argument("--env", action="append", default=[], help="KEY=VALUE for the server")
    options = parser.parse_args(argv)
    env = dict(item.split("=", 1) for item in options.env)
    args = [a for arg in options.server_arg for a in arg.split("=", 1)]
    root = Path(__file__).resolve().parent.parent
    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "soak.sqlite"
        interviewers, _ = build_world(db, options.sessions)
        with streamlit_server(root / "server.py", db, env, args) as server:
            started = time.monotonic()
            samples = asyncio.run(soak(server, interviewers, options.reruns))
            wall = time.monotonic() - started
    print(f"{options.sessions} sessions, {samples[-1][0]} reruns in {wall:.0f} s {args} {env}")
    for reruns, rss, cpu in samples:
        print(f"  after {reruns:>5} reruns: RSS {rss:6.1f} MB, CPU {cpu - samples[0][2]:6.1f} s")
    (n0, rss0, cpu0), (n1, rss1, cpu1) = samples[0], samples[-1]
    half = samples[len(samples) // 2]
    print(
        f"CPU {1000 * (cpu1 - cpu0) / (n1 - n0):.1f} ms a rerun;"
        f" RSS growth {rss1 - rss0:+.1f} MB over the run,"
        f" {100 * (rss1 - half[1]) / max(1, n1 - half[0]):+.2f} MB per 100 reruns"
        " over the second half"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
