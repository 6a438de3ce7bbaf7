"""Every declared guard refuses whom the permission table refuses, with the table's own words.

Generic over `scoring.guards.GUARDED`, read when the tests are collected (after importing every
module of `scoring`), so a function guarded tomorrow is covered without touching this file. For
each guarded function whose action applies to an opening, a candidate or a seat, on a world built
by tests/world.py:

- someone signed in and active whom the table refuses (an interviewer with no seat on the
  candidate, else the first of the world's people the table refuses) gets `NotAllowed` with the
  refusal `why_not` gives;
- a deactivated person gets `NotAllowed` saying the account is not active;
- and neither call changes one byte of the database (a refused write leaves no trace).

The refusal comes before the body runs, so every argument but the guarded resource is passed
as None: the call reaches the guard, never the work. Functions on the organisation (people,
openings' creation) have no resource to refuse on and are covered by the matrix.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
from dataclasses import dataclass
from typing import Any

import pytest

import scoring
from scoring import people
from scoring.errors import NotAllowed
from scoring.guards import GUARDED, Guard
from scoring.permission_facts import (
    INACTIVE,
    CandidateFacts,
    OpeningFacts,
    Person,
    SeatFacts,
    candidate_facts,
    opening_facts,
    seat_facts,
)
from scoring.permissions import ACTIONS, why_not
from tests.world import World, build, dump, session_of, submit

KINDS = (OpeningFacts, CandidateFacts, SeatFacts)
# Whom to try, in order, as the signed-in person the table refuses: the interviewer with no seat
# first (refused everything about a candidate they do not interview), then the rest of the world.
REFUSERS = ("outsider", "member", "ana", "coordinator", "manager")
# Functions this test cannot call generically, with the reason (none so far).
SKIPPED: dict[str, str] = {}


def _import_all() -> None:
    for info in pkgutil.walk_packages(scoring.__path__, "scoring."):
        if info.name != "scoring.__main__":
            importlib.import_module(info.name)


def _guarded_on_resources() -> list[tuple[str, Guard]]:
    _import_all()
    return sorted(
        (name, guard) for name, guard in GUARDED.items() if ACTIONS[guard.action].resource in KINDS
    )


CASES = _guarded_on_resources()


def _function(name: str) -> Any:
    module, _, qualname = name.rpartition(".")
    found: Any = importlib.import_module(module)
    for part in qualname.split("."):
        found = getattr(found, part)
    return found


@dataclass
class Refusing:
    world: World
    deactivated: Person


@pytest.fixture(scope="module")
def refusing(tmp_path_factory) -> Refusing:
    w = build(tmp_path_factory.mktemp("guards") / "w.sqlite")
    gone = people.add_person(
        w.store, w.coordinator, "Dee Parted", "dee@example.com", ["interviewer"]
    )
    people.set_active(w.store, w.coordinator, gone.id, False)
    submit(w, "ana", 4)  # a scorecard to ask for by id; the others' seats stay open
    return Refusing(w, gone)


def _key(w: World, kind: type) -> int:
    return {OpeningFacts: w.opening_id, CandidateFacts: w.candidate_id, SeatFacts: w.seats["ana"]}[
        kind
    ]


# A guard with `via` is handed the id of what the caller names (a candidate, a session, a seat),
# and finds the opening from it: the argument is that id, not the opening's.
VIA_KEYS = {
    "opening_of_candidate": lambda w: w.candidate_id,
    "opening_of_session": lambda w: session_of(w, "ana"),
    "opening_of_seat": lambda w: w.seats["ana"],
    "seat_of_scorecard": lambda w: _latest_scorecard(w, "ana"),
}


def _latest_scorecard(w: World, who: str) -> int:
    """Ana's scorecard (submitted when the world is built): a scorecard id leads to her seat."""
    with w.store.read() as db:
        row = db.execute(
            "SELECT max(id) FROM scorecards WHERE assignment_id = ?", [w.seats[who]]
        ).fetchone()
    return row[0]


def _argument_key(w: World, guard: Guard) -> int:
    if guard.via is not None:
        return VIA_KEYS[guard.via](w)
    return _key(w, ACTIONS[guard.action].resource)


def _refusal(w: World, who: Person, action: str) -> str | None:
    """What the table says of `who` doing `action` to the world's opening, candidate or seat."""
    kind, key = ACTIONS[action].resource, _key(w, ACTIONS[action].resource)
    with w.store.read() as db:
        row = db.execute("SELECT * FROM people WHERE id = ?", [who.id]).fetchone()
        person = Person.from_row(row)
        facts = {
            OpeningFacts: lambda: opening_facts(db, key, person),
            CandidateFacts: lambda: candidate_facts(db, key),
            SeatFacts: lambda: seat_facts(db, key, person),
        }[kind]()
        return why_not(person, action, facts)


def _arguments(function: Any, guard: Guard, key: int) -> dict[str, Any]:
    """Every parameter of the body after the Granted: the guarded one the resource's id, the
    others None (the guard refuses before the body could read them)."""
    body = inspect.unwrap(function)
    parameters = list(inspect.signature(body).parameters.values())[1:]
    return {
        p.name: key if p.name == guard.on else None
        for p in parameters
        if p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)
        and (p.name == guard.on or p.default is p.empty)
    }


def test_the_guards_under_test_were_found():
    """Reading GUARDED found guarded functions on openings or candidates (else every case
    below would vanish and this file pass on nothing)."""
    kinds = {ACTIONS[g.action].resource for _, g in CASES}
    assert kinds & {OpeningFacts, CandidateFacts}, CASES


@pytest.mark.parametrize("name, guard", CASES, ids=[name for name, _ in CASES])
def test_a_refused_person_gets_the_tables_refusal_and_nothing_changes(refusing, name, guard):
    if name in SKIPPED:
        pytest.skip(SKIPPED[name])
    w = refusing.world
    function = _function(name)
    key = _argument_key(w, guard)
    arguments = _arguments(function, guard, key)
    before = dump(w.store)

    who = next(
        (w.person(p) for p in REFUSERS if _refusal(w, w.person(p), guard.action) is not None),
        None,
    )
    assert who is not None, f"{guard.action}: nobody in the world is refused it"
    expected = _refusal(w, who, guard.action)
    with pytest.raises(NotAllowed, match=f"^{re.escape(expected)}$"):
        function(w.store, who, **arguments)

    assert _refusal(w, refusing.deactivated, guard.action) == INACTIVE
    with pytest.raises(NotAllowed, match=f"^{re.escape(INACTIVE)}$"):
        function(w.store, refusing.deactivated, **arguments)

    assert dump(w.store) == before
