"""What the front door and My interviews cost the server on every run (issue 25): the permission
table asked once a screen per run, not once for the navigation and again for the menu; one block
a session on My interviews and one for the whole menu, each block a message the server sends.
AppTest through app.py, on the tests' world: Cy Chen interviews one session."""

from pathlib import Path

import pytest
from streamlit.runtime.pages_manager import PagesManager
from streamlit.runtime.scriptrunner import script_runner
from streamlit.testing.v1 import AppTest

from scoring import permissions
from scoring.permissions import SCREENS
from world import build

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def cy(tmp_path, monkeypatch):
    """Cy's My interviews, reached through app.py, signed in."""
    # Every run through app.py, as a server runs it: AppTest, seeing a pages/ folder, would run
    # a page alone from the second run on (as benchmarks/scorecard_reruns.py explains).
    run_script = script_runner.ScriptRunner._run_script

    def as_a_server(self, *args, **kwargs):
        monkeypatch.setattr(PagesManager, "uses_pages_directory", False)
        return run_script(self, *args, **kwargs)

    monkeypatch.setattr(script_runner.ScriptRunner, "_run_script", as_a_server)
    w = build(tmp_path / "runs.sqlite")
    monkeypatch.setenv("DEBRIEF_DB", w.store.location)
    monkeypatch.chdir(ROOT)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30)
    at.session_state["person_id"] = w.cy.id
    at.run()
    assert not at.exception
    assert at.title[0].value == "My interviews"
    return at


@pytest.fixture
def counted(monkeypatch):
    """Permission evaluations and messages sent, from the moment it is asked for."""
    seen = {"evaluations": 0, "messages": 0}
    why_not, enqueue = permissions.why_not, script_runner.ScriptRunner._enqueue_forward_msg

    def evaluation(*args, **kwargs):
        seen["evaluations"] += 1
        return why_not(*args, **kwargs)

    def message(self, msg):
        seen["messages"] += 1
        return enqueue(self, msg)

    monkeypatch.setattr(permissions, "why_not", evaluation)  # `may` looks it up on each call
    monkeypatch.setattr(script_runner.ScriptRunner, "_enqueue_forward_msg", message)
    return seen


def test_a_rerun_asks_the_permission_table_once_a_screen(cy, counted):
    cy.run()
    assert not cy.exception
    # every screen once (which to register, which to list), and the page's own guard
    assert counted["evaluations"] <= len(SCREENS) + 1


def test_a_rerun_of_my_interviews_sends_a_few_messages_a_session(cy, counted):
    cy.run()
    assert not cy.exception
    sessions = [link for link in cy.main.get("page_link") if link.label in ("Open", "Score")]
    assert len(sessions) == 1
    # The run's own (page config, cookie slot, navigation), the menu (with Screens to review) and
    # the sign-out buttons, the title and heading: 15; then a session's block, its text, its
    # state and its link.
    assert counted["messages"] <= 16 + 4 * len(sessions)
