"""The Insights page in a real browser, on the demo: a hiring manager at 1280 and 390 pixels
wide sees every section, one at a time, opening with its plain sentence (the demo's year of
history puts every section above its minimum: agreement names the one criterion that needs
clearer anchors, and no section says "Not enough"), each chart inside the page, its statistics
behind "How is this worked out?", and no serious or critical axe-core violation with that open;
a coordinator reads the decisions and their dates, and in every section from scores a sentence
saying those are for hiring managers (issue 22); an interviewer sees only their own row.
The screenshots are kept to be looked at (DEBRIEF_SHOTS, default /tmp/insights-shots)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from harness import settle, sign_in, visit, whole_page_shot
from test_accessibility import problems

SHOTS = Path(os.environ.get("DEBRIEF_SHOTS", "/tmp/insights-shots"))
BOXES = """() => [...document.querySelectorAll('[data-testid=stVegaLiteChart]')].map(chart => {
  const drawn = chart.querySelector('canvas, svg.marks') || chart;
  const main = document.querySelector('[data-testid=stMainBlockContainer]');
  const box = e => { const r = e.getBoundingClientRect();
    return {left: r.left, right: r.right, width: r.width, height: r.height}; };
  return {chart: box(drawn), main: box(main)};
})"""


SECTIONS = {
    "Agreement": "Do the interviewers agree?",
    "Scales": "How the scales are used",
    "Calibration": "Interviewer calibration",
    "Decisions": "How the decisions were made",
    "Thresholds": "Thresholds against the history",
    "After the hire": "After the hire",
}


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
        assert "1 needs clearer anchors: Follows the language's conventions" in body
        charts, found = 0, []
        for label, heading in SECTIONS.items():
            choice = page.get_by_test_id("stButtonGroup").get_by_role("radio", name=label)
            if choice.get_attribute("aria-checked") != "true":
                choice.click()
            page.get_by_role("heading", name=heading).wait_for()
            settle(page)
            main_text = page.get_by_test_id("stMain").inner_text()
            assert "Not enough" not in main_text, (label, main_text)  # above every minimum
            boxes = page.evaluate(BOXES)
            charts += len(boxes)
            for box in boxes:
                chart, main = box["chart"], box["main"]
                assert chart["height"] > 60 and chart["width"] > 150, (label, box)
                assert chart["right"] <= main["right"] + 1 and chart["right"] <= width, box
            name = f"insights-manager-{label.split()[0].lower()}-{width}"
            whole_page_shot(page, SHOTS / f"{name}.png")
            how = page.get_by_test_id("stExpander").filter(has_text="How is this worked out?")
            if how.count():  # a section with figures: open its statistics, then check them too
                how.first.locator("summary").click()
                settle(page)
                assert how.first.get_by_test_id("stExpanderDetails").is_visible(), label
                whole_page_shot(page, SHOTS / f"{name}-how.png")
            found += problems(page, f"insights: {label} at {width}")
        assert charts >= 4
        assert not found, "\n".join(found)  # axe-core: no serious or critical violation
    finally:
        context.close()


@pytest.mark.parametrize("width", [1280, 390])
def test_a_coordinator_reads_decisions_and_dates_and_no_score_figure(demo_app, browser, width):
    url, logins, _ = demo_app
    coordinator = logins["priya.raman@example.com"]
    context = browser.new_context(viewport={"width": width, "height": 900})
    context.set_default_timeout(30_000)
    try:
        page = visit(context.new_page(), url)
        sign_in(page, coordinator.email, coordinator.code)
        visit(page, f"{url}/insights")
        page.get_by_role("heading", name="How the decisions were made").wait_for()
        page.get_by_role("heading", name="Time to submit").wait_for()
        settle(page)
        found = problems(page, f"insights: coordinator's decisions at {width}")
        whole_page_shot(page, SHOTS / f"insights-coordinator-decisions-{width}.png")
        body = page.get_by_test_id("stMain").inner_text()
        assert "what-if" not in body and "Discussion changed" not in body
        for label in ("Agreement", "Scales", "Calibration", "Thresholds", "After the hire"):
            page.get_by_test_id("stButtonGroup").get_by_role("radio", name=label).click()
            page.get_by_role("heading", name=SECTIONS[label]).wait_for()
            page.get_by_text("Score figures are for hiring managers:").wait_for()
            settle(page)
            main = page.get_by_test_id("stMain")
            assert not main.get_by_test_id("stVegaLiteChart").count(), label
            assert not main.get_by_test_id("stAlertContentError").count(), label
            name = label.split()[0].lower()
            whole_page_shot(page, SHOTS / f"insights-coordinator-{name}-{width}.png")
            found += problems(page, f"insights: coordinator's {label} at {width}")
        assert not found, "\n".join(found)  # axe-core: no serious or critical violation
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
    assert "You score" in body or "Not enough candidates shared" in body  # its plain sentence
    assert "Do the interviewers agree?" not in body and "Interviewer calibration" not in body
    whole_page_shot(page, SHOTS / "insights-interviewer-1280.png")
