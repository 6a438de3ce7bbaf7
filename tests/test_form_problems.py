"""A form the service refuses shows the problem in plain words under the field it concerns, and
keeps what was typed (issue 12, point 4)."""

from pathlib import Path

from streamlit.testing.v1 import AppTest

from scoring import people
from scoring.store import Store

ROOT = Path(__file__).resolve().parent.parent


def coordinator_on(page, tmp_path, monkeypatch, manager=False):
    monkeypatch.setenv("DEBRIEF_DB", str(tmp_path / "forms.sqlite"))
    monkeypatch.chdir(ROOT)
    coordinator, _ = people.create_first_coordinator(Store(), "Cora", "cora@example.com")
    if manager:
        people.add_person(Store(), coordinator, "Maria", "maria@example.com", ["hiring_manager"])
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30)
    at.session_state["person_id"] = coordinator.id
    at.run()
    return at.switch_page(f"pages/{page}").run()


def test_a_refused_person_shows_the_problem_under_its_field_and_keeps_what_was_typed(
    tmp_path, monkeypatch
):
    at = coordinator_on("people.py", tmp_path, monkeypatch)
    at.text_input[0].input("Dana Data")
    at.text_input[1].input("dana at example")
    next(b for b in at.button if b.label == "Add person").click().run()
    assert not at.exception
    assert [e.value for e in at.error] == ["'dana at example' is not an email address"]
    assert (at.text_input[0].value, at.text_input[1].value) == ("Dana Data", "dana at example")
    at.text_input[1].input("dana@example.com")
    next(b for b in at.button if b.label == "Add person").click().run()
    assert not at.error and at.text_input[0].value == ""  # added: a fresh, empty form


def test_an_opening_without_a_title_says_so_under_the_title(tmp_path, monkeypatch):
    at = coordinator_on("openings.py", tmp_path, monkeypatch, manager=True)
    next(b for b in at.button if b.label == "Create opening").click().run()
    assert not at.exception
    assert [e.value for e in at.error] == ["Give the opening a title."]
    assert at.text_input[1].value  # the role, prefilled from the loop, is still there
