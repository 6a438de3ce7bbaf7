"""Kept Insights figures (issue 25): keyed on the data they read, not on the newest write.

A write for opening A leaves opening B's figures warm (in this process, and in the shared table
for another process or the command line); a scorecard for a candidate whose debrief has not
opened leaves even A's warm; every kind of write that changes A's figures makes A's view cold,
each through the real service function, and the figures then served equal figures worked out
afresh. The shared rows are JSON and bounded."""

from __future__ import annotations

import io
import json
import sqlite3
from datetime import timedelta

import pandas as pd
import pytest
from kept_world import Two, as_text, drop_shared, fresh, seats_of, served, two_openings

from scoring import cli, debrief, insights, openings, people, scorecards
from scoring.insights import kept
from scoring.insights import outcomes as hire_outcomes
from scoring.matrix import full_scores
from scoring.schedule_changes import move_session
from world import DAY


@pytest.fixture
def two(tmp_path) -> Two:
    kept.forget()
    return two_openings(tmp_path / "kept.sqlite")


def view_of(two: Two, who: str, opening_ids):
    return lambda: insights.opening_insights(two.w.store, two.w.person(who), list(opening_ids))


def grace_submits(two: Two, who: str = "ana") -> None:
    """A scorecard on Grace, opening A's candidate whose debrief has not opened."""
    w = two.w
    scorecards.submit(
        w.store,
        w.person(who),
        w.seats[who],
        overall=3,
        feedback="fine",
        criteria=full_scores(w.store, w.seats[who], 3),
        now=DAY + timedelta(hours=6),
    )


def test_a_write_for_opening_a_leaves_opening_b_warm_here_and_in_other_processes(two):
    b = view_of(two, "manager", [two.b])
    assert served(b) == "made"
    assert served(b) == "process"
    grace_submits(two)
    debrief.cast_vote(two.w.store, two.w.member, two.a_open, "hire", now=DAY)  # A's window
    assert served(b) == "process"
    kept.forget()  # another process: only the shared table
    assert served(b) == "shared"
    assert as_text(b()) == as_text(fresh(two.w, b))


def cy_alone(two: Two) -> None:
    """A new candidate of opening A interviewed by Cy alone, Cy's scorecard in: outside every
    window (no debrief) and on nobody else's candidate."""
    w = two.w
    start = DAY + timedelta(days=2)
    candidate_id = openings.add_candidate(w.store, w.coordinator, two.a, "Cyd Solo")
    openings.schedule_session(
        w.store, w.coordinator, candidate_id, 1, start, [w.cy.id], now=start - timedelta(days=1)
    )
    seat = seats_of(w, candidate_id)[w.cy.id]
    scorecards.submit(
        w.store,
        w.cy,
        seat,
        overall=3,
        feedback="fine",
        criteria=full_scores(w.store, seat, 3),
        now=start + timedelta(hours=3),
    )


def test_a_scorecard_outside_every_window_leaves_the_same_opening_warm(two):
    views = {
        "manager, A": view_of(two, "manager", [two.a]),
        "coordinator, A and B": view_of(two, "coordinator", [two.a, two.b]),
        "Bo's own": lambda: insights.own_calibration(two.w.store, two.w.bo),
    }
    for view in views.values():
        assert served(view) == "made"
    cy_alone(two)
    kept_texts = {}
    for name, view in views.items():
        assert served(view) == "process", name
        kept_texts[name] = as_text(view())
    for name, view in views.items():
        assert kept_texts[name] == as_text(fresh(two.w, view)), name


def _revise(two: Two) -> None:
    w = two.w
    seat = seats_of(w, two.a_open)[w.ana.id]
    scorecards.revise(
        w.store,
        w.ana,
        seat,
        reason="after the debrief",
        overall=1,
        feedback="on reflection",
        criteria=full_scores(w.store, seat, 1),
        now=DAY - timedelta(days=17),
    )


def _open(two: Two) -> None:
    w = two.w
    grace_submits(two, "ana")
    debrief.open_debrief(w.store, w.manager, w.candidate_id, "Bo and Cy away", now=DAY)


def _seat(two: Two) -> None:
    """Cy seated on Al's day (a session of its own, not yet scored)."""
    w = two.w
    start = DAY - timedelta(days=18, hours=-2)
    openings.schedule_session(
        w.store, w.coordinator, two.a_open, 1, start, [w.cy.id], now=start - timedelta(days=1)
    )


def _move(two: Two) -> None:
    """Al's unscored session (as `_seat` gave it) moved an hour later."""
    w = two.w
    _seat(two)
    kept.forget()
    drop_shared(w)
    for who, opening_id in (("manager", two.a), ("coordinator", two.a), ("manager", two.b)):
        view_of(two, who, [opening_id])()
    session = max(s for c, s in seats_sessions(w, two.a_open))
    move_session(w.store, w.coordinator, session, DAY - timedelta(days=18, hours=-3), confirm=True)


def seats_sessions(w, candidate_id: int) -> list[tuple[int, int]]:
    with w.store.read() as db:
        return [
            (candidate_id, r[0])
            for r in db.execute(
                "SELECT id FROM interview_sessions WHERE candidate_id = ?", [candidate_id]
            )
        ]


# Every kind of write that changes what opening A's figures read, through the service.
WRITES = {
    "a scorecard revised": _revise,
    "a debrief opened (the window grows)": _open,
    "a vote changed": lambda t: debrief.cast_vote(
        t.w.store, t.w.member, t.a_open, "no_hire", now=DAY
    ),
    "a decision recorded": lambda t: debrief.record_decision(
        t.w.store, t.w.manager, t.a_open, "hire", "strong", True, now=DAY
    ),
    "a hire outcome recorded": lambda t: hire_outcomes.record_outcome(
        t.w.store, t.w.manager, t.a_decided, 6, 4, True, now=DAY + timedelta(days=200)
    ),
    "a seat added": _seat,
    "a session moved": _move,
    "the opening edited": lambda t: openings.edit_opening(
        t.w.store, t.w.coordinator, t.a, title="Data scientist II"
    ),
    "an interviewer renamed": lambda t: people.update_person(
        t.w.store, t.w.coordinator, t.w.ana.id, name="Ana Renamed"
    ),
}


@pytest.mark.slow  # nine kinds of write, each worked out afresh (~9 s): the full suite
@pytest.mark.parametrize("write", list(WRITES))
def test_every_write_that_changes_a_makes_its_view_cold_and_right(two, write):
    a = view_of(two, "manager", [two.a])
    coordinator = view_of(two, "coordinator", [two.a])
    b = view_of(two, "manager", [two.b])
    for view in (a, coordinator, b):
        assert served(view) == "made"
    before = as_text(a())
    WRITES[write](two)
    assert served(a) == "made"
    assert served(coordinator) == "made"
    if write != "an interviewer renamed":  # a person's change touches every figure
        assert served(b) == "process"
    kept.forget()
    assert as_text(a()) == as_text(fresh(two.w, a))
    if write in SHOWN:
        assert as_text(a()) != before


# The writes whose change shows in these figures (the others are kept apart only because the
# figures read what they touch: an undecided candidate's vote, an outcome, an unscored seat).
SHOWN = (
    "a scorecard revised",
    "a debrief opened (the window grows)",
    "a decision recorded",
    "the opening edited",
    "an interviewer renamed",
)


def test_ones_own_figures_go_cold_on_a_write_about_a_candidate_one_interviewed(two):
    w = two.w
    own = lambda: insights.own_calibration(w.store, w.bo)  # noqa: E731
    assert served(own) == "made"
    debrief.record_decision(w.store, w.manager, two.b_open, "hire", "fine", True, now=DAY)
    assert served(own) == "made"
    cy_alone(two)  # Bo is not on Cyd
    assert served(own) == "process"
    start = DAY - timedelta(days=14, hours=-2)
    openings.schedule_session(
        w.store, w.coordinator, two.b_open, 1, start, [w.cy.id], now=start - timedelta(days=1)
    )
    assert served(own) == "made"  # a session on a candidate Bo interviewed


@pytest.mark.sqlite_only("reads the kept figures' table with the sqlite3 shell")
def test_the_shared_rows_are_json_bounded_and_the_command_line_uses_them(two, monkeypatch):
    w = two.w
    view_of(two, "manager", [two.a])()
    with sqlite3.connect(w.store.path) as conn:
        (content,) = conn.execute("SELECT content FROM kept_figures").fetchone()
    data = json.loads(content)
    assert set(data) == {"as_of", "depends", "view"}
    decoded = kept.decode(data["view"])
    for name, table in view_of(two, "manager", [two.a])().tables().items():
        pd.testing.assert_frame_equal(decoded.tables()[name], table, obj=name)

    monkeypatch.setattr(kept, "SHARED_ROWS", 2)
    for who, ids in (("coordinator", [two.a]), ("coordinator", [two.b]), ("manager", [two.b])):
        view_of(two, who, ids)()
    with sqlite3.connect(w.store.path) as conn:
        assert conn.execute("SELECT COUNT(*) FROM kept_figures").fetchone()[0] == 2

    # the command line, a process of its own: served from the table the page filled
    code = people.issue_code(w.store, w.coordinator, w.manager.id)
    monkeypatch.setenv("DEBRIEF_CODE", code)
    args = ["insights", "--db", w.store.location, "--as", "maria@example.com"]
    args += ["--opening", str(two.b), "--format", "json"]
    kept.forget()
    out, err = io.StringIO(), io.StringIO()
    assert cli.main(args, out=out, err=err) == 0, err.getvalue()
    assert kept.COUNTS == {"process": 0, "shared": 1, "made": 0}
    assert json.loads(out.getvalue())["candidates"] == 2
    drop_shared(w)


def test_a_memo_key_tells_apart_inputs_that_differ_in_one_row_of_a_long_series_or_array():
    """pandas and numpy shorten the repr of a long series or array: a key made from it would
    give one person's kept result to another whose input differs only in a row they may not
    see. Inside a dict or a tuple too."""
    import numpy as np
    import pandas as pd

    from scoring.insights.memo import digest

    series = pd.Series(range(100))
    changed = series.copy()
    changed[50] = -1
    assert digest(series) != digest(changed)
    assert digest({"scores": series}) != digest({"scores": changed})
    assert digest((1, series)) != digest((1, changed))
    array = np.arange(2000)
    other = array.copy()
    other[1000] = -1
    assert digest(array) != digest(other)
    assert digest([array]) != digest([other])
    assert digest(series) == digest(series.copy())  # the same content, the same key
