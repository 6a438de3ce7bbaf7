"""The debrief: opening it, what the panel says under each strategy, votes and decisions.

Every outcome here comes from `scoring.engine.decide`; this module only gathers the panel (through
the access rules) into an engine `Case` and keeps what was decided, append-only.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any, Literal

from sqlite_utils import Database

from scoring import audit
from scoring.access import (
    Person,
    candidate_facts,
    current,
    panel_refusal,
    require_panel_access,
)
from scoring.engine import (
    Case,
    CommitteeVote,
    Decision,
    InvalidCase,
    ManagerDecision,
    ScorecardIn,
    Strategy,
    decide,
)
from scoring.errors import InvalidInput, NotAllowed
from scoring.openings import Opening, _opening, rubric_snapshot
from scoring.scorecards import Scorecard, _active_ids, _load, candidate_label
from scoring.store import Store, now_utc, parse_stamp, stamp

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
    """A committee member's vote with their note."""

    member_id: int
    member: str
    vote: Verdict
    note: str
    cast_at: datetime


@dataclass(frozen=True)
class DebriefView:
    """Everything the debrief page shows for one candidate, already access-checked."""

    candidate_id: int
    candidate: str
    opening: Opening
    scorecards: list[Scorecard]
    result: Decision  # the opening's strategy, forcing as asked
    raw: Decision  # the same without forcing
    forced: Decision  # the same with forcing
    what_if: dict[str, Decision]  # each strategy on the same scores
    opened_at: datetime
    opened_by: str
    early_reason: str | None
    frozen: dict[str, Any]  # the engine's result when the debrief opened
    decisions: list[DecisionRecord]
    votes: list[VoteRecord]
    may_decide: bool  # the viewer is the hiring manager: records the decision
    may_vote: bool  # the viewer is on the committee of a committee opening and has not voted

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


def _require_manager(person: Person, opening: Opening) -> None:
    if person.id != opening.hiring_manager_id:
        raise NotAllowed("Only the hiring manager of this opening can do this.")


def _votes(db: Database, candidate_id: int) -> list[VoteRecord]:
    rows = db.execute(
        """SELECT v.*, p.name FROM committee_votes v JOIN people p ON p.id = v.member_id
           WHERE v.candidate_id = ? ORDER BY v.id""",
        [candidate_id],
    ).fetchall()
    return [
        VoteRecord(r["member_id"], r["name"], r["vote"], r["note"], parse_stamp(r["cast_at"]))
        for r in rows
    ]


def _engine_votes(votes: list[VoteRecord]) -> list[CommitteeVote]:
    return [CommitteeVote(member=f"{v.member} #{v.member_id}", vote=v.vote) for v in votes]


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
    with store.write() as db:
        person = current(db, actor)
        facts = candidate_facts(db, candidate_id)
        opening = _opening(db, facts.opening_id)
        _require_manager(person, opening)
        if facts.debrief_open:
            raise InvalidInput("The debrief is already open.")
        if facts.seats_of(person.id) and not facts.own_all_submitted(person.id):
            raise NotAllowed("Submit your own scorecard for this candidate first.")
        early = not facts.all_in
        if early and not (reason or "").strip():
            missing = sum(1 for s in facts.seats if not s.recused and not s.submitted)
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
                person.id,
                reason.strip() if early and reason else None,
                json.dumps(frozen),
            ],
        )
        audit.record(
            db,
            person.id,
            "open_debrief",
            f"candidate:{candidate_id}",
            at,
            early=early,
            reason=reason,
        )


def is_open(store: Store, candidate_id: int) -> bool:
    """Has the debrief been opened? (A status fact, no scores.)"""
    with store.read() as db:
        return candidate_facts(db, candidate_id).debrief_open


def debrief(
    store: Store, actor: Person, candidate_id: int, force: bool | None = None
) -> DebriefView:
    """The open debrief for the hiring manager or a committee member of the opening.
    `force` overrides the strategy's forcing for this view (the page's toggle)."""
    with store.read() as db:
        person = current(db, actor)
        facts = candidate_facts(db, candidate_id)
        opening = _opening(db, facts.opening_id)
        if person.id not in (opening.hiring_manager_id, *opening.committee_ids):
            raise NotAllowed("The debrief is for the hiring manager and the committee.")
        require_panel_access(person, facts)
        cards = _load(db, _active_ids(db, candidate_id))
        votes = _votes(db, candidate_id)
        decisions = _decisions(db, candidate_id)
        opened = db.execute(
            "SELECT d.*, p.name FROM debriefs d JOIN people p ON p.id = d.opened_by"
            " WHERE candidate_id = ?",
            [candidate_id],
        ).fetchone()
        engine_votes = _engine_votes(votes)
        manager = _manager_of(opening, decisions)

        def run(strategy: Strategy, forced: bool) -> Decision:
            return decide(
                build_case(
                    db,
                    opening,
                    cards,
                    strategy=strategy,
                    force=forced,
                    manager_decision=manager if strategy.kind == "manager" else None,
                    committee_votes=engine_votes if strategy.kind == "committee" else [],
                )
            )

        forced_on = opening.strategy.force_extremes if force is None else force
        what_if = {
            kind: run(opening.strategy.model_copy(update={"kind": kind}), forced_on)
            for kind in STRATEGY_KINDS
        }
        return DebriefView(
            candidate_id=candidate_id,
            candidate=candidate_label(db, person, candidate_id),
            opening=opening,
            scorecards=cards,
            result=what_if[opening.strategy.kind],
            raw=run(opening.strategy, False),
            forced=run(opening.strategy, True),
            what_if=what_if,
            opened_at=parse_stamp(opened["opened_at"]),
            opened_by=opened["name"],
            early_reason=opened["early_reason"],
            frozen=json.loads(opened["frozen_result"]),
            decisions=decisions,
            votes=votes,
            may_decide=person.id == opening.hiring_manager_id,
            may_vote=opening.strategy.kind == "committee"
            and person.id in opening.committee_ids
            and person.id not in [v.member_id for v in votes],
        )


def _decisions(db: Database, candidate_id: int) -> list[DecisionRecord]:
    rows = db.execute(
        """SELECT d.*, p.name FROM decisions d JOIN people p ON p.id = d.decided_by
           WHERE d.candidate_id = ? ORDER BY d.id""",
        [candidate_id],
    ).fetchall()
    return [
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
        for r in rows
    ]


def cast_vote(
    store: Store,
    actor: Person,
    candidate_id: int,
    vote: Verdict,
    note: str = "",
    now: datetime | None = None,
) -> None:
    """A committee member votes on the packet, once the debrief is open. One vote each."""
    at = now or now_utc()
    if vote not in ("hire", "no_hire"):
        raise InvalidInput(f"vote: must be hire or no_hire (got {vote!r})")
    with store.write() as db:
        person = current(db, actor)
        facts = candidate_facts(db, candidate_id)
        if person.id not in facts.committee_ids:
            raise NotAllowed("Only the opening's committee members vote.")
        require_panel_access(person, facts)
        if db.execute(
            "SELECT 1 FROM committee_votes WHERE candidate_id = ? AND member_id = ?",
            [candidate_id, person.id],
        ).fetchone():
            raise InvalidInput("You have already voted on this candidate.")
        db.execute(
            "INSERT INTO committee_votes (candidate_id, member_id, vote, note, cast_at)"
            " VALUES (?, ?, ?, ?, ?)",
            [candidate_id, person.id, vote, (note or "").strip(), stamp(at)],
        )
        audit.record(db, person.id, "vote", f"candidate:{candidate_id}", at, vote=vote)


def record_decision(
    store: Store,
    actor: Person,
    candidate_id: int,
    outcome: Verdict,
    rationale: str = "",
    accepts_responsibility: bool = False,
    now: datetime | None = None,
) -> DecisionRecord:
    """The hiring manager records the decision, as the opening's strategy allows:

    - manager: their decision, with a rationale and accepted responsibility (L1313);
    - vote and committee: the rule's outcome is confirmed; a tie or a conflict
      (needs_discussion) is settled by the hiring manager with a recorded reason.
    Appended with the strategy and the engine's result; a later decision supersedes."""
    at = now or now_utc()
    if outcome not in ("hire", "no_hire"):
        raise InvalidInput("outcome: choose hire or no hire")
    rationale = (rationale or "").strip()
    with store.write() as db:
        person = current(db, actor)
        facts = candidate_facts(db, candidate_id)
        opening = _opening(db, facts.opening_id)
        _require_manager(person, opening)
        if not facts.debrief_open:
            raise InvalidInput("Open the debrief before recording a decision.")
        cards = _load(db, _active_ids(db, candidate_id))
        strategy = opening.strategy
        manager = None
        if strategy.kind == "manager":
            try:
                manager = ManagerDecision(
                    decision=outcome,
                    by=person.name,
                    rationale=rationale,
                    accepts_responsibility=accepts_responsibility,
                )
            except Exception as exc:  # pydantic's own error: re-say it plainly
                raise InvalidInput(f"decision: {exc}") from None
        case = build_case(
            db,
            opening,
            cards,
            manager_decision=manager,
            committee_votes=_engine_votes(_votes(db, candidate_id)),
        )
        try:
            result = decide(case)
        except InvalidCase as exc:
            raise InvalidInput(str(exc)) from None
        if strategy.kind != "manager":
            _check_confirmation(strategy.kind, result, outcome, rationale)
        decision_id = db.execute(
            """INSERT INTO decisions (candidate_id, outcome, decided_by, decided_at, rationale,
                 accepts_responsibility, strategy, engine_result)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?)""",
            [
                candidate_id,
                outcome,
                person.id,
                stamp(at),
                rationale,
                int(accepts_responsibility),
                strategy.model_dump_json(),
                json.dumps(result.to_json()),
            ],
        ).lastrowid
        audit.record(db, person.id, "decide", f"candidate:{candidate_id}", at, outcome=outcome)
        return next(d for d in _decisions(db, candidate_id) if d.id == decision_id)


def _check_confirmation(kind: str, result: Decision, outcome: str, rationale: str) -> None:
    words = result.outcome.replace("_", " ")
    if result.outcome in ("hire", "no_hire"):
        if outcome != result.outcome:
            raise InvalidInput(
                f"outcome: the {kind} says {words}; the hiring manager confirms it, not reverses it"
            )
    elif result.outcome == "needs_discussion":
        if not rationale:
            raise InvalidInput(
                "rationale: the panel needs discussion; say how it was settled and why"
            )
    else:
        raise InvalidInput(f"outcome: nothing to confirm yet ({words})")


# ------------------------------------------------------------------------------------ day view


@dataclass(frozen=True)
class DayRow:
    """One candidate on the opening's day view. Outcome and flags only where the person may see
    that candidate's scores now; otherwise `hidden` says why."""

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


def _require_debrief_seat(person: Person, opening: Opening) -> None:
    if person.id not in (opening.hiring_manager_id, *opening.committee_ids):
        raise NotAllowed("The debrief is for the opening's hiring manager and committee.")


def debrief_openings(store: Store, actor: Person) -> list[Opening]:
    """The openings the person manages or sits on the committee of."""
    with store.read() as db:
        person = current(db, actor)
        ids = [
            r[0]
            for r in db.execute(
                """SELECT id FROM openings WHERE hiring_manager_id = :p
                   UNION SELECT opening_id FROM opening_committee WHERE person_id = :p""",
                {"p": person.id},
            )
        ]
        return [_opening(db, i) for i in sorted(ids)]


def opening_of(store: Store, actor: Person, candidate_id: int) -> Opening:
    """The opening of a candidate, for its hiring manager or committee; NotAllowed otherwise."""
    with store.read() as db:
        person = current(db, actor)
        opening = _opening(db, candidate_facts(db, candidate_id).opening_id)
        _require_debrief_seat(person, opening)
        return opening


def interview_days(
    store: Store, actor: Person, opening_id: int, around: date | None = None, each_way: int = 14
) -> list[date]:
    """Days on which the opening has interviews, newest first: up to `each_way` days after
    `around` (default today) and `each_way` on or before it. Each step walks the start-time
    index to the next day with one of this opening's sessions, so a long history costs nothing."""
    centre = around or now_utc().date()
    midnight = datetime(centre.year, centre.month, centre.day, tzinfo=UTC) + timedelta(days=1)
    with store.read() as db:
        person = current(db, actor)
        _require_debrief_seat(person, _opening(db, opening_id))

        def step(bound: datetime, later: bool) -> date | None:
            row = db.execute(
                f"""SELECT i.starts_at FROM interview_sessions i INDEXED BY sessions_by_start
                    JOIN candidates c ON c.id = i.candidate_id
                    WHERE i.starts_at {">=" if later else "<"} ? AND c.opening_id = ?
                    ORDER BY i.starts_at {"ASC" if later else "DESC"} LIMIT 1""",
                [stamp(bound), opening_id],
            ).fetchone()
            return parse_stamp(row["starts_at"]).date() if row else None

        days: list[date] = []
        for later in (True, False):
            bound = midnight
            for _ in range(each_way):
                found = step(bound, later)
                if found is None:
                    break
                days.append(found)
                start_of = datetime(found.year, found.month, found.day, tzinfo=UTC)
                bound = start_of + timedelta(days=1) if later else start_of
    return sorted(set(days), reverse=True)


def day_view(
    store: Store, actor: Person, opening_id: int, day: date, now: datetime | None = None
) -> list[DayRow]:
    """The candidates of an opening interviewed on `day`: status, outcome, flags, decision."""
    from scoring.scorecards import _STATUS_SQL, _seat_status

    at = now or now_utc()
    start = datetime(day.year, day.month, day.day, tzinfo=at.tzinfo)
    with store.read() as db:
        person = current(db, actor)
        opening = _opening(db, opening_id)
        _require_debrief_seat(person, opening)
        ids = [
            r[0]
            for r in db.execute(
                """SELECT i.candidate_id, MIN(i.starts_at) AS first
                   FROM interview_sessions i INDEXED BY sessions_by_start
                   JOIN candidates c ON c.id = i.candidate_id
                   WHERE c.opening_id = ? AND i.starts_at >= ? AND i.starts_at < ?
                   GROUP BY i.candidate_id ORDER BY first""",
                [opening_id, stamp(start), stamp(start + timedelta(days=1))],
            )
        ]
        rows = []
        for candidate_id in ids:
            facts = candidate_facts(db, candidate_id)
            seats = [
                _seat_status(r, at)
                for r in db.execute(_STATUS_SQL + " WHERE i.candidate_id = ?", [candidate_id])
            ]
            active = [s for s in seats if s.state != "recused"]
            decisions = _decisions(db, candidate_id)
            hidden = panel_refusal(person, facts)
            result = None
            if hidden is None:
                cards = _load(db, _active_ids(db, candidate_id))
                votes = _engine_votes(_votes(db, candidate_id))
                manager = _manager_of(opening, decisions)
                result = decide(
                    build_case(db, opening, cards, manager_decision=manager, committee_votes=votes)
                )
            rows.append(
                DayRow(
                    candidate_id=candidate_id,
                    candidate=candidate_label(db, person, candidate_id),
                    expected=len(active),
                    submitted=sum(s.submitted_at is not None for s in active),
                    overdue=sum(s.state == "overdue" for s in active),
                    debrief_open=facts.debrief_open,
                    outcome=result.outcome if result else None,
                    flags=tuple(result.flags) if result else (),
                    score=result.score if result else None,
                    decision=decisions[-1].outcome if decisions else None,
                    decided_by=decisions[-1].decided_by if decisions else None,
                    hidden=hidden,
                )
            )
        return rows


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
