"""The demo's funnel (issue 27): each demo opening's process, and its candidates' way through the
stages around the on-site day, written through the service like everything else in the demo.

- `opening_process`: an opening's `stages` in scoring/demo.toml as the loop with stages and the
  reviewers by position that `openings.create_opening` takes.
- `Route`: the stages in front of the on-site loop with every wait between their steps drawn up
  front, so that a candidate is added early enough to pass them all before their day is planned
  (the schedule refuses a day before: `stages.ensure_at_loop`).
- `follow`: a candidate passes those stages. Screens are reviewed by the reviewers the service
  gave them, with scores on the right side of the stage's bar or rule; take-homes are sent,
  answered and reviewed (`scoring.take_homes`); the hiring manager decides where the rule leaves
  it to them.
- `add_funnel_candidate`: a candidate who stopped, or still is, before the on-site day (`WHERE`).
- `answer_offer`: a hire's answer to the offer; `give_feedback`: a declined candidate's request
  for feedback, drafted by the hiring manager, approved and sent by the coordinator.

Every draw comes from an rng of the candidate's own (`stage_rng`: the demo's seed and the
candidate's name), so the stages leave the panels' draws as they were without them.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Literal

from scoring import candidate_feedback, openings, stage_reviews, stages, take_homes
from scoring.demo_words import DATA, DemoTeam, email_of, evidence_note, written_feedback
from scoring.errors import InvalidInput
from scoring.models.openings import Opening
from scoring.models.people import Person
from scoring.models.stages import Stage, StageStep
from scoring.queries import stages as SQ
from scoring.rubric import Loop, Rubric
from scoring.scale import Scale
from scoring.store import Store

_WORDS = DATA["funnel_words"]

# Where a candidate before the on-site day is: a stage (by its rubric: the resume screen, the
# hiring manager's phone screen, the take-home) and what happened there.
Where = Literal[
    "resume_waiting",  # the review is still to write
    "resume_rejected",  # rejected (and a spot check, where the stage has them, agrees)
    "resume_disputed",  # rejected, and the spot check disagrees: the hiring manager's to settle
    "resume_overturned",  # disputed, overturned by the hiring manager, then rejected at the phone
    "resume_split",  # a tied vote: the hiring manager decides
    "phone_waiting",
    "phone_rejected",
    "take_home_sent",  # not answered yet
    "take_home_submitted",  # answered, the reviews still to write
    "take_home_withdrawn",  # withdrew after it was sent
    "take_home_reviewed",  # the reviews are in, the rule leaves it to the hiring manager
    "take_home_rejected",
]
WHERE: tuple[Where, ...] = Where.__args__  # type: ignore[attr-defined]
_RUBRIC_OF = {
    "resume": "resume-screen",
    "phone": "hm-phone-screen",
    "take_home": "take-home-review",
}
SEED = 2026
BRIEF = "Retention analysis take-home (brief and data: https://git.example.org/take-home/brief)"


def stage_rng(name: str) -> random.Random:
    """The rng of one candidate's way through the stages: the same for the same name, whatever
    else was drawn before."""
    return random.Random(f"{SEED}:stages:{name}")


def opening_process(
    loop: Loop, spec: dict[str, Any], by_name: dict[str, Person]
) -> tuple[Loop, dict[int, list[int]]]:
    """The loop template with the opening's stages from its demo.toml `spec`, and each reviewed
    stage's reviewers by position (`reviewed_by`, names; none: the hiring manager). A spec
    without stages keeps the loop as it is: the on-site day alone."""
    declared = spec.get("stages") or []
    if not declared:
        return loop, {}
    found, reviewers = [], {}
    for position, stage in enumerate(declared, start=1):
        stage = dict(stage)
        names = stage.pop("reviewed_by", None)
        if names:
            reviewers[position] = [by_name[n].id for n in names]
        found.append(stage)
    return Loop.model_validate({**loop.model_dump(mode="json"), "stages": found}), reviewers


# ----------------------------------------------------------------------------- the waits


def _waits(stage: Stage, rubric_id: str, rng: random.Random) -> dict[str, timedelta]:
    """Every wait of one stage, drawn at once: to sending the take-home, to its answer (within
    the deadline), to the first review (from entering a screen, from the answer of a take-home),
    to each next review, to a spot check, to the hiring manager's hand, to a withdrawal."""

    def hours(low: int, high: int) -> timedelta:
        return timedelta(hours=rng.randint(low, high), minutes=rng.choice((0, 15, 30, 45)))

    deadline = int((stage.deadline_days or 2) * 24)
    return {
        "send": hours(3, 28),
        "answer": hours(30, max(31, deadline - 20)),
        "review": hours(10, 50) if rubric_id == _RUBRIC_OF["resume"] else hours(28, 96),
        "second": hours(1, 20),
        "spot": hours(4, 30),
        "hand": hours(2, 20),
        "withdraw": hours(20, 60),
    }


def _passing(stage: Stage) -> tuple[str, ...]:
    """The waits a candidate goes through to pass the stage."""
    steps = ("send", "answer") if stage.kind == "take_home" else ()
    steps += ("review",) + ("second",) * (stage.reviewers - 1)
    return steps + (("hand",) if stage.rule == "manager" else ())


@dataclass
class Route:
    """The stages in front of the on-site loop of an opening, with the waits of each."""

    stages: tuple[Stage, ...]
    rubrics: tuple[str, ...]  # each stage's rubric id
    waits: tuple[dict[str, timedelta], ...]

    @property
    def span(self) -> timedelta:
        """From entering the first stage to passing the last."""
        return sum(
            (
                w[step]
                for stage, w in zip(self.stages, self.waits, strict=True)
                for step in _passing(stage)
            ),
            timedelta(),
        )


def route(store: Store, team: DemoTeam, opening: Opening, rng: random.Random) -> Route:
    """The opening's stages before its loop, each with its waits drawn from `rng`."""
    process = team.process(store, opening.id)
    loop = next(s.position for s in process if s.kind == "loop")
    before = tuple(s for s in process if s.position < loop)
    rubrics = tuple(team.rubric(store, s.rubric_hash).id for s in before)  # type: ignore[arg-type]
    waits = tuple(_waits(s, r, rng) for s, r in zip(before, rubrics, strict=True))
    return Route(before, rubrics, waits)


# ---------------------------------------------------------------------------- the reviews


def _side(scale: Scale, advance: bool, quality: float) -> int:
    """An overall recommendation near `quality` (0..1) on the side the review comes down on."""
    overall = round(scale.min + quality * (scale.max - scale.min))
    if advance:
        return min(scale.max, max(overall, math.floor(scale.midpoint) + 1))
    return max(scale.min, min(overall, math.ceil(scale.midpoint) - 1))


def _review_words(
    rubric: Rubric, stage: Stage, scale: Scale, advance: bool, rng: random.Random
) -> tuple[dict[str, dict], int, str]:
    """Criteria, overall and notes of a review that comes down on `advance`'s side, by the
    stage's bar where it has one, by the recommendation where not."""
    scores: dict[str, int] = {}
    quality = 0.0
    for _ in range(40):
        quality = rng.uniform(0.62, 0.95) if advance else rng.uniform(0.05, 0.42)
        for c in rubric.criteria:
            latent = min(1.0, max(0.0, quality + rng.gauss(0, 0.12)))
            low, high = c.scale.min, c.scale.max
            scores[c.id] = (
                int(latent >= 0.45) if c.kind == "binary" else round(low + latent * (high - low))
            )
        weight = stages.weighted(rubric, scores)
        if stage.bar is None or (weight is not None and (weight >= stage.bar) == advance):
            break
    else:  # never reached in practice: the far end of every scale
        scores = {c.id: c.scale.max if advance else c.scale.min for c in rubric.criteria}
    overall = _side(scale, advance, quality)
    criteria = {
        c.id: {"score": scores[c.id], "evidence": evidence_note(c, scores[c.id])}
        for c in rubric.criteria
    }
    scored = [(c.scale.normalise(scores[c.id]), c, scores[c.id]) for c in rubric.criteria]
    return criteria, overall, written_feedback(scored, overall, scale, rng)


@dataclass
class _Walk:
    """One candidate's way through an opening's stages, with the clock of their last step."""

    store: Store
    team: DemoTeam
    opening: Opening
    candidate_id: int
    rng: random.Random
    clock: datetime
    manager: Person = field(init=False)

    def __post_init__(self) -> None:
        self.manager = self.team.people[self.opening.hiring_manager_id]

    def after(self, wait: timedelta) -> datetime:
        self.clock += wait
        return self.clock

    def seats(self, position: int, purpose: str = "review") -> list[tuple[int, Person]]:
        """The open seats of the stage (seat id, reviewer), oldest first."""
        with self.store.read() as db:
            rows = db.execute(SQ.SEATS_OF_STAGE, [self.candidate_id, position]).fetchall()
        return [
            (r["id"], self.team.people[r["reviewer_id"]])
            for r in rows
            if r["purpose"] == purpose and r["recused_at"] is None and not r["submitted"]
        ]

    def review(self, stage: Stage, seat: tuple[int, Person], advance: bool, at: datetime) -> None:
        rubric = self.team.rubric(self.store, stage.rubric_hash)  # type: ignore[arg-type]
        criteria, overall, notes = _review_words(
            rubric, stage, self.opening.scale.scale, advance, self.rng
        )
        stage_reviews.review(self.store, seat[1], seat[0], criteria, overall, notes, now=at)

    def reviews(self, stage: Stage, waits: dict[str, timedelta], verdicts: list[bool]) -> None:
        """The stage's reviewers write their reviews, one verdict each, in turn."""
        seats = self.seats(stage.position)
        if len(seats) != len(verdicts):
            raise InvalidInput(f"stage: {len(seats)} reviews to write, {len(verdicts)} planned")
        for index, (seat, advance) in enumerate(zip(seats, verdicts, strict=True)):
            self.review(
                stage, seat, advance, self.after(waits["review" if index == 0 else "second"])
            )

    def decide(self, stage: Stage, advance: bool, at: datetime, reason: str = "") -> None:
        outcome = "advance" if advance else "reject"
        reason = reason or self.rng.choice(_WORDS[outcome])
        stage_reviews.decide(
            self.store, self.manager, self.candidate_id, stage.position, outcome, reason, now=at
        )

    def send(self, waits: dict[str, timedelta]) -> None:
        take_homes.send_take_home(
            self.store,
            self.team.coordinator,
            self.candidate_id,
            BRIEF,
            now=self.after(waits["send"]),
        )

    def answer(self, waits: dict[str, timedelta]) -> None:
        take_homes.record_submission(
            self.store,
            self.team.coordinator,
            self.candidate_id,
            self.rng.choice(_WORDS["submissions"]),
            now=self.after(waits["answer"]),
        )

    def feedback(self, waits: dict[str, timedelta]) -> None:
        """The hiring manager's constructive feedback on the take-home, after its outcome."""
        take_homes.send_take_home_feedback(
            self.store,
            self.manager,
            self.candidate_id,
            self.rng.choice(_WORDS["take_home_feedback"]),
            now=self.after(waits["hand"]),
        )

    def pass_stage(self, stage: Stage, waits: dict[str, timedelta]) -> None:
        """The candidate passes the stage: by its rule, or by the hiring manager's hand."""
        if stage.kind == "take_home":
            self.send(waits)
            self.answer(waits)
        self.reviews(stage, waits, [True] * stage.reviewers)
        if stage.rule == "manager":
            self.decide(stage, True, self.after(waits["hand"]))


def follow(
    store: Store,
    team: DemoTeam,
    opening: Opening,
    candidate_id: int,
    way: Route,
    entered: datetime,
    rng: random.Random,
) -> datetime:
    """The candidate (in the process from `entered`) passes every stage of `way`; returns when
    they passed the last."""
    walk = _Walk(store, team, opening, candidate_id, rng, entered)
    for stage, waits in zip(way.stages, way.waits, strict=True):
        walk.pass_stage(stage, waits)
    return walk.clock


# ------------------------------------------------------------ candidates before the day


def _stopped(walk: _Walk, stage: Stage, waits: dict[str, timedelta], where: Where) -> None:
    """What happened at the stage where the candidate is, or stopped."""
    what = where.rpartition("_")[2]
    two = stage.reviewers >= 2
    if what == "waiting":
        return
    if stage.kind == "take_home":
        walk.send(waits)
        if what == "sent":
            return
        if what == "withdrawn":
            reason = walk.rng.choice(_WORDS["withdrawals"])
            openings.withdraw_candidate(
                walk.store,
                walk.team.coordinator,
                walk.candidate_id,
                reason,
                now=walk.after(waits["withdraw"]),
            )
            return
        walk.answer(waits)
        if what == "submitted":
            return
    if what in ("rejected", "disputed", "overturned"):
        walk.reviews(stage, waits, [False] * stage.reviewers)
        if stage.rule == "manager":
            walk.decide(stage, False, walk.after(waits["hand"]))
        checks = walk.seats(stage.position, "spot_check")
        if checks:
            walk.review(stage, checks[0], what != "rejected", walk.after(waits["spot"]))
        elif what != "rejected":
            raise InvalidInput(f"where: {where!r} needs a stage with spot checks")
        if what == "overturned":
            walk.decide(stage, True, walk.after(waits["hand"]), _WORDS["overturned"])
        if stage.kind == "take_home":
            walk.feedback(waits)
        return
    if what in ("split", "reviewed"):
        if what == "split" and not (two and stage.rule == "vote"):
            raise InvalidInput(f"where: {where!r} needs a vote of two reviewers")
        verdicts = [True, False] if two else [walk.rng.random() < 0.5]
        walk.reviews(stage, waits, verdicts)
        return
    raise InvalidInput(f"where: unknown {where!r} (expected one of {WHERE})")


def add_funnel_candidate(
    store: Store,
    team: DemoTeam,
    opening: Opening,
    where: Where,
    by: datetime,
    name: str,
) -> int:
    """A candidate of `opening` who is, or stopped, before the on-site day (`where`), their last
    step shortly before `by`; returns the id. "resume_overturned" goes on to be rejected at the
    phone screen."""
    if where not in WHERE:
        raise InvalidInput(f"where: unknown {where!r} (expected one of {WHERE})")
    rng = stage_rng(name)
    way = route(store, team, opening, rng)
    at_stage = where.rsplit("_", 1)[0]
    wanted = _RUBRIC_OF[at_stage]
    if wanted not in way.rubrics:
        raise InvalidInput(f"where: the opening {opening.title!r} has no {at_stage} stage")
    index = way.rubrics.index(wanted)
    stage, waits = way.stages[index], way.waits[index]
    passed = Route(way.stages[:index], way.rubrics[:index], way.waits[:index])
    took = _took(stage, waits, where)
    if where == "resume_overturned":
        took += sum(way.waits[index + 1].values(), timedelta())
    entered = by - passed.span - took - timedelta(hours=rng.randint(3, 30))
    candidate_id = openings.add_candidate(
        store, team.coordinator, opening.id, name, email_of(name, "example.org"), now=entered
    )
    walk = _Walk(store, team, opening, candidate_id, rng, entered)
    for passing, passing_waits in zip(passed.stages, passed.waits, strict=True):
        walk.pass_stage(passing, passing_waits)
    _stopped(walk, stage, waits, where)
    if where == "resume_overturned":
        phone, phone_waits = way.stages[index + 1], way.waits[index + 1]
        _stopped(walk, phone, phone_waits, "phone_rejected")
    if walk.clock >= by:
        raise InvalidInput(f"where: {name}'s last step would come after {by:%Y-%m-%d %H:%M}")
    return candidate_id


def _took(stage: Stage, waits: dict[str, timedelta], where: Where) -> timedelta:
    """An upper bound of the time the last stage's steps take (the waits they use)."""
    what = where.rpartition("_")[2]
    used = {
        "waiting": (),
        "sent": ("send",),
        "withdrawn": ("send", "withdraw"),
        "submitted": ("send", "answer"),
    }.get(what)
    if used is None:
        used = ("send", "answer") if stage.kind == "take_home" else ()
        used += ("review", "second", "spot", "hand", "hand")
    return sum((waits[step] for step in used), timedelta())


# ------------------------------------------------------------------------- after the day


def answer_offer(
    store: Store,
    team: DemoTeam,
    candidate_id: int,
    accepted: bool,
    reason: str,
    at: datetime,
) -> None:
    """The coordinator records a hire's answer to the offer."""
    stage_reviews.record_offer(store, team.coordinator, candidate_id, accepted, reason, now=at)


def last_step(store: Store, candidate_id: int) -> tuple[StageStep, Stage]:
    """The candidate's step in the stage they are in, or stopped at, and that stage."""
    with store.read() as db:
        step = stages.progress_of(db, candidate_id).steps[-1]
        opening_id = db.execute(SQ.CANDIDATE, [candidate_id]).fetchone()["opening_id"]
        return step, stages.stage_at(stages.process(db, opening_id), step.position)


def answer_offers(
    store: Store, team: DemoTeam, ids: dict[str, int], answers: list[list[str]], today: datetime
) -> None:
    """The answers of the present hires to their offers ([name, "accepted" or "declined",
    reason]: demo.toml's `offers`), each a day after the decision."""
    for name, answer, reason in answers:
        step, stage = last_step(store, ids[name])
        if stage.kind != "offer" or step.state != "pending" or step.entered_at is None:
            raise InvalidInput(f"offers: {name} has no offer waiting for an answer")
        at = step.entered_at + timedelta(days=1, hours=3)
        if at >= today:
            raise InvalidInput(f"offers: {name}'s answer would come after today")
        answer_offer(store, team, ids[name], answer == "accepted", reason, at)


def give_feedback(
    store: Store,
    team: DemoTeam,
    opening: Opening,
    candidate_id: int,
    words: dict[str, Any],
) -> None:
    """A declined candidate asked for feedback `asked_after_days` after the outcome (demo.toml's
    `feedback`): the coordinator records the request, the hiring manager drafts it (logistical
    reasons apart from performance) the next day, the coordinator approves and sends it."""
    manager = team.people[opening.hiring_manager_id]
    step, _ = last_step(store, candidate_id)
    if step.state != "rejected" or step.left_at is None:
        raise InvalidInput(f"feedback: {words['name']} was not declined at a stage")
    asked = step.left_at + timedelta(days=words["asked_after_days"])
    candidate_feedback.record_request(
        store, team.coordinator, candidate_id, words["request"], now=asked
    )
    candidate_feedback.draft(
        store,
        manager,
        candidate_id,
        words["logistical"],
        words["performance"],
        now=asked + timedelta(hours=20),
    )
    candidate_feedback.approve_and_send(
        store, team.coordinator, candidate_id, now=asked + timedelta(hours=26)
    )
