"""Insights in words (issue 21): each section opens with one plain sentence. Below the section's
minimum it says how many there are of how many are needed and gives no advice (no anchors to
rewrite on three candidates, nobody called higher or lower); from the minimum on, it says what
the figures mean. On panels built through the service, and on the page (AppTest)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from scoring import debrief, insights, openings, scorecards
from scoring.insights import outcomes
from scoring.matrix import full_scores
from world import DAY, build

ROOT = Path(__file__).resolve().parent.parent
CODING = 3  # the loop's coding session: a pair of interviewers scores it
SPLIT = "legibility"  # the criterion Ana and Bo read the opposite way
LEGIBILITY = "Legible code"


def paired(w, i: int, *, outcome: str = "hire", rating: int | None = None) -> int:
    """Candidate `i` of the world's opening, their coding session scored by the pair Ana and Bo
    on day i + 1: every criterion at the candidate's level (1..4, by i) from both, except
    legibility, which Bo reads the other way up; Ana's overall a point above Bo's. The debrief
    opened and `outcome` decided; with `rating`, a 6-month outcome recorded."""
    level = 1 + i % 4
    start = DAY + timedelta(days=i + 1, hours=1)
    candidate_id = openings.add_candidate(w.store, w.coordinator, w.opening_id, f"Pair {i}")
    session = openings.schedule_session(
        w.store,
        w.coordinator,
        candidate_id,
        CODING,
        start,
        [w.ana.id, w.bo.id],
        now=start - timedelta(days=1),
    )
    with w.store.read() as db:
        seats = {
            r["interviewer_id"]: r["id"]
            for r in db.execute(
                "SELECT id, interviewer_id FROM assignments WHERE session_id = ?", [session]
            )
        }
    for who, overall in (("ana", level + 1), ("bo", level)):
        seat = seats[w.person(who).id]
        low, high = full_scores(w.store, seat, -99), full_scores(w.store, seat, 99)
        card = {}
        for criterion, floor in low.items():
            lo, hi = floor["score"], high[criterion]["score"]
            score = lo + (level - 1) % (hi - lo + 1)
            if criterion == SPLIT and who == "bo":
                score = hi - (score - lo)
            card[criterion] = {"score": score, "evidence": "seen"}
        scorecards.submit(
            w.store,
            w.person(who),
            seat,
            overall=overall,
            feedback=f"{who} on pair {i}",
            criteria=card,
            now=start + timedelta(hours=3),
        )
    debrief.open_debrief(w.store, w.manager, candidate_id, now=start + timedelta(hours=4))
    decided = start + timedelta(days=2)
    debrief.record_decision(
        w.store, w.manager, candidate_id, outcome, "talked through", True, now=decided
    )
    if rating is not None:
        outcomes.record_outcome(
            w.store, w.manager, candidate_id, 6, rating, True, now=decided + timedelta(days=200)
        )
    return candidate_id


@pytest.fixture(scope="module")
def few(tmp_path_factory):
    """Three paired candidates: legibility already looks unreliable, on far too few."""
    w = build(tmp_path_factory.mktemp("few") / "few.sqlite")
    for i in range(3):
        paired(w, i, outcome="hire" if i else "no_hire")
    return w


@pytest.fixture(scope="module")
def enough(tmp_path_factory):
    """Every minimum reached: 22 paired candidates, all hired, each with a 6-month rating that
    follows their level."""
    w = build(tmp_path_factory.mktemp("enough") / "enough.sqlite")
    for i in range(22):
        paired(w, i, rating=1 + i % 4 + (i % 8 >= 4))
    return w


def test_below_every_minimum_each_section_says_how_many_of_how_many_and_gives_no_advice(few):
    w = few
    view = insights.opening_insights(w.store, w.manager, [w.opening_id])
    legible = view.reliability.set_index("criterion").loc[LEGIBILITY]
    # the figure is there (and low), but three pairs are no ground for advice
    assert legible["alpha"] < insights.RELIABLE_ALPHA and legible["candidates"] == 3
    assert not view.reliability["rewrite"].any()
    said = insights.headlines(w.store, w.manager, [w.opening_id])
    assert said == {
        "agreement": "Not enough candidates interviewed by a pair yet to judge whether"
        " interviewers agree: 3 of the 20 needed.",
        "scales": "Not enough scorecards yet to judge how the scales are used: 6 of the 30 needed.",
        "calibration": "Not enough candidates shared between interviewers yet to say who"
        " scores higher or lower than the others: 3 of the 10 needed (the most any"
        " interviewer has).",
        "decisions": "Not enough decisions yet to judge how they were made: 3 of the 20 needed.",
        "thresholds": "Not enough decided candidates yet to judge a threshold: 3 of the 20 needed.",
        "hires": "Not enough hires with a recorded outcome yet to say whether the interview"
        " predicted how hires do: 0 of the 20 needed.",
    }
    assert insights.own_headline(w.store, w.ana) == (
        "Not enough candidates shared with co-interviewers yet to say whether you score higher"
        " or lower than they do: 3 of the 10 needed."
    )
    # the minimums are the named constants, stated in the sentence
    assert f"of the {insights.MIN_CANDIDATES_RELIABILITY} needed" in said["agreement"]
    assert f"of the {insights.MIN_SCORES_DISTRIBUTION} needed" in said["scales"]
    assert f"of the {insights.MIN_CANDIDATES_CALIBRATION} needed" in said["calibration"]
    assert f"of the {insights.MIN_DECISIONS} needed" in said["decisions"]
    assert f"of the {insights.MIN_HIRES} needed" in said["hires"]


def test_from_the_minimum_on_each_section_says_what_the_figures_mean(enough):
    w = enough
    said = insights.headlines(w.store, w.manager, [w.opening_id])
    view = insights.opening_insights(w.store, w.manager, [w.opening_id])
    judged = view.reliability[view.reliability["alpha"].notna()]
    assert len(judged) == 5 and (judged["candidates"] == 22).all()
    assert said["agreement"] == (
        f"Interviewers agree well on 4 of 5 criteria; 1 needs clearer anchors: {LEGIBILITY}."
    )
    assert list(view.reliability[view.reliability["rewrite"]]["criterion"]) == [LEGIBILITY]
    middle = view.overall_summary["middle"]["share"]
    floor, ceiling = (view.overall_summary[k]["share"] for k in ("floor", "ceiling"))
    assert said["scales"] == (
        f"Of 44 overall recommendations, {middle:.0%} are lukewarm (close to the middle of the"
        f" scale), {floor:.0%} at the lowest point and {ceiling:.0%} at the highest."
    )
    assert said["calibration"] == (
        "Of 2 interviewers with enough shared candidates, Ana Alvarez scores clearly higher"
        " than the average interviewer and Bo Berg clearly lower."
    )
    # the six candidates at level 1 (overalls 2 and 1 on 0..5) leaned no hire and were hired
    assert said["decisions"] == (
        "Of 22 decisions, 22 were to hire; the discussion changed the panel's outcome 6 times"
        " and 6 decisions went against the panel's majority."
    )
    assert said["thresholds"] == (
        "The chart shows what each bar from 0.20 to 0.90 would have done to 22 past"
        " decisions; these openings use no bar, veto or greenlight."
    )
    assert said["hires"] == (
        "Over 22 hires with a recorded outcome: hires the panel recommended more strongly"
        " tended to get a better 6-month rating; 100% of 22 hires still work here at 6 months."
    )
    assert insights.own_headline(w.store, w.ana) == (
        "You score higher than the average interviewer on the same candidates and sessions:"
        " by about 10% of the scale."
    )
    assert insights.own_headline(w.store, w.bo).startswith("You score lower than")


def test_a_coordinator_reads_that_score_figures_are_for_hiring_managers(few, enough):
    """Issue 22: a coordinator's sections from scores open with a plain sentence saying they are
    for hiring managers (not an error); the decisions read from decisions and dates only."""
    for_managers = "Score figures are for hiring managers: "
    below = insights.headlines(few.store, few.coordinator, [few.opening_id])
    assert below == {
        "agreement": f"{for_managers}how well interviewers agree is worked out from the scores.",
        "scales": f"{for_managers}how the scales are used is worked out from the scores.",
        "calibration": f"{for_managers}who scores higher or lower than their co-interviewers"
        " is worked out from the scores.",
        "decisions": "Not enough decisions yet to judge how they were made: 3 of the 20 needed.",
        "thresholds": f"{for_managers}what a bar, a veto or a greenlight would have done is"
        " worked out from the scores.",
        "hires": f"{for_managers}whether the interview predicted how hires do is worked out"
        " from the scores.",
    }
    said = insights.headlines(enough.store, enough.coordinator, [enough.opening_id])
    # each decided two days after the hour-long coding session began: 1.96 days after it ended
    assert said["decisions"] == (
        "Of 22 decisions, 22 were to hire; the median time from the last interview to a"
        " decision was 2.0 days."
    )
    assert said["hires"] == (
        f"{for_managers}whether the interview predicted how hires do is worked out from the"
        " scores; of 22 hires with a recorded outcome, 100% still work here at 6 months."
    )
    assert said["agreement"] == below["agreement"]


def test_no_headline_for_a_section_that_does_not_exist(few):
    view = insights.opening_insights(few.store, few.manager, [few.opening_id])
    with pytest.raises(ValueError, match="section must be one of agreement"):
        insights.headline(view, "everything")


# ------------------------------------------------------------------------------ the page


def page(w, who, monkeypatch, section=None):
    monkeypatch.setenv("DEBRIEF_DB", w.store.location)
    monkeypatch.chdir(ROOT)
    at = AppTest.from_file(str(ROOT / "pages" / "insights.py"), default_timeout=60)
    at.session_state["person_id"] = w.person(who).id
    at.run()
    if section:
        at.button_group(key="section").set_value(section).run()
    assert not at.exception, at.exception
    return at


def visible(at) -> list[str]:
    """The words on the page outside the expanders (what is read before opening anything)."""
    inside = {id(e) for x in at.expander for e in x.children.values()}
    return [m.value for m in at.markdown if id(m) not in inside] + [
        w.value for w in at.warning if id(w) not in inside
    ]


def test_the_page_with_few_debriefs_says_so_plainly_and_gives_no_advice(few, monkeypatch):
    at = page(few, "manager", monkeypatch)
    shown = visible(at)
    assert shown[0] == (
        "**Not enough candidates interviewed by a pair yet to judge whether interviewers agree:"
        " 3 of the 20 needed.**"
    )
    words = " ".join(shown)
    assert "rewriting" not in words and "clearer" not in words and not at.warning
    # the statistics are there, behind "How is this worked out?"
    how = [x for x in at.expander if x.label == "How is this worked out?"]
    assert len(how) == 1 and "Krippendorff" in " ".join(m.value for m in how[0].markdown)
    assert "Krippendorff" not in " ".join(shown)
    for section in ("scales", "calibration", "decisions", "thresholds", "hires"):
        at.button_group(key="section").set_value(section).run()
        assert not at.exception, section
        assert visible(at)[0].startswith("**Not enough"), section
    assert "higher" not in " ".join(visible(at)[:1])


def test_the_page_with_enough_debriefs_names_the_criterion_to_rewrite(enough, monkeypatch):
    at = page(enough, "manager", monkeypatch)
    assert visible(at)[0] == (
        f"**Interviewers agree well on 4 of 5 criteria; 1 needs clearer anchors: {LEGIBILITY}.**"
    )
    (advice,) = at.warning
    assert "Clearer, more behavioural descriptions" in advice.value
    assert next(x.label for x in at.expander) == f"{LEGIBILITY} (Coding session)"
    at.button_group(key="section").set_value("calibration").run()
    assert visible(at)[0].startswith("**Of 2 interviewers with enough shared candidates, Ana")


def test_the_hires_table_speaks_words_and_the_download_keeps_its_fields(enough, monkeypatch):
    at = page(enough, "manager", monkeypatch, section="hires")
    columns = list(at.dataframe[0].value.columns)
    assert "6-month rating from" in columns and "still works here at 6 months" in columns
    assert not [c for c in columns if "_" in c]
    (row, *_) = outcomes.hire_rows(
        outcomes.hires(enough.store, enough.manager, [enough.opening_id])
    )
    assert {"rating_6m_from", "still_employed_6m", "candidate_id"} <= set(row)
