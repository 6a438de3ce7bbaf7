"""The engine's three contracts, made explicit per opening (issue 23), checked against the book:
forcing follows a force map whose default is "if this is a weak no, then I'm a zero" (L907-911);
a veto or greenlight fires only on an extreme the interviewer wrote (L1265); the committee's bar
advises unless the opening binds it (L1397). Also the two defects: a binding bar is not "against
the panel", and a bar with no criterion scores says so instead of being skipped."""

import re

import pytest

from scoring.engine import InvalidCase, decide, lean, parse_case
from scoring.scale import Scale


def run(strategy, cards=(), scale=None, **extra):
    cards = [c if isinstance(c, dict) else {"interviewer": c[0], "overall": c[1]} for c in cards]
    case = {"strategy": strategy, "scorecards": cards, **extra}
    if scale:
        case["scale"] = scale
    return decide(parse_case(case)).to_json()


def card(name, overall, *scores):
    criteria = [
        {"id": f"c{n}", "score": s, "min": 1, "max": 4, "weight": 1} for n, s in enumerate(scores)
    ]
    return {"interviewer": name, "overall": overall, "criteria": criteria}


def votes(*verdicts):
    return [{"member": f"m{n}", "vote": v} for n, v in enumerate(verdicts)]


FORCED = {"kind": "vote", "force_extremes": True}
EVERY = Scale(0, 5).preset_map("all_extremes")
ONLY_TOP = Scale(0, 5).preset_map("only_top_is_yes")


# --- forcing ---------------------------------------------------------------------------------


def test_the_default_leaves_a_4_a_4_and_sends_a_2_to_0():
    out = run(FORCED, [("ana", 4), ("bo", 2), ("cy", 3), ("di", 1)])
    assert [p["effective"] for p in out["positions"]] == [4, 0, 3, 0]
    assert out["contracts"]["forcing"] == {
        "on": True,
        "preset": "weak_no_to_min",
        "map": {"0": 0, "1": 0, "2": 0, "3": 3, "4": 4, "5": 5},
        "moved": [
            {"interviewer": "bo", "from": 2, "to": 0},
            {"interviewer": "di", "from": 1, "to": 0},
        ],
    }
    assert out["reasons"][0] == (
        "Extreme-score forcing is on: 2 of 4 scores moved to an extreme (a weak no becomes 0)."
    )


def test_the_default_sends_the_midpoint_to_the_bottom():
    out = run(FORCED, [("ana", 3), ("bo", 4)], scale={"min": 1, "max": 5})
    assert [p["effective"] for p in out["positions"]] == [1, 4]
    assert "a weak no or an undecided score becomes 1" in out["reasons"][0]


@pytest.mark.parametrize(
    "force_map, effective, words",
    [
        (EVERY, [5, 0, 5, 0], "every score goes to an extreme: a yes becomes 5, anything else 0"),
        (ONLY_TOP, [0, 0, 0, 0], "only a 5 stays a yes: anything below becomes 0"),
        ({4: 5}, [5, 2, 3, 1], "its own map: 4 becomes 5"),
    ],
)
def test_presets_and_a_custom_map(force_map, effective, words):
    out = run({**FORCED, "force_map": force_map}, [("ana", 4), ("bo", 2), ("cy", 3), ("di", 1)])
    assert [p["effective"] for p in out["positions"]] == effective
    assert words in out["reasons"][0]
    resolved = Scale(0, 5).resolve_map(force_map)
    assert out["parameters"]["force_map"] == {str(k): v for k, v in resolved.items()}
    assert out["contracts"]["forcing"]["map"] == out["parameters"]["force_map"]


def test_the_output_states_the_map_even_with_forcing_off():
    out = run({"kind": "vote"}, [("ana", 4)])
    assert out["forced"] is False
    assert out["parameters"]["force_map"] == {"0": 0, "1": 0, "2": 0, "3": 3, "4": 4, "5": 5}
    assert out["contracts"]["forcing"]["moved"] == []
    assert not any("forcing" in r for r in out["reasons"])


@pytest.mark.parametrize(
    "force_map, message",
    [
        ({"2": 4}, "strategy.force_map.2: 2 is a no and may not be forced to a yes (4)"),
        ({"7": 0}, "strategy.force_map.7: 7 is not a point of the scale 0..5"),
        ({"4": 9}, "strategy.force_map.4: 4 is forced to 9, which is not a point of the scale"),
        ({"0": 1}, "strategy.force_map.0: the lowest score stays 0 (got 1)"),
        ({"5": 4}, "strategy.force_map.5: the highest score stays 5 (got 4)"),
        ({"x": 0}, "strategy.force_map.x: must be a whole number"),
        ({"3": True}, "strategy.force_map.3: must be a whole number"),
        ([0, 5], "strategy.force_map: must be a mapping"),
    ],
)
def test_an_invalid_map_is_refused_naming_the_field(force_map, message):
    with pytest.raises(InvalidCase, match=re.escape(message)):
        run({**FORCED, "force_map": force_map}, [("ana", 4)])


def test_an_undecided_score_may_not_be_forced_to_a_yes():
    with pytest.raises(InvalidCase, match=re.escape("strategy.force_map.3: 3 is undecided")):
        run({**FORCED, "force_map": {3: 4}}, [("ana", 4)], scale={"min": 1, "max": 5})


def test_the_lean_says_strong_only_for_a_side_forcing_made_all_extreme():
    cards = [("ana", 4), ("bo", 2), ("cy", 1)]
    default = decide(parse_case({"strategy": FORCED, "scorecards": as_cards(cards)}))
    assert lean(default).words == "Panel leans no hire: 1 yes, 2 strong no"
    every = {**FORCED, "force_map": EVERY}
    forced_all = decide(parse_case({"strategy": every, "scorecards": as_cards(cards)}))
    assert lean(forced_all).words == "Panel leans no hire: 1 strong yes, 2 strong no"


def as_cards(pairs):
    return [{"interviewer": n, "overall": s} for n, s in pairs]


def test_lukewarm_under_the_default_does_not_claim_forcing_decided_for_everyone():
    out = run(FORCED, [("ana", 4), ("bo", 2)])
    assert (
        "Before forcing, nobody scored an extreme: nobody was fighting for or against this"
        " candidate." in out["reasons"]
    )
    assert not any("forcing decides for them" in r for r in out["reasons"])
    every = run({**FORCED, "force_map": EVERY}, [("ana", 4), ("bo", 2)])
    assert any("forcing decides for them" in r for r in every["reasons"])


# --- veto and greenlight: written extremes only -----------------------------------------------


def test_a_1_forced_to_0_is_a_no_vote_not_a_veto():
    out = run({**FORCED, "veto": True}, [("sam", 1), ("ana", 4), ("bo", 4)])
    assert out["outcome"] == "hire"  # 2 yes, 1 no
    assert "veto" not in out["flags"]
    assert out["tally"] == {"yes": 2, "no": 1, "undecided": 0}
    assert "sam's 0 was forced from 1: forcing does not make a veto." in out["reasons"]
    assert out["contracts"]["powers"]["veto"] == {
        "on": True,
        "fired_by": [],
        "forced_not_counted": ["sam"],
    }


def test_a_written_0_is_a_veto_with_forcing_on():
    out = run({**FORCED, "veto": True}, [("sam", 0), ("ana", 4), ("bo", 4)])
    assert out["outcome"] == "no_hire"
    assert "veto" in out["flags"]
    assert "Vetoed by sam (0 of 5)." in out["reasons"]
    assert out["contracts"]["powers"]["veto"]["fired_by"] == ["sam"]


def test_a_4_forced_to_5_is_a_yes_vote_not_a_greenlight():
    strategy = {**FORCED, "greenlight": True, "force_map": EVERY}
    out = run(strategy, [("sam", 4), ("ana", 1), ("bo", 1)])
    assert out["outcome"] == "no_hire"
    assert "greenlight" not in out["flags"]
    assert "sam's 5 was forced from 4: forcing does not make a greenlight." in out["reasons"]
    written = run(strategy, [("sam", 5), ("ana", 1), ("bo", 1)])
    assert written["outcome"] == "hire"
    assert written["contracts"]["powers"]["greenlight"]["fired_by"] == ["sam"]


def test_powers_are_reported_off_outside_a_vote():
    out = run({"kind": "manager", "veto": True}, [("sam", 0)])
    assert out["contracts"]["powers"]["veto"] == {
        "on": False,
        "fired_by": [],
        "forced_not_counted": [],
    }


# --- the committee's bar ---------------------------------------------------------------------

LOW = [card("ana", 4, 2, 2), card("bo", 4, 2, 3)]  # weighted 1/3 and 1/2 -> 0.4167
HIGH = [card("ana", 4, 4, 3)]  # 0.8333


def test_an_advisory_bar_flags_and_leaves_the_decision_to_the_votes():
    out = run({"kind": "committee", "bar": 0.5}, LOW, committee_votes=votes("hire", "hire"))
    assert out["outcome"] == "hire"
    assert "below_bar" in out["flags"]
    assert (
        "Weighted score 0.42 is below the bar of 0.50. The bar only advises: the committee's"
        " votes decide." in out["reasons"]
    )
    assert out["parameters"]["bar_mode"] == "advisory"
    assert out["contracts"]["bar"] == {
        "bar": 0.5,
        "mode": "advisory",
        "score": 0.4167,
        "standing": "below",
        "decided": False,
    }


def test_an_advisory_bar_below_before_the_votes_awaits_the_committee():
    out = run({"kind": "committee", "bar": 0.5}, LOW)
    assert out["outcome"] == "awaiting_committee"
    assert "below_bar" in out["flags"]


def test_a_binding_bar_decides_no_hire_and_is_not_against_the_panel():
    strategy = {"kind": "committee", "bar": 0.5, "bar_mode": "binding"}
    out = run(strategy, LOW, committee_votes=votes("hire", "hire"))
    assert out["outcome"] == "no_hire"
    assert out["flags"] == ["below_bar", "lukewarm"]
    assert "overrode_panel" not in out["flags"]
    assert any("the panel leans hire (2 yes, 0 no)" in r for r in out["reasons"])
    assert out["contracts"]["bar"]["decided"] is True
    assert out["contracts"]["bar"]["standing"] == "below"


def test_a_committee_against_the_panel_above_a_binding_bar_is_still_flagged():
    strategy = {"kind": "committee", "bar": 0.5, "bar_mode": "binding"}
    out = run(strategy, HIGH, committee_votes=votes("no_hire", "no_hire"))
    assert out["outcome"] == "no_hire"
    assert "overrode_panel" in out["flags"]
    assert out["contracts"]["bar"]["standing"] == "met"
    assert out["contracts"]["bar"]["decided"] is False


@pytest.mark.parametrize("mode", ["advisory", "binding"])
def test_a_bar_with_no_criterion_scores_says_it_cannot_be_checked(mode):
    unscored = [card("ana", 4, None), ("bo", 4)]
    strategy = {"kind": "committee", "bar": 0.5, "bar_mode": mode}
    out = run(strategy, unscored, committee_votes=votes("hire", "hire"))
    assert out["score"] is None
    assert "bar_unchecked" in out["flags"]
    assert any(
        r.startswith("The bar cannot be checked: no criterion scores are in.")
        for r in out["reasons"]
    )
    assert out["contracts"]["bar"]["standing"] == "unchecked"
    if mode == "advisory":  # the votes decide
        assert out["outcome"] == "hire"
        assert out["contracts"]["bar"]["decided"] is False
    else:  # a binding bar that cannot be checked lets no hire through
        assert out["outcome"] == "needs_discussion"
        assert out["contracts"]["bar"]["decided"] is True


def test_a_binding_unchecked_bar_leaves_a_no_hire_and_awaiting_as_they_are():
    strategy = {"kind": "committee", "bar": 0.5, "bar_mode": "binding"}
    no = run(strategy, [("ana", 1)], committee_votes=votes("no_hire", "no_hire"))
    assert (no["outcome"], "bar_unchecked" in no["flags"]) == ("no_hire", True)
    waiting = run(strategy, [("ana", 4)])
    assert waiting["outcome"] == "awaiting_committee"
    assert "bar_unchecked" in waiting["flags"]


def test_no_bar_no_bar_flags():
    out = run({"kind": "committee"}, [("ana", 4)], committee_votes=votes("hire"))
    assert not {"below_bar", "bar_unchecked"} & set(out["flags"])
    assert out["contracts"]["bar"]["standing"] == "none"


def test_an_unknown_bar_mode_is_refused():
    with pytest.raises(InvalidCase, match=re.escape("strategy.bar_mode: must be")):
        run({"kind": "committee", "bar": 0.5, "bar_mode": "strict"})
