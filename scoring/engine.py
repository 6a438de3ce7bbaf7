"""The decision engine: the three decision strategies of PRODUCT.md, applied to one candidate.

`decide(case)` takes a `Case` (the overall scale, the strategy, the scorecards and, when there are
any, the manager's decision and the committee's votes; see `scoring.case`) and returns a
`Decision`: the outcome, the positions and tally, the weighted score, the flags and reasons a
hiring manager can read aloud, and the three contracts the outcome was reached under (forcing,
veto/greenlight, the committee's bar). `python -m scoring decide CASE.json` is the same function on
JSON.

Sources: decision strategies L1257-1313 (democratic vote with veto and greenlight for someone who
"felt strongly enough" L1265, hiring manager decides and accepts responsibility L1313,
cross-company committee, a committee of people who decide L1397); extreme-score forcing L907-911.
All scale arithmetic is delegated to `scoring.scale`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from statistics import fmean
from typing import Any

from scoring.case import (
    BarMode,
    Case,
    CommitteeVote,
    CriterionScore,
    InvalidCase,
    ManagerDecision,
    Outcome,
    ScaleIn,
    ScorecardIn,
    Strategy,
    Verdict,
    check_case,
    check_force_map,
    parse_case,
    stored_strategy,
)
from scoring.decision_words import (
    FLAG_MEANINGS,
    FLAG_WORDS,
    LUKEWARM_FORCED,
    LUKEWARM_PARTLY_FORCED,
    OUTCOME_WORDS,
    flag_reason,
    forcing_in_words,
)
from scoring.scale import Position, Scale, criterion_force_map

__all__ = [  # the input side lives in scoring.case, the words in scoring.decision_words;
    # callers may import them from here
    "FLAG_MEANINGS",
    "FLAG_WORDS",
    "LUKEWARM_FORCED",
    "LUKEWARM_PARTLY_FORCED",
    "OUTCOME_WORDS",
    "BarMode",
    "Case",
    "CommitteeVote",
    "CriterionScore",
    "InvalidCase",
    "ManagerDecision",
    "Outcome",
    "ScaleIn",
    "ScorecardIn",
    "Strategy",
    "Verdict",
    "check_case",
    "check_force_map",
    "forcing_in_words",
    "parse_case",
    "stored_strategy",
]


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
    # The three contracts the outcome was reached under: forcing (the resolved map and what it
    # moved), the veto and greenlight (who fired one, whose forced extreme did not count) and the
    # committee's bar (its mode, whether it was met or could not be checked, whether it decided).
    contracts: dict[str, Any] = field(default_factory=dict)

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
            "contracts": self.contracts,
        }


# ------------------------------------------------------------------------------------ the rules


def _share(position: ScorePosition, scale: Scale) -> str:
    """'0 of 5', or '0 of 5, forced from 2' when forcing moved the score."""
    forced = f", forced from {position.raw}" if position.raw != position.effective else ""
    return f"{position.effective} of {scale.max}{forced}"


def _weighted_score(
    card: ScorecardIn, forced: bool, overall: Scale, force_map: Mapping[int, int] | None
) -> float | None:
    """sum(w * normalised) / sum(w) over assessed criteria; None when none is assessed. Under
    forcing each criterion is forced on its own scale (`criterion_force_map`)."""
    assessed = [c for c in card.criteria if c.score is not None]
    if not assessed:
        return None
    total = sum(c.weight for c in assessed)
    weighted = 0.0
    for c in assessed:
        scale = Scale(c.min, c.max)
        point = criterion_force_map(overall, force_map, scale)[c.score] if forced else c.score
        weighted += c.weight * scale.normalise(point)
    return weighted / total


def candidate_score(case: Case) -> float | None:
    """Mean weighted score over the scorecards that have one, rounded to 4 decimals."""
    strategy, overall = case.strategy, Scale(case.scale.min, case.scale.max)
    scores = [
        s
        for s in (
            _weighted_score(c, strategy.force_extremes, overall, strategy.force_map)
            for c in case.scorecards
        )
        if s is not None
    ]
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


BAR_DECIDED = "_bar_decided"  # internal: a binding bar made the outcome; never in the output


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
        # A power is for someone who "felt strongly enough" (L1265): only a written extreme.
        vetoes = [p for p in positions if strategy.veto and p.raw == scale.min]
        greens = [p for p in positions if strategy.greenlight and p.raw == scale.max]
        for p in vetoes:
            reasons.append(f"Vetoed by {p.interviewer} ({_share(p, scale)}).")
        for p in greens:
            reasons.append(f"Greenlit by {p.interviewer} ({_share(p, scale)}).")
        for power, on, end in (
            ("veto", strategy.veto, scale.min),
            ("greenlight", strategy.greenlight, scale.max),
        ):
            for p in positions:
                if on and p.effective == end != p.raw:
                    reasons.append(
                        f"{p.interviewer}'s {p.effective} was forced from {p.raw}: forcing does"
                        f" not make a {power}."
                    )
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

    # committee: the people on it decide (L1397); the bar advises unless the opening binds it
    votes = case.committee_votes
    score = candidate_score(case)
    binding = strategy.bar_mode == "binding"
    if strategy.bar is not None and score is None:
        flags.add("bar_unchecked")
        reasons.append(
            FLAG_MEANINGS["bar_unchecked"]
            + (
                " A binding bar lets no hire through unchecked."
                if binding
                else " The bar only advises: the committee's votes decide."
            )
        )
    elif strategy.bar is not None and score < strategy.bar:
        flags.add("below_bar")
        if binding:
            reasons.append(
                f"Weighted score {score:.2f} is below the bar of {strategy.bar:.2f}, which binds:"
                " no hire, whatever the votes."
            )
            return "no_hire", flags | {BAR_DECIDED}, reasons
        reasons.append(
            f"Weighted score {score:.2f} is below the bar of {strategy.bar:.2f}. The bar only"
            " advises: the committee's votes decide."
        )
    if not votes or len(votes) < strategy.quorum:
        return (
            "awaiting_committee",
            flags,
            [*reasons, awaiting_votes(len(votes), strategy.quorum)],
        )
    hires = sum(v.vote == "hire" for v in votes)
    outcome = _by_rule(hires, len(votes) - hires, strategy)
    reasons.append(
        f"Committee vote by {_rule_words(strategy)}: {hires} hire, {len(votes) - hires} no hire."
    )
    if outcome == "needs_discussion":
        reasons.append("The committee's vote is tied: it needs to discuss.")
    if outcome == "hire" and binding and "bar_unchecked" in flags:
        reasons.append(
            "The committee voted hire, but its binding bar is not checked: it needs to discuss"
            " (or the criteria need scores)."
        )
        return "needs_discussion", flags | {BAR_DECIDED}, reasons
    return outcome, flags, reasons


def _positions(case: Case) -> list[ScorePosition]:
    scale, forced = Scale(case.scale.min, case.scale.max), case.strategy.force_extremes
    force_map = scale.resolve_map(case.strategy.force_map)
    result = []
    for card in case.scorecards:
        effective = force_map[scale.check(card.overall)] if forced else card.overall
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

    def _strong(self, side: str) -> str:
        """'strong ' for a side whose every score forcing made (or left) an extreme."""
        if side == "yes":
            return "strong " if self.forced and self.strong_yes == self.yes else ""
        return "strong " if self.forced and self.strong_no == self.no else ""

    @property
    def words(self) -> str:
        """'Panel leans hire: 4 yes, 1 no', 'Panel is split evenly: 2 yes, 2 no', ...; under
        forcing a side whose every score is an extreme says 'strong' ('2 yes, 3 strong no')."""
        counts = f"{self.yes} {self._strong('yes')}yes, {self.no} {self._strong('no')}no"
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
        under forcing (per side, as in `words`), with the undecided where there are any."""
        parts = [f"{self.yes} {self._strong('yes')}yes", f"{self.no} {self._strong('no')}no"]
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


def _contracts(case: Case, positions: list[ScorePosition], bar_decided: bool) -> dict[str, Any]:
    """The three contracts as data: what forcing does and moved, which powers fired (on written
    extremes) and which forced extremes did not count, and the bar's mode and standing."""
    scale, strategy = Scale(case.scale.min, case.scale.max), case.strategy
    forced = strategy.force_extremes
    powers: dict[str, Any] = {}
    for power, on, end in (
        ("veto", strategy.veto, scale.min),
        ("greenlight", strategy.greenlight, scale.max),
    ):
        live = on and strategy.kind == "vote"
        powers[power] = {
            "on": live,
            "fired_by": [p.interviewer for p in positions if live and p.raw == end],
            "forced_not_counted": [
                p.interviewer for p in positions if live and p.effective == end != p.raw
            ],
        }
    score = candidate_score(case)
    has_bar = strategy.kind == "committee" and strategy.bar is not None
    standing = (
        "none"
        if not has_bar
        else "unchecked"
        if score is None
        else "below"
        if score < strategy.bar
        else "met"
    )
    return {
        "forcing": {
            "on": forced,
            "preset": scale.preset_of(strategy.force_map),
            "map": {str(k): v for k, v in scale.resolve_map(strategy.force_map).items()},
            "moved": [
                {"interviewer": p.interviewer, "from": p.raw, "to": p.effective}
                for p in positions
                if p.raw != p.effective
            ],
        },
        "powers": powers,
        "bar": {
            "bar": strategy.bar if has_bar else None,
            "mode": strategy.bar_mode,
            "score": score,
            "standing": standing,
            # A binding bar decides a no hire below it, and keeps an unchecked one from a hire.
            "decided": bar_decided,
        },
    }


def decide(case: Case) -> Decision:
    """Apply the case's strategy to its scorecards; see the module docstring and README."""
    check_case(case)
    scale, strategy = Scale(case.scale.min, case.scale.max), case.strategy
    positions = _positions(case)
    outcome, flags, reasons = _outcome(case, positions)
    tally = Counter(p.position for p in positions)
    bar_decided = BAR_DECIDED in flags
    flags.discard(BAR_DECIDED)
    contracts = _contracts(case, positions, bar_decided)

    if positions and not any(scale.is_strong(p.raw) for p in positions):
        flags.add("lukewarm")
    if tally[Position.YES] and tally[Position.NO]:
        flags.add("split")
    majority = panel_majority(positions)
    counts = f"{tally[Position.YES]} yes, {tally[Position.NO]} no"
    overrides = strategy.kind in ("manager", "committee") and outcome in ("hire", "no_hire")
    if overrides and majority is not None and outcome != majority:
        if contracts["bar"]["decided"]:
            # The bar decided, not the manager or the committee: nobody overrode the panel.
            reasons.append(
                f"The binding bar decided this, not a vote: the panel leans"
                f" {majority.replace('_', ' ')} ({counts})."
            )
        else:
            flags.add("overrode_panel")
            reasons.append(
                f"This goes against the panel's majority ({majority.replace('_', ' ')}: {counts})."
            )
    if strategy.kind == "manager" and outcome == "awaiting_manager" and majority is not None:
        reasons.append(f"The panel leans {majority.replace('_', ' ')}: {counts}.")
    if _is_fragile(case, outcome):
        flags.add("fragile")
    all_extreme = all(p.strong for p in positions)
    if strategy.force_extremes:
        moved = len(contracts["forcing"]["moved"])
        words = forcing_in_words(scale, strategy.force_map)
        custom = contracts["forcing"]["preset"] == "custom"
        reasons.insert(
            0,
            f"Extreme-score forcing is on: {moved} of {len(positions)} scores moved"
            f"{'' if custom else ' to an extreme'} ({words}).",
        )
    for flag in ("lukewarm", "split", "fragile"):
        if flag in flags:
            reasons.append(flag_reason(flag, strategy.force_extremes, all_extreme))

    parameters = strategy.model_dump()
    parameters["force_map"] = contracts["forcing"]["map"]  # the output always states the map
    return Decision(
        outcome=outcome,
        strategy=strategy.kind,
        parameters=parameters,
        forced=strategy.force_extremes,
        positions=positions,
        tally={k.value: tally[k] for k in (Position.YES, Position.NO, Position.UNDECIDED)},
        score=candidate_score(case),
        flags=sorted(flags),
        reasons=reasons,
        contracts=contracts,
    )
