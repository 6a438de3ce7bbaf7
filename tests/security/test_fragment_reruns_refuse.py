"""The scorecard's form reruns alone (a fragment, issue 25): a point chosen or a text committed
reruns the form without the page's guard or app.py. Such a rerun refuses exactly as the page
does: a person signed out everywhere, whose interviewer role was just taken away, who was
deactivated, or whose seat was given to someone else, is refused on that very rerun, and the
change they made then is not saved to the draft.

AppTest reruns the whole script for every widget; here each run after opening the form is the
form's own rerun, as a browser asks for it (`RerunData.fragment_id_queue`)."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest, local_script_runner

from scoring import drafts, people, schedule_changes
from scoring.drafts import Draft
from world import build

ROOT = Path(__file__).resolve().parents[2]


def as_fragment_reruns(monkeypatch, at: AppTest) -> None:
    """From now on every run of `at` is a rerun of the fragment its last run drew last."""
    storage = at._fragment_storage
    (form,) = storage._fragments  # the page drew one fragment: the form
    made = local_script_runner.RerunData

    def rerun_data(**fields):
        return made(**fields, fragment_id_queue=[form], is_fragment_scoped_rerun=True)

    monkeypatch.setattr(local_script_runner, "RerunData", rerun_data)


@pytest.fixture
def form(tmp_path, monkeypatch):
    """Cy signed in with a lasting session, her scorecard open with a draft: the form's reruns
    from now on."""
    monkeypatch.chdir(ROOT)
    w = build(tmp_path / "fragment.sqlite")
    monkeypatch.setenv("DEBRIEF_DB", w.store.location)
    seat = w.seats["cy"]
    drafts.save_draft(w.store, w.cy, seat, Draft(feedback="Before."))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30)
    at.session_state["person_id"] = w.cy.id
    at.session_state["session_token"] = people.start_session(w.store, w.cy, "code")
    at.run()
    at.query_params["assignment"] = str(seat)
    at.switch_page("pages/scorecard.py").run()
    assert not at.exception, at.exception
    as_fragment_reruns(monkeypatch, at)
    return w, at


def choose_overall(at: AppTest, w) -> None:
    overall = next(r for r in at.radio if r.key == f"score_{w.seats['cy']}_overall")
    overall.set_value(overall.options[3]).run()
    assert not at.exception, at.exception


def test_the_forms_own_rerun_saves_a_change_and_keeps_the_page(form):
    """The control: a change reruns the form alone and is saved; the page stays as it was."""
    w, at = form
    choose_overall(at, w)
    assert drafts.load_draft(w.store, w.cy, w.seats["cy"]).overall == 3
    assert at.radio  # the form is still there
    assert not at.warning and not at.info


REMOVALS = {
    "signed out everywhere": lambda w: people.end_all_sessions(w.store, w.cy),
    "role taken away": lambda w: people.update_person(
        w.store, w.coordinator, w.cy.id, roles=["committee_member"]
    ),
    "deactivated": lambda w: people.set_active(w.store, w.coordinator, w.cy.id, False),
    "seat given to another": lambda w: schedule_changes.replace_interviewer(
        w.store, w.coordinator, w.seats["cy"], w.outsider.id
    ),
}


@pytest.mark.parametrize("removal", list(REMOVALS))
def test_a_person_just_removed_is_refused_on_the_forms_next_rerun(form, removal):
    w, at = form
    REMOVALS[removal](w)
    choose_overall(at, w)
    assert not any(r.key == f"score_{w.seats['cy']}_overall" for r in at.radio)  # no form
    refused = [m.value for m in (*at.warning, *at.info)]
    assert refused, "the page says why"
    with w.store.read() as db:
        row = db.execute("SELECT content FROM drafts WHERE assignment_id = ?", [w.seats["cy"]])
        stored = row.fetchone()
    # The change made after the removal was not saved (the seat given away deletes the draft).
    assert stored is None or '"overall": null' in stored[0], stored[0]
