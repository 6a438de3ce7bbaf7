"""The permission matrix: every action of the permission table, for every combination of roles
that occurs, at every stage of a candidate's day, worked out by the real rules on a real database.

Each cell is a scene: a fresh SQLite file built through the service (one opening decided by a
cross-company committee, one candidate, two other interviewers who have submitted, a committee
member who votes once the debrief is open), with the persona in their place and the stage
reached. `python -m scoring permissions` prints the table the
README shows; the tests build the same scenes and check that every service call agrees with it,
both ways.
"""

from __future__ import annotations

import itertools
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from scoring import debrief, openings, people, scorecards
from scoring.permissions import (
    ACTIONS,
    CandidateFacts,
    OpeningFacts,
    Organisation,
    Person,
    Screen,
    SeatFacts,
    StageFacts,
    StageSeat,
    StageSeatFacts,
    candidate_facts,
    current,
    opening_facts,
    organisation,
    seat_facts,
    stage_facts,
    why_not,
)
from scoring.queries import matrix as Q
from scoring.rubric import Catalog, load_catalog
from scoring.store import Store

ROOT = Path(__file__).resolve().parent.parent
DAY = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
AFTER = DAY + timedelta(hours=8)


@dataclass(frozen=True)
class Persona:
    """A combination of roles that occurs, and the person's place around the candidate."""

    key: str
    title: str
    roles: tuple[str, ...]
    seat: bool = False  # interviews the candidate
    manages: bool = False  # is the opening's hiring manager
    committee: bool = False  # sits on the opening's committee
    manages_elsewhere: bool = False  # is the hiring manager of another opening
    loses: str | None = None  # "roles": every role removed at the end; "active": deactivated


PERSONAS = (
    Persona("coordinator", "Coordinator", ("coordinator",)),
    Persona("interviewer", "Interviewer on the panel", ("interviewer",), seat=True),
    Persona("other_interviewer", "Interviewer not on this panel", ("interviewer",)),
    Persona("hiring_manager", "Hiring manager", ("hiring_manager",), manages=True),
    Persona(
        "hm_interviews",
        "Hiring manager who interviews",
        ("hiring_manager", "interviewer"),
        seat=True,
        manages=True,
    ),
    Persona(
        "hm_elsewhere",
        "Hiring manager of another opening, interviewing here",
        ("hiring_manager", "interviewer"),
        seat=True,
        manages_elsewhere=True,
    ),
    Persona("committee", "Committee member", ("committee_member",), committee=True),
    Persona(
        "coordinator_interviews",
        "Interviewer + coordinator",
        ("interviewer", "coordinator"),
        seat=True,
    ),
    Persona(
        "committee_interviews",
        "Interviewer + committee member",
        ("interviewer", "committee_member"),
        seat=True,
        committee=True,
    ),
    Persona(
        "former_hm",
        "Hiring manager, role removed",
        ("hiring_manager",),
        manages=True,
        loses="roles",
    ),
    Persona(
        "deactivated",
        "Interviewer on the panel, deactivated",
        ("interviewer",),
        seat=True,
        loses="active",
    ),
)


@dataclass(frozen=True)
class Stage:
    """Where the candidate's day stands, and whether the persona's own scorecard is in."""

    key: str
    title: str
    own_in: bool
    opened: bool
    decided: bool


STAGES = (
    Stage("own_pending", "own scorecard not in, debrief not open", False, False, False),
    Stage("own_pending_open", "own scorecard not in, debrief opened early", False, True, False),
    Stage("own_pending_decided", "own scorecard not in, decided", False, True, True),
    Stage("own_in", "own scorecard in, debrief not open", True, False, False),
    Stage("open", "debrief open", True, True, False),
    Stage("decided", "decision recorded", True, True, True),
)


def possible(persona: Persona, stage: Stage) -> bool:
    """Only the hiring manager opens a debrief, and not before their own scorecard is in."""
    return not (persona.manages and persona.seat and stage.opened and not stage.own_in)


@dataclass
class Scene:
    """One persona at one stage, on a database of its own."""

    store: Store
    persona: Persona
    stage: Stage
    actor: Person  # as signed in before any role was lost
    coordinator: Person
    opening_id: int
    candidate_id: int
    seat_id: int  # the persona's seat, or another interviewer's when they have none
    other_seat: int  # another interviewer's seat (Ana's)
    other_card: int  # that seat's scorecard

    def resource(self, action: str) -> Any:
        """The resource an action of the table applies to, in this scene."""
        kind = ACTIONS[action].resource
        with self.store.read() as db:
            if kind is Organisation:
                return organisation(db)
            if kind is OpeningFacts:
                return opening_facts(db, self.opening_id, self.actor)
            if kind is CandidateFacts:
                return candidate_facts(db, self.candidate_id)
            if kind is SeatFacts:
                return seat_facts(db, self.seat_id, self.actor)
            if kind is StageFacts:
                return stage_facts(db, self.candidate_id)
            if kind is StageSeatFacts:
                # The funnel's seat actions are asked of the persona's own review of the
                # candidate's screen, not yet written (the day's stages say nothing of it).
                seat = StageSeat(0, 1, self.actor.id, "review", False, False)
                return StageSeatFacts(seat=seat, stage=stage_facts(db, self.candidate_id))
        raise TypeError(kind)

    def refusal(self, action: str) -> str | None:
        """What the permission table says of this action now (None: allowed)."""
        with self.store.read() as db:
            try:
                actor = current(db, self.actor)
            except Exception as exc:  # signed out or deactivated
                return str(exc)
        return why_not(actor, action, self.resource(action))


def full_scores(store: Store, assignment_id: int, level: int = 3) -> dict[str, dict]:
    """A valid criteria entry for the assignment's rubric, every criterion at `level` (clamped
    to its scale)."""
    with store.read() as db:
        rubric_hash = db.execute(Q.SEAT_RUBRIC, [assignment_id]).fetchone()[0]
        rubric = openings.rubric_snapshot(db, rubric_hash)
    return {
        c.id: {"score": max(c.scale.min, min(c.scale.max, level)), "evidence": "seen in session"}
        for c in rubric.criteria
    }


def submit(store: Store, actor: Person, assignment_id: int, overall: int) -> int:
    """Submit a plain scorecard for a seat; returns its id."""
    return scorecards.submit(
        store,
        actor,
        assignment_id,
        overall=overall,
        feedback=f"{actor.name} says {overall}",
        criteria=full_scores(store, assignment_id),
        now=AFTER,
    ).id


def build_scene(path: Path, persona: Persona, stage: Stage, catalog: Catalog) -> Scene:
    """A database with the persona in place and the stage reached, through the service."""
    store = Store(path)
    cora, _ = people.create_first_coordinator(store, "Cora Ordinator", "cora@example.com")

    def add(name: str, roles) -> Person:
        email = f"{name.split()[0].lower()}@example.com"
        return people.add_person(store, cora, name, email, list(roles))

    actor = add("Pat Persona", persona.roles)
    maria = add("Maria Manager", ["hiring_manager"])
    ana, bo = add("Ana Alvarez", ["interviewer"]), add("Bo Berg", ["interviewer"])
    mo = add("Mo Member", ["committee_member"])
    manager = actor if persona.manages else maria
    committee = [mo.id] + ([actor.id] if persona.committee else [])
    loop = catalog.loops["ds-generalist-onsite"]
    opening = openings.create_opening(
        store,
        cora,
        title="Data scientist",
        role="Data scientist",
        loop=loop,
        catalog=catalog,
        hiring_manager_id=manager.id,
        strategy={"kind": "committee", "rule": "majority"},
        committee_ids=committee,
    )
    if persona.manages_elsewhere:
        openings.create_opening(
            store,
            cora,
            title="Analyst",
            role="Data analyst",
            loop=loop,
            catalog=catalog,
            hiring_manager_id=actor.id,
            strategy={"kind": "manager"},
        )
    candidate = openings.add_candidate(store, cora, opening.id, "Grace Hopper", "g@example.com")
    panel = [ana, bo] + ([actor] if persona.seat else [])
    seats = {}
    for position, person in enumerate(panel, start=1):
        session = openings.schedule_session(
            store, cora, candidate, position, DAY + timedelta(hours=position), [person.id]
        )
        with store.read() as db:
            seats[person.id] = db.execute(Q.SEATS_OF_SESSION, [session]).fetchone()[0]
    other_card = submit(store, ana, seats[ana.id], 4)
    submit(store, bo, seats[bo.id], 3)
    if persona.seat and stage.own_in:
        submit(store, actor, seats[actor.id], 4)
    if stage.opened:
        early = None if (stage.own_in or not persona.seat) else "one scorecard is late"
        debrief.open_debrief(store, manager, candidate, reason=early, now=AFTER)
        debrief.cast_vote(store, mo, candidate, "hire", "strong coder", now=AFTER)
    if stage.decided:
        debrief.record_decision(store, manager, candidate, "hire", "Ana gave 4, Bo 3", now=AFTER)
    if persona.loses == "roles":
        people.update_person(store, cora, actor.id, roles=[])
    elif persona.loses == "active":
        people.set_active(store, cora, actor.id, False)
    return Scene(
        store=store,
        persona=persona,
        stage=stage,
        actor=actor,
        coordinator=cora,
        opening_id=opening.id,
        candidate_id=candidate,
        seat_id=seats.get(actor.id, seats[bo.id]),
        other_seat=seats[ana.id],
        other_card=other_card,
    )


def matrix_actions() -> list[str]:
    """The actions the matrix covers: all but the screens (those follow roles alone) and the
    first-run action (only before anyone exists)."""
    return [
        name
        for name, entry in ACTIONS.items()
        if entry.resource not in (Screen,) and not entry.anonymous
    ]


@contextmanager
def scenes(catalog: Catalog | None = None) -> Iterator[dict[tuple[str, str], Scene]]:
    """Every possible (persona, stage) scene, built in a temporary folder."""
    catalog = catalog or load_catalog(ROOT / "rubrics")
    with tempfile.TemporaryDirectory(prefix="debrief-matrix-") as folder:
        built = {}
        for persona, stage in itertools.product(PERSONAS, STAGES):
            if possible(persona, stage):
                path = Path(folder) / f"{persona.key}-{stage.key}.sqlite"
                built[persona.key, stage.key] = build_scene(path, persona, stage, catalog)
        yield built


def allowed_stages(built: dict[tuple[str, str], Scene]) -> dict[tuple[str, str], set[str]]:
    """For each (action, persona): the stages at which the table allows it."""
    return {
        (action, persona.key): {
            stage.key
            for stage in STAGES
            if (persona.key, stage.key) in built
            and built[persona.key, stage.key].refusal(action) is None
        }
        for action in matrix_actions()
        for persona in PERSONAS
    }


# Conditions a cell can be described by, each the set of stages where it holds.
_OWN_IN = {s.key for s in STAGES if s.own_in}
_OPEN = {s.key for s in STAGES if s.opened}
_DECIDED = {s.key for s in STAGES if s.decided}
_ALL = {s.key for s in STAGES}
CONDITIONS = {
    "own in": _OWN_IN,
    "own not in": _ALL - _OWN_IN,
    "open": _OPEN,
    "not open": _ALL - _OPEN,
    "decided": _DECIDED,
    "not decided": _ALL - _DECIDED,
}


def describe(persona: Persona, allowed: set[str]) -> str:
    """A cell in words: "yes", "no", or the fewest conditions that say exactly when."""
    applicable = {s.key for s in STAGES if possible(persona, s)}
    if allowed == applicable:
        return "yes"
    if not allowed:
        return "no"
    names = [n for n in CONDITIONS if persona.seat or not n.startswith("own")]
    for size in (1, 2, 3):
        for combo in itertools.combinations(names, size):
            holds = set.intersection(*(CONDITIONS[n] for n in combo)) & applicable
            if holds == allowed:
                return ", ".join(combo)
    return "; ".join(s.title for s in STAGES if s.key in allowed)


def markdown(built: dict[tuple[str, str], Scene]) -> str:
    """The matrix as a Markdown table: an action a row, a persona a column."""
    cells = allowed_stages(built)
    header = "| action | " + " | ".join(p.title for p in PERSONAS) + " |"
    rule = "| --- |" + " --- |" * len(PERSONAS)
    lines = [header, rule]
    for action in matrix_actions():
        row = [describe(p, cells[action, p.key]) for p in PERSONAS]
        lines.append(f"| `{action}` | " + " | ".join(row) + " |")
    return "\n".join(lines) + "\n"


def actions_markdown() -> str:
    """Every action of the table with what it covers."""
    lines = ["| action | applies to | what it covers |", "| --- | --- | --- |"]
    for entry in ACTIONS.values():
        lines.append(f"| `{entry.name}` | {entry.resource.__name__} | {entry.summary} |")
    return "\n".join(lines) + "\n"


def document() -> str:
    """What `python -m scoring permissions` prints: the actions, then the matrix."""
    with scenes() as built:
        table = markdown(built)
    return actions_markdown() + "\n" + table
