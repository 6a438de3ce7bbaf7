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

from scoring import personal
from scoring.database import Database
from scoring.errors import InvalidInput
from scoring.guards import Granted, guarded
from scoring.models.scorecards import FORMAT, Draft, DraftCriterion, DraftStanding, draft_of
from scoring.models.status import seat_status
from scoring.opening_record import rubric_snapshot
from scoring.queries import scorecards as Q
from scoring.queries import seats as seat_queries
from scoring.store import now_utc, parse_stamp, stamp
from scoring.text import EVIDENCE_MAX, FEEDBACK_MAX, REASON_MAX, check_length

# A draft holds at most a full scorecard: feedback, a correction's reason, evidence for up to 20
# criteria, and room for the record's keys and JSON escapes.
DRAFT_MAX = 2 * (FEEDBACK_MAX + REASON_MAX + 20 * EVIDENCE_MAX)

__all__ = [
    "DRAFT_MAX",
    "FORMAT",
    "Draft",
    "DraftCriterion",
    "DraftStanding",
    "draft_of",
    "draft_standing",
    "load_draft",
    "save_draft",
]


def _standing(db: Database, assignment_id: int, at: datetime) -> DraftStanding:
    row = db.execute(seat_queries.OF_SEAT_WITH_DRAFT, [assignment_id]).fetchone()
    seat = seat_status(row, at)
    return DraftStanding(
        seat=seat,
        rubric=rubric_snapshot(db, row["rubric_hash"]),  # parsed once a process
        draft=draft_of(json.loads(row["draft"])) if row["draft"] is not None else None,
        saved_at=parse_stamp(row["draft_saved_at"]),
        may_submit=at >= seat.starts_at,
    )


@guarded("score", on="assignment_id", write=True)
def save_draft(
    g: Granted,
    assignment_id: int,
    draft: Draft | Mapping[str, Any],
    now: datetime | None = None,
) -> DraftStanding:
    """Keep a work-in-progress scorecard across sign-outs (a `Draft`; a mapping is read as stored
    data, see `draft_of`). Bounded: at most what a full scorecard may hold. Only before the
    scorecard is submitted. Returns where the seat stands with the draft saved, read in the same
    unit of work, so that the form drawn after a change needs no read of its own."""
    at = now or now_utc()
    record = draft if isinstance(draft, Draft) else draft_of(draft)
    content = json.dumps(record.as_data())
    check_length("draft", content, DRAFT_MAX)
    # The guard's seat facts were read inside this write transaction: whether a scorecard is
    # in cannot change between them and the save.
    if g.facts.submitted:
        raise InvalidInput("This scorecard is already submitted.")
    sealed = personal.seal(g.db, g.facts.candidate_id, content)
    g.db.execute(Q.SAVE_DRAFT, [assignment_id, sealed, stamp(at)])
    return _standing(g.db, assignment_id, at)


@guarded("see_own", on="assignment_id")
def load_draft(g: Granted, assignment_id: int) -> Draft | None:
    """The interviewer's saved draft for an assignment, if any."""
    row = g.db.execute(Q.DRAFT, [assignment_id]).fetchone()
    return draft_of(json.loads(row["content"])) if row else None


@guarded("see_own", on="assignment_id")
def draft_standing(g: Granted, assignment_id: int, now: datetime | None = None) -> DraftStanding:
    """Where the interviewer's own seat stands and the draft held: what the scorecard form reads
    again on its own rerun (one statement after the guard), instead of the whole sheet. Checked
    as the sheet is (`see_own`): a seat given to someone else is refused."""
    return _standing(g.db, assignment_id, now or now_utc())
