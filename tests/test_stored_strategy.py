"""Old openings keep the rules they were made with: a strategy stored (as JSON in
openings.strategy) before the force map and the bar's mode existed loads with the rules of its
day, on a real SQLite file; new openings get the new defaults; the force map is checked against
the opening's scale when an opening is made or changed."""

import json

import pytest

from scoring import openings
from scoring.engine import decide
from scoring.errors import InvalidInput
from scoring.rubric import OverallScale
from tests.world import CATALOG, build, raw_sql

# Exactly what the version before issue 23 wrote: Strategy.model_dump_json() of its fields.
OLD_COMMITTEE = {
    "kind": "committee",
    "force_extremes": True,
    "rule": "majority",
    "supermajority": 2 / 3,
    "veto": False,
    "greenlight": False,
    "quorum": 2,
    "bar": 0.5,
}


def _as_stored(w, document):
    raw_sql(w, "UPDATE openings SET strategy = ? WHERE id = ?", json.dumps(document), w.opening_id)
    return openings.get_opening(w.store, w.coordinator, w.opening_id).strategy


def test_an_old_committee_opening_keeps_its_binding_bar_and_every_extreme_forcing(tmp_path):
    w = build(tmp_path / "d.db")
    strategy = _as_stored(w, OLD_COMMITTEE)
    assert strategy.bar_mode == "binding"
    assert strategy.force_map == {0: 0, 1: 0, 2: 0, 3: 5, 4: 5, 5: 5}  # a 4 still becomes a 5


def test_an_old_opening_without_forcing_gets_the_default_map(tmp_path):
    w = build(tmp_path / "d.db")
    strategy = _as_stored(w, {**OLD_COMMITTEE, "force_extremes": False})
    assert (strategy.bar_mode, strategy.force_map) == ("binding", None)


def test_the_old_map_is_made_on_the_openings_own_scale(tmp_path):
    w = build(tmp_path / "d.db")
    labels = json.dumps({1: "Strong no", 2: "No", 3: "Yes", 4: "Strong yes"})
    raw_sql(
        w,
        "UPDATE openings SET scale_min = 1, scale_max = 4, scale_labels = ? WHERE id = ?",
        labels,
        w.opening_id,
    )
    strategy = _as_stored(w, {**OLD_COMMITTEE, "kind": "vote"})
    assert strategy.force_map == {1: 1, 2: 1, 3: 4, 4: 4}


def test_a_stored_new_strategy_loads_as_written(tmp_path):
    w = build(tmp_path / "d.db", strategy={"kind": "committee", "bar": 0.5})
    strategy = openings.get_opening(w.store, w.coordinator, w.opening_id).strategy
    assert (strategy.bar_mode, strategy.force_map) == ("advisory", None)
    stored = json.loads(_row_strategy(w))
    assert stored["bar_mode"] == "advisory" and "force_map" in stored


def _row_strategy(w):
    with w.store.read() as db:
        row = db.execute("SELECT strategy FROM openings WHERE id = ?", [w.opening_id]).fetchone()
    return row[0]


def test_an_old_opening_decides_as_it_did(tmp_path):
    """The engine on an old committee opening: a 4 forced to 5, and the bar binds."""
    from scoring.engine import Case

    w = build(tmp_path / "d.db")
    strategy = _as_stored(w, OLD_COMMITTEE)
    case = Case(
        strategy=strategy,
        scorecards=[
            {
                "interviewer": "ana",
                "overall": 4,
                "criteria": [{"id": "x", "score": 1, "min": 1, "max": 4, "weight": 1}],
            }
        ],
        committee_votes=[{"member": "m", "vote": "hire"}, {"member": "n", "vote": "hire"}],
    )
    out = decide(case).to_json()
    assert out["positions"][0]["effective"] == 5
    assert out["outcome"] == "no_hire"  # below the binding bar, whatever the votes
    assert "overrode_panel" not in out["flags"]


def test_creating_an_opening_checks_the_map_against_its_scale(tmp_path):
    w = build(tmp_path / "d.db")
    one_to_four = OverallScale(min=1, max=4, labels={1: "a", 2: "b", 3: "c", 4: "d"})
    with pytest.raises(InvalidInput, match=r"strategy\.force_map\.0: 0 is not a point"):
        openings.create_opening(
            w.store,
            w.coordinator,
            title="Analyst",
            role="Analyst",
            loop=CATALOG.loops["ds-generalist-onsite"],
            catalog=CATALOG,
            hiring_manager_id=w.manager.id,
            strategy={"kind": "vote", "force_map": {"0": 0, "3": 4}},
            overall_scale=one_to_four,
        )
    made = openings.create_opening(
        w.store,
        w.coordinator,
        title="Analyst",
        role="Analyst",
        loop=CATALOG.loops["ds-generalist-onsite"],
        catalog=CATALOG,
        hiring_manager_id=w.manager.id,
        strategy={"kind": "vote", "force_extremes": True, "force_map": {"3": 4, "2": 1}},
        overall_scale=one_to_four,
    )
    assert made.strategy.force_map == {3: 4, 2: 1}


def test_changing_the_scale_carries_a_preset_onto_the_new_scale(tmp_path):
    every = {0: 0, 1: 0, 2: 0, 3: 5, 4: 5, 5: 5}
    w = build(
        tmp_path / "d.db", strategy={"kind": "vote", "force_extremes": True, "force_map": every}
    )
    one_to_four = OverallScale(min=1, max=4, labels={1: "a", 2: "b", 3: "c", 4: "d"})
    changed = openings.edit_opening(w.store, w.coordinator, w.opening_id, overall_scale=one_to_four)
    assert changed.strategy.force_map == {1: 1, 2: 1, 3: 4, 4: 4}
