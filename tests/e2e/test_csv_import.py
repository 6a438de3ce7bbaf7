"""In a real browser: a candidates CSV with bad rows imports nothing and names every bad row."""

from harness import settle, sign_in, visit


def candidates_count(store) -> int:
    with store.read() as db:
        return db.execute("SELECT COUNT(*) FROM candidates").fetchone()[0]


def open_candidates(demo_app, new_page):
    url, logins, store = demo_app
    coordinator = next(x for x in logins.values() if "coordinator" in x.roles)
    page = visit(new_page(), url)
    sign_in(page, coordinator.email, coordinator.code)
    page.get_by_role("link", name="Candidates").click()
    page.get_by_role("heading", name="Candidates").first.wait_for()
    settle(page)
    return page, store


def upload(page, tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text)
    page.locator("input[type=file]").set_input_files(str(path))
    settle(page)


def test_bad_rows_are_named_and_nothing_is_imported(demo_app, new_page, tmp_path):
    page, store = open_candidates(demo_app, new_page)
    before = candidates_count(store)
    upload(
        page,
        tmp_path,
        "spring-intake.csv",
        "name,email\nAda Lovelace,ada@example.org\n,nobody@example.org\n"
        "Alan Turing,alan-at-example.org\nKatherine Johnson,ada@example.org\n",
    )
    page.get_by_text("Nothing was imported: 3 problem(s) in spring-intake.csv").wait_for()
    listing = page.get_by_test_id("stCode").last.inner_text()
    assert "spring-intake.csv line 3: name is empty" in listing
    assert "spring-intake.csv line 4: 'alan-at-example.org' is not an email address" in listing
    assert "spring-intake.csv line 5: ada@example.org is already on line 2" in listing
    assert page.get_by_role("button", name="Import").count() == 0
    assert candidates_count(store) == before


def test_clean_file_imports_every_row(demo_app, new_page, tmp_path):
    page, store = open_candidates(demo_app, new_page)
    before = candidates_count(store)
    upload(page, tmp_path, "clean.csv", "name,email\nAda Lovelace,ada@example.net\nAlan Turing,\n")
    page.get_by_role("button", name="Import 2 candidates").click()
    page.get_by_text("2 candidates imported").wait_for()
    assert candidates_count(store) == before + 2
