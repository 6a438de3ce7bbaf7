"""One demo candidate, built through the service: `add_demo_candidate` (see `scoring.demo` for
the stages, patterns and twists), the panel's scores following a pattern, the words from
scoring/demo.toml (`scoring.demo_words`)."""

from __future__ import annotations

import random
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from statistics import fmean
from typing import Literal

from scoring import clashes, debrief, demo_funnel, openings, scorecards
from scoring.demo_words import (
    CONFIRMED,
    EARLY,
    FIRST_CALL,
    FIRST_NAMES,
    LAST_NAMES,
    MANAGER_RATIONALES,
    NOT_ASSESSED,
    RECONFIRMED,
    RECONSIDERED,
    RECUSALS,
    REVISIONS,
    SETTLED,
    VOTE_NOTES,
    DemoTeam,
    email_of,
    evidence_note,
    written_feedback,
)
from scoring.errors import InvalidInput
from scoring.models.openings import Opening
from scoring.models.people import Person
from scoring.rubric import Criterion, Rubric
from scoring.scale import Position, Scale
from scoring.store import Store

Stage = Literal["scheduled", "today", "overdue", "all_in", "open", "decided"]
Pattern = Literal["unanimous", "positive", "lukewarm", "split", "negative", "veto", "conflict"]
Twist = Literal["late", "revised", "recused", "early", "redecided", "paired"]
STAGES: tuple[Stage, ...] = ("scheduled", "today", "overdue", "all_in", "open", "decided")
PATTERNS: tuple[Pattern, ...] = (
    "unanimous",
    "positive",
    "lukewarm",
    "split",
    "negative",
    "veto",
    "conflict",
)
TWISTS: tuple[Twist, ...] = ("late", "revised", "recused", "early", "redecided", "paired")

# Which twists make sense at which stage (a late scorecard needs a day to pass, and so on).
_TWISTS_AT: dict[str, frozenset[str]] = {
    "scheduled": frozenset({"recused"}),
    "today": frozenset({"recused", "revised", "paired"}),
    "overdue": frozenset({"recused", "revised", "late", "paired"}),
    "all_in": frozenset({"recused", "revised", "late", "paired"}),
    "open": frozenset({"recused", "revised", "late", "early", "paired"}),
    "decided": frozenset(TWISTS),
}


def fitting_twists(stage: Stage) -> tuple[Twist, ...]:
    """The twists `add_demo_candidate` accepts at `stage`, in the order of `TWISTS`."""
    return tuple(t for t in TWISTS if t in _TWISTS_AT[stage])


@dataclass
class _Seat:
    position: int
    session_id: int
    assignment_id: int
    interviewer: Person
    rubric_hash: str
    ends_at: datetime


def _overalls(pattern: Pattern, n: int, rng: random.Random) -> list[int]:
    """Overall recommendations on 0..5 for a panel of `n`, following the pattern."""
    if pattern == "unanimous":
        scores = [rng.choice((4, 4, 5)) for _ in range(n)]
    elif pattern == "positive":
        scores = [4, *(rng.choice((3, 4, 4, 5)) for _ in range(n - 1))]
    elif pattern == "lukewarm":
        scores = [2, 3, *(rng.choice((2, 3)) for _ in range(n - 2))]
    elif pattern == "split":
        yes = rng.choice((n // 2, (n + 1) // 2))
        scores = [rng.choice((3, 4, 4)) for _ in range(yes)]
        scores += [rng.choice((1, 2, 2)) for _ in range(n - yes)]
    elif pattern == "negative":
        scores = [1, *(rng.choice((0, 1, 1, 2, 2, 3)) for _ in range(n - 1))]
    elif pattern == "veto":
        scores = [0, *(rng.choice((3, 4, 4)) for _ in range(n - 1))]
    elif pattern == "conflict":
        scores = [0, 5, *(rng.choice((2, 3, 4)) for _ in range(n - 2))]
    else:
        raise InvalidInput(f"pattern: unknown pattern {pattern!r} (expected one of {PATTERNS})")
    rng.shuffle(scores)
    return scores


def _on_scale(score: int, scale: Scale) -> int:
    """A 0..5 score moved onto another overall scale."""
    if (scale.min, scale.max) == (0, 5):
        return score
    return round(scale.min + score * (scale.max - scale.min) / 5)


def _scorecard(
    rubric: Rubric, overall: int, scale: Scale, rng: random.Random
) -> tuple[str, dict[str, dict]]:
    """Feedback and criterion scores consistent with `overall`, with some noise."""
    quality = scale.normalise(overall)
    criteria: dict[str, dict] = {}
    scored: list[tuple[float, Criterion, int]] = []
    for criterion in rubric.criteria:
        if not criterion.required and rng.random() < 0.25:
            criteria[criterion.id] = {"score": None, "evidence": rng.choice(NOT_ASSESSED)}
            continue
        latent = min(1.0, max(0.0, quality + rng.gauss(0, 0.15)))
        low, high = criterion.scale.min, criterion.scale.max
        if criterion.kind == "binary":
            score = int(latent + rng.gauss(0, 0.1) >= 0.45)
        else:
            score = round(low + latent * (high - low))
        criteria[criterion.id] = {"score": score, "evidence": evidence_note(criterion, score)}
        scored.append((criterion.scale.normalise(score), criterion, score))
    return written_feedback(scored, overall, scale, rng), criteria


def _pair_overall(overall: int, pattern: Pattern, rng: random.Random) -> int:
    """The overall (0..5) of the second interviewer of a paired session: within a point of the
    first's, on the same side of the middle and no more extreme (a lukewarm pair agrees)."""
    other = overall + rng.choice((-1, 0, 0, 1))
    if pattern == "lukewarm" or not 0 < other < 5 or (other < 2.5) != (overall < 2.5):
        return overall
    return other


def _paired_scorecard(
    rubric: Rubric,
    mate: dict[str, dict],
    overall: int,
    scale: Scale,
    rng: random.Random,
    *,
    disputed: bool,
) -> tuple[str, dict[str, dict]]:
    """Feedback and criterion scores of one interviewer of a pair, given the other's criteria
    (`mate`): within a point on every criterion and not assessed where the other did not get to
    it; when `disputed`, one scale criterion goes to the far end of the other's score, at least
    half its scale away (1 against 3 or 4 on 1..4), for the debrief to talk through."""
    criteria: dict[str, dict] = {}
    for criterion in rubric.criteria:
        theirs = mate[criterion.id]["score"]
        if theirs is None:
            criteria[criterion.id] = {"score": None, "evidence": rng.choice(NOT_ASSESSED)}
            continue
        score = theirs
        if criterion.kind != "binary":
            low, high = criterion.scale.min, criterion.scale.max
            score = min(high, max(low, theirs + rng.choice((-1, 0, 0, 0, 1))))
        criteria[criterion.id] = {"score": score, "evidence": evidence_note(criterion, score)}
    contested = [
        c for c in rubric.criteria if c.kind != "binary" and mate[c.id]["score"] is not None
    ]
    if disputed and contested:
        criterion = rng.choice(contested)
        theirs = mate[criterion.id]["score"]
        far = (
            criterion.scale.min if criterion.scale.normalise(theirs) >= 0.5 else criterion.scale.max
        )
        criteria[criterion.id] = {"score": far, "evidence": evidence_note(criterion, far)}
    scored = [
        (c.scale.normalise(criteria[c.id]["score"]), c, criteria[c.id]["score"])
        for c in rubric.criteria
        if criteria[c.id]["score"] is not None
    ]
    return written_feedback(scored, overall, scale, rng), criteria


def _paired_position(store: Store, team: DemoTeam, sessions: tuple[dict, ...]) -> int:
    """The session a pair runs: the coding session when the loop has one, else the first."""
    for session in sessions:
        if team.rubric(store, session["rubric_hash"]).id == "coding":
            return session["position"]
    return sessions[0]["position"]


def _interview_day(
    stage: Stage, twists: tuple[str, ...], rng: random.Random, today: datetime
) -> tuple[datetime, datetime]:
    """When the interviews start and when the candidate was added."""
    if stage == "scheduled":
        start = today + timedelta(days=rng.randint(1, 7), minutes=rng.choice((0, 240)))
        return start, today - timedelta(days=rng.randint(1, 4), hours=rng.randint(0, 6))
    if stage == "today":
        days = 0
    elif stage == "overdue":
        days = rng.randint(2, 3)
    elif stage == "all_in":
        days = 2 if "late" in twists else 1
    elif stage == "open":
        days = rng.randint(3, 4) if "late" in twists else rng.randint(2, 4)
    else:
        days = rng.randint(8, 14) if "redecided" in twists else rng.randint(4, 14)
    slot = 0 if stage == "today" else rng.choice((0, 240))
    start = today - timedelta(days=days) + timedelta(minutes=slot)
    return start, start - timedelta(days=rng.randint(5, 12), hours=rng.randint(0, 6))


def add_demo_candidate(
    store: Store,
    team: DemoTeam,
    opening: Opening,
    stage: Stage,
    pattern: Pattern,
    rng: random.Random,
    today: datetime,
    *,
    twists: Iterable[Twist] = (),
    name: str | None = None,
) -> int:
    """Add one candidate of `opening` at `stage`, the panel scoring in `pattern`, with `twists`;
    every write goes through the service with a time derived from `today`. Returns the id.
    A "decided" candidate whose strategy cannot decide yet (e.g. below a quorum) stays open.
    Its day is drawn at random, so it may clash with another's (`clashes.unchecked`): the
    Interview day screen shows where."""
    with clashes.unchecked():
        return _add_demo_candidate(
            store, team, opening, stage, pattern, rng, today, twists=twists, name=name
        )


def _add_demo_candidate(
    store: Store,
    team: DemoTeam,
    opening: Opening,
    stage: Stage,
    pattern: Pattern,
    rng: random.Random,
    today: datetime,
    *,
    twists: Iterable[Twist] = (),
    name: str | None = None,
) -> int:
    twists = tuple(dict.fromkeys(twists))
    if stage not in STAGES:
        raise InvalidInput(f"stage: unknown stage {stage!r} (expected one of {STAGES})")
    if pattern not in PATTERNS:
        raise InvalidInput(f"pattern: unknown pattern {pattern!r} (expected one of {PATTERNS})")
    for twist in twists:
        if twist not in TWISTS:
            raise InvalidInput(f"twists: unknown twist {twist!r} (expected one of {TWISTS})")
        if twist not in _TWISTS_AT[stage]:
            raise InvalidInput(f"twists: {twist!r} does not fit the stage {stage!r}")
    coordinator = team.coordinator
    manager = team.people[opening.hiring_manager_id]
    committee = [team.people[i] for i in opening.committee_ids]
    pool = [
        p
        for p in team.interviewers
        if p.id != opening.hiring_manager_id and p.id not in opening.committee_ids
    ]
    sessions = opening.sessions
    paired = "paired" in twists
    if len(pool) < len(sessions) + ("recused" in twists) + paired:
        raise InvalidInput("team: not enough interviewers for this loop")
    scale = opening.scale.scale
    name = name or f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"

    # The candidate, the stages before their on-site day (drawn from an rng of their own, so
    # that the panel's draws stay as they were without them) and their interview day, planned
    # once they have passed those stages.
    start, added_at = _interview_day(stage, twists, rng, today)
    steps = demo_funnel.stage_rng(name)
    way = demo_funnel.route(store, team, opening, steps)
    entered = added_at
    if way.stages:
        entered -= way.span + timedelta(hours=steps.randint(6, 30))
    candidate_id = openings.add_candidate(
        store, coordinator, opening.id, name, email_of(name, "example.org"), now=entered
    )
    demo_funnel.follow(store, team, opening, candidate_id, way, entered, steps)
    panel = rng.sample(pool, len(sessions))
    # A paired session: a second interviewer from the pool, scheduled together with the first.
    pair_position = _paired_position(store, team, sessions) if paired else None
    partner = rng.choice([p for p in pool if p not in panel]) if paired else None
    begins = start
    for index, (session, person) in enumerate(zip(sessions, panel, strict=True)):
        pair = [partner.id] if session["position"] == pair_position else []
        openings.schedule_session(
            store,
            coordinator,
            candidate_id,
            session["position"],
            begins,
            [person.id, *pair],
            now=added_at + timedelta(minutes=10 + index),
        )
        begins += timedelta(minutes=session["minutes"] + 15)
    board = scorecards.status_board(
        store, coordinator, candidate_id, now=added_at + timedelta(minutes=20)
    )
    seats = [
        _Seat(
            position=s.position,
            session_id=s.session_id,
            assignment_id=s.assignment_id,
            interviewer=team.people[s.interviewer_id],
            rubric_hash=sessions[s.position - 1]["rubric_hash"],
            ends_at=s.ends_at,
        )
        for s in board
    ]
    n = len(seats)
    # The two seats of the paired session (the first scheduled first), each the other's mate.
    pair_seats = [i for i, seat in enumerate(seats) if seat.position == pair_position]
    mates = dict(zip(pair_seats, reversed(pair_seats), strict=True))

    # A conflict of interest the day before, and a replacement.
    if "recused" in twists:
        seat = seats[rng.randrange(n)]
        if stage == "scheduled":
            recused_at = added_at + timedelta(days=1)
        else:
            recused_at = start - timedelta(days=1) + timedelta(hours=7)
        openings.recuse(
            store, seat.interviewer, seat.assignment_id, rng.choice(RECUSALS), now=recused_at
        )
        replacement = rng.choice([p for p in pool if p not in panel and p != partner])
        seat.assignment_id = openings.add_interviewer(
            store, coordinator, seat.session_id, replacement.id, now=recused_at + timedelta(hours=1)
        )
        seat.interviewer = replacement
    if stage == "scheduled":
        return candidate_id

    # Who submits, and when. A pair agrees within a point; on a split or conflict panel, the pair
    # is far apart on one criterion too.
    overalls = _overalls(pattern, n - len(pair_seats) // 2, rng)
    if pair_seats:
        first, second = pair_seats
        overalls.insert(second, _pair_overall(overalls[first], pattern, rng))
    finals = [_on_scale(s, scale) for s in overalls]
    disputed = pattern in ("split", "conflict")
    written: dict[int, dict[str, dict]] = {}  # seat -> its latest criteria, for its mate

    def write(i: int, overall: int) -> tuple[str, dict[str, dict]]:
        rubric = team.rubric(store, seats[i].rubric_hash)
        mate = written.get(mates.get(i, -1))
        if mate is None:
            feedback, criteria = _scorecard(rubric, overall, scale, rng)
        else:
            feedback, criteria = _paired_scorecard(
                rubric, mate, overall, scale, rng, disputed=disputed
            )
        written[i] = criteria
        return feedback, criteria

    if stage == "today":
        missing = set(range(n - rng.randint(1, 2), n))  # the afternoon's are still to come
    elif stage == "overdue" or "early" in twists:
        missing = {rng.randrange(n)}
    else:
        missing = set()
    submitted = [i for i in range(n) if i not in missing]
    special = rng.sample(submitted, min(2, len(submitted)))
    late_index = special[0] if "late" in twists else None
    revised_index = special[-1] if "revised" in twists else None
    times = {}
    for i in submitted:
        delay = rng.randint(25 * 60, 30 * 60) if i == late_index else rng.randint(10, 150)
        times[i] = seats[i].ends_at + timedelta(minutes=delay)
    first_overall = dict(enumerate(finals))
    if revised_index is not None:
        final = finals[revised_index]
        first_overall[revised_index] = final - 1 if final > scale.min + 1 else final + 1
    for i in sorted(submitted, key=lambda i: (times[i], i)):
        seat = seats[i]
        feedback, criteria = write(i, first_overall[i])
        scorecards.submit(
            store,
            seat.interviewer,
            seat.assignment_id,
            overall=first_overall[i],
            feedback=feedback,
            criteria=criteria,
            now=times[i],
        )
    clock = max(times.values(), default=start)
    if revised_index is not None:
        seat = seats[revised_index]
        clock += timedelta(minutes=rng.randint(60, 300))
        feedback, criteria = write(revised_index, finals[revised_index])
        scorecards.revise(
            store,
            seat.interviewer,
            seat.assignment_id,
            reason=rng.choice(REVISIONS),
            overall=finals[revised_index],
            feedback=feedback,
            criteria=criteria,
            now=clock,
        )
    if stage not in ("open", "decided"):
        return candidate_id

    # The debrief.
    clock += timedelta(minutes=rng.randint(60, 8 * 60))
    reason = rng.choice(EARLY) if "early" in twists else None
    debrief.open_debrief(store, manager, candidate_id, reason=reason, now=clock)
    view = debrief.reading(store, manager, candidate_id)
    score = view.raw.score if view.raw.score is not None else scale.normalise(round(fmean(finals)))
    if opening.strategy.kind == "committee" and committee:
        wanted = max(opening.strategy.quorum, 2) if stage == "decided" else rng.choice((0, 1))
        for member in rng.sample(committee, min(wanted + rng.randint(0, 1), len(committee))):
            clock += timedelta(minutes=rng.randint(60, 6 * 60))
            vote = "hire" if score + rng.gauss(0, 0.08) >= 0.55 else "no_hire"
            note = rng.choice(VOTE_NOTES[vote])
            debrief.cast_vote(store, member, candidate_id, vote, note, now=clock)
        if stage == "decided":
            view = debrief.reading(store, manager, candidate_id)
    if stage != "decided":
        return candidate_id

    # The decision (and, with the twist, a later one superseding it).
    clock += timedelta(minutes=rng.randint(60, 8 * 60))
    if opening.strategy.kind == "manager":
        outcome = _manager_outcome(finals, scale, pattern, score)
        first = outcome
        if "redecided" in twists:
            first = "no_hire" if outcome == "hire" else "hire"
        rationale = (
            FIRST_CALL[first] if "redecided" in twists else _manager_rationale(first, pattern, rng)
        )
        debrief.record_decision(
            store,
            manager,
            candidate_id,
            first,
            rationale=rationale,
            accepts_responsibility=True,
            now=clock,
        )
        if "redecided" in twists:
            clock += timedelta(days=rng.randint(1, 3))
            debrief.record_decision(
                store,
                manager,
                candidate_id,
                outcome,
                rationale=RECONSIDERED[outcome],
                accepts_responsibility=True,
                now=clock,
            )
        return candidate_id
    result = view.result.outcome
    if result in ("hire", "no_hire"):
        outcome, rationale = result, CONFIRMED.format(kind=opening.strategy.kind)
    elif result == "needs_discussion":
        majority = sum(scale.position(f) is Position.YES for f in finals) * 2 > n
        outcome = "hire" if majority and score >= 0.5 else "no_hire"
        rationale = SETTLED[outcome]
    else:
        return candidate_id  # nothing the strategy lets the manager confirm yet
    debrief.record_decision(store, manager, candidate_id, outcome, rationale=rationale, now=clock)
    if "redecided" in twists:
        clock += timedelta(days=rng.randint(1, 3))
        debrief.record_decision(
            store,
            manager,
            candidate_id,
            outcome,
            rationale=RECONFIRMED,
            now=clock,
        )
    return candidate_id


def _manager_rationale(outcome: str, pattern: Pattern, rng: random.Random) -> str:
    if pattern == "lukewarm" and outcome == "no_hire":
        return MANAGER_RATIONALES["no_hire"][0]  # DJ Patil: a lukewarm panel is a no
    return rng.choice(MANAGER_RATIONALES[outcome])


def _manager_outcome(finals: list[int], scale: Scale, pattern: Pattern, score: float) -> str:
    """What a sensible hiring manager decides: with the panel, and no to a lukewarm panel."""
    if pattern == "lukewarm" or (not any(scale.is_strong(f) for f in finals) and score < 0.6):
        return "no_hire"
    yes = sum(scale.position(f) is Position.YES for f in finals)
    no = sum(scale.position(f) is Position.NO for f in finals)
    if yes != no:
        return "hire" if yes > no else "no_hire"
    return "hire" if score >= 0.6 else "no_hire"
