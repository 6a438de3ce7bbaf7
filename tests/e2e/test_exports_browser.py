"""Exports from the browser: a hiring manager downloads the decisions of an opening and a decided
candidate's summary in every format; a coordinator gets decisions but no scores."""

from axe_playwright_python.sync_playwright import Axe
from harness import settle, sign_in, visit

from scoring import exports, people


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


def test_the_html_summary_passes_axe(demo_app, new_page, tmp_path):
    """The downloaded HTML file on its own: landmarks, named charts, no serious or critical
    violation (axe-core)."""
    _, logins, store = demo_app
    login = next(x for x in logins.values() if x.name == "Daniel Okafor")
    manager = people.sign_in(store, login.email, login.code)
    opening = next(o for o in exports.export_openings(store, manager))
    row = next(r for r in exports.decision_rows(store, manager, opening.id) if r["decision"])
    summary = exports.summary(store, manager, row["candidate_id"])
    path = tmp_path / "summary.html"
    path.write_bytes(exports.render(summary, "html"))
    page = new_page()
    page.goto(path.as_uri())
    violations = Axe().run(page).response["violations"]
    serious = [
        (v["id"], v["nodes"][0]["html"][:120])
        for v in violations
        if v["impact"] in ("serious", "critical")
    ]
    assert serious == []
    assert [v["id"] for v in violations if v["id"] in ("region", "landmark-one-main")] == []
