"""The opening form offers the engine's contracts in plain words: how forcing moves scores (when
forcing is on) and, for a committee, whether its bar advises or binds; what is picked is what the
opening stores, and the openings table says it back."""

from pathlib import Path

from streamlit.testing.v1 import AppTest

from scoring import openings, people
from scoring.store import Store

ROOT = Path(__file__).resolve().parent.parent


def _form(tmp_path, monkeypatch):
    monkeypatch.setenv("DEBRIEF_DB", str(tmp_path / "form.sqlite"))
    monkeypatch.chdir(ROOT)
    store = Store()
    coordinator, _ = people.create_first_coordinator(store, "Cora", "cora@example.com")
    people.add_person(store, coordinator, "Maria", "maria@example.com", ["hiring_manager"])
    people.add_person(store, coordinator, "Mo", "mo@example.com", ["committee_member"])
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30)
    at.session_state["person_id"] = coordinator.id
    at.run()
    at.switch_page("pages/openings.py").run()
    assert not at.exception
    return at, store, coordinator


def _labelled(widgets, label):
    return next(w for w in widgets if w.label == label)


def _create(at, title):
    _labelled(at.text_input, "Title").input(title)
    next(b for b in at.button if b.label == "Create opening").click().run()
    assert not at.exception
    assert not at.error, [e.value for e in at.error]


def test_forcing_offers_the_books_presets_only_when_it_is_on(tmp_path, monkeypatch):
    at, store, coordinator = _form(tmp_path, monkeypatch)
    assert not [r for r in at.radio if r.label == "Forcing moves scores like this"]
    _labelled(at.checkbox, "Debrief shows forced extremes by default").check().run()
    presets = _labelled(at.radio, "Forcing moves scores like this")
    assert presets.options == [
        "A weak no becomes the lowest score",
        "Every score goes to an extreme",
        "Only a top score stays a yes",
    ]
    assert presets.value == "weak_no_to_min"  # the book's default
    presets.set_value("all_extremes").run()
    _create(at, "Forced")
    (made,) = openings.list_openings(store, coordinator)
    assert made.strategy.force_extremes is True
    assert made.strategy.force_map == {0: 0, 1: 0, 2: 0, 3: 5, 4: 5, 5: 5}
    assert "every score goes to an extreme" in at.table[0].value.to_string()


def test_without_forcing_the_opening_stores_the_default_map(tmp_path, monkeypatch):
    at, store, coordinator = _form(tmp_path, monkeypatch)
    _create(at, "Plain")
    (made,) = openings.list_openings(store, coordinator)
    assert made.strategy.force_extremes is False
    assert made.strategy.force_map == {0: 0, 1: 0, 2: 0, 3: 3, 4: 4, 5: 5}


def test_a_committee_bar_advises_by_default_and_can_bind(tmp_path, monkeypatch):
    at, store, coordinator = _form(tmp_path, monkeypatch)
    _labelled(at.radio, "Decision strategy").set_value("committee").run()
    mode = _labelled(at.radio, "Below the bar, the bar")
    assert mode.options == [
        "Advises: the committee's votes decide",
        "Binds: no hire below it, whatever the votes",
    ]
    assert mode.value == "advisory"
    mode.set_value("binding").run()
    _create(at, "Bound")
    (made,) = openings.list_openings(store, coordinator)
    assert (made.strategy.bar, made.strategy.bar_mode) == (0.5, "binding")
    assert "no hire below a weighted score of 0.50" in at.table[0].value.to_string()
