"""Two roles in a real browser. Cy is a coordinator and also interviews Grace Hopper; the hiring
manager has already opened the debrief early and recorded a decision whose rationale quotes the
panel's scores. Before Cy's own scorecard is in, no page she can open and no export she can
download shows that decision; once she submits, the Decisions page and its export show it.
And a hiring manager whose role is removed while the Decisions page is open downloads nothing."""

from datetime import timedelta

from harness import settle, sign_in, streamlit_server, visit
from test_blind_scoring import everything, open_scorecard, score_by_clicks

from scoring import debrief, people
from world import DAY, build, submit

RATIONALE = "RATIONALE-QUOTES-SCORES: Ana 4, Bo 4"
# Cy's own screens, reached as she would: by the menu (a code sign-in lasts for the tab's session)
SCREENS = (
    "My interviews",
    "Openings",
    "People",
    "Candidates",
    "Interview day",
    "Status",
    "Rubrics",
    "Decisions",
)


def decided_without_cy(tmp_path):
    w = build(tmp_path / "two-roles.sqlite")
    people.update_person(w.store, w.coordinator, w.cy.id, roles=["interviewer", "coordinator"])
    for who in ("ana", "bo"):
        submit(w, who, 4, now=DAY + timedelta(hours=5))
    debrief.open_debrief(w.store, w.manager, w.candidate_id, reason="Cy is travelling")
    debrief.record_decision(w.store, w.manager, w.candidate_id, "hire", RATIONALE, True)
    return w


def go(page, screen: str, *, refused: bool = False) -> str:
    """Follow the menu link to `screen`; the text shown once its script has run. The screen's
    heading is waited for after the run, not before: until the new page's first delta arrives,
    the old page (with its own heading) is still on screen. A refused screen has no heading."""
    menu = page.get_by_role("navigation", name="Your screens")
    menu.get_by_role("link", name=screen, exact=True).click()
    page.wait_for_url(f"**/{screen.lower().replace(' ', '_')}*", timeout=60_000)
    settle(page, timeout=60_000)
    if not refused:
        page.get_by_role("heading", name=screen).first.wait_for(timeout=60_000)
    return everything(page)


def decisions_csv(page) -> str:
    go(page, "Decisions")
    with page.expect_download() as caught:
        page.get_by_test_id("stDownloadButton").filter(has_text="CSV").first.click()
    return open(caught.value.path(), encoding="utf-8").read()


def test_coordinator_who_interviews_sees_the_decision_only_after_scoring(tmp_path, new_page):
    w = decided_without_cy(tmp_path)
    code = people.issue_code(w.store, w.coordinator, w.cy.id)
    with streamlit_server(w.store.location) as url:
        cy = visit(new_page(), url)
        sign_in(cy, "cy@example.com", code)
        for screen in SCREENS:
            shown = go(cy, screen)
            assert RATIONALE not in shown, screen
            assert "Hire" not in shown.replace("Hiring", ""), screen
        exported = decisions_csv(cy)
        assert RATIONALE not in exported
        assert "Submit your own scorecard for this candidate first." in exported
        # (the table itself is drawn on a canvas: its cells are checked in the export above)
        assert "Decisions: 0 of 1 candidates decided" in everything(cy)
        assert "Not shown to you yet (1)" in everything(cy)

        go(cy, "My interviews")
        open_scorecard(cy)
        assert RATIONALE not in everything(cy)
        score_by_clicks(cy)
        assert RATIONALE in decisions_csv(cy)
        assert "Decisions: 1 of 1 candidates decided" in everything(cy)
        assert "Not shown to you yet" not in everything(cy)


def test_a_removed_role_downloads_nothing_from_a_page_left_open(tmp_path, new_page):
    w = decided_without_cy(tmp_path)
    code = people.issue_code(w.store, w.coordinator, w.manager.id)
    with streamlit_server(w.store.location) as url:
        maria = visit(new_page(), url)
        sign_in(maria, "maria@example.com", code)
        assert RATIONALE in decisions_csv(maria)  # while she holds the role
        people.update_person(w.store, w.coordinator, w.manager.id, roles=["interviewer"])
        downloads = []
        maria.on("download", lambda download: downloads.append(download))
        maria.get_by_test_id("stDownloadButton").filter(has_text="CSV").first.click()
        maria.wait_for_timeout(3000)
        assert downloads == []  # the server refuses to make the file
        shown = go(maria, "Decisions", refused=True)  # her next click shows nothing of it
        assert "This page is for a coordinator" in shown
        assert RATIONALE not in shown
        assert maria.get_by_role("heading", name="Decisions").count() == 0
