"""What the scorecard costs the server per rerun (issue 25): the page's run reads the sheet once,
and a point chosen (the form's own rerun, which saves the change in its callback) uses one
connection and reads nothing the save has just checked. The guards stay: see
tests/security/test_fragment_reruns_refuse.py for who is refused on such a rerun.

AppTest reruns the whole script for every widget; here each run after opening the form is the
form's own rerun, as a browser asks for it (`RerunData.fragment_id_queue`)."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest, local_script_runner

from scoring import drafts, people, scorecards
from scoring.store import count_statements
from world import build

ROOT = Path(__file__).resolve().parent.parent
# The sheet's first statement (`scoring.queries.scorecards.ASSIGNMENT`) and the opening's
# (`scoring.opening_record.load`): what reading the whole sheet again would show.
SHEET_READ = "SELECT a.*, i.candidate_id, i.rubric_hash"
OPENING_READ = "FROM openings WHERE id ="


def as_fragment_reruns(monkeypatch, at: AppTest) -> None:
    """From now on every run of `at` is a rerun of the form, the one fragment the page drew."""
    storage = at._fragment_storage
    (form,) = storage._fragments
    made = local_script_runner.RerunData

    def rerun_data(**fields):
        return made(**fields, fragment_id_queue=[form], is_fragment_scoped_rerun=True)

    monkeypatch.setattr(local_script_runner, "RerunData", rerun_data)


@pytest.fixture
def world(tmp_path, monkeypatch):
    monkeypatch.chdir(ROOT)
    w = build(tmp_path / "cost.sqlite")
    monkeypatch.setenv("DEBRIEF_DB", w.store.location)
    return w


def submit_cys(world) -> None:
    """Cy's scorecard submitted elsewhere (another tab): every point at the top, overall 4."""
    sheet = scorecards.sheet(world.store, world.cy, world.seats["cy"])
    scorecards.submit(
        world.store,
        world.cy,
        world.seats["cy"],
        overall=4,
        feedback="Done.",
        criteria={c.id: {"score": max(c.anchors), "evidence": ""} for c in sheet.rubric.criteria},
    )


def open_form(world) -> AppTest:
    """Cy signed in with a lasting session (whose check a callback makes too), her form open."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30)
    at.session_state["person_id"] = world.cy.id
    at.session_state["session_token"] = people.start_session(world.store, world.cy, "code")
    at.run()
    at.query_params["assignment"] = str(world.seats["cy"])
    at.switch_page("pages/scorecard.py").run()
    assert not at.exception, at.exception
    return at


def radio(at, key_part):
    return next(r for r in at.radio if r.key and r.key.endswith(key_part))


@pytest.mark.sqlite_only("pins SQLite's statements and connections (count_statements)")
def test_the_pages_run_reads_the_sheet_once(world):
    at = open_form(world)
    with count_statements() as seen:
        at.run()  # a rerun of the page: its sheet, and the form drawn from it
    assert not at.exception, at.exception
    assert sum(SHEET_READ in s for s in seen.statements) == 1, seen.statements
    assert radio(at, "_overall")  # the form is there


@pytest.mark.sqlite_only("pins SQLite's statements and connections (count_statements)")
def test_a_point_chosen_is_saved_on_one_connection_without_reading_the_sheet(world, monkeypatch):
    at = open_form(world)
    as_fragment_reruns(monkeypatch, at)
    overall = radio(at, "_overall")
    with count_statements() as seen:
        overall.set_value(overall.options[3]).run()
    assert not at.exception, at.exception
    assert drafts.load_draft(world.store, world.cy, world.seats["cy"]).overall == 3
    assert seen.connections == 1, seen.statements
    assert sum("INTO drafts" in s for s in seen.statements) == 1  # saved once, by the callback
    assert not [s for s in seen.statements if SHEET_READ in s or OPENING_READ in s]
    # the session's check, the person, the seat's facts, the save and where the seat stands
    assert len(seen) <= 16, seen.statements
    # ... and the page shows what the server holds: the line under the heading, the save line
    assert any("draft saved" in c.value.lower() for c in at.caption), [c.value for c in at.caption]
    (line,) = [h.proto.body for h in at.get("html") if 'id="debrief-save"' in h.proto.body]
    held = json.loads(html.unescape(re.search(r'data-held="([^"]*)"', line)[1]))
    assert held[f"score_{world.seats['cy']}_overall"] == 3  # the index of its choice, 3


@pytest.mark.sqlite_only("pins SQLite's statements and connections (count_statements)")
def test_a_button_on_the_form_reads_who_and_where_the_seat_stands_not_the_sheet(world, monkeypatch):
    """A rerun of the form with no change saved by a callback (here Submit, on a draft that is
    complete) checks who is signed in and the seat itself, on one connection, and no more."""
    sheet = scorecards.sheet(world.store, world.cy, world.seats["cy"])
    drafts.save_draft(
        world.store,
        world.cy,
        world.seats["cy"],
        {
            "overall": 4,
            "feedback": "Clean, tested code.",
            "criteria": {c.id: {"score": max(c.anchors)} for c in sheet.rubric.criteria},
        },
    )
    at = open_form(world)
    as_fragment_reruns(monkeypatch, at)
    with count_statements() as seen:
        next(b for b in at.button if b.label == "Submit scorecard…").click().run()
    assert not at.exception, at.exception
    assert any("A submitted scorecard is final" in m.value for m in at.markdown)  # the dialog
    assert seen.connections == 1, seen.statements
    assert any("sign_in_sessions" in s for s in seen.statements)  # who is signed in, re-read
    assert not [s for s in seen.statements if SHEET_READ in s or OPENING_READ in s]
    # 14, and the candidate's data key: their name on the form is sealed under it
    assert len(seen) <= 15, seen.statements


def test_a_scorecard_submitted_in_another_tab_ends_the_form_on_its_next_rerun(world, monkeypatch):
    at = open_form(world)
    as_fragment_reruns(monkeypatch, at)
    submit_cys(world)
    overall = radio(at, "_overall")
    overall.set_value(overall.options[1]).run()
    assert not at.exception, at.exception
    assert not any(r.key == f"score_{world.seats['cy']}_overall" for r in at.radio)  # no form
    assert any("Submitted" in s.value for s in at.success)
    assert scorecards.own_scorecard(world.store, world.cy, world.seats["cy"]).overall == 4


def test_a_shut_box_draws_no_form_until_it_is_opened(world):
    """The conflict-of-interest box and, once submitted, the correction box: their forms are
    drawn (and sent on every run) only while open; opening one shows its form."""
    at = open_form(world)
    recuse_box = f"recuse_{world.seats['cy']}"
    assert "Declare a conflict of interest" in [e.label for e in at.expander]
    assert not [t for t in at.text_input if t.key == recuse_box]
    at.session_state["conflict"] = True  # the person opens it: a rerun
    at.run()
    assert [t for t in at.text_input if t.key == recuse_box]
    assert any(b.label == "Recuse myself from this interview" for b in at.button)

    submit_cys(world)
    at.run()
    assert "Correct this scorecard" in [e.label for e in at.expander]
    assert not at.radio and not at.text_area  # no correction form while the box is shut
    at.session_state["correct"] = True
    at.run()
    assert not at.exception, at.exception
    assert any(b.label == "Submit the correction…" for b in at.button)
    assert radio(at, "_overall").value == 4  # the form starts from what was submitted


def test_what_is_typed_in_a_box_outlives_shutting_it(world):
    """A box's form is not drawn while it is shut: what was typed there (the conflict's reason;
    a correction's reason, feedback and point) is still there when it opens again."""
    at = open_form(world)
    recuse = f"recuse_{world.seats['cy']}"
    at.session_state["conflict"] = True
    at.run()
    next(t for t in at.text_input if t.key == recuse).input("I coached her last year").run()
    at.session_state["conflict"] = False  # shut
    at.run()
    assert not [t for t in at.text_input if t.key == recuse]
    at.run()  # and another run while shut
    at.session_state["conflict"] = True
    at.run()
    assert next(t for t in at.text_input if t.key == recuse).value == "I coached her last year"

    submit_cys(world)
    at.run()
    at.session_state["correct"] = True
    at.run()
    revise = f"revise_{world.seats['cy']}"
    next(t for t in at.text_input if t.key == f"{revise}_reason").input("Misread my notes").run()
    next(t for t in at.text_area if t.key == f"{revise}_feedback").input("Done, revised.").run()
    next(r for r in at.radio if r.key == f"{revise}_overall").set_value(2).run()
    at.session_state["correct"] = False
    at.run()
    assert not at.radio and not at.text_area
    at.run()
    at.session_state["correct"] = True
    at.run()
    assert not at.exception, at.exception
    assert next(t for t in at.text_input if t.key == f"{revise}_reason").value == "Misread my notes"
    assert next(t for t in at.text_area if t.key == f"{revise}_feedback").value == "Done, revised."
    assert next(r for r in at.radio if r.key == f"{revise}_overall").value == 2
