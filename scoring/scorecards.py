"""Scorecards: submitting, correcting, and reading them under the blind-scoring rules.

A submitted scorecard is final. A correction is a new revision with a reason; a revision made when
its author could already see others' scores is marked (`saw_others`). Every read of a score goes
through the permission table (`scoring.permissions`), whichever function is called: asking for
another interviewer's scores too early raises NotAllowed.

What makes a scorecard submittable is `scoring.submission`; drafts are `scoring.drafts`; where
each seat stands (Status) is `scoring.status`, and an interviewer's own list
`scoring.my_interviews`. Their public names are importable from here too, as before. The
`Scorecard` record itself is defined in `scoring.models.scorecards`.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from scoring import audit, outbox, personal
from scoring.database import Database
from scoring.drafts import DRAFT_MAX, load_draft, save_draft
from scoring.errors import InvalidInput, NotFound
from scoring.guards import Granted, guarded
from scoring.models.openings import Opening
from scoring.models.scorecards import CriterionEntry, Draft, EntryLike, Scorecard, draft_of
from scoring.models.status import CandidateStatus, SeatStatus, StatusCounts, seat_status
from scoring.my_interviews import Assignment, MyInterviews, my_assignments, my_interviews
from scoring.opening_record import load as load_opening
from scoring.opening_record import rubric_snapshot
from scoring.permissions import (
    CandidateFacts,
    Person,
    candidate_facts,
    may,
)
from scoring.queries import scorecards as Q
from scoring.queries import seats as seat_queries
from scoring.rubric import Rubric
from scoring.status import (
    AHEAD_DAYS,
    MISSING_MAX,
    PER_PAGE,
    RECENT_DAYS,
    StatusPage,
    candidate_label,
    opening_status,
    status_board,
    status_counts,
    status_page,
)
from scoring.store import Store, now_utc, parse_stamp, stamp
from scoring.submission import check_submission, submission_problems
from scoring.text import REASON_MAX, check_length

__all__ = [  # its own names and those of the rooms it fronts, importable as before the split
    "AHEAD_DAYS",
    "DRAFT_MAX",
    "MISSING_MAX",
    "PER_PAGE",
    "RECENT_DAYS",
    "Assignment",
    "CandidateStatus",
    "CriterionEntry",
    "Draft",
    "EntryLike",
    "MyInterviews",
    "Scorecard",
    "SeatStatus",
    "Sheet",
    "StatusCounts",
    "StatusPage",
    "active_scorecard_ids",
    "candidate_label",
    "check_submission",
    "draft_of",
    "load_draft",
    "load_scorecards",
    "my_assignments",
    "my_interviews",
    "opening_status",
    "others",
    "own_scorecard",
    "panel",
    "revise",
    "revisions",
    "save_draft",
    "scorecard",
    "seat_status",
    "sheet",
    "status_board",
    "status_counts",
    "status_page",
    "submission_problems",
    "submit",
]


def _assignment(db: Database, assignment_id: int) -> Any:
    row = db.execute(Q.ASSIGNMENT, [assignment_id]).fetchone()
    if row is None:
        raise NotFound(f"No assignment with id {assignment_id}.")
    return row


def _could_see_others(actor: Person, facts: CandidateFacts) -> bool:
    """Could the author see another interviewer's submitted scorecard at this moment?"""
    others = any(
        s.submitted and not s.recused and s.interviewer_id != actor.id for s in facts.seats
    )
    return others and may(actor, "see_scores", facts)


def _write(
    g: Granted,
    assignment_id: int,
    overall: Any,
    feedback: str,
    criteria: Mapping[str, EntryLike],
    reason: str | None,
    now: datetime | None,
) -> Scorecard:
    """Write one revision on the guarded unit of work (`score` granted on the seat)."""
    at = now or now_utc()
    db, actor = g.db, g.actor
    row = _assignment(db, assignment_id)
    latest = db.execute(Q.LATEST_REVISION, [assignment_id]).fetchone()[0]
    starts = parse_stamp(row["starts_at"])
    if at < starts:
        raise InvalidInput(
            f"This interview starts {starts:%a %d %b %H:%M} UTC: its scorecard can be"
            " submitted once it has begun. Until then, keep your notes in the draft."
        )
    if reason is None and latest:
        raise InvalidInput("Your scorecard is already submitted: correct it with a reason.")
    if reason is not None and not latest:
        raise InvalidInput("There is no submitted scorecard to correct yet: submit it first.")
    if reason is not None and not reason.strip():
        raise InvalidInput("reason: say why you are correcting a submitted scorecard")
    check_length("reason", reason, REASON_MAX)
    opening = load_opening(db, row["opening_id"])
    rubric = rubric_snapshot(db, row["rubric_hash"])
    entries = check_submission(rubric, opening, overall, feedback, criteria)
    facts = candidate_facts(db, row["candidate_id"])
    saw_others = _could_see_others(actor, facts)
    revision = (latest or 0) + 1
    scorecard_id = db.execute(
        Q.ADD_SCORECARD,
        [
            assignment_id,
            revision,
            overall,
            personal.seal(db, row["candidate_id"], feedback.strip()),
            rubric.content_hash,
            stamp(at),
            personal.seal(db, row["candidate_id"], reason.strip()) if reason else None,
            int(saw_others),
        ],
    ).lastrowid
    db.executemany(
        Q.ADD_CRITERION_SCORE,
        [
            (scorecard_id, key, e.score, personal.seal(db, row["candidate_id"], e.evidence.strip()))
            for key, e in entries.items()
        ],
    )
    db.execute(Q.DELETE_DRAFT, [assignment_id])
    if revision == 1:  # the last one in: the hiring manager hears the panel is ready
        outbox.queue_ready(db, row["candidate_id"], at)
    audit.record(
        db,
        actor.id,
        "submit" if revision == 1 else "revise",
        f"scorecard:{scorecard_id}",
        at,
        assignment=assignment_id,
        revision=revision,
        saw_others=saw_others,
        digest=audit.row_digest(db, "scorecards", scorecard_id),
    )
    return load_scorecards(db, [scorecard_id])[0]


@guarded("score", on="assignment_id", write=True)
def submit(
    g: Granted,
    assignment_id: int,
    *,
    overall: int,
    feedback: str,
    criteria: Mapping[str, EntryLike],
    now: datetime | None = None,
) -> Scorecard:
    """Submit the scorecard for an assignment: validated, then final. All or nothing."""
    return _write(g, assignment_id, overall, feedback, criteria, None, now)


@guarded("score", on="assignment_id", write=True)
def revise(
    g: Granted,
    assignment_id: int,
    *,
    reason: str,
    overall: int,
    feedback: str,
    criteria: Mapping[str, EntryLike],
    now: datetime | None = None,
) -> Scorecard:
    """Correct a submitted scorecard: a new revision with a reason; the old one is kept."""
    return _write(g, assignment_id, overall, feedback, criteria, reason or "", now)


# ------------------------------------------------------------------------------------- reading


def load_scorecards(db: Database, scorecard_ids: list[int]) -> list[Scorecard]:
    """The scorecard revisions with these ids, in that order (ids not found left out). No
    permission check: callers hold one for every id they pass."""
    if not scorecard_ids:
        return []
    rows = db.execute(Q.cards(len(scorecard_ids)), scorecard_ids).fetchall()
    scores: dict[int, dict[str, CriterionEntry]] = {i: {} for i in scorecard_ids}
    for r in db.execute(Q.criterion_scores(len(scorecard_ids)), scorecard_ids):
        scores[r["scorecard_id"]][r["criterion_id"]] = CriterionEntry(r["score"], r["evidence"])
    by_id = {}
    for r in rows:
        submitted, ended = parse_stamp(r["submitted_at"]), parse_stamp(r["ends_at"])
        first = parse_stamp(r["first_submitted_at"])
        by_id[r["id"]] = Scorecard(
            id=r["id"],
            assignment_id=r["assignment_id"],
            candidate_id=r["candidate_id"],
            session_id=r["session_id"],
            session_title=r["session_title"],
            session_position=r["position"],
            interviewer_id=r["interviewer_id"],
            interviewer_name=r["interviewer_name"],
            revision=r["revision"],
            overall=r["overall"],
            feedback=r["feedback"],
            rubric_hash=r["rubric_hash"],
            submitted_at=submitted,
            first_submitted_at=first,
            session_ended_at=ended,
            revision_reason=r["revision_reason"],
            saw_others=bool(r["saw_others"]),
            late=first - ended > timedelta(hours=r["overdue_hours"]),
            criteria=scores[r["id"]],
        )
    return [by_id[i] for i in scorecard_ids if i in by_id]


def active_scorecard_ids(db: Database, candidate_id: int) -> list[int]:
    """The latest revision of every non-recused assignment of the candidate, in session order."""
    return [r[0] for r in db.execute(Q.ACTIVE_IDS, [candidate_id])]


@guarded("see_own", on="assignment_id")
def own_scorecard(g: Granted, assignment_id: int) -> Scorecard | None:
    """The acting interviewer's latest revision for their assignment, or None if not submitted."""
    _assignment(g.db, assignment_id)
    latest = g.db.execute(Q.LATEST_ID, [assignment_id]).fetchone()
    return load_scorecards(g.db, [latest[0]])[0] if latest else None


@guarded("see_scores", on="candidate_id")
def panel(g: Granted, candidate_id: int) -> list[Scorecard]:
    """Every active scorecard of the candidate (latest revisions, recused seats left out).
    NotAllowed unless the actor may see others' scores now."""
    return load_scorecards(g.db, active_scorecard_ids(g.db, candidate_id))


def seat_of_scorecard(db: Database, scorecard_id: int) -> int:
    """The assignment (seat) a scorecard revision belongs to; NotFound for an unknown id."""
    row = db.execute(Q.SEAT_OF_SCORECARD, [scorecard_id]).fetchone()
    if row is None:
        raise NotFound(f"No scorecard with id {scorecard_id}.")
    return row[0]


@guarded("read_scorecard", on="scorecard_id", via=seat_of_scorecard)
def scorecard(g: Granted, scorecard_id: int) -> Scorecard:
    """One revision by id: its author's, or anyone's who may see the candidate's panel."""
    return load_scorecards(g.db, [scorecard_id])[0]


@guarded("read_scorecard", on="assignment_id")
def revisions(g: Granted, assignment_id: int) -> list[Scorecard]:
    """Every revision of one assignment's scorecard, oldest first (the history): its author's,
    or anyone's who may see the candidate's panel."""
    ids = [r[0] for r in g.db.execute(Q.REVISION_IDS, [assignment_id])]
    return load_scorecards(g.db, ids)


# ------------------------------------------------------------------------------- the scoring sheet


@dataclass(frozen=True)
class Sheet:
    """Everything an interviewer's scorecard form needs for one assignment; no one else's score."""

    assignment_id: int
    candidate_id: int
    candidate: str  # the alias on an anonymised opening
    opening: Opening
    session_title: str
    starts_at: datetime
    ends_at: datetime
    rubric: Rubric
    state: str
    recusal_reason: str | None
    own: Scorecard | None  # the latest revision, once submitted
    draft: Draft | None
    draft_saved_at: datetime | None
    sees_others: bool  # may the author see others' scores now (a correction would be marked)?
    may_submit: bool  # the interview has begun: before, a draft only
    location: str = ""  # a room or a video link, as typed


@guarded("see_own", on="assignment_id")
def sheet(g: Granted, assignment_id: int, now: datetime | None = None) -> Sheet:
    """The acting interviewer's own assignment, ready to score or to read back."""
    at = now or now_utc()
    db, actor = g.db, g.actor
    row = _assignment(db, assignment_id)
    status = seat_status(db.execute(seat_queries.OF_SEAT, [assignment_id]).fetchone(), at)
    latest = db.execute(Q.LATEST_ID, [assignment_id]).fetchone()
    draft = db.execute(Q.DRAFT_AND_SAVED, [assignment_id]).fetchone()
    facts = candidate_facts(db, row["candidate_id"])
    return Sheet(
        assignment_id=assignment_id,
        candidate_id=row["candidate_id"],
        candidate=candidate_label(db, actor, row["candidate_id"]),
        opening=load_opening(db, row["opening_id"]),
        session_title=row["session_title"],
        starts_at=status.starts_at,
        ends_at=status.ends_at,
        rubric=rubric_snapshot(db, row["rubric_hash"]),
        state=status.state,
        recusal_reason=row["recusal_reason"],
        own=load_scorecards(db, [latest[0]])[0] if latest else None,
        draft=draft_of(json.loads(draft["content"])) if draft else None,
        draft_saved_at=parse_stamp(draft["saved_at"]) if draft else None,
        sees_others=_could_see_others(actor, facts),
        may_submit=at >= status.starts_at,
        location=status.location,
    )


def others(store: Store, actor: Person, candidate_id: int) -> list[Scorecard]:
    """The other interviewers' active scorecards for a candidate, if the reveal rule allows it
    now; NotAllowed (with the reason) otherwise."""
    return [c for c in panel(store, actor, candidate_id) if c.interviewer_id != actor.id]
