"""The funnel (issue 27): per stage of an opening's process, entered, advanced, rejected,
withdrawn and pending, always adding up; the pass-through with its interval from the minimum on
and a sentence below it; days in stage and waiting; provisional rejections and spot-check
agreement; the loop alone for an opening without stages; the Insights section that draws it;
and the pipeline's column saying which stage each candidate is in."""

from __future__ import annotations

import random
from datetime import timedelta

import pytest

from scoring import openings, pipeline
from scoring.insights.funnel import MINIMUM, funnel
from scoring.insights.limits import share_interval
from tests import funnel_moves as move
from tests.funnel_moves import T0, whole_funnel
from tests.world import DAY, ROOT, build, page_as


@pytest.fixture
def w(tmp_path):
    return build(tmp_path / "funnel.sqlite")


def days(n: float):
    return T0 + timedelta(days=n)


def counts(stage) -> tuple[int, int, int, int, int]:
    return (stage.entered, stage.advanced, stage.rejected, stage.withdrawn, stage.pending)


def ten_candidates(w) -> tuple[int, dict[str, int]]:
    """An opening with ten candidates, each where the test expects them:
    hired; declined the offer; not hired at the loop; rejected at the take-home; rejected at the
    screen twice (one spot check agrees, one does not); withdrew at the take-home; waiting at the
    screen; withdrew at the screen; waiting at the loop."""
    opening_id = whole_funnel(w)
    names = "hired declined no_hire take_home_no screen_no_agreed screen_no_disputed"
    names += " left_take_home waiting_screen left_screen waiting_loop"
    c = {name: move.add(w, opening_id, n) for n, name in enumerate(names.split())}
    for name in ("hired", "declined", "no_hire", "take_home_no", "left_take_home", "waiting_loop"):
        move.screen(w, c[name], True, days(2))
    move.withdraw(w, c["left_screen"], days(1))
    for name in ("screen_no_agreed", "screen_no_disputed"):
        move.screen(w, c[name], False, days(4))
    move.spot_check(w, c["screen_no_agreed"], True, days(5))
    move.spot_check(w, c["screen_no_disputed"], False, days(5))
    for name in ("hired", "declined", "no_hire", "waiting_loop"):
        move.take_home(w, c[name], True, days(5))
    move.take_home(w, c["take_home_no"], False, days(7))
    move.withdraw(w, c["left_take_home"], days(6))
    move.loop(w, c["hired"], True, days(9) - timedelta(hours=2))
    move.loop(w, c["declined"], True, days(9) - timedelta(hours=2))
    move.loop(w, c["no_hire"], False, days(8) - timedelta(hours=2))
    move.offer(w, c["hired"], True, days(12))
    move.offer(w, c["declined"], False, days(11))
    return opening_id, c


def test_each_stage_counts_where_every_candidate_is(w):
    opening_id, _ = ten_candidates(w)
    view = funnel(w.store, w.manager, opening_id, now=DAY)
    screen, home, loop, offer = view.stages
    assert [(s.position, s.kind) for s in view.stages] == [
        (1, "screen"),
        (2, "take_home"),
        (3, "loop"),
        (4, "offer"),
    ]
    assert counts(screen) == (10, 6, 2, 1, 1)
    assert counts(home) == (6, 4, 1, 1, 0)
    assert counts(loop) == (4, 2, 1, 0, 1)
    assert counts(offer) == (2, 1, 0, 1, 0)
    assert view.consistent and view.candidates == 10
    assert view.ends == {"in_process": 2, "rejected": 4, "withdrawn": 3, "passed": 1}
    assert view.sentence() == (
        "Of 10 candidates, 2 are still in the process, 1 was hired, 4 rejected and 3 withdrew."
        " Stage 1 (Resume screen) has the most waiting: 1."
    )
    # the two rejections at the screen were against its provisional bar; one check agreed
    assert (screen.provisional.k, screen.provisional.n) == (2, 2)
    assert (screen.spot_checks.k, screen.spot_checks.n) == (1, 2)
    assert home.spot_checks is None and home.provisional is None and not home.provisional_bar


def test_time_in_stage_of_those_who_left_and_the_wait_of_those_pending(w):
    opening_id, _ = ten_candidates(w)
    screen, home, loop, offer = funnel(w.store, w.coordinator, opening_id, now=DAY).stages
    # left the screen after 2 days (six advanced), 4 (two rejected), 1 (one withdrew)
    assert (screen.days_in_stage.n, screen.days_in_stage.median) == (9, 2.0)
    assert screen.days_in_stage.p90 == pytest.approx(4.0)
    assert (screen.days_waiting.n, screen.days_waiting.median) == (1, 25.0)
    # the take-home from day 2: decided on day 5 (four) or 7 (one), withdrawn on day 6
    assert sorted([home.days_in_stage.median, home.days_in_stage.p90]) == [3.0, pytest.approx(4.5)]
    # the loop from day 5: decided on day 8 or 9; one still waiting since day 5
    assert loop.days_in_stage.median == 4.0 and loop.days_waiting.median == 20.0
    assert offer.days_in_stage.median == pytest.approx(2.5)  # answered on day 12 and 11


def test_below_the_minimum_a_sentence_stands_in_for_the_rate(w):
    opening_id, _ = ten_candidates(w)
    screen = funnel(w.store, w.manager, opening_id, now=DAY).stages[0]
    rate = screen.pass_through
    assert (rate.k, rate.n, rate.estimate, rate.low, rate.high) == (6, 9, None, None, None)
    assert rate.note == (
        f"Not enough candidates out of this stage yet to give a pass-through rate: 9 of the"
        f" {MINIMUM} needed."
    )
    assert screen.spot_checks.note.startswith("Not enough spot checks yet")
    document = funnel(w.store, w.manager, opening_id, now=DAY).to_json()
    assert document["stages"][0]["pass_through"]["rate"] is None
    assert document["minimum_for_a_rate"] == MINIMUM


def random_history(w, n: int, seed: int) -> tuple[int, list[int]]:
    """`n` candidates, each moved as far as chance takes them, in a random order of moves."""
    rng = random.Random(seed)
    opening_id = whole_funnel(w)
    ids = [move.add(w, opening_id, i, at=days(i / 10)) for i in range(n)]
    for i, candidate in enumerate(ids):
        moved(w, rng, candidate, days(1 + i / 10))
    return opening_id, ids


def moved(w, rng: random.Random, candidate: int, at) -> None:
    """One candidate as far as chance takes them: at each stage they may wait there, withdraw,
    be rejected (a rejected resume is sometimes spot-checked) or go on."""

    def stops() -> bool:
        if rng.random() < 0.15:
            return True  # waiting here
        if rng.random() < 0.1:
            move.withdraw(w, candidate, at + timedelta(hours=1))
            return True
        return False

    if stops():
        return
    if rng.random() < 0.3:
        move.screen(w, candidate, False, at)
        if rng.random() < 0.5:
            move.spot_check(w, candidate, rng.random() < 0.7, at + timedelta(hours=3))
        return
    move.screen(w, candidate, True, at)
    if stops():
        return
    passed = rng.random() < 0.7
    move.take_home(w, candidate, passed, at + timedelta(days=2))
    if not passed or stops():
        return
    hired = rng.random() < 0.6
    move.loop(w, candidate, hired, at + timedelta(days=4))
    if not hired or stops():
        return
    move.offer(w, candidate, rng.random() < 0.8, at + timedelta(days=6))


def test_on_a_random_history_every_stage_adds_up(w):
    opening_id, ids = random_history(w, 40, seed=27)
    view = funnel(w.store, w.manager, opening_id, now=DAY)
    assert view.candidates == len(ids) == view.stages[0].entered
    for stage in view.stages:
        assert stage.entered == stage.advanced + stage.rejected + stage.withdrawn + stage.pending
        assert stage.left == stage.pass_through.n
        if stage.left >= MINIMUM:
            low, high = share_interval(stage.advanced, stage.left)
            rate = stage.pass_through
            assert rate.estimate == stage.advanced / stage.left and (rate.low, rate.high) == (
                low,
                high,
            )
            assert rate.low <= rate.estimate <= rate.high and not rate.note
        else:
            assert stage.pass_through.estimate is None and stage.pass_through.note
    # whoever advanced from a stage entered the next one
    for before, after in zip(view.stages, view.stages[1:], strict=False):
        assert after.entered == before.advanced
    assert sum(view.ends.values()) == len(ids)
    assert view.stages[0].left >= MINIMUM  # the screen's rate is given, with its interval
    # the same counts for the coordinator, without the spot checks' agreement (worked out from
    # scores: the hiring manager's only)
    theirs = funnel(w.store, w.coordinator, opening_id, now=DAY).to_json()
    ours = view.to_json()
    assert all(stage["spot_checks"] is None for stage in theirs["stages"])
    for stage in (*theirs["stages"], *ours["stages"]):
        stage.pop("spot_checks")
    assert theirs == ours


def test_an_opening_without_stages_is_the_loop_alone_and_still_adds_up(w):
    other = openings.add_candidate(w.store, w.coordinator, w.opening_id, "Alan Turing")
    move.withdraw(w, other, DAY)
    move.loop(w, w.candidate_id, True, DAY)
    (loop,) = funnel(w.store, w.manager, w.opening_id, now=DAY + timedelta(days=1)).stages
    assert (loop.position, loop.kind) == (1, "loop")
    assert counts(loop) == (2, 1, 0, 1, 0) and loop.consistent


def test_csv_rows_one_per_stage(w):
    opening_id, _ = ten_candidates(w)
    rows = funnel(w.store, w.manager, opening_id, now=DAY).rows()
    assert [r["title"] for r in rows] == [
        "Resume screen",
        "Take-home assignment review",
        "On-site loop",
        "Offer",
    ]
    assert rows[0]["entered"] == 10 and rows[0]["pass_through"] == ""
    assert rows[2]["spot_checked"] == "" and rows[0]["spot_checked"] == 2


# ------------------------------------------------------------------- the Insights section


def section_as(w, who, opening_id, monkeypatch):
    from streamlit.testing.v1 import AppTest

    def section(location: str, person_id: int, opening_id: int) -> None:
        from scoring.people import get_person
        from scoring.store import Store
        from ui.insight_funnel import show

        store = Store(location)
        show(store, get_person(store, person_id), opening_id)

    monkeypatch.chdir(ROOT)
    at = AppTest.from_function(
        section, args=(w.store.location, w.person(who).id, opening_id), default_timeout=30
    )
    at.run()
    assert not at.exception, at.exception
    return at


def test_the_insights_section_shows_each_stage_and_a_named_chart(w, monkeypatch):
    from ui.insight_funnel import funnel_chart, stage_rows

    opening_id, _ = ten_candidates(w)
    at = section_as(w, "manager", opening_id, monkeypatch)
    (frame,) = at.dataframe
    table = frame.value
    assert list(table["stage"]) == [
        "1. Resume screen (screen)",
        "2. Take-home assignment review (take-home)",
        "3. On-site loop",
        "4. Offer",
    ]
    assert list(table["entered"]) == [10, 6, 4, 2]
    assert table["pass-through"][0] == f"too few (9 of {MINIMUM})"
    assert "1 of 2" in table["spot checks agreeing"][0]
    shown = " ".join(str(c.value) for c in at.caption)
    assert "Not enough candidates out of this stage yet" in shown
    spec = funnel_chart(funnel(w.store, w.manager, opening_id, now=DAY)).to_dict()
    assert spec["title"]["text"] == "Candidates who entered each stage"
    assert "1. Resume screen (screen): 10" in spec["description"]
    assert spec["config"]["mark"]["aria"] is False
    view = funnel(w.store, w.manager, opening_id, now=DAY)
    assert stage_rows(view)[1]["provisional rejections"] == "—"  # no provisional bar there


def test_the_section_says_why_to_someone_who_may_not_see_it(w, monkeypatch):
    opening_id, _ = ten_candidates(w)
    at = section_as(w, "ana", opening_id, monkeypatch)
    assert not at.dataframe
    assert "coordinator and the opening's hiring manager" in at.caption[0].value


# ------------------------------------------------------------------------- the pipeline


def test_the_pipeline_says_which_stage_each_candidate_is_in(w):
    opening_id, c = ten_candidates(w)
    view = pipeline.pipeline(w.store, w.manager, opening_id, per_page=50, now=DAY)
    assert view.staged
    words = {r.candidate_id: r.step_words for r in view.rows}
    assert words[c["hired"]] == "Hired · Offer"
    assert words[c["declined"]] == "Withdrawn · Offer"
    assert words[c["no_hire"]] == "Rejected · On-site loop"
    assert words[c["waiting_loop"]] == "Pending · On-site loop"
    # the pipeline is the on-site loop's: whoever is still before it, or out before it, is not
    early = ("take_home_no", "screen_no_agreed", "waiting_screen", "left_screen")
    assert not {c[key] for key in early} & set(words)
    # an opening whose process is the loop alone has no stage column
    plain = pipeline.pipeline(w.store, w.manager, w.opening_id)
    assert not plain.staged and {r.step_words for r in plain.rows} == {"—"}


def test_whoever_may_not_see_the_decision_sees_the_loop_pending(w):
    opening_id, c = ten_candidates(w)
    # the hiring manager is put on the hired candidate's panel afterwards: blind again
    openings.schedule_session(
        w.store, w.coordinator, c["hired"], 1, DAY + timedelta(days=1), [w.manager.id]
    )
    view = pipeline.pipeline(w.store, w.manager, opening_id, per_page=50, now=DAY)
    (row,) = [r for r in view.rows if r.candidate_id == c["hired"]]
    assert row.step_words == "Pending · On-site loop"
    assert row.decision is None


def test_the_pipeline_page_has_the_stage_column_for_an_opening_with_stages(w, monkeypatch):
    ten_candidates(w)
    at = page_as(w, "manager", "pages/pipeline.py", monkeypatch)
    picker = at.selectbox(key="opening")
    picker.select_index(picker.options.index("Funnel opening · Data scientist")).run()
    assert not at.exception, at.exception
    table = at.dataframe[0].value
    assert list(table.columns)[:2] == ["Candidate", "Process"]
    assert "Hired · Offer" in set(table["Process"])
    assert "Pending · Resume screen" not in set(table["Process"])
