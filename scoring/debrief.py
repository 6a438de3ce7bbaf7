"""The debrief: opening it, what the panel says under each strategy, votes and decisions.

Every outcome here comes from `scoring.engine.decide`; this module only gathers the panel (through
the access rules) into an engine `Case` and keeps what was decided, append-only.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta, tzinfo
from typing import Any, Literal

from sqlite_utils import Database

from scoring import adjusted, audit, outbox, uncertainty
from scoring.engine import (
    OUTCOME_WORDS,
    Case,
    CommitteeVote,
    Decision,
    InvalidCase,
    ManagerDecision,
    ScorecardIn,
    Strategy,
    awaiting_votes,
    decide,
    lean,
)
from scoring.errors import InvalidInput
from scoring.opening_record import Opening, _opening, rubric_snapshot
from scoring.openings import list_openings
from scoring.permissions import (
    OWN_FIRST,
    CandidateFacts,
    Person,
    candidate_facts,
    current,
    ensure,
    may,
    opening_facts,
    why_not,
)
from scoring.scale import Scale
from scoring.scorecards import (
    _STATUS_SQL,
    Scorecard,
    SeatStatus,
    _active_ids,
    _load,
    _seat_status,
    candidate_label,
)
from scoring.store import Store, now_utc, parse_stamp, stamp
from scoring.text import NOTE_MAX, RATIONALE_MAX, REASON_MAX, check_length

Verdict = Literal["hire", "no_hire"]
STRATEGY_KINDS = ("manager", "vote", "committee")


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
) -> Case:
    """The engine's input for a panel: overall and criteria on their own scales and weights."""
    strategy = strategy or opening.strategy
    if force is not None:
        strategy = strategy.model_copy(update={"force_extremes": force})
    rubrics: dict[str, Any] = {}
    scorecards = []
    for label, card in zip(_labels(cards), cards, strict=True):
        if card.rubric_hash not in rubrics:
            rubrics[card.rubric_hash] = rubric_snapshot(db, card.rubric_hash)
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


@dataclass(frozen=True)
class DecisionRecord:
    """One recorded decision (a later one supersedes, never erases)."""

    id: int
    outcome: Verdict
    decided_by: str
    decided_at: datetime
    rationale: str
    accepts_responsibility: bool
    strategy: dict[str, Any]
    engine_result: dict[str, Any]


@dataclass(frozen=True)
class VoteRecord:
    """A committee member's vote in force (their latest) with its note."""

    member_id: int
    member: str
    vote: Verdict
    note: str
    cast_at: datetime
    changes: int = 0  # how many times the member changed their vote before this one


@dataclass(frozen=True)
class Recordable:
    """What the hiring manager may record now, as the opening's strategy allows it."""

    verdicts: tuple[Verdict, ...]  # () when there is nothing to record yet
    reason_required: bool
    responsibility_required: bool
    prompt: str  # what the strategy asks of the hiring manager, in one sentence
    rule: str = ""  # whose vote decides, in words ("The committee's vote"); vote and committee


_WHOSE_VOTE = {"vote": "The panel's vote", "committee": "The committee's vote"}


def recordable(kind: str, rule: Decision) -> Recordable:
    """The verdicts a strategy lets the hiring manager record, given what its rule says
    (under the opening's own forcing setting):

    - manager: hire or no hire, with a rationale and accepted responsibility (L1313);
    - vote and committee: the rule's hire or no hire, confirmed; a tie or conflict
      (needs_discussion) is settled either way with a recorded reason; otherwise nothing yet."""
    if kind == "manager":
        return Recordable(
            ("hire", "no_hire"), True, True, "The panel gives advice and consent; you decide."
        )
    words = OUTCOME_WORDS[rule.outcome]
    if rule.outcome in ("hire", "no_hire"):
        return Recordable(
            (rule.outcome,),
            False,
            False,
            f"{_WHOSE_VOTE[kind]} says {words.lower()}. Record it as the decision.",
            _WHOSE_VOTE[kind],
        )
    if rule.outcome == "needs_discussion":
        return Recordable(
            ("hire", "no_hire"), True, False, "The panel needs discussion. Settle it and say why."
        )
    return Recordable((), False, False, f"Nothing to record yet: {words.lower()}.")


@dataclass(frozen=True)
class DebriefStatus:
    """A candidate's debrief before any score: who is in, whether it is open, and what the
    actor may do here. Everything the page needs to decide what to show is in here."""

    candidate_id: int
    candidate: str
    opening: Opening
    seats: list[SeatStatus]
    is_open: bool
    may_open: bool  # the actor may open the debrief now
    early: bool  # opening now would be early: a reason is required
    hidden: str | None  # why the actor may not see the panel now (None: they may)

    @property
    def active(self) -> list[SeatStatus]:
        """Seats that count (not recused)."""
        return [s for s in self.seats if s.state != "recused"]

    @property
    def missing(self) -> list[SeatStatus]:
        """Seats still without a submitted scorecard."""
        return [s for s in self.active if s.submitted_at is None]


def applicable_strategies(opening: Opening) -> tuple[str, ...]:
    """The strategies that can decide for this opening: every opening has a hiring manager and
    a panel; only an opening with committee members can go to a committee (its own strategy
    is always listed)."""
    return tuple(
        k
        for k in STRATEGY_KINDS
        if k == opening.strategy.kind or k != "committee" or opening.committee_ids
    )


def outcome_words(result: Decision) -> str:
    """An engine outcome in words; while the hiring manager has not decided, the panel's lean
    instead (the manager decides on its advice, and the advice is what the room needs to see)."""
    if result.outcome == "awaiting_manager":
        return lean(result).words
    return OUTCOME_WORDS[result.outcome]


def committee_count(cast: int, members: int, blind: bool) -> str:
    """How many of the committee have voted, in a sentence. The number of votes cast may be
    shown to a member who has not voted yet; which way they went may not (`blind`)."""
    counted = f"{cast} of {members} member{'s' if members != 1 else ''}"
    verb = "has" if cast == 1 else "have"
    if blind:
        return f"{counted} {verb} voted; you will see their votes after yours."
    return f"{counted} {verb} voted."


@dataclass(frozen=True)
class Preview:
    """One strategy that can apply to the opening, on raw and on forced scores."""

    kind: str
    raw: Decision
    forced: Decision
    chosen: bool  # the opening's own strategy

    @property
    def flips(self) -> bool:
        """Does forcing change this strategy's outcome?"""
        return self.raw.outcome != self.forced.outcome


@dataclass(frozen=True)
class Headline:
    """The debrief's headline: what the room reads first. `tone` is an outcome ("hire",
    "no_hire", ...) for the colour."""

    text: str
    tone: str
    detail: str  # one line under it: which scores it is on, and who decides


@dataclass(frozen=True)
class DebriefView:
    """Everything the debrief page shows for one candidate, already access-checked."""

    status: DebriefStatus
    scorecards: list[Scorecard]
    result: Decision  # the opening's strategy, forcing as asked
    raw: Decision  # the same without forcing
    forced: Decision  # the same with forcing
    rule: Decision  # the same with the opening's own forcing setting: what decides
    what_if: dict[str, Decision]  # each strategy that can apply, on the same scores
    previews: list[Preview]  # each strategy that can apply, raw and forced
    opened_at: datetime
    opened_by: str
    early_reason: str | None
    frozen: dict[str, Any]  # the engine's result when the debrief opened
    decisions: list[DecisionRecord]
    votes: list[VoteRecord]  # empty while `votes_hidden`
    votes_hidden: str | None  # why the committee's votes are not shown to the actor
    own_vote: VoteRecord | None
    votes_cast: int  # members who have voted: a number anyone at the debrief may see
    committee_size: int
    may_decide: bool
    may_vote: bool  # cast or change one's vote
    recordable: Recordable | None  # None unless `may_decide`
    # The raw weighted score with its 95% interval, the panel-size advice and "too close to
    # call" (`scoring.uncertainty`); None when no criterion was assessed.
    score_interval: uncertainty.ScoreInterval | None = None
    # The second reading, leniency-adjusted, beside the raw one and never instead of it
    # (`scoring.adjusted`); None for a viewer who may not see the opening's score figures.
    leniency_adjusted: adjusted.AdjustedReading | None = None

    @property
    def candidate_id(self) -> int:
        """The candidate."""
        return self.status.candidate_id

    @property
    def candidate(self) -> str:
        """The candidate's name, or the alias where the actor may not see the name."""
        return self.status.candidate

    @property
    def opening(self) -> Opening:
        """The candidate's opening."""
        return self.status.opening

    @property
    def final(self) -> DecisionRecord | None:
        """The decision in force: the latest one."""
        return self.decisions[-1] if self.decisions else None

    @property
    def frozen_lean(self) -> Verdict | None:
        """Where the panel stood when the debrief opened: the frozen outcome when it was a
        hire or no hire, else the panel's majority then (None when it was tied)."""
        if self.frozen["outcome"] in ("hire", "no_hire"):
            return self.frozen["outcome"]
        yes, no = self.frozen["tally"]["yes"], self.frozen["tally"]["no"]
        return "hire" if yes > no else "no_hire" if no > yes else None

    @property
    def blind_to_votes(self) -> bool:
        """A committee member who has not voted yet: the others' votes are hidden from them,
        and so is everything that follows from those votes."""
        return self.opening.strategy.kind == "committee" and self.votes_hidden is not None

    @property
    def committee_count(self) -> str:
        """'2 of 3 members have voted' (and, to a member who has not, that theirs comes
        first); empty unless the committee decides."""
        if self.opening.strategy.kind != "committee":
            return ""
        return committee_count(self.votes_cast, self.committee_size, self.blind_to_votes)

    @property
    def headline(self) -> Headline:
        """The outcome under the opening's strategy, forcing as asked. While the hiring manager
        has not decided, "Awaiting the hiring manager" tells the room nothing: the panel's lean
        is the headline, and the decision is named as the manager's. A committee member who
        has not voted reads that their vote is awaited, with how many are in, never which
        way they went."""
        result = self.result
        scores = "Forced extremes" if result.forced else "Raw scores"
        if self.blind_to_votes and result.outcome == "awaiting_committee":
            return Headline("Awaiting your vote", "awaiting_committee", self.committee_count)
        if result.outcome != "awaiting_manager":
            return Headline(OUTCOME_WORDS[result.outcome], result.outcome, scores)
        panel = lean(result)
        who = "your decision" if self.may_decide else "the hiring manager decides"
        tone = panel.verdict or "needs_discussion"
        return Headline(
            f"{panel.words} — {who}", tone, f"{scores} · the panel gives advice and consent"
        )

    @property
    def standing(self) -> str:
        """Where the panel stood when the debrief opened, in one sentence."""
        tally = self.frozen["tally"]
        counts = f"{tally['yes']} yes, {tally['no']} no, {tally['undecided']} undecided"
        outcome = self.frozen["outcome"]
        if outcome in ("hire", "no_hire"):
            return f"When the debrief opened the panel said {OUTCOME_WORDS[outcome]}: {counts}."
        stood = self.frozen_lean
        if stood is None:
            return f"When the debrief opened the panel had no lean: {counts}."
        return (
            f"When the debrief opened the panel leaned {OUTCOME_WORDS[stood].lower()}: {counts}"
            f" ({OUTCOME_WORDS[outcome].lower()})."
        )

    @property
    def changed_since_opening(self) -> bool:
        """Does the decision in force go against where the panel stood at opening?"""
        lean = self.frozen_lean
        return self.final is not None and lean is not None and self.final.outcome != lean

    @property
    def flipped_by_forcing(self) -> list[str]:
        """Interviewers whose position changes when scores are forced to the extremes."""
        return [
            raw.interviewer
            for raw, forced in zip(self.raw.positions, self.forced.positions, strict=True)
            if raw.position != forced.position
        ]


def _votes(db: Database, candidate_id: int) -> list[VoteRecord]:
    """Each member's vote in force: their latest (votes are appended, never changed)."""
    rows = db.execute(
        """SELECT v.*, p.name,
                  (SELECT COUNT(*) - 1 FROM committee_votes e
                   WHERE e.candidate_id = v.candidate_id AND e.member_id = v.member_id) AS changes
           FROM committee_votes v JOIN people p ON p.id = v.member_id
           WHERE v.id IN (SELECT MAX(id) FROM committee_votes WHERE candidate_id = ?
                          GROUP BY member_id)
           ORDER BY v.id""",
        [candidate_id],
    ).fetchall()
    return [
        VoteRecord(
            r["member_id"],
            r["name"],
            r["vote"],
            r["note"],
            parse_stamp(r["cast_at"]),
            r["changes"],
        )
        for r in rows
    ]


def _engine_votes(votes: list[VoteRecord]) -> list[CommitteeVote]:
    return [CommitteeVote(member=f"{v.member} #{v.member_id}", vote=v.vote) for v in votes]


def _board(db: Database, candidate_id: int, at: datetime) -> list[SeatStatus]:
    rows = db.execute(
        _STATUS_SQL + " WHERE i.candidate_id = ? ORDER BY i.position, a.id", [candidate_id]
    ).fetchall()
    return [_seat_status(r, at) for r in rows]


def _status(db: Database, actor: Person, facts: CandidateFacts, at: datetime) -> DebriefStatus:
    return DebriefStatus(
        candidate_id=facts.candidate_id,
        candidate=candidate_label(db, actor, facts.candidate_id, facts),
        opening=_opening(db, facts.opening_id),
        seats=_board(db, facts.candidate_id, at),
        is_open=facts.debrief_open,
        may_open=may(actor, "open_debrief", facts),
        early=not facts.all_in,
        hidden=why_not(actor, "see_scores", facts),
    )


def status(
    store: Store, actor: Person, candidate_id: int, now: datetime | None = None
) -> DebriefStatus:
    """The debrief page's frame for the opening's hiring manager or committee: who is in,
    whether it is open, and what the actor may do (open it, early or not; see the panel)."""
    with store.read() as db:
        actor = current(db, actor)
        facts = candidate_facts(db, candidate_id)
        ensure(actor, "see_debrief", facts)
        return _status(db, actor, facts, now or now_utc())


def open_debrief(
    store: Store,
    actor: Person,
    candidate_id: int,
    reason: str | None = None,
    now: datetime | None = None,
) -> None:
    """The hiring manager opens the debrief: when every non-recused scorecard is in, or early
    with a reason that is recorded. The panel's outcome at this moment is frozen."""
    at = now or now_utc()
    check_length("reason", reason, REASON_MAX)
    with store.write() as db:
        actor = current(db, actor)
        facts = candidate_facts(db, candidate_id)
        ensure(actor, "open_debrief", facts)
        opening = _opening(db, facts.opening_id)
        early = not facts.all_in
        if early and not (reason or "").strip():
            missing = facts.missing
            raise InvalidInput(
                f"reason: {missing} scorecard{'s are' if missing != 1 else ' is'} still missing;"
                " say why the debrief opens early"
            )
        cards = _load(db, _active_ids(db, candidate_id))
        frozen = decide(build_case(db, opening, cards)).to_json()
        db.execute(
            "INSERT INTO debriefs (candidate_id, opened_at, opened_by, early_reason, frozen_result)"
            " VALUES (?, ?, ?, ?, ?)",
            [
                candidate_id,
                stamp(at),
                actor.id,
                reason.strip() if early and reason else None,
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
            reason=reason,
            digest=audit.row_digest(db, "debriefs", candidate_id),
        )


def _manager_of(opening: Opening, decisions: list[DecisionRecord]) -> ManagerDecision | None:
    """The decision in force as the engine's manager input (manager strategy only)."""
    if opening.strategy.kind != "manager" or not decisions:
        return None
    final = decisions[-1]
    return ManagerDecision(
        decision=final.outcome,
        by=final.decided_by,
        rationale=final.rationale or "-",
        accepts_responsibility=True,
    )


class _Panel:
    """One candidate's panel as the actor may see it, ready to run through the engine: the
    decision and votes only where the actor may see them (a committee member who has not
    voted gets the committee's outcome without the others' votes)."""

    def __init__(self, db: Database, actor: Person, facts: CandidateFacts, opening: Opening):
        self.db, self.opening = db, opening
        self.cards = _load(db, _active_ids(db, facts.candidate_id))
        self.decisions = (
            _decisions(db, facts.candidate_id) if may(actor, "see_decision", facts) else []
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

    def _run(self, strategy: Strategy, forced: bool | None) -> Decision:
        return decide(
            build_case(
                self.db,
                self.opening,
                self.cards,
                strategy=strategy,
                force=forced,
                manager_decision=_manager_of(self.opening, self.decisions)
                if strategy.kind == "manager"
                else None,
                committee_votes=_engine_votes(self.votes) if strategy.kind == "committee" else [],
            )
        )


def debrief(
    store: Store,
    actor: Person,
    candidate_id: int,
    force: bool | None = None,
    now: datetime | None = None,
) -> DebriefView:
    """The open debrief for the opening's hiring manager or a committee member, once they may
    see the panel. `force` overrides the strategy's forcing for this view (the page's toggle)."""
    with store.read() as db:
        actor = current(db, actor)
        facts = candidate_facts(db, candidate_id)
        ensure(actor, "see_packet", facts)
        frame = _status(db, actor, facts, now or now_utc())
        opening = frame.opening
        panel = _Panel(db, actor, facts, opening)
        opened = db.execute(
            "SELECT d.*, p.name FROM debriefs d JOIN people p ON p.id = d.opened_by"
            " WHERE candidate_id = ?",
            [candidate_id],
        ).fetchone()
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
        rule = panel.run(opening.strategy)
        may_decide = may(actor, "decide", facts)
        scored = [c for c in panel.cards if any(e.score is not None for e in c.criteria.values())]
        interval = uncertainty.score_interval(
            chosen.raw.score,
            len(scored),
            uncertainty.rater_error(db, actor, opening.id, str(store.path)),
            opening,
            after_reveal=sum(c.saw_others for c in scored),
        )
        adjusted_reading = adjusted.reading(
            [(c.interviewer_id, c.overall) for c in panel.cards],
            adjusted.opening_leniency(db, actor, opening.id, str(store.path)),
            Scale(opening.scale.min, opening.scale.max),
        )
        return DebriefView(
            status=frame,
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
            own_vote=next((v for v in _votes(db, candidate_id) if v.member_id == actor.id), None),
            votes_cast=panel.votes_cast,
            committee_size=panel.committee_size,
            may_decide=may_decide,
            may_vote=may(actor, "vote", facts),
            recordable=recordable(opening.strategy.kind, rule) if may_decide else None,
            score_interval=interval,
            leniency_adjusted=adjusted_reading,
        )


def decision_records(db: Database, ids: list[int]) -> dict[int, list[DecisionRecord]]:
    """Every recorded decision of each candidate, oldest first (one query; the last is the
    decision in force)."""
    found: dict[int, list[DecisionRecord]] = {i: [] for i in ids}
    if not ids:
        return found
    for r in db.execute(
        f"""SELECT d.*, p.name FROM decisions d JOIN people p ON p.id = d.decided_by
            WHERE d.candidate_id IN ({",".join("?" * len(ids))}) ORDER BY d.id""",
        ids,
    ):
        found[r["candidate_id"]].append(
            DecisionRecord(
                id=r["id"],
                outcome=r["outcome"],
                decided_by=r["name"],
                decided_at=parse_stamp(r["decided_at"]),
                rationale=r["rationale"],
                accepts_responsibility=bool(r["accepts_responsibility"]),
                strategy=json.loads(r["strategy"]),
                engine_result=json.loads(r["engine_result"]),
            )
        )
    return found


def _decisions(db: Database, candidate_id: int) -> list[DecisionRecord]:
    return decision_records(db, [candidate_id])[candidate_id]


def cast_vote(
    store: Store,
    actor: Person,
    candidate_id: int,
    vote: Verdict,
    note: str = "",
    now: datetime | None = None,
) -> None:
    """A committee member votes on the packet once the debrief is open; they may change their
    vote (a new one is appended, the latest counts) until the decision is recorded."""
    at = now or now_utc()
    if vote not in ("hire", "no_hire"):
        raise InvalidInput("vote: Choose hire or no hire.")
    check_length("note", note, NOTE_MAX)
    with store.write() as db:
        actor = current(db, actor)
        facts = candidate_facts(db, candidate_id)
        ensure(actor, "vote", facts)
        changing = actor.id in facts.voter_ids
        vote_id = db.execute(
            "INSERT INTO committee_votes (candidate_id, member_id, vote, note, cast_at)"
            " VALUES (?, ?, ?, ?, ?)",
            [candidate_id, actor.id, vote, (note or "").strip(), stamp(at)],
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


def record_decision(
    store: Store,
    actor: Person,
    candidate_id: int,
    outcome: Verdict,
    rationale: str = "",
    accepts_responsibility: bool = False,
    now: datetime | None = None,
) -> DecisionRecord:
    """The hiring manager records the decision, as the opening's strategy allows it
    (`recordable`). Appended with the strategy and the engine's result; a later decision
    supersedes."""
    at = now or now_utc()
    rationale = (rationale or "").strip()
    with store.write() as db:
        actor = current(db, actor)
        facts = candidate_facts(db, candidate_id)
        ensure(actor, "decide", facts)
        opening = _opening(db, facts.opening_id)
        strategy = opening.strategy
        panel = _Panel(db, actor, facts, opening)
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
        case = build_case(
            db,
            opening,
            panel.cards,
            manager_decision=manager,
            committee_votes=_engine_votes(panel.votes),
        )
        try:
            result = decide(case)
        except InvalidCase as exc:
            raise InvalidInput(str(exc)) from None
        decision_id = db.execute(
            """INSERT INTO decisions (candidate_id, outcome, decided_by, decided_at, rationale,
                 accepts_responsibility, strategy, engine_result)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?)""",
            [
                candidate_id,
                outcome,
                actor.id,
                stamp(at),
                rationale,
                int(accepts_responsibility),
                strategy.model_dump_json(),
                json.dumps(result.to_json()),
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
        return next(d for d in _decisions(db, candidate_id) if d.id == decision_id)


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


# ------------------------------------------------------------------------------------ day view


@dataclass(frozen=True)
class DayRow:
    """One candidate on the opening's day view. Outcome and flags only where the actor may see
    that candidate's scores now, the decision only where they may see it; `hidden` says why
    not, and `note` is the short word for the row when the actor's own scorecard is missing."""

    candidate_id: int
    candidate: str
    expected: int
    submitted: int
    overdue: int
    debrief_open: bool
    outcome: str | None
    flags: tuple[str, ...]
    score: float | None
    decision: str | None
    decided_by: str | None
    hidden: str | None
    note: str = ""


def debrief_openings(store: Store, actor: Person) -> list[Opening]:
    """The openings whose debriefs the actor may run or sit in."""
    return list_openings(store, actor, "see_debriefs")


def _midnight(day: date, zone: tzinfo) -> datetime:
    """The start of a day where the viewer is (a zone's day may not be 24 hours)."""
    return datetime(day.year, day.month, day.day, tzinfo=zone)


def interview_days(
    store: Store,
    actor: Person,
    opening_id: int,
    around: date | None = None,
    each_way: int = 14,
    zone: tzinfo = UTC,
) -> list[date]:
    """Days on which the opening has interviews, newest first: up to `each_way` days after
    `around` (default today) and `each_way` on or before it, as days in `zone` (the viewer's).
    Each step walks the start-time index to the next day with one of this opening's sessions,
    so a long history costs nothing."""
    centre = around or now_utc().astimezone(zone).date()
    midnight = _midnight(centre + timedelta(days=1), zone)
    with store.read() as db:
        ensure(current(db, actor), "see_debriefs", opening_facts(db, opening_id))

        def step(bound: datetime, later: bool) -> date | None:
            row = db.execute(
                f"""SELECT i.starts_at FROM interview_sessions i INDEXED BY sessions_by_start
                    JOIN candidates c ON c.id = i.candidate_id
                    WHERE i.starts_at {">=" if later else "<"} ? AND c.opening_id = ?
                    ORDER BY i.starts_at {"ASC" if later else "DESC"} LIMIT 1""",
                [stamp(bound), opening_id],
            ).fetchone()
            return parse_stamp(row["starts_at"]).astimezone(zone).date() if row else None

        days: list[date] = []
        for later in (True, False):
            bound = midnight
            for _ in range(each_way):
                found = step(bound, later)
                if found is None:
                    break
                days.append(found)
                bound = _midnight(found + timedelta(days=1) if later else found, zone)
    return sorted(set(days), reverse=True)


def day_view(
    store: Store,
    actor: Person,
    opening_id: int,
    day: date,
    now: datetime | None = None,
    zone: tzinfo = UTC,
) -> list[DayRow]:
    """The candidates of an opening interviewed on `day` (a day in `zone`, the viewer's):
    status, outcome, flags, decision."""
    at = now or now_utc()
    start, end = _midnight(day, zone), _midnight(day + timedelta(days=1), zone)
    with store.read() as db:
        actor = current(db, actor)
        ensure(actor, "see_debriefs", opening_facts(db, opening_id))
        opening = _opening(db, opening_id)
        ids = [
            r[0]
            for r in db.execute(
                """SELECT i.candidate_id, MIN(i.starts_at) AS first
                   FROM interview_sessions i INDEXED BY sessions_by_start
                   JOIN candidates c ON c.id = i.candidate_id
                   WHERE c.opening_id = ? AND i.starts_at >= ? AND i.starts_at < ?
                   GROUP BY i.candidate_id ORDER BY first""",
                [opening_id, stamp(start), stamp(end)],
            )
        ]
        rows = []
        for candidate_id in ids:
            facts = candidate_facts(db, candidate_id)
            active = [s for s in _board(db, candidate_id, at) if s.state != "recused"]
            hidden = why_not(actor, "see_scores", facts)
            result = None
            if hidden is None:
                result = _Panel(db, actor, facts, opening).run(opening.strategy)
            final = _decisions(db, candidate_id)[-1:] if may(actor, "see_decision", facts) else []
            rows.append(
                DayRow(
                    candidate_id=candidate_id,
                    candidate=candidate_label(db, actor, candidate_id, facts),
                    expected=len(active),
                    submitted=sum(s.submitted_at is not None for s in active),
                    overdue=sum(s.state == "overdue" for s in active),
                    debrief_open=facts.debrief_open,
                    outcome=result.outcome if result else None,
                    flags=tuple(result.flags) if result else (),
                    score=result.score if result else None,
                    decision=final[0].outcome if final else None,
                    decided_by=final[0].decided_by if final else None,
                    hidden=hidden,
                    note="Submit your own scorecard first" if hidden == OWN_FIRST else "",
                )
            )
        return rows
