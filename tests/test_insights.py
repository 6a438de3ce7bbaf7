"""Insights: the statistics against hand-computed and published values, and who sees what (an
interviewer only their own calibration; nobody a figure that includes a candidate on whom they
still have an unsubmitted seat)."""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from scoring import insights
from scoring.demo import build_demo
from scoring.errors import NotAllowed
from scoring.insights import statistics
from scoring.permissions import (
    CandidateFacts,
    OpeningFacts,
    Organisation,
    Person,
    Seat,
    why_not,
)
from scoring.rubric import load_catalog
from scoring.scale import Scale
from scoring.store import Store

ROOT = Path(__file__).resolve().parent.parent

# krippendorff's documented example (Krippendorff 2011, "Computing Krippendorff's alpha"): three
# coders (rows), fifteen units (columns); interval alpha 0.810845, as its docstring says.
NAN = math.nan
TEXTBOOK = [
    [NAN, NAN, NAN, NAN, NAN, 3, 4, 1, 2, 1, 1, 3, 3, NAN, 3],
    [1, NAN, 2, 1, 3, 3, 4, 3, NAN, NAN, NAN, NAN, NAN, NAN, NAN],
    [NAN, NAN, 2, 1, 3, 4, 4, NAN, 2, 1, 1, 3, 3, NAN, 4],
]


def units_of(matrix):
    return [[v for v in column if v == v] for column in zip(*matrix, strict=True)]


# ----------------------------------------------------------------------------------- alpha


def test_alpha_matches_the_packages_documented_example():
    assert insights.alpha_interval(units_of(TEXTBOOK)) == pytest.approx(0.810845, abs=1e-6)


def test_alpha_by_hand_on_tiny_cases():
    # Two units, two raters who swap 1 and 2: D_o = 4/4 = 1, D_e = 8/(4*3) = 2/3 -> 1 - 3/2.
    assert insights.alpha_interval([[1, 2], [2, 1]]) == pytest.approx(-0.5)
    # Raters who always agree, on units that differ: perfect reliability.
    assert insights.alpha_interval([[1, 1], [3, 3], [4, 4]]) == pytest.approx(1.0)
    # Units with one score cannot be paired; every score the same leaves nothing to measure.
    assert insights.alpha_interval([[1, 2], [2, 1], [4]]) == pytest.approx(-0.5)
    assert math.isnan(insights.alpha_interval([[2, 2], [2, 2]]))


def test_the_fast_sums_used_for_resampling_give_the_packages_alpha():
    rng = np.random.default_rng(3)
    for _ in range(20):
        units = [rng.integers(1, 5, size=rng.integers(2, 4)).astype(float) for _ in range(12)]
        sums = statistics._unit_stats(units).sum(axis=0)
        assert float(statistics._alpha_from_sums(sums)) == pytest.approx(
            insights.alpha_interval(units), abs=1e-9
        )
    textbook = [np.array(u) for u in units_of(TEXTBOOK) if len(u) >= 2]
    sums = statistics._unit_stats(textbook).sum(axis=0)
    assert float(statistics._alpha_from_sums(sums)) == pytest.approx(0.810845, abs=1e-6)


def test_bootstrap_is_seeded_and_brackets_the_estimate():
    rng = np.random.default_rng(1)
    truth = rng.integers(1, 5, size=60)
    groups = [[np.array([t, min(4, max(1, t + rng.integers(-1, 2)))], dtype=float)] for t in truth]
    estimate = insights.alpha_interval([g[0] for g in groups])
    low, high = insights.bootstrap_alpha(groups)
    assert (low, high) == insights.bootstrap_alpha(groups)  # the same history, the same figure
    assert low < estimate < high and high - low < 0.5
    assert insights.bootstrap_alpha(groups[:1]) == (NAN, NAN) or math.isnan(
        insights.bootstrap_alpha(groups[:1])[0]
    )


def test_chance_gives_alpha_near_zero():
    rng = np.random.default_rng(2)
    units = [rng.integers(1, 5, size=2).astype(float) for _ in range(40)]
    low, high = insights.chance_range(units)
    assert low < 0 < high and high - low < 0.8


# ------------------------------------------------------------------------------- shrinkage


def test_leniency_shrinks_toward_zero_for_small_n_and_not_for_large():
    one, _, _ = insights.shrink(0.2, 1, offset_sd=0.25)
    many, low, high = insights.shrink(0.2, 200, offset_sd=0.25)
    assert 0 < one < 0.05  # one candidate: mostly the prior (no lean)
    assert 0.18 < many < 0.2 and low < many < high and high - low < 0.1
    estimates = [insights.shrink(0.2, n, 0.25)[0] for n in (1, 2, 5, 10, 50)]
    assert estimates == sorted(estimates) and all(e < 0.2 for e in estimates)
    assert insights.shrink(-0.2, 5, 0.25)[0] == pytest.approx(-insights.shrink(0.2, 5, 0.25)[0])
    assert insights.shrink(0.0, 0, 0.25)[0] == 0.0
    # the interval narrows as n grows
    widths = [insights.shrink(0.1, n, 0.25)[2] - insights.shrink(0.1, n, 0.25)[1] for n in (1, 10)]
    assert widths[0] > widths[1]


START = datetime(2026, 1, 1, 10, tzinfo=UTC)


def cards_frame(rows):
    return pd.DataFrame(
        [
            {
                "candidate_id": c,
                "interviewer_id": who,
                "interviewer": f"P{who}",
                "overall": overall,
                "scale_min": 0,
                "scale_max": 5,
                "ends_at": "2026-01-01T10:00:00+00:00",
                "first_at": (START + timedelta(hours=hours)).isoformat(),
                "overdue_hours": 24,
                "corrections": 0,
            }
            for c, who, overall, hours in rows
        ]
    )


def test_calibration_recovers_a_known_offset():
    # Interviewer 1 always scores a point (a fifth of 0..5) above interviewer 2: against the
    # average of the two, a tenth of the scale above it and a tenth below.
    rows = [(c, 1, 3 + c % 2, 1) for c in range(40)] + [(c, 2, 2 + c % 2, 3) for c in range(40)]
    table = insights.calibration(cards_frame(rows)).set_index("interviewer_id")
    assert table.at[1, "raw_offset"] == pytest.approx(0.2)
    assert table.at[2, "raw_offset"] == pytest.approx(-0.2)
    assert 0.08 < table.at[1, "leniency"] <= 0.1 and table.at[1, "low"] > 0
    assert table.at[2, "leniency"] == pytest.approx(-table.at[1, "leniency"])
    assert table.at[1, "compared_with"] == 1
    assert table.at[1, "shared"] == 40 and not table.at[1, "provisional"]
    assert table.at[1, "median_hours"] == 1 and table.at[2, "median_hours"] == 3
    few = insights.calibration(cards_frame([r for r in rows if r[0] < 2])).set_index(
        "interviewer_id"
    )
    assert abs(few.at[1, "leniency"]) < 0.1 and few.at[1, "provisional"]


def test_overall_use_counts_floor_ceiling_and_the_lukewarm_middle():
    cards = cards_frame([(1, 1, 0, 1), (1, 2, 2, 1), (2, 1, 3, 1), (2, 2, 5, 30)])
    points, summary = insights.overall_use(cards)
    assert list(points["count"]) == [1, 0, 1, 1, 0, 1]
    assert summary["floor"]["share"] == summary["ceiling"]["share"] == 0.25
    assert summary["middle"]["share"] == 0.5 and summary["provisional"]
    assert insights.middle(Scale(1, 5), 3) and not insights.middle(Scale(1, 5), 4)
    late = insights.calibration(cards).set_index("interviewer_id")
    assert late.at[2, "late"] == 1 and late.at[1, "late"] == 0


def test_share_interval_is_wilsons():
    low, high = insights.share_interval(0, 10)
    assert low == 0 and high == pytest.approx(0.2775, abs=1e-4)
    assert math.isnan(insights.share_interval(0, 0)[0])


# ----------------------------------------------------------------------------- permissions


def facts(*, pending: bool, debrief_open: bool = True) -> CandidateFacts:
    opening = OpeningFacts(
        opening_id=1, hiring_manager_id=2, committee_ids=frozenset(), strategy_kind="manager"
    )
    seats = (Seat(1, 1, 2, False, not pending), Seat(2, 1, 3, False, True))
    return CandidateFacts(1, opening, "after_own", False, seats, debrief_open, False, frozenset())


MANAGER = Person(2, "Maya", "maya@example.com", frozenset({"hiring_manager", "interviewer"}))
COORDINATOR = Person(5, "Cora", "cora@example.com", frozenset({"coordinator"}))
INTERVIEWER = Person(3, "Ivo", "ivo@example.com", frozenset({"interviewer"}))


def test_the_table_counts_a_candidate_only_for_those_not_blind_to_them():
    assert why_not(MANAGER, "count_in_insights", facts(pending=False)) is None
    assert why_not(MANAGER, "count_in_insights", facts(pending=True)) is not None
    assert why_not(MANAGER, "count_in_insights", facts(pending=False, debrief_open=False))
    assert why_not(COORDINATOR, "count_in_insights", facts(pending=False)) is None
    assert why_not(INTERVIEWER, "count_in_insights", facts(pending=False)) is not None
    # scores count only for the opening's hiring manager, and only where they may read them
    assert why_not(MANAGER, "count_in_score_figures", facts(pending=False)) is None
    assert why_not(MANAGER, "count_in_score_figures", facts(pending=True)) is not None
    assert why_not(MANAGER, "count_in_score_figures", facts(pending=False, debrief_open=False))
    assert why_not(COORDINATOR, "count_in_score_figures", facts(pending=False)) is not None
    assert why_not(INTERVIEWER, "count_in_score_figures", facts(pending=False)) is not None
    assert why_not(INTERVIEWER, "see_own_calibration", Organisation()) is None
    assert why_not(COORDINATOR, "see_own_calibration", Organisation()) is not None


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    path = tmp_path_factory.mktemp("insights") / "demo.sqlite"
    store = Store(path)
    logins = build_demo(store, load_catalog(ROOT / "rubrics"))
    with store.read() as db:
        people = {
            r["email"]: Person.from_row(r) for r in db.execute("SELECT * FROM people").fetchall()
        }
    return store, people, {x.email: x for x in logins}


def pending_seats(store) -> list[tuple[int, int]]:
    """(person, candidate) for every unsubmitted, unrecused seat whose candidate has another
    interviewer's submitted scorecard: what blindness must keep from that person."""
    with store.read() as db:
        return [
            tuple(r)
            for r in db.execute(
                """SELECT DISTINCT a.interviewer_id, i.candidate_id FROM assignments a
                   JOIN interview_sessions i ON i.id = a.session_id
                   WHERE a.recused_at IS NULL
                     AND NOT EXISTS (SELECT 1 FROM scorecards s WHERE s.assignment_id = a.id)
                     AND EXISTS (SELECT 1 FROM assignments b
                                 JOIN interview_sessions j ON j.id = b.session_id
                                 JOIN scorecards s ON s.assignment_id = b.id
                                 WHERE j.candidate_id = i.candidate_id
                                   AND b.interviewer_id <> a.interviewer_id)"""
            )
        ]


@pytest.mark.slow  # on the demo with its year (built once a module, 5 s): the full suite
def test_an_interviewer_sees_only_their_own_calibration(demo):
    store, people, _ = demo
    interviewers = [p for p in people.values() if p.roles == {"interviewer"}]
    assert interviewers
    for person in interviewers:
        mine = insights.own_calibration(store, person)
        assert set(mine.calibration["interviewer_id"]) <= {person.id}
        assert mine.reliability.empty and mine.point_use.empty
        with pytest.raises(NotAllowed, match="see its insights"):
            insights.opening_insights(store, person, [1])
    assert any(not insights.own_calibration(store, p).calibration.empty for p in interviewers)


@pytest.mark.slow  # on the demo with its year (built once a module, 5 s): the full suite
def test_nobody_sees_a_figure_including_a_candidate_they_are_still_blind_to(demo):
    store, people, _ = demo
    blind = pending_seats(store)
    assert blind  # the demo has scorecards in while others are still due
    by_id = {p.id: p for p in people.values()}
    for person_id, candidate_id in blind:
        person = by_id[person_id]
        assert candidate_id not in insights.own_calibration(store, person).counted_ids
        openings = insights.insight_openings(store, person)
        if openings:
            view = insights.opening_insights(store, person, [o.id for o in openings])
            assert candidate_id not in view.counted_ids


@pytest.mark.slow  # on the demo with its year (built once a module, 5 s): the full suite
def test_a_hiring_manager_sees_their_openings_only_and_a_coordinator_all(demo):
    store, people, _ = demo
    managers = [p for p in people.values() if p.has("hiring_manager")]
    coordinator = next(p for p in people.values() if p.has("coordinator"))
    every = {o.id for o in insights.insight_openings(store, coordinator)}
    assert len(every) == 3
    for manager in managers:
        own = {o.id for o in insights.insight_openings(store, manager)}
        assert own and own < every
        with pytest.raises(NotAllowed, match="see its insights"):
            insights.opening_insights(store, manager, sorted(every - own))
    # a coordinator: figures from decisions and dates, none worked out from scores
    view = insights.opening_insights(store, coordinator, sorted(every))
    assert view.candidates > 0 and not view.submission.empty and not view.score_figures
    assert view.reliability.empty and view.calibration.empty and view.overall_points.empty
    assert "hires" in view.process and "changed" not in view.process
    # the hiring manager of the opening with pairs keeps the score figures
    manager = people["daniel.okafor@example.com"]
    own = sorted(o.id for o in insights.insight_openings(store, manager))
    mine = insights.opening_insights(store, manager, own)
    assert mine.score_figures and mine.candidates > 0 and not mine.reliability.empty
    thin = mine.reliability["candidates"] < insights.MIN_CANDIDATES_RELIABILITY
    assert (mine.reliability["provisional"] == thin).all()  # provisional below the minimum
    assert set(mine.reliability["chance"]) == {0.0}


# ------------------------------------------------------------------------------ the page


def run_page(store, person, monkeypatch):
    monkeypatch.setenv("DEBRIEF_DB", store.location)
    monkeypatch.chdir(ROOT)
    at = AppTest.from_file(str(ROOT / "pages" / "insights.py"), default_timeout=60)
    at.session_state["person_id"] = person.id
    return at.run()


def headers(at) -> list[str]:
    return [h.value for h in at.header]


SECTION_HEADERS = {
    "agreement": "Do the interviewers agree?",
    "scales": "How the scales are used",
    "calibration": "Interviewer calibration",
    "decisions": "How the decisions were made",
    "thresholds": "Thresholds against the history",
    "hires": "After the hire",
}


@pytest.mark.slow  # on the demo with its year (built once a module, 5 s): the full suite
def test_the_page_for_a_hiring_manager(demo, monkeypatch):
    store, people, _ = demo
    email = "daniel.okafor@example.com"
    at = run_page(store, people[email], monkeypatch)
    assert not at.exception
    text = " ".join(m.value for m in at.markdown)
    assert "0 is what chance gives, by construction" in text  # under "How is this worked out?"
    assert "*provisional*" in text
    for section, header in SECTION_HEADERS.items():
        at.button_group(key="section").set_value(section).run()
        assert not at.exception, section
        shown = headers(at)
        assert shown[0] == header, section  # one section at a time, the one asked for
        # it opens with its plain sentence (the demo is below every minimum somewhere)
        assert at.markdown[0].value.startswith("**") and at.markdown[0].value.endswith(".**")
        mine = "How you score compared with your co-interviewers" in shown
        assert mine == people[email].has("interviewer")
        assert not [t for t in at.dataframe if "" in list(t.value.columns)], section


def test_the_page_for_a_coordinator_has_decisions_and_dates_and_a_sentence_elsewhere(
    demo, monkeypatch
):
    """A coordinator never sees a figure worked out from scores: the page opens on the
    decisions (hire rate, days to decision, time to submit, no row per interviewer); every
    section from scores opens with a plain sentence saying so, and draws nothing."""
    store, people, _ = demo
    at = run_page(store, people["priya.raman@example.com"], monkeypatch)
    assert not at.exception
    assert headers(at)[0] == SECTION_HEADERS["decisions"]
    process, timing = (t.value for t in at.dataframe)
    assert {"hires", "days to decision"} <= set(process.columns)
    assert not {"discussion changed", "against the panel", "forcing would flip"} & set(
        process.columns
    )
    assert {"median hours to submit", "late"} <= set(timing.columns)
    assert "interviewer" not in set(process.columns) | set(timing.columns)
    assert not at.get("subheader") or "what-if" not in " ".join(h.value for h in at.subheader)
    for section in ("agreement", "scales", "calibration", "thresholds"):
        at.button_group(key="section").set_value(section).run()
        assert not at.exception, section
        assert headers(at)[0] == SECTION_HEADERS[section]
        assert at.markdown[0].value.startswith("**Score figures are for hiring managers: ")
        assert not at.dataframe and not at.get("vega_lite_chart") and not at.get("expandable")
        assert not at.error and not at.warning  # a sentence, not an error
    at.button_group(key="section").set_value("hires").run()
    assert at.markdown[0].value.startswith("**Score figures are for hiring managers: whether")
    assert not at.get("vega_lite_chart")


@pytest.mark.slow  # on the demo with its year (built once a module, 5 s): the full suite
def test_the_page_for_an_interviewer_shows_their_own_row_only(demo, monkeypatch):
    store, people, _ = demo
    person = people["aisha.bello@example.com"]
    at = run_page(store, person, monkeypatch)
    assert not at.exception
    assert headers(at) == ["How you score compared with your co-interviewers"]
    (frame,) = at.dataframe
    assert list(frame.value["interviewer"]) == [person.name]


@pytest.mark.slow  # on the demo with its year (built once a module, 5 s): the full suite
def test_the_page_refuses_a_committee_member(demo, monkeypatch):
    store, people, _ = demo
    member = next(p for p in people.values() if p.roles == {"committee_member"})
    at = run_page(store, member, monkeypatch)
    assert not at.exception and not at.title
    assert "This page is for" in at.warning[0].value
