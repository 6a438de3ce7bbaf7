"""An opening as it is stored, a session of its day as planned, and a candidate of it as one
person may see them."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from scoring.case import Strategy, stored_strategy
from scoring.clock import parse_stamp
from scoring.rubric import OverallScale
from scoring.scale import Scale

RevealRule = Literal["after_own", "all_in"]


@dataclass(frozen=True)
class Opening:
    """An opening as the pages see it (no scores here)."""

    id: int
    title: str
    role: str
    level: str
    loop_id: str
    loop_title: str
    strategy: Strategy
    reveal_rule: RevealRule
    anonymise: bool
    scale: OverallScale
    forced_choice: bool
    overdue_hours: float
    hiring_manager_id: int
    committee_ids: tuple[int, ...]
    sessions: tuple[dict[str, Any], ...]  # position, title, minutes, rubric_hash
    closed_at: datetime | None = None

    @classmethod
    def from_rows(cls, row: Any, committee: list[int], sessions: list[Any]) -> Opening:
        """Build from an `openings` row and its committee and sessions."""
        loop = json.loads(row["loop_snapshot"])
        labels = {int(k): v for k, v in json.loads(row["scale_labels"]).items()}
        return cls(
            id=row["id"],
            title=row["title"],
            role=row["role"],
            level=row["level"],
            loop_id=row["loop_id"],
            loop_title=loop["title"],
            # An opening keeps the rules it was made with (a strategy stored before the force
            # map and the bar's mode existed loads with the rules of its day).
            strategy=stored_strategy(row["strategy"], Scale(row["scale_min"], row["scale_max"])),
            reveal_rule=row["reveal_rule"],
            anonymise=bool(row["anonymise"]),
            scale=OverallScale(min=row["scale_min"], max=row["scale_max"], labels=labels),
            forced_choice=bool(row["forced_choice"]),
            overdue_hours=row["overdue_hours"],
            hiring_manager_id=row["hiring_manager_id"],
            committee_ids=tuple(committee),
            sessions=tuple(dict(s) for s in sessions),
            closed_at=parse_stamp(row["closed_at"]),
        )


@dataclass(frozen=True)
class SessionPlan:
    """One session of the loop on the day: when, and with whom (one interviewer or a pair)."""

    position: int
    starts_at: datetime
    interviewer_ids: tuple[int, ...]
    location: str = ""  # a room, an address or a video link


@dataclass(frozen=True)
class Candidate:
    """A candidate as one person may see them: `display` is the alias where the name is hidden."""

    id: int
    opening_id: int
    alias: str
    display: str
    name: str | None
    email: str | None
    withdrawn: bool = False
    # Where they stand in the process, as the reader may see it: "Rejected · Resume screen"
    # (a stage's outcome is a decision: without `see_decision`, only in process or withdrawn).
    standing: str = ""
