"""A deterministic demo organisation, built entirely through the service.

`build_demo` fills an empty database with thirteen people (a coordinator, three hiring managers who
also interview, six interviewers, three committee members), three openings (one per decision
strategy) and thirty candidates at every stage of the interview day, with the panels a debrief has
to handle: lukewarm, split, vetoed, unanimous, a late scorecard, a revision made after its author
could see the others, a recusal with its replacement, sessions scored by a pair of interviewers
(one pair far apart on a criterion), an early-opened debrief, decisions under each strategy and a
decision superseded by a later one. Every choice comes from ``random.Random(2026)``
and every write carries an explicit time derived from `today`, so two builds give the same
database (only the candidates' aliases and the codes' salts, made with `secrets` by the service,
differ) and the same sign-in codes.

The demo's clock: the team and the openings are set up 30 days before `today` (with its past, 430
days before: `scoring.demo_history` then writes a year of decided candidates and rated hires,
whose interviews end 45 days before `today`); past interview days end before `today`; the "today"
candidates are interviewed from `today` on, so their submissions are stamped a little later the
same day. By default `today` is 09:00 UTC of the latest day whose
demo morning is over (from 14:00 UTC today, else yesterday): nothing is stamped in the future.

Public functions, which the benchmark reuses to build a large database with the same patterns:

``build_demo(store, catalog, today=None, *, past=True) -> list[DemoLogin]``
    The whole demo in one transaction; InvalidInput when the database already has people.
    ``past=False`` leaves out the year of history (`scoring.demo_history`): the thirty present
    candidates only.

``create_demo_team(store, catalog, rng, today, *, set_up=None) -> DemoTeam``
    The people with their codes and the three openings (keys ``ds``, ``mle``, ``da``), set up at
    `set_up` (default 30 days before `today`); needs an empty database.

``add_demo_candidate(store, team, opening, stage, pattern, rng, today, *, twists=(), name=None)
-> int``
    One candidate of `opening` (an `Opening` of the team) at `stage` (one of `STAGES`), whose
    panel scores follow `pattern` (one of `PATTERNS`), with optional `twists` (from `TWISTS`; the
    ones that do not fit the stage raise InvalidInput). Interview days are placed relative to
    `today`; a benchmark spreads candidates over history by passing earlier `today` values. Returns
    the candidate id. Call it inside ``store.batch()`` when adding many (about 3 ms a candidate).

``fitting_twists(stage) -> tuple[Twist, ...]``
    The twists that fit a stage.

Stages: ``scheduled`` (interviews in the coming days), ``today`` (some scorecards in, some
missing), ``overdue`` (one scorecard missing more than a day after its session), ``all_in`` (debrief
not opened), ``open`` (debrief open, undecided) and ``decided``. Patterns (overall recommendations
on 0..5): ``unanimous`` (all 4-5), ``positive`` (mostly 3-4), ``lukewarm`` (only 2s and 3s),
``split`` (1-2 against 3-4), ``negative`` (mostly 0-2), ``veto`` (one 0, the rest 3-4),
``conflict`` (a 0 and a 5). Twists: ``late`` (a scorecard 25-30 h after its session), ``revised``
(a correction after the author could see others' scores), ``recused`` (a conflict of interest and a
replacement interviewer), ``early`` (the debrief opened with one scorecard missing),
``redecided`` (a second decision superseding the first) and ``paired`` (one session, the coding
session when the loop has one, else the first, run by two interviewers from the pool, scheduled
together, who both score it against its rubric: their overalls are within a point and on the same
side, their criterion scores within a point, except on a ``split`` or ``conflict`` panel, where
they are at least half its scale apart on one criterion, e.g. 1 against 4 on 1..4). A paired
candidate has one scorecard more than the loop has sessions; ``paired`` fits every stage but
``scheduled``.
"""

from __future__ import annotations

import random
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from statistics import fmean
from typing import Literal

from scoring import clashes, debrief, openings, outbox, people, scorecards
from scoring.demo_words import (  # noqa: F401 - the shared words, importable from here as before
    _FIRST_NAMES,
    _LAST_NAMES,
    _MANAGER_RATIONALES,
    _NOTES,
    _OPENERS,
    DemoLogin,
    DemoTeam,
    _email,
    _feedback,
    _note,
    _sentence_case,
)
from scoring.errors import InvalidInput
from scoring.opening_record import Opening
from scoring.permissions import Person
from scoring.rubric import Catalog, Criterion, Rubric
from scoring.scale import Position, Scale
from scoring.store import Store, now_utc

SEED = 2026

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


# ------------------------------------------------------------------------------- the organisation

_COORDINATOR = ("Priya Raman", ("coordinator",))
_HIRING_MANAGERS = {  # opening key -> name; they interview for the other openings
    "ds": "Daniel Okafor",
    "mle": "Mei-Lin Chen",
    "da": "Sofia Marquez",
}
_INTERVIEWERS = (
    "Aisha Bello",
    "Tomás Herrera",
    "Hannah Schmidt",
    "Kenji Watanabe",
    "Olivia Brooks",
    "Rahul Mehta",
)
_COMMITTEE = ("Grace Adeyemi", "Lars Nilsson", "Fatima Haddad")

_OPENINGS = {
    "ds": {
        "title": "Data scientist",
        "role": "Data scientist (generalist)",
        "level": "Senior",
        "loop": "ds-generalist-onsite",
        "strategy": {"kind": "manager"},
        "reveal_rule": "after_own",
        "anonymise": False,
        "committee": False,
    },
    "mle": {
        "title": "Machine learning engineer",
        "role": "Machine learning engineer",
        "level": "Mid-level",
        "loop": "ml-engineer-onsite",
        "strategy": {
            "kind": "vote",
            "rule": "majority",
            "veto": True,
            "greenlight": True,
            "quorum": 3,
        },
        "reveal_rule": "all_in",
        "anonymise": False,
        "committee": False,
    },
    "da": {
        "title": "Data analyst",
        "role": "Data analyst",
        "level": "Mid-level",
        "loop": "data-analyst-onsite",
        "strategy": {"kind": "committee", "rule": "majority", "quorum": 2, "bar": 0.5},
        "reveal_rule": "after_own",
        "anonymise": True,
        "committee": True,
    },
}

# The thirty demo candidates: (opening, stage, pattern, twists, name). Together they show every
# stage and every panel a debrief has to handle. Six have a paired session, in every opening; the
# pair of Isabella Rossi (a split panel at an open debrief) is far apart on one coding criterion.
DEMO_PLAN: tuple[tuple[str, Stage, Pattern, tuple[Twist, ...], str], ...] = (
    ("ds", "scheduled", "unanimous", (), "Amelia Turner"),
    ("ds", "scheduled", "split", (), "Noah Fischer"),
    ("ds", "today", "positive", (), "Chloe Dubois"),
    ("ds", "overdue", "split", (), "Arjun Patel"),
    ("ds", "all_in", "unanimous", ("paired",), "Zara Ahmed"),
    ("ds", "all_in", "lukewarm", ("revised",), "Lucas Moreau"),
    ("ds", "open", "split", ("late", "paired"), "Isabella Rossi"),
    ("ds", "decided", "unanimous", ("paired",), "Ethan Kim"),
    ("ds", "decided", "lukewarm", (), "Maya Goldberg"),
    ("ds", "decided", "split", ("redecided",), "Samuel Osei"),
    ("mle", "scheduled", "positive", (), "Leila Karimi"),
    ("mle", "today", "unanimous", ("recused",), "Jonas Weber"),
    ("mle", "today", "lukewarm", ("paired",), "Ana Costa"),
    ("mle", "overdue", "positive", (), "Ryan O'Connor"),
    ("mle", "all_in", "split", ("late",), "Yuki Tanaka"),
    ("mle", "open", "veto", ("early",), "Nadia Petrova"),
    ("mle", "decided", "veto", (), "Oscar Lindqvist"),
    ("mle", "decided", "unanimous", ("paired",), "Priyanka Nair"),
    ("mle", "decided", "conflict", (), "Mateo García"),
    ("mle", "decided", "positive", ("revised",), "Emily Zhang"),
    ("da", "scheduled", "lukewarm", (), "Kwame Mensah"),
    ("da", "today", "split", (), "Sara Johansson"),
    ("da", "overdue", "negative", (), "David Levi"),
    ("da", "all_in", "positive", ("recused",), "Aaliyah Brown"),
    ("da", "open", "lukewarm", ("paired",), "Felix Novak"),
    ("da", "open", "split", (), "Hana Yilmaz"),
    ("da", "decided", "unanimous", (), "Marcus Reid"),
    ("da", "decided", "negative", (), "Elena Popescu"),
    ("da", "decided", "split", ("late",), "Omar Farouk"),
    ("da", "decided", "lukewarm", ("revised",), "Julia Santos"),
)


# ------------------------------------------------------------------------------------ the words

_NOT_ASSESSED = ("Not reached: we ran out of time.", "Not covered in this session.", "")

_RECUSALS = (
    "I worked with this candidate at my previous company.",
    "The candidate is a close friend from university.",
    "I referred this candidate, so I should not score them.",
)
_REVISIONS = (
    "Re-read my notes: I under-weighted how well the second half of the session went.",
    "On reflection my overall was out of line with my own criterion scores.",
    "Corrected the overall after checking my notes against the rubric anchors.",
)
_EARLY = (
    "The candidate has a competing offer expiring on Friday; the last interviewer is out sick and"
    " will submit later.",
    "Opening early to keep the candidate's timeline: one scorecard is still missing and its"
    " interviewer is travelling.",
)
_VOTE_NOTES = {
    "hire": (
        "Consistent evidence across the sessions; meets the bar.",
        "Strong analytics session and good stakeholder feedback.",
        "Some gaps, but the take-home and the stakeholder session carry it.",
    ),
    "no_hire": (
        "Below our bar on the core analytics session.",
        "Too many mixed signals; nobody argues strongly for hiring.",
        "Data-quality handling is a real gap for this role.",
    ),
}
_FIRST_CALL = {
    "hire": "A split panel, but the presentation and technical sessions were strong enough to take"
    " the risk.",
    "no_hire": "A split panel; the concerns about the coding session outweigh the strong"
    " presentation.",
}
_RECONSIDERED = {
    "hire": "Reversed after a follow-up technical conversation settled the coding concerns and"
    " two strong references came back; I accept responsibility for the change.",
    "no_hire": "Reversed after the reference checks raised the same concerns as the split panel;"
    " I accept responsibility for the change.",
}
_SETTLED = {
    "hire": "Discussed in the debrief: the strong concern came from one session and is"
    " trainable; settled as a hire.",
    "no_hire": "Discussed in the debrief: the concern raised is in a core skill for this role;"
    " settled as no hire.",
}


# ---------------------------------------------------------------------------------- the build


# The "today" candidates' morning: their last scorecard in is stamped 4 h 22 min after `today`
# (checked in tests/test_demo.py). Until that is past, the demo's day is yesterday.
TODAY_SPAN = timedelta(hours=5)


def _default_today(now: datetime | None = None) -> datetime:
    """09:00 UTC of the latest day whose demo morning is over by `now`: today from 14:00 UTC,
    yesterday before that. A demo built at 07:00 would otherwise show scorecards submitted at
    13:00, hours in the future."""
    now = now or now_utc()
    today = now.replace(hour=9, minute=0, second=0, microsecond=0)
    return today if now >= today + TODAY_SPAN else today - timedelta(days=1)


def demo_code(rng: random.Random) -> str:
    """An access code in the format of `people.new_code`, drawn from `rng` (for the demo only:
    its codes are printed for everyone to use)."""
    length = people.CODE_GROUPS * people.CODE_GROUP_LENGTH
    symbols = "".join(rng.choice(people.CODE_ALPHABET) for _ in range(length))
    step = people.CODE_GROUP_LENGTH
    return "-".join(symbols[i : i + step] for i in range(0, length, step))


def create_demo_team(
    store: Store,
    catalog: Catalog,
    rng: random.Random,
    today: datetime,
    *,
    set_up: datetime | None = None,
) -> DemoTeam:
    """The demo's people (each with a code from `rng`) and its three openings, set up at
    `set_up` (by default 30 days before `today`). The database must have nobody in it yet."""
    missing = [spec["loop"] for spec in _OPENINGS.values() if spec["loop"] not in catalog.loops]
    if missing:
        raise InvalidInput(f"catalog: the demo needs the loop '{missing[0]}', which is not loaded")
    if not people.nobody_yet(store):
        raise InvalidInput("The database already has people: the demo fills an empty one only.")
    at = set_up or today - timedelta(days=30)
    tick = iter(range(1, 10_000))

    def later() -> datetime:
        return at + timedelta(minutes=next(tick))

    name, roles = _COORDINATOR
    coordinator, _ = people.create_first_coordinator(
        store, name, _email(name, "example.com"), now=at
    )
    cast: list[tuple[Person, tuple[str, ...]]] = [(coordinator, roles)]
    specs = [(n, ("hiring_manager", "interviewer")) for n in _HIRING_MANAGERS.values()]
    specs += [(n, ("interviewer",)) for n in _INTERVIEWERS]
    specs += [(n, ("committee_member",)) for n in _COMMITTEE]
    for person_name, person_roles in specs:
        email = _email(person_name, "example.com")
        person = people.add_person(store, coordinator, person_name, email, person_roles, later())
        cast.append((person, person_roles))
    by_name = {p.name: p for p, _ in cast}
    managers = {key: by_name[n] for key, n in _HIRING_MANAGERS.items()}
    logins = [
        DemoLogin(
            name=person.name,
            email=person.email,
            roles=person_roles,
            code=people.issue_code(store, coordinator, person.id, now=later(), code=demo_code(rng)),
        )
        for person, person_roles in cast
    ]
    committee_ids = [by_name[n].id for n in _COMMITTEE]
    demo_openings = {}
    for key, spec in _OPENINGS.items():
        demo_openings[key] = openings.create_opening(
            store,
            coordinator,
            title=spec["title"],
            role=spec["role"],
            level=spec["level"],
            loop=catalog.loops[spec["loop"]],
            catalog=catalog,
            hiring_manager_id=managers[key].id,
            strategy=spec["strategy"],
            reveal_rule=spec["reveal_rule"],
            anonymise=spec["anonymise"],
            committee_ids=committee_ids if spec["committee"] else (),
            now=later(),
        )
    return DemoTeam(
        coordinator=coordinator,
        interviewers=tuple(p for p, r in cast if "interviewer" in r),
        people={p.id: p for p, _ in cast},
        openings=demo_openings,
        logins=logins,
    )


def build_demo(
    store: Store, catalog: Catalog, today: datetime | None = None, *, past: bool = True
) -> list[DemoLogin]:
    """Fill an empty database with the demo organisation (`DEMO_PLAN`) in one transaction, with
    no message queued (`outbox.without_mail`), and return everyone's sign-in details.
    InvalidInput when the database already has people. `today` (timezone-aware) anchors every
    time; by default 09:00 UTC of the latest day whose demo morning is over (`_default_today`),
    so no write is stamped in the future. With `past` (the default) the team is set up a year
    earlier and has a year of decided candidates and rated hires behind it
    (`scoring.demo_history`), drawn before the thirty present ones; without it, only those
    thirty (for tests that count them)."""
    today = today or _default_today()
    if today.tzinfo is None:
        raise InvalidInput("today: must be timezone-aware")
    rng = random.Random(SEED)
    set_up = None
    if past:
        from scoring import demo_history  # it builds on this module's words and team

        set_up = today - timedelta(days=demo_history.SET_UP)
    # A made-up team's past: its invitations, reminders and decisions happened to nobody, and
    # would go out back-dated to made-up addresses the moment mail is set up.
    with store.batch(), outbox.without_mail():
        team = create_demo_team(store, catalog, rng, today, set_up=set_up)
        if past:
            demo_history.add_history(store, team, today, {plan[-1] for plan in DEMO_PLAN})
        for key, stage, pattern, twists, name in DEMO_PLAN:
            opening = team.openings[key]
            add_demo_candidate(
                store, team, opening, stage, pattern, rng, today, twists=twists, name=name
            )
    return team.logins


# ---------------------------------------------------------------------------- one candidate


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
            criteria[criterion.id] = {"score": None, "evidence": rng.choice(_NOT_ASSESSED)}
            continue
        latent = min(1.0, max(0.0, quality + rng.gauss(0, 0.15)))
        low, high = criterion.scale.min, criterion.scale.max
        if criterion.kind == "binary":
            score = int(latent + rng.gauss(0, 0.1) >= 0.45)
        else:
            score = round(low + latent * (high - low))
        criteria[criterion.id] = {"score": score, "evidence": _note(criterion, score)}
        scored.append((criterion.scale.normalise(score), criterion, score))
    return _feedback(scored, overall, scale, rng), criteria


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
            criteria[criterion.id] = {"score": None, "evidence": rng.choice(_NOT_ASSESSED)}
            continue
        score = theirs
        if criterion.kind != "binary":
            low, high = criterion.scale.min, criterion.scale.max
            score = min(high, max(low, theirs + rng.choice((-1, 0, 0, 0, 1))))
        criteria[criterion.id] = {"score": score, "evidence": _note(criterion, score)}
    contested = [
        c for c in rubric.criteria if c.kind != "binary" and mate[c.id]["score"] is not None
    ]
    if disputed and contested:
        criterion = rng.choice(contested)
        theirs = mate[criterion.id]["score"]
        far = (
            criterion.scale.min if criterion.scale.normalise(theirs) >= 0.5 else criterion.scale.max
        )
        criteria[criterion.id] = {"score": far, "evidence": _note(criterion, far)}
    scored = [
        (c.scale.normalise(criteria[c.id]["score"]), c, criteria[c.id]["score"])
        for c in rubric.criteria
        if criteria[c.id]["score"] is not None
    ]
    return _feedback(scored, overall, scale, rng), criteria


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
    name = name or f"{rng.choice(_FIRST_NAMES)} {rng.choice(_LAST_NAMES)}"

    # The candidate and their interview day.
    start, added_at = _interview_day(stage, twists, rng, today)
    candidate_id = openings.add_candidate(
        store, coordinator, opening.id, name, _email(name, "example.org"), now=added_at
    )
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
            store, seat.interviewer, seat.assignment_id, rng.choice(_RECUSALS), now=recused_at
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
            reason=rng.choice(_REVISIONS),
            overall=finals[revised_index],
            feedback=feedback,
            criteria=criteria,
            now=clock,
        )
    if stage not in ("open", "decided"):
        return candidate_id

    # The debrief.
    clock += timedelta(minutes=rng.randint(60, 8 * 60))
    reason = rng.choice(_EARLY) if "early" in twists else None
    debrief.open_debrief(store, manager, candidate_id, reason=reason, now=clock)
    view = debrief.debrief(store, manager, candidate_id)
    score = view.raw.score if view.raw.score is not None else scale.normalise(round(fmean(finals)))
    if opening.strategy.kind == "committee" and committee:
        wanted = max(opening.strategy.quorum, 2) if stage == "decided" else rng.choice((0, 1))
        for member in rng.sample(committee, min(wanted + rng.randint(0, 1), len(committee))):
            clock += timedelta(minutes=rng.randint(60, 6 * 60))
            vote = "hire" if score + rng.gauss(0, 0.08) >= 0.55 else "no_hire"
            note = rng.choice(_VOTE_NOTES[vote])
            debrief.cast_vote(store, member, candidate_id, vote, note, now=clock)
        if stage == "decided":
            view = debrief.debrief(store, manager, candidate_id)
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
            _FIRST_CALL[first] if "redecided" in twists else _manager_rationale(first, pattern, rng)
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
                rationale=_RECONSIDERED[outcome],
                accepts_responsibility=True,
                now=clock,
            )
        return candidate_id
    result = view.result.outcome
    if result in ("hire", "no_hire"):
        outcome, rationale = result, f"Confirmed the {opening.strategy.kind}'s outcome."
    elif result == "needs_discussion":
        majority = sum(scale.position(f) is Position.YES for f in finals) * 2 > n
        outcome = "hire" if majority and score >= 0.5 else "no_hire"
        rationale = _SETTLED[outcome]
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
            rationale="Re-confirmed after the reference checks came back.",
            now=clock,
        )
    return candidate_id


def _manager_rationale(outcome: str, pattern: Pattern, rng: random.Random) -> str:
    if pattern == "lukewarm" and outcome == "no_hire":
        return _MANAGER_RATIONALES["no_hire"][0]  # DJ Patil: a lukewarm panel is a no
    return rng.choice(_MANAGER_RATIONALES[outcome])


def _manager_outcome(finals: list[int], scale: Scale, pattern: Pattern, score: float) -> str:
    """What a sensible hiring manager decides: with the panel, and no to a lukewarm panel."""
    if pattern == "lukewarm" or (not any(scale.is_strong(f) for f in finals) and score < 0.6):
        return "no_hire"
    yes = sum(scale.position(f) is Position.YES for f in finals)
    no = sum(scale.position(f) is Position.NO for f in finals)
    if yes != no:
        return "hire" if yes > no else "no_hire"
    return "hire" if score >= 0.6 else "no_hire"
