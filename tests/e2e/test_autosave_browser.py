"""Nothing typed is lost, in a real browser: an interviewer types feedback without leaving the
field, then reloads; a second tab opens the same scorecard; the server restarts mid-form."""

import re
import time

from harness import free_port, settle, sign_in, streamlit_server, visit
from playwright.sync_api import expect

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
    with streamlit_server(world.store.location, port=port) as url:
        cy = visit(new_page(), f"{url}/{scorecard}")
        sign_in(cy, "cy@example.com", code)
        cy.get_by_test_id("stRadio").first.locator("[role=radiogroup] label").first.click()
        settle(cy)
        typed, early = type_for(cy, 7)
        cy.reload()  # without ever leaving the field
        settle(cy)
        kept = cy.get_by_role("textbox", name=FIELD).input_value()
        assert kept.startswith(early) and typed.startswith(kept), (len(early), len(kept))
        # the put-back sends the tail again: "Saving…" until the server holds it
        expect(cy.locator("#debrief-save")).to_have_text(re.compile("Saved "), timeout=15_000)
        second = cy.context.new_page()  # the same scorecard in another tab: same draft
        visit(second, f"{url}/{scorecard}")
        assert second.get_by_role("textbox", name=FIELD).input_value() == kept
    draft = scorecards.load_draft(world.store, world.cy, world.seats["cy"])
    assert draft.feedback == kept and any(c.chosen for c in draft.criteria.values())
    with streamlit_server(world.store.location, port=port) as url:  # the server restarts
        visit(cy, f"{url}/{scorecard}")
        assert cy.get_by_role("textbox", name=FIELD).input_value() == kept


def saved_feedback(world) -> str:
    return scorecards.load_draft(world.store, world.cy, world.seats["cy"]).feedback


def wait_until_saved(page, world, expected: str, seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while saved_feedback(world) != expected:
        assert time.monotonic() < deadline, (saved_feedback(world)[-40:], expected[-40:])
        page.wait_for_timeout(250)


def test_what_is_typed_while_the_network_is_down_is_saved_when_it_is_back(tmp_path, new_page):
    world = build(tmp_path / "offline.sqlite")
    code = people.issue_code(world.store, world.coordinator, world.cy.id)
    with streamlit_server(world.store.location) as url:
        cy = visit(new_page(), f"{url}/scorecard?assignment={world.seats['cy']}")
        sign_in(cy, "cy@example.com", code)
        before, _ = type_for(cy, 4)
        wait_until_saved(cy, world, before)
        line = cy.locator("#debrief-save")
        cy.context.set_offline(True)
        started = time.monotonic()
        cy.keyboard.type(" Typed on the train, offline.", delay=40)
        point = cy.get_by_test_id("stRadio").nth(1).locator("[role=radiogroup] label").first
        point.click()  # a point chosen offline, too
        cy.get_by_role("textbox", name=FIELD).click()
        cy.keyboard.type(" And a last word.", delay=40)
        cy.wait_for_timeout(8_000)
        assert line.inner_text() == "Offline — reconnecting"  # said, not hidden
        assert saved_feedback(world) == before  # nothing reached the server
        cy.wait_for_timeout(max(0, 30 - (time.monotonic() - started)) * 1000)
        cy.context.set_offline(False)
        on_screen = cy.get_by_role("textbox", name=FIELD).input_value()
        assert on_screen.endswith("offline. And a last word.")
        wait_until_saved(cy, world, on_screen)
        draft = scorecards.load_draft(world.store, world.cy, world.seats["cy"])
        second = scorecards.sheet(world.store, world.cy, world.seats["cy"]).rubric.criteria[1]
        assert draft.criteria[second.id].level == min(second.anchors)
        cy.wait_for_function(
            "(document.getElementById('debrief-save')?.innerText || '').includes('Saved')"
        )


def test_a_server_restart_under_an_open_form_loses_nothing(tmp_path, new_page):
    """The server goes down a moment after the last keystroke; when it is back, the page (never
    reloaded) sends what it held, still signed in."""
    world = build(tmp_path / "restart.sqlite")
    code = people.issue_code(world.store, world.coordinator, world.cy.id)
    port = free_port()
    with streamlit_server(world.store.location, port=port) as url:
        cy = visit(new_page(), f"{url}/scorecard?assignment={world.seats['cy']}")
        sign_in(cy, "cy@example.com", code)
        before, _ = type_for(cy, 4)
        wait_until_saved(cy, world, before)
        cy.keyboard.type(" The last words before the restart.", delay=10)
    box = cy.get_by_role("textbox", name=FIELD)
    assert saved_feedback(world) != box.input_value()  # the server went before they were sent
    # While the server is away the line says so, and the box still takes what is typed.
    cy.wait_for_function(
        "document.getElementById('debrief-save')?.innerText === 'Offline — reconnecting'",
        timeout=20_000,
    )
    assert not box.is_disabled()
    box.click()
    cy.keyboard.type(" Typed while it was away.", delay=40)
    on_screen = box.input_value()
    assert on_screen.endswith("restart. Typed while it was away.")
    with streamlit_server(world.store.location, port=port):
        wait_until_saved(cy, world, on_screen, seconds=30)
        assert cy.get_by_role("textbox", name="Access code").count() == 0  # still signed in
        cy.wait_for_function(
            "(document.getElementById('debrief-save')?.innerText || '').includes('Saved')"
        )


def test_leaving_with_unsaved_typing_asks_first(tmp_path, new_page):
    """Closing the tab a moment after the last key: the browser asks before leaving (what was
    typed is still on its way), and staying keeps every word, which then reaches the draft."""
    world = build(tmp_path / "leave.sqlite")
    code = people.issue_code(world.store, world.coordinator, world.cy.id)
    with streamlit_server(world.store.location) as url:
        cy = visit(new_page(), f"{url}/scorecard?assignment={world.seats['cy']}")
        sign_in(cy, "cy@example.com", code)
        asked: list[str] = []
        cy.on("dialog", lambda dialog: (asked.append(dialog.type), dialog.dismiss()))
        cy.get_by_role("textbox", name=FIELD).click()
        cy.keyboard.type("Strong on trade-offs, weak on tests", delay=30)
        cy.close(run_before_unload=True)  # a person closing the tab; staying when asked
        cy.wait_for_timeout(1_000)
        assert asked == ["beforeunload"]
        assert not cy.is_closed()
        wait_until_saved(cy, world, "Strong on trade-offs, weak on tests")


def test_what_is_open_stays_open_when_the_first_draft_is_saved(tmp_path, new_page):
    """The first choice saves the draft and adds a line above the form; the instructions and
    the conflict-of-interest box the interviewer opened stay open (Streamlit redraws a block
    that moved up or down closed)."""
    world = build(tmp_path / "first-draft.sqlite")
    code = people.issue_code(world.store, world.coordinator, world.cy.id)
    with streamlit_server(world.store.location) as url:
        cy = visit(new_page(), f"{url}/scorecard?assignment={world.seats['cy']}")
        sign_in(cy, "cy@example.com", code)
        cy.get_by_text("Declare a conflict of interest").click()
        recuse = cy.get_by_role("button", name="Recuse myself from this interview")
        recuse.wait_for()
        cy.get_by_test_id("stRadio").first.locator("[role=radiogroup] label").first.click()
        settle(cy)
        cy.get_by_text("Your draft is filled in below").wait_for()
        assert recuse.is_visible()
