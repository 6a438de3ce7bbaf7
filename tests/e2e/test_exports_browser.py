"""Exports from the browser: a hiring manager downloads the decisions of an opening and a decided
candidate's summary in every format; a coordinator gets decisions but no scores."""

from harness import settle, sign_in, visit


def open_decisions(page, url, login):
    visit(page, url)
    sign_in(page, login.email, login.code)
    page.get_by_role("link", name="Decisions").click()
    page.get_by_role("heading", name="Decisions").first.wait_for()
    settle(page)


def download(page, label: str, nth: int = 0) -> bytes:
    with page.expect_download() as caught:
        buttons = page.get_by_test_id("stDownloadButton").filter(has_text=label)
        buttons.nth(nth).locator("button").click()
    return open(caught.value.path(), "rb").read()


def test_manager_downloads_decisions_and_every_summary_format(demo_app, new_page):
    url, logins, _ = demo_app
    manager = next(x for x in logins.values() if x.name == "Daniel Okafor")
    page = new_page()
    open_decisions(page, url, manager)
    decisions = download(page, "CSV").decode()
    assert decisions.startswith("candidate_id,candidate,opening")
    scores = download(page, "CSV", 1).decode()
    assert "criterion_id" in scores.splitlines()[0]
    assert download(page, "PDF").startswith(b"%PDF")
    assert b"<svg" in download(page, "HTML")
    assert download(page, "Markdown").startswith(b"# Decision summary:")
    assert b'"decisions"' in download(page, "JSON", 2)


def test_coordinator_exports_decisions_but_no_scores(demo_app, new_page):
    url, logins, _ = demo_app
    coordinator = next(x for x in logins.values() if "coordinator" in x.roles)
    page = new_page()
    open_decisions(page, url, coordinator)
    assert download(page, "CSV").decode().startswith("candidate_id,candidate")
    body = page.locator("[data-testid=stMain]").inner_text()
    assert "Coordinators export decisions, not scores." in body
    assert page.get_by_test_id("stDownloadButton").filter(has_text="PDF").count() == 0
