"""Reviewing a candidate's screen or take-home, and deciding its stage (issue 27): the review
(checked like a scorecard, blind to the others' until it is in), the stage's rule settling the
outcome once the reviews are in, spot checks of a provisional bar's rejections, the hiring
manager's hand where the rule leaves it to them, a coordinator's extra reviewer and the offer's
answer; and what a reviewer, the hiring manager and Insights read of it. The process itself and
where candidates stand are in `scoring.stages`.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from scoring import audit, chance, personal
from scoring.errors import InvalidInput
from scoring.guards import Granted, guarded
from scoring.models.stages import KIND_WORDS, Stage
from scoring.opening_record import load as load_opening
from scoring.opening_record import rubric_snapshot
from scoring.permissions import Person, current
from scoring.queries import stages as Q
from scoring.rubric import Rubric
from scoring.stages import (
    _least_loaded,
    _stage_and_opening,
    assign_reviewers,
    enter,
    may_review,
    process,
    progress_of,
    stage_at,
    verdict,
    weighted,
)
from scoring.store import Store, now_utc, parse_stamp, stamp
from scoring.submission import check_submission
from scoring.text import REASON_MAX, check_length, check_one_line


@guarded("review_stage", on="seat_id", write=True)
def review(
    g: Granted,
    seat_id: int,
    criteria: Mapping[str, Any],
    overall: Any,
    notes: str,
    now: datetime | None = None,
) -> int:
    """A reviewer writes their review of a candidate's screen or take-home: the rubric's
    criteria, a recommendation on the opening's scale and notes. Checked like a scorecard
    (every problem names its field; nothing is written on one). Once the stage's reviews are in,
    its rule decides the outcome, in the same unit of work. Returns the review's id."""
    db, at = g.db, now or now_utc()
    seat = db.execute(Q.SEAT, [seat_id]).fetchone()
    candidate, stage, opening = _stage_and_opening(db, seat["candidate_id"], seat["position"])
    if candidate["withdrawn_at"]:
        raise InvalidInput("candidate: This candidate has withdrawn: there is nothing to review.")
    if candidate["closed_at"]:
        raise InvalidInput("opening: This opening is closed.")
    where = progress_of(db, candidate["id"])
    if seat["purpose"] == "review" and not (
        where.stage == stage.position and where.state == "in_process"
    ):
        raise InvalidInput(f"stage: {stage.title} is already decided for this candidate.")
    if (
        stage.kind == "take_home"
        and not db.execute(Q.TAKE_HOME_SUBMITTED, [candidate["id"], stage.position]).fetchone()
    ):
        raise InvalidInput("take_home: The candidate's answer is not in yet.")
    rubric = rubric_snapshot(db, stage.rubric_hash)
    entries = check_submission(rubric, opening, overall, notes, criteria)
    scores = {key: entry.score for key, entry in entries.items()}
    weight = weighted(rubric, scores)
    review_id = db.execute(
        Q.ADD_REVIEW,
        [
            seat_id,
            stage.rubric_hash,
            json.dumps(scores),
            weight,
            overall,
            personal.seal(db, candidate["id"], notes.strip()),
            stamp(at),
        ],
    ).lastrowid
    audit.record(
        db,
        g.actor.id,
        "review_stage",
        f"stage_seat:{seat_id}",
        at,
        candidate_id=candidate["id"],
        position=stage.position,
        purpose=seat["purpose"],
        review_id=review_id,
        digest=audit.row_digest(db, "stage_reviews", review_id),
    )
    if seat["purpose"] == "review":
        _settle(db, candidate, stage, opening, at)
    return review_id


def _settle(db, candidate: Any, stage: Stage, opening: Any, at: datetime) -> str | None:
    """Once every review of the stage is in, its rule decides (or leaves it to the manager)."""
    if not _open(db, candidate, stage.position):
        return None  # decided already, withdrawn, or closed: nothing to settle
    active = _active_seats(db, candidate["id"], stage.position)
    if not active or not all(s["submitted"] for s in active):
        return None
    reviews = [
        r
        for r in db.execute(Q.REVIEWS_OF_STAGE, [candidate["id"], stage.position]).fetchall()
        if r["purpose"] == "review"
    ]
    scale = opening.scale.scale
    outcome, reason = _by_rule(stage, scale, reviews)
    if outcome is None:
        return None
    _record(db, candidate["id"], stage, outcome, None, reason, at, bar=stage.bar is not None)
    return outcome


def _open(db, candidate: Any, position: int) -> bool:
    """The candidate is in the process, at this stage, with its outcome to come."""
    if candidate["withdrawn_at"] or candidate["closed_at"]:
        return False
    where = progress_of(db, candidate["id"])
    step = where.step(position)
    return where.stage == position and step is not None and step.state == "pending"


def _active_seats(db, candidate_id: int, position: int) -> list[Any]:
    """The stage's review seats that count: not recused, their reviewer still able to review
    (a deactivated reviewer's or one whose role went no longer holds the stage up)."""
    return [
        s
        for s in db.execute(Q.SEATS_OF_STAGE, [candidate_id, position]).fetchall()
        if s["purpose"] == "review" and s["recused_at"] is None and may_review(s)
    ]


def _by_rule(stage: Stage, scale: Any, reviews: list[Any]) -> tuple[str | None, str]:
    if stage.bar is not None:  # a bar decides whatever the rule
        scored = [r["weighted"] for r in reviews if r["weighted"] is not None]
        mean = sum(scored) / len(scored) if scored else None
        word = "provisional bar" if stage.provisional else "bar"
        if mean is not None and mean >= stage.bar:
            return "advance", f"weighted score {mean:.2f} at or above the {word} {stage.bar:.2f}"
        shown = "none" if mean is None else f"{mean:.2f}"
        return "reject", f"weighted score {shown} below the {word} {stage.bar:.2f}"
    if stage.rule == "manager":
        return None, ""
    yes = sum(1 for r in reviews if r["overall"] > scale.midpoint)
    no = sum(1 for r in reviews if r["overall"] < scale.midpoint)
    if stage.rule == "single" and len(reviews) == 1:
        return (
            ("advance", "the reviewer recommended yes")
            if yes
            else (
                "reject",
                "the reviewer did not recommend yes",
            )
        )
    if yes > no:
        return "advance", f"{yes} of {len(reviews)} reviewers recommended yes"
    if no > yes:
        return "reject", f"{no} of {len(reviews)} reviewers recommended no"
    return None, ""  # a tie: the hiring manager decides


def _record(
    db,
    candidate_id: int,
    stage: Stage,
    outcome: str,
    by: int | None,
    reason: str,
    at: datetime,
    *,
    bar: bool = False,
    rng: Any = None,
) -> None:
    provisional = bar and stage.provisional
    reason = personal.seal(db, candidate_id, reason)  # the row's and its audit entry's
    outcome_id = db.execute(
        Q.ADD_OUTCOME,
        [
            candidate_id,
            stage.position,
            outcome,
            by,
            stamp(at),
            reason,
            int(provisional),
        ],
    ).lastrowid
    audit.record(
        db,
        by,
        "stage_outcome",
        f"candidate:{candidate_id}",
        at,
        outcome_id=outcome_id,
        digest=audit.row_digest(db, "stage_outcomes", outcome_id),
        position=stage.position,
        outcome=outcome,
        reason=reason,
        provisional=provisional,
    )
    if outcome == "advance":
        enter(db, candidate_id, stage.position + 1, at)
    elif by is None and stage.spot_check_share > 0:
        _maybe_spot_check(db, candidate_id, stage, at, rng or chance.source())


def _maybe_spot_check(db, candidate_id: int, stage: Stage, at: datetime, rng: Any) -> int | None:
    """A random share of a stage's rejections goes to a second reviewer, who reviews blind."""
    if rng.random() >= stage.spot_check_share:
        return None
    seats = db.execute(Q.SEATS_OF_STAGE, [candidate_id, stage.position]).fetchall()
    taken = {s["reviewer_id"] for s in seats}
    chosen = _least_loaded(db, stage.reviewer_ids, taken, 1)
    if not chosen:
        candidate = db.execute(Q.CANDIDATE, [candidate_id]).fetchone()
        chosen = _least_loaded(db, [candidate["hiring_manager_id"]], taken, 1)
    if not chosen:
        audit.record(
            db, None, "no_spot_check", f"candidate:{candidate_id}", at, position=stage.position
        )
        return None
    seat_id = db.execute(
        Q.ADD_SEAT, [candidate_id, stage.position, chosen[0], "spot_check", stamp(at)]
    ).lastrowid
    audit.record(
        db,
        None,
        "spot_check",
        f"stage_seat:{seat_id}",
        at,
        candidate_id=candidate_id,
        position=stage.position,
    )
    return seat_id


@guarded("recuse_stage", on="seat_id", write=True)
def recuse_review(g: Granted, seat_id: int, reason: str, now: datetime | None = None) -> None:
    """A reviewer declares a conflict of interest; the stage goes to another reviewer if one is
    left, and its outcome is settled if the others' reviews are all in."""
    db, at = g.db, now or now_utc()
    reason = _reason(reason)
    seat = db.execute(Q.SEAT, [seat_id]).fetchone()
    sealed = personal.seal(db, seat["candidate_id"], reason)
    db.execute(Q.RECUSE_SEAT, [stamp(at), sealed, seat_id])
    audit.record(db, g.actor.id, "recuse_stage", f"stage_seat:{seat_id}", at, reason=sealed)
    candidate, stage, opening = _stage_and_opening(db, seat["candidate_id"], seat["position"])
    if seat["purpose"] == "review" and _open(db, candidate, stage.position):
        assign_reviewers(db, candidate["id"], stage.position, at)
        _settle(db, candidate, stage, opening, at)


def _reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput("reason: Say why.")
    return check_one_line("reason", check_length("reason", reason, REASON_MAX))


# ------------------------------------------------------------------------- by hand


@guarded("decide_stage", on="candidate_id", write=True)
def decide(
    g: Granted,
    candidate_id: int,
    position: int,
    outcome: str,
    reason: str,
    now: datetime | None = None,
) -> None:
    """The hiring manager advances or rejects a candidate at a screen or take-home: where the
    rule leaves it to them (a manager rule, a tied vote), or to overturn a rejection (a spot
    check that disagrees) while the candidate has gone no further."""
    db, at = g.db, now or now_utc()
    if outcome not in ("advance", "reject"):
        raise InvalidInput(f"outcome: must be advance or reject (got {outcome!r})")
    reason = _reason(reason)
    candidate, stage, _ = _stage_and_opening(db, candidate_id, position)
    if not stage.reviewed:
        raise InvalidInput(
            f"position: stage {position} is the {KIND_WORDS[stage.kind].lower()}: it is decided"
            " on its own page"
        )
    if candidate["withdrawn_at"]:
        raise InvalidInput("candidate: This candidate has withdrawn.")
    where = progress_of(db, candidate_id)
    step = where.step(position)
    if step is None:
        raise InvalidInput(f"position: the candidate has not reached stage {position}.")
    if where.stage > position:
        raise InvalidInput("outcome: the candidate has moved on: an advance is not taken back.")
    if step.state == ("advanced" if outcome == "advance" else "rejected"):
        raise InvalidInput(f"outcome: the candidate is already {step.state} at this stage.")
    waiting = [s for s in _active_seats(db, candidate_id, position) if not s["submitted"]]
    if step.state == "pending" and waiting:
        raise InvalidInput(
            f"position: {len(waiting)} review(s) of this stage are still to come: decide once"
            " they are in (or the reviewer recuses)"
        )
    _record(db, candidate_id, stage, outcome, g.actor.id, reason, at)


@guarded("manage_stage", on="candidate_id", write=True)
def assign_reviewer(
    g: Granted, candidate_id: int, position: int, reviewer_id: int, now: datetime | None = None
) -> int:
    """A coordinator gives a candidate's screen or take-home to one more reviewer."""
    db, at = g.db, now or now_utc()
    _, stage, _ = _stage_and_opening(db, candidate_id, position)
    if not stage.reviewed:
        raise InvalidInput(f"position: stage {position} has no reviewers")
    row = db.execute(Q.PERSON_ACTIVE, [reviewer_id]).fetchone()
    if row is None or not row["active"]:
        raise InvalidInput(f"reviewer: no active person with id {reviewer_id}")
    if not may_review(row):
        raise InvalidInput(
            f"reviewer: {row['name']} is neither an interviewer nor a hiring manager"
        )
    taken = {s["reviewer_id"] for s in db.execute(Q.SEATS_OF_STAGE, [candidate_id, position])}
    if reviewer_id in taken:
        raise InvalidInput(f"reviewer: {row['name']} already has this review.")
    seat_id = db.execute(
        Q.ADD_SEAT, [candidate_id, position, reviewer_id, "review", stamp(at)]
    ).lastrowid
    audit.record(
        db, g.actor.id, "assign_reviewer", f"stage_seat:{seat_id}", at, reviewer_id=reviewer_id
    )
    return seat_id


@guarded("manage_stage", on="candidate_id", write=True)
def record_offer(
    g: Granted, candidate_id: int, accepted: bool, reason: str = "", now: datetime | None = None
) -> None:
    """A coordinator records the candidate's answer to the offer: accepted (the last stage is
    passed) or declined (the candidate withdraws, with the reason)."""
    db, at = g.db, now or now_utc()
    candidate = db.execute(Q.CANDIDATE, [candidate_id]).fetchone()
    stages = process(db, candidate["opening_id"])
    offer = stages[-1]
    where = progress_of(db, candidate_id)
    if offer.kind != "offer":
        raise InvalidInput("opening: this opening's process has no offer stage")
    if where.stage != offer.position or where.state != "in_process":
        raise InvalidInput("candidate: there is no offer waiting for this candidate's answer")
    if accepted:
        note = _reason(reason) if (reason or "").strip() else "accepted"
        _record(db, candidate_id, offer, "advance", g.actor.id, note, at)
        return
    reason = _reason(reason)
    sealed = personal.seal(db, candidate_id, f"declined the offer: {reason}")
    db.execute(Q.WITHDRAW, [stamp(at), sealed, candidate_id])
    audit.record(
        db,
        g.actor.id,
        "decline_offer",
        f"candidate:{candidate_id}",
        at,
        reason=personal.seal(db, candidate_id, reason),
    )


# ------------------------------------------------------------------------------ reading


@dataclass(frozen=True)
class StageReview:
    """One submitted review, as the hiring manager (or a reviewer after theirs) reads it."""

    id: int
    position: int
    reviewer: str
    purpose: str
    scores: dict[str, int | None]
    weighted: float | None
    overall: int
    notes: str
    submitted_at: datetime


@guarded("see_stage_reviews", on="candidate_id")
def reviews(g: Granted, candidate_id: int) -> list[StageReview]:
    """Every submitted review of the candidate's screens and take-homes."""
    return [
        StageReview(
            id=r["id"],
            position=r["position"],
            reviewer=r["reviewer_name"],
            purpose=r["purpose"],
            scores=json.loads(r["scores"]),
            weighted=r["weighted"],
            overall=r["overall"],
            notes=r["notes"],
            submitted_at=parse_stamp(r["submitted_at"]),
        )
        for r in g.db.execute(Q.REVIEWS, [candidate_id])
    ]


@dataclass(frozen=True)
class ReviewSeat:
    """One of the acting reviewer's screens or take-homes, as their Reviews page lists it."""

    seat_id: int
    candidate_id: int
    candidate: str  # the alias on a blind stage or an anonymised opening
    opening_id: int
    opening_title: str
    position: int
    stage_title: str
    kind: str
    purpose: str
    assigned_at: datetime
    done: bool
    recused: bool
    closed: bool = False  # the candidate withdrew, or the stage was decided without this review


def my_reviews(store: Store, actor: Person, limit: int = 50) -> list[ReviewSeat]:
    """The actor's own stage seats, the ones still to write first (anyone signed in may list
    their own: there is no one else's to ask for)."""
    with store.read() as db:
        actor = current(db, actor)
        rows = db.execute(Q.MINE, [actor.id, limit]).fetchall()
    return [
        ReviewSeat(
            seat_id=r["id"],
            candidate_id=r["candidate_id"],
            candidate=r["alias"]
            if r["anonymise"] or json.loads(r["rule"]).get("blind")
            else r["candidate_name"],
            opening_id=r["opening_id"],
            opening_title=r["opening_title"],
            position=r["position"],
            stage_title=r["stage_title"],
            kind=r["kind"],
            purpose=r["purpose"],
            assigned_at=parse_stamp(r["assigned_at"]),
            done=r["submitted_at"] is not None,
            recused=r["recused_at"] is not None,
            closed=bool(r["closed"]) and r["submitted_at"] is None,
        )
        for r in rows
    ]


@dataclass(frozen=True)
class ReviewSheet:
    """What a reviewer needs to write one review: the stage, its rubric, whom (alias when
    blind), the scale."""

    seat: ReviewSeat
    stage: Stage
    rubric: Rubric
    scale: Any  # OverallScale
    forced_choice: bool
    level: str = ""  # the opening's: its anchors are the ones shown (`Criterion.anchors_for`)


@guarded("review_stage", on="seat_id")
def sheet(g: Granted, seat_id: int) -> ReviewSheet:
    """The review form's contents for the reviewer of the seat (no one else's review)."""
    db = g.db
    seat = db.execute(Q.SEAT, [seat_id]).fetchone()
    candidate, stage, opening = _stage_and_opening(db, seat["candidate_id"], seat["position"])
    blind = stage.blind or opening.anonymise
    return ReviewSheet(
        seat=ReviewSeat(
            seat_id=seat_id,
            candidate_id=candidate["id"],
            candidate=candidate["alias"] if blind else candidate["name"],
            opening_id=opening.id,
            opening_title=opening.title,
            position=stage.position,
            stage_title=stage.title,
            kind=stage.kind,
            purpose=seat["purpose"],
            assigned_at=parse_stamp(seat["assigned_at"]),
            done=False,
            recused=False,
        ),
        stage=stage,
        rubric=rubric_snapshot(db, stage.rubric_hash),
        scale=opening.scale,
        forced_choice=opening.forced_choice,
        level=opening.level,
    )


@dataclass(frozen=True)
class SpotChecks:
    """How the second reviewers of a stage's rejections agreed (L1255): n checks, n agreeing."""

    position: int
    checked: int
    agreed: int


def spot_checks(db, opening_id: int, stages: tuple[Stage, ...], scale: Any) -> list[SpotChecks]:
    """Per reviewed stage with spot checks: how many reviewed, how many also said reject."""
    counts: dict[int, list[int]] = {}
    for r in db.execute(Q.SPOT_CHECKS, [opening_id]):
        stage = stage_at(stages, r["position"])
        agreed = verdict(stage, scale, r["overall"], r["weighted"]) == "reject"
        tally = counts.setdefault(r["position"], [0, 0])
        tally[0] += 1
        tally[1] += int(agreed)
    return [
        SpotChecks(position, checked, agreed)
        for position, (checked, agreed) in sorted(counts.items())
    ]


@dataclass(frozen=True)
class Waiting:
    """A candidate whose screen or take-home waits for the hiring manager: the reviews are in
    and the rule leaves it to them (a manager rule, a tied vote), or a spot check disputes a
    rejection."""

    candidate_id: int
    candidate: str
    opening_title: str
    position: int
    stage_title: str
    why: str


def awaiting_manager(store: Store, actor: Person, limit: int = 50) -> list[Waiting]:
    """The screens and take-homes waiting for the acting hiring manager in the open openings
    they run (their own: nothing to ask): a stage whose reviews are all in or recused with no
    outcome yet (a manager rule, a tie, no reviewer left), and a rejection a spot check
    disputes. Two queries of at most `limit` rows each, the newest first."""
    with store.read() as db:
        actor = current(db, actor)
        if not actor.has("hiring_manager"):
            return []
        found: dict[tuple[int, int], str] = {}
        for r in db.execute(Q.AWAITING, [actor.id, limit]):
            key = (r["candidate_id"], r["position"])
            if _active_seats(db, *key):
                found[key] = "The reviews are in: the rule leaves the decision to you."
            else:
                found[key] = "No reviewer is left for it: decide, or ask the coordinator to"
                found[key] += " give it to another reviewer."
        scales: dict[int, Any] = {}
        for r in db.execute(Q.DISPUTABLE, [actor.id, limit]):
            opening_id = r["opening_id"]
            if opening_id not in scales:
                scales[opening_id] = (process(db, opening_id), load_opening(db, opening_id))
            stages, opening = scales[opening_id]
            stage = stage_at(stages, r["position"])
            if verdict(stage, opening.scale.scale, r["overall"], r["weighted"]) == "advance":
                found[(r["candidate_id"], r["position"])] = (
                    "A spot check disagrees with the rejection."
                )
        waiting = []
        for (candidate_id, position), why in found.items():
            row = db.execute(Q.NAMES, [candidate_id]).fetchone()
            stage = stage_at(process(db, row["opening_id"]), position)
            waiting.append(
                Waiting(
                    candidate_id,
                    row["alias"] if row["anonymise"] else row["name"],
                    row["opening_title"],
                    position,
                    stage.title,
                    why,
                )
            )
        return waiting
