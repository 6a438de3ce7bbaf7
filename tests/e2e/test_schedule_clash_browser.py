"""A coordinator moves a session onto another of the candidate's sessions in a real browser: the
page refuses it in words, with the times in the browser's zone, nothing moves and no mail is
queued; no green "every session is on the day". The interviewer picker offers people, never
"Select all". Screenshots at 1280 and 390 are kept in $DEBRIEF_SHOTS (default
/tmp/debrief-shots)."""

import os
from pathlib import Path

from harness import settle, sign_in, streamlit_server, visit, whole_page_shot

from scoring import people, scorecards
from world import build

SHOTS = Path(os.environ.get("DEBRIEF_SHOTS", "/tmp/debrief-shots"))


def outbox_rows(w) -> int:
    with w.store.read() as db:
        return db.execute("SELECT COUNT(*) FROM outbox").fetchone()[0]


def test_a_clashing_move_is_refused_in_words(tmp_path, browser):
    w = build(tmp_path / "clash.sqlite")
    code = people.issue_code(w.store, w.coordinator, w.coordinator.id)
    mail = outbox_rows(w)
    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, timezone_id="Europe/Paris"
    )
    context.set_default_timeout(30_000)
    page = context.new_page()
    with streamlit_server(w.store.location) as url:
        visit(page, url)
        sign_in(page, "cora@example.com", code)
        page.get_by_role("link", name="Interview day").click()
        page.get_by_role("heading", name="Change the day").wait_for()
        settle(page)
        # Ana's presentation is 11:00-11:30 in Paris (10:00 UTC); Bo's questions 12:00-12:30.
        start = page.get_by_test_id("stTimeInput").filter(has_text="New start")
        start.get_by_role("spinbutton").first.click()
        page.keyboard.type("1215", delay=80)
        page.keyboard.press("Tab")
        settle(page)
        page.get_by_role("button", name="Move session").click()
        settle(page)
        refusal = (
            "Candidate presentation with Q&A 12:15–12:45 overlaps the candidate's General data"
            " science technical questions 12:00–12:30 (CET)"
        )
        page.get_by_text(refusal).wait_for()
        shown = page.locator("[data-testid=stApp]").inner_text()
        assert "Every session of the loop is on the day" not in shown
        whole_page_shot(page, SHOTS / "interview-day-clash-1280.png")

        # The picker of the session still to plan offers people, not "Select all".
        picker = page.get_by_test_id("stMultiSelect").first
        picker.scroll_into_view_if_needed()
        picker.click()
        page.get_by_role("option", name="Ana Alvarez").wait_for()
        assert page.get_by_text("Select all").count() == 0
        page.keyboard.press("Escape")
        settle(page)
        assert "Interviewers on" in page.locator("[data-testid=stApp]").inner_text()

        page.set_viewport_size({"width": 390, "height": 844})
        settle(page)
        whole_page_shot(page, SHOTS / "interview-day-clash-390.png")
        width = page.evaluate("document.querySelector('[data-testid=stMain]').scrollWidth")
        assert width <= 390
    context.close()

    board = scorecards.status_board(w.store, w.coordinator, w.candidate_id)
    assert f"{board[0].starts_at:%H:%M}" == "10:00"  # UTC: nothing moved
    assert outbox_rows(w) == mail
