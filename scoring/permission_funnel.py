"""The funnel's rules (issue 27), registered in the permission table by `scoring.permissions`
(which names each action, its resource and its summary). Screens and take-homes are reviewed by
the stage's reviewers, each on their own: a reviewer who still has a review to write on a
candidate sees no one else's (`REVIEW_FIRST`), whatever other role they hold."""

from __future__ import annotations

from scoring.models.facts import (
    CandidateFacts,
    OpeningFacts,
    Organisation,
    SeatFacts,
    StageFacts,
    StageSeatFacts,
)
from scoring.models.people import Person
from scoring.permission_facts import OWN_FIRST

REVIEW_FIRST = "Submit your own review of this candidate first."


def _coordinates(actor: Person) -> bool:
    return actor.has("coordinator")


def _manages(actor: Person, opening: OpeningFacts) -> bool:
    return actor.has("hiring_manager") and actor.id == opening.hiring_manager_id


def _reviewer_role(actor: Person) -> bool:
    return actor.has("interviewer") or actor.has("hiring_manager")


def review_stage(actor: Person, seat: StageSeatFacts) -> str | None:
    """The rule of `review_stage` (registered in `scoring.permissions`)."""
    if seat.seat.reviewer_id != actor.id:
        return "This review is not yours: only its reviewer writes it."
    if not _reviewer_role(actor):
        return "Only an interviewer or a hiring manager reviews a stage."
    if seat.seat.recused:
        return "You recused yourself from this review."
    if seat.seat.submitted:
        return "Your review is in: a review is written once."
    if seat.seat.closed:
        return "This review is closed: the candidate withdrew or the stage was decided."
    return None


def recuse_stage(actor: Person, seat: StageSeatFacts) -> str | None:
    """The rule of `recuse_stage` (registered in `scoring.permissions`)."""
    if seat.seat.reviewer_id != actor.id:
        return "This review is not yours: only its reviewer recuses from it."
    if not _reviewer_role(actor):
        return "Only an interviewer or a hiring manager reviews a stage."
    if seat.seat.recused:
        return "You already recused yourself from this review."
    if seat.seat.submitted:
        return "Your review is in: recuse before reviewing, not after."
    return None


def see_stage_reviews(actor: Person, facts: StageFacts) -> str | None:
    """The rule of `see_stage_reviews` (registered in `scoring.permissions`)."""
    if facts.pending(actor.id):
        return REVIEW_FIRST
    if facts.candidate.pending(actor.id):
        return OWN_FIRST
    if _manages(actor, facts.opening):
        return None
    if _reviewer_role(actor) and facts.reviewed(actor.id):
        return None
    return "Stage reviews are shown to the opening's hiring manager and to reviewers after theirs."


def decide_stage(actor: Person, facts: StageFacts) -> str | None:
    """The rule of `decide_stage` (registered in `scoring.permissions`)."""
    if not _manages(actor, facts.opening):
        return "Only the opening's hiring manager advances or rejects a candidate by hand."
    if facts.pending(actor.id):
        return REVIEW_FIRST
    return None


def manage_stage(actor: Person, facts: StageFacts) -> str | None:
    """The rule of `manage_stage` (registered in `scoring.permissions`)."""
    return None if _coordinates(actor) else "Only a coordinator can do this."


def retire_question(actor: Person, org: Organisation) -> str | None:
    """The rule of `retire_question` (registered in `scoring.permissions`)."""
    if _coordinates(actor) or actor.has("hiring_manager"):
        return None
    return "Only a coordinator or a hiring manager retires a question."


def consent_to_quote(actor: Person, seat: SeatFacts) -> str | None:
    """The rule of `consent_to_quote` (registered in `scoring.permissions`)."""
    if seat.interviewer_id != actor.id:
        return "Only the interviewer who wrote the feedback agrees to it being quoted."
    if not seat.submitted:
        return "Submit your scorecard first."
    return None


def see_funnel(actor: Person, opening: OpeningFacts) -> str | None:
    """The rule of `see_funnel` (registered in `scoring.permissions`)."""
    if _coordinates(actor) or _manages(actor, opening):
        return None
    return "The funnel is for the coordinator and the opening's hiring manager."


def see_question_figures(actor: Person, opening: OpeningFacts) -> str | None:
    """The rule of `see_question_figures` (registered in `scoring.permissions`)."""
    if _manages(actor, opening):
        return None
    return "Question figures come from scores: they are for the opening's hiring manager."


def write_feedback(actor: Person, facts: CandidateFacts) -> str | None:
    """The rule of `write_feedback` (registered in `scoring.permissions`)."""
    if _manages(actor, facts.opening):
        return None
    return "Only the opening's hiring manager writes a candidate's feedback."


def review_feedback(actor: Person, facts: CandidateFacts) -> str | None:
    """The rule of `review_feedback` (registered in `scoring.permissions`)."""
    if facts.pending(actor.id):  # what the candidate is told follows from the others' judgement
        return OWN_FIRST
    if _coordinates(actor):
        return None
    return "Only a coordinator reviews and sends a candidate's feedback."


def record_feedback_request(actor: Person, facts: CandidateFacts) -> str | None:
    """The rule of `record_feedback_request` (registered in `scoring.permissions`)."""
    if facts.pending(actor.id):  # what the candidate is told follows from the others' judgement
        return OWN_FIRST
    if _coordinates(actor) or _manages(actor, facts.opening):
        return None
    return "Only the coordinator or the opening's hiring manager records a request for feedback."


def see_candidate_messages(actor: Person, facts: CandidateFacts) -> str | None:
    """The rule of `see_candidate_messages` (registered in `scoring.permissions`)."""
    if facts.pending(actor.id):  # what the candidate is told follows from the others' judgement
        return OWN_FIRST
    if _coordinates(actor) or _manages(actor, facts.opening):
        return None
    return "A candidate's messages are for the coordinator and the opening's hiring manager."


# (name, resource, summary, rule): registered by `scoring.permissions` in this order; a rule of
# None is `score`'s own (one's own seat, as its scorer).
ACTIONS = [
    (
        "review_stage",
        StageSeatFacts,
        "Write the review of one's own screen or take-home seat",
        review_stage,
    ),
    (
        "recuse_stage",
        StageSeatFacts,
        "Declare a conflict of interest on one's own stage seat",
        recuse_stage,
    ),
    (
        "see_stage_reviews",
        StageFacts,
        "See the reviews of a candidate's screens and take-homes: the opening's hiring manager, "
        "or a reviewer once their own review is in",
        see_stage_reviews,
    ),
    (
        "decide_stage",
        StageFacts,
        "Advance or reject a candidate at a screen or take-home (a tie, a manager rule, a spot "
        "check)",
        decide_stage,
    ),
    (
        "manage_stage",
        StageFacts,
        "Move a candidate through the process: assign reviewers, send a take-home, record its "
        "submission, record the offer's answer",
        manage_stage,
    ),
    (
        "retire_question",
        Organisation,
        "Retire a question from its pool (leaked, too easy): it is never drawn again",
        retire_question,
    ),
    (
        "flag_cheating",
        SeatFacts,
        "Flag suspected cheating on one's own session, with evidence",
        None,
    ),
    (
        "consent_to_quote",
        SeatFacts,
        "Let one's written feedback be quoted to a declined candidate who asked for feedback",
        consent_to_quote,
    ),
    (
        "see_funnel",
        OpeningFacts,
        "The opening's funnel: candidates entered, advanced, rejected, withdrawn and pending per "
        "stage, time in stage, spot-check agreement (counts and dates, no scores)",
        see_funnel,
    ),
    (
        "see_question_figures",
        OpeningFacts,
        "Per-question figures: score distribution, pass rate, agreement where paired, flags",
        see_question_figures,
    ),
    (
        "write_feedback",
        CandidateFacts,
        "Write the feedback a declined candidate asked for (logistical and performance reasons)",
        write_feedback,
    ),
    (
        "review_feedback",
        CandidateFacts,
        "Review a candidate's feedback and send it (someone other than its writer)",
        review_feedback,
    ),
    (
        "record_feedback_request",
        CandidateFacts,
        "Record that a declined candidate asked for feedback",
        record_feedback_request,
    ),
    (
        "see_candidate_messages",
        CandidateFacts,
        "See every message sent to the candidate (their record)",
        see_candidate_messages,
    ),
]
