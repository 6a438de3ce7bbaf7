"""Screenshots of every screen at laptop size, on a fresh demo database.

usage: .venv/bin/python scripts/screenshots.py [OUT_DIR] [--width 1280 --height 800]
Writes PNG files (default: screenshots/, ignored by git) and prints their paths. Open them and
judge them as the coordinator, the interviewer at 6 pm and the hiring manager in the meeting would.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "e2e"))

from harness import ROOT, launch, settle, sign_in, streamlit_server, visit, whole_page_shot
from playwright.sync_api import sync_playwright

from scoring import debrief, openings, people
from scoring.demo import build_demo
from scoring.rubric import load_catalog
from scoring.store import Store

COORDINATOR_SCREENS = [
    "Openings",
    "People",
    "Candidates",
    "Interview day",
    "Status",
    "Rubrics",
    "Decisions",
]


def shoot(page, out: Path, name: str) -> None:
    """The screen as first seen, and the whole page (NAME-full.png)."""
    path = out / f"{name}.png"
    page.screenshot(path=path)
    whole_page_shot(page, out / f"{name}-full.png")
    print(path)


def open_debrief_of(page, url, store, login, wanted) -> str:
    """Open the debrief of the manager's first candidate that `wanted` (a day-view row)."""
    me = people.sign_in(store, login.email, login.code)
    (opening,) = [o for o in openings.list_openings(store, me) if o.hiring_manager_id == me.id]
    for day in debrief.interview_days(store, me, opening.id):
        for row in debrief.day_view(store, me, opening.id, day):
            if wanted(row):
                visit(page, f"{url}/debrief?candidate={row.candidate_id}")
                return row.candidate.split()[0].lower()
    raise SystemExit("the demo has no such candidate")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("out", nargs="?", type=Path, default=ROOT / "screenshots")
    parser.add_argument("--width", type=int, default=1280)
    parser.add_argument("--height", type=int, default=800)
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    viewport = {"width": args.width, "height": args.height}
    work = Path(tempfile.mkdtemp(prefix="debrief-shots-"))

    with sync_playwright() as playwright:
        browser = launch(playwright)
        with streamlit_server(work / "empty.sqlite") as url:
            page = browser.new_page(viewport=viewport)
            shoot(visit(page, url), args.out, "00-first-run")
            page.close()

        db = work / "demo.sqlite"
        every = build_demo(Store(db), load_catalog(ROOT / "rubrics"))
        logins = {x.roles[0]: x for x in every}
        with streamlit_server(db) as url:
            page = browser.new_page(viewport=viewport)
            shoot(visit(page, url), args.out, "01-sign-in")
            coordinator = logins["coordinator"]
            sign_in(page, coordinator.email, coordinator.code)
            for n, screen in enumerate(COORDINATOR_SCREENS, start=2):
                page.get_by_role("link", name=screen).click()
                page.get_by_role("heading", name=screen).first.wait_for()
                settle(page)
                shoot(page, args.out, f"{n:02d}-{screen.lower().replace(' ', '-')}")
            page.close()

            interviewer = logins["interviewer"]
            for label, size in (("laptop", viewport), ("phone", {"width": 390, "height": 844})):
                page = browser.new_page(viewport=size)
                visit(page, url)
                sign_in(page, interviewer.email, interviewer.code)
                shoot(page, args.out, f"20-my-interviews-{label}")
                for action, name in (("Score", "21-scorecard-form"), ("Open", "22-scorecard-done")):
                    links = page.get_by_role("link", name=action, exact=True)
                    if links.count():
                        links.first.click()
                        # the page's own way back (on a phone the menu's link is hidden)
                        back = page.get_by_test_id("stMain").get_by_role(
                            "link", name="My interviews"
                        )
                        back.wait_for()
                        settle(page)
                        shoot(page, args.out, f"{name}-{label}")
                        back.click()
                        page.get_by_role("heading", name="My interviews").wait_for()
                        settle(page)
                page.close()

            page = browser.new_page(viewport=viewport)
            shoot(visit(page, f"{url}/people"), args.out, "30-people-anonymous")
            page.close()

            for name, label, size in (
                ("Mei-Lin Chen", "laptop", viewport),
                ("Mei-Lin Chen", "projector", {"width": 1920, "height": 1080}),
                ("Sofia Marquez", "projector", {"width": 1920, "height": 1080}),
            ):
                manager = next(x for x in every if x.name == name)
                page = browser.new_page(viewport=size)
                visit(page, url)
                sign_in(page, manager.email, manager.code)
                visit(page, f"{url}/pipeline")
                shoot(page, args.out, f"40-pipeline-{label}")
                opened = open_debrief_of(page, url, Store(db), manager, lambda r: r.debrief_open)
                shoot(page, args.out, f"41-debrief-{opened}-{label}")
                waiting = open_debrief_of(
                    page, url, Store(db), manager, lambda r: not r.debrief_open
                )
                shoot(page, args.out, f"42-before-opening-{waiting}-{label}")
                page.close()
        browser.close()


if __name__ == "__main__":
    main()
