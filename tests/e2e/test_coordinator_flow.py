"""From an empty database to an interview day, by clicks only, in a real browser: the first
coordinator, people with codes, an opening, a candidate, a scheduled session; then the
interviewer signs in in another browser and sees the assignment and nothing else."""

import re

from harness import settle, sign_in, visit

from scoring import openings, scorecards
from scoring.permissions import Person
from scoring.store import Store


def shown_code(page) -> str:
    text = page.get_by_test_id("stCode").last.inner_text()
    return re.search(r"[2-9A-Z]{4}-[2-9A-Z]{4}-[2-9A-Z]{4}-[2-9A-Z]{4}", text).group(0)


def go(page, screen: str) -> None:
    page.get_by_role("link", name=screen).click()
    page.get_by_role("heading", name=screen).first.wait_for()
    settle(page)


def choose(page, label: str, option: str, scope=None) -> None:
    """Pick `option` in the select box or multiselect labelled `label`."""
    where = scope or page
    box = where.get_by_test_id("stSelectbox").filter(has_text=label)
    if not box.count():
        box = where.get_by_test_id("stMultiSelect").filter(has_text=label)
    box.first.locator("input").click()
    page.get_by_role("option", name=option, exact=True).click()
    settle(page)


def add_person(page, name: str, email: str, role: str) -> str:
    form = page.get_by_test_id("stForm").filter(has_text="Add someone")
    form.get_by_role("textbox", name="Name").fill(name)
    form.get_by_role("textbox", name="Email").fill(email)
    if role != "Interviewer":  # the form starts with Interviewer chosen
        form.get_by_test_id("stMultiSelect").locator("input").click()
        page.get_by_role("option", name=role, exact=True).click()
        page.keyboard.press("Escape")
    form.get_by_role("button", name="Add person").click()
    page.get_by_text(f"Access code for {name}").wait_for()
    settle(page)
    code = shown_code(page)
    page.get_by_role("button", name="Done, I have passed it on").click()
    settle(page)
    return code


def test_from_nothing_to_an_interview_day_by_clicks(empty_app, new_page):
    url, db = empty_app
    page = visit(new_page(), url)

    # First run: create the first coordinator; the code is shown once.
    page.get_by_role("textbox", name="Your name").fill("Cora Ordinator")
    page.get_by_role("textbox", name="Your email").fill("cora@example.com")
    page.get_by_role("button", name="Create coordinator").click()
    page.get_by_text("is the first coordinator").wait_for()
    settle(page)
    cora_code = shown_code(page)
    page.get_by_role("button", name="Continue to sign in").click()
    settle(page)
    sign_in(page, "cora@example.com", cora_code)

    # People: a hiring manager and an interviewer, each with a code.
    go(page, "People")
    add_person(page, "Maria Manager", "maria@example.com", "Hiring manager")
    ivan_code = add_person(page, "Ivan Interviewer", "ivan@example.com", "Interviewer")
    # the code works and was not stored as such
    assert ivan_code not in db.read_bytes().decode("latin-1")

    # Openings: one from the generalist loop.
    go(page, "Openings")
    choose(page, "Loop template", "On-site loop, generalist data scientist")
    page.get_by_role("textbox", name="Title").fill("Data scientist, growth")
    page.get_by_role("textbox", name="Title").press("Enter")
    settle(page)
    page.get_by_role("button", name="Create opening").click()
    page.get_by_text("Opening 'Data scientist, growth' created").wait_for()
    settle(page)

    # Candidates: add one.
    go(page, "Candidates")
    form = page.get_by_test_id("stForm").filter(has_text="Add a candidate")
    form.get_by_role("textbox", name="Name").fill("Grace Hopper")
    form.get_by_role("button", name="Add candidate").click()
    page.get_by_text("Grace Hopper added").wait_for()
    settle(page)

    # Interview day: the first session with Ivan.
    go(page, "Interview day")
    page.get_by_test_id("stMultiSelect").first.locator("input").click()
    page.get_by_role("option", name="Ivan Interviewer", exact=True).click()
    page.keyboard.press("Escape")
    settle(page)
    page.get_by_role("button", name="Schedule 1 session").click()
    page.get_by_text("1 session(s) scheduled for Grace Hopper").wait_for()
    settle(page)

    # The database says the same, through the service.
    store = Store(db)
    with store.read() as conn:
        cora = Person.from_row(
            conn.execute("SELECT * FROM people WHERE email = ?", ["cora@example.com"]).fetchone()
        )
    (opening,) = openings.list_openings(store, cora)
    (candidate,) = openings.list_candidates(store, cora, opening.id)
    (seat,) = scorecards.status_board(store, cora, candidate.id)
    assert (seat.interviewer_name, seat.session_title) == (
        "Ivan Interviewer",
        "Candidate presentation with Q&A",
    )

    # Ivan, in his own browser, sees his assignment and none of the coordinator's screens.
    ivan = visit(new_page(), url)
    sign_in(ivan, "ivan@example.com", ivan_code)
    ivan.get_by_role("heading", name="My interviews").wait_for()
    body = ivan.locator("[data-testid=stApp]").inner_text()
    assert "Grace Hopper" in body and "Candidate presentation with Q&A" in body
    for screen in ("Openings", "People", "Candidates", "Interview day", "Status", "Rubrics"):
        assert screen not in body
