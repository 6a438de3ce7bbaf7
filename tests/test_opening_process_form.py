"""The opening form's Process section: the screens chosen in front of the loop and the offer
after it are the opening's stages, with the reviewers picked; none chosen is the loop alone;
the openings table says the process back."""

from pathlib import Path

from streamlit.testing.v1 import AppTest

from scoring import people, stages
from scoring.store import Store

ROOT = Path(__file__).resolve().parent.parent


def _form(tmp_path, monkeypatch):
    monkeypatch.setenv("DEBRIEF_DB", str(tmp_path / "form.sqlite"))
    monkeypatch.chdir(ROOT)
    store = Store()
    coordinator, _ = people.create_first_coordinator(store, "Cora", "cora@example.com")
    manager = people.add_person(
        store, coordinator, "Maria", "maria@example.com", ["hiring_manager"]
    )
    ana = people.add_person(store, coordinator, "Ana", "ana@example.com", ["interviewer"])
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30)
    at.session_state["person_id"] = coordinator.id
    at.run()
    at.switch_page("pages/openings.py").run()
    assert not at.exception
    return at, store, manager, ana


def _labelled(widgets, label):
    return next(w for w in widgets if w.label == label)


def _create(at, title):
    _labelled(at.text_input, "Title").input(title)
    next(b for b in at.button if b.label == "Create opening").click().run()
    assert not at.exception
    assert not at.error, [e.value for e in at.error]


def _process(store):
    with store.read() as db:
        opening_id = db.execute("SELECT max(id) FROM openings").fetchone()[0]
        return stages.process(db, opening_id)


def test_screens_and_an_offer_chosen_are_the_openings_stages(tmp_path, monkeypatch):
    at, store, manager, ana = _form(tmp_path, monkeypatch)
    _labelled(at.checkbox, "Resume screen (blind)").check().run()
    _labelled(at.multiselect, "Resume reviewers").select(ana).run()
    _labelled(at.checkbox, "Advance on a bar (weighted score)").check().run()
    _labelled(at.checkbox, "Hiring manager's phone screen").check().run()
    _labelled(at.checkbox, "Offer (the candidate's answer is recorded)").check().run()
    _create(at, "Funnel opening")
    process = _process(store)
    assert [s.kind for s in process] == ["screen", "screen", "loop", "offer"]
    resume, phone = process[0], process[1]
    assert (resume.blind, resume.bar, resume.provisional) == (True, 0.5, True)
    assert resume.spot_check_share == 0.25 and resume.reviewer_ids == (ana.id,)
    assert phone.reviewer_ids == (manager.id,)
    table = at.table[0].value
    shown = " ".join(map(str, table["process"]))
    assert "Resume screen → Phone screen → On-site loop → Offer" in shown


def test_no_stage_chosen_is_the_loop_alone(tmp_path, monkeypatch):
    at, store, _, _ = _form(tmp_path, monkeypatch)
    _create(at, "Loop only")
    assert [s.kind for s in _process(store)] == ["loop"]
