"""The decision engine, rule by rule, as the `decide` contract states it."""

import re

import pytest

from scoring.engine import InvalidCase, decide, parse_case


def run(strategy, overalls=(), scale=None, **extra):
    """Decide on a case whose scorecards are (interviewer, overall) or full dicts."""
    cards = [c if isinstance(c, dict) else {"interviewer": c[0], "overall": c[1]} for c in overalls]
    case = {"strategy": strategy, "scorecards": cards, **extra}
    if scale:
        case["scale"] = scale
    return decide(parse_case(case)).to_json()


def panel(*overalls):
    return [(f"i{n}", s) for n, s in enumerate(overalls)]


VOTE = {"kind": "vote"}


# --- positions, forcing ---------------------------------------------------------------------


def test_positions_report_raw_effective_position_and_strength_in_input_order():
    out = run(VOTE, [("ana", 0), ("bo", 2), ("cy", 3), ("di", 5)])
    assert out["positions"] == [
        {"interviewer": "ana", "raw": 0, "effective": 0, "position": "no", "strong": True},
        {"interviewer": "bo", "raw": 2, "effective": 2, "position": "no", "strong": False},
        {"interviewer": "cy", "raw": 3, "effective": 3, "position": "yes", "strong": False},
        {"interviewer": "di", "raw": 5, "effective": 5, "position": "yes", "strong": True},
    ]
    assert out["tally"] == {"yes": 2, "no": 2, "undecided": 0}
    assert out["forced"] is False


def test_forcing_by_default_sends_a_weak_no_and_the_midpoint_to_min_and_keeps_a_yes():
    out = run({**VOTE, "force_extremes": True}, panel(1, 3, 4, 2), scale={"min": 1, "max": 5})
    assert [p["effective"] for p in out["positions"]] == [1, 1, 4, 1]
    assert [p["raw"] for p in out["positions"]] == [1, 3, 4, 2]
    assert out["tally"] == {"yes": 1, "no": 3, "undecided": 0}
    assert out["forced"] is True
    assert [p["strong"] for p in out["positions"]] == [True, True, False, True]


def test_forcing_every_score_to_an_extreme_is_a_preset_the_opening_picks():
    every = {1: 1, 2: 1, 3: 1, 4: 5, 5: 5}
    strategy = {**VOTE, "force_extremes": True, "force_map": every}
    out = run(strategy, panel(1, 3, 4, 2), scale={"min": 1, "max": 5})
    assert [p["effective"] for p in out["positions"]] == [1, 1, 5, 1]
    assert all(p["strong"] for p in out["positions"])


def test_undecided_abstains_without_forcing():
    out = run(VOTE, panel(3, 4, 2), scale={"min": 1, "max": 5})
    assert out["tally"] == {"yes": 1, "no": 1, "undecided": 1}
    assert out["outcome"] == "needs_discussion"


# --- vote -----------------------------------------------------------------------------------


def test_vote_below_quorum_is_incomplete_and_flagged():
    out = run({**VOTE, "quorum": 3}, panel(5, 5))
    assert out["outcome"] == "incomplete"
    assert "incomplete" in out["flags"]
    assert run({**VOTE, "quorum": 2}, panel(5, 5))["outcome"] == "hire"


def test_incomplete_flag_only_when_outcome_is_incomplete():
    for out in (run(VOTE, panel(4, 1)), run({"kind": "manager"}, panel(4))):
        assert "incomplete" not in out["flags"]


def test_veto_any_strong_no_blocks_a_majority():
    out = run({**VOTE, "veto": True}, [("ana", 0), ("bo", 4), ("cy", 5)])
    assert out["outcome"] == "no_hire"
    assert "veto" in out["flags"]
    assert "Vetoed by ana (0 of 5)." in out["reasons"]
    without = run(VOTE, [("ana", 0), ("bo", 4), ("cy", 5)])
    assert without["outcome"] == "hire"
    assert "veto" not in without["flags"]


def test_a_veto_needs_a_written_extreme_forcing_does_not_make_one():
    strategy = {**VOTE, "veto": True, "force_extremes": True}
    out = run(strategy, panel(3, 5, 5), scale={"min": 1, "max": 5})
    assert out["outcome"] == "hire"  # the undecided 3 forced to 1 is a no vote, not a veto
    assert "veto" not in out["flags"]
    assert "i0's 1 was forced from 3: forcing does not make a veto." in out["reasons"]
    assert out["tally"] == {"yes": 2, "no": 1, "undecided": 0}


def test_greenlight_any_strong_yes_passes():
    out = run({**VOTE, "greenlight": True}, [("ana", 5), ("bo", 1), ("cy", 2)])
    assert out["outcome"] == "hire"
    assert "greenlight" in out["flags"]
    assert run(VOTE, [("ana", 5), ("bo", 1), ("cy", 2)])["outcome"] == "no_hire"


def test_veto_and_greenlight_together_need_discussion():
    out = run({**VOTE, "veto": True, "greenlight": True}, panel(0, 5, 4))
    assert out["outcome"] == "needs_discussion"
    assert {"conflict", "veto", "greenlight"} <= set(out["flags"])


def test_powers_that_are_on_but_not_triggered_raise_no_flag():
    out = run({**VOTE, "veto": True, "greenlight": True}, panel(1, 4, 4))
    assert out["outcome"] == "hire"
    assert not {"veto", "greenlight", "conflict"} & set(out["flags"])


@pytest.mark.parametrize(
    "overalls, outcome",
    [((4, 4, 1), "hire"), ((1, 1, 4), "no_hire"), ((4, 1), "needs_discussion")],
)
def test_majority_rule(overalls, outcome):
    assert run(VOTE, panel(*overalls))["outcome"] == outcome


@pytest.mark.parametrize("rule", ["majority", "supermajority", "unanimous"])
def test_no_yes_or_no_vote_at_all_needs_discussion_whatever_the_rule(rule):
    out = run({**VOTE, "rule": rule}, panel(3, 3), scale={"min": 1, "max": 5})
    assert out["outcome"] == "needs_discussion"
    assert run({**VOTE, "rule": rule}, [])["outcome"] == "needs_discussion"


@pytest.mark.parametrize(
    "overalls, fraction, outcome",
    [
        ((4, 4, 1), None, "hire"),  # 2/3 meets the default 2/3
        ((4, 4, 4, 1, 1), None, "no_hire"),  # 3/5 < 2/3
        ((4, 4, 4, 1), 0.75, "hire"),
        ((4, 4, 1), 0.75, "no_hire"),
        ((4, 1), 0.5, "hire"),  # a tie meets a fraction of one half
    ],
)
def test_supermajority_rule(overalls, fraction, outcome):
    strategy = {**VOTE, "rule": "supermajority"}
    if fraction is not None:
        strategy["supermajority"] = fraction
    assert run(strategy, panel(*overalls))["outcome"] == outcome


def test_supermajority_ignores_undecided():
    strategy = {**VOTE, "rule": "supermajority"}
    one_to_five = {"min": 1, "max": 5}
    # 2 yes of 3 votes reaches 2/3 however many abstain; counting abstentions it would not
    assert run(strategy, panel(4, 4, 2, 3, 3, 3), scale=one_to_five)["outcome"] == "hire"
    assert run(strategy, panel(4, 4, 2, 2, 3), scale=one_to_five)["outcome"] == "no_hire"


@pytest.mark.parametrize(
    "overalls, outcome",
    [((4, 5, 4), "hire"), ((4, 5, 2), "no_hire"), ((4, 3), "hire"), ((2, 3), "no_hire")],
)
def test_unanimous_rule(overalls, outcome):
    out = run({**VOTE, "rule": "unanimous"}, panel(*overalls), scale={"min": 1, "max": 5})
    assert out["outcome"] == outcome


# --- manager --------------------------------------------------------------------------------

MANAGER = {"kind": "manager"}


def hm(decision, rationale="Strong on the team's gap in experimentation.", accepts=True):
    return {
        "decision": decision,
        "by": "maria",
        "rationale": rationale,
        "accepts_responsibility": accepts,
    }


def test_manager_awaits_decision_and_shows_the_panel_lean():
    out = run(MANAGER, panel(4, 4, 1))
    assert out["outcome"] == "awaiting_manager"
    assert any("leans hire" in r for r in out["reasons"])


def test_manager_below_quorum_is_incomplete_even_with_a_decision():
    out = run({**MANAGER, "quorum": 3}, panel(4, 4), manager_decision=hm("hire"))
    assert out["outcome"] == "incomplete"


def test_manager_decides_and_the_reason_carries_the_rationale():
    out = run(MANAGER, panel(4, 4, 1), manager_decision=hm("hire"))
    assert out["outcome"] == "hire"
    assert "overrode_panel" not in out["flags"]
    assert any("experimentation" in r and "maria" in r for r in out["reasons"])


def test_manager_going_against_the_panel_majority_is_flagged():
    out = run(MANAGER, panel(4, 4, 1), manager_decision=hm("no_hire"))
    assert out["outcome"] == "no_hire"
    assert "overrode_panel" in out["flags"]


def test_manager_against_a_tied_panel_overrides_nothing():
    out = run(MANAGER, panel(4, 1), manager_decision=hm("no_hire"))
    assert "overrode_panel" not in out["flags"]


@pytest.mark.parametrize(
    "decision, field",
    [
        (hm("hire", rationale="  "), "manager_decision.rationale"),
        (hm("hire", accepts=False), "manager_decision.accepts_responsibility"),
    ],
)
def test_manager_decision_without_rationale_or_responsibility_is_invalid(decision, field):
    with pytest.raises(InvalidCase, match=re.escape(field)):
        run(MANAGER, panel(4), manager_decision=decision)


def test_manager_is_never_fragile():
    assert "fragile" not in run(MANAGER, panel(4, 1, 4), manager_decision=hm("hire"))["flags"]


# --- committee ------------------------------------------------------------------------------

COMMITTEE = {"kind": "committee"}


def votes(*verdicts):
    return [{"member": f"m{n}", "vote": v} for n, v in enumerate(verdicts)]


def card(name, overall, *scores, lo=1, hi=4):
    criteria = [
        {"id": f"c{n}", "score": s, "min": lo, "max": hi, "weight": 1} for n, s in enumerate(scores)
    ]
    return {"interviewer": name, "overall": overall, "criteria": criteria}


def test_committee_awaits_votes_until_quorum():
    assert run(COMMITTEE, panel(4))["outcome"] == "awaiting_committee"
    out = run({**COMMITTEE, "quorum": 3}, panel(4), committee_votes=votes("hire", "hire"))
    assert out["outcome"] == "awaiting_committee"
    out = run({**COMMITTEE, "quorum": 3}, panel(4), committee_votes=votes("hire", "hire", "hire"))
    assert out["outcome"] == "hire"


@pytest.mark.parametrize(
    "rule, verdicts, outcome",
    [
        ("majority", ("hire", "hire", "no_hire"), "hire"),
        ("majority", ("hire", "no_hire"), "needs_discussion"),
        ("majority", ("no_hire", "no_hire", "hire"), "no_hire"),
        ("supermajority", ("hire", "hire", "no_hire"), "hire"),
        ("supermajority", ("hire", "hire", "no_hire", "no_hire"), "no_hire"),
        ("unanimous", ("hire", "hire"), "hire"),
        ("unanimous", ("hire", "hire", "no_hire"), "no_hire"),
    ],
)
def test_committee_rule_over_votes(rule, verdicts, outcome):
    out = run({**COMMITTEE, "rule": rule}, panel(4), committee_votes=votes(*verdicts))
    assert out["outcome"] == outcome


def test_a_binding_committee_bar_rejects_a_known_score_below_it_whatever_the_votes():
    cards = [card("ana", 4, 2, 2), card("bo", 4, 2, 3)]  # scores 1/3 and 1/2 -> 0.4167
    strategy = {**COMMITTEE, "bar": 0.5, "bar_mode": "binding"}
    out = run(strategy, cards, committee_votes=votes("hire", "hire", "hire"))
    assert out["score"] == 0.4167
    assert out["outcome"] == "no_hire"
    assert "below_bar" in out["flags"]
    # the bar decided, not the committee: nobody went against the panel's hire
    assert "overrode_panel" not in out["flags"]
    assert (
        "The binding bar decided this, not a vote: the panel leans hire (2 yes, 0 no)."
        in out["reasons"]
    )


def test_committee_bar_met_or_unknown_leaves_it_to_the_votes():
    above = [card("ana", 4, 4, 3)]
    out = run({**COMMITTEE, "bar": 0.5}, above, committee_votes=votes("hire"))
    assert (out["outcome"], "below_bar" in out["flags"]) == ("hire", False)
    unknown = run({**COMMITTEE, "bar": 0.9}, panel(4), committee_votes=votes("hire"))
    assert (unknown["score"], unknown["outcome"]) == (None, "hire")


def test_committee_against_panel_majority_is_flagged():
    out = run(COMMITTEE, panel(4, 4, 1), committee_votes=votes("no_hire", "no_hire"))
    assert out["outcome"] == "no_hire"
    assert "overrode_panel" in out["flags"]
    agrees = run(COMMITTEE, panel(4, 4, 1), committee_votes=votes("hire", "hire"))
    assert "overrode_panel" not in agrees["flags"]


# --- weighted score -------------------------------------------------------------------------


def test_weighted_score_excludes_not_assessed_and_averages_over_scorecards():
    ana = {
        "interviewer": "ana",
        "overall": 4,
        "criteria": [
            {"id": "sql", "score": 4, "min": 1, "max": 4, "weight": 3},  # 1.0
            {"id": "stats", "score": 2, "min": 1, "max": 4, "weight": 1},  # 1/3
            {"id": "ml", "score": None, "min": 1, "max": 4, "weight": 5},  # not assessed
        ],
    }
    bo = {
        "interviewer": "bo",
        "overall": 1,
        "criteria": [{"id": "runs", "score": 0, "min": 0, "max": 1, "weight": 1}],
    }
    cy = {"interviewer": "cy", "overall": 3}  # no criteria: no score, not a zero
    out = run(VOTE, [ana, bo, cy])
    # ana: (3*1 + 1*(1/3)) / 4 = 0.8333; bo: 0; mean 0.41667
    assert out["score"] == 0.4167


def test_weighted_score_is_null_without_assessed_criteria():
    lone = {
        "interviewer": "ana",
        "overall": 4,
        "criteria": [{"id": "x", "score": None, "min": 1, "max": 4, "weight": 1}],
    }
    assert run(VOTE, [lone])["score"] is None


def test_forcing_forces_criteria_on_their_own_scales_by_the_same_preset():
    cards = [card("ana", 4, 3, 2)]  # 1..4 by default: 3 stays (2/3), 2 -> 1 (0)
    assert run(VOTE, cards)["score"] == 0.5
    assert run({**VOTE, "force_extremes": True}, cards)["score"] == 0.3333
    every = {"force_extremes": True, "force_map": {1: 0, 2: 0, 3: 5, 4: 5}}
    assert run({**VOTE, **every}, cards)["score"] == 0.5  # 3 -> 4 (1.0), 2 -> 1 (0.0)
    odd = [card("ana", 4, 4, 3, lo=1, hi=5)]  # by default 4 stays (0.75), undecided 3 -> 1
    assert run(VOTE, odd)["score"] == 0.625
    assert run({**VOTE, "force_extremes": True}, odd)["score"] == 0.375


# --- flags ----------------------------------------------------------------------------------


def test_lukewarm_when_nobody_scored_an_extreme_on_raw_scores():
    assert "lukewarm" in run(VOTE, panel(2, 3, 3))["flags"]
    assert "lukewarm" not in run(VOTE, panel(2, 3, 5))["flags"]
    assert "lukewarm" not in run(VOTE, [])["flags"]
    # forcing does not hide that the panel sat in the middle
    assert "lukewarm" in run({**VOTE, "force_extremes": True}, panel(2, 3, 3))["flags"]


def test_split_when_yes_and_no_are_both_present_after_forcing():
    assert "split" in run(VOTE, panel(4, 1))["flags"]
    assert "split" not in run(VOTE, panel(4, 5))["flags"]
    forced = run({**VOTE, "force_extremes": True}, panel(3, 5), scale={"min": 1, "max": 5})
    assert "split" in forced["flags"]  # the undecided 3 became a no


def test_fragile_vote_one_strong_dissent_would_flip_it():
    assert "fragile" in run(VOTE, panel(4, 4, 1))["flags"]  # 2-1 -> 2-2 tie
    assert "fragile" not in run(VOTE, panel(4, 4, 4))["flags"]  # 3-0 -> 3-1 still hire
    assert "fragile" in run(VOTE, panel(1, 1, 4))["flags"]  # no_hire: a 5 makes it 2-2
    assert "fragile" in run({**VOTE, "veto": True}, panel(4, 4, 4))["flags"]  # a 0 vetoes


def test_fragile_committee_one_vote_the_other_way_would_flip_it():
    assert (
        "fragile"
        in run(COMMITTEE, panel(4), committee_votes=votes("hire", "hire", "no_hire"))["flags"]
    )
    steady = run(COMMITTEE, panel(4), committee_votes=votes("hire", "hire", "hire"))
    assert "fragile" not in steady["flags"]


def test_fragile_only_for_a_hire_or_no_hire():
    assert "fragile" not in run(VOTE, panel(4, 1))["flags"]  # needs_discussion


def test_flags_are_sorted():
    out = run({**VOTE, "veto": True, "greenlight": True}, panel(0, 5, 4, 1))
    assert out["flags"] == sorted(out["flags"])
    assert out["flags"] == ["conflict", "greenlight", "split", "veto"]


def test_output_has_every_field_of_the_contract():
    out = run(VOTE, panel(4))
    assert set(out) >= {
        "outcome",
        "strategy",
        "forced",
        "positions",
        "tally",
        "score",
        "flags",
        "reasons",
    }
    assert out["strategy"] == "vote"
    assert all(isinstance(r, str) and r for r in out["reasons"])


# --- invalid input --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "case, field",
    [
        ({"strategy": {"kind": "poll"}}, "strategy.kind"),
        ({"strategy": VOTE, "scale": {"min": 5, "max": 5}}, "scale"),
        ({"strategy": VOTE, "scorecards": [{"interviewer": "a", "overall": 6}]}, "overall"),
        ({"strategy": VOTE, "scorecards": [{"interviewer": "a", "overall": -1}]}, "overall"),
        (
            {"strategy": VOTE, "scorecards": [{"interviewer": "a", "overall": 1}] * 2},
            "scorecards[1].interviewer",
        ),
        ({"strategy": VOTE, "scorecards": [card("a", 1, 5)]}, "criteria[0].score"),
        ({"strategy": VOTE, "scorecards": [card("a", 1, 1, lo=4, hi=4)]}, "criteria[0]"),
        (
            {
                "strategy": VOTE,
                "scorecards": [
                    {
                        "interviewer": "a",
                        "overall": 1,
                        "criteria": [{"id": "x", "score": 1, "min": 1, "max": 4, "weight": 0}],
                    }
                ],
            },
            "criteria[0].weight",
        ),
        ({"strategy": {"kind": "vote", "supermajority": 1.5}}, "strategy.supermajority"),
        ({"strategy": {"kind": "committee", "bar": 2}}, "strategy.bar"),
        ({"strategy": {"kind": "vote", "quorum": -1}}, "strategy.quorum"),
        ({"scorecards": []}, "strategy"),
    ],
)
def test_invalid_input_names_the_field(case, field):
    with pytest.raises(InvalidCase, match=re.escape(field)):
        decide(parse_case(case))
