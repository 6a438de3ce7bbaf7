"""Reading the debrief: one candidate's panel gathered (through the access rules) into an engine
`Case`, and the whole open debrief read from one snapshot into a `Debrief`.

Every function here takes the open unit of work (`db`) and the acting person as the database
knows them now: the service (`scoring.debrief`) opens the connection and asks the permission
table once; these read what follows from that.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import replace
from datetime import datetime
from typing import Any

from scoring import adjusted, personal, questions, uncertainty
from scoring.database import Database
from scoring.debrief_view import (
    Debrief,
    DebriefStatus,
    DecisionRecord,
    PanelCard,
    Preview,
    VoteRecord,
    applicable_strategies,
    committee_count,
    marks_of,
    recordable,
)
from scoring.engine import (
    Case,
    CommitteeVote,
    Decision,
    ManagerDecision,
    ScorecardIn,
    Strategy,
    awaiting_votes,
    decide,
)
from scoring.opening_record import Opening, rubric_snapshot
from scoring.opening_record import load as load_opening
from scoring.permissions import CandidateFacts, Person, may, why_not
from scoring.queries import debrief as Q
from scoring.queries import seats as SEATS
from scoring.scale import Scale
from scoring.scorecards import Scorecard, SeatStatus, load_scorecards
from scoring.status import candidate_label, seat_status
from scoring.store import parse_stamp


def _labels(cards: list[Scorecard]) -> list[str]:
    """Interviewer names; the session is added where a name has two scorecards, and the
    person's id where two different people share a name on one session."""
    names = Counter(c.interviewer_name for c in cards)
    labels = [
        c.interviewer_name
        if names[c.interviewer_name] == 1
        else f"{c.interviewer_name} ({c.session_title})"
        for c in cards
    ]
    repeated = Counter(labels)
    return [
        label if repeated[label] == 1 else f"{label} #{card.interviewer_id}"
        for label, card in zip(labels, cards, strict=True)
    ]


def build_case(
    db: Database,
    opening: Opening,
    cards: list[Scorecard],
    *,
    strategy: Strategy | None = None,
    force: bool | None = None,
    manager_decision: ManagerDecision | None = None,
    committee_votes: list[CommitteeVote] = (),
    rubrics: dict[str, Any] | None = None,
) -> Case:
    """The engine's input for a panel: overall and criteria on their own scales and weights.
    `rubrics` are the frozen rubrics already read (by content hash); any other is read here."""
    strategy = strategy or opening.strategy
    if force is not None:
        strategy = strategy.model_copy(update={"force_extremes": force})
    rubrics = _rubrics(db, cards, rubrics)
    scorecards = []
    for label, card in zip(_labels(cards), cards, strict=True):
        rubric = rubrics[card.rubric_hash]
        criteria = [
            {
                "id": c.id,
                "score": card.criteria[c.id].score if c.id in card.criteria else None,
                "min": c.scale.min,
                "max": c.scale.max,
                "weight": c.weight,
            }
            for c in rubric.criteria
        ]
        scorecards.append(ScorecardIn(interviewer=label, overall=card.overall, criteria=criteria))
    return Case(
        scale={"min": opening.scale.min, "max": opening.scale.max},
        strategy=strategy,
        scorecards=scorecards,
        manager_decision=manager_decision,
        committee_votes=list(committee_votes),
    )


def _rubrics(db: Database, cards: list[Scorecard], known: dict[str, Any] | None) -> dict[str, Any]:
    """The frozen rubric of every card, each read once (checked against its hash as it is)."""
    rubrics = dict(known or {})
    for card in cards:
        if card.rubric_hash not in rubrics:
            rubrics[card.rubric_hash] = rubric_snapshot(db, card.rubric_hash)
    return rubrics


def _votes(db: Database, candidate_id: int) -> list[VoteRecord]:
    """Each member's vote in force: their latest (votes are appended, never changed)."""
    return [
        VoteRecord(
            r["member_id"],
            r["name"],
            r["vote"],
            r["note"],
            parse_stamp(r["cast_at"]),
            r["changes"],
        )
        for r in db.execute(Q.VOTES_IN_FORCE, [candidate_id]).fetchall()
    ]


def engine_votes(votes: list[VoteRecord]) -> list[CommitteeVote]:
    """The votes in force as the engine's committee input."""
    return [CommitteeVote(member=f"{v.member} #{v.member_id}", vote=v.vote) for v in votes]


def board(db: Database, candidate_id: int, at: datetime) -> list[SeatStatus]:
    """Every seat of the candidate's panel and where it stands at `at` (no score)."""
    rows = db.execute(SEATS.OF_CANDIDATE, [candidate_id]).fetchall()
    return [seat_status(r, at) for r in rows]


def frame(db: Database, actor: Person, facts: CandidateFacts, at: datetime) -> DebriefStatus:
    """The debrief's frame for the actor: who is in, whether it is open, what they may do."""
    return DebriefStatus(
        candidate_id=facts.candidate_id,
        candidate=candidate_label(db, actor, facts.candidate_id, facts),
        opening=load_opening(db, facts.opening_id),
        seats=board(db, facts.candidate_id, at),
        is_open=facts.debrief_open,
        may_open=may(actor, "open_debrief", facts),
        early=not facts.all_in,
        hidden=why_not(actor, "see_scores", facts),
    )


def decision_records(db: Database, ids: list[int]) -> dict[int, list[DecisionRecord]]:
    """Every recorded decision of each candidate, oldest first (one query; the last is the
    decision in force)."""
    found: dict[int, list[DecisionRecord]] = {i: [] for i in ids}
    if not ids:
        return found
    for r in db.execute(Q.decisions_of(len(ids)), ids):
        found[r["candidate_id"]].append(
            DecisionRecord(
                id=r["id"],
                outcome=r["outcome"],
                decided_by=r["name"],
                decided_at=parse_stamp(r["decided_at"]),
                rationale=r["rationale"],
                accepts_responsibility=bool(r["accepts_responsibility"]),
                strategy=json.loads(r["strategy"]),
                engine_result=opened_reasons(db, json.loads(r["engine_result"])),
            )
        )
    return found


def opened_reasons(db: Database, engine: dict[str, Any]) -> dict[str, Any]:
    """A stored engine result with its sealed reasons opened (`scoring.debrief.sealed_reasons`)."""
    if not engine.get("reasons"):
        return engine
    return {**engine, "reasons": [personal.reveal(db, r) for r in engine["reasons"]]}


def decisions(db: Database, candidate_id: int) -> list[DecisionRecord]:
    """One candidate's recorded decisions, oldest first."""
    return decision_records(db, [candidate_id])[candidate_id]


def _manager_of(opening: Opening, decided: list[DecisionRecord]) -> ManagerDecision | None:
    """The decision in force as the engine's manager input (manager strategy only)."""
    if opening.strategy.kind != "manager" or not decided:
        return None
    final = decided[-1]
    return ManagerDecision(
        decision=final.outcome,
        by=final.decided_by,
        rationale=final.rationale or "-",
        accepts_responsibility=True,
    )


def panel_history(db: Database, candidate_id: int) -> list[list[Scorecard]]:
    """Every non-recused seat's scorecard history (oldest revision first, the last in force),
    seats in session order: two statements for the whole panel."""
    by_seat: dict[int, list[Scorecard]] = {}
    ids = [r[0] for r in db.execute(Q.PANEL_REVISIONS, [candidate_id])]
    for card in load_scorecards(db, ids):
        by_seat.setdefault(card.assignment_id, []).append(card)
    return list(by_seat.values())


class Panel:
    """One candidate's panel as the actor may see it, ready to run through the engine: the
    decision and votes only where the actor may see them (a committee member who has not
    voted gets the committee's outcome without the others' votes)."""

    def __init__(self, db: Database, actor: Person, facts: CandidateFacts, opening: Opening):
        self.db, self.opening = db, opening
        self.histories = panel_history(db, facts.candidate_id)
        self.cards = [h[-1] for h in self.histories]
        self.rubrics = _rubrics(db, self.cards, None)
        self.decisions = (
            decisions(db, facts.candidate_id) if may(actor, "see_decision", facts) else []
        )
        self.votes_hidden = why_not(actor, "see_votes", facts)
        self.votes = _votes(db, facts.candidate_id) if self.votes_hidden is None else []
        self.votes_cast = len(facts.voter_ids)
        self.committee_size = len(facts.opening.committee_ids | facts.voter_ids)

    def run(self, strategy: Strategy, forced: bool | None = None) -> Decision:
        """The engine's outcome under `strategy` (forcing as given, else the strategy's). For
        a member blind to the votes the engine ran without them: its "0 committee votes in"
        would be untrue, so that reason says how many members have voted instead."""
        result = self._run(strategy, forced)
        blind = self.opening.strategy.kind == "committee" and self.votes_hidden is not None
        if strategy.kind == "committee" and blind:
            hidden = awaiting_votes(0, strategy.quorum)
            count = committee_count(self.votes_cast, self.committee_size, blind=True)
            result = replace(result, reasons=[count if r == hidden else r for r in result.reasons])
        return result

    def case(self, strategy: Strategy, forced: bool | None = None, **given: Any) -> Case:
        """The engine's input for this panel under `strategy` (the rubrics read once)."""
        return build_case(
            self.db,
            self.opening,
            self.cards,
            strategy=strategy,
            force=forced,
            rubrics=self.rubrics,
            **given,
        )

    def _run(self, strategy: Strategy, forced: bool | None) -> Decision:
        return decide(
            self.case(
                strategy,
                forced,
                manager_decision=_manager_of(self.opening, self.decisions)
                if strategy.kind == "manager"
                else None,
                committee_votes=engine_votes(self.votes) if strategy.kind == "committee" else [],
            )
        )


def read(
    db: Database,
    actor: Person,
    facts: CandidateFacts,
    at: datetime,
    force: bool | None = None,
    path: str = "",
) -> Debrief:
    """The whole open debrief from the snapshot `db`, for an actor already allowed to see the
    packet (`see_packet` on `facts`): the frame, the panel with each scorecard's history and
    marks, every strategy that can apply on raw and forced scores, the interval and the second
    reading, decisions and votes. `force` overrides the strategy's forcing for the headline
    (the page's toggle); `path` keys the figures kept between reads (`uncertainty.kept`)."""
    status = frame(db, actor, facts, at)
    opening = status.opening
    panel = Panel(db, actor, facts, opening)
    opened = db.execute(Q.OPENED, [facts.candidate_id]).fetchone()
    # one's own vote, also while the others' are hidden from one
    votes = panel.votes if panel.votes_hidden is None else _votes(db, facts.candidate_id)
    forced_on = opening.strategy.force_extremes if force is None else force
    previews = []
    for kind in applicable_strategies(opening):
        strategy = opening.strategy.model_copy(update={"kind": kind})
        previews.append(
            Preview(
                kind,
                panel.run(strategy, False),
                panel.run(strategy, True),
                kind == opening.strategy.kind,
            )
        )
    what_if = {p.kind: p.forced if forced_on else p.raw for p in previews}
    chosen = next(p for p in previews if p.chosen)
    # what decides: the opening's strategy under its own forcing, one of the previews already run
    rule = chosen.forced if opening.strategy.force_extremes else chosen.raw
    may_decide = may(actor, "decide", facts)
    scored = [c for c in panel.cards if any(e.score is not None for e in c.criteria.values())]
    interval = uncertainty.score_interval(
        chosen.raw.score,
        len(scored),
        uncertainty.rater_error(db, actor, opening.id, path),
        opening,
        after_reveal=sum(c.saw_others for c in scored),
    )
    adjusted_reading = adjusted.reading(
        [(c.interviewer_id, c.overall) for c in panel.cards],
        adjusted.opening_leniency(db, actor, opening.id, path),
        Scale(opening.scale.min, opening.scale.max),
    )
    cards = tuple(
        PanelCard(h[-1], tuple(h), label, panel.rubrics[h[-1].rubric_hash], marks_of(h))
        for h, label in zip(panel.histories, _labels(panel.cards), strict=True)
    )
    return Debrief(
        status=status,
        scorecards=panel.cards,
        result=what_if[opening.strategy.kind],
        raw=chosen.raw,
        forced=chosen.forced,
        rule=rule,
        what_if=what_if,
        previews=previews,
        opened_at=parse_stamp(opened["opened_at"]),
        opened_by=opened["name"],
        early_reason=opened["early_reason"],
        frozen=json.loads(opened["frozen_result"]),
        decisions=panel.decisions,
        votes=panel.votes,
        votes_hidden=panel.votes_hidden,
        own_vote=next((v for v in votes if v.member_id == actor.id), None),
        votes_cast=panel.votes_cast,
        committee_size=panel.committee_size,
        may_decide=may_decide,
        may_vote=may(actor, "vote", facts),
        recordable=recordable(opening.strategy.kind, rule) if may_decide else None,
        score_interval=interval,
        leniency_adjusted=adjusted_reading,
        cards=cards,
        anonymised=not may(actor, "see_name", facts),
        cheating_flags=tuple(questions.flags(db, facts.candidate_id)),
        asked=questions.drawn_for_candidate(db, facts.candidate_id),
    )
