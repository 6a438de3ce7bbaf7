"""Which screens a person may open is asked of the permission table once a run and shared by the
navigation, the menu and the landing page (ui.menu.screens_this_run, issue 25). That answer must
not outlive its run: a role removed between two clicks takes the screen out of the menu and off
the page at the next one, and a role given adds it."""

from pathlib import Path

import pytest
from streamlit.runtime.pages_manager import PagesManager
from streamlit.runtime.scriptrunner import script_runner
from streamlit.testing.v1 import AppTest

from scoring import people
from world import build

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def w(tmp_path, monkeypatch):
    # Every run through app.py, as a server runs it (AppTest would run a page file alone).
    run_script = script_runner.ScriptRunner._run_script

    def as_a_server(self, *args, **kwargs):
        monkeypatch.setattr(PagesManager, "uses_pages_directory", False)
        return run_script(self, *args, **kwargs)

    monkeypatch.setattr(script_runner.ScriptRunner, "_run_script", as_a_server)
    world = build(tmp_path / "roles.sqlite")
    monkeypatch.setenv("DEBRIEF_DB", world.store.location)
    monkeypatch.chdir(ROOT)
    return world


def menu(at: AppTest) -> list[str]:
    return [link.label for link in at.sidebar.get("page_link")]


def test_a_role_removed_or_given_changes_the_menu_and_the_page_at_the_next_click(w):
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30)
    at.session_state["person_id"] = w.cy.id  # signed in for this tab (as in read-only mode)
    at.run()
    assert menu(at) == ["My interviews", "Screens to review", "Insights"]
    assert at.title[0].value == "My interviews"

    people.update_person(w.store, w.coordinator, w.cy.id, roles=["committee_member"])
    at.run()  # the next click
    assert not at.exception
    assert menu(at) == ["Pipeline", "Decisions"]
    assert "This page is for an interviewer" in at.warning[0].value
    assert not [t for t in at.title if t.value == "My interviews"]

    people.update_person(w.store, w.coordinator, w.cy.id, roles=["interviewer"])
    at.run()
    assert menu(at) == ["My interviews", "Screens to review", "Insights"]
    assert at.title[0].value == "My interviews"
