"""The decision engine: the three decision strategies of PRODUCT.md, applied to one candidate.

`decide(case)` takes a `Case` (the overall scale, the strategy, the scorecards and, when there are
any, the manager's decision and the committee's votes) and returns a `Decision`: the outcome, the
positions and tally, the weighted score, the flags and reasons a hiring manager can read aloud.
`python -m scoring decide CASE.json` is the same function on JSON.

Sources: decision strategies L1257-1313 (democratic vote with veto and greenlight L1265, hiring
manager decides and accepts responsibility L1313, cross-company committee); extreme-score forcing
L907-911. All scale arithmetic is delegated to `scoring.scale`.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from fractions import Fraction
from statistics import fmean
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictInt, ValidationError

from scoring.errors import field_path, phrase
from scoring.scale import Position, Scale

Outcome = Literal[
    "hire", "no_hire", "needs_discussion", "incomplete", "awaiting_manager", "awaiting_committee"
]
Verdict = Literal["hire", "no_hire"]

FLAG_MEANINGS = {
    "lukewarm": "Nobody scored an extreme: nobody is fighting for or against this candidate.",
    "split": "The panel is split: there are yes and no recommendations.",
    "fragile": "One strong dissent would flip this.",
    "veto": "A strong no blocked the hire (veto power).",
    "greenlight": "A strong yes passed the candidate (greenlight power).",
    "conflict": "A veto and a greenlight were both used: this needs discussion.",
    "overrode_panel": "The outcome goes against the panel's majority.",
    "below_bar": "The weighted score is below the organisation's bar.",
    "incomplete": "Not enough scorecards are in to decide.",
}
"""Each flag in a sentence, for pages and exports."""


FLAG_WORDS = {
    "lukewarm": "Lukewarm",
    "split": "Split",
    "fragile": "Fragile",
    "veto": "Vetoed",
    "greenlight": "Greenlit",
    "conflict": "Veto and greenlight",
    "overrode_panel": "Against the panel",
    "below_bar": "Below the bar",
    "incomplete": "Incomplete",
}
"""Each flag as a word or two, for tables and badges."""

OUTCOME_WORDS = {
    "hire": "Hire",
    "no_hire": "No hire",
    "needs_discussion": "Needs discussion",
    "incomplete": "Incomplete",
    "awaiting_manager": "Awaiting the hiring manager",
    "awaiting_committee": "Awaiting the committee",
}
"""Each outcome in words."""


class InvalidCase(ValueError):
    """Input the engine refuses; the message names the field and what is wrong."""


class _Input(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ScaleIn(_Input):
    """The overall-recommendation scale of the case."""

    min: StrictInt = 0
    max: StrictInt = 5


class Strategy(_Input):
    """The team's decision strategy and its parameters."""

    kind: Literal["manager", "vote", "committee"]
    force_extremes: StrictBool = False
    rule: Literal["majority", "supermajority", "unanimous"] = "majority"
    supermajority: float = Field(2 / 3, gt=0, le=1)
    veto: StrictBool = False
    greenlight: StrictBool = False
    quorum: StrictInt = Field(0, ge=0)
    bar: float | None = Field(None, ge=0, le=1)


class CriterionScore(_Input):
    """One criterion of a scorecard; a null score is "not assessed"."""

    id: str = Field(min_length=1)
    score: StrictInt | None
    min: StrictInt
    max: StrictInt
    weight: float = Field(gt=0)


class ScorecardIn(_Input):
    """One interviewer's overall recommendation and criterion scores."""

    interviewer: str = Field(min_length=1)
    overall: StrictInt
    criteria: list[CriterionScore] = []


class ManagerDecision(_Input):
    """The hiring manager's decision: needs a rationale and accepted responsibility."""

    decision: Verdict
    by: str = Field(min_length=1)
    rationale: str
    accepts_responsibility: StrictBool


class CommitteeVote(_Input):
    """One committee member's vote."""

    member: str = Field(min_length=1)
    vote: Verdict


class Case(_Input):
    """Everything the engine needs to decide on one candidate."""

    scale: ScaleIn = ScaleIn()
    strategy: Strategy
    scorecards: list[ScorecardIn] = []
    manager_decision: ManagerDecision | None = None
    committee_votes: list[CommitteeVote] = []


@dataclass(frozen=True)
class ScorePosition:
    """One scorecard's overall recommendation as the rules see it."""

    interviewer: str
    raw: int
    effective: int
    position: Position
    strong: bool


@dataclass(frozen=True)
class Decision:
    """What the engine says about one candidate."""

    outcome: Outcome
    strategy: str
    parameters: dict[str, Any]
    forced: bool
    positions: list[ScorePosition]
    tally: dict[str, int]
    score: float | None
    flags: list[str]
    reasons: list[str]

    def to_json(self) -> dict[str, Any]:
        """The `decide` command's output object."""
        return {
            "outcome": self.outcome,
            "strategy": self.strategy,
            "parameters": self.parameters,
            "forced": self.forced,
            "positions": [
                {
                    "interviewer": p.interviewer,
                    "raw": p.raw,
                    "effective": p.effective,
                    "position": p.position.value,
                    "strong": p.strong,
                }
                for p in self.positions
            ],
            "tally": self.tally,
            "score": self.score,
            "flags": self.flags,
            "reasons": self.reasons,
        }


# ------------------------------------------------------------------------------------ validation


def parse_case(document: Any) -> Case:
    """Validate a decoded JSON document into a Case, or raise InvalidCase naming the field."""
    if not isinstance(document, dict):
        raise InvalidCase("input: must be a JSON object with strategy and scorecards")
    strategy = document.get("strategy")
    if isinstance(strategy, dict) and "kind" in strategy:
        kind = strategy["kind"]
        if kind not in ("manager", "vote", "committee"):
            raise InvalidCase(
                f"strategy.kind: unknown strategy {kind!r} (expected manager, vote or committee)"
            )
    try:
        case = Case.model_validate(document)
    except ValidationError as exc:
        first = exc.errors()[0]
        raise InvalidCase(f"{field_path(first['loc']) or 'input'}: {phrase(first)}") from None
    check_case(case)
    return case


def check_case(case: Case) -> None:
    """The rules pydantic cannot see field by field: scales, duplicates, the manager's duty."""
    if case.scale.min >= case.scale.max:
        raise InvalidCase(
            f"scale: min must be less than max (got {case.scale.min}..{case.scale.max})"
        )
    scale = Scale(case.scale.min, case.scale.max)
    seen: set[str] = set()
    for i, card in enumerate(case.scorecards):
        if card.interviewer in seen:
            raise InvalidCase(
                f"scorecards[{i}].interviewer: {card.interviewer!r} already has a scorecard"
                " (one per interviewer)"
            )
        seen.add(card.interviewer)
        if not scale.contains(card.overall):
            raise InvalidCase(
                f"scorecards[{i}].overall: {card.overall} is outside the scale {scale}"
            )
        ids: set[str] = set()
        for j, crit in enumerate(card.criteria):
            where = f"scorecards[{i}].criteria[{j}]"
            if crit.id in ids:
                raise InvalidCase(f"{where}.id: criterion {crit.id!r} is scored twice")
            ids.add(crit.id)
            if crit.min >= crit.max:
                raise InvalidCase(
                    f"{where}: min must be less than max (got {crit.min}..{crit.max})"
                )
            if crit.score is not None and not crit.min <= crit.score <= crit.max:
                raise InvalidCase(
                    f"{where}.score: {crit.score} is outside the scale {crit.min}..{crit.max}"
                )
    decision = case.manager_decision
    if decision is not None:
        if not decision.rationale.strip():
            raise InvalidCase("manager_decision.rationale: must say why (it is empty)")
        if not decision.accepts_responsibility:
            raise InvalidCase(
                "manager_decision.accepts_responsibility: the hiring manager must accept"
                " responsibility for the decision (got false)"
            )
    members: set[str] = set()
    for i, vote in enumerate(case.committee_votes):
        if vote.member in members:
            raise InvalidCase(f"committee_votes[{i}].member: {vote.member!r} has already voted")
        members.add(vote.member)


# ------------------------------------------------------------------------------------ the rules


def _share(position: ScorePosition, scale: Scale) -> str:
    """'0 of 5', or '0 of 5, forced from 2' when forcing moved the score."""
    forced = f", forced from {position.raw}" if position.raw != position.effective else ""
    return f"{position.effective} of {scale.max}{forced}"


def _weighted_score(card: ScorecardIn, forced: bool) -> float | None:
    """sum(w * normalised) / sum(w) over assessed criteria; None when none is assessed."""
    assessed = [c for c in card.criteria if c.score is not None]
    if not assessed:
        return None
    total = sum(c.weight for c in assessed)
    return (
        sum(
            c.weight * Scale(c.min, c.max).normalise(Scale(c.min, c.max).effective(c.score, forced))
            for c in assessed
        )
        / total
    )


def candidate_score(case: Case) -> float | None:
    """Mean weighted score over the scorecards that have one, rounded to 4 decimals."""
    forced = case.strategy.force_extremes
    scores = [s for s in (_weighted_score(c, forced) for c in case.scorecards) if s is not None]
    return round(fmean(scores), 4) if scores else None


def _by_rule(yes: int, no: int, strategy: Strategy) -> Outcome:
    """The vote rule over yes and no votes (abstentions already left out)."""
    if yes + no == 0:
        return "needs_discussion"
    if strategy.rule == "majority":
        return "hire" if yes > no else "no_hire" if no > yes else "needs_discussion"
    if strategy.rule == "supermajority":
        # Fractions keep 2/3 exact: 2 yes of 3 reaches a 2/3 supermajority.
        fraction = Fraction(strategy.supermajority).limit_denominator(1000)
        return "hire" if Fraction(yes, yes + no) >= fraction else "no_hire"
    return "hire" if yes >= 1 and no == 0 else "no_hire"


def _rule_words(strategy: Strategy) -> str:
    if strategy.rule == "supermajority":
        return f"a supermajority of {strategy.supermajority:.0%}"
    return {"majority": "a simple majority", "unanimous": "unanimity"}[strategy.rule]


def awaiting_votes(votes: int, quorum: int) -> str:
    """The reason while the committee has too few votes to decide: how many are in, how many
    are needed ("1 committee vote in; 2 needed.")."""
    need = max(quorum, 1)
    return f"{votes} committee vote{'s' if votes != 1 else ''} in; {need} needed."


def _outcome(case: Case, positions: list[ScorePosition]) -> tuple[Outcome, set[str], list[str]]:
    """The outcome, the flags the strategy itself raises, and its reasons."""
    strategy, scale = case.strategy, Scale(case.scale.min, case.scale.max)
    tally = Counter(p.position for p in positions)
    yes, no = tally[Position.YES], tally[Position.NO]
    n = len(positions)
    flags: set[str] = set()
    reasons: list[str] = []

    if strategy.kind in ("vote", "manager") and n < strategy.quorum:
        return (
            "incomplete",
            {"incomplete"},
            [
                f"Only {n} scorecard{'s' if n != 1 else ''} in;"
                f" {strategy.quorum} {'is' if strategy.quorum == 1 else 'are'} needed to decide."
            ],
        )

    if strategy.kind == "vote":
        vetoes = [p for p in positions if strategy.veto and p.effective == scale.min]
        greens = [p for p in positions if strategy.greenlight and p.effective == scale.max]
        for p in vetoes:
            reasons.append(f"Vetoed by {p.interviewer} ({_share(p, scale)}).")
        for p in greens:
            reasons.append(f"Greenlit by {p.interviewer} ({_share(p, scale)}).")
        if vetoes:
            flags.add("veto")
        if greens:
            flags.add("greenlight")
        if vetoes and greens:
            flags.add("conflict")
            reasons.append("A veto and a greenlight cancel out: the panel needs to discuss.")
            return "needs_discussion", flags, reasons
        if vetoes:
            return "no_hire", flags, reasons
        if greens:
            return "hire", flags, reasons
        outcome = _by_rule(yes, no, strategy)
        reasons.append(
            f"Vote by {_rule_words(strategy)}: {yes} yes, {no} no,"
            f" {tally[Position.UNDECIDED]} undecided (abstaining)."
        )
        if yes + no == 0:
            reasons.append("Nobody voted yes or no: the panel needs to discuss.")
        elif outcome == "needs_discussion":
            reasons.append("The vote is tied: the panel needs to discuss.")
        return outcome, flags, reasons

    if strategy.kind == "manager":
        decision = case.manager_decision
        if decision is None:
            return (
                "awaiting_manager",
                flags,
                ["The panel gives advice and consent; the hiring manager has not decided yet."],
            )
        verdict = decision.decision.replace("_", " ")
        reasons.append(
            f"{decision.by} (hiring manager) decided {verdict} and accepted responsibility:"
            f" {decision.rationale.strip()}"
        )
        return decision.decision, flags, reasons

    # committee
    votes = case.committee_votes
    score = candidate_score(case)
    if strategy.bar is not None and score is not None and score < strategy.bar:
        flags.add("below_bar")
        reasons.append(
            f"Weighted score {score:.2f} is below the bar of {strategy.bar:.2f}: no hire,"
            " whatever the votes."
        )
        return "no_hire", flags, reasons
    if not votes or len(votes) < strategy.quorum:
        return "awaiting_committee", flags, [awaiting_votes(len(votes), strategy.quorum)]
    hires = sum(v.vote == "hire" for v in votes)
    outcome = _by_rule(hires, len(votes) - hires, strategy)
    reasons.append(
        f"Committee vote by {_rule_words(strategy)}: {hires} hire, {len(votes) - hires} no hire."
    )
    if outcome == "needs_discussion":
        reasons.append("The committee's vote is tied: it needs to discuss.")
    return outcome, flags, reasons


def _positions(case: Case) -> list[ScorePosition]:
    scale, forced = Scale(case.scale.min, case.scale.max), case.strategy.force_extremes
    result = []
    for card in case.scorecards:
        effective = scale.effective(card.overall, forced)
        result.append(
            ScorePosition(
                interviewer=card.interviewer,
                raw=card.overall,
                effective=effective,
                position=scale.position(effective),
                strong=scale.is_strong(effective),
            )
        )
    return result


def panel_majority(positions: list[ScorePosition]) -> Verdict | None:
    """hire when more yes than no, no_hire when more no than yes, else None."""
    tally = Counter(p.position for p in positions)
    if tally[Position.YES] > tally[Position.NO]:
        return "hire"
    if tally[Position.NO] > tally[Position.YES]:
        return "no_hire"
    return None


def _is_fragile(case: Case, outcome: Outcome) -> bool:
    """Would one more vote at the opposite extreme change a vote or committee hire/no-hire?"""
    if outcome not in ("hire", "no_hire") or case.strategy.kind == "manager":
        return False
    if case.strategy.kind == "vote":
        extreme = case.scale.min if outcome == "hire" else case.scale.max
        taken = {c.interviewer for c in case.scorecards}
        name = next(f"dissent-{i}" for i in range(len(taken) + 1) if f"dissent-{i}" not in taken)
        extra = ScorecardIn(interviewer=name, overall=extreme)
        what_if = case.model_copy(update={"scorecards": [*case.scorecards, extra]})
    else:
        other: Verdict = "no_hire" if outcome == "hire" else "hire"
        taken = {v.member for v in case.committee_votes}
        name = next(f"dissent-{i}" for i in range(len(taken) + 1) if f"dissent-{i}" not in taken)
        extra_vote = CommitteeVote(member=name, vote=other)
        what_if = case.model_copy(update={"committee_votes": [*case.committee_votes, extra_vote]})
    return _outcome(what_if, _positions(what_if))[0] != outcome


LUKEWARM_FORCED = (
    "Before forcing, nobody scored an extreme: nobody was fighting for or against this"
    " candidate; forcing decides for them."
)
"""The lukewarm reason under forcing: lukewarm is about what people wrote (raw scores), and
next to "N scores moved to an extreme" the plain "Nobody scored an extreme" would contradict."""


def _flag_reason(flag: str, forced: bool) -> str:
    """A flag's reason sentence, true of the scores it was raised on."""
    if flag == "lukewarm" and forced:
        return LUKEWARM_FORCED
    return FLAG_MEANINGS[flag]


@dataclass(frozen=True)
class Lean:
    """Where the panel stands, counted on the scores as the rules see them (forced or raw)."""

    verdict: Verdict | None  # None: as many yes as no
    yes: int
    no: int
    undecided: int
    strong_yes: int
    strong_no: int
    forced: bool

    @property
    def words(self) -> str:
        """'Panel leans hire: 4 yes, 1 no', 'Panel is split evenly: 2 yes, 2 no', ...; under
        forcing every score is an extreme, so the counts say 'strong'."""
        strong = "strong " if self.forced else ""
        counts = f"{self.yes} {strong}yes, {self.no} {strong}no"
        if self.undecided:
            counts += f", {self.undecided} undecided"
        if self.verdict is not None:
            return f"Panel leans {self.verdict.replace('_', ' ')}: {counts}"
        if self.yes or self.no:
            return f"Panel is split evenly: {counts}"
        if self.undecided:
            return f"Panel is undecided: {self.undecided} undecided"
        return "No scorecards in yet"

    @property
    def counts(self) -> str:
        """The counts alone, for a table cell: '4 yes · 1 no', '4 strong yes · 1 strong no'
        under forcing, with the undecided where there are any."""
        strong = "strong " if self.forced else ""
        parts = [f"{self.yes} {strong}yes", f"{self.no} {strong}no"]
        if self.undecided:
            parts.append(f"{self.undecided} undecided")
        return " · ".join(parts)

    @property
    def short(self) -> str:
        """The lean in a few words, for a table cell: 'Leans hire · 4 yes · 1 no', 'Split
        evenly · 2 yes · 2 no'; the same reading as `words`, the debrief's headline."""
        if self.verdict is not None:
            return f"Leans {self.verdict.replace('_', ' ')} · {self.counts}"
        if self.yes or self.no:
            return f"Split evenly · {self.counts}"
        if self.undecided:
            return f"Undecided · {self.undecided} undecided"
        return "No scorecards in yet"


def lean(decision: Decision) -> Lean:
    """The panel's lean in a decision: its majority and the counts behind it."""
    strong = Counter(p.position for p in decision.positions if p.strong)
    return Lean(
        verdict=panel_majority(decision.positions),
        yes=decision.tally["yes"],
        no=decision.tally["no"],
        undecided=decision.tally["undecided"],
        strong_yes=strong[Position.YES],
        strong_no=strong[Position.NO],
        forced=decision.forced,
    )


def decide(case: Case) -> Decision:
    """Apply the case's strategy to its scorecards; see the module docstring and README."""
    check_case(case)
    scale, strategy = Scale(case.scale.min, case.scale.max), case.strategy
    positions = _positions(case)
    outcome, flags, reasons = _outcome(case, positions)
    tally = Counter(p.position for p in positions)

    if positions and not any(scale.is_strong(p.raw) for p in positions):
        flags.add("lukewarm")
    if tally[Position.YES] and tally[Position.NO]:
        flags.add("split")
    majority = panel_majority(positions)
    overrides = strategy.kind in ("manager", "committee") and outcome in ("hire", "no_hire")
    if overrides and majority is not None and outcome != majority:
        flags.add("overrode_panel")
        reasons.append(
            f"This goes against the panel's majority ({majority.replace('_', ' ')}:"
            f" {tally[Position.YES]} yes, {tally[Position.NO]} no)."
        )
    if strategy.kind == "manager" and outcome == "awaiting_manager" and majority is not None:
        reasons.append(
            f"The panel leans {majority.replace('_', ' ')}:"
            f" {tally[Position.YES]} yes, {tally[Position.NO]} no."
        )
    if _is_fragile(case, outcome):
        flags.add("fragile")
    if strategy.force_extremes:
        moved = sum(p.raw != p.effective for p in positions)
        reasons.insert(
            0,
            f"Extreme-score forcing is on: {moved} of {len(positions)} scores moved"
            " to an extreme (an undecided score counts as no).",
        )
    for flag in ("lukewarm", "split", "fragile"):
        if flag in flags:
            reasons.append(_flag_reason(flag, strategy.force_extremes))

    return Decision(
        outcome=outcome,
        strategy=strategy.kind,
        parameters=strategy.model_dump(),
        forced=strategy.force_extremes,
        positions=positions,
        tally={k.value: tally[k] for k in (Position.YES, Position.NO, Position.UNDECIDED)},
        score=candidate_score(case),
        flags=sorted(flags),
        reasons=reasons,
    )
