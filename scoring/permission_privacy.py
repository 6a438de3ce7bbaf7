"""The privacy rules (issue 28), registered in the permission table by `scoring.permissions`
like the funnel's. A candidate's own data goes out (subject access) and is erased by a
coordinator; a coordinator who still has a scorecard to write on the candidate takes nothing
out first (the export holds the others' scores). Self-identified demographics are recorded by a
coordinator and never read back per candidate by anyone: the only reading is the adverse-impact
section, in aggregate."""

from __future__ import annotations

from scoring.models.facts import CandidateFacts, OpeningFacts, Organisation, StageFacts
from scoring.models.people import Person
from scoring.permission_facts import OWN_FIRST
from scoring.permission_funnel import REVIEW_FIRST

ONLY_COORDINATORS = "Only a coordinator can do this."


def _coordinates(actor: Person) -> bool:
    return actor.has("coordinator")


def subject_access(actor: Person, facts: StageFacts) -> str | None:
    """The rule of `subject_access` (registered in `scoring.permissions`): on the candidate's
    stage facts, since the export holds every review of their screens and take-homes too."""
    if not _coordinates(actor):
        return "Only a coordinator exports a candidate's data."
    if facts.candidate.pending(actor.id):  # the export holds every scorecard on the candidate
        return OWN_FIRST
    if facts.pending(actor.id):  # ...and every screen and take-home review
        return REVIEW_FIRST
    return None


def erase_candidate(actor: Person, facts: CandidateFacts) -> str | None:
    """The rule of `erase_candidate` (registered in `scoring.permissions`)."""
    return None if _coordinates(actor) else "Only a coordinator erases a candidate's data."


def hold_candidate(actor: Person, facts: CandidateFacts) -> str | None:
    """The rule of `hold_candidate` (registered in `scoring.permissions`)."""
    return None if _coordinates(actor) else "Only a coordinator places or lifts a legal hold."


def record_demographics(actor: Person, facts: CandidateFacts) -> str | None:
    """The rule of `record_demographics` (registered in `scoring.permissions`)."""
    if _coordinates(actor):
        return None
    return "Only a coordinator records a candidate's self-identified answers."


def run_retention(actor: Person, org: Organisation) -> str | None:
    """The rule of `run_retention` (registered in `scoring.permissions`)."""
    return None if _coordinates(actor) else ONLY_COORDINATORS


def see_adverse_impact(actor: Person, opening: OpeningFacts) -> str | None:
    """The rule of `see_adverse_impact` (registered in `scoring.permissions`)."""
    if _coordinates(actor):
        return None
    if actor.has("hiring_manager") and actor.id == opening.hiring_manager_id:
        return None
    return "Only the coordinator and the opening's hiring manager see its adverse-impact figures."


# (name, resource, summary, rule): registered by `scoring.permissions` in this order.
ACTIONS = [
    (
        "subject_access",
        StageFacts,
        "Export everything held about a candidate (their data, sessions, scorecards, feedback, "
        "decisions, messages) for a subject-access request",
        subject_access,
    ),
    (
        "erase_candidate",
        CandidateFacts,
        "Erase a candidate: their data key destroyed, their name, email and every text about "
        "them gone; scores and decisions stay as numbers",
        erase_candidate,
    ),
    (
        "hold_candidate",
        CandidateFacts,
        "Place or lift a legal hold on a candidate (it stops retention and erasure)",
        hold_candidate,
    ),
    (
        "record_demographics",
        CandidateFacts,
        "Record a candidate's self-identified answers (never shown per candidate)",
        record_demographics,
    ),
    (
        "run_retention",
        Organisation,
        "See which candidates retention erases when, and run it",
        run_retention,
    ),
    (
        "see_adverse_impact",
        OpeningFacts,
        "Selection rates per self-identified group and source, per stage, with the four-fifths "
        "ratio (aggregates above a minimum group size; nothing per candidate)",
        see_adverse_impact,
    ),
]
