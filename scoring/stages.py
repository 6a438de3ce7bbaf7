"""The funnel (issue 27): an opening's process as an ordered list of stages, and each candidate's
way through it.

A stage is a screen, a take-home, the on-site loop or the offer (L1150-1161, L2945-2956).
Screens and take-homes are reviewed against a rubric by the stage's reviewers, each on their own
(a reviewer sees no other review of the candidate until theirs is in: `see_stage_reviews`), and
their rule turns the reviews into the stage's outcome, advance or reject:

- ``single``: the one reviewer's recommendation decides (above the scale's midpoint: advance);
- ``vote``: the majority of the reviewers' recommendations; a tie waits for the hiring manager;
- ``manager``: the hiring manager decides once the reviews are in.

A stage with a bar decides by the weighted score instead (the mean over its reviews, at or above
the bar: advance), and a bar may be marked provisional (L2101-2106): a random share of its
rejections then goes to a second reviewer as a spot check (L1255), whose agreement Insights
reports; the hiring manager may overturn a rejection the spot check disputes (`decide`).

The loop stage is today's on-site day, decided by the opening's strategy: its outcome is the
decision in force (hire: advance). The offer's is the candidate's answer (`record_offer`):
accepted advances, declined withdraws them. Withdrawal ends the candidate's way wherever they
are. An opening created without stages has one: the loop.

Every outcome is a row of `stage_outcomes` (append-only; the latest per candidate and stage
counts), written in the same unit of work as what caused it, and audited. Reviewing and deciding
a stage is `scoring.stage_reviews`; this module is the process and where candidates stand.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from scoring import audit
from scoring.errors import InvalidInput, NotFound
from scoring.guards import Granted, guarded
from scoring.models.stages import KIND_WORDS, LOOP_ONLY, Progress, Stage, StageStep
from scoring.opening_record import load as load_opening
from scoring.opening_record import snapshot_rubric
from scoring.queries import stages as Q
from scoring.rubric import Catalog, Loop, Rubric
from scoring.store import parse_stamp, stamp

# ----------------------------------------------------------------------------- the process


def store_process(
    db,
    opening_id: int,
    loop: Loop,
    catalog: Catalog,
    *,
    level: str,
    reviewers: Mapping[int, Iterable[int]],
    default_reviewers: Iterable[int],
) -> tuple[Stage, ...]:
    """Freeze the loop template's stages into a new opening (in the caller's unit of work):
    each reviewed stage's rubric as a snapshot, its reviewers (`reviewers` by position, else
    `default_reviewers`), and its bar for the opening's level. Nothing is stored for a loop
    without stages: its process is the loop alone."""
    if not loop.stages:
        unknown = set(reviewers) - {1}
        if unknown:
            raise InvalidInput(f"stage_reviewers: the loop has no stage {min(unknown)}")
        return LOOP_ONLY
    specs = loop.process()
    unknown = set(reviewers) - set(range(1, len(specs) + 1))
    if unknown:
        raise InvalidInput(f"stage_reviewers: the loop has no stage {min(unknown)}")
    stored = []
    for position, spec in enumerate(specs, start=1):
        rubric_hash = None
        title = spec.title
        if spec.rubric is not None:
            if spec.rubric not in catalog.rubrics:
                raise InvalidInput(
                    f"loop: rubric '{spec.rubric}' of stage {position} of loop '{loop.id}'"
                    " is not loaded"
                )
            rubric = catalog.rubrics[spec.rubric]
            rubric_hash = snapshot_rubric(db, rubric)
            title = title or rubric.title
        # short by default: the loop's own title is on the opening already, and a process is
        # read as one line ("Resume screen → Phone screen → On-site loop → Offer")
        title = title or KIND_WORDS[spec.kind]
        bar = spec.bar_for(level)
        if bar is None and spec.rubric is not None:  # the rubric's own bar for the level
            bar = catalog.rubrics[spec.rubric].bar_for(level)
        if spec.provisional and bar is None:
            raise InvalidInput(f"stages.{position}: only a bar can be provisional, and it has none")
        ids: tuple[int, ...] = ()
        if spec.kind in ("screen", "take_home"):
            ids = tuple(dict.fromkeys(reviewers.get(position, default_reviewers)))
            for person_id in ids:
                row = db.execute(Q.PERSON_ACTIVE, [person_id]).fetchone()
                if row is None or not row["active"]:
                    raise InvalidInput(
                        f"stage_reviewers.{position}: no active person with id {person_id}"
                    )
                if not may_review(row):
                    raise InvalidInput(
                        f"stage_reviewers.{position}: {row['name']} is neither an interviewer"
                        " nor a hiring manager, so could not review"
                    )
        elif position in reviewers:
            raise InvalidInput(f"stage_reviewers.{position}: a {spec.kind} stage has no reviewers")
        stage = Stage(
            position=position,
            kind=spec.kind,
            title=title,
            rubric_hash=rubric_hash,
            rule=spec.rule,
            reviewers=spec.reviewers,
            blind=spec.blind,
            reviewer_ids=ids,
            bar=bar,
            provisional=spec.provisional,
            spot_check_share=spec.spot_check,
            hours_asked=spec.hours,
            deadline_days=spec.deadline_days,
        )
        db.execute(
            Q.ADD_STAGE,
            [
                opening_id,
                position,
                stage.kind,
                stage.title,
                rubric_hash,
                stage.rule_json(),
                json.dumps(list(ids)),
                stage.bar,
                int(stage.provisional),
                stage.spot_check_share,
                stage.hours_asked,
                stage.deadline_days,
            ],
        )
        stored.append(stage)
    return tuple(stored)


def process(db, opening_id: int) -> tuple[Stage, ...]:
    """The opening's stages in order (the loop alone for an opening created without stages)."""
    rows = db.execute(Q.STAGES, [opening_id]).fetchall()
    return tuple(Stage.from_row(r) for r in rows) or LOOP_ONLY


@guarded("see_opening", on="opening_id")
def opening_process(g: Granted, opening_id: int) -> tuple[Stage, ...]:
    """The opening's stages in order, for anyone who may see the opening."""
    return process(g.db, opening_id)


def process_words(stages: tuple[Stage, ...]) -> str:
    """The process in a few words: "Resume screen → Phone screen → On-site loop → Offer"."""
    return " → ".join(s.title for s in stages)


def processes(db, opening_ids: Iterable[int]) -> dict[int, tuple[Stage, ...]]:
    """The stages of several openings at once."""
    ids = sorted(set(opening_ids))
    found: dict[int, list[Stage]] = {o: [] for o in ids}
    if ids:
        for r in db.execute(Q.stages(len(ids)), ids):
            found[r["opening_id"]].append(Stage.from_row(r))
    return {o: tuple(stages) or LOOP_ONLY for o, stages in found.items()}


def stage_at(stages: tuple[Stage, ...], position: int) -> Stage:
    """The stage at `position` (NotFound when the process has none)."""
    for stage in stages:
        if stage.position == position:
            return stage
    raise NotFound(f"No stage {position} in this opening's process.")


# ------------------------------------------------------------------ where candidates stand


def progress(db, candidate_ids: Iterable[int]) -> dict[int, Progress]:
    """Where each candidate is in their opening's process, from their stage outcomes, the
    decision in force (the loop) and their withdrawal: four queries for any number of them."""
    ids = sorted(set(candidate_ids))
    if not ids:
        return {}
    n = len(ids)
    rows = {r["id"]: r for r in db.execute(Q.candidates(n), ids)}
    outcomes: dict[int, dict[int, Any]] = {i: {} for i in ids}
    for r in db.execute(Q.outcomes(n), ids):
        outcomes[r["candidate_id"]][r["position"]] = r  # the latest per stage wins
    decisions: dict[int, Any] = {}
    for r in db.execute(Q.decisions(n), ids):
        decisions[r["candidate_id"]] = r
    plans = processes(db, (r["opening_id"] for r in rows.values()))
    return {
        i: _walk(rows[i], plans[rows[i]["opening_id"]], outcomes[i], decisions.get(i))
        for i in ids
        if i in rows
    }


def _walk(candidate: Any, stages: tuple[Stage, ...], outcomes: dict, decision: Any) -> Progress:
    entered = parse_stamp(candidate["created_at"])
    withdrawn = parse_stamp(candidate["withdrawn_at"])
    steps: list[StageStep] = []
    state = "in_process"
    for stage in stages:
        result = None  # (state, at, reason, provisional)
        if stage.kind == "loop":
            if decision is not None:
                result = (
                    "advanced" if decision["outcome"] == "hire" else "rejected",
                    parse_stamp(decision["decided_at"]),
                    "decision: " + decision["outcome"].replace("_", " "),
                    False,
                )
        elif stage.position in outcomes:
            row = outcomes[stage.position]
            result = (
                "advanced" if row["outcome"] == "advance" else "rejected",
                parse_stamp(row["decided_at"]),
                row["reason"],
                bool(row["provisional"]),
            )
        if result is None:
            if withdrawn is not None:
                steps.append(
                    StageStep(
                        stage.position,
                        "withdrawn",
                        entered,
                        withdrawn,
                        reason=candidate["withdrawal_reason"] or "",
                    )
                )
                state = "withdrawn"
            else:
                steps.append(StageStep(stage.position, "pending", entered))
            break
        kind, at, reason, provisional = result
        steps.append(StageStep(stage.position, kind, entered, at, provisional, reason))
        if kind == "rejected":
            state = "rejected"
            break
        entered = at
    else:
        state = "hired" if stages[-1].kind in ("loop", "offer") else "done"
    current_stage = steps[-1].position if steps else stages[0].position
    return Progress(candidate["id"], current_stage, state, tuple(steps))  # type: ignore[arg-type]


def progress_of(db, candidate_id: int) -> Progress:
    """Where one candidate is (NotFound when there is none)."""
    found = progress(db, [candidate_id])
    if candidate_id not in found:
        raise NotFound(f"No candidate with id {candidate_id}.")
    return found[candidate_id]


def ensure_at_loop(db, candidate_id: int) -> None:
    """Refuse to put a candidate's on-site day on the calendar before they have passed the
    stages in front of the loop."""
    where = progress_of(db, candidate_id)
    candidate = db.execute(Q.CANDIDATE, [candidate_id]).fetchone()
    stages = process(db, candidate["opening_id"])
    loop = next(s for s in stages if s.kind == "loop")
    if where.stage < loop.position:
        stage = stage_at(stages, where.stage)
        if where.state == "in_process":
            raise InvalidInput(
                f"candidate: still at stage {stage.position} ({stage.title}): the on-site day"
                " is scheduled once they have passed the stages before it"
            )
        raise InvalidInput(
            f"candidate: {where.state} at stage {stage.position} ({stage.title}): there is no"
            " on-site day to schedule"
        )


# -------------------------------------------------------------------- entering a stage


def may_review(person: Any) -> bool:
    """Whether a person (a `people` row, or a seat's row with `active` and `roles`) can review
    a stage now: active, an interviewer or a hiring manager (`review_stage`)."""
    roles = set(json.loads(person["roles"]))
    return bool(person["active"]) and bool(roles & {"interviewer", "hiring_manager"})


def _least_loaded(db, reviewer_ids: Iterable[int], taken: set[int], n: int) -> list[int]:
    candidates = []
    for order, person_id in enumerate(reviewer_ids):
        if person_id in taken:
            continue
        row = db.execute(Q.PERSON_ACTIVE, [person_id]).fetchone()
        if row is None or not may_review(row):
            continue
        load = db.execute(Q.OPEN_LOAD, [person_id]).fetchone()[0]
        candidates.append((load, order, person_id))
    return [person_id for _, _, person_id in sorted(candidates)[:n]]


def assign_reviewers(db, candidate_id: int, position: int, at: datetime) -> list[int]:
    """Give a candidate's screen or take-home to its reviewers: as many as the stage asks for,
    the least loaded of the stage's reviewers first (in the caller's unit of work). Returns the
    new seats' ids (none when the stage has no reviewer left to give it to: a coordinator
    assigns one, `assign_reviewer`)."""
    candidate = db.execute(Q.CANDIDATE, [candidate_id]).fetchone()
    stage = stage_at(process(db, candidate["opening_id"]), position)
    seats = db.execute(Q.SEATS_OF_STAGE, [candidate_id, position]).fetchall()
    taken = {s["reviewer_id"] for s in seats}
    active = [
        s for s in seats if s["purpose"] == "review" and s["recused_at"] is None and may_review(s)
    ]
    wanted = stage.reviewers - len(active)
    ids = []
    for person_id in _least_loaded(db, stage.reviewer_ids, taken, max(wanted, 0)):
        seat_id = db.execute(
            Q.ADD_SEAT, [candidate_id, position, person_id, "review", stamp(at)]
        ).lastrowid
        audit.record(
            db, None, "assign_reviewer", f"stage_seat:{seat_id}", at, reviewer_id=person_id
        )
        ids.append(seat_id)
    return ids


def enter(db, candidate_id: int, position: int, at: datetime) -> None:
    """A candidate arrives at a stage (in the caller's unit of work): a screen is given to its
    reviewers at once; a take-home when the candidate's answer is in (`scoring.take_homes`);
    the loop and the offer need no one."""
    candidate = db.execute(Q.CANDIDATE, [candidate_id]).fetchone()
    stages = process(db, candidate["opening_id"])
    if position > len(stages):
        return
    if stage_at(stages, position).kind == "screen":
        assign_reviewers(db, candidate_id, position, at)


# ----------------------------------------------------------------------------- reviewing


def weighted(rubric: Rubric, scores: Mapping[str, int | None]) -> float | None:
    """sum(w * normalised) / sum(w) over assessed criteria, in 0..1; None when none is."""
    total = done = 0.0
    for c in rubric.criteria:
        score = scores.get(c.id)
        if score is None:
            continue
        total += c.weight
        done += c.weight * c.scale.normalise(score)
    return round(done / total, 4) if total else None


def verdict(stage: Stage, scale: Any, overall: int, weight: float | None) -> str:
    """What one review says on its own: advance or reject (the bar decides where there is one;
    else the recommendation, above the midpoint)."""
    if stage.bar is not None:
        return "advance" if weight is not None and weight >= stage.bar else "reject"
    return "advance" if overall > scale.midpoint else "reject"


def _stage_and_opening(db, candidate_id: int, position: int) -> tuple[Any, Stage, Any]:
    candidate = db.execute(Q.CANDIDATE, [candidate_id]).fetchone()
    if candidate is None:
        raise NotFound(f"No candidate with id {candidate_id}.")
    stage = stage_at(process(db, candidate["opening_id"]), position)
    return candidate, stage, load_opening(db, candidate["opening_id"])
