"""An opening's funnel (issue 27; L2442-2454, L1232-1238): per stage of its process, how many
candidates entered, advanced, were rejected, withdrew or are still pending; the share that
passed (with Wilson's 95% interval), the time spent in the stage, how many rejections were made
against a provisional bar and how often its spot checks agreed (L1255, L2101-2106).

Every figure is worked out from where each candidate stands (`scoring.stages.progress`): one
step per stage reached, each in exactly one state, so for every stage entered = advanced +
rejected + withdrawn + pending by construction. An opening created without stages has the
loop alone, and its funnel is that one stage.

Counts and dates, no score and no name: the funnel is the coordinator's and the opening's
hiring manager's (`see_funnel`). Blind scoring still holds: a candidate on whom the viewer has
a scorecard or a stage review still to write stands, for them, pending at that stage (and no
further) until theirs is in. A rate is given from `MINIMUM` candidates on (the decision
figures' minimum of Insights, `scoring.insights.limits.MIN_DECISIONS`); below it a plain
sentence says how many there are of how many needed. The cost is one opening's candidates,
read a chunk at a time: never the history of other openings.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from scoring.guards import Granted, guarded
from scoring.insights.limits import MIN_DECISIONS, share_interval
from scoring.models.stages import KIND_WORDS, Progress, Stage, StageStep
from scoring.opening_record import load as load_opening
from scoring.permissions import may
from scoring.queries import funnel as Q
from scoring.stage_reviews import spot_checks
from scoring.stages import process, progress
from scoring.store import now_utc

MINIMUM = MIN_DECISIONS  # candidates behind a rate: below it, a sentence instead
CHUNK = 500  # candidates whose progress is read at a time (the IN lists stay short)
DAY_SECONDS = 86400.0


@dataclass(frozen=True)
class Rate:
    """A share k of n with its 95% interval (Wilson); `estimate`, `low` and `high` are None below
    `MINIMUM`, where `note` says so in a sentence."""

    k: int
    n: int
    estimate: float | None
    low: float | None
    high: float | None
    note: str = ""

    def to_json(self) -> dict[str, Any]:
        """The rate as the JSON document has it."""
        return {
            "k": self.k,
            "n": self.n,
            "rate": _round(self.estimate),
            "low": _round(self.low),
            "high": _round(self.high),
            "note": self.note,
        }


@dataclass(frozen=True)
class Days:
    """How long, in days: the median and the 90th percentile over `n` candidates (None for
    none)."""

    n: int
    median: float | None
    p90: float | None

    def to_json(self) -> dict[str, Any]:
        """The durations as the JSON document has them."""
        return {"n": self.n, "median": _round(self.median, 2), "p90": _round(self.p90, 2)}


@dataclass(frozen=True)
class FunnelStage:
    """One stage of the opening's process and the candidates who reached it."""

    position: int
    kind: str
    title: str
    entered: int
    advanced: int
    rejected: int
    withdrawn: int
    pending: int
    pass_through: Rate  # advanced of those who left (advanced, rejected or withdrawn)
    days_in_stage: Days  # of those who left
    days_waiting: Days  # of those still pending, until now
    provisional: Rate | None  # rejections made against a provisional bar; None: it has none
    spot_checks: Rate | None  # checks of rejections that agreed; None: the stage has none
    provisional_bar: bool = False  # the stage's bar is marked provisional

    @property
    def left(self) -> int:
        """Candidates who are out of the stage, one way or another."""
        return self.advanced + self.rejected + self.withdrawn

    @property
    def consistent(self) -> bool:
        """entered = advanced + rejected + withdrawn + pending."""
        return self.entered == self.left + self.pending

    @property
    def kind_words(self) -> str:
        """The stage's kind in words ("Take-home")."""
        return KIND_WORDS.get(self.kind, self.kind)

    def to_json(self) -> dict[str, Any]:
        """The stage as the JSON document has it."""
        return {
            "position": self.position,
            "kind": self.kind,
            "title": self.title,
            "entered": self.entered,
            "advanced": self.advanced,
            "rejected": self.rejected,
            "withdrawn": self.withdrawn,
            "pending": self.pending,
            "left": self.left,
            "pass_through": self.pass_through.to_json(),
            "days_in_stage": self.days_in_stage.to_json(),
            "days_waiting": self.days_waiting.to_json(),
            "provisional_bar": self.provisional_bar,
            "provisional_rejections": None
            if self.provisional is None
            else self.provisional.to_json(),
            "spot_checks": None if self.spot_checks is None else self.spot_checks.to_json(),
        }

    def row(self) -> dict[str, Any]:
        """The stage as one CSV row (plain values; the export neutralises the cells)."""
        checks, provisional = self.spot_checks, self.provisional
        return {
            "position": self.position,
            "kind": self.kind,
            "title": self.title,
            "entered": self.entered,
            "advanced": self.advanced,
            "rejected": self.rejected,
            "withdrawn": self.withdrawn,
            "pending": self.pending,
            "pass_through": _cell(self.pass_through.estimate),
            "pass_through_low": _cell(self.pass_through.low),
            "pass_through_high": _cell(self.pass_through.high),
            "pass_through_note": self.pass_through.note,
            "left": self.left,
            "median_days_in_stage": _cell(self.days_in_stage.median, 2),
            "p90_days_in_stage": _cell(self.days_in_stage.p90, 2),
            "median_days_waiting": _cell(self.days_waiting.median, 2),
            "provisional_rejections": "" if provisional is None else provisional.k,
            "provisional_share": "" if provisional is None else _cell(provisional.estimate),
            "spot_checked": "" if checks is None else checks.n,
            "spot_agreed": "" if checks is None else checks.k,
            "spot_agreement": "" if checks is None else _cell(checks.estimate),
            "spot_agreement_low": "" if checks is None else _cell(checks.low),
            "spot_agreement_high": "" if checks is None else _cell(checks.high),
            "spot_agreement_note": "" if checks is None else checks.note,
        }


@dataclass(frozen=True)
class Funnel:
    """An opening's funnel: its stages in order, as of `at`."""

    opening_id: int
    title: str
    role: str
    level: str
    at: datetime
    candidates: int
    stages: tuple[FunnelStage, ...]
    own_first: int = 0  # candidates shown pending to the viewer until their own judgement is in
    minimum: int = MINIMUM

    @property
    def consistent(self) -> bool:
        """Every stage's counts add up."""
        return all(stage.consistent for stage in self.stages)

    def to_json(self) -> dict[str, Any]:
        """The funnel as one JSON document: the opening, then its stages with their counts,
        rates, intervals and times."""
        return {
            "opening": {
                "id": self.opening_id,
                "title": self.title,
                "role": self.role,
                "level": self.level,
            },
            "as_of": self.at.isoformat(),
            "candidates": self.candidates,
            "minimum_for_a_rate": self.minimum,
            "pending_until_your_own_review": self.own_first,
            "consistent": self.consistent,
            "stages": [stage.to_json() for stage in self.stages],
        }

    def rows(self) -> list[dict[str, Any]]:
        """One CSV row per stage."""
        return [stage.row() for stage in self.stages]

    @property
    def ends(self) -> dict[str, int]:
        """Where the opening's candidates are now: still in the process (pending at some
        stage), rejected, withdrawn, or through the last stage (passed). Each candidate is in
        exactly one, so these add up to `candidates`."""
        passed = self.stages[-1].advanced if self.stages else 0
        return {
            "in_process": sum(s.pending for s in self.stages),
            "rejected": sum(s.rejected for s in self.stages),
            "withdrawn": sum(s.withdrawn for s in self.stages),
            "passed": passed,
        }

    def sentence(self) -> str:
        """The funnel in one plain sentence: where the candidates are, and the stage where most
        of them wait."""
        if not self.candidates:
            return "No candidate has entered this opening's process yet."
        ends = self.ends
        last = self.stages[-1].kind
        through = "hired" if last in ("loop", "offer") else "through every stage"
        said = (
            f"Of {_count(self.candidates, 'candidate', 'candidates')},"
            f" {ends['in_process']} {'is' if ends['in_process'] == 1 else 'are'} still in the"
            f" process, {ends['passed']} {'was' if ends['passed'] == 1 else 'were'} {through},"
            f" {ends['rejected']} rejected and {ends['withdrawn']} withdrew."
        )
        waiting = max(self.stages, key=lambda s: (s.pending, -s.position))
        if waiting.pending:
            said += (
                f" Stage {waiting.position} ({waiting.title}) has the most waiting:"
                f" {waiting.pending}."
            )
        return said


# ----------------------------------------------------------------------------- the service


@guarded("see_funnel", on="opening_id")
def funnel(g: Granted, opening_id: int, now: datetime | None = None) -> Funnel:
    """The opening's funnel for its coordinator or hiring manager: per stage entered, advanced,
    rejected, withdrawn and pending, the pass-through with its interval, time in stage,
    provisional rejections and spot-check agreement. Reads one opening's candidates."""
    db, at = g.db, now or now_utc()
    opening = load_opening(db, opening_id)
    stages = process(db, opening_id)
    ids = [r[0] for r in db.execute(Q.CANDIDATES, [opening_id])]
    where: dict[int, Progress] = {}
    for start in range(0, len(ids), CHUNK):
        where.update(progress(db, ids[start : start + CHUNK]))
    own = _own_first(db, opening_id, g.actor.id, stages)
    shown = [_until(where[i], own[i]) if i in own else where[i] for i in ids if i in where]
    # Whether a spot check agreed is worked out from its scores: for the hiring manager only
    # (a coordinator never reads anything derived from scores).
    scores = may(g.actor, "see_question_figures", g.facts)
    checks = (
        {c.position: c for c in spot_checks(db, opening_id, stages, opening.scale.scale)}
        if scores
        else {}
    )
    return Funnel(
        opening_id=opening.id,
        title=opening.title,
        role=opening.role,
        level=opening.level,
        at=at,
        candidates=len(shown),
        stages=tuple(
            _stage(stage, shown, checks.get(stage.position), at, scores) for stage in stages
        ),
        own_first=sum(1 for p in shown if p != where[p.candidate_id]),
    )


def _own_first(db, opening_id: int, actor_id: int, stages: tuple[Stage, ...]) -> dict[int, int]:
    """Candidate -> the first stage at which the viewer still has to judge them."""
    loop = next(s.position for s in stages if s.kind == "loop")
    found: dict[int, int] = {}
    for r in db.execute(Q.PENDING_SEATS, [opening_id, actor_id, opening_id, actor_id]):
        position = loop if r["on_loop"] else r["position"]
        found[r["candidate_id"]] = min(position, found.get(r["candidate_id"], position))
    return found


def _until(where: Progress, position: int) -> Progress:
    """`where` as seen by someone who has still to judge the candidate at `position`: pending
    there since they entered it, and nothing after it."""
    step = where.step(position)
    if step is None or (step.state == "pending" and where.steps[-1] is step):
        return where  # not there yet, or pending there anyway: nothing to hide
    steps = [s for s in where.steps if s.position < position]
    steps.append(StageStep(position, "pending", step.entered_at))
    return Progress(where.candidate_id, position, "in_process", tuple(steps))


def _stage(
    stage: Stage, shown: list[Progress], checks: Any, at: datetime, scores: bool = True
) -> FunnelStage:
    steps = [s for s in (p.step(stage.position) for p in shown) if s is not None]
    count = {state: 0 for state in ("advanced", "rejected", "withdrawn", "pending")}
    for step in steps:
        count[step.state] += 1
    left = count["advanced"] + count["rejected"] + count["withdrawn"]
    stayed = [_days(s.entered_at, s.left_at) for s in steps if s.state != "pending"]
    waited = [_days(s.entered_at, at) for s in steps if s.state == "pending"]
    provisional = sum(1 for s in steps if s.state == "rejected" and s.provisional)
    spot = None
    if scores and (checks is not None or stage.spot_check_share > 0):
        checked, agreed = (checks.checked, checks.agreed) if checks is not None else (0, 0)
        spot = _rate(
            agreed,
            checked,
            "No rejection here has been spot-checked yet.",
            "spot checks",
            "give an agreement rate",
        )
    return FunnelStage(
        position=stage.position,
        kind=stage.kind,
        title=stage.title,
        entered=len(steps),
        advanced=count["advanced"],
        rejected=count["rejected"],
        withdrawn=count["withdrawn"],
        pending=count["pending"],
        pass_through=_rate(
            count["advanced"],
            left,
            "No candidate has left this stage yet.",
            "candidates out of this stage",
            "give a pass-through rate",
        ),
        days_in_stage=_spread([d for d in stayed if d is not None]),
        days_waiting=_spread([d for d in waited if d is not None]),
        provisional=_rate(
            provisional,
            count["rejected"],
            "No rejection at this stage yet.",
            "rejections",
            "give the provisional share",
        )
        if stage.provisional
        else None,
        spot_checks=spot,
        provisional_bar=stage.provisional,
    )


# ----------------------------------------------------------------------------- the figures


def _rate(k: int, n: int, none: str, what: str, to: str) -> Rate:
    """k of n as a rate with its interval, or the sentence that stands in for it (`none` when
    n is 0; "Not enough <what> yet to <to>: n of the MINIMUM needed." below the minimum)."""
    if n == 0:
        return Rate(k, n, None, None, None, none)
    if n < MINIMUM:
        note = f"Not enough {what} yet to {to}: {n} of the {MINIMUM} needed."
        return Rate(k, n, None, None, None, note)
    low, high = share_interval(k, n)
    return Rate(k, n, k / n, low, high)


def _days(start: datetime | None, end: datetime | None) -> float | None:
    if start is None or end is None:
        return None
    return max(0.0, (end - start).total_seconds() / DAY_SECONDS)


def _spread(days: list[float]) -> Days:
    """The median and the 90th percentile (linear between the nearest ranks)."""
    if not days:
        return Days(0, None, None)
    return Days(len(days), _quantile(days, 0.5), _quantile(days, 0.9))


def _quantile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    at = (len(ordered) - 1) * q
    below, above = math.floor(at), math.ceil(at)
    return ordered[below] + (ordered[above] - ordered[below]) * (at - below)


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def _round(value: float | None, digits: int = 4) -> float | None:
    return None if value is None else round(value, digits)


def _cell(value: float | None, digits: int = 4) -> str | float:
    """A figure for a CSV cell: empty where there is none."""
    return "" if value is None else round(value, digits)
