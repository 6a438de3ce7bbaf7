"""A deterministic demo organisation, built entirely through the service.

`build_demo` fills an empty database with thirteen people (a coordinator, three hiring managers who
also interview, six interviewers, three committee members), three openings (one per decision
strategy), each with a process of stages around its on-site day (issue 27: resume screen, the
hiring manager's phone screen, a take-home where the role has one, the loop, the offer; every
shipped rubric is used), thirty candidates at every stage of the interview day, with the panels a
debrief has to handle: lukewarm, split, vetoed, unanimous, a late scorecard, a revision made
after its author could see the others, a recusal with its replacement, sessions scored by a pair
of interviewers (one pair far apart on a criterion), an early-opened debrief, decisions under
each strategy and a decision superseded by a later one; and candidates before that day in every
state a stage has, offers accepted, declined and still open, and a declined candidate's feedback
(`scoring.demo_funnel`). Every on-site candidate passed the stages before their day through the
service. Its people, openings, processes, plan and every word its people write are data
(scoring/demo.toml, read by `scoring.demo_words`). Every choice comes from
``random.Random(2026)`` (the stages: an rng per candidate, `demo_funnel.stage_rng`) and every
write carries an explicit time derived from `today`, so two builds give the same database (only
the candidates' aliases, the codes' salts and the questions drawn for each seat, made with
`secrets` by the service, differ) and the same sign-in codes.

The demo's clock: the team and the openings are set up 30 days before `today` (with its past, 460
days before: `scoring.demo_history` then writes a year of decided candidates and rated hires,
whose interviews end 45 days before `today`); past interview days end before `today`; the "today"
candidates are interviewed from `today` on, so their submissions are stamped a little later the
same day. By default `today` is 09:00 UTC of the latest day whose
demo morning is over (from 14:00 UTC today, else yesterday): nothing is stamped in the future.

Public functions, which the benchmark reuses to build a large database with the same patterns:

``build_demo(store, catalog, today=None, *, past=True) -> list[DemoLogin]``
    The whole demo in one transaction; InvalidInput when the database already has people.
    ``past=False`` leaves out the year of history (`scoring.demo_history`): the present
    candidates only (the thirty of `DEMO_PLAN` and those before the day, `FUNNEL_PLAN`).

``create_demo_team(store, catalog, rng, today, *, set_up=None, funnel=True) -> DemoTeam``
    The people with their codes and the three openings (keys ``ds``, ``mle``, ``da``), set up at
    `set_up` (default 30 days before `today`), each with its process from demo.toml (without
    `funnel`: the loop alone); needs an empty database.

``add_demo_candidate(store, team, opening, stage, pattern, rng, today, *, twists=(), name=None)
-> int``
    One candidate of `opening` (an `Opening` of the team) at `stage` (one of `STAGES`), whose
    panel scores follow `pattern` (one of `PATTERNS`), with optional `twists` (from `TWISTS`; the
    ones that do not fit the stage raise InvalidInput). Interview days are placed relative to
    `today`; a benchmark spreads candidates over history by passing earlier `today` values. Returns
    the candidate id. Where the opening's process has stages before the loop, the candidate is
    added earlier and passes them first (`demo_funnel.follow`). Call it inside ``store.batch()``
    when adding many (about 5 ms a candidate with stages).

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
from datetime import datetime, timedelta

from scoring import chance, demo_funnel, openings, outbox, people
from scoring.demo_candidate import (  # noqa: F401 - the public names, importable from here
    PATTERNS,
    STAGES,
    TWISTS,
    Pattern,
    Stage,
    Twist,
    add_demo_candidate,
    fitting_twists,
)
from scoring.demo_funnel import Where
from scoring.demo_words import DATA, DemoLogin, DemoTeam, email_of
from scoring.errors import InvalidInput
from scoring.models.people import Person
from scoring.rubric import Catalog
from scoring.store import Store, now_utc

SEED = 2026

# ------------------------------------------------------------------------------- the organisation
# Its people, openings (with their processes) and present candidates are data: scoring/demo.toml.

_COORDINATOR = (DATA["people"]["coordinator"], tuple(DATA["people"]["coordinator_roles"]))
_HIRING_MANAGERS: dict[str, str] = DATA["people"]["hiring_managers"]  # opening key -> name
_INTERVIEWERS: tuple[str, ...] = tuple(DATA["people"]["interviewers"])
_COMMITTEE: tuple[str, ...] = tuple(DATA["people"]["committee"])
_OPENINGS: dict[str, dict] = DATA["openings"]

# The thirty demo candidates: (opening, stage, pattern, twists, name). Together they show every
# stage and every panel a debrief has to handle. Six have a paired session, in every opening; the
# pair of Isabella Rossi (a split panel at an open debrief) is far apart on one coding criterion.
DEMO_PLAN: tuple[tuple[str, Stage, Pattern, tuple[Twist, ...], str], ...] = tuple(
    (key, stage, pattern, tuple(twists), name) for key, stage, pattern, twists, name in DATA["plan"]
)
# The candidates before the on-site day: (opening, where, name) (`scoring.demo_funnel.WHERE`);
# the present hires' answers to their offers; the declined candidate who asked for feedback.
FUNNEL_PLAN: tuple[tuple[str, Where, str], ...] = tuple(
    (key, where, name) for key, where, name in DATA["funnel"]
)
OFFERS: list[list[str]] = DATA["offers"]
FEEDBACK: dict = DATA["feedback"]


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
    funnel: bool = True,
) -> DemoTeam:
    """The demo's people (each with a code from `rng`) and its three openings, set up at
    `set_up` (by default 30 days before `today`), each with its process from demo.toml (with
    `funnel`, the default; without, the on-site loop alone). The database must have nobody in
    it yet."""
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
        store, name, email_of(name, "example.com"), now=at
    )
    cast: list[tuple[Person, tuple[str, ...]]] = [(coordinator, roles)]
    specs = [(n, ("hiring_manager", "interviewer")) for n in _HIRING_MANAGERS.values()]
    specs += [(n, ("interviewer",)) for n in _INTERVIEWERS]
    specs += [(n, ("committee_member",)) for n in _COMMITTEE]
    for person_name, person_roles in specs:
        email = email_of(person_name, "example.com")
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
        loop, reviewers = demo_funnel.opening_process(
            catalog.loops[spec["loop"]], spec if funnel else {}, by_name
        )
        demo_openings[key] = openings.create_opening(
            store,
            coordinator,
            title=spec["title"],
            role=spec["role"],
            level=spec["level"],
            loop=loop,
            catalog=catalog,
            hiring_manager_id=managers[key].id,
            strategy=spec["strategy"],
            reveal_rule=spec["reveal_rule"],
            anonymise=spec["anonymise"],
            committee_ids=committee_ids if spec["committee"] else (),
            stage_reviewers=reviewers,
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
    (`scoring.demo_history`), drawn before the present ones; without it, only the present
    candidates: the thirty of the on-site day and those before it (for tests that count
    them)."""
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
    # the demo's own seed for the service's draws too (questions, spot checks): two builds,
    # one database
    with store.batch(), outbox.without_mail(), chance.drawn_by(random.Random(2026)):
        team = create_demo_team(store, catalog, rng, today, set_up=set_up)
        if past:
            taken = {plan[-1] for plan in (*DEMO_PLAN, *FUNNEL_PLAN)}
            demo_history.add_history(store, team, today, taken)
        ids = {}
        for key, stage, pattern, twists, name in DEMO_PLAN:
            opening = team.openings[key]
            ids[name] = add_demo_candidate(
                store, team, opening, stage, pattern, rng, today, twists=twists, name=name
            )
        _add_funnel(store, team, today, ids)
    return team.logins


def _add_funnel(store: Store, team: DemoTeam, today: datetime, ids: dict[str, int]) -> None:
    """The candidates before the on-site day (`FUNNEL_PLAN`), the present hires' answers to
    their offers (`OFFERS`) and the feedback one declined candidate asked for (`FEEDBACK`).
    Each has an rng of their own: the thirty's draws stay as they were."""
    # the feedback's candidate was declined early enough for it to have gone out by today
    asked = timedelta(days=FEEDBACK["asked_after_days"] + 2)
    for key, where, name in FUNNEL_PLAN:
        by = today - asked if name == FEEDBACK["name"] else today
        opening = team.openings[key]
        ids[name] = demo_funnel.add_funnel_candidate(store, team, opening, where, by, name)
    demo_funnel.answer_offers(store, team, ids, OFFERS, today)
    key = next(k for k, _, name in FUNNEL_PLAN if name == FEEDBACK["name"])
    demo_funnel.give_feedback(store, team, team.openings[key], ids[FEEDBACK["name"]], FEEDBACK)
