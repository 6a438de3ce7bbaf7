"""The debrief in a real browser on the demo organisation: a hiring manager opens a debrief,
toggles forcing, sees what the opening's forcing moves (and that a forced extreme is no veto) and
records the decision; committee members vote in their own browsers and the history shows their
votes and the decision."""

from datetime import UTC, datetime

from harness import settle, sign_in, visit

from scoring import debrief, openings, people


def choose(page, label: str, option: str) -> None:
    box = page.get_by_test_id("stSelectbox").filter(has_text=label)
    box.locator("input").click()
    page.get_by_role("option", name=option, exact=True).click()
    settle(page)


def headline(page) -> str:
    return page.locator("h2").first.inner_text()


def go_to_debrief(page, opening, day, candidate: str) -> None:
    link = page.get_by_role("link", name="Pipeline", exact=True)
    if link.count():  # one screen only (a committee member): no menu, already there
        link.click()
    page.get_by_role("heading", name="Pipeline").first.wait_for()
    settle(page)
    choose(page, "Opening", f"{opening.title} · {opening.role}")
    # as the pipeline writes a day: "Tuesday 1 December 2026", "(today)" after today's
    today = " (today)" if day == datetime.now(UTC).date() else ""  # the browser is on UTC
    choose(page, "Interview day", f"{day:%A} {day.day} {day:%B %Y}{today}")
    choose(page, "Candidate", candidate)
    page.get_by_role("button", name="Open debrief").click()
    page.wait_for_url("**/debrief?candidate=*")
    settle(page)


def find(store, person, opening, wanted):
    """(day, row) of the first candidate of `opening` for which wanted(row) holds."""
    for day in debrief.interview_days(store, person, opening.id):
        for row in debrief.day_view(store, person, opening.id, day):
            if wanted(row):
                return day, row
    raise AssertionError("the demo has no such candidate")


def login_of(logins, name):
    return next(x for x in logins.values() if x.name == name)


def test_manager_opens_toggles_forcing_sees_what_it_moves_and_decides(demo_app, new_page):
    """Under the opening's forcing (the book's default: a weak no becomes the lowest score, a
    weak yes stays) the two weak no's of Mei-Lin Chen's ready candidate go to 0, yet the vote
    holds: the opening has a veto, and a veto needs an extreme the interviewer wrote. The page
    says who moved, that nobody changes side, and shows the same outcome; it does not say
    forcing flips it (as it did when a forced 0 was a veto)."""
    url, logins, store = demo_app
    hm_login = login_of(logins, "Mei-Lin Chen")
    hm = people.sign_in(store, hm_login.email, hm_login.code)
    (opening,) = [o for o in openings.list_openings(store, hm) if o.hiring_manager_id == hm.id]
    day, row = find(store, hm, opening, lambda r: not r.debrief_open and r.submitted == r.expected)

    page = visit(new_page(), url)
    sign_in(page, hm_login.email, hm_login.code)
    page.set_viewport_size({"width": 1920, "height": 1080})  # the projector
    go_to_debrief(page, opening, day, row.candidate)
    page.get_by_text(f"Scorecards in: {row.submitted} of {row.expected}").wait_for()
    page.get_by_role("button", name="Open the debrief", exact=True).click()
    page.get_by_text("The debrief is open").wait_for()
    settle(page)
    raw = headline(page)

    view = debrief.debrief(store, hm, row.candidate_id)
    moved = [p.interviewer for p in view.forced.positions if p.raw != p.effective]
    assert len(moved) == 2 and all(
        p.effective == 0 for p in view.forced.positions if p.raw != p.effective
    ), f"forcing moves no weak no of {row.candidate}: {view.forced.positions}"
    assert opening.strategy.veto and view.raw.outcome == view.forced.outcome == "hire"

    page.get_by_text("Force extremes (a weak no becomes the lowest score)").click()
    settle(page)
    assert headline(page) == raw, f"forcing changed the outcome of {row.candidate}"
    page.get_by_text(f"Forcing moves {', '.join(moved)} to an extreme.").wait_for()
    body = page.locator("[data-testid=stMain]").inner_text()
    assert "Nobody changes side." in body and "flips the outcome" not in body
    page.get_by_text("Force extremes").click()  # back to the opening's own rule
    settle(page)

    page.get_by_role("button", name="Record the decision").click()
    page.get_by_text("Decision recorded").wait_for()
    settle(page)
    view = debrief.debrief(store, hm, row.candidate_id)
    assert [d.outcome for d in view.decisions] == [view.raw.outcome]
    assert "confirmed" in page.locator("[data-testid=stMain]").inner_text()


def test_committee_members_vote_in_their_own_browsers_then_the_manager_decides(demo_app, new_page):
    url, logins, store = demo_app
    hm_login = login_of(logins, "Sofia Marquez")
    hm = people.sign_in(store, hm_login.email, hm_login.code)
    (opening,) = [o for o in openings.list_openings(store, hm) if o.hiring_manager_id == hm.id]
    day, row = find(
        store,
        hm,
        opening,
        lambda r: (
            r.debrief_open
            and r.decision is None
            and not debrief.debrief(store, hm, r.candidate_id).votes
        ),
    )
    alias = openings.get_candidate(store, hm, row.candidate_id).alias
    for name, verdict in (("Grace Adeyemi", "Hire"), ("Lars Nilsson", "Hire")):
        member = login_of(logins, name)
        page = visit(new_page(), url)
        sign_in(page, member.email, member.code)
        go_to_debrief(page, opening, day, alias)  # the opening is anonymised: alias only
        assert row.candidate not in page.locator("[data-testid=stApp]").inner_text()
        form = page.get_by_test_id("stForm").filter(has_text="Your vote")
        form.get_by_text(verdict, exact=True).click()
        form.get_by_role("textbox", name="Note (optional)").click()
        page.keyboard.type(f"{name.split()[0]}: solid packet", delay=30)
        form.get_by_role("button", name="Cast my vote").click()
        page.get_by_text("Your vote is in.").wait_for()

    page = visit(new_page(), url)
    sign_in(page, hm_login.email, hm_login.code)
    go_to_debrief(page, opening, day, row.candidate)
    body = page.locator("[data-testid=stMain]").inner_text()
    assert "Grace Adeyemi: Hire (Grace: solid packet)" in body
    assert "Lars Nilsson: Hire (Lars: solid packet)" in body
    if "The committee's vote says hire" in body:
        page.get_by_role("button", name="Record the decision").click()
    else:  # below the bar: the rule says no hire whatever the votes
        assert "The committee's vote says no hire" in body
        page.get_by_role("button", name="Record the decision").click()
    page.get_by_text("Decision recorded").wait_for()
    settle(page)
    body = page.locator("[data-testid=stMain]").inner_text()
    assert "Committee votes" in body and "by Sofia Marquez" in body
    assert len(debrief.debrief(store, hm, row.candidate_id).decisions) == 1
