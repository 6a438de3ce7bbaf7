"""Blind scoring in a real browser: two interviewers of one candidate, each in their own browser.
Before Ana submits, nothing she can open shows Bo's scores; after, the reveal rule decides."""

import time
from datetime import timedelta

import pytest
from harness import settle, sign_in, streamlit_server, visit
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import expect

from scoring import people, scorecards
from world import DAY, build, full_scores

SECRET = "BO-SECRET-FEEDBACK"


def start(tmp_path, reveal_rule):
    world = build(tmp_path / f"{reveal_rule}.sqlite", reveal_rule=reveal_rule)
    codes = {
        who: people.issue_code(world.store, world.coordinator, world.person(who).id)
        for who in ("ana", "bo", "cy")
    }
    scorecards.submit(
        world.store,
        world.bo,
        world.seats["bo"],
        overall=1,
        feedback=SECRET,
        criteria=full_scores(world.store, world.seats["bo"], 1),
        now=DAY + timedelta(hours=4),
    )
    return world, codes


def everything(page) -> str:
    return page.locator("[data-testid=stApp]").inner_text()


def open_scorecard(page) -> None:
    page.get_by_role("link", name="Score", exact=True).first.click()
    page.get_by_role("button", name="Submit scorecard…").wait_for()
    settle(page)


def score_by_clicks(page, overall_label="4 · Yes") -> None:
    """Choose a point for every criterion, the overall, write feedback, submit, confirm."""
    radios = page.get_by_test_id("stRadio")
    for index in range(radios.count() - 1):  # the last one is the overall recommendation
        radios.nth(index).locator("[role=radiogroup] label").first.click()
    radios.last.get_by_text(overall_label, exact=True).click()
    write_then_press(
        page, "Written feedback (required)", "Strong, clear thinking.", "Submit scorecard…"
    )
    page.get_by_text("This scorecard is final").wait_for()
    settle(page)


def write_then_press(page, box: str, text: str, button: str) -> None:
    """Write in a text box, leave it as a person does before reaching for the button, press the
    button and confirm in the dialog it opens. The box sends its value on leaving it: a press
    that lands while that rerun is on its way can be lost (streamlit#8725), and the page's
    autosave may nudge the box at any moment, so the test lets that rerun finish first. If the
    dialog does not come, the failure shows what the page showed instead."""
    field = page.get_by_role("textbox", name=box)
    field.click()
    page.keyboard.type(text, delay=30)  # key by key, as a person types
    field.press("Tab")
    settle(page)
    page.get_by_role("button", name=button).click()
    final = page.get_by_role("button", name="Submit: it is final")
    try:
        final.wait_for(timeout=30_000)
    except PlaywrightTimeout:
        raise AssertionError(f"no confirmation after {button!r}:\n{everything(page)}") from None
    final.click()


def test_default_rule_hides_until_own_is_in_then_shows(tmp_path, new_page):
    world, codes = start(tmp_path, "after_own")
    with streamlit_server(world.store.location) as url:
        ana = visit(new_page(), url)
        started = time.monotonic()
        sign_in(ana, "ana@example.com", codes["ana"])
        assert SECRET not in everything(ana)
        open_scorecard(ana)
        assert SECRET not in everything(ana)
        # whatever URL Ana tries: Bo's assignment, other screens, the status board
        for path in (
            f"scorecard?assignment={world.seats['bo']}",
            "status",
            "my_interviews",
            f"scorecard?assignment={world.seats['ana']}",
        ):
            visit(ana, f"{url}/{path}")
            if "Access code" in everything(ana):
                sign_in(ana, "ana@example.com", codes["ana"])
            assert SECRET not in everything(ana), path

        score_by_clicks(ana)
        elapsed = time.monotonic() - started
        assert elapsed < 60, f"sign-in to submitted took {elapsed:.0f} s"
        # revealed: Bo's scorecard is listed, and opens
        ana.get_by_text("Bo Berg").first.click()
        ana.get_by_text(SECRET).wait_for()

        # a correction now is marked as made after seeing others' scores
        ana.get_by_text("Correct this scorecard").click()
        ana.get_by_text("You have seen others' scores").wait_for()
        write_then_press(
            ana, "Why are you correcting it?", "Reread my notes", "Submit the correction…"
        )
        ana.get_by_text("Correction submitted.").wait_for()
        settle(ana)
        assert "revised after seeing others' scores" in everything(ana)
    (first, second) = scorecards.revisions(world.store, world.ana, world.seats["ana"])
    assert (first.saw_others, second.saw_others) == (False, True)


def test_a_card_left_open_stays_open_when_its_author_corrects_it(tmp_path, new_page):
    """Ana reads Bo's scorecard; Bo corrects his overall meanwhile. On Ana's next rerun the card's
    heading says the new overall and the card is still open (an expander is kept by its key; by
    its label, the new heading would be drawn as a new, shut box)."""
    world, codes = start(tmp_path, "after_own")
    with streamlit_server(world.store.location) as url:
        ana = visit(new_page(), url)
        sign_in(ana, "ana@example.com", codes["ana"])
        open_scorecard(ana)
        score_by_clicks(ana)
        ana.get_by_text("Bo Berg").first.click()
        ana.get_by_text(SECRET).wait_for()
        scorecards.revise(
            world.store,
            world.bo,
            world.seats["bo"],
            reason="Misread my notes",
            overall=2,
            feedback=SECRET + " (corrected)",
            criteria=full_scores(world.store, world.seats["bo"], 1),
        )
        ana.get_by_text("Correct this scorecard").click()  # any rerun: here, leaving a box
        reason = ana.get_by_role("textbox", name="Why are you correcting it?")
        reason.click()
        ana.keyboard.type("a second look", delay=30)
        reason.press("Tab")
        settle(ana)
        card = ana.get_by_test_id("stExpander").filter(has_text="Bo Berg")
        # the rerun the Tab asked for may start late on a loaded machine: wait for its heading
        expect(card.locator("summary")).to_contain_text(
            "Bo Berg · General data science technical questions · 2 Leaning no", timeout=30_000
        )
        settle(ana)
        assert card.get_by_text(SECRET + " (corrected)").is_visible()  # still open


def test_strict_rule_waits_until_every_scorecard_is_in(tmp_path, new_page):
    world, codes = start(tmp_path, "all_in")
    with streamlit_server(world.store.location) as url:
        ana = visit(new_page(), url)
        sign_in(ana, "ana@example.com", codes["ana"])
        open_scorecard(ana)
        score_by_clicks(ana)
        ana.get_by_text("only once every scorecard is in").wait_for()
        assert SECRET not in everything(ana)

        cy = visit(new_page(), url)  # Cy, in another browser, submits the last scorecard
        sign_in(cy, "cy@example.com", codes["cy"])
        open_scorecard(cy)
        score_by_clicks(cy, "0 · Strong no")

        ana.reload()
        settle(ana)
        if "Access code" in everything(ana):
            sign_in(ana, "ana@example.com", codes["ana"])
        ana.get_by_text("Bo Berg").first.click()
        ana.get_by_text(SECRET).wait_for()


@pytest.fixture(autouse=True)
def _no_leftover_servers():
    yield
