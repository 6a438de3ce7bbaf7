"""In a real browser: every page URL, requested directly by someone not signed in, shows a
sign-in prompt and nothing of the page."""

import pytest
from harness import sign_in, visit

PAGES = [
    "openings",
    "people",
    "candidates",
    "interview_day",
    "status",
    "rubrics",
    "my_interviews",
    "scorecard",
    "pipeline",
    "debrief_day",
    "debrief",
    "decisions",
    "insights",
]


@pytest.mark.parametrize("path", PAGES)
def test_direct_url_shows_only_a_sign_in_prompt(demo_app, new_page, path):
    url, _, _ = demo_app
    page = visit(new_page(), f"{url}/{path}")
    assert page.get_by_text("Sign in to continue").is_visible()
    body = page.locator("[data-testid=stMain]").inner_text()
    for secret in ("example.org", "Candidate ", "Data scientist", "Submitted", "Openings"):
        assert secret not in body, f"{path} shows {secret!r} to an anonymous visitor"
    assert page.get_by_role("textbox", name="Access code").is_visible()
    everything = page.locator("[data-testid=stApp]").inner_text()
    for screen in ("Openings", "People", "Candidates", "Interview day", "Rubrics"):
        assert screen not in everything, f"{path} names the {screen} screen"


def test_prompt_on_a_page_signs_in_and_then_shows_that_page(demo_app, new_page):
    url, logins, _ = demo_app
    coordinator = next(x for x in logins.values() if "coordinator" in x.roles)
    page = visit(new_page(), f"{url}/people")
    sign_in(page, coordinator.email, coordinator.code)
    assert page.get_by_role("heading", name="People").is_visible()


def test_interviewer_sees_no_coordinator_screen(demo_app, new_page):
    url, logins, _ = demo_app
    interviewer = next(x for x in logins.values() if x.roles == ("interviewer",))
    page = visit(new_page(), url)
    sign_in(page, interviewer.email, interviewer.code)
    assert page.get_by_role("heading", name="My interviews").is_visible()
    sidebar = page.locator("[data-testid=stSidebar]").inner_text()
    for screen in ("Openings", "People", "Candidates", "Interview day", "Status", "Rubrics"):
        assert screen not in sidebar


def test_wrong_code_is_refused_with_a_clear_message(demo_app, new_page):
    url, logins, _ = demo_app
    email = next(iter(logins))
    page = visit(new_page(), url)
    page.get_by_role("textbox", name="Email").fill(email)
    page.get_by_role("textbox", name="Access code").fill("WRONG-CODE")
    page.get_by_role("button", name="Sign in").click()
    page.get_by_text("That email and code do not match").wait_for()
    assert page.get_by_role("button", name="Sign out").count() == 0


@pytest.mark.parametrize("role", ["coordinator", "interviewer", "hiring_manager"])
def test_each_screen_answers_at_its_own_address(demo_app, new_page, role):
    """A link to one's first screen (from an email, a calendar, a bookmark) opens it without
    "Page not found"; the app's root leads there and the URL names it."""
    url, logins, _ = demo_app
    login = next(x for x in logins.values() if x.roles[0] == role)
    page = visit(new_page(), url)
    sign_in(page, login.email, login.code)
    page.wait_for_function("document.cookie.includes('_streamlit_xsrf')")
    for _ in range(50):  # the sign-in cookie is set by a request the page makes after sign-in
        if any(c["name"] == "debrief_session" for c in page.context.cookies()):
            break
        page.wait_for_timeout(100)
    first = page.url.rstrip("/").rsplit("/", 1)[-1]
    assert first in {"openings", "my_interviews", "pipeline"}, page.url
    for address in (f"{url}/{first}", url):
        visit(page, address)
        assert page.get_by_text("Page not found").count() == 0, address
        assert page.url.rstrip("/").endswith(first), page.url
