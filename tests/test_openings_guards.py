"""The openings family's declared guards: each service function refuses the person its action
refuses, with the table's words, before its body reads or writes anything (the audit log and the
tables it would change are as they were)."""

from datetime import timedelta

import pytest

from scoring import bookings, candidates, openings, schedule
from scoring.errors import InvalidInput, NotAllowed
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
