"""What needs me: the pipeline's rule for the candidates where the viewer has something to do
(score, open, decide, vote), the same in Python (each row) and in SQL (the filter and its
count); the committee's count as a member who has not voted reads it; and a decision's problems,
all at once."""

from datetime import timedelta

import pytest

from scoring import debrief, openings, pipeline
from scoring.debrief import Recordable, decision_problems
from world import DAY, add_committee_members, build, submit


def needs(w, who, **filters) -> dict[str, tuple[str, ...]]:
    """Each candidate's needs as `who` sees the pipeline; checks that the "needs me" filter
    (SQL) finds exactly the rows whose needs (Python) are not empty, and counts them."""
    actor = w.person(who)
    view = pipeline.pipeline(w.store, actor, w.opening_id, per_page=200, **filters)
    found = {r.candidate: r.needs for r in view.rows}
    mine = pipeline.pipeline(w.store, actor, w.opening_id, per_page=200, needs_me=True, **filters)
    assert {r.candidate for r in mine.rows} == {name for name, n in found.items() if n}
    assert mine.needs_total == view.needs_total == len(mine.rows) == mine.total
    return found


def in_(w, *who, overall=4):
    for name in who:
        submit(w, name, overall)


def test_the_hiring_manager_opens_then_decides(tmp_path):
    w = build(tmp_path / "m.sqlite")
    assert needs(w, "manager") == {"Grace Hopper": ()}  # scorecards still out
    in_(w, "ana", "bo", "cy")
    assert needs(w, "manager") == {"Grace Hopper": ("open",)}
    debrief.open_debrief(w.store, w.manager, w.candidate_id)
    assert needs(w, "manager") == {"Grace Hopper": ("decide",)}
    assert needs(w, "member") == {"Grace Hopper": ()}  # the manager decides: no vote
    debrief.record_decision(w.store, w.manager, w.candidate_id, "hire", "Strong", True)
    assert needs(w, "manager") == {"Grace Hopper": ()}


def test_an_interviewers_own_scorecard_comes_first(tmp_path):
    # the hiring manager also interviews: their own seat is what they have to do, and it
    # blocks opening the debrief until it is in
    w = build(tmp_path / "own.sqlite", manager_interviews=True)
    in_(w, "ana", "bo", "cy")
    assert needs(w, "manager") == {"Grace Hopper": ("score",)}
    submit(w, "manager", 3)
    assert needs(w, "manager") == {"Grace Hopper": ("open",)}


@pytest.fixture
def committee(tmp_path):
    """A committee of three (quorum 2): Mo, Nia and Zed; the panel is in, the debrief open."""
    w = build(tmp_path / "c.sqlite", strategy={"kind": "committee", "quorum": 2})
    add_committee_members(w, "Nia Member", "Zed Member")
    in_(w, "ana", "bo")
    submit(w, "cy", 1)
    return w


def test_a_member_votes_and_the_manager_decides_once_the_quorum_is_in(committee):
    w = committee
    assert needs(w, "member") == {"Grace Hopper": ()}  # not open yet: nothing to vote on
    debrief.open_debrief(w.store, w.manager, w.candidate_id)
    assert needs(w, "member") == {"Grace Hopper": ("vote",)}
    assert needs(w, "manager") == {"Grace Hopper": ()}  # no vote in: nothing to record
    debrief.cast_vote(w.store, w.member, w.candidate_id, "hire")
    assert needs(w, "member") == needs(w, "manager") == {"Grace Hopper": ()}
    assert needs(w, "nia") == {"Grace Hopper": ("vote",)}
    debrief.cast_vote(w.store, w.nia, w.candidate_id, "hire")
    assert needs(w, "manager") == {"Grace Hopper": ("decide",)}
    assert needs(w, "zed") == {"Grace Hopper": ("vote",)}  # may still vote before the decision
    debrief.record_decision(w.store, w.manager, w.candidate_id, "hire")
    assert needs(w, "zed") == {"Grace Hopper": ()}  # votes are closed


def test_a_member_who_also_interviews_scores_before_voting(committee):
    # two roles: Zed is on the committee and on the panel; until Zed's scorecard is in, that is
    # Zed's only task here (the blind rule hides the packet, so no vote yet)
    w = committee
    with w.store.write() as db:
        db.execute(
            "UPDATE people SET roles = ? WHERE id = ?",
            ['["committee_member", "interviewer"]', w.zed.id],
        )
    with w.store.read() as db:
        session_id = db.execute(
            "SELECT session_id FROM assignments WHERE id = ?", [w.seats["cy"]]
        ).fetchone()[0]
    seat = openings.add_interviewer(w.store, w.coordinator, session_id, w.zed.id)
    w.seats["zed"] = seat
    debrief.open_debrief(w.store, w.manager, w.candidate_id, reason="Zed joined late")
    assert needs(w, "zed") == {"Grace Hopper": ("score",)}
    assert needs(w, "member") == {"Grace Hopper": ("vote",)}
    submit(w, "zed", 4)
    assert needs(w, "zed") == {"Grace Hopper": ("vote",)}


def test_a_withdrawn_candidate_needs_nobody(tmp_path):
    w = build(tmp_path / "w.sqlite")
    in_(w, "ana", "bo", "cy")
    assert needs(w, "manager") == {"Grace Hopper": ("open",)}
    openings.withdraw_candidate(w.store, w.coordinator, w.candidate_id, "Took another offer")
    assert needs(w, "manager") == {"Grace Hopper": ()}


def test_needs_me_keeps_the_stage_and_day_filters(tmp_path):
    w = build(tmp_path / "f.sqlite")
    in_(w, "ana", "bo", "cy")  # Grace: ready, to open
    ada = openings.add_candidate(w.store, w.coordinator, w.opening_id, "Ada Lovelace")
    openings.schedule_session(
        w.store, w.coordinator, ada, 1, DAY + timedelta(days=2), [w.ana.id]
    )  # waiting for Ana: nothing for the manager yet
    view = pipeline.pipeline(w.store, w.manager, w.opening_id, needs_me=True)
    assert [r.candidate for r in view.rows] == ["Grace Hopper"]
    assert view.counts == {"waiting": 0, "ready": 1, "awaiting_decision": 0, "decided": 0}
    later = pipeline.pipeline(
        w.store, w.manager, w.opening_id, needs_me=True, day=(DAY + timedelta(days=2)).date()
    )
    assert later.rows == [] and later.needs_total == 0
    waiting = pipeline.pipeline(w.store, w.manager, w.opening_id, needs_me=True, stage="waiting")
    assert waiting.rows == [] and waiting.needs_total == 1


# ------------------------------------------------------------------- the committee's count


def test_a_member_who_has_not_voted_reads_how_many_have(committee):
    w = committee
    debrief.open_debrief(w.store, w.manager, w.candidate_id)
    debrief.cast_vote(w.store, w.nia, w.candidate_id, "no_hire", "Nia's doubt")
    debrief.cast_vote(w.store, w.zed, w.candidate_id, "no_hire")
    view = debrief.debrief(w.store, w.member, w.candidate_id)
    expected = "2 of 3 members have voted; you will see their votes after yours."
    assert view.committee_count == expected
    assert view.headline.text == "Awaiting your vote" and view.headline.detail == expected
    assert expected in view.result.reasons
    assert not any("committee vote" in r for r in view.result.reasons)  # no "0 votes in"
    (row,) = pipeline.pipeline(w.store, w.member, w.opening_id).rows
    assert row.standing == "Awaiting your vote · 2 of 3 in" and row.needs == ("vote",)
    assert row.committee_count == expected
    # the hiring manager sees the votes, and the rule's outcome from them
    (row,) = pipeline.pipeline(w.store, w.manager, w.opening_id).rows
    assert row.standing == "No hire · 2 of 3 in" and row.needs == ("decide",)
    view = debrief.debrief(w.store, w.manager, w.candidate_id)
    assert view.committee_count == "2 of 3 members have voted."
    debrief.cast_vote(w.store, w.member, w.candidate_id, "hire")
    view = debrief.debrief(w.store, w.member, w.candidate_id)
    assert view.committee_count == "3 of 3 members have voted."
    assert view.headline.text == "No hire"


def test_the_pipeline_reads_as_the_debrief_headline(tmp_path):
    w = build(tmp_path / "h.sqlite")
    submit(w, "ana", 4)
    submit(w, "bo", 1)
    submit(w, "cy", 0)
    (row,) = pipeline.pipeline(w.store, w.manager, w.opening_id).rows
    assert row.standing == "Ready to debrief"
    debrief.open_debrief(w.store, w.manager, w.candidate_id)
    (row,) = pipeline.pipeline(w.store, w.manager, w.opening_id).rows
    headline = debrief.debrief(w.store, w.manager, w.candidate_id).headline.text
    assert headline == "Panel leans no hire: 1 yes, 2 no — your decision"
    assert row.standing == "Leans no hire · 1 yes · 2 no"
    debrief.record_decision(w.store, w.manager, w.candidate_id, "hire", "References", True)
    (row,) = pipeline.pipeline(w.store, w.manager, w.opening_id).rows
    assert row.standing == "Hire (decided)"
    assert debrief.debrief(w.store, w.manager, w.candidate_id).headline.text == "Hire"


# ---------------------------------------------------------------- the decision's problems


MANAGER = Recordable(("hire", "no_hire"), True, True, "The panel gives advice and consent.")


def test_every_problem_of_a_decision_at_once_by_field():
    assert decision_problems(MANAGER, None, "  ", False) == {
        "outcome": "Choose hire or no hire.",
        "rationale": "Say why you decide this.",
        "accepts_responsibility": "Accept responsibility for the decision to record it.",
    }
    assert decision_problems(MANAGER, "hire", "Strong", True) == {}
    vote = Recordable(("no_hire",), False, False, "…", "The panel's vote")
    assert decision_problems(vote, "hire", "", False) == {
        "outcome": "The panel's vote says no hire: the hiring manager confirms it, not reverses it."
    }
    tie = Recordable(("hire", "no_hire"), True, False, "The panel needs discussion.")
    assert decision_problems(tie, "hire", "", False) == {
        "rationale": "The panel needs discussion: say how it was settled and why."
    }
    waiting = Recordable((), False, False, "Nothing to record yet: awaiting the committee.")
    assert decision_problems(waiting, "hire", "", False) == {
        "outcome": "Nothing to record yet: awaiting the committee."
    }


def test_the_service_refuses_with_every_problem(tmp_path):
    w = build(tmp_path / "d.sqlite")
    in_(w, "ana", "bo", "cy")
    debrief.open_debrief(w.store, w.manager, w.candidate_id)
    with pytest.raises(debrief.DecisionRefused) as refused:
        debrief.record_decision(w.store, w.manager, w.candidate_id, None, "", False)
    assert list(refused.value.problems) == ["outcome", "rationale", "accepts_responsibility"]
    assert str(refused.value) == "outcome: Choose hire or no hire."
    assert debrief.debrief(w.store, w.manager, w.candidate_id).decisions == []
