"""In a real browser: the signed-in menu is the app's own (ui/menu.py), not Streamlit's. It is a
navigation landmark named "Your screens", its links are named by their words alone (the icons are
hidden from screen readers), the current page's link says so (aria-current), and a page reached
from another (a debrief) keeps its own address with the menu beside it."""

from harness import settle, sign_in, visit

COORDINATOR = [
    "Openings",
    "People",
    "Candidates",
    "Interview day",
    "Status",
    "Rubrics",
    "Decisions",
    "Insights",
]


def first_login(logins, role: str):
    return next(x for x in logins.values() if x.roles[0] == role)


def current(menu) -> list[str]:
    return [link.get_attribute("href") for link in menu.locator("[aria-current=page]").all()]


def test_the_menu_is_a_landmark_that_marks_the_current_page(demo_app, new_page):
    url, logins, _ = demo_app
    coordinator = first_login(logins, "coordinator")
    page = visit(new_page(), url)
    sign_in(page, coordinator.email, coordinator.code)
    assert page.get_by_test_id("stSidebarNav").count() == 0  # Streamlit's menu is not drawn
    menu = page.get_by_role("navigation", name="Your screens")
    hrefs = [link.get_attribute("href") for link in menu.get_by_role("link").all()]
    assert hrefs == [name.lower().replace(" ", "_") for name in COORDINATOR]
    for name in COORDINATOR:  # the icon's ligature ("work") is not part of the name
        assert menu.get_by_role("link", name=name, exact=True).count() == 1
    page.wait_for_function("document.querySelector('[aria-current=page]') !== null")
    assert current(menu) == ["openings"]
    menu.get_by_role("link", name="People", exact=True).click()
    page.wait_for_url("**/people")
    settle(page)
    page.get_by_role("heading", name="People").wait_for()
    page.wait_for_function(
        "document.querySelector('[aria-current=page]')?.textContent.endsWith('People')"
    )
    assert current(menu) == ["people"]


def test_a_debrief_keeps_its_address_and_the_menu(demo_app, new_page):
    url, logins, store = demo_app
    manager = first_login(logins, "hiring_manager")
    with store.read() as db:
        (candidate,) = db.execute(
            """SELECT c.id FROM candidates c JOIN openings o ON o.id = c.opening_id
               JOIN people p ON p.id = o.hiring_manager_id WHERE p.email = ?
               ORDER BY c.id LIMIT 1""",
            [manager.email],
        ).fetchone()
    page = visit(new_page(), url)
    sign_in(page, manager.email, manager.code)
    visit(page, f"{url}/debrief?candidate={candidate}")
    assert page.url.endswith(f"/debrief?candidate={candidate}")
    assert page.get_by_text("Page not found").count() == 0
    menu = page.get_by_role("navigation", name="Your screens")
    assert menu.get_by_role("link", name="Pipeline", exact=True).count() == 1
    assert menu.get_by_role("link", name="Candidate debrief").count() == 0
    assert current(menu) == []
