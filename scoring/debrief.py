"""The debrief: opening it, reading it, votes and decisions.

Every outcome comes from `scoring.engine.decide`. The open debrief is read once, from one snapshot,
into a frozen `Debrief` (`debrief`): the page and every export render that object and never read
again. Its parts live in the rooms below: the records and the object in `scoring.debrief_view`,
the reading in `scoring.debrief_panel`, the day view in `scoring.debrief_day`; their names stay
importable from here.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from scoring import audit, outbox, personal
from scoring.debrief_day import DayRow, day_view, debrief_openings, interview_days
from scoring.debrief_panel import (
    Panel,
    board,
    build_case,
    decision_records,
    decisions,
    engine_votes,
    frame,
    panel_history,
    read,
)
from scoring.debrief_view import (
    STRATEGY_KINDS,
    Debrief,
    DebriefStatus,
    DebriefView,
    DecisionRecord,
    Headline,
    Mark,
    PanelCard,
    Preview,
    Recordable,
    Verdict,
    VoteRecord,
    applicable_strategies,
    committee_count,
    marks_of,
    outcome_words,
    recordable,
)
from scoring.engine import OUTCOME_WORDS, Decision, InvalidCase, ManagerDecision, decide
from scoring.errors import InvalidInput
from scoring.guards import Granted, guarded
from scoring.models.people import Person
from scoring.opening_record import load as load_opening
from scoring.queries import debrief as Q
from scoring.store import Store, now_utc, stamp
from scoring.text import NOTE_MAX, RATIONALE_MAX, REASON_MAX, check_length

__all__ = [
    "STRATEGY_KINDS",
    "DayRow",
    "Debrief",
    "DebriefStatus",
    "DebriefView",
    "DecisionRecord",
    "DecisionRefused",
    "Headline",
    "Mark",
    "PanelCard",
    "Preview",
    "Recordable",
    "Verdict",
    "VoteRecord",
    "applicable_strategies",
    "board",
    "build_case",
    "cast_vote",
    "committee_count",
    "day_view",
    "debrief",
    "debrief_openings",
    "decision_problems",
    "decision_records",
    "interview_days",
    "marks_of",
    "open_debrief",
    "outcome_words",
    "read_debrief",
    "record_decision",
    "recordable",
    "status",
]


def sealed_reasons(db, candidate_id: int, engine: dict) -> dict:
    """The engine's result as stored with a decision: its reasons quote the rationale and the
    committee's notes, so each is sealed under the candidate's key (`scoring.personal`); the
    outcome and the tally, which Insights reads in SQL, stay as they are."""
    reasons = [personal.seal(db, candidate_id, r) for r in engine.get("reasons", [])]
    return {**engine, "reasons": reasons}


@guarded("see_debrief", on="candidate_id")
def status(g: Granted, candidate_id: int, now: datetime | None = None) -> DebriefStatus:
    """The debrief page's frame for the opening's hiring manager or committee: who is in,
    whether it is open, and what the actor may do (open it, early or not; see the panel)."""
    return frame(g.db, g.actor, g.facts, now or now_utc())


@guarded("open_debrief", on="candidate_id", write=True)
def open_debrief(
    g: Granted,
    candidate_id: int,
    reason: str | None = None,
    now: datetime | None = None,
) -> None:
    """The hiring manager opens the debrief: when every non-recused scorecard is in, or early
    with a reason that is recorded. The panel's outcome at this moment is frozen."""
    db, actor, facts = g.db, g.actor, g.facts
    at = now or now_utc()
    check_length("reason", reason, REASON_MAX)
    opening = load_opening(db, facts.opening_id)
    early = not facts.all_in
    if early and not (reason or "").strip():
        missing = facts.missing
        raise InvalidInput(
            f"reason: {missing} scorecard{'s are' if missing != 1 else ' is'} still missing;"
            " say why the debrief opens early"
        )
    cards = [history[-1] for history in panel_history(db, candidate_id)]
    frozen = decide(build_case(db, opening, cards)).to_json()
    db.execute(
        Q.OPEN,
        [
            candidate_id,
            stamp(at),
            actor.id,
            personal.seal(db, candidate_id, reason.strip()) if early and reason else None,
            json.dumps(frozen),
        ],
    )
    audit.record(
        db,
        actor.id,
        "open_debrief",
        f"candidate:{candidate_id}",
        at,
        early=early,
        reason=personal.seal(db, candidate_id, reason) if reason else reason,
        digest=audit.row_digest(db, "debriefs", candidate_id),
    )


@guarded("see_packet", on="candidate_id")
def read_debrief(
    g: Granted,
    candidate_id: int,
    force: bool | None = None,
    now: datetime | None = None,
    path: str = "",
) -> Debrief:
    """The open debrief (`Debrief`) read from one snapshot: one connection, the person re-read,
    the candidate's facts loaded once and `see_packet` asked once. `path` keys the figures kept
    between reads (the store's path: `debrief` passes it)."""
    return read(g.db, g.actor, g.facts, now or now_utc(), force, path)


@dataclass(frozen=True)
class Reading:
    """What the opening's strategy says of the panel as it stands: as written (`raw`), and the
    headline under the opening's own forcing (`result`), the same two the `Debrief` carries."""

    raw: Decision
    result: Decision


@guarded("see_packet", on="candidate_id")
def reading(g: Granted, candidate_id: int) -> Reading:
    """The debrief's headline without the figures drawn from other candidates (the interval,
    the leniency reading): for whoever may see the packet. The demo reads it after every
    candidate it adds, where working those figures out again over the growing history would
    cost most of the build."""
    opening = load_opening(g.db, g.facts.opening_id)
    panel = Panel(g.db, g.actor, g.facts, opening)
    strategy = opening.strategy
    return Reading(panel.run(strategy, False), panel.run(strategy, strategy.force_extremes))


def debrief(
    store: Store,
    actor: Person,
    candidate_id: int,
    force: bool | None = None,
    now: datetime | None = None,
) -> Debrief:
    """The open debrief for the opening's hiring manager or a committee member, once they may
    see the panel (`see_packet`), as one frozen `Debrief` that the page and every export
    render. `force` overrides the strategy's forcing for this view (the page's toggle)."""
    return read_debrief(store, actor, candidate_id, force, now, store.location)


@guarded("vote", on="candidate_id", write=True)
def cast_vote(
    g: Granted,
    candidate_id: int,
    vote: Verdict,
    note: str = "",
    now: datetime | None = None,
) -> None:
    """A committee member votes on the packet once the debrief is open; they may change their
    vote (a new one is appended, the latest counts) until the decision is recorded."""
    db, actor = g.db, g.actor
    at = now or now_utc()
    if vote not in ("hire", "no_hire"):
        raise InvalidInput("vote: Choose hire or no hire.")
    check_length("note", note, NOTE_MAX)
    changing = actor.id in g.facts.voter_ids
    vote_id = db.execute(
        Q.VOTE,
        [
            candidate_id,
            actor.id,
            vote,
            personal.seal(db, candidate_id, (note or "").strip()),
            stamp(at),
        ],
    ).lastrowid
    audit.record(
        db,
        actor.id,
        "change_vote" if changing else "vote",
        f"candidate:{candidate_id}",
        at,
        vote=vote,
        vote_id=vote_id,
        digest=audit.row_digest(db, "committee_votes", vote_id),
    )


@guarded("decide", on="candidate_id", write=True)
def record_decision(
    g: Granted,
    candidate_id: int,
    outcome: Verdict,
    rationale: str = "",
    accepts_responsibility: bool = False,
    now: datetime | None = None,
) -> DecisionRecord:
    """The hiring manager records the decision, as the opening's strategy allows it
    (`recordable`). Appended with the strategy and the engine's result; a later decision
    supersedes."""
    db, actor, facts = g.db, g.actor, g.facts
    at = now or now_utc()
    rationale = (rationale or "").strip()
    opening = load_opening(db, facts.opening_id)
    strategy = opening.strategy
    panel = Panel(db, actor, facts, opening)
    allowed = recordable(strategy.kind, panel.run(strategy))
    problems = decision_problems(allowed, outcome, rationale, accepts_responsibility)
    if problems:
        raise DecisionRefused(problems)
    manager = None
    if strategy.kind == "manager":
        try:
            manager = ManagerDecision(
                decision=outcome,
                by=actor.name,
                rationale=rationale,
                accepts_responsibility=accepts_responsibility,
            )
        except Exception as exc:  # pydantic's own error: re-say it plainly
            raise InvalidInput(f"decision: {exc}") from None
    case = panel.case(strategy, manager_decision=manager, committee_votes=engine_votes(panel.votes))
    try:
        result = decide(case)
    except InvalidCase as exc:
        raise InvalidInput(str(exc)) from None
    decision_id = db.execute(
        Q.DECIDE,
        [
            candidate_id,
            outcome,
            actor.id,
            stamp(at),
            personal.seal(db, candidate_id, rationale),
            int(accepts_responsibility),
            strategy.model_dump_json(),
            json.dumps(sealed_reasons(db, candidate_id, result.to_json())),
        ],
    ).lastrowid
    audit.record(
        db,
        actor.id,
        "decide",
        f"candidate:{candidate_id}",
        at,
        outcome=outcome,
        decision_id=decision_id,
        digest=audit.row_digest(db, "decisions", decision_id),
    )
    outbox.queue_decision(db, candidate_id, decision_id, at)  # in the same transaction
    return next(d for d in decisions(db, candidate_id) if d.id == decision_id)


class DecisionRefused(InvalidInput):
    """A decision that cannot be recorded as it stands: every problem at once, by field
    (`outcome`, `rationale`, `accepts_responsibility`), so the form marks each under its own
    field. The message is the first, as ``field: message``."""

    def __init__(self, problems: dict[str, str]):
        self.problems = dict(problems)
        field, message = next(iter(self.problems.items()))
        super().__init__(f"{field}: {message}")


def decision_problems(
    allowed: Recordable, outcome: str | None, rationale: str, accepts_responsibility: bool
) -> dict[str, str]:
    """Everything that stops a decision from being recorded, by field, in the order of the
    form, in words the hiring manager acts on; empty when it may be recorded. `allowed` is
    what the opening's strategy lets them record now (`recordable`)."""
    problems: dict[str, str] = {}
    rationale = (rationale or "").strip()
    if not allowed.verdicts:
        problems["outcome"] = allowed.prompt
    elif outcome not in ("hire", "no_hire"):
        problems["outcome"] = "Choose hire or no hire."
    elif outcome not in allowed.verdicts:
        words = OUTCOME_WORDS[allowed.verdicts[0]].lower()
        problems["outcome"] = (
            f"{allowed.rule} says {words}: the hiring manager confirms it, not reverses it."
        )
    if len(rationale) > RATIONALE_MAX:
        problems["rationale"] = f"{len(rationale):,} characters; at most {RATIONALE_MAX:,}."
    elif allowed.reason_required and not rationale:
        problems["rationale"] = (
            "Say why you decide this."
            if allowed.responsibility_required
            else "The panel needs discussion: say how it was settled and why."
        )
    if allowed.responsibility_required and not accepts_responsibility:
        problems["accepts_responsibility"] = "Accept responsibility for the decision to record it."
    return problems
