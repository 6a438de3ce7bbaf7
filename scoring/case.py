"""The decision engine's input: a `Case` (the overall scale, the strategy with its three
contracts, the scorecards, the manager's decision and the committee's votes), its validation with
errors that name the field, and the reading of a strategy stored by an older version.

The three contracts a strategy states (issue 23, checked against the book):
- forcing (`force_extremes`, `force_map`): where forcing sends each written overall point; by
  default the book's "if this is a weak no, then I'm a zero" (L907-911): a no or undecided score
  goes to the bottom, a yes stays as written. The map's rules live in `scoring.scale`.
- veto and greenlight fire only on an extreme the interviewer wrote (L1265: someone who "felt
  strongly enough"), never on one forcing made.
- the committee's bar (`bar`, `bar_mode`): `advisory` (the default: a flag and a reason, the
  committee's votes decide, L1397) or `binding` (no hire below it, whatever the votes).
"""

from __future__ import annotations

import json
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictInt, ValidationError

from scoring.errors import field_path, phrase
from scoring.scale import ForceMapError, Scale

Outcome = Literal[
    "hire", "no_hire", "needs_discussion", "incomplete", "awaiting_manager", "awaiting_committee"
]
Verdict = Literal["hire", "no_hire"]
BarMode = Literal["advisory", "binding"]


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
    # Where forcing sends each written overall point (JSON keys are the points as strings);
    # points left out stay as written; None: the book's default (a weak no goes to the bottom).
    force_map: dict[int, StrictInt] | None = None
    bar_mode: BarMode = "advisory"


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
        raise InvalidCase(f"{_where(first['loc']) or 'input'}: {phrase(first)}") from None
    check_case(case)
    return case


def _where(loc: tuple[int | str, ...]) -> str:
    """The field of a pydantic error; a bad key of the force map is named by the key itself
    (``strategy.force_map.x``), not pydantic's ``[key]`` marker."""
    return field_path(tuple(part for part in loc if part != "[key]"))


def check_force_map(strategy: Strategy, scale: Scale) -> dict[int, int]:
    """The strategy's force map resolved on `scale` (every point), or InvalidCase naming the
    point at fault: ``strategy.force_map.2: 2 is a no and may not be forced to a yes (5)``."""
    try:
        return scale.resolve_map(strategy.force_map)
    except ForceMapError as exc:
        raise InvalidCase(f"strategy.force_map.{exc.point}: {exc}") from None


def check_case(case: Case) -> None:
    """The rules pydantic cannot see field by field: scales, the force map on the case's scale,
    duplicates, the manager's duty."""
    if case.scale.min >= case.scale.max:
        raise InvalidCase(
            f"scale: min must be less than max (got {case.scale.min}..{case.scale.max})"
        )
    scale = Scale(case.scale.min, case.scale.max)
    check_force_map(case.strategy, scale)
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


# ------------------------------------------------------------------------- stored strategies


def stored_strategy(text: str, scale: Scale) -> Strategy:
    """An opening's strategy as stored (JSON), keeping the rules it was made with.

    Every version writes every field, so a missing field means an opening made before the field
    existed: without `bar_mode` the bar bound the votes (it loads as "binding"); with
    `force_extremes` on and no `force_map`, forcing sent every score to an extreme (it loads
    with that preset's map on the opening's scale). New openings store both fields.
    """
    document = json.loads(text)
    if "bar_mode" not in document:
        document["bar_mode"] = "binding"
    if "force_map" not in document and document.get("force_extremes"):
        document["force_map"] = scale.preset_map("all_extremes")
    return Strategy.model_validate(document)


def rescale_strategy(strategy: Strategy, was: Scale, now: Scale) -> Strategy:
    """The strategy for an opening whose overall scale changes from `was` to `now`: a preset's
    map is the same preset on the new scale; the default (None) and a custom map stay as they are
    (a custom map that no longer fits is refused by `check_force_map`, naming its point)."""
    if strategy.force_map is None or was == now:
        return strategy
    preset = was.preset_of(strategy.force_map)
    if preset == "custom":
        return strategy
    return strategy.model_copy(update={"force_map": now.preset_map(preset)})
