"""Each candidate's uncertainty (issue 23, point 4): the weighted score's 95% interval from the
measured rater error, the prior until there are enough paired candidates, the panel-size advice,
"too close to call", and that the interval tells the truth on histories with a known error."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from paired_history import add_paired

from scoring import debrief, insights, scorecards, uncertainty
from scoring.engine import Case, ScorecardIn, Strategy, candidate_score
from scoring.openings import Opening
from world import DAY, build, submit

# ------------------------------------------------------------------------------- pure figures


def units_frame(units: list[list[float]]) -> pd.DataFrame:
    return pd.DataFrame(
        [(s, s, v) for s, unit in enumerate(units) for v in unit],
        columns=["candidate_id", "session_id", "weighted"],
    )


def test_reliability_on_pairs_is_krippendorffs_interval_alpha():
    rng = np.random.default_rng(3)
    true = rng.uniform(0.2, 0.8, 40)
    units = [[t + rng.normal(0, 0.1), t + rng.normal(0, 0.1)] for t in true]
    within, total, n = uncertainty.within_and_total(units_frame(units))
    assert n == 40
    assert uncertainty.single_rater_reliability(within, total) == pytest.approx(
        insights.alpha_interval(units), abs=1e-9
    )
    # a session scored once is no pair: left out of both
    more = units_frame([*units, [0.99]])
    assert uncertainty.within_and_total(more) == pytest.approx((within, total, 40))


def test_the_weighted_score_is_the_engines():
    scores = pd.DataFrame(
        [
            (1, "r", "a", 3.0),
            (1, "r", "b", 1.0),
            (1, "r", "c", math.nan),
            (2, "r", "a", 1.0),
            (2, "r", "b", 0.0),
            (2, "r", "c", 5.0),
            (3, "r", "a", math.nan),
        ],
        columns=["scorecard_id", "rubric_hash", "criterion_id", "score"],
    )
    weights = pd.DataFrame(
        [("r", "a", 3.0, 1, 4), ("r", "b", 2.0, 0, 1), ("r", "c", 0.5, 1, 5)],
        columns=["rubric_hash", "criterion_id", "weight", "min", "max"],
    )
    got = uncertainty.weighted_scores(scores, weights)
    assert 3 not in got.index  # nothing assessed: no weighted score, as in the engine
    scale = weights.set_index("criterion_id")
    for card_id, card in scores.groupby("scorecard_id"):
        criteria = [
            {
                "id": r.criterion_id,
                "score": None if r.score != r.score else int(r.score),
                "weight": float(scale.loc[r.criterion_id, "weight"]),
                "min": int(scale.loc[r.criterion_id, "min"]),
                "max": int(scale.loc[r.criterion_id, "max"]),
            }
            for r in card.itertuples()
        ]
        engine = candidate_score(
            Case(
                strategy=Strategy(kind="manager"),
                scorecards=[ScorecardIn(interviewer="x", overall=3, criteria=criteria)],
            )
        )
        assert engine == (round(got[card_id], 4) if card_id in got.index else None)


def test_interval_advice_and_spearman_brown():
    assert uncertainty.interval(0.62, 0.09, 4) == pytest.approx((0.5318, 0.7082), abs=1e-4)
    assert uncertainty.interval(0.95, 0.15, 2) == pytest.approx((0.742, 1.0), abs=1e-3)
    assert uncertainty.interviews_for(0.07, 0.09) == 7  # (1.96 * 0.09 / 0.07)^2 = 6.35
    assert uncertainty.interviews_for(0.10, 0.15) == 9  # 8.64
    assert uncertainty.interviews_for(0.10, 0.02) == 1
    assert uncertainty.panel_reliability(0.5, 4) == pytest.approx(0.8)
    assert uncertainty.panel_reliability(0.7, 1) == pytest.approx(0.7)


def opening_with(strategy: dict) -> Opening:
    return Opening(
        id=1,
        title="t",
        role="r",
        level="",
        loop_id="l",
        loop_title="l",
        strategy=Strategy.model_validate(strategy),
        reveal_rule="after_own",
        anonymise=False,
        scale=None,
        forced_choice=False,
        overdue_hours=24,
        hiring_manager_id=1,
        committee_ids=(),
        sessions=(),
    )


MEASURED = uncertainty.RaterError(0.09, "measured", 40, 44, 0.09, 0.7, True)


def test_the_words_of_a_measured_interval():
    reading = uncertainty.score_interval(0.62, 4, MEASURED, opening_with({"kind": "manager"}))
    assert reading.headline == (
        "Weighted score 0.62 ± 0.09 (95% interval 0.53 to 0.71), from 4 scorecards."
    )
    assert reading.label == "measured on 40 paired candidates"
    assert reading.advice.startswith("With 4 scorecards the score is 0.62 ± 0.09: within ± 0.10")
    assert "reliability of 0.70; the mean of 4, 0.90" in reading.advice
    narrow = uncertainty.score_interval(
        0.62, 4, MEASURED, opening_with({"kind": "manager"}), advice_half_width=0.07
    )
    assert narrow.advice.startswith(
        "With 4 scorecards the score is 0.62 ± 0.09; 7 would bring it within ± 0.07."
    )
    assert "over 40 candidates that two or more interviewers scored independently" in (
        reading.basis
    )
    assert not reading.too_close
    assert reading.call == "The whole interval is above the middle of the scale (0.50)."


def test_too_close_to_call_against_the_bar_and_the_middle():
    committee = opening_with({"kind": "committee", "bar": 0.6})
    near_bar = uncertainty.score_interval(0.64, 4, MEASURED, committee)
    assert near_bar.straddles == ("the committee's bar of 0.60",)
    assert near_bar.call.startswith(
        "Too close to call: the interval (0.55 to 0.73) lies on both sides of the committee's"
        " bar of 0.60."
    )
    both = uncertainty.score_interval(0.55, 2, MEASURED, committee)
    assert both.straddles == ("the committee's bar of 0.60", "the middle of the scale (0.50)")
    # a bar applied to forced scores is not checked against an interval on raw ones: said so
    forced = uncertainty.score_interval(
        0.64, 4, MEASURED, opening_with({"kind": "committee", "bar": 0.6, "force_extremes": True})
    )
    assert forced.straddles == () and forced.bar_on_forced
    assert "applied to forced scores" in forced.cannot_say
    # a bar on a strategy that does not use it is no line
    vote = opening_with({"kind": "vote", "bar": 0.6})
    assert [n for n, _ in uncertainty.score_interval(0.64, 4, MEASURED, vote).lines] == [
        "the middle of the scale (0.50)"
    ]
    assert uncertainty.score_interval(None, 0, MEASURED, vote) is None


def test_the_printed_interval_covers_the_panel_mean_95_times_in_100():
    """A history with a known rater error: measure it on 300 paired candidates, then draw
    panels of 2 to 6 scorecards and count how often the printed interval holds the candidate's
    true mean score (the expectation over interviewers)."""
    rng = np.random.default_rng(20261120)
    error = 0.12
    true = rng.uniform(0.25, 0.75, 300)
    paired = units_frame([[t + rng.normal(0, error) for _ in range(2)] for t in true])
    measured = uncertainty.error_from(paired)
    assert measured.measured and measured.sd == pytest.approx(error, rel=0.12)
    covered, total = 0, 0
    for _ in range(4000):
        k = int(rng.integers(2, 7))
        truth = rng.uniform(0.3, 0.7)
        score = float(np.mean(truth + rng.normal(0, error, k)))
        low, high = uncertainty.interval(score, measured.sd, k)
        covered += low <= truth <= high
        total += 1
    assert 0.93 <= covered / total <= 0.97


# ----------------------------------------------------------------------- on a real database


@pytest.fixture
def world(tmp_path):
    uncertainty._KEPT.clear()
    w = build(tmp_path / "u.sqlite", strategy={"kind": "committee", "bar": 0.6, "quorum": 1})
    for who, level in (("ana", 3), ("bo", 2), ("cy", 3)):
        submit(w, who, 4, level=level)
    return w


def reading_of(w, who: str) -> uncertainty.ScoreInterval:
    return debrief.debrief(w.store, w.person(who), w.candidate_id).score_interval


def test_the_hiring_manager_gets_the_measured_error_from_20_paired_candidates(world):
    add_paired(world, 21)
    debrief.open_debrief(world.store, world.manager, world.candidate_id)
    reading = reading_of(world, "manager")
    assert reading.error.measured and reading.error.paired == 21
    assert reading.error.sd != uncertainty.PRIOR_RATER_SD
    assert reading.k == 3
    assert (
        reading.score == debrief.debrief(world.store, world.manager, world.candidate_id).raw.score
    )
    # the committee member may see the debrief, not score figures: the prior, labelled so
    member = reading_of(world, "member")
    assert member.error.source == "assumed" and not member.error.entitled
    assert member.error.sd == uncertainty.PRIOR_RATER_SD and member.error.paired == 0
    assert member.label == "assumed"
    assert "only the opening's hiring manager sees" in member.basis


@pytest.mark.parametrize("paired", [0, 2])
def test_below_3_paired_candidates_no_measured_figure_at_all(world, paired):
    add_paired(world, paired)
    debrief.open_debrief(world.store, world.manager, world.candidate_id)
    reading = reading_of(world, "manager")
    assert reading.error.source == "assumed" and reading.error.measured_sd is None
    assert reading.error.reliability is None and reading.panel_reliability is None
    assert reading.label == "assumed until 20 paired candidates"
    assert f"this opening has {paired}, too few to measure anything" in reading.basis


def test_from_3_paired_candidates_the_figure_so_far_but_the_prior_decides(world):
    add_paired(world, 5)
    debrief.open_debrief(world.store, world.manager, world.candidate_id)
    reading = reading_of(world, "manager")
    assert reading.error.sd == uncertainty.PRIOR_RATER_SD
    assert reading.error.paired == 5 and reading.error.measured_sd is not None
    assert f"put it at {reading.error.measured_sd:.2f} so far, too few to rely on" in (
        reading.basis
    )
    assert reading.panel_reliability is None  # no reliability claimed on an assumption


def test_a_correction_after_the_reveal_is_not_an_independent_score(world):
    past = add_paired(world, 21)
    debrief.open_debrief(world.store, world.manager, world.candidate_id)
    before = reading_of(world, "manager").error
    # Ana, having seen Bo's scores, corrects hers to agree with his exactly
    with world.store.read() as db:
        seat, bo_card = db.execute(
            """SELECT a.id, (SELECT s.id FROM scorecards s JOIN assignments b
                             ON b.id = s.assignment_id WHERE b.session_id = a.session_id
                             AND b.interviewer_id = ?)
               FROM assignments a JOIN interview_sessions i ON i.id = a.session_id
               WHERE i.candidate_id = ? AND a.interviewer_id = ?""",
            [world.bo.id, past[0], world.ana.id],
        ).fetchone()
    with world.store.read() as db:
        bo = scorecards.load_scorecards(db, [bo_card])[0]
    revised = scorecards.revise(
        world.store,
        world.ana,
        seat,
        reason="agreed with Bo in the debrief",
        overall=3,
        feedback="seen",
        criteria={k: {"score": v.score, "evidence": "seen"} for k, v in bo.criteria.items()},
        now=DAY,
    )
    assert revised.saw_others
    after = reading_of(world, "manager").error
    assert after.sd == before.sd and after.paired == before.paired


def test_the_window_is_the_latest_candidates_of_the_opening(world, monkeypatch):
    add_paired(world, 8)
    debrief.open_debrief(world.store, world.manager, world.candidate_id)
    monkeypatch.setattr(uncertainty, "WINDOW", 4)
    monkeypatch.setattr(uncertainty, "MIN_PAIRED", 3)
    uncertainty._KEPT.clear()
    reading = reading_of(world, "manager")
    # Grace opened last and has no pair: 3 of the latest 4 are paired
    assert reading.error.measured and reading.error.paired == 3
