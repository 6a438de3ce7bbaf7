"""Blind scoring: every role × every function that returns a score × before and after.

Nothing here hides widgets: the service itself refuses, whichever function is asked.
"""

from datetime import timedelta

import pytest

from scoring import debrief, openings, scorecards
from scoring.errors import NotAllowed
from world import DAY, build, submit

# Every way to read someone else's score. Each takes (world, actor) and reads bo's scorecard.
READERS = {
    "panel": lambda w, a: scorecards.panel(w.store, a, w.candidate_id),
    "scorecard": lambda w, a: scorecards.scorecard(w.store, a, w.bo_card),
    "revisions": lambda w, a: scorecards.revisions(w.store, a, w.seats["bo"]),
    "own_scorecard": lambda w, a: scorecards.own_scorecard(w.store, a, w.seats["bo"]),
    "debrief": lambda w, a: debrief.debrief(w.store, a, w.candidate_id),
}
ROLES = ["ana", "cy", "manager", "member", "coordinator", "outsider"]


def allowed(world, reader, who):
    try:
        result = READERS[reader](world, world.person(who))
    except NotAllowed:
        return False
    # whatever came back must contain bo's score, or the call was not a read of it
    text = repr(result)
    assert "Bo Berg" in text or "feedback='bo thinks" in text, text[:200]
    return True


def expected_matrix(stage):
    """Who may read bo's scorecard, by function, at each stage (default reveal rule)."""
    sees_panel = {
        "bo_only": set(),
        "ana_in": {"ana"},
        "debrief_open": {"ana", "manager", "member"},
    }[stage]
    return {
        "panel": sees_panel,
        "scorecard": sees_panel,
        "revisions": sees_panel,
        "own_scorecard": set(),  # only bo's own, never anyone else's, at any stage
        "debrief": sees_panel & {"manager", "member"},
    }


@pytest.fixture
def world(tmp_path):
    w = build(tmp_path / "blind.sqlite")
    w.bo_card = submit(w, "bo", 4).id
    return w


def advance(w, stage):
    if stage in ("ana_in", "debrief_open"):
        submit(w, "ana", 1)
    if stage == "debrief_open":
        debrief.open_debrief(w.store, w.manager, w.candidate_id, reason="Cy is ill this week")


@pytest.mark.parametrize("stage", ["bo_only", "ana_in", "debrief_open"])
@pytest.mark.parametrize("reader", sorted(READERS))
def test_blindness_matrix(world, stage, reader):
    advance(world, stage)
    expected = expected_matrix(stage)[reader]
    actual = {who for who in ROLES if allowed(world, reader, who)}
    assert actual == expected


def test_author_always_reads_own_scorecard(world):
    assert scorecards.own_scorecard(world.store, world.bo, world.seats["bo"]).overall == 4
    assert scorecards.scorecard(world.store, world.bo, world.bo_card).overall == 4
    assert len(scorecards.revisions(world.store, world.bo, world.seats["bo"])) == 1


def test_strict_rule_waits_for_every_scorecard(tmp_path):
    w = build(tmp_path / "strict.sqlite", reveal_rule="all_in")
    submit(w, "bo", 4)
    submit(w, "ana", 1)
    with pytest.raises(NotAllowed, match="once every scorecard is in"):
        scorecards.panel(w.store, w.ana, w.candidate_id)
    submit(w, "cy", 3)
    assert len(scorecards.panel(w.store, w.ana, w.candidate_id)) == 3


def test_recused_seat_leaves_the_strict_count_and_sees_nothing(tmp_path):
    w = build(tmp_path / "recused.sqlite", reveal_rule="all_in")
    openings.recuse(w.store, w.cy, w.seats["cy"], "Former colleague of the candidate")
    submit(w, "bo", 4)
    submit(w, "ana", 1)
    assert len(scorecards.panel(w.store, w.ana, w.candidate_id)) == 2  # all non-recused are in
    with pytest.raises(NotAllowed, match="recused"):
        scorecards.panel(w.store, w.cy, w.candidate_id)


def test_hiring_manager_who_interviewed_submits_first(tmp_path):
    w = build(tmp_path / "hm.sqlite", manager_interviews=True)
    for who in ("ana", "bo", "cy"):
        submit(w, who, 4)
    with pytest.raises(NotAllowed, match="own scorecard"):
        debrief.open_debrief(w.store, w.manager, w.candidate_id, reason="in a hurry")
    submit(w, "manager", 5)
    debrief.open_debrief(w.store, w.manager, w.candidate_id)
    assert len(scorecards.panel(w.store, w.manager, w.candidate_id)) == 4


def test_coordinator_sees_status_but_never_a_score(world):
    submit(world, "ana", 1)
    debrief.open_debrief(world.store, world.manager, world.candidate_id, reason="Cy is away")
    board = scorecards.status_board(world.store, world.coordinator, world.candidate_id)
    assert [s.state for s in board] == ["submitted", "submitted", "overdue"]
    assert "overall" not in repr(board) and "bo thinks" not in repr(board)
    with pytest.raises(NotAllowed, match="interviewers, hiring manager and committee see scores"):
        scorecards.panel(world.store, world.coordinator, world.candidate_id)


def test_outsider_gets_no_status_either(world):
    with pytest.raises(NotAllowed, match="the panel see this status"):
        scorecards.status_board(world.store, world.outsider, world.candidate_id)


def test_deactivated_person_is_refused_everywhere(world):
    from scoring import people

    submit(world, "ana", 1)
    people.set_active(world.store, world.coordinator, world.ana.id, False)
    with pytest.raises(NotAllowed, match="not active"):
        scorecards.panel(world.store, world.ana, world.candidate_id)


def test_anonymised_opening_shows_scorers_only_the_alias(tmp_path):
    w = build(tmp_path / "anon.sqlite", anonymise=True)
    mine = scorecards.my_assignments(w.store, w.ana, now=DAY + timedelta(hours=3))
    assert mine[0].candidate.startswith("Candidate ")
    assert "Grace" not in repr(mine)
    seen = openings.get_candidate(w.store, w.ana, w.candidate_id)
    assert (seen.name, seen.email, seen.display) == (None, None, seen.alias)
    assert openings.get_candidate(w.store, w.coordinator, w.candidate_id).name == "Grace Hopper"
