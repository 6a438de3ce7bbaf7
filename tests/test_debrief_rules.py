"""Opening the debrief, votes and decisions: the service applies the engine, keeps history."""

import pytest

from scoring import debrief
from scoring.clashes import unchecked
from scoring.errors import InvalidInput, NotAllowed
from scoring.scale import Scale
from world import build, dump, submit


def panel_in(w, *overalls):
    for who, overall in zip(("ana", "bo", "cy"), overalls, strict=False):
        submit(w, who, overall)


def test_only_the_hiring_manager_opens_and_early_needs_a_reason(tmp_path):
    w = build(tmp_path / "open.sqlite")
    panel_in(w, 4, 4)
    with pytest.raises(NotAllowed, match="hiring manager"):
        debrief.open_debrief(w.store, w.ana, w.candidate_id)
    with pytest.raises(InvalidInput, match="1 scorecard is still missing"):
        debrief.open_debrief(w.store, w.manager, w.candidate_id)
    debrief.open_debrief(w.store, w.manager, w.candidate_id, reason="Cy is on leave until Friday")
    view = debrief.debrief(w.store, w.manager, w.candidate_id)
    assert view.early_reason == "Cy is on leave until Friday"
    with pytest.raises(NotAllowed, match="already open"):
        debrief.open_debrief(w.store, w.manager, w.candidate_id, reason="again")


def test_all_in_opens_without_a_reason(tmp_path):
    w = build(tmp_path / "allin.sqlite")
    panel_in(w, 4, 4, 1)
    debrief.open_debrief(w.store, w.manager, w.candidate_id)
    assert debrief.debrief(w.store, w.manager, w.candidate_id).early_reason is None


@pytest.mark.parametrize(
    "rationale, accepts, message",
    [("", True, "rationale"), ("Good hire", False, "accept")],
)
def test_manager_decision_needs_rationale_and_responsibility(tmp_path, rationale, accepts, message):
    w = build(tmp_path / "mgr.sqlite")
    panel_in(w, 4, 4, 1)
    debrief.open_debrief(w.store, w.manager, w.candidate_id)
    before = dump(w.store)
    with pytest.raises(InvalidInput, match=message):
        debrief.record_decision(w.store, w.manager, w.candidate_id, "hire", rationale, accepts)
    assert dump(w.store) == before


def test_no_decision_before_the_debrief_opens(tmp_path):
    w = build(tmp_path / "closed.sqlite")
    panel_in(w, 4, 4, 1)
    with pytest.raises(NotAllowed, match="Open the debrief"):
        debrief.record_decision(w.store, w.manager, w.candidate_id, "hire", "ok", True)


def test_vote_outcome_is_confirmed_not_reversed(tmp_path):
    w = build(tmp_path / "vote.sqlite", strategy={"kind": "vote", "veto": True})
    panel_in(w, 4, 5, 0)
    debrief.open_debrief(w.store, w.manager, w.candidate_id)
    view = debrief.debrief(w.store, w.manager, w.candidate_id)
    assert view.result.outcome == "no_hire" and "veto" in view.result.flags
    with pytest.raises(InvalidInput, match="vote says no hire"):
        debrief.record_decision(w.store, w.manager, w.candidate_id, "hire", "I like her")
    record = debrief.record_decision(w.store, w.manager, w.candidate_id, "no_hire")
    assert record.engine_result["flags"] == view.result.flags


def test_vote_tie_is_settled_with_a_reason(tmp_path):
    w = build(tmp_path / "tie.sqlite", strategy={"kind": "vote"})
    panel_in(w, 4, 1)
    debrief.open_debrief(w.store, w.manager, w.candidate_id, reason="Cy recorded no session")
    with pytest.raises(InvalidInput, match="needs discussion"):
        debrief.record_decision(w.store, w.manager, w.candidate_id, "hire")
    settled = debrief.record_decision(
        w.store, w.manager, w.candidate_id, "hire", "Bo's concern was about tooling we teach"
    )
    assert settled.engine_result["outcome"] == "needs_discussion"


def test_committee_votes_after_opening_may_change_until_decided_and_the_rule_decides(tmp_path):
    w = build(tmp_path / "committee.sqlite", strategy={"kind": "committee", "quorum": 1})
    panel_in(w, 4, 4, 1)
    with pytest.raises(NotAllowed, match="once the debrief is open"):
        debrief.cast_vote(w.store, w.member, w.candidate_id, "hire", "Strong packet")
    debrief.open_debrief(w.store, w.manager, w.candidate_id)
    with pytest.raises(InvalidInput, match="Nothing to record yet"):
        debrief.record_decision(w.store, w.manager, w.candidate_id, "hire")
    with pytest.raises(NotAllowed, match="committee members"):
        debrief.cast_vote(w.store, w.ana, w.candidate_id, "hire")
    debrief.cast_vote(w.store, w.member, w.candidate_id, "no_hire", "Unsure")
    assert debrief.debrief(w.store, w.manager, w.candidate_id).result.outcome == "no_hire"
    debrief.cast_vote(w.store, w.member, w.candidate_id, "hire", "Strong packet")  # changed
    view = debrief.debrief(w.store, w.member, w.candidate_id)
    assert view.result.outcome == "hire"  # the latest vote counts
    assert [(v.member, v.vote, v.note, v.changes) for v in view.votes] == [
        ("Mo Member", "hire", "Strong packet", 1)
    ]
    with w.store.read() as db:  # both votes are kept, in order
        kept = [r[0] for r in db.execute("SELECT vote FROM committee_votes ORDER BY id")]
    assert kept == ["no_hire", "hire"]
    debrief.record_decision(w.store, w.manager, w.candidate_id, "hire")
    with pytest.raises(NotAllowed, match="votes are closed"):
        debrief.cast_vote(w.store, w.member, w.candidate_id, "no_hire")


def test_debrief_previews_every_strategy_and_forcing(tmp_path):
    w = build(tmp_path / "whatif.sqlite", strategy={"kind": "vote", "veto": True})
    panel_in(w, 3, 3, 2)  # lukewarm: 2 weak yes, 1 weak no
    debrief.open_debrief(w.store, w.manager, w.candidate_id)
    raw = debrief.debrief(w.store, w.manager, w.candidate_id, force=False)
    forced = debrief.debrief(w.store, w.manager, w.candidate_id, force=True)
    assert raw.result.outcome == "hire"
    # the weak no becomes a 0, but a veto needs a 0 the interviewer wrote (L1265): still hire
    assert forced.result.outcome == "hire" and "veto" not in forced.result.flags
    assert "Cy Chen's 0 was forced from 2: forcing does not make a veto." in forced.result.reasons
    assert set(raw.what_if) == {"manager", "vote", "committee"}
    assert raw.what_if["manager"].outcome == "awaiting_manager"
    assert raw.flipped_by_forcing == []  # forcing keeps every side, it only makes it strong
    assert "lukewarm" in raw.result.flags


def test_two_interviewers_with_the_same_name_on_one_session_stay_apart(tmp_path):
    from datetime import timedelta

    from scoring import openings, people, scorecards
    from world import DAY, full_scores

    w = build(tmp_path / "names.sqlite")
    sams = [
        people.add_person(w.store, w.coordinator, "Sam Lee", f"sam{n}@example.com", ["interviewer"])
        for n in (1, 2)
    ]
    alan = openings.add_candidate(w.store, w.coordinator, w.opening_id, "Alan")
    session = openings.schedule_session(
        w.store, w.coordinator, alan, 3, DAY + timedelta(days=1), [s.id for s in sams]
    )
    with w.store.read() as db:
        seats = dict(
            db.execute(
                "SELECT interviewer_id, id FROM assignments WHERE session_id = ?", [session]
            ).fetchall()
        )
    for sam, overall in zip(sams, (4, 1), strict=True):
        scorecards.submit(
            w.store,
            sam,
            seats[sam.id],
            overall=overall,
            feedback="ok",
            criteria=full_scores(w.store, seats[sam.id]),
            now=DAY + timedelta(days=1, hours=3),
        )
    debrief.open_debrief(w.store, w.manager, alan, reason="only the coding session matters here")
    view = debrief.debrief(w.store, w.manager, alan)
    labels = [p.interviewer for p in view.raw.positions]
    assert len(set(labels)) == 2 and all(
        label.startswith("Sam Lee (Coding session) #") for label in labels
    )


def no_committee_panel(w, *overalls):
    """A second opening, hiring manager decides and no committee, with a candidate whose
    panel (Ana, Bo, Cy, one session each) has submitted `overalls`."""
    from scoring import openings, scorecards
    from world import CATALOG, DAY, full_scores

    opening = openings.create_opening(
        w.store,
        w.coordinator,
        title="Analyst",
        role="Data analyst",
        loop=CATALOG.loops["ds-generalist-onsite"],
        catalog=CATALOG,
        hiring_manager_id=w.manager.id,
        strategy={"kind": "manager"},
    )
    candidate = openings.add_candidate(w.store, w.coordinator, opening.id, "Ada Lovelace")
    for position, (person, overall) in enumerate(
        zip((w.ana, w.bo, w.cy), overalls, strict=True), start=1
    ):
        with unchecked():  # the whole panel at once: a made-up day
            session = openings.schedule_session(
                w.store, w.coordinator, candidate, position, DAY, [person.id]
            )
        with w.store.read() as db:
            (seat,) = db.execute("SELECT id FROM assignments WHERE session_id = ?", [session])
        scorecards.submit(
            w.store,
            person,
            seat[0],
            overall=overall,
            feedback="ok",
            criteria=full_scores(w.store, seat[0]),
            now=DAY,
        )
    return candidate


def test_the_what_if_lists_the_strategies_that_can_apply_on_raw_and_forced_scores(tmp_path):
    only_top = Scale(0, 5).preset_map("only_top_is_yes")  # a weak yes is forced to a no too
    w = build(
        tmp_path / "applicable.sqlite",
        strategy={"kind": "vote", "veto": True, "force_map": only_top},
    )
    panel_in(w, 3, 3, 2)
    debrief.open_debrief(w.store, w.manager, w.candidate_id)
    view = debrief.debrief(w.store, w.manager, w.candidate_id)
    # this opening has a committee member: all three, each raw and forced
    assert [(p.kind, p.chosen) for p in view.previews] == [
        ("manager", False),
        ("vote", True),
        ("committee", False),
    ]
    vote = view.previews[1]
    assert (vote.raw.outcome, vote.forced.outcome, vote.flips) == ("hire", "no_hire", True)
    assert not vote.raw.forced and vote.forced.forced

    candidate = no_committee_panel(w, 4, 4, 1)
    debrief.open_debrief(w.store, w.manager, candidate)
    view = debrief.debrief(w.store, w.manager, candidate)
    assert [p.kind for p in view.previews] == ["manager", "vote"]  # no committee to ask
    assert set(view.what_if) == {"manager", "vote"}
    assert debrief.outcome_words(view.previews[0].raw) == "Panel leans hire: 2 yes, 1 no"


def test_under_hiring_manager_decides_the_headline_is_the_panels_lean(tmp_path):
    w = build(tmp_path / "lean.sqlite")
    panel_in(w, 4, 1, 0)  # on 0..5: one yes, two no (one of them strong)
    debrief.open_debrief(w.store, w.manager, w.candidate_id)
    raw = debrief.debrief(w.store, w.manager, w.candidate_id, force=False).headline
    forced = debrief.debrief(w.store, w.manager, w.candidate_id, force=True).headline
    assert raw.text == "Panel leans no hire: 1 yes, 2 no — your decision"
    # the book's default forcing: a weak no goes to the bottom, a weak yes stays as written
    assert forced.text == "Panel leans no hire: 1 yes, 2 strong no — your decision"
    assert (raw.tone, forced.tone) == ("no_hire", "no_hire")
    member = debrief.debrief(w.store, w.member, w.candidate_id).headline
    assert member.text.endswith("— the hiring manager decides")  # not theirs to decide
    debrief.record_decision(w.store, w.manager, w.candidate_id, "hire", "Strong references", True)
    decided = debrief.debrief(w.store, w.manager, w.candidate_id).headline
    assert (decided.text, decided.tone) == ("Hire", "hire")


def test_where_the_panel_stood_only_when_it_stood_somewhere(tmp_path):
    w = build(tmp_path / "stood.sqlite")
    panel_in(w, 4, 1)  # one yes, one no, Cy missing: no lean
    debrief.open_debrief(w.store, w.manager, w.candidate_id, reason="Cy is away")
    view = debrief.debrief(w.store, w.manager, w.candidate_id)
    assert view.frozen_lean is None
    assert (
        view.standing == "When the debrief opened the panel had no lean: 1 yes, 1 no, 0 undecided."
    )

    candidate = no_committee_panel(w, 4, 4, 1)
    debrief.open_debrief(w.store, w.manager, candidate)
    view = debrief.debrief(w.store, w.manager, candidate)
    assert view.standing == (
        "When the debrief opened the panel leaned hire: 2 yes, 1 no, 0 undecided"
        " (awaiting the hiring manager)."
    )
