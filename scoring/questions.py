"""Question pools (issue 27; L1975, L1977, L2114): a criterion of a rubric may declare approved
questions (`Criterion.questions`). When a seat is created (`scoring.schedule.assign`), each such
criterion gets one question drawn uniformly at random from its pool, never one that is retired
and never one the candidate was already given (any seat, any session of theirs). The interviewer
sees it on the scorecard form (`seat_questions`); a question can be retired with a reason
(`retire_question`) and is never drawn again; an interviewer can flag suspected cheating on
their session with evidence (`flag_cheating`): a recorded fact the debrief shows (`flags`),
never a score (L1987).

Two interviewers of one session interview together: the second is given the first one's
questions, not a draw of their own; a replacement interviewer takes over the replaced seat's.
A question already given to a seat stays with it when it is retired later (history is kept);
it is not handed to a new seat again.
"""

from __future__ import annotations

import random
from datetime import datetime
from typing import Any

from scoring import audit, chance, personal
from scoring.errors import InvalidInput, NotFound
from scoring.guards import Granted, guarded
from scoring.models.questions import CheatingFlag
from scoring.opening_record import rubric_snapshot
from scoring.queries import questions as Q
from scoring.rubric import Catalog, Question
from scoring.store import now_utc, parse_stamp, stamp
from scoring.text import EVIDENCE_MAX, REASON_MAX, check_length, check_one_line, shorten

# ---------------------------------------------------------------------------------- drawing


def unused_seat_id(db, assignment_id: int) -> int:
    """The id a new seat keeps: its own, unless a drawn question, a flag or a consent still names
    it (SQLite hands out a deleted seat's id again when it was the highest, and those tables keep
    the rows of cancelled seats). Then the seat is renumbered past every id ever named, before
    anything else refers to it. PostgreSQL never hands an id out twice: nothing changes there."""
    if db.execute(Q.NAMED_SEAT, [assignment_id] * 3).fetchone() is None:
        return assignment_id
    fresh = db.execute(Q.HIGHEST_SEAT).fetchone()[0] + 1
    db.execute(Q.RENUMBER_SEAT, [fresh, assignment_id])
    return fresh


def draw_for_seat(
    db,
    assignment_id: int,
    at: datetime,
    rng: random.Random | None = None,
    *,
    inherit: int | None = None,
) -> list[str]:
    """Give a new seat its questions, in the caller's unit of work: for every criterion of the
    session's frozen rubric that has a pool, one row of `seat_questions`. The question is the
    one another seat of the same session was given (a pair interviews together) or, with
    `inherit`, the one the seat it replaces was given, unless that question is retired since;
    otherwise one drawn uniformly at random (`secrets.SystemRandom`, or `rng` in tests) among
    the pool's questions that are neither retired nor ever given to this candidate. Returns the
    ids of the criteria left without a question because none was left: no error, the form says
    so to the interviewer."""
    seat = db.execute(Q.SEAT, [assignment_id]).fetchone()
    if seat is None:
        raise NotFound(f"No assignment with id {assignment_id}.")
    rubric = rubric_snapshot(db, seat["rubric_hash"])
    pooled = [c for c in rubric.criteria if c.questions]
    if not pooled:
        return []
    already = {r["criterion_id"] for r in db.execute(Q.OF_SEAT, [assignment_id])}
    retired = {r[0] for r in db.execute(Q.RETIRED_OF_RUBRIC, [rubric.id])}
    had = {r[0] for r in db.execute(Q.HAD, [seat["candidate_id"], rubric.id])}
    shared: dict[str, str] = {}  # criterion id -> question id given to the same interview
    for row in db.execute(Q.OF_SESSION, [seat["session_id"], assignment_id]):
        shared.setdefault(row["criterion_id"], row["question_id"])
    if inherit is not None:
        for row in db.execute(Q.OF_SEAT, [inherit]):
            shared[row["criterion_id"]] = row["question_id"]
    pick = rng or chance.source()
    unfilled = []
    for criterion in pooled:
        if criterion.id in already:
            continue
        pool = {q.id: q for q in criterion.questions}
        question = pool.get(shared.get(criterion.id, ""))
        if question is None or question.id in retired:
            left = [q for q in criterion.questions if q.id not in retired and q.id not in had]
            if not left:
                unfilled.append(criterion.id)
                continue
            question = pick.choice(left)
        had.add(question.id)
        db.execute(
            Q.ADD,
            [
                assignment_id,
                criterion.id,
                seat["candidate_id"],
                rubric.id,
                question.id,
                question.version,
                stamp(at),
            ],
        )
    return unfilled


def drawn(db, assignment_id: int) -> dict[str, Question]:
    """The questions a seat was given, by criterion id, as its session's frozen rubric words
    them (one statement; the rubric is parsed once a process)."""
    return _worded(db, db.execute(Q.OF_SEAT_WITH_RUBRIC, [assignment_id])).get(assignment_id, {})


def drawn_for_candidate(db, candidate_id: int) -> dict[int, dict[str, Question]]:
    """The questions each of a candidate's seats was given, by assignment id then criterion id,
    for the debrief (one statement)."""
    return _worded(db, db.execute(Q.OF_CANDIDATE, [candidate_id]))


def _worded(db, rows: Any) -> dict[int, dict[str, Question]]:
    """Rows of drawn questions (with their seat's `assignment_id` and `rubric_hash`) as the
    frozen rubric words each question."""
    given: dict[int, dict[str, Question]] = {}
    for row in rows:
        rubric = rubric_snapshot(db, row["rubric_hash"])
        try:
            criterion = rubric.criterion(row["criterion_id"])
        except KeyError:
            continue
        for question in criterion.questions:
            if question.id == row["question_id"]:
                given.setdefault(row["assignment_id"], {})[criterion.id] = question
    return given


@guarded("see_own", on="assignment_id")
def seat_questions(g: Granted, assignment_id: int) -> dict[str, Question]:
    """The questions drawn for the actor's own seat, by criterion id, for the scorecard form.
    Called as `seat_questions(store, actor, assignment_id)`."""
    return drawn(g.db, assignment_id)


# --------------------------------------------------------------------------------- retiring


def pool_ids(db, rubric_id: str, catalog: Catalog | None = None) -> set[str]:
    """Every question id in the pools of any stored version of the rubric (what a draw can ever
    read: it reads the session's frozen snapshot), and of the catalog's version of it if given."""
    rubrics = [rubric_snapshot(db, r[0]) for r in db.execute(Q.SNAPSHOTS_OF_RUBRIC, [rubric_id])]
    if catalog is not None and rubric_id in catalog.rubrics:
        rubrics.append(catalog.rubrics[rubric_id])
    return {q.id for r in rubrics for c in r.criteria for q in c.questions}


@guarded("retire_question", write=True)
def retire_question(
    g: Granted,
    rubric_id: str,
    question_id: str,
    reason: str,
    now: datetime | None = None,
    *,
    catalog: Catalog | None = None,
) -> None:
    """Retire a question from its pool (leaked, too easy): it is never drawn again, for any
    opening; seats that already have it keep it. `reason` is one line. The question must be in a
    pool of a stored version of the rubric, the versions a draw reads; `catalog` (the loaded
    rubric files) also allows one whose rubric version no opening has frozen yet, so a leaked
    question can be retired before it is ever drawn. Append-only and audited; retiring it a
    second time is refused."""
    at = now or now_utc()
    reason = check_one_line("reason", check_length("reason", (reason or "").strip(), REASON_MAX))
    if not reason:
        raise InvalidInput("reason: say why the question is retired (leaked, too easy, ...)")
    db = g.db
    known = pool_ids(db, rubric_id, catalog)
    if not known:
        raise InvalidInput(
            f"rubric_id: no rubric {shorten(repr(rubric_id), 80)} with a question pool is known"
        )
    if question_id not in known:
        raise InvalidInput(
            f"question_id: rubric '{rubric_id}' has no question {shorten(repr(question_id), 80)}"
        )
    before = db.execute(Q.RETIRED_ONE, [rubric_id, question_id]).fetchone()
    if before is not None:
        raise InvalidInput(
            f"question_id: '{question_id}' of '{rubric_id}' is already retired"
            f" ({parse_stamp(before['retired_at']):%d %b %Y}, {before['retired_by']}:"
            f" {shorten(before['reason'], 120)})"
        )
    db.execute(Q.RETIRE, [rubric_id, question_id, reason, g.actor.id, stamp(at)])
    audit.record(
        db, g.actor.id, "retire_question", f"question:{rubric_id}/{question_id}", at, reason=reason
    )


# ---------------------------------------------------------------------------------- cheating


@guarded("flag_cheating", on="assignment_id", write=True)
def flag_cheating(
    g: Granted,
    assignment_id: int,
    evidence: str,
    question_id: str | None = None,
    now: datetime | None = None,
) -> int:
    """An interviewer flags suspected cheating on their own session, with the evidence (what
    they saw or heard; at most `EVIDENCE_MAX` characters, kept as typed and always shown as
    text), optionally naming the drawn question it concerns. A recorded fact shown on the
    debrief to the decision makers, never a score. Append-only and audited; returns its id."""
    at = now or now_utc()
    text = check_length("evidence", (evidence or "").strip(), EVIDENCE_MAX)
    if not text:
        raise InvalidInput("evidence: say what you saw or heard that suggests cheating")
    db = g.db
    if question_id is not None and question_id not in {
        q.id for q in drawn(db, assignment_id).values()
    }:
        raise InvalidInput(
            f"question_id: {shorten(repr(question_id), 80)} was not drawn for this session"
        )
    candidate_id = g.facts.candidate_id
    flag_id = db.execute(
        Q.FLAG,
        [
            assignment_id,
            candidate_id,
            question_id,
            g.actor.id,
            personal.seal(db, candidate_id, text),
            stamp(at),
        ],
    ).lastrowid
    audit.record(
        db,
        g.actor.id,
        "flag_cheating",
        f"assignment:{assignment_id}",
        at,
        candidate=candidate_id,
        evidence=personal.seal(db, candidate_id, text),
        **({"question": question_id} if question_id else {}),
    )
    return flag_id


def flags(db, candidate_id: int) -> list[CheatingFlag]:
    """A candidate's cheating flags, oldest first, for the debrief (whose guard has already
    allowed the reader to see the panel)."""
    return [_flag(row) for row in db.execute(Q.FLAGS_OF_CANDIDATE, [candidate_id])]


def _flag(row: Any) -> CheatingFlag:
    return CheatingFlag(
        id=row["id"],
        assignment_id=row["assignment_id"],
        flagged_by=row["flagged_by"],
        flagged_at=parse_stamp(row["flagged_at"]),
        evidence=row["evidence"],
        session_title=row["session_title"] or "",
        question_id=row["question_id"],
        question_version=row["question_version"],
    )
