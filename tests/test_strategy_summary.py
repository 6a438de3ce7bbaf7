"""The one-line strategy on the Openings and Pipeline screens reads forcing on the opening's own
overall scale: a stored map that leaves points out still names the preset it is."""

from scoring import openings
from ui.widgets import strategy_summary
from world import build


def test_a_partial_map_names_its_preset_on_the_openings_scale(tmp_path):
    # On 0..5, sending 1 and 2 to 0 (and leaving the rest) is the book's weak-no rule.
    strategy = {"kind": "vote", "force_extremes": True, "force_map": {1: 0, 2: 0}}
    w = build(tmp_path / "partial.sqlite", strategy=strategy)
    opening = openings.get_opening(w.store, w.coordinator, w.opening_id)
    assert (opening.scale.min, opening.scale.max) == (0, 5)
    assert strategy_summary(opening) == (
        "Democratic vote by a simple majority; the debrief shows forced extremes by default:"
        " a weak no becomes the lowest score"
    )
