"""An opening's strategy in one line says its contracts in plain words: what forcing does and
whether the committee's bar advises or binds."""

import pytest

from scoring.engine import Strategy
from scoring.scale import Scale
from scoring.strategy_words import strategy_in_words

EVERY = Scale(1, 5).preset_map("all_extremes")


@pytest.mark.parametrize(
    "strategy, scale, words",
    [
        (
            {"kind": "vote", "force_extremes": True},
            None,
            "Democratic vote by a simple majority; the debrief shows forced extremes by default:"
            " a weak no becomes the lowest score",
        ),
        (
            {"kind": "manager", "force_extremes": True, "force_map": EVERY},
            None,
            "Hiring manager decides; the debrief shows forced extremes by default: every score"
            " goes to an extreme",
        ),
        (
            {"kind": "manager", "force_extremes": True, "force_map": {4: 1, 3: 1, 2: 1}},
            Scale(1, 5),
            "Hiring manager decides; the debrief shows forced extremes by default: only a top"
            " score stays a yes",
        ),
        (
            {"kind": "manager", "force_extremes": True, "force_map": {2: 1}},
            Scale(1, 5),
            "Hiring manager decides; the debrief shows forced extremes by default: scores move"
            " as this opening's own map says",
        ),
        (
            {"kind": "committee", "bar": 0.5},
            None,
            "Cross-company committee by a simple majority; 1 committee vote needed; a weighted"
            " score below 0.50 is flagged; the committee's votes decide",
        ),
        (
            {"kind": "committee", "bar": 0.5, "bar_mode": "binding"},
            None,
            "Cross-company committee by a simple majority; 1 committee vote needed; no hire"
            " below a weighted score of 0.50",
        ),
    ],
)
def test_the_contracts_in_words(strategy, scale, words):
    assert strategy_in_words(Strategy.model_validate(strategy), scale) == words
