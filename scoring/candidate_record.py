"""One candidate's way through their opening's process, as the coordinator's Candidates page
shows it (issue 27): the stages and where the candidate stands in each (states and dates: never
a stage's reason, which may quote a score), their take-home, their feedback, every message sent
to them, and which of the page's actions fit where they are now and may be done by the reader.
The page draws it; the actions are `scoring.take_homes`, `scoring.candidate_mail`,
`scoring.candidate_feedback` and `scoring.stage_reviews.record_offer`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from scoring.candidate_feedback import Feedback, feedback_of
from scoring.candidate_mail import CandidateMessage, candidate_messages, candidate_row
from scoring.guards import Granted, guarded
from scoring.models.stages import KIND_WORDS
from scoring.permissions import may, opening_facts, stage_facts
from scoring.queries import candidate_mail as Q
from scoring.stages import process, progress_of
from scoring.store import now_utc, parse_stamp
from scoring.take_homes import TakeHome, take_homes_of


@dataclass(frozen=True)
class StageLine:
    """One stage of the process and where the candidate stands in it."""

    position: int
    title: str
    kind: str  # in words: Screen, Take-home, On-site loop, Offer
    state: str  # pending, advanced, rejected, withdrawn, or "not reached"
    entered_at: datetime | None
    left_at: datetime | None


@dataclass(frozen=True)
class CandidateRecord:
    """What the Candidates page shows of one candidate, and the actions it offers."""

    candidate_id: int
    name: str  # the alias for a reader who may not see the name
    has_email: bool
    state: str  # in_process, rejected, withdrawn, hired, done
    stage: StageLine  # the stage they are at, or last reached
    stages: tuple[StageLine, ...]
    take_homes: tuple[TakeHome, ...]
    day_sessions: int  # sessions on their interview day
    day_over: bool
    feedback: Feedback
    messages: tuple[CandidateMessage, ...]
    # Of: send_take_home, record_submission, send_schedule, record_offer, record_feedback_request,
    # approve_feedback, draft_feedback.
    actions: frozenset[str]


@guarded("see_candidate_messages", on="candidate_id")
def candidate_record(g: Granted, candidate_id: int, now: datetime | None = None) -> CandidateRecord:
    """The candidate's stages, take-home, feedback and messages, and what the reader may do."""
    db, actor, at = g.db, g.actor, now or now_utc()
    candidate = candidate_row(db, candidate_id)
    stages = process(db, candidate["opening_id"])
    where = progress_of(db, candidate_id)
    lines = []
    for stage in stages:
        step = where.step(stage.position)
        lines.append(
            StageLine(
                position=stage.position,
                title=stage.title,
                kind=KIND_WORDS[stage.kind],
                state=step.state if step else "not reached",
                entered_at=step.entered_at if step else None,
                left_at=step.left_at if step else None,
            )
        )
    current = next(line for line in lines if line.position == where.stage)
    kind = next(s.kind for s in stages if s.position == where.stage)
    take_homes = tuple(take_homes_of(db, candidate_id, stages))
    day = db.execute(Q.DAY, [candidate_id]).fetchall()
    day_over = bool(day) and max(parse_stamp(r["ends_at"]) for r in day) <= at
    feedback = feedback_of(db, actor, g.facts, candidate_id, candidate=candidate, where=where)
    named = may(actor, "see_name", g.facts)
    moving = where.state == "in_process"
    actions = set()
    if moving and may(actor, "manage_stage", stage_facts(db, candidate_id)):
        here = next((t for t in take_homes if t.position == where.stage), None)
        if kind == "take_home" and here is not None and here.sent_at is None:
            actions.add("send_take_home")
        if kind == "take_home" and here is not None and here.sent_at and not here.submitted_at:
            actions.add("record_submission")
        if kind == "offer":
            actions.add("record_offer")
    if (
        moving
        and kind == "loop"
        and day
        and not day_over
        and may(actor, "manage_opening", opening_facts(db, candidate["opening_id"]))
    ):
        actions.add("send_schedule")
    if feedback.may_request:
        actions.add("record_feedback_request")
    if feedback.may_draft:
        actions.add("draft_feedback")
    if feedback.may_send:
        actions.add("approve_feedback")
    return CandidateRecord(
        candidate_id=candidate_id,
        name=candidate["name"] if named else candidate["alias"],
        has_email=bool((candidate["email"] or "").strip()),
        state=where.state,
        stage=current,
        stages=tuple(lines),
        take_homes=take_homes,
        day_sessions=len(day),
        day_over=day_over,
        feedback=feedback,
        messages=tuple(candidate_messages(db, candidate_id, named=named, candidate=candidate)),
        actions=frozenset(actions),
    )
