"""The front door (app.py) with AppTest: first run, sign-in, the role-based navigation."""

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from scoring import people
from scoring.store import Store

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def db(tmp_path, monkeypatch):
    monkeypatch.setenv("DEBRIEF_DB", str(tmp_path / "app.sqlite"))
    monkeypatch.chdir(ROOT)
    return Store()


def front_door():
    return AppTest.from_file(str(ROOT / "app.py"), default_timeout=30).run()


def test_empty_database_offers_first_coordinator_and_demo_only(db):
    at = front_door()
    assert not at.exception
    assert at.title[0].value == "Welcome to Debrief"
    assert [b.label for b in at.button] == ["Create coordinator", "Load the demo"]
    assert not [t for t in at.text_input if t.label in ("Access code",)]


def test_first_coordinator_is_created_and_their_code_shown_once(db):
    at = front_door()
    name, email = at.text_input
    name.input("Cora Ordinator")
    email.input("cora@example.com")
    at.button[0].click().run()
    assert not at.exception
    (code,) = [c.value for c in at.code]
    assert people.sign_in(db, "cora@example.com", code).name == "Cora Ordinator"
    next(b for b in at.button if b.label == "Continue to sign in").click().run()
    assert not at.code  # gone: the code is not shown again
    assert [t.label for t in at.text_input] == ["Email", "Access code"]


def test_sign_in_with_a_code_opens_the_persons_screens(db):
    cora, code = people.create_first_coordinator(db, "Cora", "cora@example.com")
    at = front_door()
    email, secret = at.text_input
    email.input("cora@example.com")
    secret.input("WRONG")
    at.button[0].click().run()
    assert "do not match" in at.error[0].value
    at.text_input(key="email_main").input("cora@example.com")
    at.text_input(key="code_main").input(code)
    at.button[0].click().run()
    assert not at.exception
    assert at.session_state["person_id"] == cora.id
    assert at.title[0].value == "Openings"  # a coordinator's first screen


@pytest.mark.slow  # over 3 s (a demo built, or every scene): the full suite
def test_demo_is_loaded_from_the_first_run_screen(db):
    at = front_door()
    next(b for b in at.button if b.label == "Load the demo").click().run()
    assert not at.exception
    assert "The demo organisation is loaded." in at.success[0].value
    logins = at.dataframe[0].value
    assert len(logins) >= 12
    row = logins.iloc[0]
    assert people.sign_in(db, row["email"], row["code"]).email == row["email"]
