"""Screenshots of issue 28's screens (privacy, retention, adverse impact) on a fresh demo
database, at 1280x900 and 390x844.

usage: .venv/bin/python scripts/screenshots_privacy.py [OUT_DIR]
Writes PNG files (default /tmp/shots28), each as first seen and the whole page (NAME-full.png),
and prints their paths:

- the coordinator's Privacy panel of a candidate whose process is over, opened, scrolled to the
  erase form (Candidates);
- Status scrolled to Retention (retention turned on for the shots with
  $DEBRIEF_RETENTION_REJECTED_DAYS, one candidate under a legal hold);
- Insights' adverse impact of one opening, as the coordinator and as its hiring manager.

The demo records no self-identified answers, and adverse impact counts only months that are
over: the script records some through the service (`demographics.record`, `set_source`), dated
long ago, so that the section has figures to show.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "e2e"))

from harness import ROOT, launch, settle, sign_in, streamlit_server, visit, whole_page_shot
from playwright.sync_api import sync_playwright

from scoring import candidates, demographics, openings, people, retention
from scoring.demo import build_demo
from scoring.rubric import load_catalog
from scoring.store import Store, now_utc
from scoring.text import isolate

SIZES = {"1280": {"width": 1280, "height": 900}, "390": {"width": 390, "height": 844}}
RETENTION = {"DEBRIEF_RETENTION_REJECTED_DAYS": "180", "DEBRIEF_RETENTION_WITHDRAWN_DAYS": "180"}
GENDERS = ("Woman", "Man", "Man")
TYPING_DELAY = 20  # ms between keys, as a person types


def shoot(page, out: Path, name: str) -> None:
    """The screen as seen now, and the whole page (NAME-full.png)."""
    path = out / f"{name}.png"
    page.screenshot(path=path)
    print(path)
    whole_page_shot(page, out / f"{name}-full.png")
    print(out / f"{name}-full.png")


def prepare(store: Store, coordinator) -> tuple[openings.Opening, str]:
    """Answers and sources for the first opening's candidates (dated long ago, so that adverse
    impact counts them), a legal hold on one candidate whose process is over (for Status), and
    the name of another (whose Privacy panel is shot)."""
    me = people.sign_in(store, coordinator.email, coordinator.code)
    opening = openings.list_openings(store, me, "manage_opening")[0]  # the one Candidates shows
    at = now_utc() - timedelta(days=800)
    with store.batch():
        for n, candidate in enumerate(candidates.list_candidates(store, me, opening.id)):
            demographics.record(store, me, candidate.id, {"gender": GENDERS[n % 3]}, now=at)
            demographics.set_source(store, me, candidate.id, demographics.SOURCES[n % 4], now=at)
    listed = candidates.find_candidates(store, me, opening.id).rows
    ended = [c for c in listed if c.withdrawn or not c.standing.startswith("In process")]
    retention.place_hold(store, me, ended[1].id, "Tribunal claim received: keep until it closes")
    return opening, ended[0].name


def open_screen(page, name: str) -> None:
    """Follow the menu's link, opening the menu first where it is folded away (a phone)."""
    menu = page.get_by_role("navigation", name="Your screens")
    folded = "() => document.querySelector('[data-testid=stSidebar]').getBoundingClientRect().x < 0"
    if page.evaluate(folded):
        page.get_by_test_id("stExpandSidebarButton").click()
        page.wait_for_function(f"() => !({folded})()")
    menu.get_by_role("link", name=name, exact=True).click()
    page.wait_for_url(f"**/{name.lower().replace(' ', '_')}")
    page.get_by_role("heading", name=name, exact=True).first.wait_for()
    settle(page)


def choose_option(page, box, option: str, typed: str = "") -> None:
    """Open a select box, narrow it by typing (key by key) and click the option."""
    box.click()
    if typed:
        page.keyboard.type(typed, delay=TYPING_DELAY)
    page.get_by_role("option", name=option, exact=True).click()
    settle(page)


def to_top(page, locator) -> None:
    """Scroll the page so that `locator` is at the top of the window, below Streamlit's bar."""
    locator.evaluate(
        "e => { e.scrollIntoView({block: 'start'});"
        " document.querySelector('[data-testid=stMain]').scrollBy(0, -64); }"
    )
    page.wait_for_timeout(200)


def adverse_impact(page, opening) -> None:
    choose_option(
        page,
        page.get_by_role("combobox", name="Openings", exact=True),
        f"{opening.title} · {opening.role}",
    )
    page.get_by_test_id("stButtonGroup").get_by_role("radio", name="Adverse impact").click()
    heading = page.get_by_role("heading", name="Adverse impact", exact=True)
    heading.wait_for()
    settle(page)
    to_top(page, heading)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("out", nargs="?", type=Path, default=Path("/tmp/shots28"))
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="debrief-shots28-"))

    db = work / "demo.sqlite"
    every = build_demo(Store(db), load_catalog(ROOT / "rubrics"))
    coordinator = next(x for x in every if x.roles[0] == "coordinator")
    opening, name = prepare(Store(db), coordinator)
    with Store(db).read() as conn:
        (manager_email,) = conn.execute(
            "SELECT email FROM people WHERE id = ?", [opening.hiring_manager_id]
        ).fetchone()
    manager = next(x for x in every if x.email == manager_email)

    with sync_playwright() as playwright, streamlit_server(db, extra_env=RETENTION) as url:
        browser = launch(playwright)
        for label, size in SIZES.items():
            page = browser.new_page(viewport=size)
            sign_in(visit(page, url), coordinator.email, coordinator.code)

            open_screen(page, "Candidates")
            where = page.get_by_role("combobox", name="Candidate", exact=True).first
            choose_option(page, where, isolate(name), typed=name)
            privacy = page.get_by_test_id("stExpander").filter(has_text="Privacy").first
            privacy.locator("summary").click()
            settle(page)
            erase = privacy.get_by_role("heading", name="Erase this candidate…")
            erase.wait_for()
            to_top(page, privacy)
            shoot(page, args.out, f"01-privacy-{label}")

            open_screen(page, "Status")
            to_top(page, page.get_by_role("heading", name="Retention", exact=True))
            shoot(page, args.out, f"02-status-retention-{label}")

            open_screen(page, "Insights")
            adverse_impact(page, opening)
            shoot(page, args.out, f"03-adverse-impact-coordinator-{label}")
            page.close()

            page = browser.new_page(viewport=size)
            sign_in(visit(page, url), manager.email, manager.code)
            open_screen(page, "Insights")
            adverse_impact(page, opening)
            shoot(page, args.out, f"04-adverse-impact-hiring-manager-{label}")
            page.close()
        browser.close()


if __name__ == "__main__":
    main()
