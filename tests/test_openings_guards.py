"""The openings family's declared guards: each service function refuses the person its action
refuses, with the table's words, before its body reads or writes anything (the audit log and the
tables it would change are as they were)."""

import inspect
import re
from datetime import timedelta

import pytest

from scoring import bookings, candidates, openings, schedule, schedule_changes
from scoring.errors import InvalidInput, NotAllowed, NotFound
from scoring.permission_facts import SIGN_IN
from scoring.queries import schedule as QS
from scoring.store import count_statements
from world import CATALOG, DAY, build


@pytest.fixture
def w(tmp_path):
    return build(tmp_path / "guards.sqlite")


def _written(w) -> tuple[int, ...]:
    with w.store.read() as db:
        return tuple(
            db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
            for table in ("audit_log", "openings", "candidates", "assignments")
        )


def test_only_a_coordinator_creates_changes_or_closes_an_opening(w):
    before = _written(w)
    with pytest.raises(NotAllowed, match="Only a coordinator"):
        openings.create_opening(
            w.store,
            w.manager,
            title="Mine",
            role="Data scientist",
            loop=CATALOG.loops["ds-generalist-onsite"],
            catalog=CATALOG,
            hiring_manager_id=w.manager.id,
            strategy={"kind": "manager"},
        )
    with pytest.raises(NotAllowed, match="Only a coordinator"):
        openings.edit_opening(w.store, w.manager, w.opening_id, title="Mine now")
    with pytest.raises(NotAllowed, match="Only a coordinator"):
        openings.close_opening(w.store, w.ana, w.opening_id)
    assert _written(w) == before
    assert openings.get_opening(w.store, w.coordinator, w.opening_id).closed_at is None


def test_only_a_coordinator_adds_or_finds_candidates(w):
    before = _written(w)
    with pytest.raises(NotAllowed, match="Only a coordinator"):
        candidates.add_candidate(w.store, w.manager, w.opening_id, "Alan Turing")
    with pytest.raises(NotAllowed, match="Only a coordinator"):
        candidates.find_candidates(w.store, w.manager, w.opening_id, "Grace")
    assert _written(w) == before
    found = candidates.find_candidates(w.store, w.coordinator, w.opening_id, "Grace")
    assert [c.name for c in found.rows] == ["Grace Hopper"]


def test_an_outsider_sees_neither_the_opening_nor_its_candidates(w):
    with pytest.raises(NotAllowed, match="not one of yours"):
        openings.get_opening(w.store, w.outsider, w.opening_id)
    with pytest.raises(NotAllowed, match="not on any of your openings"):
        candidates.get_candidate(w.store, w.outsider, w.candidate_id)
    with pytest.raises(NotAllowed, match="see this list"):
        candidates.list_candidates(w.store, w.outsider, w.opening_id)
    # whoever the rule lets see the candidate sees them as it lets them: the name or the alias
    assert candidates.get_candidate(w.store, w.manager, w.candidate_id).name == "Grace Hopper"
    assert [c.id for c in candidates.list_candidates(w.store, w.member, w.opening_id)] == [
        w.candidate_id
    ]


def test_only_the_seats_interviewer_recuses_and_the_refusal_comes_first(w):
    before = _written(w)
    with pytest.raises(NotAllowed, match="Only the interviewer of this session"):
        schedule.recuse(w.store, w.bo, w.seats["ana"], "")  # even with no reason given
    assert _written(w) == before
    with pytest.raises(InvalidInput, match="reason"):
        schedule.recuse(w.store, w.ana, w.seats["ana"], " ")
    schedule.recuse(w.store, w.ana, w.seats["ana"], "Worked with her")
    assert _written(w)[0] == before[0] + 1


def test_only_a_coordinator_sees_the_interviewers_days(w):
    with pytest.raises(NotAllowed, match="Only a coordinator"):
        bookings.interviewers_day(
            w.store, w.manager, w.opening_id, [w.ana.id], DAY, DAY + timedelta(days=1)
        )
    (day,) = bookings.interviewers_day(
        w.store, w.coordinator, w.opening_id, [w.ana.id], DAY, DAY + timedelta(days=1)
    )
    assert (day.name, len(day.sessions)) == ("Ana Alvarez", 1)
    assert bookings.interviewers_day(w.store, w.coordinator, w.opening_id, [], DAY, DAY) == []


# Every change to (or reading of) a candidate's day is asked as `manage_opening` on the opening,
# found from the id the caller names (`via`, `scoring.opening_of`), on the same connection.
ABOUT_THE_DAY = {
    schedule.schedule_session: "opening_of_candidate",
    schedule.schedule_day: "opening_of_candidate",
    schedule.plan_warnings: "opening_of_candidate",
    schedule.plan_clashes: "opening_of_candidate",
    schedule.add_interviewer: "opening_of_session",
    schedule_changes.locations: "opening_of_candidate",
    schedule_changes.day_clashes: "opening_of_candidate",
    schedule_changes.withdraw_candidate: "opening_of_candidate",
    schedule_changes.move_session: "opening_of_session",
    schedule_changes.move_clashes: "opening_of_session",
    schedule_changes.change_location: "opening_of_session",
    schedule_changes.cancel_session: "opening_of_session",
    schedule_changes.replace_interviewer: "opening_of_seat",
}
WRITES = {
    schedule.schedule_session,
    schedule.schedule_day,
    schedule.add_interviewer,
    schedule_changes.withdraw_candidate,
    schedule_changes.move_session,
    schedule_changes.change_location,
    schedule_changes.cancel_session,
    schedule_changes.replace_interviewer,
}
UNKNOWN = {
    "opening_of_candidate": "No candidate with id 999.",
    "opening_of_session": "No session with id 999.",
    "opening_of_seat": "No assignment with id 999.",
}


def test_each_change_to_the_day_declares_manage_opening_on_its_opening():
    for function, via in ABOUT_THE_DAY.items():
        guard = function.guard
        assert (guard.action, guard.via, guard.write) == (
            "manage_opening",
            via,
            function in WRITES,
        ), function.__name__


def _refused_arguments(function) -> dict:
    """The body's parameters without a default, as None (the guard answers before the body)."""
    body = inspect.unwrap(function)
    return {
        p.name: None
        for p in list(inspect.signature(body).parameters.values())[1:]
        if p.default is p.empty
    }


def test_an_unknown_id_is_not_found_before_anyone_is_refused_but_after_signing_in(w):
    before = _written(w)
    for function, via in ABOUT_THE_DAY.items():
        arguments = {**_refused_arguments(function), function.guard.on: 999}
        for who in (w.coordinator, w.outsider):  # found comes before allowed
            with pytest.raises(NotFound, match=f"^{re.escape(UNKNOWN[via])}$"):
                function(w.store, who, **arguments)
        with pytest.raises(NotAllowed, match=f"^{re.escape(SIGN_IN)}$"):
            function(w.store, None, **arguments)
        known = {**arguments, function.guard.on: _known(w, via)}
        with pytest.raises(NotAllowed, match=r"^Only a coordinator can do this\.$"):
            function(w.store, w.manager, **known)
    assert _written(w) == before


def _known(w, via: str) -> int:
    with w.store.read() as db:
        session = db.execute(
            "SELECT session_id FROM assignments WHERE id = ?", [w.seats["bo"]]
        ).fetchone()[0]
    return {
        "opening_of_candidate": w.candidate_id,
        "opening_of_session": session,
        "opening_of_seat": w.seats["bo"],
    }[via]


@pytest.mark.sqlite_only("pins SQLite's statements and connections (count_statements)")
def test_a_day_is_placed_on_one_unit_of_work_asked_about_once(w):
    """`schedule_day` asks about its opening once and places every session as
    `schedule_session` would, on that one connection: not once per session."""
    alan = candidates.add_candidate(w.store, w.coordinator, w.opening_id, "Alan Turing")
    plan = [
        schedule.SessionPlan(1, DAY + timedelta(days=3), (w.ana.id,)),
        schedule.SessionPlan(2, DAY + timedelta(days=3, hours=2), (w.bo.id,), "Room 4"),
    ]
    with count_statements() as seen:
        ids = schedule.schedule_day(w.store, w.coordinator, alan, plan)
    assert len(ids) == 2
    assert seen.connections == 1
    ran = [" ".join(s.split()) for s in seen.statements]  # as run: with their values
    asked = QS.OPENING_OF_CANDIDATE.replace("?", str(alan))
    assert ran.count(asked) == 1
    assert sum(s.startswith("INSERT INTO interview_sessions") for s in ran) == 2
    assert schedule_changes.locations(w.store, w.coordinator, alan) == {
        ids[0]: "",
        ids[1]: "Room 4",
    }
