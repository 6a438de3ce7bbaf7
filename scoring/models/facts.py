"""What the permission table (`scoring.permissions`) reads about each kind of resource: the
organisation, a screen, an opening, a candidate with their panel, a seat. Loaded inside a unit
of work by `scoring.permission_facts`; nothing here reads the database."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Organisation:
    """The whole Debrief: people, new openings."""

    has_people: bool = True


@dataclass(frozen=True)
class Screen:
    """One page of the app."""

    name: str


@dataclass(frozen=True)
class OpeningFacts:
    """What the rules need to know about an opening (and the actor's place in it)."""

    opening_id: int
    hiring_manager_id: int
    committee_ids: frozenset[int]
    strategy_kind: str
    actor_interviews: bool = False  # the actor has a seat on one of its candidates


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
    """What the rules need to know about one candidate: panel, debrief, decision, votes."""

    candidate_id: int
    opening: OpeningFacts
    reveal_rule: str
    anonymise: bool
    seats: tuple[Seat, ...]
    debrief_open: bool
    decided: bool
    voter_ids: frozenset[int]  # committee members who have cast a vote
    hired: bool = False  # the decision in force (the latest) is hire

    @property
    def opening_id(self) -> int:
        """The candidate's opening."""
        return self.opening.opening_id

    def seats_of(self, person_id: int) -> list[Seat]:
        """The person's non-recused seats on this panel."""
        return [s for s in self.seats if s.interviewer_id == person_id and not s.recused]

    def has_seat(self, person_id: int) -> bool:
        """The person is or was on this panel (a recused seat counts)."""
        return any(s.interviewer_id == person_id for s in self.seats)

    @property
    def all_in(self) -> bool:
        """Every non-recused seat has a submitted scorecard (and there is at least one)."""
        active = [s for s in self.seats if not s.recused]
        return bool(active) and all(s.submitted for s in active)

    @property
    def missing(self) -> int:
        """Non-recused seats without a submitted scorecard."""
        return sum(1 for s in self.seats if not s.recused and not s.submitted)

    def pending(self, person_id: int) -> bool:
        """The person has an unsubmitted, unrecused seat here: blind to everyone else."""
        return any(not s.submitted for s in self.seats_of(person_id))


@dataclass(frozen=True)
class SeatFacts:
    """One assignment: whose it is and where it stands; with its candidate's facts when a rule
    composed over both needs them (`read_scorecard`: someone else's seat is read through the
    candidate's `see_scores`)."""

    assignment_id: int
    candidate_id: int
    interviewer_id: int
    recused: bool
    submitted: bool
    candidate: CandidateFacts | None = None


@dataclass(frozen=True)
class StageSeat:
    """One reviewer's seat on a candidate's screen or take-home, without anything they said."""

    seat_id: int
    position: int
    reviewer_id: int
    purpose: str  # review | spot_check
    recused: bool
    submitted: bool
    closed: bool = False  # the candidate withdrew, or (a review) the stage was decided without it


@dataclass(frozen=True)
class StageFacts:
    """A candidate's place in the funnel as the rules need it: their facts and every stage seat
    on them (issue 27). Keyed by the candidate."""

    candidate: CandidateFacts
    seats: tuple[StageSeat, ...]

    @property
    def candidate_id(self) -> int:
        """The candidate's id."""
        return self.candidate.candidate_id

    @property
    def opening(self) -> OpeningFacts:
        """The candidate's opening."""
        return self.candidate.opening

    def pending(self, person_id: int) -> bool:
        """The person has a stage review still to write on this candidate: blind to the others'."""
        return any(
            s.reviewer_id == person_id and not (s.recused or s.submitted or s.closed)
            for s in self.seats
        )

    def reviewed(self, person_id: int) -> bool:
        """The person has written a review of this candidate."""
        return any(s.reviewer_id == person_id and s.submitted for s in self.seats)


@dataclass(frozen=True)
class StageSeatFacts:
    """One stage seat: whose it is and where it stands, with its candidate's stage facts."""

    seat: StageSeat
    stage: StageFacts

    @property
    def seat_id(self) -> int:
        """The stage seat's id."""
        return self.seat.seat_id
