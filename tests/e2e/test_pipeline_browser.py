"""The pipeline in a real browser: a hiring manager filters the opening's candidates by stage,
selects the one ready to debrief, lands on that candidate's debrief with the URL naming it,
opens the debrief and records the decision; back on the pipeline the row says so. At 1280 the
table fits its column (no sideways scroll); at 390 it scrolls sideways inside the page with the
candidate's name pinned in view."""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlparse

from harness import settle, sign_in, streamlit_server, visit

from scoring import openings, people, pipeline
from world import DAY, build, submit

SHOTS = Path(os.environ.get("DEBRIEF_SHOTS", "/tmp/pipeline-shots"))


def click_first_row(page) -> None:
    """Select the first data row of the page's table (Streamlit draws it on a canvas: click
    its row marker, left of the first cell)."""
    grid = page.get_by_test_id("stDataFrame").first
    grid.scroll_into_view_if_needed()
    box = grid.bounding_box()
    page.mouse.move(box["x"] + 20, box["y"] + 35 + 17)
    page.mouse.click(box["x"] + 20, box["y"] + 35 + 17)


def scroller(page) -> dict:
    """The table's scrolling area: how wide its content is, how wide it shows, where it is."""
    return page.evaluate(
        """() => { const s = document.querySelector('[data-testid=stDataFrame] .dvn-scroller');
                   return {content: s.scrollWidth, shown: s.clientWidth, left: s.scrollLeft}; }"""
    )


def names_column(page, grid) -> bytes:
    """A picture of the table's left part, where the candidates' names are (the row markers
    and the name column, inside the table's rounded border); the mouse is moved away so that
    no row is highlighted."""
    page.mouse.move(1, 1)
    page.wait_for_timeout(300)
    return page.screenshot(
        clip={"x": grid["x"] + 8, "y": grid["y"] + 8, "width": 140, "height": 130}
    )


def test_from_the_pipeline_to_a_recorded_decision(tmp_path, new_page):
    w = build(tmp_path / "pipeline.sqlite")
    for who, overall in (("ana", 4), ("bo", 4), ("cy", 3)):
        submit(w, who, overall)  # Grace Hopper: ready to debrief
    for n, name in enumerate(("Ada Lovelace-Byron", "Alan Turing", "Barbara Liskov")):
        candidate_id = openings.add_candidate(w.store, w.coordinator, w.opening_id, name)
        openings.schedule_session(
            w.store, w.coordinator, candidate_id, 1, DAY + timedelta(days=n + 1), [w.ana.id]
        )  # waiting for Ana's scorecard
    code = people.issue_code(w.store, w.coordinator, w.manager.id)
    SHOTS.mkdir(parents=True, exist_ok=True)

    with streamlit_server(w.store.location) as url:
        page = visit(new_page(), url)
        sign_in(page, w.manager.email, code)
        page.get_by_role("link", name="Pipeline", exact=True).click()
        page.get_by_role("heading", name="Pipeline").wait_for()
        settle(page)
        assert urlparse(page.url).path == "/pipeline"
        page.screenshot(path=SHOTS / "pipeline-1280.png", full_page=True)
        # At 1280 the table is no wider than the page's column: nothing to scroll sideways,
        # so the name column is where it is drawn
        column = page.get_by_test_id("stMainBlockContainer").bounding_box()
        grid = page.get_by_test_id("stDataFrame").first.bounding_box()
        assert (
            column["x"] <= grid["x"] and grid["x"] + grid["width"] <= column["x"] + column["width"]
        )
        fit = scroller(page)
        assert fit["content"] <= fit["shown"], fit

        page.get_by_test_id("stButtonGroup").get_by_text("Ready to debrief (1)").click()
        settle(page)
        body = page.get_by_test_id("stMain").inner_text()
        assert "Waiting for scorecards (3)" in body
        click_first_row(page)
        page.get_by_role("heading", name="Grace Hopper").wait_for()
        settle(page)
        address = urlparse(page.url)
        assert (address.path, address.query) == ("/debrief", f"candidate={w.candidate_id}")

        page.get_by_role("button", name="Open the debrief", exact=True).click()
        page.get_by_text("The debrief is open").wait_for()
        settle(page)
        page.get_by_role("radiogroup", name="Decision").get_by_text("Hire", exact=True).click()
        page.get_by_role("textbox", name="Why (required)").click()
        page.keyboard.type("Strong panel, no doubts left.", delay=20)
        page.get_by_text("I accept responsibility").click()
        page.get_by_role("button", name="Record the decision").click()
        page.get_by_text("Decision recorded").wait_for()
        settle(page)
        assert urlparse(page.url).path == "/debrief"

        page.get_by_role("link", name="Pipeline", exact=True).first.click()
        page.get_by_role("heading", name="Pipeline").wait_for()
        settle(page)
        assert urlparse(page.url).path == "/pipeline"
        page.get_by_test_id("stButtonGroup").get_by_text("Decided (1)").wait_for()

        # The old day view's address leads to the pipeline, and the URL says so.
        page.goto(f"{url}/debrief_day")
        page.get_by_role("heading", name="Pipeline").wait_for()
        settle(page)
        assert urlparse(page.url).path == "/pipeline"

        page.set_viewport_size({"width": 390, "height": 844})
        settle(page)
        page.screenshot(path=SHOTS / "pipeline-390.png", full_page=True)
        # a wide table scrolls inside the page; the page itself does not scroll sideways
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        table = page.get_by_test_id("stDataFrame").first
        table.scroll_into_view_if_needed()
        grid = table.bounding_box()
        assert grid["x"] >= 0 and grid["x"] + grid["width"] <= 390
        # scrolled sideways, the table moves under the names: the name column stays in view
        names = names_column(page, grid)
        before = page.screenshot(clip={**grid, "height": 140})
        page.mouse.move(grid["x"] + 250, grid["y"] + 60)
        page.mouse.wheel(400, 0)
        page.wait_for_function(
            "document.querySelector('[data-testid=stDataFrame] .dvn-scroller').scrollLeft > 0"
        )
        assert scroller(page)["left"] > 0
        assert names_column(page, grid) == names
        assert page.screenshot(clip={**grid, "height": 140}) != before  # the rest moved
        page.screenshot(path=SHOTS / "pipeline-390-scrolled.png")

    (row,) = pipeline.pipeline(w.store, w.manager, w.opening_id, stage="decided").rows
    assert (row.candidate_id, row.decision, row.decided_by) == (
        w.candidate_id,
        "hire",
        w.manager.name,
    )
