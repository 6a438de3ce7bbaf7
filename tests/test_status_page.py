"""The numbers the Status page shows, on a real database built through the service: each
candidate's row (in, overdue, late, recused, the debrief) and the page's line of totals all come
from `scoring.status.status_counts`, and a late scorecard counts as in and as late."""

from datetime import timedelta

import pytest

from scoring import debrief, openings, status
from world import DAY, build, page_as, submit


@pytest.fixture
def world(tmp_path):
    w = build(tmp_path / "status.sqlite")
    submit(w, "ana", 4)  # on time: six hours after the day began
    submit(w, "bo", 2, now=DAY + timedelta(days=5))  # days after the session: late
    # cy never submits: overdue. The debrief is opened without cy.
    debrief.open_debrief(w.store, w.manager, w.candidate_id, reason="Cy is away")
    # A second candidate later that day, whose one interviewer recused: nothing owed.
    alan = openings.add_candidate(w.store, w.coordinator, w.opening_id, "Alan Turing")
    session = openings.schedule_session(
        w.store, w.coordinator, alan, 1, DAY + timedelta(hours=5), [w.ana.id]
    )
    with w.store.read() as db:
        seat = db.execute("SELECT id FROM assignments WHERE session_id = ?", [session]).fetchone()
    openings.recuse(w.store, w.ana, seat[0], "I know Alan")
    return w


def shown(world, monkeypatch):
    at = page_as(world, "coordinator", "pages/status.py", monkeypatch)
    window = at.date_input(key=f"status_window_{world.opening_id}")
    window.set_value((DAY.date() - timedelta(days=1), DAY.date() + timedelta(days=1))).run()
    assert not at.exception, at.exception
    return at


def test_the_page_shows_each_candidates_counts_a_late_scorecard_included(world, monkeypatch):
    at = shown(world, monkeypatch)
    rows = at.dataframe[0].value.to_dict("records")
    assert rows == [
        {
            "candidate": "Alan Turing",
            "in": "0 of 0",
            "overdue": 0,
            "late": 0,
            "recused": 1,
            "debrief": "not yet",
        },
        {
            "candidate": "Grace Hopper",
            "in": "2 of 3",
            "overdue": 1,
            "late": 1,
            "recused": 0,
            "debrief": "open",
        },
    ]
    totals = [c.value for c in at.caption if c.value.startswith("On this page")]
    assert totals == [
        "On this page: 2 of 3 scorecards in (1 late), 1 overdue, 1 recused; 1 of 2 debriefs open."
    ]


def test_the_counts_are_the_services(world):
    """The page's numbers come from one function, over any set of candidates."""
    view = status.status_page(
        world.store,
        world.coordinator,
        world.opening_id,
        DAY - timedelta(days=1),
        DAY + timedelta(days=2),
    )
    grace = next(c for c in view.candidates if c.candidate_id == world.candidate_id)
    one = status.status_counts([grace])
    assert (one.submitted, one.late, one.expected, one.missing, one.overdue) == (2, 1, 3, 1, 1)
    assert (one.recused, one.debriefs_open, one.candidates) == (0, 1, 1)
    everyone = view.counts
    assert (everyone.seats, everyone.recused, everyone.debriefs_open) == (4, 1, 1)
    assert everyone.expected == 3 and everyone.candidates == 2
