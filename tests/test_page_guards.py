"""Every page guards itself (AppTest runs the page file alone, as a direct URL request does):
anonymous visitors and people without the role get a sign-in prompt and nothing else."""

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from scoring import people
from scoring.store import Store
from scoring.text import plain_markdown
from world import copy_database

ROOT = Path(__file__).resolve().parent.parent
PAGES = {
    "openings.py": "coordinator",
    "people.py": "coordinator",
    "candidates.py": "coordinator",
    "interview_day.py": "coordinator",
    "status.py": "coordinator",
    "rubrics.py": "coordinator",
    "my_interviews.py": "interviewer",
    "reviews.py": "interviewer",
    "scorecard.py": "interviewer",
    "pipeline.py": "committee_member",
    "debrief_day.py": "committee_member",
    "debrief.py": "committee_member",
    "decisions.py": "coordinator",
    "insights.py": "coordinator",
}


def test_every_page_file_is_listed_here():
    assert {p.name for p in (ROOT / "pages").glob("*.py")} == set(PAGES)


@pytest.fixture(scope="module")
def people_file(tmp_path_factory):
    """A coordinator, an interviewer and a committee member, written once for the module."""
    path = tmp_path_factory.mktemp("pages") / "pages.sqlite"
    store = Store(path)
    coordinator, _ = people.create_first_coordinator(store, "Cora", "cora@example.com")
    ids = {"coordinator": coordinator.id}
    for role in ("interviewer", "committee_member"):
        ids[role] = people.add_person(store, coordinator, role, f"{role}@example.com", [role]).id
    return path, ids


@pytest.fixture
def org(people_file, tmp_path, monkeypatch):
    """Each test its own copy of the module's people file, as the app's database."""
    path, ids = people_file
    copy_database(path, tmp_path / "pages.sqlite")
    monkeypatch.setenv("DEBRIEF_DB", str(tmp_path / "pages.sqlite"))
    monkeypatch.chdir(ROOT)
    return ids


def run_page(name, person_id=None):
    at = AppTest.from_file(str(ROOT / "pages" / name), default_timeout=30)
    if person_id is not None:
        at.session_state["person_id"] = person_id
    return at.run()


def shown_text(at) -> str:
    parts = [
        e.value for kind in ("title", "header", "subheader", "markdown") for e in getattr(at, kind)
    ]
    return " ".join(str(p) for p in parts)


@pytest.mark.parametrize("page", sorted(PAGES))
def test_anonymous_visitor_gets_only_a_sign_in_prompt(org, page):
    at = run_page(page)
    assert not at.exception
    (prompt,) = [i.value for i in at.info]
    assert prompt.startswith("Sign in to continue. This page is for a")
    assert not at.title and not at.dataframe and not at.table
    assert [b.label for b in at.button] == ["Sign in"]  # the form's button, nothing else


@pytest.mark.parametrize("page", sorted(PAGES))
def test_signed_in_person_without_the_role_is_refused(org, page):
    # someone whose roles do not include any of the page's
    wrong = (
        "interviewer"
        if page in ("decisions.py", "debrief.py", "debrief_day.py", "pipeline.py")
        else ("committee_member")
    )
    at = run_page(page, org[wrong])
    assert not at.exception
    # the name is shown as typed, so its Markdown characters are escaped
    shown = plain_markdown(wrong, one_line=True)
    assert f"You are signed in as {shown}, who is not" in at.warning[0].value
    assert not at.title and not at.dataframe and not at.table


@pytest.mark.parametrize("page", sorted(PAGES))
def test_person_with_the_role_gets_the_page(org, page):
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30)
    at.session_state["person_id"] = org[PAGES[page]]
    at.run()
    at.switch_page(f"pages/{page}").run()
    assert not at.exception
    assert not [w for w in at.warning if "You are signed in as" in w.value]
    assert "Sign in" not in [b.label for b in at.button]
    if page == "scorecard.py":  # without ?assignment= it points back to My interviews
        assert at.info[0].value == "Choose one of your interviews to score it."
    elif page == "debrief.py":  # without ?candidate= it points back to the pipeline
        assert at.info[0].value == "Choose a candidate in the pipeline."
    else:
        assert at.title, shown_text(at)


def test_a_page_opened_straight_by_url_shows_the_persons_own_menu(org):
    # Streamlit ran the file without app.py: its folder menu (every page file) is hidden and
    # the person's own screens are offered instead
    at = run_page("rubrics.py", org["coordinator"])
    assert not at.exception and at.title
    links = [link.label for link in at.sidebar.get("page_link")] or [
        m.value.split("[")[1].split("]")[0] for m in at.sidebar.markdown if "](./" in m.value
    ]
    assert links == [
        "Openings",
        "People",
        "Candidates",
        "Interview day",
        "Status",
        "Rubrics",
        "Decisions",
        "Insights",
    ]
    assert any("stSidebarNav" in str(h.proto) for h in at.get("html"))
