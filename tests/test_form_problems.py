"""A form the service refuses shows the problem in plain words under the field it concerns, and
keeps what was typed (issue 12, point 4)."""

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from scoring import openings, people, scorecards
from scoring.errors import InvalidInput
from scoring.store import Store
from world import build, page_as

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
    assert [e.value.startswith("'dana at example' is not an email address:") for e in at.error] == [
        True
    ]
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


def test_a_candidate_without_a_name_says_so_under_the_name(tmp_path, monkeypatch):
    world = build(tmp_path / "cand.sqlite")
    at = page_as(world, "coordinator", "pages/candidates.py", monkeypatch)
    next(t for t in at.text_input if t.label == "Email (optional)").input("someone@example.com")
    next(b for b in at.button if b.label == "Add candidate").click().run()
    assert [e.value for e in at.error] == ["Write the candidate's name."]
    kept = next(t for t in at.text_input if t.label == "Email (optional)").value
    assert kept == "someone@example.com"


def test_a_refused_plan_names_the_session_it_concerns(tmp_path):
    """The Interview day page shows a refusal under the session named before the colon."""
    world = build(tmp_path / "sched.sqlite")
    alan = openings.add_candidate(world.store, world.coordinator, world.opening_id, "Alan T", "")
    nine = datetime(2026, 12, 1, 9, tzinfo=UTC)
    openings.schedule_session(world.store, world.coordinator, alan, 2, nine, [world.cy.id])
    plan = [
        openings.SessionPlan(1, nine, (world.ana.id,)),
        openings.SessionPlan(2, nine + timedelta(hours=1), (world.bo.id,)),
    ]
    with pytest.raises(InvalidInput) as refused:
        openings.schedule_day(world.store, world.coordinator, alan, plan)
    field, _, message = str(refused.value).partition(": ")
    assert field == "session.2"
    assert message.endswith("on this candidate's day; add or replace an interviewer instead")
    board = scorecards.status_board(world.store, world.coordinator, alan)
    assert [s.interviewer_name for s in board] == ["Cy Chen"]  # session 1 was not written either
