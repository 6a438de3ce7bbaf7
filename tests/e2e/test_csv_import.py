"""In a real browser: a candidates CSV with bad rows imports nothing and names every bad row; an
applicant tracking system's export imports, with its phone and source (as its category), its
other columns named in one line. Screenshots of Candidates after an import, and of Openings, at
1280 and 390."""

import os
from pathlib import Path

from harness import settle, sign_in, visit, whole_page_shot

SHOTS = Path(os.environ.get("DEBRIEF_SHOTS", "/tmp/debrief-shots"))


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
    assert "spring-intake.csv line 3: name: empty (every candidate needs a name)" in listing
    assert "spring-intake.csv line 4: email: 'alan-at-example.org' is not an email address" in (
        listing
    )
    assert "spring-intake.csv line 5: email: ada@example.org is already on line 2" in listing
    assert page.get_by_role("button", name="Import").count() == 0
    assert candidates_count(store) == before


def test_clean_file_imports_every_row(demo_app, new_page, tmp_path):
    page, store = open_candidates(demo_app, new_page)
    before = candidates_count(store)
    upload(page, tmp_path, "clean.csv", "name,email\nAda Lovelace,ada@example.net\nAlan Turing,\n")
    page.get_by_role("button", name="Import 2 candidates").click()
    page.get_by_text("2 candidates imported").wait_for()
    assert candidates_count(store) == before + 2


ATS = (
    "First Name,Last Name,Email,Phone,Source,LinkedIn,Notes\n"
    "Dorothy,Vaughan,dorothy@example.net,+1 555 0101,Referral,https://in.example/dv,Met at a fair\n"
    "Mary,Jackson,mary@example.net,+1 555 0102,Careers page,,\n"
    "Annie,Easley,,,Agency,,\n"
)


def stored_contacts(store) -> dict:
    with store.read() as db:
        return {
            r["name"]: (r["email"], r["phone"], r["source"])
            for r in db.execute("SELECT name, email, phone, source FROM candidates")
        }


def test_an_ats_export_imports_with_phone_and_source(demo_app, new_page, tmp_path):
    page, store = open_candidates(demo_app, new_page)
    before = candidates_count(store)
    upload(page, tmp_path, "ats-export.csv", ATS)
    page.get_by_text("3 candidates ready to import").wait_for()
    page.get_by_text("Ignored columns: LinkedIn, Notes.").wait_for()
    assert page.get_by_text("Nothing was imported").count() == 0
    SHOTS.mkdir(parents=True, exist_ok=True)
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        settle(page)
        whole_page_shot(page, SHOTS / f"candidates-import-preview-{width}.png")
    page.set_viewport_size({"width": 1280, "height": 900})
    settle(page)
    page.get_by_role("button", name="Import 3 candidates").click()
    page.get_by_text("3 candidates imported").wait_for()
    settle(page)
    assert candidates_count(store) == before + 3
    kept = stored_contacts(store)
    # the source kept as its category (an ATS's text may name someone else)
    assert kept["Dorothy Vaughan"] == ("dorothy@example.net", "+1 555 0101", "referral")
    assert kept["Mary Jackson"][2] == "applied"
    assert kept["Annie Easley"] == ("", "", "agency")
    # the table is drawn on a canvas: tests/test_words_on_screens.py reads its columns
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        settle(page)
        whole_page_shot(page, SHOTS / f"candidates-after-import-{width}.png")


def test_openings_say_what_the_scorecards_needed_mean(demo_app, new_page):
    url, logins, _ = demo_app
    coordinator = next(x for x in logins.values() if "coordinator" in x.roles)
    page = visit(new_page(), url)
    sign_in(page, coordinator.email, coordinator.code)
    page.get_by_role("link", name="Openings").click()
    page.get_by_role("heading", name="New opening").wait_for()
    settle(page)
    needed = page.get_by_role("spinbutton", name="Scorecards needed to decide (0: no minimum)")
    assert needed.input_value() == "0"
    page.get_by_text("Cross-company committee", exact=True).click()
    settle(page)
    page.get_by_role("spinbutton", name="Committee votes needed to decide").wait_for()
    page.get_by_text("Democratic vote", exact=True).click()
    settle(page)
    main = page.get_by_test_id("stMain").inner_text()
    assert "quorum" not in main.lower()
    assert "Hiring manager decides" in main  # the openings table says each strategy in words
    SHOTS.mkdir(parents=True, exist_ok=True)
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        settle(page)
        whole_page_shot(page, SHOTS / f"openings-{width}.png")
