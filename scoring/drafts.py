"""Drafts: an interviewer's work-in-progress scorecard, kept across sign-outs until it is submitted.

A draft is a typed record (`Draft`, in `scoring.models.scorecards` with `DraftCriterion`,
`draft_of` and `FORMAT`, all importable from here as before): the overall recommendation, the
feedback and, per criterion, whether a choice was made, the point chosen (None for "not
assessed") and the evidence. It is stored as plain JSON data with a format number, never as the
form's widget state: the words the form shows (its "not assessed" choice, its widget keys) stay
in the UI. Drafts saved before this record existed are converted when read (`draft_of`), so
nobody's notes are lost.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from scoring.errors import InvalidInput
from scoring.guards import Granted, guarded
from scoring.models.scorecards import FORMAT, Draft, DraftCriterion, draft_of
from scoring.queries import scorecards as Q
from scoring.store import now_utc, stamp
from scoring.text import EVIDENCE_MAX, FEEDBACK_MAX, REASON_MAX, check_length

# A draft holds at most a full scorecard: feedback, a correction's reason, evidence for up to 20
# criteria, and room for the record's keys and JSON escapes.
DRAFT_MAX = 2 * (FEEDBACK_MAX + REASON_MAX + 20 * EVIDENCE_MAX)

__all__ = ["DRAFT_MAX", "FORMAT", "Draft", "DraftCriterion", "draft_of", "load_draft", "save_draft"]


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
