"""Kept Insights figures never outlive or cross a right (issue 25).

Figures are kept per person and shared between processes in the `kept_figures` table. Here:
two people with different rights on the same openings never get each other's kept figures
(from this process or the table); a hiring manager whose role was just removed, or who was just
seated on a candidate in the window (blind to it until they submit), never gets a figure kept
from before (in this process, or from the table as another process would read it); and a row
someone slipped into the table is only ever read as JSON (a pickle there runs nothing)."""

from __future__ import annotations

import json
import pickle
import sqlite3
from datetime import timedelta

import pytest
from kept_world import Two, as_text, fresh, served, two_openings

from scoring import insights, openings, people
from scoring.errors import NotAllowed
from scoring.insights import kept
from world import DAY, raw_sql


@pytest.fixture
def two(tmp_path) -> Two:
    kept.forget()
    return two_openings(tmp_path / "kept.sqlite")


def rows(two: Two) -> list[tuple[str, str]]:
    with sqlite3.connect(two.w.store.path) as conn:
        return conn.execute("SELECT key, content FROM kept_figures").fetchall()


@pytest.mark.sqlite_only("writes the kept figures' table with the sqlite3 shell")
def test_two_people_with_different_rights_never_get_each_others_figures(two):
    w = two.w
    manager = lambda: insights.opening_insights(w.store, w.manager, [two.a])  # noqa: E731
    coordinator = lambda: insights.opening_insights(w.store, w.coordinator, [two.a])  # noqa: E731
    assert served(manager) == "made"
    assert manager().score_figures and not manager().calibration.empty
    for other_process in (False, True):
        if other_process:
            kept.forget()
            assert served(manager) == "shared"
        assert served(coordinator) in ("made", "shared" if other_process else "made")
        view = coordinator()
        assert not view.score_figures and view.calibration.empty and view.reliability.empty
    assert len({key for key, _ in rows(two)}) == 2  # one row each, under keys of their own
    # the interviewers' own figures are theirs alone too
    ana = lambda: insights.own_calibration(w.store, w.ana)  # noqa: E731
    bo = lambda: insights.own_calibration(w.store, w.bo)  # noqa: E731
    assert served(ana) == "made" and served(bo) == "made"
    assert set(ana().calibration["interviewer_id"]) == {w.ana.id}
    assert set(bo().calibration["interviewer_id"]) == {w.bo.id}


@pytest.mark.parametrize("other_process", [False, True])
def test_a_role_just_removed_gets_nothing_kept_from_before(two, other_process):
    w = two.w
    manager = lambda: insights.opening_insights(w.store, w.manager, [two.a])  # noqa: E731
    assert manager().score_figures
    people.update_person(w.store, w.coordinator, w.manager.id, roles=["interviewer"])
    if other_process:
        kept.forget()
    before = dict(kept.COUNTS)
    with pytest.raises(NotAllowed):
        manager()
    assert before == kept.COUNTS  # refused before anything kept was looked at
    own = insights.own_calibration(w.store, people.get_person(w.store, w.manager.id))
    # what an interviewer may see: their own calibration row only, no table of the opening
    assert own.scope == f"person:{w.manager.id}" and own.reliability.empty
    assert set(own.calibration["interviewer_id"]) <= {w.manager.id}


@pytest.mark.parametrize("other_process", [False, True])
def test_a_coordinator_no_longer_hiring_manager_sees_no_score_figure_kept_from_before(
    two, other_process
):
    """Both roles, then the hiring manager's taken away: still allowed the opening's insights
    (as a coordinator), never again its figures from scores."""
    w = two.w
    both = ["hiring_manager", "interviewer", "coordinator"]
    people.update_person(w.store, w.coordinator, w.manager.id, roles=both)
    maria = lambda: people.get_person(w.store, w.manager.id)  # noqa: E731
    view = lambda: insights.opening_insights(w.store, maria(), [two.a])  # noqa: E731
    assert served(view) == "made" and view().score_figures
    people.update_person(w.store, w.coordinator, w.manager.id, roles=["coordinator"])
    if other_process:
        kept.forget()
    assert served(view) == "made"
    after = view()
    assert not after.score_figures and after.calibration.empty and after.reliability.empty


@pytest.mark.parametrize("other_process", [False, True])
def test_a_seat_just_added_blinds_at_once(two, other_process):
    """Seated on Al (in the window) and not yet submitted, the hiring manager may not count him:
    the view made before counted him; the next one must not, even in another process."""
    w = two.w
    manager = lambda: insights.opening_insights(w.store, w.manager, [two.a])  # noqa: E731
    assert served(manager) == "made"
    assert two.a_open in manager().counted_ids
    start = DAY - timedelta(days=18, hours=-2)
    openings.schedule_session(
        w.store, w.coordinator, two.a_open, 1, start, [w.manager.id], now=start - timedelta(days=1)
    )
    if other_process:
        kept.forget()
    assert served(manager) == "made"
    view = manager()
    assert two.a_open not in view.counted_ids and view.withheld == 1
    assert as_text(view) == as_text(fresh(w, manager))


class _Boom:
    """Unpickling this would write a file: proof that something ran."""

    def __init__(self, path: str):
        self.path = path

    def __reduce__(self):
        return (open, (self.path, "w"))


@pytest.mark.sqlite_only("writes the kept figures' table with the sqlite3 shell")
def test_a_row_slipped_into_the_table_is_read_as_json_only(two, tmp_path):
    w = two.w
    manager = lambda: insights.opening_insights(w.store, w.manager, [two.a])  # noqa: E731
    expected = as_text(manager())
    (key, content) = rows(two)[0]
    proof = tmp_path / "ran"
    hostile = [
        pickle.dumps(_Boom(str(proof))).decode("latin-1"),
        "not json",
        json.dumps({"as_of": [10**9, "x"], "depends": {}, "view": {}}),
        # valid JSON of the wrong shape: read as data, refused, worked out afresh
        json.dumps(
            {
                **json.loads(content),
                "depends": {**json.loads(content)["depends"], "candidates": "x"},
            }
        ),
    ]
    for text in hostile:
        with sqlite3.connect(w.store.path) as conn:
            conn.execute("UPDATE kept_figures SET content = ? WHERE key = ?", [text, key])
        kept.forget()
        assert as_text(manager()) == expected
        assert not proof.exists()


def test_a_role_changed_behind_the_services_back_still_misses_what_was_kept(two):
    """The key holds the roles as the database has them now: even a change no audit entry
    records (the sqlite3 shell) gives figures of the new rights, never the kept ones."""
    w = two.w
    both = ["hiring_manager", "interviewer", "coordinator"]
    people.update_person(w.store, w.coordinator, w.manager.id, roles=both)
    view = lambda: insights.opening_insights(  # noqa: E731
        w.store, people.get_person(w.store, w.manager.id), [two.a]
    )
    assert served(view) == "made" and view().score_figures
    raw_sql(w, "UPDATE people SET roles = ? WHERE id = ?", '["coordinator"]', w.manager.id)
    assert served(view) == "made"
    assert not view().score_figures
