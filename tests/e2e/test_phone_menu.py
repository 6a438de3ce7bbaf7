"""On a phone the menu covers the page: following one of its links closes it."""

from harness import settle, sign_in, visit


def test_the_menu_closes_after_a_link_on_a_phone(demo_app, new_page):
    url, logins, _ = demo_app
    coordinator = next(x for x in logins.values() if x.roles[0] == "coordinator")
    page = new_page()
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(visit(page, url), coordinator.email, coordinator.code)
    page.get_by_test_id("stExpandSidebarButton").click()
    sidebar = page.get_by_test_id("stSidebar")
    page.wait_for_function(
        "() => document.querySelector('[data-testid=stSidebar]').getBoundingClientRect().x >= 0"
    )
    page.get_by_role("link", name="People").click()
    settle(page)
    page.wait_for_function(
        "() => document.querySelector('[data-testid=stSidebar]').getBoundingClientRect().right"
        " <= 0",
        timeout=5_000,
    )
    assert page.url.endswith("/people")
    assert page.get_by_role("heading", name="People").is_visible()
    box = sidebar.bounding_box()
    assert box is None or box["x"] + box["width"] <= 0
