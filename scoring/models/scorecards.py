"""A scorecard revision and its criteria as submitted; a draft, the work in progress before it.

A draft is a typed record (`Draft`): the overall recommendation, the feedback and, per criterion,
whether a choice was made, the point chosen (None for "not assessed") and the evidence. It is
stored as plain JSON data with a format number (`Draft.as_data`), never as the form's widget
state; drafts saved before this record existed hold the form's state as it was and are converted
when read (`draft_of`), so nobody's notes are lost.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from scoring.models.status import SeatStatus
    from scoring.rubric import Rubric


@dataclass(frozen=True)
class CriterionEntry:
    """One criterion on a scorecard: a score, or None for "not assessed", and the evidence."""

    score: int | None
    evidence: str = ""


EntryLike = CriterionEntry | Mapping[str, Any] | int | None


def entry_of(value: EntryLike) -> CriterionEntry:
    """A criterion entry from what a caller passes: an entry, a {"score", "evidence"} mapping,
    or a bare score (None: not assessed)."""
    if isinstance(value, CriterionEntry):
        return value
    if isinstance(value, Mapping):
        return CriterionEntry(value.get("score"), str(value.get("evidence") or ""))
    return CriterionEntry(value)


@dataclass(frozen=True)
class Scorecard:
    """One revision of one interviewer's scorecard for one session."""

    id: int
    assignment_id: int
    candidate_id: int
    session_id: int
    session_title: str
    session_position: int
    interviewer_id: int
    interviewer_name: str
    revision: int
    overall: int
    feedback: str
    rubric_hash: str
    submitted_at: datetime  # this revision
    first_submitted_at: datetime  # revision 1: lateness counts from here
    session_ended_at: datetime
    revision_reason: str | None
    saw_others: bool
    late: bool
    criteria: dict[str, CriterionEntry] = field(default_factory=dict)

    @property
    def hours_after_session(self) -> float:
        """How long after the session ended it was first submitted, in hours."""
        return (self.first_submitted_at - self.session_ended_at).total_seconds() / 3600


FORMAT = 2  # the stored record's shape; a draft without "format" is the form's old state
# What the form used to store for a criterion marked "not assessed" (drafts saved before FORMAT).
_OLD_NOT_ASSESSED = "not assessed"


@dataclass(frozen=True)
class DraftCriterion:
    """One criterion of a draft: whether a choice was made, the point chosen (None: not
    assessed, once chosen), and the evidence typed so far."""

    chosen: bool = False
    level: int | None = None
    evidence: str = ""

    @property
    def not_assessed(self) -> bool:
        """Marked "not assessed" (a choice, unlike no choice yet)."""
        return self.chosen and self.level is None


@dataclass(frozen=True)
class Draft:
    """A work-in-progress scorecard: nothing in it is checked until it is submitted."""

    overall: int | None = None
    feedback: str = ""
    criteria: dict[str, DraftCriterion] = field(default_factory=dict)

    @property
    def empty(self) -> bool:
        """Nothing chosen or typed yet."""
        return (
            self.overall is None
            and not self.feedback
            and not any(c.chosen or c.evidence for c in self.criteria.values())
        )

    def as_data(self) -> dict[str, Any]:
        """The record as plain JSON data (what is stored)."""
        return {
            "format": FORMAT,
            "overall": self.overall,
            "feedback": self.feedback,
            "criteria": {
                key: {"chosen": c.chosen, "level": c.level, "evidence": c.evidence}
                for key, c in self.criteria.items()
            },
        }


def _point(value: Any) -> int | None:
    # a point is a whole number; anything else stored by hand is read as no point
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def draft_of(data: Mapping[str, Any]) -> Draft:
    """A draft from stored data: the record (`Draft.as_data`), or the form's state as drafts
    were stored before it (a criterion's "score": a point, "not assessed", or None)."""
    criteria: dict[str, DraftCriterion] = {}
    for key, entry in dict(data.get("criteria") or {}).items():
        entry = entry if isinstance(entry, Mapping) else {}
        if "format" in data:
            chosen, level = bool(entry.get("chosen")), _point(entry.get("level"))
        else:
            score = entry.get("score")
            chosen, level = score == _OLD_NOT_ASSESSED or _point(score) is not None, _point(score)
        criteria[str(key)] = DraftCriterion(chosen, level, _text(entry.get("evidence")))
    return Draft(_point(data.get("overall")), _text(data.get("feedback")), criteria)


@dataclass(frozen=True)
class DraftStanding:
    """Where the interviewer's own seat stands, for the scorecard form's rerun: the seat (its
    times, state, submission, recusal and place), the rubric snapshot it is scored against, and
    the draft the server holds. What may change while a form is open, without the rest of the
    sheet (the candidate, the opening, a submitted scorecard), which the page reads."""

    seat: SeatStatus
    rubric: Rubric
    draft: Draft | None
    saved_at: datetime | None
    may_submit: bool  # the interview had begun when this was read: before, a draft only

    @property
    def open(self) -> bool:
        """Still to be scored on this form: neither submitted nor recused."""
        return self.seat.submitted_at is None and self.seat.state != "recused"
