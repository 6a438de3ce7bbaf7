"""What a debrief records: the hiring manager's decisions and the committee's votes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from scoring.case import Verdict


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
