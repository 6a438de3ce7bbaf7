"""Submitted scorecards are final: corrections are new revisions, history is append-only."""

from datetime import timedelta

import pytest

from scoring import debrief, scorecards
from scoring.errors import InvalidInput
from world import DAY, REFUSED, build, full_scores, raw_sql, submit


@pytest.fixture
def world(tmp_path):
    return build(tmp_path / "rev.sqlite")


def revise(w, who, overall, reason="Misread my notes"):
    return scorecards.revise(
        w.store,
        w.person(who),
        w.seats[who],
        reason=reason,
        overall=overall,
        feedback=f"{who} now thinks {overall}",
        criteria=full_scores(w.store, w.seats[who]),
        now=DAY + timedelta(hours=8),
    )


def test_a_second_submit_is_refused_and_a_revision_needs_a_reason(world):
    submit(world, "ana", 4)
    with pytest.raises(InvalidInput, match="already submitted"):
        submit(world, "ana", 1)
    with pytest.raises(InvalidInput, match="reason"):
        revise(world, "ana", 1, reason="  ")


def test_revision_keeps_the_old_one(world):
    first = submit(world, "ana", 4)
    second = revise(world, "ana", 2)
    history = scorecards.revisions(world.store, world.ana, world.seats["ana"])
    assert [(c.revision, c.overall) for c in history] == [(1, 4), (2, 2)]
    assert history[0].id == first.id and history[1].id == second.id
    assert second.revision_reason == "Misread my notes"
    assert scorecards.own_scorecard(world.store, world.ana, world.seats["ana"]).overall == 2


def test_revision_before_seeing_others_is_not_marked(world):
    submit(world, "ana", 4)
    assert revise(world, "ana", 3).saw_others is False  # nobody else had submitted


def test_revision_after_reveal_is_marked(world):
    submit(world, "bo", 1)
    first = submit(world, "ana", 4)
    assert first.saw_others is False  # own scorecard had not been in: nothing was visible
    later = revise(world, "ana", 2)
    assert later.saw_others is True
    panel = scorecards.panel(world.store, world.bo, world.candidate_id)
    assert [c.saw_others for c in panel if c.interviewer_name == "Ana Alvarez"] == [True]


def test_history_tables_refuse_update_and_delete_even_from_sql(world):
    submit(world, "ana", 4)
    for sql in (
        "UPDATE scorecards SET overall = 0",
        "DELETE FROM scorecards",
        "UPDATE criterion_scores SET score = 1",
        "DELETE FROM audit_log",
    ):
        with pytest.raises(REFUSED, match="append-only"):
            raw_sql(world, sql)  # the sqlite3 shell, or psql


def test_frozen_outcome_does_not_move_when_a_scorecard_is_revised(world):
    for who, overall in (("ana", 4), ("bo", 4), ("cy", 1)):
        submit(world, who, overall)
    debrief.open_debrief(world.store, world.manager, world.candidate_id)
    before = debrief.debrief(world.store, world.manager, world.candidate_id)
    assert before.frozen["tally"] == {"yes": 2, "no": 1, "undecided": 0}
    revise(world, "ana", 0, reason="Rechecked the code: it never ran")
    after = debrief.debrief(world.store, world.manager, world.candidate_id)
    assert after.frozen == before.frozen
    assert after.result.tally == {"yes": 1, "no": 2, "undecided": 0}
    with pytest.raises(REFUSED, match="frozen"):
        raw_sql(world, "UPDATE debriefs SET frozen_result = '{}'")


def test_decisions_are_appended_and_the_latest_is_in_force(world):
    for who, overall in (("ana", 4), ("bo", 4), ("cy", 1)):
        submit(world, who, overall)
    debrief.open_debrief(world.store, world.manager, world.candidate_id)
    debrief.record_decision(
        world.store, world.manager, world.candidate_id, "hire", "Strong team fit", True
    )
    debrief.record_decision(
        world.store, world.manager, world.candidate_id, "no_hire", "Reference check failed", True
    )
    view = debrief.debrief(world.store, world.manager, world.candidate_id)
    assert [d.outcome for d in view.decisions] == ["hire", "no_hire"]
    assert view.final.rationale == "Reference check failed"
    assert view.final.engine_result["outcome"] == "no_hire"
    assert view.changed_since_opening  # frozen: awaiting_manager


def test_a_correction_days_later_does_not_make_an_on_time_scorecard_late(world):
    submit(world, "ana", 4)  # 6 h after a session that ended at 10:30
    later = scorecards.revise(
        world.store,
        world.ana,
        world.seats["ana"],
        reason="Typo in the feedback",
        overall=4,
        feedback="ana thinks 4, fixed",
        criteria=full_scores(world.store, world.seats["ana"]),
        now=DAY + timedelta(days=3),
    )
    assert later.late is False
    assert later.hours_after_session == pytest.approx(4.5)
    board = scorecards.status_board(world.store, world.coordinator, world.candidate_id)
    assert board[0].state == "submitted" and board[0].revisions == 2
