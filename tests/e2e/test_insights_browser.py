"""The Insights page in a real browser, on the demo: a hiring manager at 1280 and 390 pixels
wide sees every section, each chart inside the page; an interviewer sees only their own row.
The screenshots are kept to be looked at (DEBRIEF_SHOTS, default /tmp/insights-shots)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from harness import settle, sign_in, visit

SHOTS = Path(os.environ.get("DEBRIEF_SHOTS", "/tmp/insights-shots"))
BOXES = """() => [...document.querySelectorAll('[data-testid=stVegaLiteChart]')].map(chart => {
  const drawn = chart.querySelector('canvas, svg.marks') || chart;
  const main = document.querySelector('[data-testid=stMainBlockContainer]');
  const box = e => { const r = e.getBoundingClientRect();
    return {left: r.left, right: r.right, width: r.width, height: r.height}; };
  return {chart: box(drawn), main: box(main)};
})"""


def shoot(page, path: Path) -> None:
    """The whole page: Streamlit scrolls inside its main area, so grow the viewport to it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    size = page.viewport_size
    height = page.evaluate(
        "Math.max(...[...document.querySelectorAll('[data-testid=stMain], section')]"
        ".map(e => e.scrollHeight))"
    )
    page.set_viewport_size({"width": size["width"], "height": height + 40})
    settle(page)
    page.screenshot(path=path)
    page.set_viewport_size(size)


@pytest.mark.parametrize("width", [1280, 390])
def test_a_hiring_manager_reads_the_insights_at_any_width(demo_app, browser, width):
    url, logins, _ = demo_app
    manager = logins["daniel.okafor@example.com"]
    context = browser.new_context(viewport={"width": width, "height": 900})
    context.set_default_timeout(30_000)
    try:
        page = visit(context.new_page(), url)
        sign_in(page, manager.email, manager.code)
        visit(page, f"{url}/insights")
        page.get_by_role("heading", name="Do the interviewers agree?").wait_for()
        settle(page)
        body = page.get_by_test_id("stMain").inner_text()
        for words in ("How the scales are used", "Interviewer calibration", "provisional"):
            assert words in body
        boxes = page.evaluate(BOXES)
        assert len(boxes) >= 3
        for box in boxes:
            chart, main = box["chart"], box["main"]
            assert chart["height"] > 60 and chart["width"] > 150, box
            assert chart["right"] <= main["right"] + 1 and chart["right"] <= width, box
        shoot(page, SHOTS / f"insights-manager-{width}.png")
    finally:
        context.close()


def test_an_interviewer_sees_only_how_they_score(demo_app, new_page):
    url, logins, _ = demo_app
    interviewer = logins["aisha.bello@example.com"]
    page = visit(new_page(), url)
    sign_in(page, interviewer.email, interviewer.code)
    visit(page, f"{url}/insights")
    page.get_by_role("heading", name="How you score compared with your co-interviewers").wait_for()
    body = page.get_by_test_id("stMain").inner_text()
    assert "Do the interviewers agree?" not in body and "Interviewer calibration" not in body
    shoot(page, SHOTS / "insights-interviewer-1280.png")
