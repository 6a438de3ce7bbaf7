"""The opening's day view: who was interviewed that day, and outcomes only where allowed."""

import pytest

from scoring import debrief
from scoring.errors import NotAllowed
from world import DAY, build, submit


@pytest.fixture
def world(tmp_path):
    return build(tmp_path / "day.sqlite", strategy={"kind": "vote"})


def test_days_with_interviews_are_listed_newest_first(world):
    days = debrief.interview_days(world.store, world.manager, world.opening_id, around=DAY.date())
    assert days == [DAY.date()]
    assert debrief.interview_days(world.store, world.member, world.opening_id, around=DAY.date())
    with pytest.raises(NotAllowed, match="hiring manager"):
        debrief.interview_days(world.store, world.ana, world.opening_id)


def test_outcome_hidden_until_the_debrief_opens(world):
    for who, overall in (("ana", 4), ("bo", 4), ("cy", 1)):
        submit(world, who, overall)
    (row,) = debrief.day_view(world.store, world.manager, world.opening_id, DAY.date())
    assert (row.submitted, row.expected, row.outcome) == (3, 3, None)
    assert "once the debrief is open" in row.hidden
    debrief.open_debrief(world.store, world.manager, world.candidate_id)
    (row,) = debrief.day_view(world.store, world.member, world.opening_id, DAY.date())
    assert (row.outcome, row.hidden) == ("hire", None)
    assert "split" in row.flags and "fragile" in row.flags
    debrief.record_decision(world.store, world.manager, world.candidate_id, "hire")
    (row,) = debrief.day_view(world.store, world.manager, world.opening_id, DAY.date())
    assert (row.decision, row.decided_by) == ("hire", "Maria Manager")


def test_interviewers_and_coordinators_have_no_day_view(world):
    for who in ("ana", "coordinator"):
        with pytest.raises(NotAllowed, match="hiring manager"):
            debrief.day_view(world.store, world.person(who), world.opening_id, DAY.date())


def test_debrief_openings_and_the_debrief_frame_are_for_its_seats(world):
    from scoring import exports

    assert [o.id for o in debrief.debrief_openings(world.store, world.member)] == [world.opening_id]
    assert debrief.debrief_openings(world.store, world.ana) == []
    frame = debrief.status(world.store, world.manager, world.candidate_id)
    assert frame.opening.id == world.opening_id
    with pytest.raises(NotAllowed, match="hiring manager"):
        debrief.status(world.store, world.ana, world.candidate_id)
    assert [o.id for o in exports.export_openings(world.store, world.coordinator)] == [
        world.opening_id
    ]
    assert exports.export_openings(world.store, world.bo) == []


def test_the_view_says_who_decides_and_who_still_votes(tmp_path):
    w = build(tmp_path / "seats.sqlite", strategy={"kind": "committee", "quorum": 1})
    for who, overall in (("ana", 4), ("bo", 4), ("cy", 1)):
        submit(w, who, overall)
    debrief.open_debrief(w.store, w.manager, w.candidate_id)
    manager_view = debrief.debrief(w.store, w.manager, w.candidate_id)
    assert (manager_view.may_decide, manager_view.may_vote) == (True, False)
    assert debrief.debrief(w.store, w.member, w.candidate_id).may_vote
    debrief.cast_vote(w.store, w.member, w.candidate_id, "hire")
    member_view = debrief.debrief(w.store, w.member, w.candidate_id)
    # the member may change their vote until the decision
    assert (member_view.may_decide, member_view.may_vote) == (False, True)
    assert member_view.own_vote.vote == "hire"


def test_days_are_the_viewers_days(world):
    """The sessions run from 10:00 UTC on the 20th: in Kiritimati (UTC+14) that is from
    midnight on the 21st, so the interview is on the 21st there, under that day and no other."""
    from datetime import timedelta
    from zoneinfo import ZoneInfo

    kiritimati = ZoneInfo("Pacific/Kiritimati")
    days = debrief.interview_days(
        world.store, world.manager, world.opening_id, around=DAY.date(), zone=kiritimati
    )
    assert days == [DAY.date() + timedelta(days=1)]
    there = debrief.day_view(world.store, world.manager, world.opening_id, days[0], zone=kiritimati)
    assert [r.candidate_id for r in there] == [world.candidate_id]
    assert not debrief.day_view(
        world.store, world.manager, world.opening_id, DAY.date(), zone=kiritimati
    )
