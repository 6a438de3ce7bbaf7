"""A refused scorecard, in a real browser: each problem under its field, in the product's words,
and the first one brought into view however far down the Submit button was."""

from harness import sign_in, streamlit_server, visit

from scoring import people
from world import build


def test_the_first_problem_is_scrolled_into_view(tmp_path, new_page):
    world = build(tmp_path / "problems.sqlite")
    code = people.issue_code(world.store, world.coordinator, world.cy.id)

    with streamlit_server(world.store.location) as url:
        cy = visit(new_page(), f"{url}/scorecard?assignment={world.seats['cy']}")
        sign_in(cy, "cy@example.com", code)
        cy.get_by_role("textbox", name="Written feedback (required)").fill("Solid.")
        submit = cy.get_by_role("button", name="Submit scorecard…")
        submit.scroll_into_view_if_needed()
        submit.click()
        first = cy.locator('[class*="st-key-problem-scorecard-criteria"]').first
        first.wait_for()
        assert "Choose a point" in first.inner_text() or "Choose" in first.inner_text()
        cy.wait_for_timeout(1500)  # the smooth scroll
        box = first.bounding_box()
        assert box is not None and 0 <= box["y"] <= cy.viewport_size["height"] - box["height"]
        problems = cy.locator('[class*="st-key-problem-scorecard-"]')
        assert problems.count() >= 2  # every criterion and the overall, each under its field
        texts = problems.all_inner_texts()
        assert any("Choose an overall recommendation" in t for t in texts), texts
        assert not any("None" in t or "got" in t for t in texts), texts
