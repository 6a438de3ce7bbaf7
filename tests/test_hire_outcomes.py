"""After the hire (issue 16, item 5): the hiring manager records how each hire turned out, and the
insights relate the interview's scores to it, with intervals and the book's caveat.

On real SQLite files built through the service (tests/world.py); the statistics against values
worked out by hand.
"""

from __future__ import annotations

import io
import math
import sqlite3
from datetime import datetime, timedelta

import numpy as np
import pandas as pd
import pytest

from scoring import cli, debrief, openings, scorecards
from scoring.errors import InvalidInput
from scoring.insights import outcomes, share_interval
from scoring.matrix import full_scores
from scoring.store import now_utc
from scoring.text import NOTE_MAX
from world import DAY, REFUSED, World, build, raw_sql, submit

CODING = 3  # the loop's coding session: a pair of interviewers scores it
LATER = now_utc() + timedelta(days=400)  # past the time any rating can be recorded


def hire(
    w: World,
    name: str,
    scores: dict[str, tuple[int, dict[str, int | None]]],
    outcome: str = "hire",
    day: int = 1,
) -> int:
    """A candidate whose coding session `scores` maps interviewer -> (overall, criterion scores
    over a level-3 card), decided `outcome`. Returns their id."""
    store = w.store
    candidate_id = openings.add_candidate(store, w.coordinator, w.opening_id, name)
    who = list(scores)
    session = openings.schedule_session(
        store,
        w.coordinator,
        candidate_id,
        CODING,
        DAY + timedelta(days=day),
        [w.person(x).id for x in who],
    )
    with store.read() as db:
        seats = {
            r["interviewer_id"]: r["id"]
            for r in db.execute(
                "SELECT id, interviewer_id FROM assignments WHERE session_id = ?", [session]
            )
        }
    for x, (overall, criteria) in scores.items():
        seat = seats[w.person(x).id]
        card = full_scores(store, seat, 3)
        for criterion_id, score in criteria.items():
            card[criterion_id] = {"score": score, "evidence": "seen"}
        scorecards.submit(
            store,
            w.person(x),
            seat,
            overall=overall,
            feedback=f"{x} on {name}",
            criteria=card,
            now=DAY + timedelta(days=day, hours=6),
        )
    debrief.open_debrief(store, w.manager, candidate_id)
    debrief.record_decision(store, w.manager, candidate_id, outcome, "Decided", True)
    return candidate_id


@pytest.fixture
def world(tmp_path):
    return build(tmp_path / "outcomes.sqlite")


@pytest.fixture
def hired(world):
    """Grace, hired after a full panel."""
    for who, overall in (("ana", 5), ("bo", 4), ("cy", 3)):
        submit(world, who, overall)
    debrief.open_debrief(world.store, world.manager, world.candidate_id)
    debrief.record_decision(world.store, world.manager, world.candidate_id, "hire", "Strong", True)
    return world


def rows(w: World, sql: str, *params) -> list[sqlite3.Row]:
    with w.store.read() as db:
        return db.execute(sql, params).fetchall()


# ------------------------------------------------------------------------------ recording


def test_the_hiring_manager_records_and_a_later_record_supersedes(hired):
    w = hired
    first = outcomes.record_outcome(
        w.store, w.manager, w.candidate_id, 6, 3, True, "settling in", now=LATER
    )
    assert (first.months, first.rating, first.still_employed) == (6, 3, True)
    assert first.recorded_by == "Maria Manager" and first.note == "settling in"
    outcomes.record_outcome(
        w.store, w.manager, w.candidate_id, 6, 4, True, "  grew fast  ", now=LATER
    )
    outcomes.record_outcome(
        w.store, w.manager, w.candidate_id, 12, None, False, "left in May", now=LATER
    )

    (grace,) = outcomes.hires(w.store, w.manager, [w.opening_id])
    assert grace.candidate == "Grace Hopper" and grace.opening == "Data scientist"
    assert grace.six_months.rating == 4 and grace.six_months.note == "grew fast"
    assert grace.twelve_months.rating is None and not grace.twelve_months.still_employed
    assert grace.latest(12).rating_words == "no rating"
    assert grace.latest(6).rating_words == "4 · above expectations"
    # every record is kept, each with an audit entry that names it
    assert [r["rating"] for r in rows(w, "SELECT rating FROM hire_outcomes ORDER BY id")] == [
        3,
        4,
        None,
    ]
    logged = rows(w, "SELECT detail FROM audit_log WHERE action = 'record_outcome' ORDER BY id")
    assert [f'"outcome_id": {i}' in r["detail"] for i, r in enumerate(logged, 1)] == [True] * 3

    _, recorded = outcomes.outcome_rows(w.store, w.manager, [w.opening_id])
    assert recorded["months"].tolist() == [6, 12]
    assert recorded["rating"].tolist()[0] == 4.0 and math.isnan(recorded["rating"].tolist()[1])
    assert recorded["still_employed"].tolist() == [True, False]


BAD = [
    ({"months": 3}, "months: "),
    ({"months": "6"}, "months: "),
    ({"months": True}, "months: "),
    ({"rating": 0}, "rating: Choose 1 to 5."),
    ({"rating": 6}, "rating: Choose 1 to 5."),
    ({"rating": 2.5}, "rating: Choose 1 to 5."),
    ({"rating": None}, "rating: Choose 1 to 5."),  # still employed: a rating is due
    ({"rating": "4"}, "rating: Choose 1 to 5."),
    ({"still_employed": None}, "still_employed: "),
    ({"still_employed": "yes"}, "still_employed: "),
    ({"note": "x" * (NOTE_MAX + 1)}, "note: 2,001 characters; at most 2,000"),
    ({"candidate_id": None}, "candidate_id: Choose a hire."),
]


@pytest.mark.parametrize("change, message", BAD, ids=[str(c) for c, _ in BAD])
def test_each_field_is_checked_and_named(hired, change, message):
    w = hired
    given = {"candidate_id": w.candidate_id, "months": 6, "rating": 4, "still_employed": True}
    given["note"] = ""
    given.update(change)
    with pytest.raises(InvalidInput) as refused:
        outcomes.record_outcome(w.store, w.manager, **given, now=LATER)
    assert str(refused.value).startswith(message)
    assert rows(w, "SELECT COUNT(*) FROM hire_outcomes")[0][0] == 0


def test_a_rating_may_be_left_out_only_for_someone_who_left(hired):
    w = hired
    left = outcomes.record_outcome(w.store, w.manager, w.candidate_id, 6, None, False, now=LATER)
    assert left.rating is None and not left.still_employed
    rated = outcomes.record_outcome(w.store, w.manager, w.candidate_id, 12, 2, 0, now=LATER)
    assert rated.rating == 2 and rated.still_employed is False


def test_a_rating_waits_for_its_time_and_a_departure_does_not(hired):
    """A 6-month rating the day after the decision would be read as one by every figure: it is
    refused until 5 months after the decision (12-month: 11), to the second; that the hire has
    left can be recorded at once."""
    w = hired
    (grace,) = outcomes.hires(w.store, w.manager, [w.opening_id])
    decided = grace.decided_at
    six, twelve = outcomes.rating_from(decided, 6), outcomes.rating_from(decided, 12)
    assert 150 <= (six - decided).days <= 153 and 333 <= (twelve - decided).days <= 337
    for months, opens in ((6, six), (12, twelve)):
        with pytest.raises(InvalidInput) as early:
            outcomes.record_outcome(
                w.store, w.manager, w.candidate_id, months, 4, True,
                now=opens - timedelta(seconds=1),
            )  # fmt: skip
        assert str(early.value).startswith(
            f"months: A {months}-month rating can be recorded from {opens.date().isoformat()}"
        )
        assert decided.date().isoformat() in str(early.value)
    assert rows(w, "SELECT COUNT(*) FROM hire_outcomes")[0][0] == 0
    left = outcomes.record_outcome(
        w.store, w.manager, w.candidate_id, 12, None, False, "left", now=decided + timedelta(days=9)
    )
    assert left.rating is None
    rated = outcomes.record_outcome(w.store, w.manager, w.candidate_id, 6, 3, True, now=six)
    assert rated.rating == 3
    (row,) = outcomes.hire_rows(outcomes.hires(w.store, w.manager, [w.opening_id]))
    assert row["rating_6m_from"] == six.date().isoformat()
    assert row["rating_12m_from"] == twelve.date().isoformat()


@pytest.mark.parametrize(
    "decided, months, opens",
    [
        ("2026-01-31", 6, "2026-06-30"),  # the 31st: the month's last day
        ("2026-08-31", 12, "2027-07-31"),
        ("2027-09-30", 6, "2028-02-29"),  # a leap year
        ("2026-09-30", 6, "2027-02-28"),
        ("2026-12-15", 12, "2027-11-15"),
    ],
)
def test_the_first_day_a_rating_can_be_recorded(decided, months, opens):
    at = datetime.fromisoformat(f"{decided}T14:30:00+00:00")
    assert outcomes.rating_from(at, months) == datetime.fromisoformat(f"{opens}T14:30:00+00:00")


# ------------------------------------------------------------------------- history, locked


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE hire_outcomes SET rating = 5",
        "DELETE FROM hire_outcomes",
        "REPLACE INTO hire_outcomes SELECT id, candidate_id, months, 5, still_employed, note,"
        " recorded_by, recorded_at FROM hire_outcomes",
    ],
)
@pytest.mark.sqlite_only("SQLite's INSERT OR REPLACE (test_schema_pg: PostgreSQL's upsert)")
def test_outcomes_are_append_only(hired, statement):
    w = hired
    outcomes.record_outcome(w.store, w.manager, w.candidate_id, 6, 2, True, now=LATER)
    with pytest.raises(REFUSED, match="hire_outcomes is append-only"):
        raw_sql(w, statement)
    assert [r["rating"] for r in rows(w, "SELECT rating FROM hire_outcomes")] == [2]


def test_the_database_refuses_an_outcome_for_someone_not_hired(world):
    w = world
    for who, overall in (("ana", 1), ("bo", 1), ("cy", 2)):
        submit(w, who, overall)
    debrief.open_debrief(w.store, w.manager, w.candidate_id)
    debrief.record_decision(w.store, w.manager, w.candidate_id, "no_hire", "Not yet", True)
    with pytest.raises(REFUSED, match="only for a candidate whose decision is hire"):
        raw_sql(
            w,
            "INSERT INTO hire_outcomes (candidate_id, months, rating, still_employed,"
            " recorded_by, recorded_at) VALUES (?, 6, 5, 1, ?, '2027-06-01T00:00:00+00:00')",
            w.candidate_id,
            w.manager.id,
        )


def run_verify(w: World) -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    code = cli.main(["verify", "--db", w.store.location], out, err)
    return code, out.getvalue() + err.getvalue()


def test_verify_counts_the_outcomes_it_checked(hired):
    outcomes.record_outcome(hired.store, hired.manager, hired.candidate_id, 6, 4, True, now=LATER)
    code, said = run_verify(hired)
    assert code == 0 and "1 hire_outcomes" in said


@pytest.mark.sqlite_only("forges the SQLite file behind its triggers (test_schema_pg: PostgreSQL)")
@pytest.mark.tampered
def test_verify_names_an_outcome_changed_behind_the_triggers(hired):
    w = hired
    outcomes.record_outcome(w.store, w.manager, w.candidate_id, 6, 2, True, now=LATER)
    raw_sql(w, "DROP TRIGGER hire_outcomes_append_only_update")
    raw_sql(w, "UPDATE hire_outcomes SET rating = 5")
    code, said = run_verify(w)
    assert code == 1
    assert "trigger hire_outcomes_append_only_update is missing" in said
    assert "hire_outcomes id 1: changed since it was written" in said


# ------------------------------------------------------------------------------- statistics


def test_pearson_r_by_hand():
    # x - 3 = -2 -1 0 1 2, y - 3 = -1 -2 1 0 2: sum of products 8, sums of squares 10 and 10
    assert outcomes.pearson(pd.Series([1, 2, 3, 4, 5]), pd.Series([2, 1, 4, 3, 5])) == 0.8
    assert math.isnan(outcomes.pearson(pd.Series([1, 2, 3]), pd.Series([4, 4, 4])))


def test_fishers_interval_by_hand():
    # r = 0.8, n = 5: z = atanh(0.8) = ln 3, its standard error 1 / sqrt(5 - 3)
    low, high = outcomes.fisher_interval(0.8, 5)
    half = 1.959964 / math.sqrt(2)
    assert low == pytest.approx(math.tanh(math.log(3) - half), abs=1e-6)
    assert high == pytest.approx(math.tanh(math.log(3) + half), abs=1e-6)
    assert (round(low, 4), round(high, 4)) == (-0.2796, 0.9862)
    assert all(math.isnan(v) for v in outcomes.fisher_interval(0.8, 3))
    assert all(math.isnan(v) for v in outcomes.fisher_interval(math.nan, 30))


def frames(x, y, *, months=6, criterion="problem-solving"):
    predictors = pd.DataFrame(
        {
            "candidate_id": range(len(x)),
            "rubric": "Coding session",
            "criterion_id": criterion,
            "criterion": criterion.replace("-", " ").capitalize(),
            "score": x,
        }
    )
    recorded = pd.DataFrame(
        {"candidate_id": range(len(y)), "months": months, "rating": y, "still_employed": True}
    )
    return predictors, recorded


def test_the_correlation_table_per_criterion_and_months():
    predictors, recorded = frames([1, 2, 3, 4, 5], [2, 1, 4, 3, 5])
    overall = predictors.assign(
        criterion_id=outcomes.OVERALL,
        criterion=outcomes.OVERALL_NAME,
        rubric=outcomes.OVERALL_RUBRIC,
        score=[0.1, 0.2, 0.3, 0.4, 0.5],
    )
    flat = predictors.assign(criterion_id="legibility", criterion="Legibility", score=3)
    later = recorded.assign(months=12, rating=[1, 2, None, 4, 5])  # one 12-month rating missing
    table = outcomes.outcome_correlations(
        pd.concat([predictors, overall, flat]), pd.concat([recorded, later])
    )
    assert list(table.columns) == outcomes.CORRELATION_COLUMNS
    first = table.iloc[0]  # the overall recommendation first
    assert (first["criterion_id"], first["months"], first["n"]) == ("overall", 6, 5)
    assert first["r"] == pytest.approx(0.8) and first["provisional"]
    six = table[(table["criterion_id"] == "problem-solving") & (table["months"] == 6)].iloc[0]
    assert six["r"] == pytest.approx(0.8)
    assert (six["low"], six["high"]) == pytest.approx(outcomes.fisher_interval(0.8, 5))
    twelve = table[(table["criterion_id"] == "problem-solving") & (table["months"] == 12)].iloc[0]
    assert twelve["n"] == 4 and twelve["r"] == pytest.approx(1.0)
    same = table[table["criterion_id"] == "legibility"]
    assert same["r"].isna().all() and same["low"].isna().all()  # no variance: no r
    # below four pairs: counted, but no r
    few = outcomes.outcome_correlations(*frames([1, 2, 3], [1, 3, 2]))
    assert few["n"].tolist() == [3] and few["r"].isna().all()
    assert outcomes.outcome_correlations(*frames([], [])).empty


def test_enough_hires_are_not_provisional():
    rng = np.random.default_rng(1)
    x = rng.normal(size=outcomes.MIN_HIRES)
    table = outcomes.outcome_correlations(*frames(x, x + rng.normal(size=len(x))))
    assert not table["provisional"].iloc[0]


@pytest.mark.slow  # a statistic over many simulated histories
def test_the_interval_covers_the_truth_in_about_95_of_100():
    """Hires whose later rating relates to one criterion with a known correlation: the printed
    95% interval covers it in about 95% of histories."""
    rho, n, histories, covered = 0.5, 40, 300, 0
    rng = np.random.default_rng(16)
    for _ in range(histories):
        x = rng.normal(size=n)
        y = rho * x + math.sqrt(1 - rho**2) * rng.normal(size=n)
        row = outcomes.outcome_correlations(*frames(x, y)).iloc[0]
        covered += row["low"] <= rho <= row["high"]
    assert 0.91 <= covered / histories <= 0.99


def test_retention_by_hand():
    recorded = pd.DataFrame(
        {
            "candidate_id": [1, 2, 3, 4, 1],
            "months": [6, 6, 6, 6, 12],
            "rating": [4, 3, None, 2, 5],
            "still_employed": [True, True, False, True, True],
        }
    )
    table = outcomes.retention(recorded)
    six, twelve = table.to_dict("records")
    assert (six["months"], six["n"], six["still_employed"], six["share"]) == (6, 4, 3, 0.75)
    # Wilson, by hand: centre (0.75 + z^2/8) / (1 + z^2/4) = 0.6275, half-width 0.3269
    assert (round(six["low"], 4), round(six["high"], 4)) == (0.3006, 0.9544)
    assert (six["low"], six["high"]) == share_interval(3, 4) and six["provisional"]
    assert (twelve["n"], twelve["share"]) == (1, 1.0)


# ----------------------------------------------------------------- what the figures are read from


def test_predictors_are_the_latest_raw_scores_of_hires_with_an_outcome(world):
    w = world
    # Ada: Ana 4 then corrected to 2 on problem solving; Bo 4; efficiency not assessed by Bo
    ada = hire(w, "Ada", {"ana": (4, {"problem-solving": 4}), "bo": (5, {"efficiency": None})})
    with w.store.read() as db:
        seat = db.execute(
            "SELECT a.id FROM assignments a JOIN interview_sessions i ON i.id = a.session_id"
            " WHERE i.candidate_id = ? AND a.interviewer_id = ?",
            [ada, w.ana.id],
        ).fetchone()[0]
    card = full_scores(w.store, seat, 3)
    card["problem-solving"] = {"score": 2, "evidence": "on reflection"}
    scorecards.revise(
        w.store, w.ana, seat, reason="misread", overall=3, feedback="Ana again", criteria=card
    )
    ben = hire(w, "Ben", {"ana": (1, {}), "bo": (2, {})}, day=2)
    nora = hire(w, "Nora", {"ana": (0, {}), "bo": (1, {})}, outcome="no_hire", day=3)
    outcomes.record_outcome(w.store, w.manager, ada, 6, 5, True, now=LATER)
    # Ben has no outcome yet; Nora was not hired: neither is read
    predictors, recorded = outcomes.outcome_rows(w.store, w.manager, [w.opening_id])
    assert set(predictors["candidate_id"]) == {ada} and set(recorded["candidate_id"]) == {ada}
    by = predictors.set_index("criterion_id")["score"]
    assert by["problem-solving"] == 2.5  # Ana's latest 2 (not her first 4) and Bo's 3
    assert by["efficiency"] == 3.0  # Bo's "not assessed" left out: Ana's 3 alone
    assert by["overall"] == pytest.approx((3 / 5 + 5 / 5) / 2)  # positions on the 0..5 scale
    assert predictors.set_index("criterion_id")["rubric"]["overall"] == "All sessions"
    named = predictors.set_index("criterion_id")
    assert (
        named["criterion"]["problem-solving"] == "Solves the problem and how much help was needed"
    )
    assert named["rubric"]["problem-solving"] == "Coding session"
    assert ben not in set(recorded["candidate_id"]) and nora not in set(recorded["candidate_id"])


def test_a_hire_reversed_later_no_longer_counts(world):
    w = world
    ada = hire(w, "Ada", {"ana": (4, {}), "bo": (4, {})})
    outcomes.record_outcome(w.store, w.manager, ada, 6, 5, True, now=LATER)
    debrief.record_decision(w.store, w.manager, ada, "no_hire", "Offer withdrawn", True)
    predictors, recorded = outcomes.outcome_rows(w.store, w.manager, [w.opening_id])
    assert predictors.empty and recorded.empty
    assert outcomes.hires(w.store, w.manager, [w.opening_id]) == []


def test_the_latest_hires_first_searched_and_bounded(world):
    w = world
    names = ("Alpha", "Bravo", "Charlie", "Delta", "Echo")
    ids = [hire(w, name, {"ana": (4, {})}, day=d) for d, name in enumerate(names, start=1)]
    listed = outcomes.hires(w.store, w.manager, [w.opening_id], limit=3)
    assert [h.candidate_id for h in listed] == ids[::-1][:3]
    found = outcomes.hires(w.store, w.manager, [w.opening_id], "ARLI")
    assert [h.candidate for h in found] == ["Charlie"]
    assert outcomes.hires(w.store, w.manager, [w.opening_id], "%") == []  # LIKE is escaped
    with pytest.raises(InvalidInput, match=r"^search: 1,000 characters"):
        outcomes.hires(w.store, w.manager, [w.opening_id], "x" * 1_000)
    for candidate_id in ids:
        outcomes.record_outcome(w.store, w.manager, candidate_id, 6, 3, True, now=LATER)
    predictors, _ = outcomes.outcome_rows(w.store, w.manager, [w.opening_id], limit=2)
    assert set(predictors["candidate_id"]) == set(ids[-2:])


def test_the_rows_offered_for_download_are_plain(hired):
    w = hired
    outcomes.record_outcome(w.store, w.manager, w.candidate_id, 6, 4, True, "good", now=LATER)
    (row,) = outcomes.hire_rows(outcomes.hires(w.store, w.manager, [w.opening_id]))
    assert row["rating_6m"] == "4 · above expectations" and row["still_employed_6m"] == "yes"
    assert row["rating_12m"] == "" and row["note_6m"] == "good"
    few = outcomes.outcome_correlations(*frames([1, 2, 3], [1, 3, 2]))
    (plain,) = outcomes.records(few)
    assert plain["r"] is None and plain["n"] == 3 and plain["provisional"] is True


# ------------------------------------------------------------------------------------ the page

SCRIPT = """
import sys
sys.path.insert(0, {root!r})
from scoring.permissions import Person
from scoring.store import Store
from ui.hire_outcomes import render

store = Store({path!r})
with store.read() as db:
    actor = Person.from_row(db.execute("SELECT * FROM people WHERE id = ?", [{person}]).fetchone())
render(store, actor, [{opening}])
"""


def page(w: World, person) -> object:
    from streamlit.testing.v1 import AppTest

    from world import ROOT

    script = SCRIPT.format(
        root=str(ROOT), path=w.store.location, person=person.id, opening=w.opening_id
    )
    at = AppTest.from_string(script, default_timeout=30)
    at.run()
    assert not at.exception, at.exception
    return at


def test_the_section_records_an_outcome_and_shows_the_figures(hired):
    w = hired
    at = page(w, w.manager)
    assert any("Only hires have outcomes" in i.value for i in at.info)  # the caveat, in sight
    (grace,) = outcomes.hires(w.store, w.manager, [w.opening_id])
    hired_on = grace.decided_at.date().isoformat()
    assert at.selectbox[0].options == [f"Grace Hopper · Data scientist · hired {hired_on}"]
    # no rating for someone still employed: the problem is shown under the rating
    at.selectbox[0].set_value(w.candidate_id)
    at.radio[0].set_value(6)
    at.button[0].click().run()
    assert [e.value for e in at.error] == ["Choose 1 to 5."]
    assert not outcomes.hires(w.store, w.manager, [w.opening_id])[0].six_months
    # a rating the week of the decision: refused under "When", with the date it can be given
    at.selectbox[0].set_value(w.candidate_id)
    at.radio[0].set_value(6)
    at.radio[1].set_value(4)
    at.text_area[0].set_value("**settled** in")
    at.button[0].click().run()
    assert not at.exception, at.exception
    opens = outcomes.rating_from(grace.decided_at, 6).date().isoformat()
    (early,) = [e.value for e in at.error]
    assert early.startswith(f"A 6-month rating can be recorded from {opens}")
    assert not at.toast and not outcomes.hires(w.store, w.manager, [w.opening_id])[0].six_months
    # someone who left: no rating, said in words
    at.selectbox[0].set_value(w.candidate_id)
    at.radio[0].set_value(12)
    at.radio[1].set_value("none")
    at.checkbox[0].uncheck()
    at.button[0].click().run()
    assert [t.value for t in at.toast] == ["Recorded for Grace Hopper at 12 months: no rating."]
    (grace,) = outcomes.hires(w.store, w.manager, [w.opening_id])
    assert grace.twelve_months.rating is None and not grace.twelve_months.still_employed
    assert any("0% still work here" in m.value for m in at.markdown)


def test_a_coordinator_sees_the_figures_but_no_form(hired):
    w = hired
    outcomes.record_outcome(w.store, w.manager, w.candidate_id, 6, 4, True, now=LATER)
    at = page(w, w.coordinator)
    assert not at.get("form_submit_button") and not at.selectbox
    assert any("Only hires have outcomes" in i.value for i in at.info)
    assert any("100% still work here" in m.value for m in at.markdown)


def test_enough_hires_draw_a_chart_per_months(world):
    w = world
    levels = [(1, 2), (2, 3), (3, 3), (4, 4), (5, 5)]
    for day, (overall, rating) in enumerate(levels, start=1):
        candidate_id = hire(w, f"Hire {day}", {"ana": (overall, {}), "bo": (overall, {})}, day=day)
        outcomes.record_outcome(w.store, w.manager, candidate_id, 6, rating, True, now=LATER)
    # the link with interview scores is a score figure: the coordinator reads how many stayed
    theirs = page(w, w.coordinator)
    assert not theirs.get("vega_lite_chart") and not theirs.dataframe
    assert theirs.markdown[0].value.startswith("**Score figures are for hiring managers")
    assert any("100% still work here" in m.value for m in theirs.markdown)
    at = page(w, w.manager)
    charts = at.get("vega_lite_chart")
    assert len(charts) == 1  # the 6-month ratings; none at 12 months yet
    cells = next(t.value for t in at.dataframe if "criterion" in t.value.columns)
    overall = cells[cells["criterion"] == "Overall recommendation"].iloc[0]
    assert overall["n hires"] == 5 and overall["data"] == "provisional"
    # overall 1..5 (r does not change with the position's scaling) against ratings 2 3 3 4 5:
    # deviations -2 -1 0 1 2 and -1.4 -0.4 -0.4 0.6 1.6, products 7, squares 10 and 5.2
    assert overall["r"] == f"{7 / math.sqrt(52):+.2f}" == "+0.97"
