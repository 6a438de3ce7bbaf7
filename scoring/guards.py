"""Declared guards: a service function says once which action guards it.

    @guarded("manage_opening", on="opening_id", write=True)
    def import_candidates(g: Granted, opening_id: int, text: str, ...) -> list[int]:
        ...  # g.db is the unit of work, g.actor the person as the database knows them now,
             # g.facts the opening's facts the rule was asked about

is called as before, `import_candidates(store, actor, opening_id, text, ...)`. The decorator
opens one connection (`store.read()`, or `store.write()` with `write=True`) and, on that one
snapshot, re-reads the person (`current`), loads the resource's facts once (by the kind of
resource the action applies to: the organisation, an opening, a candidate or a seat, named by
the parameter `on`) and asks the permission table once (`ensure`). Only then does the body run,
on the same connection, so nothing another writer commits can fall between the check and the
work.

Every guarded function is recorded in `GUARDED` with its action; tests/test_guards.py lists each
one with the action it must have, so a function that checks the wrong action fails a test.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from scoring.database import Database
from scoring.permission_facts import (
    CandidateFacts,
    OpeningFacts,
    Organisation,
    Person,
    SeatFacts,
    StageFacts,
    StageSeatFacts,
    candidate_facts,
    current,
    opening_facts,
    organisation,
    seat_facts,
    stage_facts,
    stage_seat_facts,
)
from scoring.permissions import ACTIONS, ensure


@dataclass(frozen=True)
class Granted:
    """What a guarded function's body receives: the open unit of work, the acting person as the
    database knows them now, and the facts of the resource the action was granted on."""

    db: Database
    actor: Person | None  # None only for an action asked before anyone signs in
    facts: Any


@dataclass(frozen=True)
class Guard:
    """One guarded function's declaration: its action, the parameter naming the resource (None
    for the organisation) and whether it writes."""

    action: str
    on: str | None
    write: bool
    via: str | None = None  # the name of the function that finds the resource from `on`


# "module.function" -> its Guard, filled as modules are imported.
GUARDED: dict[str, Guard] = {}


def _opening(db: Database, key: Any, person: Person) -> OpeningFacts:
    # Whether the person interviews on the opening is one more query, asked only of interviewers
    # (the only rule that reads it is about them).
    return opening_facts(db, key, person if person.has("interviewer") else None)


_LOADERS: dict[type, Callable[[Database, Any, Person], Any]] = {
    Organisation: lambda db, key, person: organisation(db),
    OpeningFacts: _opening,
    CandidateFacts: lambda db, key, person: candidate_facts(db, key),
    # The candidate's facts too when the seat is not the person's own (`read_scorecard`).
    SeatFacts: lambda db, key, person: seat_facts(db, key, person),
    StageFacts: lambda db, key, person: stage_facts(db, key),
    StageSeatFacts: lambda db, key, person: stage_seat_facts(db, key),
}


def guarded(
    action: str,
    *,
    on: str | None = None,
    write: bool = False,
    via: Callable[[Database, Any], Any] | None = None,
):
    """Declare the action that guards a service function (see the module's docstring). The body's
    first parameter is the `Granted`; the public function takes `(store, actor, ...)` followed by
    the body's other parameters, one of which is named `on` (unless the action is about the
    organisation). `via`, when given, finds the resource the action is about from the value of
    `on` on the same connection (a candidate id -> its opening's id, raising NotFound for an
    unknown one), after the person is re-read: refusals keep the order signed in, found,
    allowed."""
    entry = ACTIONS[action]  # a KeyError here is a misspelt action, at import time
    loader = _LOADERS[entry.resource]
    if (on is None) != (entry.resource is Organisation):
        raise TypeError(f"{action} applies to {entry.resource.__name__}: on={on!r} does not fit")

    def decorate(body: Callable[..., Any]) -> Callable[..., Any]:
        signature = inspect.signature(body)
        rest = signature.replace(parameters=list(signature.parameters.values())[1:])
        if on is not None and on not in rest.parameters:
            raise TypeError(f"{body.__qualname__} has no parameter {on!r} to guard")

        @functools.wraps(body)
        def service(store, actor: Person | None, *args, **kwargs):
            key = None
            if on is not None:
                bound = rest.bind(*args, **kwargs)
                bound.apply_defaults()
                key = bound.arguments[on]
            with store.write() if write else store.read() as db:
                # An action asked before anyone signs in (starting the organisation) has nobody
                # to re-read: `current` would refuse None as signed out.
                person = None if entry.anonymous and actor is None else current(db, actor)
                if via is not None:
                    key = via(db, key)
                facts = loader(db, key, person)
                ensure(person, action, facts)
                return body(Granted(db, person, facts), *args, **kwargs)

        service.guard = Guard(action, on, write, via.__name__ if via else None)  # type: ignore[attr-defined]
        GUARDED[f"{body.__module__}.{body.__qualname__}"] = service.guard  # type: ignore[attr-defined]
        return service

    return decorate
