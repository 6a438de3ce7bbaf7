"""Who may see and do what: PRODUCT.md's people table as code.

Every service function calls these checks with the acting person before it reads or writes; the
pages only draw what the service returns. The rules:

- a **coordinator** sets things up and sees status, never a score (the role grants no score access;
  a coordinator who is also an interviewer or hiring manager gets those roles' rights);
- an **interviewer** sees their own scorecards; others' for a candidate only after their own for
  that candidate is submitted (reveal rule ``after_own``, the default) or only once every
  non-recused scorecard is in (``all_in``). A recused interviewer sees no one's;
- the **hiring manager** of the opening sees scores once the debrief is open, and, if they also
  interviewed the candidate, after their own scorecard is in;
- a **committee member** of the opening sees the packet once the debrief is open (after their own
  scorecard, if they interviewed).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from sqlite_utils import Database

from scoring.errors import NotAllowed, NotFound

ROLES = ("coordinator", "interviewer", "hiring_manager", "committee_member")
ROLE_TITLES = {
    "coordinator": "Coordinator",
    "interviewer": "Interviewer",
    "hiring_manager": "Hiring manager",
    "committee_member": "Committee member",
}


@dataclass(frozen=True)
class Person:
    """Someone who signs in. `roles` are global: they decide which screens a person has."""

    id: int
    name: str
    email: str
    roles: frozenset[str]
    active: bool = True

    def has(self, role: str) -> bool:
        """True when the person holds `role`."""
        return role in self.roles

    @classmethod
    def from_row(cls, row: Any) -> Person:
        """Build from a `people` row."""
        return cls(
            id=row["id"],
            name=row["name"],
            email=row["email"],
            roles=frozenset(json.loads(row["roles"])),
            active=bool(row["active"]),
        )


def current(db: Database, actor: Person | None) -> Person:
    """The acting person as the database knows them now: a deactivated person is refused."""
    if actor is None:
        raise NotAllowed("Sign in first.")
    row = db.execute("SELECT * FROM people WHERE id = ?", [actor.id]).fetchone()
    if row is None or not row["active"]:
        raise NotAllowed("This account is not active. Ask a coordinator.")
    return Person.from_row(row)


def require_role(db: Database, actor: Person | None, *roles: str) -> Person:
    """The acting person, if they hold one of `roles`; else NotAllowed."""
    person = current(db, actor)
    if not any(person.has(role) for role in roles):
        wanted = " or ".join(ROLE_TITLES[r].lower() for r in roles)
        raise NotAllowed(f"Only a {wanted} can do this.")
    return person


@dataclass(frozen=True)
class Seat:
    """One assignment on a candidate's panel, without any score."""

    assignment_id: int
    session_id: int
    interviewer_id: int
    recused: bool
    submitted: bool


@dataclass(frozen=True)
class CandidateFacts:
    """What the access rules need to know about one candidate."""

    candidate_id: int
    opening_id: int
    hiring_manager_id: int
    committee_ids: frozenset[int]
    reveal_rule: str
    anonymise: bool
    seats: tuple[Seat, ...]
    debrief_open: bool

    def seats_of(self, person_id: int) -> list[Seat]:
        """The person's non-recused seats on this panel."""
        return [s for s in self.seats if s.interviewer_id == person_id and not s.recused]

    @property
    def all_in(self) -> bool:
        """Every non-recused seat has a submitted scorecard (and there is at least one)."""
        active = [s for s in self.seats if not s.recused]
        return bool(active) and all(s.submitted for s in active)

    def own_all_submitted(self, person_id: int) -> bool:
        """The person has seats here and has submitted every one of them."""
        own = self.seats_of(person_id)
        return bool(own) and all(s.submitted for s in own)


def candidate_facts(db: Database, candidate_id: int) -> CandidateFacts:
    """Load the facts for one candidate (three small indexed queries)."""
    row = db.execute(
        """SELECT c.id, c.opening_id, o.hiring_manager_id, o.reveal_rule, o.anonymise,
                  (SELECT 1 FROM debriefs d WHERE d.candidate_id = c.id) AS debrief_open
           FROM candidates c JOIN openings o ON o.id = c.opening_id WHERE c.id = ?""",
        [candidate_id],
    ).fetchone()
    if row is None:
        raise NotFound(f"No candidate with id {candidate_id}.")
    committee = db.execute(
        "SELECT person_id FROM opening_committee WHERE opening_id = ?", [row["opening_id"]]
    ).fetchall()
    seats = db.execute(
        """SELECT a.id, a.session_id, a.interviewer_id, a.recused_at IS NOT NULL AS recused,
                  EXISTS (SELECT 1 FROM scorecards s WHERE s.assignment_id = a.id) AS submitted
           FROM interview_sessions i JOIN assignments a ON a.session_id = i.id
           WHERE i.candidate_id = ? ORDER BY i.position, a.id""",
        [candidate_id],
    ).fetchall()
    return CandidateFacts(
        candidate_id=row["id"],
        opening_id=row["opening_id"],
        hiring_manager_id=row["hiring_manager_id"],
        committee_ids=frozenset(r["person_id"] for r in committee),
        reveal_rule=row["reveal_rule"],
        anonymise=bool(row["anonymise"]),
        seats=tuple(Seat(s[0], s[1], s[2], bool(s[3]), bool(s[4])) for s in seats),
        debrief_open=bool(row["debrief_open"]),
    )


def panel_refusal(person: Person, facts: CandidateFacts) -> str | None:
    """Why `person` may not see this candidate's scorecards yet, or None when they may."""
    interviewed = any(s.interviewer_id == person.id for s in facts.seats)
    own_pending = bool(facts.seats_of(person.id)) and not facts.own_all_submitted(person.id)
    recused_only = interviewed and not facts.seats_of(person.id)

    if person.id in (facts.hiring_manager_id, *facts.committee_ids):
        role = "hiring manager" if person.id == facts.hiring_manager_id else "committee"
        if not facts.debrief_open:
            return f"Scores are shown to the {role} once the debrief is open."
        if own_pending:
            return "Submit your own scorecard for this candidate first."
        return None
    if recused_only:
        return "You recused yourself from this candidate, so their scores are not shown to you."
    if facts.seats_of(person.id):
        if own_pending:
            return "Submit your own scorecard first: others' scores are hidden until then."
        if facts.reveal_rule == "all_in" and not facts.all_in:
            return "This opening shows others' scores only once every scorecard is in."
        return None
    return "Only the candidate's interviewers, hiring manager and committee see scores."


def require_panel_access(person: Person, facts: CandidateFacts) -> None:
    """Raise NotAllowed unless `person` may see every scorecard of this candidate now."""
    refusal = panel_refusal(person, facts)
    if refusal is not None:
        raise NotAllowed(refusal)


def may_see_name(person: Person, facts: CandidateFacts) -> bool:
    """On an anonymised opening, anyone who scores the candidate or sits on the committee sees
    only the alias; the coordinator and a hiring manager who does not score see the name."""
    if not facts.anonymise:
        return True
    if any(s.interviewer_id == person.id for s in facts.seats):
        return False
    return person.has("coordinator") or person.id == facts.hiring_manager_id


def require_status_access(person: Person, facts: CandidateFacts) -> None:
    """Status (who submitted, who is late) is for coordinators, the hiring manager, the
    committee and the candidate's own interviewers. It never includes a score."""
    if person.has("coordinator") or person.id in (facts.hiring_manager_id, *facts.committee_ids):
        return
    if any(s.interviewer_id == person.id for s in facts.seats):
        return
    raise NotAllowed("Only the coordinator, the hiring manager and the panel see this status.")
