"""axe-core over every screen of every role, at 1280 and on a phone (390): no serious or critical
violation anywhere on the page, the sidebar menu included. The audit is Deque's axe-core (bundled
with axe-playwright-python), run over the whole page after the script has finished, with no rule
or element left out.

The menu is the app's own (ui/menu.py): Streamlit's sectioned menu puts each section's heading
inside its `<ul>` as a `<div>`, which axe reports as `list` and `listitem`.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from axe_playwright_python.sync_playwright import Axe
from harness import settle, sign_in, visit

from scoring import candidates, demographics, exports, openings, people
from scoring.demographics import SOURCES
from scoring.permissions import SCREENS
from scoring.store import now_utc
from scoring.text import isolate

AXE = Axe()
SERIOUS = ("serious", "critical")
WIDTHS = {"laptop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}


# Moderate rules held too, as the issue found them broken: headings that skip a level on our
# screens, and content outside landmarks in the HTML export (a document of our own).
HELD = ("heading-order",)
HELD_IN_EXPORT = ("heading-order", "region", "landmark-one-main")


def problems(page, screen: str, held: tuple[str, ...] = HELD) -> list[str]:
    """The serious and critical violations on the page (and those of the `held` rules)."""
    found = AXE.run(page, options={"resultTypes": ["violations"]}).response["violations"]
    out = []
    for violation in found:
        if violation["impact"] not in SERIOUS and violation["id"] not in held:
            continue
        for node in violation["nodes"]:
            detail = (node.get("any") or node.get("all") or [{}])[0].get("message", "")
            out.append(f"{screen}: {violation['id']} on {node['html'][:160]} {detail[:160]}")
    return out


def screens_of(role: str) -> list[str]:
    return [name for name, roles in SCREENS.items() if role in roles]


def first_login(logins, role: str):
    return next(x for x in logins.values() if x.roles[0] == role)


def candidate_ids(store, login, debrief_open: bool) -> list[int]:
    """Candidates of the login's opening whose debrief is (or is not) open."""
    with store.read() as db:
        rows = db.execute(
            """SELECT c.id FROM candidates c JOIN openings o ON o.id = c.opening_id
               JOIN people p ON p.id = o.hiring_manager_id
               WHERE p.email = ? AND (c.id IN (SELECT candidate_id FROM debriefs)) = ?
               AND c.id IN (SELECT candidate_id FROM interview_sessions)
               ORDER BY c.id""",
            [login.email, debrief_open],
        ).fetchall()
    return [r[0] for r in rows]


@pytest.mark.parametrize("size", WIDTHS)
def test_signed_out_screens(demo_app, empty_app, new_page, size):
    url, _, _ = demo_app
    page = new_page()
    page.set_viewport_size(WIDTHS[size])
    found = problems(visit(page, url), "sign in")
    found += problems(visit(page, empty_app[0]), "first run")
    assert not found, "\n".join(found)


@pytest.mark.parametrize("size", WIDTHS)
@pytest.mark.parametrize(
    "role", ["coordinator", "interviewer", "hiring_manager", "committee_member"]
)
def test_every_screen_of_a_role(demo_app, new_page, role, size):
    url, logins, store = demo_app
    login = first_login(logins, role)
    page = new_page()
    page.set_viewport_size(WIDTHS[size])
    sign_in(visit(page, url), login.email, login.code)
    found = problems(page, f"{role} home")
    paths = [f"/{screen}" for screen in screens_of(role)]
    if role == "interviewer":
        with store.read() as db:
            seats = db.execute(
                """SELECT a.id, s.id IS NOT NULL AS done FROM assignments a
                   JOIN people p ON p.id = a.interviewer_id
                   LEFT JOIN scorecards s ON s.assignment_id = a.id
                   WHERE p.email = ? ORDER BY a.id""",
                [login.email],
            ).fetchall()
        for done in (0, 1):  # the form, and a submitted scorecard with the others'
            seat = next((r[0] for r in seats if r[1] == done), None)
            if seat is not None:
                paths.append(f"/scorecard?assignment={seat}")
    if role == "hiring_manager":
        for is_open in (True, False):
            paths += [f"/debrief?candidate={c}" for c in candidate_ids(store, login, is_open)[:1]]
    for path in paths:
        visit(page, f"{url}{path}")
        found += problems(page, f"{role} {path}") + overflow(page, f"{role} {path}")
    assert not found, "\n".join(found)


def overflow(page, screen: str) -> list[str]:
    """A screen wider than the window (a table or chart that does not scroll inside the page)."""
    wide = page.evaluate(
        "() => { const main = document.querySelector('[data-testid=stMain]');"
        " return main ? [main.scrollWidth, main.clientWidth] : [0, 0]; }"
    )
    return [f"{screen}: {wide[0]} px wide in a {wide[1]} px window"] if wide[0] > wide[1] else []


def test_the_html_export(demo_app, new_page):
    _, logins, store = demo_app
    login = first_login(logins, "hiring_manager")
    manager = people.sign_in(store, login.email, login.code)
    (candidate,) = candidate_ids(store, login, True)[:1]
    page = new_page()
    page.set_content(exports.render_html(exports.summary(store, manager, candidate)))
    settle_static(page)
    found = problems(page, "HTML export", HELD_IN_EXPORT)
    assert not found, "\n".join(found)


def settle_static(page) -> None:
    page.wait_for_load_state("load")
    if page.locator("[data-testid=stApp]").count():
        settle(page)


def test_the_open_menu_on_a_phone(demo_app, new_page):
    """The menu drawn over the page on a phone, as a person sees it once opened."""
    url, logins, _ = demo_app
    login = first_login(logins, "coordinator")
    page = new_page()
    page.set_viewport_size(WIDTHS["phone"])
    sign_in(visit(page, url), login.email, login.code)
    page.get_by_test_id("stExpandSidebarButton").click()
    page.wait_for_function(
        "() => document.querySelector('[data-testid=stSidebar]').getBoundingClientRect().x >= 0"
    )
    found = problems(page, "open menu on a phone")
    assert not found, "\n".join(found)


# Issue 28: the privacy panel, Status' retention section and Insights' adverse impact.
TYPING_DELAY = 20  # ms between keys, as a person types
HOLD_REASON = "Tribunal claim received: keep until it closes"


def seed_answers(store, coordinator, opening_id: int) -> None:
    """Self-identified answers and sources for the opening's candidates, recorded through the
    service as if long ago: the demo has none, and adverse impact shows only months that are
    over, so without them the section has no table to check."""
    me = people.sign_in(store, coordinator.email, coordinator.code)
    at = now_utc() - timedelta(days=800)
    with store.batch():
        for n, candidate in enumerate(candidates.list_candidates(store, me, opening_id)):
            demographics.record(store, me, candidate.id, {"gender": GENDERS[n % 3]}, now=at)
            demographics.set_source(store, me, candidate.id, SOURCES[n % 4], now=at)


GENDERS = ("Woman", "Man", "Man")


def ended_candidates(store, coordinator, opening_id: int) -> list[str]:
    """Names, as listed on Candidates' first page, of those whose process is over."""
    me = people.sign_in(store, coordinator.email, coordinator.code)
    listed = candidates.find_candidates(store, me, opening_id).rows
    return [c.name for c in listed if c.withdrawn or not c.standing.startswith("In process")]


def open_screen(page, name: str) -> None:
    """Follow the menu's link, opening the menu first where it is folded away (a phone)."""
    menu = page.get_by_role("navigation", name="Your screens")
    folded = "() => document.querySelector('[data-testid=stSidebar]').getBoundingClientRect().x < 0"
    if page.evaluate(folded):
        page.get_by_test_id("stExpandSidebarButton").click()
        page.wait_for_function(
            "() => document.querySelector('[data-testid=stSidebar]').getBoundingClientRect().x >= 0"
        )
    menu.get_by_role("link", name=name, exact=True).click()
    page.wait_for_url(f"**/{name.lower().replace(' ', '_')}")
    page.get_by_role("heading", name=name, exact=True).first.wait_for()
    settle(page)


def type_into(page, box, text: str) -> None:
    box.click()
    page.keyboard.type(text, delay=TYPING_DELAY)


def choose_option(page, box, option: str, typed: str = "") -> None:
    """Open a select box, narrow it by typing (key by key) and click the option."""
    box.click()
    if typed:
        page.keyboard.type(typed, delay=TYPING_DELAY)
    page.get_by_role("option", name=option, exact=True).click()
    settle(page)


def adverse_impact_of(page, option: str, screen: str) -> list[str]:
    """On Insights: one opening, the "Adverse impact" section with its method open; axe."""
    choose_option(page, page.get_by_role("combobox", name="Openings", exact=True), option)
    page.get_by_test_id("stButtonGroup").get_by_role("radio", name="Adverse impact").click()
    page.get_by_role("heading", name="Adverse impact", exact=True).wait_for()
    settle(page)
    main = page.get_by_test_id("stMain")
    assert main.get_by_test_id("stDataFrame").count(), screen  # a stage's groups
    how = page.get_by_test_id("stExpander").filter(has_text="How is this worked out?")
    how.first.locator("summary").click()
    settle(page)
    assert how.first.get_by_test_id("stExpanderDetails").is_visible(), screen
    return problems(page, screen) + overflow(page, screen)


@pytest.mark.parametrize("size", WIDTHS)
def test_privacy_retention_and_adverse_impact(demo_app, new_page, size):
    """Issue 28's parts, as the coordinator: a candidate whose process is over, their Privacy
    panel open (the download, the erase form, the hold form, the answers form opened), then a
    hold placed by typing its reason; Status scrolled to Retention; Insights' adverse impact of
    one opening. Then the same section as that opening's hiring manager."""
    url, logins, store = demo_app
    coordinator = first_login(logins, "coordinator")
    me = people.sign_in(store, coordinator.email, coordinator.code)
    opening = openings.list_openings(store, me, "manage_opening")[0]  # the one Candidates shows
    seed_answers(store, coordinator, opening.id)
    # Its own candidate at each width: the hold placed at one is not there at the other.
    name = ended_candidates(store, coordinator, opening.id)[list(WIDTHS).index(size)]
    page = new_page()
    page.set_viewport_size(WIDTHS[size])
    sign_in(visit(page, url), coordinator.email, coordinator.code)

    open_screen(page, "Candidates")
    where = page.get_by_role("combobox", name="Candidate", exact=True).first
    choose_option(page, where, isolate(name), typed=name)
    privacy = page.get_by_test_id("stExpander").filter(has_text="Privacy")
    privacy.first.locator("summary").click()
    settle(page)
    panel = privacy.first.get_by_test_id("stExpanderDetails")
    panel.get_by_role("button", name="Download everything held (JSON)").wait_for()
    panel.get_by_role("button", name="Erase for good").scroll_into_view_if_needed()
    assert panel.get_by_role("button", name="Erase for good").is_visible()
    panel.get_by_text("Record their answers").click()  # the write-only form, opened
    panel.get_by_role("button", name="Save answers").wait_for()
    settle(page)
    found = problems(page, f"privacy panel of {name} at {size}") + overflow(page, "privacy")
    hold = panel.get_by_test_id("stForm").filter(
        has=page.get_by_role("button", name="Place a hold")
    )
    type_into(page, hold.get_by_role("textbox", name="Why"), HOLD_REASON)
    hold.get_by_role("button", name="Place a hold").click()
    settle(page)
    panel.get_by_text("Hold placed.").wait_for()
    assert panel.get_by_role("button", name="Lift the hold").is_visible()
    found += problems(page, f"privacy panel of {name}, on hold, at {size}")

    open_screen(page, "Status")
    retention_heading = page.get_by_role("heading", name="Retention", exact=True)
    retention_heading.scroll_into_view_if_needed()
    assert retention_heading.is_visible()
    # the hold just placed, a cell of its table (the grid's cells are drawn on a canvas)
    page.locator("[role=gridcell]", has_text=HOLD_REASON).first.wait_for(state="attached")
    found += problems(page, f"status retention at {size}") + overflow(page, "status")

    open_screen(page, "Insights")
    option = f"{opening.title} · {opening.role}"
    found += adverse_impact_of(page, option, f"adverse impact, coordinator, at {size}")

    with store.read() as db:
        (manager_email,) = db.execute(
            "SELECT email FROM people WHERE id = ?", [opening.hiring_manager_id]
        ).fetchone()
    manager = logins[manager_email]
    page = new_page()
    page.set_viewport_size(WIDTHS[size])
    sign_in(visit(page, url), manager.email, manager.code)
    open_screen(page, "Insights")
    found += adverse_impact_of(page, option, f"adverse impact, hiring manager, at {size}")
    assert not found, "\n".join(found)
