"""The app's own menu (ui/menu.py), drawn by app.py for every signed-in person: their screens by
section, as links, and nothing of Streamlit's own menu (its sections break the list markup)."""

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from scoring import people
from scoring.store import Store

ROOT = Path(__file__).resolve().parent.parent

MENUS = {
    "coordinator": {
        "Setup": ["Openings", "People", "Candidates", "Interview day", "Status", "Rubrics"],
        "Records": ["Decisions", "Insights"],
    },
    "interviewer": {"Interviews": ["My interviews", "Screens to review"], "Records": ["Insights"]},
    "hiring_manager": {
        "Interviews": ["Screens to review"],
        "Debrief": ["Pipeline"],
        "Setup": ["Status", "Rubrics"],
        "Records": ["Decisions", "Insights"],
    },
    "committee_member": {"Debrief": ["Pipeline"], "Records": ["Decisions"]},
}


@pytest.fixture
def org(tmp_path, monkeypatch):
    monkeypatch.setenv("DEBRIEF_DB", str(tmp_path / "menu.sqlite"))
    monkeypatch.chdir(ROOT)
    store = Store()
    coordinator, _ = people.create_first_coordinator(store, "Cora", "cora@example.com")
    ids = {"coordinator": coordinator.id}
    for role in ("interviewer", "hiring_manager", "committee_member"):
        ids[role] = people.add_person(store, coordinator, role, f"{role}@example.com", [role]).id
    return ids


def signed_in_app(person_id: int) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30)
    at.session_state["person_id"] = person_id
    return at.run()


def sidebar_menu(at: AppTest) -> dict[str, list[str]]:
    """The sidebar's menu as drawn: each caption with the page links under it (up to the next
    caption; nothing else is in the menu)."""
    (menu,) = [block for block in at.sidebar.children.values() if block.key == "menu"]
    sections: dict[str, list[str]] = {}
    for element in menu.children.values():
        if element.type == "caption":
            heading = sections.setdefault(element.value, [])
        else:
            assert element.type == "page_link", element
            heading.append(element.label)
    return sections


@pytest.mark.parametrize("role", MENUS)
def test_the_sidebar_menu_lists_the_persons_screens_by_section(org, role):
    at = signed_in_app(org[role])
    assert not at.exception
    assert sidebar_menu(at) == MENUS[role]


def test_pages_reached_from_others_are_not_in_the_menu_but_answer(org):
    at = signed_in_app(org["hiring_manager"])
    links = [link.label for link in at.sidebar.get("page_link")]
    assert not {"Candidate debrief", "Day view", "Scorecard"} & set(links)
    at.switch_page("pages/debrief.py").run()
    assert not at.exception
    assert at.info[0].value == "Choose a candidate in the pipeline."
    assert [link.label for link in at.sidebar.get("page_link")] == links  # the menu stays


def test_a_person_with_no_screen_gets_no_menu(org, tmp_path):
    store = Store()
    cora = people.get_person(store, org["coordinator"])
    nobody = people.add_person(store, cora, "Nobody", "nobody@example.com", ["interviewer"])
    people.update_person(store, cora, nobody.id, roles=[])
    at = signed_in_app(nobody.id)
    assert not at.exception
    assert not at.sidebar.get("page_link")
    assert at.title[0].value == "Debrief"
    assert "You have no screens yet" in at.main.markdown[0].value
