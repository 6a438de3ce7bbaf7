"""Scorecards: submitting, correcting, and reading them under the blind-scoring rules.

A submitted scorecard is final. A correction is a new revision with a reason; a revision made when
its author could already see others' scores is marked (`saw_others`). Every read of a score goes
through the permission table (`scoring.permissions`), whichever function is called: asking for
another interviewer's scores too early raises NotAllowed.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlite_utils import Database

from scoring import audit, outbox
from scoring.candidates import candidate_ids
from scoring.errors import InvalidInput, NotFound
from scoring.opening_record import Opening, _opening, rubric_snapshot
from scoring.permissions import (
    CandidateFacts,
    Person,
    candidate_facts,
    candidates_facts,
    current,
    ensure,
    may,
    opening_facts,
    seat_facts,
)
from scoring.rubric import Rubric
from scoring.store import Store, now_utc, parse_stamp, stamp
from scoring.text import EVIDENCE_MAX, FEEDBACK_MAX, REASON_MAX, check_length

# A draft holds at most a full scorecard: feedback, a correction's reason, evidence for up to 20
# criteria, and room for the form's keys and JSON escapes.
DRAFT_MAX = 2 * (FEEDBACK_MAX + REASON_MAX + 20 * EVIDENCE_MAX)


@dataclass(frozen=True)
class CriterionEntry:
    """One criterion on a scorecard: a score, or None for "not assessed", and the evidence."""

    score: int | None
    evidence: str = ""


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


EntryLike = CriterionEntry | Mapping[str, Any] | int | None


def _entry(value: EntryLike) -> CriterionEntry:
    if isinstance(value, CriterionEntry):
        return value
    if isinstance(value, Mapping):
        return CriterionEntry(value.get("score"), str(value.get("evidence") or ""))
    return CriterionEntry(value)


def submission_problems(
    rubric: Rubric,
    opening: Opening,
    overall: Any,
    feedback: str,
    criteria: Mapping[str, EntryLike],
) -> dict[str, str]:
    """Everything wrong with a scorecard before it can be submitted, by field (`overall`,
    `feedback`, `criteria.<id>`, `criteria.<id>.evidence`), in words an interviewer acts on.
    Empty when it may be submitted. The form shows each next to its field."""
    problems: dict[str, str] = {}
    entries = {key: _entry(value) for key, value in criteria.items()}
    for key in entries:
        if not any(c.id == key for c in rubric.criteria):
            problems[f"criteria.{key}"] = f"The rubric '{rubric.id}' has no criterion '{key}'."
    for criterion in rubric.criteria:
        field = f"criteria.{criterion.id}"
        entry = entries.get(criterion.id)
        if entry is None or entry.score is None:
            if criterion.required and entry is None:
                problems[field] = f"Choose a point for “{criterion.name}”."
            elif criterion.required:
                problems[field] = (
                    f"“{criterion.name}” must be scored: it cannot be marked not assessed."
                )
        elif not criterion.scale.contains(entry.score):
            problems[field] = (
                f"Choose one of the points {criterion.scale.min} to {criterion.scale.max}"
                f" for “{criterion.name}” (got {entry.score!r})."
            )
        if entry is not None and len(entry.evidence) > EVIDENCE_MAX:
            problems[f"{field}.evidence"] = (
                f"{len(entry.evidence):,} characters; at most {EVIDENCE_MAX:,}"
            )
    scale = opening.scale.scale
    if overall is None:
        problems["overall"] = "Choose an overall recommendation."
    elif not scale.contains(overall):
        problems["overall"] = (
            f"Choose an overall recommendation from {scale.min} to {scale.max} (got {overall!r})."
        )
    elif opening.forced_choice and not scale.is_strong(overall):
        low, high = opening.scale.labels[scale.min], opening.scale.labels[scale.max]
        problems["overall"] = (
            f"This opening asks for {scale.min} ({low}) or {scale.max} ({high}) only:"
            " if this is a weak no, it is a no."
        )
    if not (feedback or "").strip():
        problems["feedback"] = "Write your feedback: why this recommendation."
    elif len(feedback) > FEEDBACK_MAX:
        problems["feedback"] = f"{len(feedback):,} characters; at most {FEEDBACK_MAX:,}"
    return problems


def check_submission(
    rubric: Rubric,
    opening: Opening,
    overall: Any,
    feedback: str,
    criteria: Mapping[str, EntryLike],
) -> dict[str, CriterionEntry]:
    """Validate a scorecard against its rubric snapshot and opening; return the clean entries.
    Raises InvalidInput with the first problem, its field named: nothing is written."""
    problems = submission_problems(rubric, opening, overall, feedback, criteria)
    if problems:
        field, message = next(iter(problems.items()))
        raise InvalidInput(f"{field}: {message}")
    entries = {key: _entry(value) for key, value in criteria.items()}
    for criterion in rubric.criteria:
        entries.setdefault(criterion.id, CriterionEntry(None))
    return entries


def _assignment(db: Database, assignment_id: int) -> Any:
    row = db.execute(
        """SELECT a.*, i.candidate_id, i.rubric_hash, i.title AS session_title, i.ends_at,
                  i.starts_at,
                  i.position, c.opening_id
           FROM assignments a JOIN interview_sessions i ON i.id = a.session_id
           JOIN candidates c ON c.id = i.candidate_id WHERE a.id = ?""",
        [assignment_id],
    ).fetchone()
    if row is None:
        raise NotFound(f"No assignment with id {assignment_id}.")
    return row


def _own_assignment(db: Database, actor: Person, assignment_id: int, *, to_score: bool) -> Any:
    """The actor's own assignment: to score it (`score`) or to read it back (`see_own`)."""
    ensure(actor, "score" if to_score else "see_own", seat_facts(db, assignment_id))
    return _assignment(db, assignment_id)


def _could_see_others(actor: Person, facts: CandidateFacts) -> bool:
    """Could the author see another interviewer's submitted scorecard at this moment?"""
    others = any(
        s.submitted and not s.recused and s.interviewer_id != actor.id for s in facts.seats
    )
    return others and may(actor, "see_scores", facts)


def _write(
    store: Store,
    actor: Person,
    assignment_id: int,
    overall: Any,
    feedback: str,
    criteria: Mapping[str, EntryLike],
    reason: str | None,
    now: datetime | None,
) -> Scorecard:
    at = now or now_utc()
    with store.write() as db:
        actor = current(db, actor)
        row = _own_assignment(db, actor, assignment_id, to_score=True)
        latest = db.execute(
            "SELECT MAX(revision) FROM scorecards WHERE assignment_id = ?", [assignment_id]
        ).fetchone()[0]
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
        opening = _opening(db, row["opening_id"])
        rubric = rubric_snapshot(db, row["rubric_hash"])
        entries = check_submission(rubric, opening, overall, feedback, criteria)
        facts = candidate_facts(db, row["candidate_id"])
        saw_others = _could_see_others(actor, facts)
        revision = (latest or 0) + 1
        scorecard_id = db.execute(
            """INSERT INTO scorecards (assignment_id, revision, overall, feedback, rubric_hash,
                 submitted_at, revision_reason, saw_others) VALUES (?, ?, ?, ?, ?, ?, ?, ?)""",
            [
                assignment_id,
                revision,
                overall,
                feedback.strip(),
                rubric.content_hash,
                stamp(at),
                reason.strip() if reason else None,
                int(saw_others),
            ],
        ).lastrowid
        db.conn.executemany(
            "INSERT INTO criterion_scores (scorecard_id, criterion_id, score, evidence)"
            " VALUES (?, ?, ?, ?)",
            [(scorecard_id, key, e.score, e.evidence.strip()) for key, e in entries.items()],
        )
        db.execute("DELETE FROM drafts WHERE assignment_id = ?", [assignment_id])
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
        return _load(db, [scorecard_id])[0]


def submit(
    store: Store,
    actor: Person,
    assignment_id: int,
    *,
    overall: int,
    feedback: str,
    criteria: Mapping[str, EntryLike],
    now: datetime | None = None,
) -> Scorecard:
    """Submit the scorecard for an assignment: validated, then final. All or nothing."""
    return _write(store, actor, assignment_id, overall, feedback, criteria, None, now)


def revise(
    store: Store,
    actor: Person,
    assignment_id: int,
    *,
    reason: str,
    overall: int,
    feedback: str,
    criteria: Mapping[str, EntryLike],
    now: datetime | None = None,
) -> Scorecard:
    """Correct a submitted scorecard: a new revision with a reason; the old one is kept."""
    return _write(store, actor, assignment_id, overall, feedback, criteria, reason or "", now)


# ------------------------------------------------------------------------------------- reading


_SELECT = """
    SELECT s.*, a.interviewer_id, a.session_id, i.candidate_id, i.title AS session_title,
           i.position, i.ends_at, p.name AS interviewer_name, o.overdue_hours,
           (SELECT MIN(f.submitted_at) FROM scorecards f
            WHERE f.assignment_id = s.assignment_id) AS first_submitted_at
    FROM scorecards s JOIN assignments a ON a.id = s.assignment_id
    JOIN interview_sessions i ON i.id = a.session_id
    JOIN candidates c ON c.id = i.candidate_id JOIN openings o ON o.id = c.opening_id
    JOIN people p ON p.id = a.interviewer_id
"""


def _load(db: Database, scorecard_ids: list[int]) -> list[Scorecard]:
    if not scorecard_ids:
        return []
    marks = ",".join("?" * len(scorecard_ids))
    rows = db.execute(f"{_SELECT} WHERE s.id IN ({marks})", scorecard_ids).fetchall()
    scores: dict[int, dict[str, CriterionEntry]] = {i: {} for i in scorecard_ids}
    for r in db.execute(
        f"SELECT * FROM criterion_scores WHERE scorecard_id IN ({marks})", scorecard_ids
    ):
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


def own_scorecard(store: Store, actor: Person, assignment_id: int) -> Scorecard | None:
    """The acting interviewer's latest revision for their assignment, or None if not submitted."""
    with store.read() as db:
        actor = current(db, actor)
        _own_assignment(db, actor, assignment_id, to_score=False)
        latest = db.execute(
            "SELECT id FROM scorecards WHERE assignment_id = ? ORDER BY revision DESC LIMIT 1",
            [assignment_id],
        ).fetchone()
        return _load(db, [latest[0]])[0] if latest else None


def _active_ids(db: Database, candidate_id: int) -> list[int]:
    """The latest revision of every non-recused assignment of the candidate, in session order."""
    return [
        r[0]
        for r in db.execute(
            """SELECT s.id FROM interview_sessions i
               JOIN assignments a ON a.session_id = i.id AND a.recused_at IS NULL
               JOIN scorecards s ON s.assignment_id = a.id
               WHERE i.candidate_id = ? AND s.revision =
                 (SELECT MAX(revision) FROM scorecards WHERE assignment_id = a.id)
               ORDER BY i.position, a.id""",
            [candidate_id],
        )
    ]


def _ensure_reads(db: Database, actor: Person, assignment_id: int) -> None:
    """One assignment's scorecard is readable by its author, or by whoever may see the panel."""
    seat = seat_facts(db, assignment_id)
    if may(actor, "see_own", seat):
        return
    ensure(actor, "see_scores", candidate_facts(db, seat.candidate_id))


def panel(store: Store, actor: Person, candidate_id: int) -> list[Scorecard]:
    """Every active scorecard of the candidate (latest revisions, recused seats left out).
    NotAllowed unless the actor may see others' scores now."""
    with store.read() as db:
        ensure(current(db, actor), "see_scores", candidate_facts(db, candidate_id))
        return _load(db, _active_ids(db, candidate_id))


def scorecard(store: Store, actor: Person, scorecard_id: int) -> Scorecard:
    """One revision by id: its author's, or anyone's who may see the candidate's panel."""
    with store.read() as db:
        actor = current(db, actor)
        found = _load(db, [scorecard_id])
        if not found:
            raise NotFound(f"No scorecard with id {scorecard_id}.")
        _ensure_reads(db, actor, found[0].assignment_id)
        return found[0]


def revisions(store: Store, actor: Person, assignment_id: int) -> list[Scorecard]:
    """Every revision of one assignment's scorecard, oldest first (the history)."""
    with store.read() as db:
        _ensure_reads(db, current(db, actor), assignment_id)
        ids = [
            r[0]
            for r in db.execute(
                "SELECT id FROM scorecards WHERE assignment_id = ? ORDER BY revision",
                [assignment_id],
            )
        ]
        return _load(db, ids)


# ----------------------------------------------------------------------------- drafts and status


def save_draft(
    store: Store,
    actor: Person,
    assignment_id: int,
    content: Mapping[str, Any],
    now: datetime | None = None,
) -> None:
    """Keep a work-in-progress scorecard (any shape the form needs) across sign-outs. Bounded:
    at most what a full scorecard may hold, with room for the form's own keys."""
    at = now or now_utc()
    content = json.dumps(dict(content))
    check_length("draft", content, DRAFT_MAX)
    with store.write() as db:
        actor = current(db, actor)
        _own_assignment(db, actor, assignment_id, to_score=True)
        if db.execute(
            "SELECT 1 FROM scorecards WHERE assignment_id = ?", [assignment_id]
        ).fetchone():
            raise InvalidInput("This scorecard is already submitted.")
        db.execute(
            "INSERT INTO drafts (assignment_id, content, saved_at) VALUES (?, ?, ?)"
            " ON CONFLICT (assignment_id) DO UPDATE SET content = excluded.content,"
            " saved_at = excluded.saved_at",
            [assignment_id, content, stamp(at)],
        )


def load_draft(store: Store, actor: Person, assignment_id: int) -> dict[str, Any] | None:
    """The interviewer's saved draft for an assignment, if any."""
    with store.read() as db:
        actor = current(db, actor)
        _own_assignment(db, actor, assignment_id, to_score=False)
        row = db.execute(
            "SELECT content FROM drafts WHERE assignment_id = ?", [assignment_id]
        ).fetchone()
        return json.loads(row["content"]) if row else None


@dataclass(frozen=True)
class SeatStatus:
    """One session × interviewer on the status board: never a score."""

    assignment_id: int
    session_id: int
    session_title: str
    position: int
    interviewer_id: int
    interviewer_name: str
    starts_at: datetime
    ends_at: datetime
    state: str  # upcoming, to_do, overdue, submitted, late, recused
    submitted_at: datetime | None
    revisions: int
    recusal_reason: str | None
    has_draft: bool
    last_reminded_at: datetime | None = None  # the latest due, overdue or nudge queued
    location: str = ""  # where the session takes place: a room or a video link, as typed

    @property
    def hours_after_session(self) -> float | None:
        """Hours from the end of the session to the first submission."""
        if self.submitted_at is None:
            return None
        return (self.submitted_at - self.ends_at).total_seconds() / 3600


def _state(
    ends: datetime, submitted: datetime | None, recused: bool, overdue_hours: float, at: datetime
) -> str:
    limit = timedelta(hours=overdue_hours)
    if recused:
        return "recused"
    if submitted is not None:
        return "late" if submitted - ends > limit else "submitted"
    if at < ends:
        return "upcoming"
    return "overdue" if at - ends > limit else "to_do"


_STATUS_SQL = """
    SELECT a.id AS assignment_id, a.session_id, a.interviewer_id, a.recused_at,
           a.recusal_reason, i.title, i.position, i.starts_at, i.ends_at, i.candidate_id,
           p.name AS interviewer_name, o.overdue_hours, i.location,
           (SELECT MIN(submitted_at) FROM scorecards s WHERE s.assignment_id = a.id) AS submitted,
           (SELECT COUNT(*) FROM scorecards s WHERE s.assignment_id = a.id) AS revisions,
           EXISTS (SELECT 1 FROM drafts d WHERE d.assignment_id = a.id) AS has_draft,
           (SELECT MAX(m.created_at) FROM outbox m WHERE m.assignment_id = a.id
            AND m.kind IN ('due', 'overdue', 'reminder')) AS last_reminded
    FROM assignments a JOIN interview_sessions i ON i.id = a.session_id
    JOIN candidates c ON c.id = i.candidate_id JOIN openings o ON o.id = c.opening_id
    JOIN people p ON p.id = a.interviewer_id
"""


def _seat_status(r: Any, at: datetime) -> SeatStatus:
    starts, ends = parse_stamp(r["starts_at"]), parse_stamp(r["ends_at"])
    submitted = parse_stamp(r["submitted"])
    return SeatStatus(
        assignment_id=r["assignment_id"],
        session_id=r["session_id"],
        session_title=r["title"],
        position=r["position"],
        interviewer_id=r["interviewer_id"],
        interviewer_name=r["interviewer_name"],
        starts_at=starts,
        ends_at=ends,
        state=_state(ends, submitted, bool(r["recused_at"]), r["overdue_hours"], at),
        submitted_at=submitted,
        revisions=r["revisions"],
        recusal_reason=r["recusal_reason"],
        has_draft=bool(r["has_draft"]),
        last_reminded_at=parse_stamp(r["last_reminded"]),
        location=r["location"] or "",
    )


def status_board(
    store: Store, actor: Person, candidate_id: int, now: datetime | None = None
) -> list[SeatStatus]:
    """Who has submitted, who is late, missing or recused, for one candidate. No scores."""
    at = now or now_utc()
    with store.read() as db:
        ensure(current(db, actor), "see_status", candidate_facts(db, candidate_id))
        rows = db.execute(
            _STATUS_SQL + " WHERE i.candidate_id = ? ORDER BY i.position, a.id", [candidate_id]
        ).fetchall()
        return [_seat_status(r, at) for r in rows]


@dataclass(frozen=True)
class CandidateStatus:
    """One candidate on an opening's Status page: the seats and whether the debrief is open."""

    candidate_id: int
    candidate: str
    seats: list[SeatStatus]
    debrief_open: bool
    withdrawn: bool = False


def opening_status(
    store: Store, actor: Person, opening_id: int, now: datetime | None = None
) -> list[CandidateStatus]:
    """Every candidate of an opening with their status board (no scores), for the coordinator
    and the opening's hiring manager."""
    at = now or now_utc()
    with store.read() as db:
        actor = current(db, actor)
        ensure(actor, "see_opening_status", opening_facts(db, opening_id))
        ids = candidate_ids(db, opening_id)
        boards: dict[int, CandidateStatus] = {}
        for n in range(0, len(ids), 500):  # a few queries for each 500, never one each
            boards |= _boards(db, actor, ids[n : n + 500], at)
        return [boards[i] for i in ids]


@dataclass(frozen=True)
class Assignment:
    """One of the acting interviewer's sessions, as "My interviews" lists it."""

    status: SeatStatus
    candidate_id: int
    candidate: str  # the name, or the alias on an anonymised opening
    opening_id: int
    opening_title: str


def my_assignments(store: Store, actor: Person, now: datetime | None = None) -> list[Assignment]:
    """The actor's assignments, soonest first (recused ones included, marked)."""
    at = now or now_utc()
    with store.read() as db:
        actor = current(db, actor)
        rows = db.execute(
            _STATUS_SQL.replace(
                "p.name AS interviewer_name,",
                "p.name AS interviewer_name, c.name AS candidate_name, c.alias, o.anonymise,"
                " o.title AS opening_title, c.opening_id,",
            )
            + " WHERE a.interviewer_id = ? ORDER BY i.starts_at, a.id",
            [actor.id],
        ).fetchall()
        return _rows_from(rows, at)


def candidate_label(
    db: Database, actor: Person, candidate_id: int, facts: CandidateFacts | None = None
) -> str:
    """The candidate's name, or their alias where the actor may not see the name."""
    facts = facts or candidate_facts(db, candidate_id)
    row = db.execute("SELECT name, alias FROM candidates WHERE id = ?", [candidate_id]).fetchone()
    return row["name"] if may(actor, "see_name", facts) else row["alias"]


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
    draft: dict[str, Any] | None
    draft_saved_at: datetime | None
    sees_others: bool  # may the author see others' scores now (a correction would be marked)?
    may_submit: bool  # the interview has begun: before, a draft only
    location: str = ""  # a room or a video link, as typed


def sheet(store: Store, actor: Person, assignment_id: int, now: datetime | None = None) -> Sheet:
    """The acting interviewer's own assignment, ready to score or to read back."""
    at = now or now_utc()
    with store.read() as db:
        actor = current(db, actor)
        row = _own_assignment(db, actor, assignment_id, to_score=False)
        status = _seat_status(
            db.execute(_STATUS_SQL + " WHERE a.id = ?", [assignment_id]).fetchone(), at
        )
        latest = db.execute(
            "SELECT id FROM scorecards WHERE assignment_id = ? ORDER BY revision DESC LIMIT 1",
            [assignment_id],
        ).fetchone()
        draft = db.execute(
            "SELECT content, saved_at FROM drafts WHERE assignment_id = ?", [assignment_id]
        ).fetchone()
        facts = candidate_facts(db, row["candidate_id"])
        return Sheet(
            assignment_id=assignment_id,
            candidate_id=row["candidate_id"],
            candidate=candidate_label(db, actor, row["candidate_id"]),
            opening=_opening(db, row["opening_id"]),
            session_title=row["session_title"],
            starts_at=status.starts_at,
            ends_at=status.ends_at,
            rubric=rubric_snapshot(db, row["rubric_hash"]),
            state=status.state,
            recusal_reason=row["recusal_reason"],
            own=_load(db, [latest[0]])[0] if latest else None,
            draft=json.loads(draft["content"]) if draft else None,
            draft_saved_at=parse_stamp(draft["saved_at"]) if draft else None,
            sees_others=_could_see_others(actor, facts),
            may_submit=at >= status.starts_at,
            location=status.location,
        )


def others(store: Store, actor: Person, candidate_id: int) -> list[Scorecard]:
    """The other interviewers' active scorecards for a candidate, if the reveal rule allows it
    now; NotAllowed (with the reason) otherwise."""
    return [c for c in panel(store, actor, candidate_id) if c.interviewer_id != actor.id]


# -------------------------------------------------------------------- bounded pages: what is near


RECENT_DAYS = 14
"""How far back Status looks by default: the recent past, where the work is."""
AHEAD_DAYS = 14
"""How far ahead Status looks by default."""
PER_PAGE = 25
MISSING_MAX = 25
"""At most this many missing scorecards on Status (the oldest first)."""


def _rows_from(rows: list[Any], at: datetime) -> list[Assignment]:
    return [
        Assignment(
            status=_seat_status(r, at),
            candidate_id=r["candidate_id"],
            # an anonymised opening shows its scorers the alias, everywhere
            candidate=r["alias"] if r["anonymise"] else r["candidate_name"],
            opening_id=r["opening_id"],
            opening_title=r["opening_title"],
        )
        for r in rows
    ]


_MINE_SQL = _STATUS_SQL.replace(
    "p.name AS interviewer_name,",
    "p.name AS interviewer_name, c.name AS candidate_name, c.alias, o.anonymise,"
    " o.title AS opening_title, c.opening_id,",
).replace(
    # from the sessions' start-time index: a window of days costs what those days hold
    "FROM assignments a JOIN interview_sessions i ON i.id = a.session_id",
    "FROM interview_sessions i INDEXED BY sessions_by_start"
    " JOIN assignments a ON a.session_id = i.id",
)


@dataclass(frozen=True)
class MyInterviews:
    """What My interviews shows: every session from `since` on (today and upcoming), and one
    page of the earlier ones, the latest first."""

    since: datetime
    near: list[Assignment]  # from `since` on, soonest first, recused ones included
    earlier: list[Assignment]  # one page before `since`, the latest first
    earlier_page: int
    more_earlier: bool  # another page before this one


def my_interviews(
    store: Store,
    actor: Person,
    since: datetime,
    *,
    earlier_page: int = 1,
    per_page: int = PER_PAGE,
    now: datetime | None = None,
) -> MyInterviews:
    """The actor's own sessions from `since` on (the page passes the start of today) and page
    `earlier_page` of the ones before it, the latest first. Two walks along the sessions'
    start-time index that stop at what is shown: the cost follows the schedule and the page,
    not how many interviews the person ever did."""
    at = now or now_utc()
    with store.read() as db:
        actor = current(db, actor)
        near = db.execute(
            _MINE_SQL + " WHERE i.starts_at >= ? AND a.interviewer_id = ?"
            " ORDER BY i.starts_at, a.id",
            [stamp(since), actor.id],
        ).fetchall()
        page = max(1, earlier_page)
        earlier = db.execute(
            _MINE_SQL + " WHERE i.starts_at < ? AND a.interviewer_id = ?"
            " ORDER BY i.starts_at DESC, a.id DESC LIMIT ? OFFSET ?",
            [stamp(since), actor.id, per_page + 1, (page - 1) * per_page],
        ).fetchall()
        return MyInterviews(
            since=since,
            near=_rows_from(near, at),
            earlier=_rows_from(earlier[:per_page], at),
            earlier_page=page,
            more_earlier=len(earlier) > per_page,
        )


@dataclass(frozen=True)
class StatusPage:
    """One page of an opening's Status: the candidates with a session between `since` and
    `until`, latest session first, and the scorecards missing from sessions in that window."""

    opening_id: int
    since: datetime
    until: datetime
    candidates: list[CandidateStatus]  # this page's
    missing: list[tuple[CandidateStatus, SeatStatus]]  # due or overdue, oldest session first
    more_missing: bool  # more are missing from later sessions of the window
    total: int  # candidates in the window (every page)
    page: int
    pages: int


_WINDOW_SQL = """FROM interview_sessions i INDEXED BY sessions_by_start
                 JOIN candidates c ON c.id = i.candidate_id
                 WHERE i.starts_at >= ? AND i.starts_at < ? AND c.opening_id = ?"""


def status_page(
    store: Store,
    actor: Person,
    opening_id: int,
    since: datetime,
    until: datetime,
    *,
    page: int = 1,
    per_page: int = PER_PAGE,
    missing_max: int = MISSING_MAX,
    now: datetime | None = None,
) -> StatusPage:
    """Status for the coordinator and the opening's hiring manager (never a score), bounded by
    a window of session dates: the candidates with a session in it, a page at a time, and the
    scorecards due or overdue from its sessions (at most `missing_max`). A fixed number of
    set-based queries, whatever the opening's history."""
    at = now or now_utc()
    window = [stamp(since), stamp(until), opening_id]
    with store.read() as db:
        actor = current(db, actor)
        ensure(actor, "see_opening_status", opening_facts(db, opening_id))
        total = db.execute(
            f"SELECT COUNT(DISTINCT i.candidate_id) {_WINDOW_SQL}", window
        ).fetchone()[0]
        pages = max(1, -(-total // per_page))
        page = min(max(1, page), pages)
        ids = [
            r[0]
            for r in db.execute(
                f"""SELECT i.candidate_id {_WINDOW_SQL} GROUP BY i.candidate_id
                    ORDER BY MAX(i.starts_at) DESC, i.candidate_id DESC LIMIT ? OFFSET ?""",
                [*window, per_page, (page - 1) * per_page],
            )
        ]
        found_missing = db.execute(
            _STATUS_SQL.replace(
                "FROM assignments a JOIN interview_sessions i ON i.id = a.session_id",
                "FROM interview_sessions i INDEXED BY sessions_by_start"
                " JOIN assignments a ON a.session_id = i.id",
            )
            + """ WHERE i.starts_at >= ? AND i.starts_at < ? AND c.opening_id = ?
                  AND i.ends_at <= ? AND a.recused_at IS NULL AND c.withdrawn_at IS NULL
                  AND NOT EXISTS (SELECT 1 FROM scorecards s WHERE s.assignment_id = a.id)
                ORDER BY i.starts_at, a.id LIMIT ?""",
            [*window, stamp(at), missing_max + 1],
        ).fetchall()
        missing_rows = found_missing[:missing_max]
        everyone = list(dict.fromkeys(ids + [r["candidate_id"] for r in missing_rows]))
        boards = _boards(db, actor, everyone, at)
        return StatusPage(
            opening_id=opening_id,
            since=since,
            until=until,
            candidates=[boards[i] for i in ids],
            missing=[(boards[r["candidate_id"]], _seat_status(r, at)) for r in missing_rows],
            more_missing=len(found_missing) > missing_max,
            total=total,
            page=page,
            pages=pages,
        )


def _boards(
    db: Database, actor: Person, ids: list[int], at: datetime
) -> dict[int, CandidateStatus]:
    """The status board of each candidate, in four queries for them all (facts, names, seats)."""
    if not ids:
        return {}
    marks = ",".join("?" * len(ids))
    facts = candidates_facts(db, ids)
    names = {
        r["id"]: r
        for r in db.execute(
            f"SELECT id, name, alias, withdrawn_at FROM candidates WHERE id IN ({marks})", ids
        )
    }
    seats: dict[int, list[SeatStatus]] = {i: [] for i in ids}
    for r in db.execute(
        _STATUS_SQL + f" WHERE i.candidate_id IN ({marks}) ORDER BY i.position, a.id", ids
    ):
        seats[r["candidate_id"]].append(_seat_status(r, at))
    boards = {}
    for i in ids:
        ensure(actor, "see_status", facts[i])
        row = names[i]
        boards[i] = CandidateStatus(
            candidate_id=i,
            candidate=row["name"] if may(actor, "see_name", facts[i]) else row["alias"],
            seats=seats[i],
            debrief_open=facts[i].debrief_open,
            withdrawn=row["withdrawn_at"] is not None,
        )
    return boards
