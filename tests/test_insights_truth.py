"""The truth test of issue 16: histories drawn from known parameters (tests/insight_truth.py:
per-interviewer leniency, per-criterion rater noise, one criterion that predicts later
performance), and the Insights figures must recover them within the 95% intervals they print.
Issue 23 adds specialised interviewers (each mostly runs their own session type, and session
types differ in difficulty) and neutral ones: leniency is `scoring.leniency.fit`, which must
tell the person from the session where issue 16's raw offset could not.

The fast tests read one large history closely; the slow ones (`-m slow`, about 15 seconds)
count, over 100 seeded histories of 100 candidates, how often each printed interval covers the
truth, and check that the intervals are as wide as the estimates really vary from history to
history (so a uselessly wide interval fails too)."""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np
import pandas as pd
import pytest
from insight_truth import (
    NOISY,
    PRECISE,
    PREDICTIVE,
    SPECIALISED,
    History,
    Parameters,
    alpha_of_sessions,
    leniency_figures,
    leniency_rows,
    new_estimate,
    offset_by_interviewer,
    raw_estimate,
    rubrics,
    seat_offsets,
    simulate,
    truths,
)

from scoring import insights, leniency

SEEDS = range(100)
COVERED_AT_LEAST = 88  # of 100: a 95% interval misses 5 on average, 12 or more very rarely
# Issue 23's bar for the specialised design: coverage of interviewer x history, and neutral
# interviewers called lenient or harsh.
SPECIALISED_COVERAGE = 0.85
SPECIALISED_FALSE_FLAGS = 0.10


def outcome_correlations(predictors: pd.DataFrame, outcomes: pd.DataFrame) -> pd.DataFrame:
    # Imported here: the alpha and leniency tests do not depend on the outcomes module.
    from scoring.insights.outcomes import outcome_correlations

    return outcome_correlations(predictors, outcomes)


# ------------------------------------------------------------------- the truths are the estimands


def test_the_truths_alpha_is_krippendorffs_alpha_of_the_same_process():
    # The truth's fast formula gives the krippendorff package's alpha on the same sessions.
    p = Parameters()
    d = simulate(p, 1500, np.random.default_rng(7))
    for i, criterion in enumerate(p.criteria):
        values = d.criterion_scores[:, i]
        units = pd.Series(values).groupby(d.seat_session).apply(lambda s: s.dropna().tolist())
        assert alpha_of_sessions(d.seat_session, values) == pytest.approx(
            insights.alpha_interval(units.tolist()), abs=1e-9
        ), criterion


def test_the_truths_raw_offset_is_calibrations_raw_offset():
    # Written apart from `calibration` and `leniency.offsets`, the truth's offset is the same
    # quantity on one history.
    history = History.generate(3)
    mine = offset_by_interviewer(history.draw, seat_offsets(history.draw, history.draw.overall), 8)
    table = insights.calibration(history.cards).set_index("interviewer_id")
    fitted = leniency.fit(leniency_rows(history.cards)).set_index("interviewer_id")
    for person, offset in mine.items():
        assert table.at[person, "raw_offset"] == pytest.approx(offset, abs=1e-12)
        assert fitted.at[person, "raw_offset"] == pytest.approx(offset, abs=1e-12)


@pytest.mark.parametrize("p", [Parameters(), SPECIALISED], ids=["random", "specialised"])
def test_the_truths_leniency_is_the_persons_relative_to_the_average_interviewer(p):
    # Every interviewer scores every session in the truth's counterfactual: it is (lean - mean
    # lean) / 5 but for rounding and clipping (which pull the extremes in a little), whatever
    # the assignment; a neutral interviewer's is 0 when the pool is centred.
    truth = truths(p)
    for person, value in truth.leniency.items():
        assert value == pytest.approx(truth.leniency_unclipped[person], abs=0.012), person
    if p is SPECIALISED:
        assert all(abs(truth.leniency[person]) < 0.002 for person in p.neutral)
        # ... while the offset from co-interviewers carries the session they mostly run: the
        # neutral coding interviewer looks harsh, the neutral values interviewer lenient.
        assert truth.raw_offset[2] < -0.05 and truth.raw_offset[8] > 0.05


# ----------------------------------------------------------------------- one history, closely


def close(estimate: float, low: float, high: float, truth: float, *, widest: float) -> bool:
    """The estimate is within one and a half of its printed interval's half-widths of the truth
    (about three standard errors: one history can miss its 95% interval, and the slow tests
    count how often), and that interval is no wider than `widest`."""
    return abs(estimate - truth) <= 1.5 * (high - low) / 2 and high - low <= widest


@pytest.fixture(scope="module")
def large():
    """One history of 400 candidates: tight enough to read the estimates one by one."""
    return History.generate(11, Parameters(candidates=400))


def test_reliability_recovers_each_criterions_alpha(large):
    truth = truths().alpha
    table = insights.reliability(large.scores, rubrics()).set_index("criterion_id")
    assert set(table.index) == set(truth)
    for criterion, alpha in truth.items():
        row = table.loc[criterion]
        assert close(row["alpha"], row["low"], row["high"], alpha, widest=0.2), (criterion, alpha)
        assert not row["provisional"] and row["candidates"] > 350
    # The noisy criterion is the least reliable, clearly below the precise one; it is called
    # out for rewriting with its anchors, the precise one is not.
    assert table["alpha"].idxmin() == NOISY and table["alpha"].idxmax() == PRECISE
    assert table.at[NOISY, "high"] < table.at[PRECISE, "low"]
    assert table.at[NOISY, "rewrite"] and table.at[NOISY, "anchors"].startswith("1: ")
    assert not table.at[PRECISE, "rewrite"]
    # Every criterion agrees far better than chance.
    assert (table["low"] > table["chance_high"]).all()


def test_leniency_recovers_each_interviewers_leniency(large):
    truth = truths().leniency
    p = large.parameters
    table = new_estimate(large.cards).set_index("interviewer_id")
    for person, value in truth.items():
        row = table.loc[person]
        assert close(row["leniency"], row["low"], row["high"], value, widest=0.06), person
    assert table.at[p.lenient, "low"] > 0 and table.at[p.harsh, "high"] < 0
    assert table.index[0] == p.lenient and table.index[-1] == p.harsh  # sorted by leniency


@pytest.fixture(scope="module")
def specialised():
    """One specialised history of 400 candidates."""
    return History.generate(11, replace(SPECIALISED, candidates=400))


def test_leniency_tells_the_person_from_the_session_they_run(specialised):
    truth = truths(SPECIALISED).leniency
    p = specialised.parameters
    table = new_estimate(specialised.cards).set_index("interviewer_id")
    for person, value in truth.items():
        row = table.loc[person]
        assert close(row["leniency"], row["low"], row["high"], value, widest=0.08), person
        assert row["compared_with"] == 9 and row["shared"] > 100
    lenient = [person for person, lean in enumerate(p.leniency, 1) if lean >= 0.5]
    harsh = [person for person, lean in enumerate(p.leniency, 1) if lean <= -0.5]
    assert all(table.at[person, "low"] > 0 for person in lenient), table
    assert all(table.at[person, "high"] < 0 for person in harsh), table
    neutral = table.loc[p.neutral]
    assert ((neutral["low"] <= 0) & (neutral["high"] >= 0)).all(), neutral
    # The same history read the way issue 16 did calls neutral interviewers lenient or harsh
    # for the session type they mostly run, and misses the lenient one who runs coding.
    raw = raw_estimate(specialised.cards).set_index("interviewer_id").loc[p.neutral]
    assert ((raw["low"] > 0) | (raw["high"] < 0)).sum() >= 2, raw


def test_outcomes_recover_the_criterion_that_predicts_performance(large):
    truth = truths()
    table = outcome_correlations(large.predictors, large.outcomes).set_index("criterion_id")
    row = table.loc[PREDICTIVE]
    assert row["n"] == large.draw.hired.sum() and row["months"] == 12
    assert close(row["r"], row["low"], row["high"], truth.correlation, widest=0.3), row.to_dict()
    assert row["low"] > 0 and table["r"].idxmax() == PREDICTIVE
    # Only hires are observed: the correlation the page can see is below the one over everyone.
    assert truth.correlation < truth.correlation_everyone


# ---------------------------------------------------------------- coverage over 100 histories


@pytest.fixture(scope="module")
def histories():
    return [History.generate(seed) for seed in SEEDS]


def coverage(rows: list[dict], truth: dict) -> tuple[dict, dict]:
    """Per key: how many intervals covered its truth, and the ratio of the mean printed
    half-width (as a standard error) to the actual spread of the estimate across histories."""
    frame = pd.DataFrame(rows)
    covered, width = {}, {}
    for key, group in frame.groupby("key"):
        covered[key] = int(((group["low"] <= truth[key]) & (truth[key] <= group["high"])).sum())
        printed = ((group["high"] - group["low"]) / (2 * insights.Z95)).mean()
        width[key] = round(float(printed / group["estimate"].std(ddof=1)), 2)
    return covered, width


@pytest.mark.slow
def test_alpha_intervals_cover_the_true_reliability(histories):
    truth = truths().alpha
    rows = []
    for h in histories:
        table = insights.reliability(h.scores, rubrics())
        for r in table.to_dict("records"):
            rows.append({"key": r["criterion_id"], "estimate": r["alpha"]} | r)
    covered, width = coverage(rows, truth)
    figures = f"covered per criterion of {len(SEEDS)}: {covered}; width/spread: {width}"
    assert all(n >= COVERED_AT_LEAST for n in covered.values()), figures
    assert all(0.75 <= w <= 1.35 for w in width.values()), figures


@pytest.mark.slow
def test_leniency_intervals_cover_the_true_leniency(histories):
    # Shrinkage pulls an estimate toward 0 by prior precision / total precision: about a tenth
    # here (some 37 shared candidates each), 0.02 for the most lenient interviewer, half a
    # standard error, so a 95% interval still covers. With ten shared candidates the pull is a
    # third and the extremes would be missed more often; that is what "provisional" warns of.
    truth = truths().leniency
    rows = []
    for h in histories:
        table = new_estimate(h.cards)
        assert table["shared"].min() >= 20
        for r in table.to_dict("records"):
            rows.append({"key": r["interviewer_id"], "estimate": r["leniency"]} | r)
    covered, width = coverage(rows, truth)
    pooled = sum(covered.values()) / (len(covered) * len(SEEDS))
    figures = f"covered {pooled:.1%} of interviewer x history; per interviewer: {covered}"
    figures += f"; width/spread: {width}"
    assert pooled >= COVERED_AT_LEAST / 100, figures
    assert all(n >= COVERED_AT_LEAST for n in covered.values()), figures
    assert all(0.75 <= w <= 1.35 for w in width.values()), figures


def described(name: str, f) -> str:
    return (
        f"{name}: covered {f.coverage:.1%} of interviewer x history (per interviewer "
        f"{f.covered}), false flags {f.false_flags}/{f.neutral_seats} "
        f"({f.false_flag_rate:.1%}), detected {f.detected:.0%}, width/spread {f.width_ratio}"
    )


@pytest.mark.slow
def test_leniency_intervals_cover_the_truth_when_interviewers_specialise():
    # Issue 23's done-when: coverage of at least 85% and at most 10% false flags, where issue
    # 16's raw offset (today's figure until issue 23) fails both.
    fitted = leniency_figures(SPECIALISED, SEEDS, new_estimate)
    raw = leniency_figures(SPECIALISED, SEEDS, raw_estimate)
    figures = described("session-type fit", fitted) + "\n" + described("raw offset", raw)
    print(figures)
    assert fitted.coverage >= SPECIALISED_COVERAGE, figures
    assert all(n >= SPECIALISED_COVERAGE * len(SEEDS) for n in fitted.covered.values()), figures
    assert fitted.false_flag_rate <= SPECIALISED_FALSE_FLAGS, figures
    assert all(0.75 <= w <= 1.35 for w in fitted.width_ratio.values()), figures
    assert fitted.detected >= 0.7, figures  # and not by printing uselessly wide intervals
    assert raw.coverage < SPECIALISED_COVERAGE and raw.false_flag_rate > 0.3, figures


@pytest.mark.slow
def test_correlation_intervals_cover_the_true_correlation_among_hires(histories):
    truth = truths().correlation
    rows = []
    for h in histories:
        table = outcome_correlations(h.predictors, h.outcomes)
        r = table.set_index("criterion_id").loc[PREDICTIVE]
        assert not math.isnan(r["r"]) and r["n"] >= 20
        rows.append({"key": PREDICTIVE, "estimate": r["r"], "low": r["low"], "high": r["high"]})
    covered, width = coverage(rows, {PREDICTIVE: truth})
    figures = f"covered {covered[PREDICTIVE]} of {len(SEEDS)}; width/spread: {width}"
    assert covered[PREDICTIVE] >= COVERED_AT_LEAST, figures
    assert 0.75 <= width[PREDICTIVE] <= 1.35, figures
