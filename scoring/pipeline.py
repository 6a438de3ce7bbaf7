"""The pipeline: every candidate of one opening, where each stands, a page of rows at a time.

A hiring manager (or committee member) sees the whole opening at once instead of one interview
day: interview date, sessions and scorecards in, what is overdue, whether the debrief is open,
the engine's outcome and the decision, by stage:

- **waiting**: not every non-recused scorecard is in (or nobody is scheduled yet);
- **ready**: every scorecard is in, the debrief is not open yet;
- **awaiting_decision**: the debrief is open, nothing is decided;
- **decided**: a decision is recorded.

**Needs me** marks (and filters) the candidates where the viewer has something to do: to
score (their own seat is unsubmitted), to open (they are the hiring manager and every scorecard
is in), to decide (hiring manager, debrief open, nothing decided) or to vote (committee member,
debrief open, their vote not cast). `needs_of` is the rule on one candidate's facts, through the
permission table; `_needs_sql` is the same rule in SQL for the filter and its count.

Where an opening's process has stages before or after the on-site loop (issue 27), each row also
says how the candidate stands in the stage they are in, and which it is (`step_words`): pending,
rejected, withdrawn, hired (or passed, after a last screen), read for the page's rows in one batch
(`scoring.stages.progress`). The loop's outcome is the decision: whoever may not see the
decision sees the loop as pending.

Cost follows the work, not the history: the stage counts are one SQL aggregate (an indexed
EXISTS or two per candidate, no Python per candidate), and everything else — facts, seats,
scorecards, decisions, votes, the engine — is loaded for the page's rows only, in a few
set-based queries. Outcome and decision follow the permission table row by row: whoever has an
unsubmitted seat on a candidate sees that row without them, and `hidden` says why. A committee
member who has not voted sees how many members have, never which way: their row's outcome is
worked out without the others' votes.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, tzinfo
from functools import partial
from typing import Any, Literal

from scoring.database import Database
from scoring.debrief import build_case, committee_count
from scoring.engine import (
    OUTCOME_WORDS,
    CommitteeVote,
    Decision,
    Lean,
    ManagerDecision,
    Strategy,
    decide,
    lean,
)
from scoring.errors import InvalidInput
from scoring.guards import Granted, guarded
from scoring.models.openings import Opening
from scoring.models.stages import Progress
from scoring.models.stages import Stage as ProcessStage
from scoring.models.status import SeatStatus, seat_status
from scoring.opening_record import load as load_opening
from scoring.permissions import (
    OWN_FIRST,
    CandidateFacts,
    OpeningFacts,
    Person,
    candidates_facts,
    may,
    opening_facts,
    why_not,
)
from scoring.queries import pipeline as Q
from scoring.scorecards import load_scorecards
from scoring.stages import process as opening_process
from scoring.stages import progress as candidates_progress
from scoring.store import now_utc, parse_stamp, stamp

Stage = Literal["waiting", "ready", "awaiting_decision", "decided"]
STAGES: tuple[Stage, ...] = ("waiting", "ready", "awaiting_decision", "decided")
STAGE_WORDS = {
    "waiting": "Waiting for scorecards",
    "ready": "Ready to debrief",
    "awaiting_decision": "Awaiting decision",
    "decided": "Decided",
}
"""Each stage in words."""

Need = Literal["score", "open", "decide", "vote"]
NEEDS: tuple[Need, ...] = ("score", "open", "decide", "vote")
NEED_WORDS = {"score": "Score", "open": "Open", "decide": "Decide", "vote": "Vote"}
"""What the viewer has to do for a candidate, as a word for the table."""

StepState = Literal["pending", "rejected", "withdrawn", "hired", "passed"]
STEP_STATES: dict[str, StepState] = {
    "in_process": "pending",
    "rejected": "rejected",
    "withdrawn": "withdrawn",
    "hired": "hired",
    "done": "passed",  # a process that ends in a screen after the loop, passed
}
"""Where a candidate stands in their stage (`scoring.models.stages.Progress.state`), for the
table."""

PER_PAGE = 25
MAX_PER_PAGE = 200


def _decidable(facts: CandidateFacts, strategy: Strategy) -> bool:
    """Has the rule something to record yet? The hiring manager decides at once; a vote once
    its quorum of scorecards is in; a committee once its quorum of votes is (at least one)."""
    if strategy.kind == "vote":
        return sum(s.submitted and not s.recused for s in facts.seats) >= strategy.quorum
    if strategy.kind == "committee":
        return len(facts.voter_ids) >= max(strategy.quorum, 1)
    return True


def needs_of(
    actor: Person, facts: CandidateFacts, strategy: Strategy, withdrawn: bool = False
) -> tuple[Need, ...]:
    """What `actor` has to do for this candidate now, by the permission table: score (their
    own unsubmitted seat, while they hold the interviewer role), open the debrief (every
    scorecard in), decide (debrief open, nothing decided, and the opening's `strategy` has
    something to record: a vote its quorum of scorecards, a committee its quorum of votes),
    vote (debrief open, their vote not cast). Nothing for a withdrawn candidate."""
    if withdrawn:
        return ()
    found: list[Need] = []
    if actor.has("interviewer") and facts.pending(actor.id):
        found.append("score")
    if may(actor, "open_debrief", facts) and facts.all_in:
        found.append("open")
    if may(actor, "decide", facts) and not facts.decided and _decidable(facts, strategy):
        found.append("decide")
    if may(actor, "vote", facts) and actor.id not in facts.voter_ids:
        found.append("vote")
    return tuple(found)


def _needs_sql(
    actor: Person, opening: OpeningFacts, strategy: Strategy, stage: str
) -> tuple[str, list[Any]]:
    """`needs_of` in SQL (`scoring.queries.pipeline.needs`), with `stage` the SQL of the
    candidate's stage. The powers (roles, the hiring manager, the committee), the strategy and
    whether the actor interviews on this opening at all are the same for every candidate, so
    they choose which tests the statement holds."""
    return Q.needs(
        stage,
        actor_id=actor.id,
        scores=actor.has("interviewer") and opening.actor_interviews,
        interviews=opening.actor_interviews,
        manages=actor.has("hiring_manager") and actor.id == opening.hiring_manager_id,
        votes=actor.has("committee_member")
        and actor.id in opening.committee_ids
        and opening.strategy_kind == "committee",
        strategy_kind=strategy.kind,
        quorum=strategy.quorum,
    )


def stage_of(facts: CandidateFacts) -> Stage:
    """Where a candidate stands: decided, awaiting the decision (debrief open), ready to debrief
    (every non-recused scorecard in) or waiting for scorecards."""
    if facts.decided:
        return "decided"
    if facts.debrief_open:
        return "awaiting_decision"
    return "ready" if facts.all_in else "waiting"


@dataclass(frozen=True)
class PipelineRow:
    """One candidate in the pipeline. `outcome`, `flags`, `score`, `tally`, `lean` and
    `votes_cast` only where the actor may see the candidate's scores now, `decision` only where
    they may see it; `hidden` says why not, and `note` is the short word for a row whose own
    scorecard is missing. `needs` is what the actor has to do here (`needs_of`)."""

    candidate_id: int
    candidate: str  # the alias where the actor may not see the name
    stage: Stage
    interview_at: datetime | None  # the first session's start; None before any is scheduled
    sessions_done: int  # scheduled sessions that have ended
    sessions_planned: int  # the opening's loop (or more, where more were scheduled)
    submitted: int
    expected: int  # non-recused seats
    overdue: int
    debrief_open: bool
    outcome: str | None
    flags: tuple[str, ...]
    score: float | None
    tally: dict[str, int] | None
    decision: str | None
    decided_by: str | None
    hidden: str | None
    note: str = ""
    needs: tuple[Need, ...] = ()
    lean: Lean | None = None
    votes_cast: int | None = None  # committee members who have voted (committee openings)
    committee_size: int = 0
    blind_to_votes: bool = False  # a member who has not voted: the others' votes are hidden
    step: str = ""  # the title of the process stage they are in ("" for the loop alone)
    step_state: StepState | None = None

    @property
    def step_words(self) -> str:
        """How the candidate stands in the process stage they are in, then its title, so that
        a narrow cell still shows the state: "Pending · Resume screen"; "—" for an opening
        whose process is the loop alone."""
        if not self.step or self.step_state is None:
            return "—"
        return f"{self.step_state.capitalize()} · {self.step}"

    @property
    def standing(self) -> str:
        """Where the candidate stands, in the words of the debrief's headline, short enough for
        a table cell: the decision once there is one; before it, once the debrief is open, the
        panel's lean under *hiring manager decides* ("Leans hire · 4 yes · 1 no") and the
        rule's outcome with its counts under a vote or a committee ("Awaiting your vote · 2 of
        3 in" to a member who has not voted: how many have, never which way); otherwise the
        stage ("Ready to debrief"), or why the actor may not see more."""
        if self.note:
            return self.note
        if self.decision is not None:
            return f"{OUTCOME_WORDS[self.decision]} (decided)"
        if self.outcome is None or self.lean is None:
            return STAGE_WORDS[self.stage]
        if self.outcome == "awaiting_manager":
            return self.lean.short
        votes = f"{self.votes_cast} of {self.committee_size} in"
        if self.outcome == "awaiting_committee":
            waiting = "Awaiting your vote" if self.blind_to_votes else "Awaiting votes"
            return f"{waiting} · {votes}"
        # a committee's outcome comes from its votes, a vote's from the panel's scores
        counts = votes if self.votes_cast is not None else self.lean.counts
        return f"{OUTCOME_WORDS[self.outcome]} · {counts}"

    @property
    def committee_count(self) -> str:
        """'2 of 3 members have voted' (to a member who has not: theirs comes first); empty
        where there is no committee vote to count or the actor may not see it."""
        if self.votes_cast is None:
            return ""
        return committee_count(self.votes_cast, self.committee_size, self.blind_to_votes)

    def days_since(self, today: date, zone: tzinfo = UTC) -> int | None:
        """Whole days from the interview day to `today`, both days in `zone` (the viewer's);
        negative before it; None when nothing is scheduled."""
        if self.interview_at is None:
            return None
        return (today - self.interview_at.astimezone(zone).date()).days


@dataclass(frozen=True)
class Pipeline:
    """One page of an opening's pipeline, with the stage counts of the whole opening (under
    the day filter, if any)."""

    opening: Opening
    counts: dict[str, int]  # by stage
    rows: list[PipelineRow]
    stage: Stage | None
    day: date | None
    page: int  # 1-based, clamped to the pages there are
    pages: int
    per_page: int
    needs_me: bool = False  # only the candidates where the viewer has something to do
    needs_total: int = 0  # how many those are (under the day filter, any stage)
    process: tuple[ProcessStage, ...] = ()  # the opening's stages (issue 27)

    @property
    def staged(self) -> bool:
        """Whether the opening's process has stages besides the loop: then each row says which
        one the candidate is in (`PipelineRow.step_words`)."""
        return len(self.process) > 1

    @property
    def total(self) -> int:
        """Candidates matching the filters (all pages)."""
        return self.counts[self.stage] if self.stage else sum(self.counts.values())


def _midnight(day: date, zone: tzinfo) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=zone)


class _Filter:
    """The opening, the interview day (a range of start times) and the stage, as SQL."""

    def __init__(
        self,
        opening_id: int,
        day: date | None,
        zone: tzinfo,
        stage: Stage | None,
        needs: Callable[[str], tuple[str, list[Any]]],
        needs_me: bool,
    ):
        self.opening_id, self.day, self.stage = opening_id, day, stage
        self.needs, self.needs_me = needs, needs_me  # needs: `_needs_sql` for a stage's SQL
        self.range = (
            (stamp(_midnight(day, zone)), stamp(_midnight(day + timedelta(days=1), zone)))
            if day is not None
            else None
        )

    def counts(self, db: Database) -> tuple[dict[str, int], dict[str, int], int]:
        """Candidates by stage, of those how many have no session scheduled yet, and how many
        need the viewer: one aggregate over the opening's candidates (the day's, with a day),
        stage filter aside. Under "needs me" the counts by stage are of those candidates."""
        params = [self.opening_id, *(self.range or ())]
        counts, unscheduled = dict.fromkeys(STAGES, 0), dict.fromkeys(STAGES, 0)
        needing = 0
        # each candidate's stage worked out once, and what needs the viewer tested on it
        mine, mine_params = self.needs(Q.STAGE_COLUMN)
        for stage, n, none, need, need_none in db.execute(
            Q.counts(self.range is not None, mine), [*params, *mine_params]
        ):
            needing += need
            if self.needs_me:
                counts[stage], unscheduled[stage] = need, need_none
            else:
                counts[stage], unscheduled[stage] = n, none
        return counts, unscheduled, needing

    def _narrow(self) -> tuple[str | None, list[Any]]:
        """The "needs me" test (None without it) and the parameters of the stage and "needs me"
        filters, in the order `scoring.queries.pipeline` adds them."""
        params: list[Any] = [self.stage] if self.stage else []
        if not self.needs_me:
            return None, params
        mine, mine_params = self.needs(Q.STAGE_TERM)
        return mine, [*params, *mine_params]

    def unscheduled(self, db: Database, limit: int, offset: int) -> list[int]:
        """Candidates with no session yet (never under a day filter), newest added first."""
        mine, params = self._narrow()
        return [
            r[0]
            for r in db.execute(
                Q.unscheduled(bool(self.stage), mine),
                [self.opening_id, *params, limit, offset],
            )
        ]

    def walk(self, db: Database, newest_first: bool, wanted: int) -> list[int]:
        """The first `wanted` scheduled candidates in interview order: a walk down (or up) the
        start-time index that stops as soon as it has them, so a page costs what it shows (and
        the pages before it), not the opening's history. Newest first orders by a candidate's
        latest session, oldest first by their first."""
        mine, params = self._narrow()
        cursor = db.execute(
            Q.walk(self.range is not None, bool(self.stage), mine, newest_first),
            [self.opening_id, *(self.range or ()), *params],
        )
        found: dict[int, None] = {}
        while len(found) < wanted:
            chunk = cursor.fetchmany(256)
            if not chunk:
                break
            for (candidate_id,) in chunk:
                found.setdefault(candidate_id)
                if len(found) == wanted:
                    break
        cursor.close()
        return list(found)


def _page_ids(
    db: Database,
    where: _Filter,
    total: int,
    unscheduled: int,
    newest_first: bool,
    limit: int,
    offset: int,
) -> list[int]:
    """The page's candidates. Those with no session yet count as the newest (they are the next
    work) and come first newest first, last oldest first; the scheduled ones in interview
    order. The counts say how many of each there are, so each block is read only as far as
    the page reaches."""
    scheduled = total - unscheduled
    blocks = [("unscheduled", unscheduled), ("scheduled", scheduled)]
    ids: list[int] = []
    start = offset
    for kind, size in blocks if newest_first else reversed(blocks):
        if start >= size:
            start -= size
            continue
        take = min(limit - len(ids), size - start)
        if kind == "unscheduled":
            ids += where.unscheduled(db, take, start)
        else:
            ids += where.walk(db, newest_first, start + take)[start:]
        start = 0
        if len(ids) >= limit:
            break
    return ids


class _Rows:
    """What the page's rows need, each loaded for all of them at once."""

    def __init__(
        self,
        db: Database,
        actor: Person,
        opening: Opening,
        ids: list[int],
        at,
        process: tuple[ProcessStage, ...] = (),
    ):
        self.db, self.actor, self.opening, self.at = db, actor, opening, at
        self.process = process
        self.facts = candidates_facts(db, ids)
        self.names = {
            r["id"]: (r["name"], r["alias"], r["withdrawn_at"] is not None)
            for r in db.execute(Q.names(len(ids)), ids)
        }
        self.seats: dict[int, list[SeatStatus]] = defaultdict(list)
        for r in db.execute(Q.of_candidates(len(ids)), ids):
            self.seats[r["candidate_id"]].append(seat_status(r, at))
        self.sessions = {
            r["candidate_id"]: r for r in db.execute(Q.sessions(len(ids)), [stamp(at), *ids])
        }
        self.hidden = {i: why_not(actor, "see_scores", self.facts[i]) for i in ids}
        self.sees_decision = {i: may(actor, "see_decision", self.facts[i]) for i in ids}
        self.sees_votes = {i: may(actor, "see_votes", self.facts[i]) for i in ids}
        self.decisions = self._decisions([i for i in ids if self.sees_decision[i]])
        self.results = self._results([i for i in ids if self.hidden[i] is None])
        # the stage of each row: one batch for the page's rows, only where there are stages
        self.progress = candidates_progress(db, ids) if len(process) > 1 else {}

    def step(self, candidate_id: int) -> tuple[str, StepState | None]:
        """The title of the process stage the candidate is in and how they stand there. The
        loop's outcome is the decision: to whoever may not see it, the loop is pending."""
        where: Progress | None = self.progress.get(candidate_id)
        if where is None:
            return "", None
        titles = {s.position: s.title for s in self.process}
        loop = next(s.position for s in self.process if s.kind == "loop")
        at_loop = where.step(loop)
        if (
            not self.sees_decision[candidate_id]
            and at_loop is not None
            and at_loop.state in ("advanced", "rejected")
        ):
            return titles[loop], "pending"
        return titles[where.stage], STEP_STATES[where.state]

    def _decisions(self, ids: list[int]) -> dict[int, Any]:
        """The decision in force (the latest) of each candidate."""
        if not ids:
            return {}
        return {r["candidate_id"]: r for r in self.db.execute(Q.decisions(len(ids)), ids)}

    def _results(self, ids: list[int]) -> dict[int, Decision]:
        """The engine's outcome under the opening's strategy for each candidate whose panel the
        actor may see: the decision in force and the committee's votes only where the actor may
        see them (as on the candidate's debrief page)."""
        if not ids:
            return {}
        card_ids = [r[0] for r in self.db.execute(Q.active_cards(len(ids)), ids)]
        cards = defaultdict(list)
        for card in load_scorecards(self.db, card_ids):
            cards[card.candidate_id].append(card)
        strategy = self.opening.strategy
        votes: dict[int, list[CommitteeVote]] = defaultdict(list)
        voting = [i for i in ids if self.sees_votes[i]]
        if strategy.kind == "committee" and voting:
            for v in self.db.execute(Q.votes(len(voting)), voting):
                votes[v["candidate_id"]].append(
                    CommitteeVote(member=f"{v['name']} #{v['member_id']}", vote=v["vote"])
                )
        results = {}
        for i in ids:
            manager = None
            final = self.decisions.get(i)
            if strategy.kind == "manager" and final is not None:
                manager = ManagerDecision(
                    decision=final["outcome"],
                    by=final["name"],
                    rationale=final["rationale"] or "-",
                    accepts_responsibility=True,
                )
            results[i] = decide(
                build_case(
                    self.db,
                    self.opening,
                    cards[i],
                    manager_decision=manager,
                    committee_votes=votes[i],
                )
            )
        return results

    def row(self, candidate_id: int) -> PipelineRow:
        facts = self.facts[candidate_id]
        name, alias, withdrawn = self.names[candidate_id]
        active = [s for s in self.seats[candidate_id] if s.state != "recused"]
        sessions = self.sessions.get(candidate_id)
        result = self.results.get(candidate_id)
        final = self.decisions.get(candidate_id)
        hidden = self.hidden[candidate_id]
        committee = self.opening.strategy.kind == "committee"
        step, step_state = self.step(candidate_id)
        return PipelineRow(
            candidate_id=candidate_id,
            candidate=name if may(self.actor, "see_name", facts) else alias,
            stage=stage_of(facts),
            interview_at=parse_stamp(sessions["first"]) if sessions else None,
            sessions_done=sessions["done"] if sessions else 0,
            sessions_planned=max(
                len(self.opening.sessions), sessions["planned"] if sessions else 0
            ),
            submitted=sum(s.submitted_at is not None for s in active),
            expected=len(active),
            overdue=sum(s.state == "overdue" for s in active),
            debrief_open=facts.debrief_open,
            outcome=result.outcome if result else None,
            flags=tuple(result.flags) if result else (),
            score=result.score if result else None,
            tally=dict(result.tally) if result else None,
            decision=final["outcome"] if final else None,
            decided_by=final["name"] if final else None,
            hidden=hidden,
            note="Submit your own scorecard first" if hidden == OWN_FIRST else "",
            needs=needs_of(self.actor, facts, self.opening.strategy, withdrawn),
            lean=lean(result) if result else None,
            # how many have voted may be told to whoever sees the panel; which way, only to
            # whoever may see the votes (the outcome above was worked out accordingly)
            votes_cast=len(facts.voter_ids) if committee and result else None,
            committee_size=len(facts.opening.committee_ids | facts.voter_ids),
            blind_to_votes=committee and not self.sees_votes[candidate_id],
            step=step,
            step_state=step_state,
        )


@guarded("see_debriefs", on="opening_id")
def pipeline(
    g: Granted,
    opening_id: int,
    *,
    stage: Stage | None = None,
    day: date | None = None,
    zone: tzinfo = UTC,
    newest_first: bool = True,
    page: int = 1,
    per_page: int = PER_PAGE,
    needs_me: bool = False,
    now: datetime | None = None,
) -> Pipeline:
    """One page of the opening's pipeline for whoever may see its debriefs (the hiring manager
    and the committee): candidates with an interview on `day` (a day in `zone`, the viewer's)
    or all, at `stage` or any, only those that need the actor (`needs_me`) or all, newest
    interview first (unscheduled ones before them) or oldest first. Stage counts cover the
    whole opening under the day and "needs me" filters."""
    if stage is not None and stage not in STAGES:
        raise InvalidInput(f"stage: unknown stage {stage!r} (expected one of {STAGES})")
    if not 1 <= per_page <= MAX_PER_PAGE:
        raise InvalidInput(f"per_page: from 1 to {MAX_PER_PAGE} rows (got {per_page})")
    at = now or now_utc()
    db, actor, facts = g.db, g.actor, g.facts
    if not actor.has("interviewer"):
        # The guard asks whether the actor interviews on the opening only of interviewers; "needs
        # me" waits for one's own open seat whatever the roles (a seat kept from a lost role).
        facts = opening_facts(db, opening_id, actor)
    opening = load_opening(db, opening_id)
    where = _Filter(
        opening_id,
        day,
        zone,
        stage,
        partial(_needs_sql, actor, facts, opening.strategy),
        needs_me,
    )
    counts, unscheduled, needing = where.counts(db)
    total = counts[stage] if stage else sum(counts.values())
    pages = max(1, -(-total // per_page))
    page = min(max(1, page), pages)
    waiting = unscheduled[stage] if stage else sum(unscheduled.values())
    ids = _page_ids(db, where, total, waiting, newest_first, per_page, (page - 1) * per_page)
    process = opening_process(db, opening_id)
    rows = _Rows(db, actor, opening, ids, at, process) if ids else None
    return Pipeline(
        opening=opening,
        counts=counts,
        rows=[rows.row(i) for i in ids] if rows else [],
        stage=stage,
        day=day,
        page=page,
        pages=pages,
        per_page=per_page,
        needs_me=needs_me,
        needs_total=needing,
        process=process,
    )
