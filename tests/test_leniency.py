"""scoring.leniency.fit on small hand-made histories: what leniency is relative to, the session
type taken out, and the degenerate windows (one interviewer, nobody shared, one session type,
a person who is their session type) answered with the prior instead of an error. The truth test
over seeded histories is tests/test_insights_truth.py."""

from __future__ import annotations

import time

import numpy as np
import pandas as pd
import pytest

from scoring import leniency

PRIOR_HALF = leniency.Z95 * leniency.PRIOR_SD


def card(candidate, interviewer, session_type, normalised):
    return {
        "candidate_id": candidate,
        "interviewer_id": interviewer,
        "session_type": session_type,
        "normalised": normalised,
    }


def loops(lean: dict[int, float], home: dict[int, str], difficulty: dict[str, float], n=300):
    """Every candidate seen by three interviewers drawn at random, each in their home session
    type 70% of the time; scores exactly additive plus a little noise."""
    rng = np.random.default_rng(5)
    people, types = sorted(lean), sorted(difficulty)
    rows = []
    for c in range(n):
        level = rng.normal(0.5, 0.15)
        for person in rng.choice(people, 3, replace=False):
            kind = home[person] if rng.random() < 0.7 else types[rng.integers(len(types))]
            score = level + difficulty[kind] + lean[person] + rng.normal(0, 0.05)
            rows.append(card(c, int(person), kind, score))
    return pd.DataFrame(rows)


LEAN = {1: 0.10, 2: 0.0, 3: 0.0, 4: -0.04, 5: -0.06}
HOME = {1: "coding", 2: "coding", 3: "values", 4: "values", 5: "system-design"}
DIFFICULTY = {"coding": -0.15, "system-design": 0.0, "values": 0.15}


def test_leniency_is_relative_to_the_average_interviewer_and_takes_the_session_out():
    table = leniency.fit(loops(LEAN, HOME, DIFFICULTY)).set_index("interviewer_id")
    average = np.mean(list(LEAN.values()))
    for person, lean in LEAN.items():
        row = table.loc[person]
        # Within one and a half half-widths (one history may miss its 95% interval; coverage
        # over seeds is the truth test's job).
        half = (row["high"] - row["low"]) / 2
        assert abs(row["leniency"] - (lean - average)) <= 1.5 * half, person
        assert row["compared_with"] == 4 and 2 * half < 0.05
    assert table["leniency"].sum() == pytest.approx(0, abs=1e-12)  # the average is the zero
    # The neutral coding interviewer is not called harsh for the hard session he runs, nor the
    # neutral values interviewer lenient; the raw offset does both.
    assert table.at[2, "high"] > 0 and table.at[3, "low"] < 0
    assert abs(table.at[2, "leniency"]) < 0.015 and abs(table.at[3, "leniency"]) < 0.015
    assert table.at[2, "raw_offset"] < -0.05 and table.at[3, "raw_offset"] > 0.05
    assert table.index[0] == 1 and table.index[-1] == 5  # most lenient first


def test_raw_offset_and_shared_are_todays_definitions():
    rows = pd.DataFrame(
        [
            card(1, 10, "coding", 0.8),
            card(1, 11, "values", 0.4),
            card(1, 12, "values", 0.6),
            card(2, 10, "coding", 0.2),
            card(2, 11, "values", 0.6),
            card(3, 12, "values", 1.0),  # alone on candidate 3: shares nothing there
        ]
    )
    table = leniency.fit(rows).set_index("interviewer_id")
    assert table["shared"].to_dict() == {10: 2, 11: 2, 12: 1}
    assert table["scorecards"].to_dict() == {10: 2, 11: 2, 12: 2}
    assert table.at[10, "raw_offset"] == pytest.approx(((0.8 - 0.5) + (0.2 - 0.6)) / 2)
    assert table.at[12, "raw_offset"] == pytest.approx(0.6 - 0.6)


def test_one_interviewer_gets_the_prior():
    rows = pd.DataFrame([card(c, 7, "coding", 0.2 * (c % 5)) for c in range(20)])
    row = leniency.fit(rows).iloc[0]
    assert row["shared"] == 0 and row["compared_with"] == 0 and np.isnan(row["raw_offset"])
    assert row["leniency"] == 0 and row["low"] == pytest.approx(-PRIOR_HALF)
    assert row["high"] == pytest.approx(PRIOR_HALF)


def test_nobody_shares_a_candidate_everyone_gets_the_prior():
    rows = pd.DataFrame(
        [card(c, c % 4, ["coding", "values"][c % 2], (c % 6) / 5) for c in range(40)]
    )
    table = leniency.fit(rows)
    assert len(table) == 4 and (table["shared"] == 0).all()
    assert (table["leniency"] == 0).all()
    assert np.allclose(table["high"], PRIOR_HALF) and np.allclose(table["low"], -PRIOR_HALF)


def test_an_interviewer_alone_among_sharers_gets_the_prior():
    rows = loops(LEAN, HOME, DIFFICULTY, n=60)
    rows = pd.concat([rows, pd.DataFrame([card(999, 42, "coding", 1.0)])])
    row = leniency.fit(rows).set_index("interviewer_id").loc[42]
    assert row["shared"] == 0 and row["leniency"] == 0 and row["high"] == pytest.approx(PRIOR_HALF)


def test_one_session_type_is_the_plain_within_candidate_fit():
    one = loops(LEAN, HOME, dict.fromkeys(DIFFICULTY, 0.0)).assign(session_type="coding")
    table = leniency.fit(one).set_index("interviewer_id")
    average = np.mean(list(LEAN.values()))
    for person, lean in LEAN.items():
        assert table.at[person, "leniency"] == pytest.approx(lean - average, abs=0.015)


def test_a_person_who_is_their_session_type_is_not_called_lenient_or_harsh():
    # Interviewer 9 alone runs "bar-raiser", a very hard session, and runs nothing else: the
    # data cannot tell the person from the session, so the fit keeps them near 0 with about
    # the prior's interval instead of calling them harsh.
    rows = loops(LEAN, HOME, DIFFICULTY, n=200)
    extra = [
        card(c, 9, "bar-raiser", float(rows.loc[rows.candidate_id == c, "normalised"].mean()) - 0.3)
        for c in range(0, 200, 2)
    ]
    table = leniency.fit(pd.concat([rows, pd.DataFrame(extra)])).set_index("interviewer_id")
    row = table.loc[9]
    assert row["raw_offset"] < -0.25  # today's figure calls them very harsh
    assert row["low"] < 0 < row["high"] and row["high"] - row["low"] > 1.5 * PRIOR_HALF


def test_groups_that_share_no_candidate_are_each_their_own_average():
    first = loops(LEAN, HOME, DIFFICULTY, n=120)
    second = loops(LEAN, HOME, DIFFICULTY, n=120)
    second["candidate_id"] += 1000
    second["interviewer_id"] += 100
    second["normalised"] += 0.2  # a more generous team: not measurable against the first
    table = leniency.fit(pd.concat([first, second])).set_index("interviewer_id")
    assert (table["compared_with"] == 4).all()
    assert table.loc[list(LEAN), "leniency"].sum() == pytest.approx(0, abs=1e-12)
    assert table.loc[[p + 100 for p in LEAN], "leniency"].sum() == pytest.approx(0, abs=1e-12)


def test_empty_and_unscored_rows():
    empty = leniency.fit(
        pd.DataFrame(columns=["candidate_id", "interviewer_id", "session_type", "normalised"])
    )
    assert empty.empty and list(empty.columns) == leniency.COLUMNS
    rows = loops(LEAN, HOME, DIFFICULTY, n=50)
    with_gaps = pd.concat([rows, pd.DataFrame([card(1, 1, "coding", np.nan)])])
    pd.testing.assert_frame_equal(leniency.fit(rows), leniency.fit(with_gaps))


def test_identical_scores_keep_an_interval():
    # No residual spread at all: the noise floor keeps the interval from collapsing to a point.
    rows = loops(LEAN, HOME, DIFFICULTY, n=40).assign(normalised=0.6)
    table = leniency.fit(rows)
    assert np.allclose(table["leniency"], 0, atol=1e-12)
    assert (table["high"] - table["low"] > 0.02).all()


def test_the_largest_window_fits_well_under_a_second():
    rng = np.random.default_rng(1)
    home = rng.integers(0, 20, 100)
    who = np.argsort(rng.random((1000, 100)), axis=1)[:, :4].reshape(-1)
    kind = np.where(rng.random(len(who)) < 0.7, home[who], rng.integers(0, 20, len(who)))
    rows = pd.DataFrame(
        {
            "candidate_id": np.repeat(np.arange(1000), 4),
            "interviewer_id": who,
            "session_type": kind.astype(str),
            "normalised": rng.integers(0, 6, len(who)) / 5,
        }
    )
    times = []
    for _ in range(3):  # the best of three: the machine's other work is not the fit's cost
        start = time.perf_counter()
        table = leniency.fit(rows)
        times.append(time.perf_counter() - start)
    assert min(times) < 0.5, times  # about 0.04 s
    assert len(table) == 100 and (table["shared"] > 0).all()
