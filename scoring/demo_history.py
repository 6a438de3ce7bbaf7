"""The demo's past: a year of interviews with known truths, written through the service.

`add_history` gives the demo organisation (`scoring.demo`) the history a team has after a year:
110 candidates interviewed, scored, debriefed and decided under each opening's strategy, and hires
rated at 6 and 12 months. The Data scientist opening (Daniel Okafor's, the first hiring manager
the demo lists) gets most of them (`CANDIDATES`), so that every Insights section of his shows real
figures above its minimum n; the two other openings get enough for their decisions and thresholds.
Every write goes through the functions the app uses (`openings.add_candidate`,
`openings.schedule_session`, `scorecards.submit`/`revise`, `debrief.open_debrief`/`cast_vote`/
`record_decision`, `outcomes.record_outcome`; the stages' `stage_reviews.review`, `decide` and
`record_offer`, `take_homes.send_take_home`, `record_submission` and `send_take_home_feedback`),
each with an explicit past time; every choice comes
from ``random.Random(SEED)``, so two builds write the same history (only the aliases, salts and
calendar ids the service draws with `secrets` differ).

**When.** Interview days fall on weekdays from `FIRST_DAY` to `LAST_DAY` days before `today`, one
candidate per morning (08:00 UTC) or afternoon (13:00 UTC) slot and the clash check on, so no
interviewer or candidate is ever in two sessions at once; the last decision comes weeks before the
present candidates' schedule. Ratings are recorded when due (the 6-month one 5 to 6 months after
the decision, the 12-month one from the 11th month, as `outcomes.RATING_FROM_MONTHS` allows) and
only before `today`: nothing is stamped in the future.

**The truths** Insights can be held to:

- *Interviewers* (`INTERVIEWERS`): each has a home session type, which they take when free 85% of
  the time (`HOME_SHARE`): 68-93% of their seats where the loop has it. Each has a leniency in
  overall points (0..5), added to every overall they give (`CRITERION_CARRY` of it to their
  criterion scores): Tomás Herrera is lenient (+0.8), Hannah Schmidt harsh (-0.8), everyone else
  neutral (0). Both run sessions of average difficulty, so their offset from co-interviewers has
  the sign of their leniency whether or not session difficulty is accounted for.
- *Session types* (`DIFFICULTY`): coding is hard (-0.7 points), the stakeholder meeting easy
  (+0.5), the rest in between. A neutral interviewer whose home is coding gives lower overalls
  than co-interviewers on the same candidate without being harsh: an estimate that compares people
  only with co-interviewers on other sessions calls Aisha Bello and Kenji Watanabe (home: coding)
  harsh and Olivia Brooks (home: stakeholders) lenient (issue 23).
- *Agreement*: a session gets a second interviewer `PAIR_SHARE` of the time; rater noise is
  `RATER_NOISE` points, except on one criterion, "Follows the language's conventions" (coding,
  `NOISY_CRITERION`), scored with `NOISY_CRITERION_NOISE`: the one criterion whose agreement
  falls below 0.67.
- *Candidates*: an ability (normal, `ABILITY_SD` overall points) plus a variation per session; the
  overall is ``round(MIDPOINT + ability + variation + difficulty + leniency + noise)`` on 0..5,
  criterion scores follow the same level on their own scales.
- *Corrections after the reveal*: `CORRECTION_SHARE` of scorecards are revised after their author
  could see the others' scores, the overall moved one point toward the others' mean.
- *Decisions*: the hiring manager goes with the panel's majority of yes against no (`ds`), against
  it `AGAINST_PANEL` of the time, with a reason; the vote and the committee decide by their rule,
  the committee members voting with the panel's score.
- *Hires*: a hire's 6- and 12-month ratings (1..5) rise with their ability (`RATING_SLOPE`);
  `LEAVES` of those still here leave in each half-year.

**The funnel.** The openings' processes have stages around the on-site day (scoring/demo.toml),
and the past goes through them as the present does, so that each opening's funnel over the year
adds up and narrows (`python -m scoring funnel`, Insights' Funnel): every candidate interviewed
was added earlier and had passed the stages before their day (`demo_funnel.follow`), and every
hire accepted the offer a few days after the decision; `SCREENED_OUT` more stopped before the day,
rejected at a screen or a take-home (the Data scientist's provisional resume bar spot-checked
every time: the checks agree but for two, whose rejection the hiring manager overturned) or
withdrawn during a take-home. These draws come from rngs of their own (`demo_funnel.stage_rng`,
and one for the screened-out): the truths above are drawn as they were without them.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from statistics import fmean

from scoring import debrief, demo_funnel, openings, scorecards
from scoring.demo_words import (
    AGAINST,
    CORRECTIONS,
    FIRST_NAMES,
    HISTORY_SETTLED,
    LAST_NAMES,
    MANAGER_RATIONALES,
    OFFER_ACCEPTED,
    OUTCOME_NOTES,
    DemoTeam,
    email_of,
    evidence_note,
    written_feedback,
)
from scoring.insights import outcomes
from scoring.models.openings import Opening
from scoring.models.people import Person
from scoring.rubric import Criterion, Rubric
from scoring.scale import Position
from scoring.store import Store

SEED = 2028
FIRST_DAY = 420  # the first interview day, in days before `today`
LAST_DAY = 45  # the last one: its decision comes well before the present candidates' days
SET_UP = 460  # the team and the openings exist from this many days before `today`
# Candidates per opening. Data scientist: enough for every Insights section (20 paired candidates
# per criterion, 10 shared per interviewer, 20 decisions, 20 hires rated at 6 months); the others:
# enough for decisions and thresholds. Each candidate costs about 20 ms to write.
CANDIDATES = {"ds": 70, "mle": 20, "da": 20}
# Candidates of each opening whose way ended before the on-site day, by where (see
# `scoring.demo_funnel.WHERE`): most at the resume screen, fewer at each later stage, so that
# the funnel narrows as the book's does (L1232-1238, L2442-2454) and each stage's pass-through
# has enough candidates behind it. Each costs about 5 ms.
SCREENED_OUT = {
    "ds": {
        "resume_rejected": 30,
        "resume_overturned": 2,
        "phone_rejected": 10,
        "take_home_rejected": 6,
        "take_home_withdrawn": 3,
    },
    "mle": {"resume_rejected": 12, "phone_rejected": 5},
    "da": {"resume_rejected": 10, "phone_rejected": 4, "take_home_rejected": 3},
}
SLOTS = ((8, 0), (13, 0))  # a weekday's two interview slots (UTC): the longest loop ends 12:30

# name -> (home session type, leniency in overall points)
INTERVIEWERS: dict[str, tuple[str, float]] = {
    "Aisha Bello": ("coding", 0.0),
    "Kenji Watanabe": ("coding", 0.0),
    "Tomás Herrera": ("ds-technical", 0.8),  # lenient
    "Rahul Mehta": ("ds-technical", 0.0),
    "Hannah Schmidt": ("presentation", -0.8),  # harsh
    "Olivia Brooks": ("stakeholders", 0.0),
    "Mei-Lin Chen": ("ml-engineering", 0.0),
    "Sofia Marquez": ("analytics-sql", 0.0),
    "Daniel Okafor": ("take-home-review", 0.0),
}
LENIENT, HARSH = "Tomás Herrera", "Hannah Schmidt"
# Session type -> how much it moves a candidate's overall, in points (hard below zero).
DIFFICULTY = {
    "presentation": 0.0,
    "ds-technical": 0.0,
    "coding": -0.7,
    "stakeholders": 0.5,
    "ml-engineering": -0.3,
    "analytics-sql": -0.2,
    "take-home-review": 0.2,
}
HOME_SHARE = 0.85  # how often a free home interviewer takes their session type
PAIR_SHARE = 0.45  # how often a session gets a second interviewer
MIDPOINT = 2.7  # the overall (0..5) of an average candidate on an average session
ABILITY_SD = 1.2  # the spread of candidates' abilities, overall points
SESSION_SD = 0.5  # a candidate's variation from session to session, points
CRITERION_SD = 0.35  # a criterion's variation within a session, shared by a pair
RATER_NOISE = 0.25  # one interviewer's noise on a criterion, points
BINARY_NOISE = 0.15  # the same on a yes/no criterion, whose one step is wide
NOISY_CRITERION = "idiomatic-style"
NOISY_CRITERION_NOISE = 1.6
OVERALL_NOISE = 0.45
CRITERION_CARRY = 0.15  # the share of an interviewer's leniency in their criterion scores
NOT_ASSESSED = 0.08  # an optional criterion the session did not reach (both of a pair)
CORRECTION_SHARE = 0.07
LATE_SHARE = 0.06
AGAINST_PANEL = 0.06
RATING_SLOPE = {6: 0.7, 12: 0.9}  # rating points per point of ability
RATING_NOISE = {6: 0.6, 12: 0.6}
REVIEW = {6: (5, 35), 12: (0, 25)}  # days after a rating may first be recorded
LEAVES = {6: 0.06, 12: 0.06}  # of those still here: left by 6 months, then by 12


def add_history(store: Store, team: DemoTeam, today: datetime, names: set[str]) -> list[int]:
    """Write the demo's year of history for `team` (a `demo.DemoTeam` set up `SET_UP` days
    before `today`) and return its candidates' ids. `names` are taken already (the present
    candidates'): history candidates get other names. Call inside ``store.batch()`` and
    ``outbox.without_mail()``, as `demo.build_demo` does. Every session is placed with the
    clash check on: a clash would raise ScheduleClash rather than be written."""
    rng = random.Random(SEED)
    days = [
        today - timedelta(days=d)
        for d in range(FIRST_DAY, LAST_DAY - 1, -1)
        if (today - timedelta(days=d)).weekday() < 5
    ]
    slots = [d.replace(hour=h, minute=m) for d in days for h, m in SLOTS]
    plan = [key for key, n in CANDIDATES.items() for _ in range(n)]
    rng.shuffle(plan)
    starts = sorted(rng.sample(slots, len(plan)))
    pool = [f"{f} {last}" for f in FIRST_NAMES for last in LAST_NAMES if f"{f} {last}" not in names]
    chosen = rng.sample(pool, len(plan))
    ids = [
        _candidate(store, team, team.openings[key], start, name, today, rng)
        for key, start, name in zip(plan, starts, chosen, strict=True)
    ]
    left = sorted(set(pool) - set(chosen))
    return ids + _screened_out(store, team, days, left)


def _screened_out(
    store: Store, team: DemoTeam, days: list[datetime], names: list[str]
) -> list[int]:
    """The year's candidates who never reached the on-site day (`SCREENED_OUT`), drawn from an
    rng of their own: each one's last step before a morning between the year's first and last
    interview day."""
    rng = random.Random(f"{SEED}:screened out")
    plan = [
        (key, where)
        for key, counts in SCREENED_OUT.items()
        if team.process(store, team.openings[key].id)[0].kind != "loop"
        for where, n in counts.items()
        for _ in range(n)
    ]
    rng.shuffle(plan)
    chosen = rng.sample(names, len(plan))
    ends = sorted(rng.choice(days) + timedelta(hours=rng.randint(0, 9)) for _ in plan)
    return [
        demo_funnel.add_funnel_candidate(store, team, team.openings[key], where, by, name)
        for (key, where), by, name in zip(plan, ends, chosen, strict=True)
    ]


@dataclass
class _Seat:
    person: Person
    position: int
    rubric: Rubric
    ends_at: datetime
    assignment_id: int = 0
    overall: int = 0
    criteria: dict = field(default_factory=dict)
    at: datetime | None = None


def _panel(
    store: Store, opening: Opening, team: DemoTeam, rng: random.Random
) -> dict[int, list[Person]]:
    """Who runs each session: a free interviewer whose home it is, `HOME_SHARE` of the time,
    else anyone free; a second one `PAIR_SHARE` of the time. Nobody sits twice."""
    pool = [
        p
        for p in team.interviewers
        if p.id != opening.hiring_manager_id and p.id not in opening.committee_ids
    ]
    free = list(pool)
    seats: dict[int, list[Person]] = {}
    sessions = list(opening.sessions)
    rng.shuffle(sessions)
    homes = {s["position"]: team.rubric(store, s["rubric_hash"]).id for s in sessions}
    wanted = [s["position"] for s in sessions]  # one each first, then the pairs' second
    wanted += [s["position"] for s in sessions if rng.random() < PAIR_SHARE]
    for position in wanted:
        if not free:
            break
        home = [p for p in free if INTERVIEWERS.get(p.name, ("", 0))[0] == homes[position]]
        person = rng.choice(home if home and rng.random() < HOME_SHARE else free)
        free.remove(person)
        seats.setdefault(position, []).append(person)
    return seats


def _clip(value: float, low: int, high: int) -> int:
    return int(min(high, max(low, round(value))))


def _criterion_score(criterion: Criterion, level: float) -> int:
    """A level in overall points (0..5 around `MIDPOINT`) on the criterion's own scale."""
    share = min(1.0, max(0.0, level / 5))
    if criterion.kind == "binary":
        return int(share >= 0.45)
    low, high = criterion.scale.min, criterion.scale.max
    return _clip(low + share * (high - low), low, high)


def _candidate(
    store: Store,
    team: DemoTeam,
    opening: Opening,
    start: datetime,
    name: str,
    today: datetime,
    rng: random.Random,
) -> int:
    """One past candidate of `opening`, interviewed from `start`: scheduled, scored, perhaps
    corrected, debriefed, decided and, when hired, rated."""
    coordinator = team.coordinator
    manager = team.people[opening.hiring_manager_id]
    scale = opening.scale.scale
    added = start - timedelta(days=rng.randint(5, 12), hours=rng.randint(0, 6))
    # The stages before the on-site day, passed from an rng of the candidate's own (the truths
    # below are drawn as they were without them).
    steps = demo_funnel.stage_rng(name)
    way = demo_funnel.route(store, team, opening, steps)
    entered = added - way.span - timedelta(hours=steps.randint(6, 30)) if way.stages else added
    candidate_id = openings.add_candidate(
        store, coordinator, opening.id, name, email_of(name, "example.org"), now=entered
    )
    demo_funnel.follow(store, team, opening, candidate_id, way, entered, steps)
    ability = rng.gauss(0, ABILITY_SD)
    panel = _panel(store, opening, team, rng)
    seats: list[_Seat] = []
    begins = start
    for index, session in enumerate(opening.sessions):
        people_ = panel[session["position"]]
        openings.schedule_session(
            store,
            coordinator,
            candidate_id,
            session["position"],
            begins,
            [p.id for p in people_],
            now=added + timedelta(minutes=10 + index),
        )
        rubric = team.rubric(store, session["rubric_hash"])
        ends = begins + timedelta(minutes=session["minutes"])
        seats += [_Seat(p, session["position"], rubric, ends) for p in people_]
        begins = ends + timedelta(minutes=15)
    board = scorecards.status_board(store, coordinator, candidate_id, now=added)
    ids = {(s.position, s.interviewer_id): s.assignment_id for s in board}

    # The scores: the candidate's level on each session, each interviewer's view of it.
    for position in {s.position for s in seats}:
        pair = [s for s in seats if s.position == position]
        rubric = pair[0].rubric
        level = MIDPOINT + ability + rng.gauss(0, SESSION_SD) + DIFFICULTY.get(rubric.id, 0.0)
        shared = {
            c.id: None
            if not c.required and rng.random() < NOT_ASSESSED
            else level + rng.gauss(0, CRITERION_SD)
            for c in rubric.criteria
        }
        for seat in pair:
            lean = INTERVIEWERS.get(seat.person.name, ("", 0.0))[1]
            seat.assignment_id = ids[position, seat.person.id]
            seat.overall = _clip(level + lean + rng.gauss(0, OVERALL_NOISE), scale.min, scale.max)
            for c in rubric.criteria:
                if shared[c.id] is None:
                    seat.criteria[c.id] = {
                        "score": None,
                        "evidence": "Not covered in this session.",
                    }
                    continue
                noise = (
                    NOISY_CRITERION_NOISE
                    if c.id == NOISY_CRITERION
                    else BINARY_NOISE
                    if c.kind == "binary"
                    else RATER_NOISE
                )
                value = shared[c.id] + CRITERION_CARRY * lean + rng.gauss(0, noise)
                score = _criterion_score(c, value)
                seat.criteria[c.id] = {"score": score, "evidence": evidence_note(c, score)}
    for seat in seats:
        late = rng.random() < LATE_SHARE
        delay = rng.randint(25 * 60, 40 * 60) if late else rng.randint(10, 180)
        seat.at = seat.ends_at + timedelta(minutes=delay)
    for seat in sorted(seats, key=lambda s: (s.at, s.assignment_id)):
        scorecards.submit(
            store,
            seat.person,
            seat.assignment_id,
            overall=seat.overall,
            feedback=written_feedback(_scored(seat), seat.overall, scale, rng),
            criteria=seat.criteria,
            now=seat.at,
        )
    clock = max(s.at for s in seats)

    # Corrections made after the author could see the others' scores: toward the others.
    firsts = {id(s): s.overall for s in seats}
    for seat in seats:
        others = [firsts[id(s)] for s in seats if s is not seat]
        if rng.random() >= CORRECTION_SHARE or not others:
            continue
        toward = fmean(others) - seat.overall
        if abs(toward) <= 0.5:  # one point would not bring it closer
            continue
        seat.overall += 1 if toward > 0 else -1
        clock += timedelta(minutes=rng.randint(30, 240))
        scorecards.revise(
            store,
            seat.person,
            seat.assignment_id,
            reason=rng.choice(CORRECTIONS),
            overall=seat.overall,
            feedback=written_feedback(_scored(seat), seat.overall, scale, rng),
            criteria=seat.criteria,
            now=clock,
        )

    # The debrief, the committee's votes and the decision.
    clock += timedelta(hours=rng.randint(2, 30))
    debrief.open_debrief(store, manager, candidate_id, now=clock)
    finals = [s.overall for s in seats]
    score = fmean(scale.normalise(f) for f in finals)
    if opening.strategy.kind == "committee":
        members = [team.people[i] for i in opening.committee_ids]
        for member in rng.sample(members, rng.randint(2, len(members))):
            clock += timedelta(hours=rng.randint(1, 20))
            vote = "hire" if score + rng.gauss(0, 0.06) >= 0.55 else "no_hire"
            note = "Meets the bar on the evidence." if vote == "hire" else "Below our bar."
            debrief.cast_vote(store, member, candidate_id, vote, note, now=clock)
    clock += timedelta(hours=rng.randint(1, 48))
    decided = _decide(store, manager, opening, candidate_id, finals, score, rng, clock)
    if decided == "hire":
        if any(s.kind == "offer" for s in team.process(store, opening.id)):
            answered = clock + timedelta(days=steps.randint(1, 6), hours=steps.randint(0, 8))
            demo_funnel.answer_offer(store, team, candidate_id, True, OFFER_ACCEPTED, answered)
        _rate(store, manager, candidate_id, ability, clock, today, rng)
    return candidate_id


def _scored(seat: _Seat) -> list[tuple[float, Criterion, int]]:
    return [
        (c.scale.normalise(seat.criteria[c.id]["score"]), c, seat.criteria[c.id]["score"])
        for c in seat.rubric.criteria
        if seat.criteria[c.id]["score"] is not None
    ]


def _decide(
    store: Store,
    manager: Person,
    opening: Opening,
    candidate_id: int,
    finals: list[int],
    score: float,
    rng: random.Random,
    clock: datetime,
) -> str | None:
    """The decision under the opening's strategy; None when the rule lets nobody record one."""
    scale = opening.scale.scale
    if opening.strategy.kind == "manager":
        yes = sum(scale.position(f) is Position.YES for f in finals)
        no = sum(scale.position(f) is Position.NO for f in finals)
        with_panel = yes > no or (yes == no and fmean(finals) >= 3)
        outcome = "hire" if with_panel else "no_hire"
        if rng.random() < AGAINST_PANEL:
            outcome = "no_hire" if with_panel else "hire"
            rationale = AGAINST[outcome]
        else:
            rationale = rng.choice(MANAGER_RATIONALES[outcome])
        debrief.record_decision(
            store,
            manager,
            candidate_id,
            outcome,
            rationale=rationale,
            accepts_responsibility=True,
            now=clock,
        )
        return outcome
    # The rule decides; the manager confirms it, or settles a panel that needs discussion. The
    # outcome the panel leans to is tried first, the other when the rule says otherwise.
    yes = sum(f > (scale.min + scale.max) / 2 for f in finals) * 2 > len(finals)
    lean = "hire" if yes and score >= 0.5 else "no_hire"
    for outcome in (lean, "no_hire" if lean == "hire" else "hire"):
        try:
            debrief.record_decision(
                store, manager, candidate_id, outcome, rationale=HISTORY_SETTLED, now=clock
            )
        except debrief.DecisionRefused as refused:
            if "outcome" not in refused.problems:
                raise
            continue
        return outcome
    return None  # the rule lets nobody record a decision yet (e.g. the committee is short)


def _rate(
    store: Store,
    manager: Person,
    candidate_id: int,
    ability: float,
    decided: datetime,
    today: datetime,
    rng: random.Random,
) -> None:
    """The hire's 6- and 12-month outcomes, recorded when due and not after `today`."""
    left = False
    for months in outcomes.MONTHS:
        due = outcomes.rating_from(decided, months) + timedelta(days=rng.randint(*REVIEW[months]))
        if due >= today:
            return
        left = left or rng.random() < LEAVES[months]
        if left:
            rating, note = None, OUTCOME_NOTES["left"]
        else:
            rating = _clip(
                3 + RATING_SLOPE[months] * ability + rng.gauss(0, RATING_NOISE[months]), 1, 5
            )
            note = rng.choice(OUTCOME_NOTES["stayed"])
        outcomes.record_outcome(
            store, manager, candidate_id, months, rating, not left, note, now=due
        )
