"""The facts the permission table reads: the acting person as the database knows them now, and
each kind of resource (the organisation, a screen, an opening, a candidate, a seat) with just what
the rules need. Loaded inside a unit of work; the rules themselves are in `scoring.permissions`.
The records (`Person`, `OpeningFacts`, `CandidateFacts`, ...) are defined in `scoring.models`
(`people`, `facts`) and importable from here as before."""

from __future__ import annotations

import json

from scoring.database import Database
from scoring.errors import NotAllowed, NotFound
from scoring.models.facts import (
    CandidateFacts,
    OpeningFacts,
    Organisation,
    Seat,
    SeatFacts,
    StageFacts,
    StageSeatFacts,
)
from scoring.models.facts import (
    Screen as Screen,  # the permission table imports it from here
)
from scoring.models.facts import StageSeat as StageSeat  # the matrix builds one
from scoring.models.people import Person
from scoring.queries import permissions as Q

SIGN_IN = "Sign in first."
INACTIVE = "This account is not active. Ask a coordinator."
OWN_FIRST = "Submit your own scorecard for this candidate first."

ROLES = ("coordinator", "interviewer", "hiring_manager", "committee_member")
ROLE_TITLES = {
    "coordinator": "Coordinator",
    "interviewer": "Interviewer",
    "hiring_manager": "Hiring manager",
    "committee_member": "Committee member",
}


# ----------------------------------------------------------------------------------- resources


# Which roles have which screen. app.py builds the menu from this and every page's guard asks it.
SCREENS: dict[str, tuple[str, ...]] = {
    "my_interviews": ("interviewer",),
    "reviews": ("interviewer", "hiring_manager"),  # screens and take-homes to review
    "scorecard": ("interviewer",),
    "pipeline": ("hiring_manager", "committee_member"),
    "debrief_day": ("hiring_manager", "committee_member"),  # old links: now the pipeline
    "debrief": ("hiring_manager", "committee_member"),
    "openings": ("coordinator",),
    "people": ("coordinator",),
    "candidates": ("coordinator",),
    "interview_day": ("coordinator",),
    "status": ("coordinator", "hiring_manager"),
    "rubrics": ("coordinator", "hiring_manager"),
    "decisions": ("coordinator", "hiring_manager", "committee_member"),
    # openings' insights for coordinators and hiring managers; one's own calibration for all three
    "insights": ("coordinator", "hiring_manager", "interviewer"),
}


# ------------------------------------------------------------------------------ loading facts


def current(db: Database, actor: Person | None) -> Person:
    """The acting person as the database knows them now: roles re-read on every call; someone
    signed out or deactivated is refused."""
    if actor is None:
        raise NotAllowed(SIGN_IN)
    row = db.execute(Q.PERSON, [actor.id]).fetchone()
    if row is None or not row["active"]:
        raise NotAllowed(INACTIVE)
    return Person.from_row(row)


def organisation(db: Database) -> Organisation:
    """The organisation's facts."""
    return Organisation(has_people=db.execute(Q.ANYONE).fetchone() is not None)


def _committee(db: Database, opening_id: int) -> frozenset[int]:
    rows = db.execute(Q.COMMITTEE, [opening_id]).fetchall()
    return frozenset(r[0] for r in rows)


def opening_facts(db: Database, opening_id: int, actor: Person | None = None) -> OpeningFacts:
    """One opening's facts; with `actor`, whether they interview on it (one indexed EXISTS)."""
    row = db.execute(Q.OPENING, [opening_id]).fetchone()
    if row is None:
        raise NotFound(f"No opening with id {opening_id}.")
    interviews = False
    if actor is not None:
        interviews = (
            db.execute(
                Q.INTERVIEWS_ON,
                [actor.id, opening_id],
            ).fetchone()
            is not None
        )
    return OpeningFacts(
        opening_id=row["id"],
        hiring_manager_id=row["hiring_manager_id"],
        committee_ids=_committee(db, opening_id),
        strategy_kind=json.loads(row["strategy"])["kind"],
        actor_interviews=interviews,
    )


def candidate_facts(db: Database, candidate_id: int) -> CandidateFacts:
    """Load the facts for one candidate (a few small indexed queries)."""
    found = candidates_facts(db, [candidate_id])
    if candidate_id not in found:
        raise NotFound(f"No candidate with id {candidate_id}.")
    return found[candidate_id]


def candidates_facts(db: Database, candidate_ids: list[int]) -> dict[int, CandidateFacts]:
    """The facts for several candidates at once, by id, in the same few indexed queries as for
    one (a list page asks for its rows' facts together). Unknown ids are left out."""
    if not candidate_ids:
        return {}
    n = len(candidate_ids)
    rows = db.execute(
        Q.candidates(n),
        candidate_ids,
    ).fetchall()
    seats: dict[int, list[Seat]] = {r["id"]: [] for r in rows}
    for s in db.execute(
        Q.seats(n),
        candidate_ids,
    ):
        seats[s[0]].append(Seat(s[1], s[2], s[3], bool(s[4]), bool(s[5])))
    voters: dict[int, set[int]] = {r["id"]: set() for r in rows}
    for v in db.execute(
        Q.voters(n),
        candidate_ids,
    ):
        voters[v[0]].add(v[1])
    committees = {o: _committee(db, o) for o in {r["opening_id"] for r in rows}}
    return {
        row["id"]: CandidateFacts(
            candidate_id=row["id"],
            opening=OpeningFacts(
                opening_id=row["opening_id"],
                hiring_manager_id=row["hiring_manager_id"],
                committee_ids=committees[row["opening_id"]],
                strategy_kind=json.loads(row["strategy"])["kind"],
            ),
            reveal_rule=row["reveal_rule"],
            anonymise=bool(row["anonymise"]),
            seats=tuple(seats[row["id"]]),
            debrief_open=bool(row["debrief_open"]),
            decided=bool(row["decided"]),
            voter_ids=frozenset(voters[row["id"]]),
            hired=bool(row["hired"]),
        )
        for row in rows
    }


def seat_facts(db: Database, assignment_id: int, reader: Person | None = None) -> SeatFacts:
    """One assignment's facts. With `reader`, also its candidate's facts when the seat is not the
    reader's own: the one case a rule asks them (`read_scorecard`), so a seat's own interviewer
    pays one query, as before, and anyone else the candidate's few."""
    row = db.execute(Q.SEAT, [assignment_id]).fetchone()
    if row is None:
        raise NotFound(f"No assignment with id {assignment_id}.")
    others = reader is not None and reader.id != row["interviewer_id"]
    return SeatFacts(
        assignment_id=row["id"],
        candidate_id=row["candidate_id"],
        interviewer_id=row["interviewer_id"],
        recused=bool(row["recused"]),
        submitted=bool(row["submitted"]),
        candidate=candidate_facts(db, row["candidate_id"]) if others else None,
    )


def stage_facts(db: Database, candidate_id: int) -> StageFacts:
    """A candidate's facts and every stage seat on them (one more indexed query)."""
    facts = candidate_facts(db, candidate_id)
    rows = db.execute(Q.STAGE_SEATS, [candidate_id]).fetchall()
    return StageFacts(
        candidate=facts,
        seats=tuple(
            StageSeat(
                r["id"],
                r["position"],
                r["reviewer_id"],
                r["purpose"],
                bool(r["recused"]),
                bool(r["submitted"]),
                bool(r["closed"]),
            )
            for r in rows
        ),
    )


def stage_seat_facts(db: Database, seat_id: int) -> StageSeatFacts:
    """One stage seat's facts, with its candidate's."""
    row = db.execute(Q.STAGE_SEAT_CANDIDATE, [seat_id]).fetchone()
    if row is None:
        raise NotFound(f"No stage seat with id {seat_id}.")
    stage = stage_facts(db, row["candidate_id"])
    seat = next(s for s in stage.seats if s.seat_id == seat_id)
    return StageSeatFacts(seat=seat, stage=stage)
