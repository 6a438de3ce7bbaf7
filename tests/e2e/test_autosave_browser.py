"""Nothing typed is lost, in a real browser: an interviewer types feedback without leaving the
field, then reloads; a second tab opens the same scorecard; the server restarts mid-form."""

import time

from harness import free_port, settle, sign_in, streamlit_server, visit

from scoring import people, scorecards
from world import build

FIELD = "Written feedback (required)"


def type_for(page, seconds: float) -> tuple[str, str]:
    """Type into the feedback without leaving it; returns (all typed, typed 3 s before the end)."""
    box = page.get_by_role("textbox", name=FIELD)
    box.click()
    typed, early, started = "", "", time.monotonic()
    words = "Clear structure, tested edge cases, asked good questions. "
    while time.monotonic() - started < seconds:
        key = words[len(typed) % len(words)]
        page.keyboard.type(key)
        typed += key
        if time.monotonic() - started < seconds - 3:
            early = typed
        page.wait_for_timeout(40)
    return typed, early


def test_typing_survives_a_reload_a_second_tab_and_a_restart(tmp_path, new_page):
    world = build(tmp_path / "autosave.sqlite")
    code = people.issue_code(world.store, world.coordinator, world.cy.id)
    scorecard = f"scorecard?assignment={world.seats['cy']}"
    port = free_port()
    with streamlit_server(world.store.path, port=port) as url:
        cy = visit(new_page(), f"{url}/{scorecard}")
        sign_in(cy, "cy@example.com", code)
        cy.get_by_test_id("stRadio").first.locator("[role=radiogroup] label").first.click()
        settle(cy)
        typed, early = type_for(cy, 7)
        cy.reload()  # without ever leaving the field
        settle(cy)
        kept = cy.get_by_role("textbox", name=FIELD).input_value()
        assert kept.startswith(early) and typed.startswith(kept), (len(early), len(kept))
        assert "Saved " in cy.locator("[data-testid=stMain]").inner_text()
        second = cy.context.new_page()  # the same scorecard in another tab: same draft
        visit(second, f"{url}/{scorecard}")
        assert second.get_by_role("textbox", name=FIELD).input_value() == kept
    draft = scorecards.load_draft(world.store, world.cy, world.seats["cy"])
    assert draft["feedback"] == kept and any(c["score"] for c in draft["criteria"].values())
    with streamlit_server(world.store.path, port=port) as url:  # the server restarts
        visit(cy, f"{url}/{scorecard}")
        assert cy.get_by_role("textbox", name=FIELD).input_value() == kept
