"""An opening's process as stored (issue 27): its stages in order, and where each candidate is in
it. Nothing here reads the database: `scoring.stages` builds these from rows."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

StageKind = Literal["screen", "take_home", "loop", "offer"]
Outcome = Literal["advance", "reject"]
# Where a candidate stands in one stage.
StageState = Literal["pending", "advanced", "rejected", "withdrawn"]

KIND_WORDS = {
    "screen": "Screen",
    "take_home": "Take-home",
    "loop": "On-site loop",
    "offer": "Offer",
}


@dataclass(frozen=True)
class Stage:
    """One stage of an opening, frozen when the opening was created."""

    position: int
    kind: StageKind
    title: str
    rubric_hash: str | None = None
    rule: str = "single"  # single | vote | manager (screens, take-homes); the loop: the strategy
    reviewers: int = 1  # reviewers per candidate
    blind: bool = False  # reviewers see the alias
    reviewer_ids: tuple[int, ...] = ()
    bar: float | None = None
    provisional: bool = False
    spot_check_share: float = 0.0
    hours_asked: float | None = None
    deadline_days: float | None = None

    @property
    def reviewed(self) -> bool:
        """Scored by stage reviewers (a screen or a take-home), not by the loop's panel."""
        return self.kind in ("screen", "take_home")

    @classmethod
    def from_row(cls, row: Any) -> Stage:
        """Build from an `opening_stages` row."""
        rule = json.loads(row["rule"])
        return cls(
            position=row["position"],
            kind=row["kind"],
            title=row["title"],
            rubric_hash=row["rubric_hash"],
            rule=rule.get("kind", "single"),
            reviewers=rule.get("reviewers", 1),
            blind=bool(rule.get("blind", False)),
            reviewer_ids=tuple(json.loads(row["reviewer_ids"])),
            bar=row["bar"],
            provisional=bool(row["provisional"]),
            spot_check_share=row["spot_check_share"],
            hours_asked=row["hours_asked"],
            deadline_days=row["deadline_days"],
        )

    def rule_json(self) -> str:
        """The rule as it is stored (its kind, reviewers per candidate, blindness)."""
        return json.dumps({"kind": self.rule, "reviewers": self.reviewers, "blind": self.blind})


LOOP_ONLY = (Stage(position=1, kind="loop", title="On-site loop"),)
"""The process of an opening created without stages: the on-site loop alone."""


@dataclass(frozen=True)
class StageStep:
    """What happened to one candidate in one stage."""

    position: int
    state: StageState
    entered_at: datetime | None = None  # None: not reached
    left_at: datetime | None = None  # when it was advanced, rejected or withdrawn
    provisional: bool = False  # decided against a provisional bar
    reason: str = ""


@dataclass(frozen=True)
class Progress:
    """Where one candidate is in their opening's process."""

    candidate_id: int
    stage: int  # the position of the stage they are in, or last reached
    state: Literal["in_process", "rejected", "withdrawn", "hired", "done"]
    steps: tuple[StageStep, ...] = field(default=())

    def step(self, position: int) -> StageStep | None:
        """The candidate's step in the stage at `position` (None: not reached)."""
        return next((s for s in self.steps if s.position == position), None)
