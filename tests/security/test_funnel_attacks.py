"""Attacks on the funnel (issue 27): an interviewer, a stage reviewer, a committee member, the
hiring manager of another opening and a hiring manager whose role was taken away cannot read an
opening's funnel, in the service or on the command line; what it gives holds no score, no name
and no typed reason; a hiring manager put back on a candidate's panel is blind to that
candidate's outcome again; a stage title written as a formula stays text in the CSV."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from scoring import exports, openings, people
from scoring.errors import NotAllowed
from scoring.insights.funnel import funnel
from scoring.rubric import Loop
from tests import funnel_moves as move
from tests.funnel_moves import T0, WHOLE_FUNNEL, whole_funnel
from tests.world import CATALOG, DAY, build


def days(n: float):
    return T0 + timedelta(days=n)


@pytest.fixture
def w(tmp_path):
    return build(tmp_path / "funnel-attacks.sqlite")


def history(w) -> tuple[int, dict[str, int]]:
    """Five candidates: hired, declined the offer, not hired, rejected at the screen (checked),
    withdrawn at the take-home."""
    opening_id = whole_funnel(w)
    names = ("hired", "declined", "no_hire", "screened_out", "gone")
    c = {name: move.add(w, opening_id, n) for n, name in enumerate(names)}
    for name in ("hired", "declined", "no_hire", "gone"):
        move.screen(w, c[name], True, days(1))
    move.screen(w, c["screened_out"], False, days(2))
    move.spot_check(w, c["screened_out"], True, days(3))
    move.withdraw(w, c["gone"], days(3))
    for name in ("hired", "declined", "no_hire"):
        move.take_home(w, c[name], True, days(4))
        move.loop(w, c[name], name != "no_hire", days(6))
    move.offer(w, c["hired"], True, days(8))
    move.offer(w, c["declined"], False, days(8))
    return opening_id, c


def test_interviewers_reviewers_and_the_committee_cannot_read_the_funnel(w):
    opening_id, _ = history(w)
    openings.edit_opening(w.store, w.coordinator, opening_id, committee_ids=[w.member.id])
    for who in (w.ana, w.bo, w.cy, w.member, w.outsider):  # Ana and Bo review its screens
        with pytest.raises(NotAllowed, match="coordinator and the opening's hiring manager"):
            funnel(w.store, who, opening_id)


def test_the_hiring_manager_of_another_opening_cannot_read_it(w):
    opening_id, _ = history(w)
    other = people.add_person(
        w.store, w.coordinator, "Hal Other", "hal@example.com", ["hiring_manager"]
    )
    theirs = openings.create_opening(
        w.store,
        w.coordinator,
        title="Their opening",
        role="Analyst",
        loop=CATALOG.loops["ds-generalist-onsite"],
        catalog=CATALOG,
        hiring_manager_id=other.id,
        strategy={"kind": "manager"},
    )
    assert funnel(w.store, other, theirs.id).candidates == 0  # their own: fine
    with pytest.raises(NotAllowed):
        funnel(w.store, other, opening_id)


def test_a_hiring_manager_whose_role_is_taken_away_is_refused_at_once(w):
    opening_id, _ = history(w)
    funnel(w.store, w.manager, opening_id)
    people.update_person(w.store, w.coordinator, w.manager.id, roles=["interviewer"])
    with pytest.raises(NotAllowed):
        funnel(w.store, w.manager, opening_id)  # the stale Person object is re-read


def test_the_funnel_holds_no_score_no_name_and_no_typed_reason(w):
    opening_id, _ = history(w)
    view = funnel(w.store, w.manager, opening_id, now=DAY)
    shown = json.dumps(view.to_json()) + exports.to_csv(view.rows())
    with w.store.read() as db:
        names = [r[0] for r in db.execute("SELECT name FROM people")]
        names += [r[0] for r in db.execute("SELECT name FROM candidates")]
        emails = [r[0] for r in db.execute("SELECT email FROM candidates")]
        typed = [r[0] for r in db.execute("SELECT notes FROM stage_reviews")]
        typed += [r[0] for r in db.execute("SELECT reason FROM stage_outcomes")]
        typed += [r[0] for r in db.execute("SELECT rationale FROM decisions")]
        typed += [r[0] for r in db.execute("SELECT withdrawal_reason FROM candidates") if r[0]]
        weights = [r[0] for r in db.execute("SELECT weighted FROM stage_reviews")]
    for text in [*names, *emails, *typed]:
        assert text not in shown, text
    assert not {"score", "scores", "weighted", "overall", "alias"} & keys(view.to_json())
    assert {"score", "weighted", "overall"}.isdisjoint(view.rows()[0])
    assert 1.0 in weights and 0.0 in weights  # the reviews' scores exist: the funnel has none
    stage = view.stages[0]
    assert (stage.spot_checks.k, stage.spot_checks.n) == (1, 1)  # a count, not the check's score


def keys(document) -> set[str]:
    if isinstance(document, dict):
        return set(document) | {k for v in document.values() for k in keys(v)}
    if isinstance(document, list):
        return {k for v in document for k in keys(v)}
    return set()


def test_a_hiring_manager_back_on_a_panel_is_blind_to_that_candidate_again(w):
    opening_id, c = history(w)
    before = funnel(w.store, w.manager, opening_id, now=DAY)
    openings.schedule_session(
        w.store, w.coordinator, c["hired"], 1, DAY + timedelta(days=1), [w.manager.id]
    )
    mine = funnel(w.store, w.manager, opening_id, now=DAY)
    theirs = funnel(w.store, w.coordinator, opening_id, now=DAY)
    counts = ("entered", "advanced", "rejected", "withdrawn", "pending")
    assert [{k: st[k] for k in counts} for st in theirs.to_json()["stages"]] == [
        {k: st[k] for k in counts} for st in before.to_json()["stages"]
    ]
    assert mine.own_first == 1 and theirs.own_first == 0
    loop, offer = mine.stages[2], mine.stages[3]
    # to the manager the hired candidate waits at the loop; nothing tells them more
    assert (loop.advanced, loop.pending, offer.entered, offer.advanced) == (1, 1, 1, 0)
    assert (before.stages[2].advanced, before.stages[3].advanced) == (2, 1)
    assert mine.consistent


def test_a_stage_title_written_as_a_formula_stays_text_in_the_csv(w):
    data = CATALOG.loops["ds-generalist-onsite"].model_dump(mode="json")
    stages = [dict(WHOLE_FUNNEL[0], title='=HYPERLINK("http://evil.example","x")')]
    stages += WHOLE_FUNNEL[1:]
    opening = openings.create_opening(
        w.store,
        w.coordinator,
        title="Formula opening",
        role="Data scientist",
        loop=Loop.model_validate({**data, "stages": stages}),
        catalog=CATALOG,
        hiring_manager_id=w.manager.id,
        strategy={"kind": "manager"},
        stage_reviewers={1: [w.ana.id]},
    )
    text = exports.to_csv(funnel(w.store, w.coordinator, opening.id).rows())
    first = text.splitlines()[1]
    assert "'=HYPERLINK" in first and ",=HYPERLINK" not in first
