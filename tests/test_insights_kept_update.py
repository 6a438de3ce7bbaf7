"""Kept Insights figures updated, not worked out again (issue 25), and the claims of
`scoring/insights/kept.py` the other tests leave out.

- After writes about a few candidates in a view's window (a decision, a vote, a revision, a
  withdrawal, a seat given to someone else), the view is made from what was read of every other
  candidate and what is read again of those: only their scorecards are read, and the figures
  equal figures worked out with nothing kept, write after write (for a hiring manager, a
  coordinator and two interviewers' own). (A seat given to the hiring manager blinds the
  updated view: tests/security/test_insights_kept_update_rights.py.)
- What is not about a candidate of the window (the opening closed, its hiring manager or
  committee changed, a person deactivated) makes the view cold whole, and right.
- More than `TAIL_MAX` entries since a figure was made: made again, not read through.
- A restored backup is another history: a figure kept at an entry whose hash is no longer the
  hash here is never served, though the history is as long again and what came after that entry
  touches nothing it read.

Real SQLite files, the real service functions for every write."""

from __future__ import annotations

import sqlite3
from datetime import timedelta

import pytest
from kept_world import (
    Two,
    as_text,
    fresh,
    new_opening,
    seats_of,
    served,
    two_openings,
    unscored_seat,
)

from scoring import debrief, insights, openings, people, scorecards
from scoring.errors import NotAllowed
from scoring.insights import kept, window
from scoring.matrix import full_scores
from scoring.schedule_changes import withdraw_candidate
from world import DAY


@pytest.fixture
def two(tmp_path) -> Two:
    kept.forget()
    return two_openings(tmp_path / "kept.sqlite")


def views(two: Two) -> dict:
    w = two.w
    return {
        "manager, A": lambda: insights.opening_insights(w.store, w.manager, [two.a]),
        "manager, A and B": lambda: insights.opening_insights(w.store, w.manager, [two.a, two.b]),
        "coordinator, A and B": lambda: insights.opening_insights(
            w.store, w.coordinator, [two.a, two.b]
        ),
        "Ana's own": lambda: insights.own_calibration(w.store, w.ana),
        "Bo's own": lambda: insights.own_calibration(w.store, w.bo),
    }


class CardReads:
    """The candidates whose scorecards a view reads (`window`'s reads, observed)."""

    def __init__(self, monkeypatch):
        self.ids: list[int] = []
        real = window.card_rows

        def card_rows(db, candidate_ids):
            self.ids.extend(candidate_ids)
            return real(db, candidate_ids)

        monkeypatch.setattr(window, "card_rows", card_rows)


def decide(two: Two, candidate_id: int, outcome: str = "no_hire") -> None:
    debrief.record_decision(
        two.w.store, two.w.manager, candidate_id, outcome, "on reflection", True, now=DAY
    )


def revise(two: Two, candidate_id: int, who, overall: int) -> None:
    seat = seats_of(two.w, candidate_id)[who.id]
    scorecards.revise(
        two.w.store,
        who,
        seat,
        reason="a second look",
        overall=overall,
        feedback="on reflection",
        criteria=full_scores(two.w.store, seat, overall),
        now=DAY - timedelta(days=10),
    )


def test_a_decision_in_the_window_reads_again_that_candidate_only(two, monkeypatch):
    manager = views(two)["manager, A and B"]
    assert served(manager) == "made"
    reads = CardReads(monkeypatch)
    before = kept.UPDATED["views"]
    decide(two, two.a_open, "hire")
    assert served(manager) == "made"
    assert kept.UPDATED["views"] == before + 1  # updated from what was read before
    assert reads.ids == [two.a_open]  # the other candidates' scorecards were not read again
    assert two.a_open in manager().counted_ids
    assert as_text(manager()) == as_text(fresh(two.w, manager))


@pytest.mark.slow  # over 3 s (a demo built, or every scene): the full suite
def test_write_after_write_the_updated_figures_equal_figures_worked_out_afresh(two):
    """The differencing: every view, after each write, against the same view with nothing
    kept (the updated ones compared, then everything kept again from the updated state)."""
    w = two.w
    every = views(two)
    for view in every.values():
        view()
    writes = [
        ("a decision on Al", lambda: decide(two, two.a_open, "hire")),
        ("a vote on Ben", lambda: debrief.cast_vote(w.store, w.member, two.b_open, "no_hire")),
        ("Ana revises Ada", lambda: revise(two, two.a_decided, w.ana, 1)),
        ("Bo revises Ben", lambda: revise(two, two.b_open, w.bo, 4)),
        ("a decision on Ben", lambda: decide(two, two.b_open, "no_hire")),
        ("a seat for Cy on Al", lambda: unscored_seat(two, two.a_open, w.cy)),
        ("Bea withdrawn", lambda: withdraw_candidate(w.store, w.coordinator, two.b_decided, "x")),
    ]
    updated = 0
    for name, write in writes:
        before = kept.UPDATED["views"]
        write()
        shown = {who: as_text(view()) for who, view in every.items()}
        updated += kept.UPDATED["views"] - before
        state = (dict(kept._PROCESS), dict(kept._STATES))
        for who, view in every.items():
            assert shown[who] == as_text(fresh(w, view)), (name, who)
        # carry on from the updated views, not from the ones just worked out afresh
        kept.forget()
        kept._PROCESS.update(state[0])
        kept._STATES.update(state[1])
    assert updated >= len(writes) * 2  # most views, after most writes, were updated


def test_ones_own_window_moved_is_worked_out_again_and_right(two):
    w = two.w
    own = views(two)["Bo's own"]
    assert served(own) == "made"
    before = kept.UPDATED["views"]
    decide(two, two.a_open, "hire")  # a candidate Bo interviewed: the same window
    assert served(own) == "made" and kept.UPDATED["views"] == before + 1
    assert as_text(own()) == as_text(fresh(w, own))
    withheld = own().withheld
    candidate = openings.add_candidate(w.store, w.coordinator, two.b, "Bob New")
    start = DAY - timedelta(days=1)
    openings.schedule_session(
        w.store, w.coordinator, candidate, 1, start, [w.bo.id], now=start - timedelta(days=1)
    )
    before = kept.UPDATED["views"]
    assert served(own) == "made" and kept.UPDATED["views"] == before  # afresh: it moved
    # the new candidate is in it: counted, or (Bo's seat not scored yet) one more withheld
    assert candidate in own().counted_ids or own().withheld == withheld + 1
    assert as_text(own()) == as_text(fresh(w, own))


def _close(two: Two) -> None:
    openings.close_opening(two.w.store, two.w.coordinator, two.a, now=DAY)


def _committee_changed(two: Two) -> None:
    """Cy joins opening A's committee (made a committee member first, and every view made
    again after that: a person's change alone makes every view cold)."""
    w = two.w
    people.update_person(w.store, w.coordinator, w.cy.id, roles=["interviewer", "committee_member"])
    kept.forget()
    for view in views(two).values():
        view()
    openings.edit_opening(w.store, w.coordinator, two.a, committee_ids=[w.member.id, w.cy.id])


# What a kept view reads beyond its candidates: each makes the view cold whole.
WRITES = {
    "the opening closed": _close,
    "its committee changed": _committee_changed,
    "an interviewer deactivated": lambda t: people.set_active(
        t.w.store, t.w.coordinator, t.w.bo.id, False
    ),
}


@pytest.mark.slow  # each write, every view worked out afresh (~1 s each)
@pytest.mark.parametrize("write", list(WRITES))
def test_a_write_beyond_the_windows_candidates_makes_the_view_cold_and_right(two, write):
    w = two.w
    every = views(two)
    for view in every.values():
        assert served(view) == "made"
    before = kept.UPDATED["views"]
    WRITES[write](two)
    for who, view in every.items():
        try:
            how = served(view)
        except NotAllowed:  # Bo deactivated: nothing of his own to see
            assert (write, who) == ("an interviewer deactivated", "Bo's own")
            continue
        if who.endswith("own") and write in ("the opening closed", "its committee changed"):
            assert how == "made", (who, write)  # any opening's own entries: cold
        assert how == "made" or not who.startswith(("manager, A", "coordinator")), (who, how)
        assert as_text(view()) == as_text(fresh(w, view)), (write, who)
    assert kept.UPDATED["views"] == before  # none of it updated: worked out afresh


def test_a_new_hiring_manager_gets_nothing_kept_for_the_old_one(two):
    """The hiring manager changes only while no debrief of the opening is open (so no window
    holds a candidate decided under another): an opening C with a candidate not yet debriefed,
    whose hiring manager becomes Ana. Maria no longer sees C at all; the coordinator's view of
    C is made again; Ana's is her own, and right."""
    w = two.w
    c = new_opening(w, "Engineer")
    openings.add_candidate(w.store, w.coordinator, c, "Cid Waiting")
    maria = lambda: insights.opening_insights(w.store, w.manager, [c])  # noqa: E731
    coordinator = lambda: insights.opening_insights(w.store, w.coordinator, [c])  # noqa: E731
    assert served(maria) == "made" and served(coordinator) == "made"
    assert maria().score_figures
    people.update_person(w.store, w.coordinator, w.ana.id, roles=["interviewer", "hiring_manager"])
    kept.forget()  # the role change alone makes every view cold: not what is tested here
    maria(), coordinator()
    openings.edit_opening(w.store, w.coordinator, c, hiring_manager_id=w.ana.id)
    with pytest.raises(NotAllowed):
        maria()
    assert served(coordinator) == "made"
    ana = lambda: insights.opening_insights(  # noqa: E731
        w.store, people.get_person(w.store, w.ana.id), [c]
    )
    assert ana().score_figures
    assert as_text(ana()) == as_text(fresh(w, ana))
    assert as_text(coordinator()) == as_text(fresh(w, coordinator))


def test_more_than_tail_max_entries_since_a_figure_was_made_make_it_again(two, monkeypatch):
    w = two.w
    b = lambda: insights.opening_insights(w.store, w.manager, [two.b])  # noqa: E731
    monkeypatch.setattr(kept, "TAIL_MAX", 2)

    def new_candidates_for_a(n: int) -> None:  # one entry each, nothing B's figures read
        for i in range(n):
            openings.add_candidate(w.store, w.coordinator, two.a, f"Ann Other {i}")

    assert served(b) == "made"
    new_candidates_for_a(2)
    assert served(b) == "process"  # two entries since: read through, none touches it
    new_candidates_for_a(3)
    assert served(b) == "made"  # three: more than is worth reading, made again


@pytest.mark.sqlite_only("backup and restore of the SQLite file")
def test_a_restored_backup_is_another_history(two, tmp_path):
    w = two.w
    a = views(two)["manager, A"]
    backup = tmp_path / "backup.sqlite"
    copy(w.store.path, backup)
    # two entries about opening B only: A's view kept at the newest of them
    debrief.cast_vote(w.store, w.member, two.b_open, "no_hire", now=DAY)
    debrief.cast_vote(w.store, w.member, two.b_open, "hire", now=DAY)
    assert served(a) == "made"
    shown = as_text(a())
    # the backup put back, then another history as long: a decision on Al (in A's window),
    # then a vote on Ben, so the newest entry has the same id as the one A's view was kept at
    copy(backup, w.store.path)
    decide(two, two.a_open, "hire")
    debrief.cast_vote(w.store, w.member, two.b_open, "no_hire", now=DAY)
    assert served(a) == "made"
    assert as_text(a()) != shown
    assert as_text(a()) == as_text(fresh(w, a))


def copy(source, target) -> None:
    """`source` written over `target` page by page (SQLite's backup), as a restore would."""
    reading, writing = sqlite3.connect(source), sqlite3.connect(target)
    try:
        reading.backup(writing)
    finally:
        reading.close()
        writing.close()
