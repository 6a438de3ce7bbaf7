"""What a coordinator sets up: CSV imports (all or nothing), the day's plan and its warnings."""

from datetime import timedelta

import pytest

from scoring import candidates_csv, openings, people
from scoring.errors import InvalidInput, NotAllowed
from world import DAY, build, dump


@pytest.fixture
def world(tmp_path):
    return build(tmp_path / "setup.sqlite")


def test_csv_with_bad_rows_lists_every_one_and_imports_nothing(world):
    before = dump(world.store)
    text = (
        "name,email\n"
        "Ada Lovelace,ada@example.org\n"
        ",someone@example.org\n"
        "Alan Turing,alan(at)example.org\n"
        "\n"
        "Katherine Johnson,ADA@example.org\n"
        "Grace Again,grace@example.com\n"  # already a candidate of this opening
        "Too,many,values\n"
    )
    with pytest.raises(candidates_csv.ImportRefused) as refused:
        candidates_csv.import_candidates(
            world.store, world.coordinator, world.opening_id, text, "in.csv"
        )
    assert refused.value.problems == [
        "in.csv line 3: name: empty (every candidate needs a name)",
        "in.csv line 4: email: 'alan(at)example.org' is not an email address: an email address"
        " must have an @-sign",
        "in.csv line 6: email: ADA@example.org is already on line 2",
        "in.csv line 7: email: grace@example.com is already a candidate of this opening",
        "in.csv line 8: 3 values for 2 columns",
    ]
    assert dump(world.store) == before


@pytest.mark.parametrize(
    "text, problem",
    [
        ("", "in.csv: the file is empty"),
        ("name,email\n", "in.csv: no candidates in the file"),
        ("email,notes\nada@example.org,x\n", "in.csv line 1: no column for the candidate's name"),
    ],
)
def test_csv_shape_problems(text, problem):
    read = candidates_csv.read_candidates(text, "in.csv")
    rows, problems = read.rows, read.problems
    assert rows == [] and problems[0].startswith(problem)


def test_clean_csv_imports_every_row_with_an_alias(world):
    ids = candidates_csv.import_candidates(
        world.store,
        world.coordinator,
        world.opening_id,
        "\ufeffName,Email\nAda Lovelace,ada@example.org\nAlan Turing,\n",
    )
    assert len(ids) == 2
    listed = openings.list_candidates(world.store, world.coordinator, world.opening_id)
    assert {c.name for c in listed} >= {"Ada Lovelace", "Alan Turing"}
    assert len({c.alias for c in listed}) == len(listed)


def test_only_a_coordinator_imports(world):
    with pytest.raises(NotAllowed, match="Only a coordinator"):
        candidates_csv.import_candidates(world.store, world.ana, world.opening_id, "name\nAda\n")


def test_plan_warns_on_double_booking_and_on_a_recused_interviewer(world):
    second = openings.add_candidate(world.store, world.coordinator, world.opening_id, "Alan")
    openings.recuse(world.store, world.cy, world.seats["cy"], "Worked with her at Navy")
    # ana already interviews Grace at DAY+1h (30 min); bo is asked twice at once
    plan = [
        openings.SessionPlan(1, DAY + timedelta(hours=1, minutes=10), (world.ana.id,)),
        openings.SessionPlan(2, DAY + timedelta(hours=3), (world.bo.id,)),
        openings.SessionPlan(3, DAY + timedelta(hours=3, minutes=15), (world.bo.id,)),
    ]
    warnings = openings.plan_warnings(world.store, world.coordinator, second, plan)
    assert any(
        w.startswith("Ana Alvarez is double-booked: Candidate presentation") for w in warnings
    )
    assert "Bo Berg is in two sessions at once (sessions 2 and 3)." in warnings
    recused_plan = [openings.SessionPlan(4, DAY + timedelta(days=1), (world.cy.id,))]
    assert openings.plan_warnings(
        world.store, world.coordinator, world.candidate_id, recused_plan
    ) == ["Cy Chen recused from this candidate: Worked with her at Navy"]


def test_schedule_day_writes_all_sessions_or_none(world):
    alan = openings.add_candidate(world.store, world.coordinator, world.opening_id, "Alan")
    good = openings.SessionPlan(1, DAY + timedelta(days=2), (world.ana.id, world.bo.id))
    bad = openings.SessionPlan(9, DAY + timedelta(days=2), (world.cy.id,))
    before = dump(world.store)
    with pytest.raises(InvalidInput, match="the loop has no session 9"):
        openings.schedule_day(world.store, world.coordinator, alan, [good, bad])
    assert dump(world.store) == before
    ids = openings.schedule_day(world.store, world.coordinator, alan, [good])
    assert len(ids) == 1
    with pytest.raises(InvalidInput, match="already on this candidate's day"):
        openings.schedule_day(world.store, world.coordinator, alan, [good])


def test_a_session_takes_one_interviewer_or_a_pair(world):
    alan = openings.add_candidate(world.store, world.coordinator, world.opening_id, "Alan")
    trio = (world.ana.id, world.bo.id, world.cy.id)
    with pytest.raises(InvalidInput, match="one interviewer or a pair"):
        openings.schedule_session(world.store, world.coordinator, alan, 1, DAY, trio)


def test_opening_freezes_its_rubrics(world):
    opening = openings.get_opening(world.store, world.coordinator, world.opening_id)
    with world.store.read() as db:
        frozen = [openings.rubric_snapshot(db, s["rubric_hash"]).id for s in opening.sessions]
    assert frozen == ["presentation", "ds-technical", "coding", "stakeholders"]


def test_committee_strategy_needs_members(world):
    from world import CATALOG

    with pytest.raises(InvalidInput, match="committee members"):
        openings.create_opening(
            world.store,
            world.coordinator,
            title="Analyst",
            role="Analyst",
            loop=CATALOG.loops["data-analyst-onsite"],
            catalog=CATALOG,
            hiring_manager_id=world.manager.id,
            strategy={"kind": "committee"},
        )
    assert people.get_person(world.store, world.manager.id).active
