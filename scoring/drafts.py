"""Drafts: an interviewer's work-in-progress scorecard, kept across sign-outs until it is submitted.

A draft is a typed record (`Draft`): the overall recommendation, the feedback and, per criterion,
whether a choice was made, the point chosen (None for "not assessed") and the evidence. It is
stored as plain JSON data with a format number, never as the form's widget state: the words the
form shows (its "not assessed" choice, its widget keys) stay in the UI.

Drafts saved before this record existed hold the form's state as it was (a criterion's "score" a
point, the form's "not assessed" word, or None for no choice yet); they are converted when read,
so nobody's notes are lost.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from scoring.errors import InvalidInput
from scoring.guards import Granted, guarded
from scoring.queries import scorecards as Q
from scoring.store import now_utc, stamp
from scoring.text import EVIDENCE_MAX, FEEDBACK_MAX, REASON_MAX, check_length

# A draft holds at most a full scorecard: feedback, a correction's reason, evidence for up to 20
# criteria, and room for the record's keys and JSON escapes.
DRAFT_MAX = 2 * (FEEDBACK_MAX + REASON_MAX + 20 * EVIDENCE_MAX)

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


@guarded("score", on="assignment_id", write=True)
def save_draft(
    g: Granted,
    assignment_id: int,
    draft: Draft | Mapping[str, Any],
    now: datetime | None = None,
) -> None:
    """Keep a work-in-progress scorecard across sign-outs (a `Draft`; a mapping is read as stored
    data, see `draft_of`). Bounded: at most what a full scorecard may hold. Only before the
    scorecard is submitted."""
    at = now or now_utc()
    record = draft if isinstance(draft, Draft) else draft_of(draft)
    content = json.dumps(record.as_data())
    check_length("draft", content, DRAFT_MAX)
    if g.db.execute(Q.SUBMITTED, [assignment_id]).fetchone():
        raise InvalidInput("This scorecard is already submitted.")
    g.db.execute(Q.SAVE_DRAFT, [assignment_id, content, stamp(at)])


@guarded("see_own", on="assignment_id")
def load_draft(g: Granted, assignment_id: int) -> Draft | None:
    """The interviewer's saved draft for an assignment, if any."""
    row = g.db.execute(Q.DRAFT, [assignment_id]).fetchone()
    return draft_of(json.loads(row["content"])) if row else None
