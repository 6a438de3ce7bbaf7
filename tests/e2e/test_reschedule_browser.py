"""A coordinator changes the interview day in a real browser: moves a session and gives its seat
to another interviewer. The interviewers' My interviews follow: the new one sees the session at
its new time, the one who was replaced no longer sees it. The outbox holds what they are told."""

from harness import settle, sign_in, streamlit_server, visit
from test_coordinator_flow import choose

from scoring import people, scorecards
from world import build


def everything(page) -> str:
    return page.locator("[data-testid=stApp]").inner_text()


def test_a_coordinator_reschedules_and_swaps_and_my_interviews_follows(tmp_path, new_page):
    w = build(tmp_path / "reschedule.sqlite")
    cora_code = people.issue_code(w.store, w.coordinator, w.coordinator.id)
    oz_code = people.issue_code(w.store, w.coordinator, w.outsider.id)
    ana_code = people.issue_code(w.store, w.coordinator, w.ana.id)
    with streamlit_server(w.store.location, extra_env={"TZ": "UTC"}) as url:
        cora = visit(new_page(), url)
        sign_in(cora, "cora@example.com", cora_code)
        cora.get_by_role("link", name="Interview day").click()
        cora.get_by_role("heading", name="Change the day").wait_for()
        settle(cora)

        # Move Ana's presentation (the first session) from 10:00 to 15:30.
        start = cora.get_by_test_id("stTimeInput").filter(has_text="New start")
        start.get_by_role("spinbutton").first.click()
        cora.keyboard.type("1530")  # hours, then minutes (the field moves on by itself)
        cora.keyboard.press("Tab")
        settle(cora)
        cora.get_by_role("button", name="Move session").click()
        cora.get_by_text("moved; its interviewers are told").wait_for()
        settle(cora)

        # Give Ana's seat to Oz.
        seat = cora.get_by_test_id("stSelectbox").filter(has_text="Give the seat to")
        seat.scroll_into_view_if_needed()  # below the fold: the first click only scrolls
        settle(cora)
        choose(cora, "Give the seat to", "Oz Outsider")
        cora.get_by_role("button", name="Give the seat").click()
        cora.get_by_text("Oz Outsider now interviews for").wait_for()
        settle(cora)

    board = scorecards.status_board(w.store, w.coordinator, w.candidate_id)
    first = [s for s in board if s.position == 1]
    assert [(s.interviewer_name, f"{s.starts_at:%H:%M}") for s in first] == [
        ("Oz Outsider", "15:30")
    ]
    with w.store.read() as db:
        kinds = [
            (r["kind"], r["to_address"])
            for r in db.execute("SELECT kind, to_address FROM outbox WHERE id > 3 ORDER BY id")
        ]
    assert kinds == [
        ("update", "ana@example.com"),
        ("cancellation", "ana@example.com"),
        ("invitation", "oz@example.com"),
    ]

    with streamlit_server(w.store.location, extra_env={"TZ": "UTC"}) as url:
        oz = visit(new_page(), url)
        sign_in(oz, "oz@example.com", oz_code)
        oz.get_by_role("heading", name="My interviews").wait_for()
        shown = everything(oz)
        assert "Candidate presentation with Q&A" in shown and "15:30" in shown
        ana = visit(new_page(), url)
        sign_in(ana, "ana@example.com", ana_code)
        ana.get_by_role("heading", name="My interviews").wait_for()
        assert "Candidate presentation with Q&A" not in everything(ana)
        assert "You have no interviews assigned." in everything(ana)
