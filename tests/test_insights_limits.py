"""Every Insights figure says when it cannot be computed (issue 23): no interval on fewer than 3
independent units (paired candidates for alpha, shared candidates for leniency, the n of a
share), and on thin data (nothing scored, one candidate, one interviewer, every score the same,
nobody hired) each section says what it cannot compute instead of printing NaN, an empty chart
or a degenerate interval. Pure tests of the functions, then the page (AppTest) on real worlds."""

from __future__ import annotations

import math
import re
from datetime import timedelta
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest
from test_insights_independent import pair

from scoring import debrief, insights
from scoring.insights import outcomes
from scoring.insights.limits import no_interval, no_interval_note
from world import DAY, build

ROOT = Path(__file__).resolve().parent.parent
SECTIONS = ("agreement", "scales", "calibration", "decisions", "thresholds", "hires")

# ------------------------------------------------------------------------------ the functions


def test_wilson_needs_three():
    assert all(math.isnan(v) for v in insights.share_interval(1, 2))
    assert all(math.isnan(v) for v in insights.share_interval(0, 0))
    low, high = insights.share_interval(1, 3)
    assert 0 < low < 1 / 3 < high < 1


def test_the_bootstrap_and_the_chance_range_need_three_paired_candidates():
    two = [[np.array([1.0, 2.0])], [np.array([3.0, 3.0])]]
    assert all(math.isnan(v) for v in insights.bootstrap_alpha(two))
    three = [*two, [np.array([4.0, 5.0])]]
    low, high = insights.bootstrap_alpha(three)
    assert low == low and high == high


def test_fisher_needs_four_hires_and_retention_three():
    assert all(math.isnan(v) for v in outcomes.fisher_interval(0.5, 3))
    later = pd.DataFrame(
        {"candidate_id": [1, 2], "months": [6, 6], "rating": [3.0, 4.0], "still_employed": 1}
    )
    (row,) = outcomes.retention(later).to_dict("records")
    assert row["n"] == 2 and math.isnan(row["low"]) and math.isnan(row["high"])


def test_the_quartiles_of_two_decisions_are_not_given():
    rows = pd.DataFrame(
        {
            "opening_id": 1,
            "opening": "Data scientist",
            "strategy": "manager",
            "final": ["hire", "no_hire"],
            "days": [1.0, 3.0],
        }
    )
    (row,) = insights.decision_process(rows).to_dict("records")
    assert row["days_median"] == 2.0
    assert math.isnan(row["days_p25"]) and math.isnan(row["days_p75"])
    assert math.isnan(row["hires_low"]) and row["hires_share"] == 0.5


def test_why_there_is_no_interval_in_words():
    assert no_interval(2, "paired candidate", "paired candidates") == (
        "No interval: 2 paired candidates; 3 are needed."
    )
    frame = pd.DataFrame({"criterion": ["Legible code", "Tests", "Design"], "n": [2, 2, 9]})
    assert no_interval_note(frame, "n", "criterion", "paired candidate", "paired candidates") == (
        "No interval for Legible code and Tests: 2 paired candidates each; 3 are needed."
    )
    assert no_interval_note(frame[2:], "n", "criterion", "x", "xs") == ""
    frame.loc[1, "n"] = 1
    assert no_interval_note(frame, "n", "criterion", "paired candidate", "paired candidates") == (
        "No interval for Legible code and Tests: 1 or 2 paired candidates; 3 are needed."
    )


def test_agreement_on_identical_scores_says_it_cannot_be_measured():
    rows = pd.DataFrame(
        {"criterion": ["Legible code"], "candidates": [25], "alpha": [math.nan]}
    ).assign(rubric="Coding", low=math.nan, high=math.nan)
    view = insights.Insights(
        scope="t", candidates=25, withheld=0, withheld_why="", counted_ids=frozenset(),
        reliability=rows, point_use=pd.DataFrame(), criterion_use=pd.DataFrame(),
        overall_points=pd.DataFrame(), overall_summary={}, calibration=pd.DataFrame(),
    )  # fmt: skip
    words = insights.headline(view, "agreement")
    assert words.startswith("Agreement cannot be measured on Legible code: every interviewer")
    assert "of the 20 needed" not in words


# ---------------------------------------------------------------------------------- worlds


def decide(w, candidate_id: int, outcome: str, day: int) -> None:
    debrief.record_decision(
        w.store, w.manager, candidate_id, outcome, "talked it through", True,
        now=DAY + timedelta(days=day + 2),
    )  # fmt: skip


def candidate_of(w, seat: int) -> int:
    with w.store.read() as db:
        return db.execute(
            "SELECT i.candidate_id FROM assignments a JOIN interview_sessions i"
            " ON i.id = a.session_id WHERE a.id = ?",
            [seat],
        ).fetchone()[0]


def make(kind: str, path: Path):
    """A world: "nothing" (a candidate with nothing submitted), "one interviewer" (one
    candidate scored by Ana alone, decided), "the same" (two paired candidates, every score 3,
    nobody hired), "two pairs" (two paired candidates, one hired with a 6-month rating)."""
    w = build(path)
    if kind == "one interviewer":
        from world import submit

        submit(w, "ana", 3)
        debrief.open_debrief(
            w.store, w.manager, w.candidate_id, "only Ana", now=DAY + timedelta(hours=7)
        )
        decide(w, w.candidate_id, "no_hire", 0)
    elif kind in ("the same", "two pairs"):
        levels = [(3, 3), (3, 3)] if kind == "the same" else [(4, 3), (2, 1)]
        for i, (a, b) in enumerate(levels):
            seats = pair(w, i, a, b)
            candidate_id = candidate_of(w, seats["ana"])
            hired = kind == "two pairs" and i == 0
            decide(w, candidate_id, "hire" if hired else "no_hire", i + 1)
            if hired:
                outcomes.record_outcome(
                    w.store, w.manager, candidate_id, 6, 4, True, now=DAY + timedelta(days=220)
                )
    return w


KINDS = ("nothing", "one interviewer", "the same", "two pairs")


@pytest.fixture(scope="module")
def worlds(tmp_path_factory):
    folder = tmp_path_factory.mktemp("limits")
    return {kind: make(kind, folder / f"{kind.replace(' ', '-')}.sqlite") for kind in KINDS}


def test_two_paired_candidates_give_figures_without_intervals(worlds):
    w = worlds["two pairs"]
    view = insights.opening_insights(w.store, w.manager, [w.opening_id])
    assert (view.reliability["candidates"] == 2).all()
    assert view.reliability["low"].isna().all() and view.reliability["high"].isna().all()
    assert view.reliability["chance_low"].isna().all()
    assert view.reliability["alpha"].notna().any()  # the estimate is kept
    assert (view.calibration["shared"] == 2).all()
    assert view.calibration["low"].isna().all() and view.calibration["leniency"].notna().all()
    (process,) = view.process.to_dict("records")
    assert process["decided"] == 2 and math.isnan(process["hires_low"])
    assert view.bar_sweep["above_low"].isna().all()


# -------------------------------------------------------------------------------- the page

NAN = re.compile(r"\bnan\b|\bNaN\b|\binf\b", re.IGNORECASE)


def page(w, monkeypatch):
    monkeypatch.setenv("DEBRIEF_DB", w.store.location)
    monkeypatch.chdir(ROOT)
    at = AppTest.from_file(str(ROOT / "pages" / "insights.py"), default_timeout=60)
    at.session_state["person_id"] = w.manager.id
    at.run()
    assert not at.exception, at.exception
    return at


def words(at) -> str:
    """Every word the page shows: text, captions, tables (as text) and chart data."""
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption]
    parts += [x.value for x in at.info] + [x.value for x in at.warning]
    parts += [d.value.to_string() for d in at.dataframe]
    return "\n".join(str(p) for p in parts)


@pytest.mark.parametrize("kind", KINDS)
def test_every_section_says_what_it_cannot_compute_and_never_prints_nan(worlds, kind, monkeypatch):
    at = page(worlds[kind], monkeypatch)
    for section in SECTIONS:
        at.button_group(key="section").set_value(section).run()
        assert not at.exception, (section, at.exception)
        shown = words(at)
        assert not NAN.search(shown), (section, NAN.findall(shown), shown)
        assert "—%" not in shown and "+nan" not in shown, section
        # every chart on the page has something to draw (Streamlit sends a chart's data as
        # Arrow datasets beside the spec, or inline in it)
        for chart in at.get("vega_lite_chart"):
            assert chart.proto.datasets or '"values"' in chart.proto.spec, section


def test_the_page_says_why_two_paired_candidates_have_no_interval(worlds, monkeypatch):
    at = page(worlds["two pairs"], monkeypatch)
    captions = " ".join(c.value for c in at.caption)
    assert "2 paired candidates each; 3 are needed." in captions
    assert "No interval for " in captions
    table = next(d.value for d in at.dataframe if "α" in d.value.columns)
    assert set(table["95% interval"]) == {"—"}
    at.button_group(key="section").set_value("calibration").run()
    captions = " ".join(c.value for c in at.caption)
    assert "No interval for Ana Alvarez and Bo Berg: 2 shared candidates each; 3 are needed." in (
        captions
    )
    at.button_group(key="section").set_value("decisions").run()
    captions = " ".join(c.value for c in at.caption)
    assert "No interval for Data scientist: 2 decisions; 3 are needed." in captions
