"""Openings: creating one from a loop template, seeing them, and changing or closing one.

An opening is created from a loop template; the loop and every rubric it uses are frozen into the
opening at that moment (rubric snapshots keyed by content hash, in `opening_record`), so editing a
rubric file later never changes what a stored score meant. Once a scorecard is in, what its scores
depend on stays (`SCORED_FIELDS`).

What a coordinator sets up around an opening lives beside it: its candidates (`candidates`,
`candidates_csv`), their interview day (`schedule`) and changes to it (`schedule_changes`). Those
names are still importable from here, for the callers that import them from `scoring.openings`.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from pydantic import ValidationError

from scoring import audit, stages
from scoring.case import InvalidCase, Strategy, check_force_map, rescale_strategy
from scoring.errors import InvalidInput, field_path, phrase
from scoring.guards import Granted, guarded
from scoring.opening_record import Opening, RevealRule, ensure_open, load, snapshot_rubric
from scoring.permissions import Person, current, may, opening_facts
from scoring.queries import openings as Q
from scoring.rubric import Catalog, Loop, OverallScale
from scoring.scale import Scale
from scoring.schedule_changes import names_in_words
from scoring.store import Store, now_utc, stamp
from scoring.text import TITLE_MAX, check_length, check_one_line


def _strategy(strategy: Strategy | dict[str, Any], scale: OverallScale) -> Strategy:
    """The strategy checked field by field, and its force map against the opening's scale."""
    if not isinstance(strategy, Strategy):
        try:
            strategy = Strategy.model_validate(strategy)
        except ValidationError as exc:
            first = exc.errors()[0]
            loc = tuple(part for part in first["loc"] if part != "[key]")
            raise InvalidInput(f"strategy.{field_path(loc)}: {phrase(first)}") from None
    try:
        check_force_map(strategy, Scale(scale.min, scale.max))
    except InvalidCase as exc:
        raise InvalidInput(str(exc)) from None
    return strategy


@guarded("create_opening", write=True)
def create_opening(
    g: Granted,
    *,
    title: str,
    role: str,
    loop: Loop,
    catalog: Catalog,
    hiring_manager_id: int,
    strategy: Strategy | dict[str, Any],
    level: str = "",
    reveal_rule: RevealRule = "after_own",
    anonymise: bool = False,
    overall_scale: OverallScale | None = None,
    forced_choice: bool = False,
    overdue_hours: float = 24,
    committee_ids: Iterable[int] = (),
    stage_reviewers: Mapping[int, Iterable[int]] | None = None,
    now: datetime | None = None,
) -> Opening:
    """A coordinator creates an opening from a loop template, freezing its rubrics and its
    process (the loop's stages: `scoring.stages`; each screen's and take-home's reviewers by
    position in `stage_reviewers`, by default the hiring manager)."""
    at = now or now_utc()
    scale = overall_scale or loop.overall_scale
    strategy = _strategy(strategy, scale)
    committee_ids = list(dict.fromkeys(committee_ids))
    if not title.strip():
        raise InvalidInput("title: Give the opening a title.")
    for name, value in (("title", title.strip()), ("role", role), ("level", level)):
        check_one_line(name, check_length(name, value, TITLE_MAX))
    if reveal_rule not in ("after_own", "all_in"):
        raise InvalidInput(f"reveal_rule: must be after_own or all_in (got {reveal_rule!r})")
    if overdue_hours <= 0:
        raise InvalidInput(f"overdue_hours: must be > 0 (got {overdue_hours})")
    if strategy.kind == "committee" and not committee_ids:
        raise InvalidInput("committee_ids: a committee strategy needs committee members")
    if loop.levels and level.strip().casefold() not in {x.casefold() for x in loop.levels}:
        raise InvalidInput(
            f"level: the loop '{loop.title}' is for {', '.join(loop.levels)}"
            f" (got {level.strip() or 'no level'!r}): pick the loop made for this level"
        )
    missing = [s.rubric for s in loop.sessions if s.rubric not in catalog.rubrics]
    if missing:
        raise InvalidInput(f"loop: rubric '{missing[0]}' of loop '{loop.id}' is not loaded")
    db = g.db
    for person_id in [hiring_manager_id, *committee_ids]:
        row = db.execute(Q.PERSON_ACTIVE, [person_id]).fetchone()
        if row is None or not row["active"]:
            raise InvalidInput(f"No active person with id {person_id}.")
    opening_id = db.execute(
        Q.ADD_OPENING,
        [
            title.strip(),
            role,
            level,
            loop.id,
            loop.model_dump_json(),
            strategy.model_dump_json(),
            reveal_rule,
            int(anonymise),
            scale.min,
            scale.max,
            json.dumps(scale.labels),
            int(forced_choice),
            overdue_hours,
            hiring_manager_id,
            stamp(at),
            g.actor.id,
        ],
    ).lastrowid
    for position, session in enumerate(loop.sessions, start=1):
        session_rubric = catalog.rubrics[session.rubric]
        db.execute(
            Q.ADD_LOOP_SESSION,
            [
                opening_id,
                position,
                session.title or session_rubric.title,
                session.minutes,
                snapshot_rubric(db, session_rubric),
            ],
        )
    for person_id in committee_ids:
        db.execute(Q.ADD_COMMITTEE_MEMBER, [opening_id, person_id])
    stages.store_process(
        db,
        opening_id,
        loop,
        catalog,
        level=level,
        reviewers={int(k): list(v) for k, v in (stage_reviewers or {}).items()},
        default_reviewers=[hiring_manager_id],
    )
    audit.record(db, g.actor.id, "create_opening", f"opening:{opening_id}", at, loop=loop.id)
    return load(db, opening_id)


@guarded("see_opening", on="opening_id")
def get_opening(g: Granted, opening_id: int) -> Opening:
    """One opening's settings (no scores), for anyone who may see the opening."""
    return load(g.db, opening_id)


def list_openings(store: Store, actor: Person, action: str = "see_opening") -> list[Opening]:
    """The openings on which the actor may do `action` (default: see it): for a coordinator
    every opening is a candidate for the check; for anyone else those they manage, sit on the
    committee of, or interview for. Nobody is offered an opening they may not open."""
    with store.read() as db:
        actor = current(db, actor)
        if actor.has("coordinator"):
            ids = [r[0] for r in db.execute(Q.ALL_OPENINGS)]
        else:
            ids = [r[0] for r in db.execute(Q.OPENINGS_OF_PERSON, {"p": actor.id})]
        return [load(db, i) for i in ids if _may_on(db, actor, action, i)]


def _may_on(db, actor: Person, action: str, opening_id: int) -> bool:
    """The permission table's answer for an opening action. Whether the actor interviews on the
    opening (a walk over their seats, which grows with their history) is looked up only when
    the opening's own facts refuse: that fact only ever grants (tests/test_bounded_pages.py
    checks it over every opening action), so the answer is the same, and a hiring manager's
    or coordinator's pages skip the walk."""
    return may(actor, action, opening_facts(db, opening_id)) or may(
        actor, action, opening_facts(db, opening_id, actor)
    )


def may_on_opening(store: Store, actor: Person, action: str, opening_id: int) -> bool:
    """May the actor do `action` (an opening action of the permission table) on this opening
    now? For a page that offers something only to those who may."""
    with store.read() as db:
        actor = current(db, actor)
        return _may_on(db, actor, action, opening_id)


# ------------------------------------------------------------------------------ changing an opening


# What an opening's scores depend on: once any scorecard is in, these stay (m004 enforces it).
SCORED_FIELDS = {
    "strategy": "decision strategy",
    "reveal_rule": "reveal rule",
    "anonymise": "anonymisation",
    "overall_scale": "overall scale",
    "forced_choice": "forced choice",
    "overdue_hours": "overdue threshold",
}


@guarded("manage_opening", on="opening_id", write=True)
def edit_opening(
    g: Granted,
    opening_id: int,
    *,
    title: str | None = None,
    role: str | None = None,
    level: str | None = None,
    hiring_manager_id: int | None = None,
    committee_ids: Iterable[int] | None = None,
    strategy: Strategy | dict[str, Any] | None = None,
    reveal_rule: RevealRule | None = None,
    anonymise: bool | None = None,
    overall_scale: OverallScale | None = None,
    forced_choice: bool | None = None,
    overdue_hours: float | None = None,
    now: datetime | None = None,
) -> Opening:
    """A coordinator changes an opening where no score depends on the change. Title, role,
    level, the hiring manager (until a debrief is open) and the committee (a member who has voted
    stays) may change at any time; the strategy, reveal rule, anonymisation, scale, forced choice
    and overdue threshold only until the first scorecard is submitted. The loop and its rubrics
    never change: they are the opening. Each refusal names its field."""
    at = now or now_utc()
    db = g.db
    ensure_open(db, opening_id)
    was = load(db, opening_id)
    changes: dict[str, Any] = {}
    for name, value in (("title", title), ("role", role), ("level", level)):
        if value is None:
            continue
        value = check_one_line(name, check_length(name, value.strip(), TITLE_MAX))
        if name == "title" and not value:
            raise InvalidInput("title: Give the opening a title.")
        if value != getattr(was, name):
            changes[name] = value
    wanted: dict[str, Any] = {}
    scale_now = overall_scale or was.scale
    if strategy is None and scale_now != was.scale:  # a preset's map follows the scale
        strategy = rescale_strategy(
            was.strategy,
            Scale(was.scale.min, was.scale.max),
            Scale(scale_now.min, scale_now.max),
        )
    if strategy is not None and _strategy(strategy, scale_now) != was.strategy:
        wanted["strategy"] = _strategy(strategy, scale_now).model_dump_json()
    if reveal_rule is not None and reveal_rule != was.reveal_rule:
        if reveal_rule not in ("after_own", "all_in"):
            raise InvalidInput(f"reveal_rule: must be after_own or all_in (got {reveal_rule!r})")
        wanted["reveal_rule"] = reveal_rule
    if anonymise is not None and anonymise != was.anonymise:
        wanted["anonymise"] = int(anonymise)
    if forced_choice is not None and forced_choice != was.forced_choice:
        wanted["forced_choice"] = int(forced_choice)
    if overdue_hours is not None and overdue_hours != was.overdue_hours:
        if overdue_hours <= 0:
            raise InvalidInput(f"overdue_hours: must be > 0 (got {overdue_hours})")
        wanted["overdue_hours"] = overdue_hours
    if overall_scale is not None and overall_scale != was.scale:
        wanted["overall_scale"] = overall_scale
    scored = db.execute(Q.FIRST_SCORECARDS, [opening_id]).fetchone()[0]
    if wanted and scored:
        field = next(iter(wanted))
        raise InvalidInput(
            f"{field}: {scored} scorecard{'s are' if scored != 1 else ' is'} already"
            f" submitted on this opening: changing its {SCORED_FIELDS[field]} would change"
            " what they mean."
        )
    scale = wanted.pop("overall_scale", None)
    if scale is not None:
        wanted.update(
            scale_min=scale.min, scale_max=scale.max, scale_labels=json.dumps(scale.labels)
        )
    changes.update(wanted)
    if hiring_manager_id is not None and hiring_manager_id != was.hiring_manager_id:
        if db.execute(Q.A_DEBRIEF_OPEN, [opening_id]).fetchone():
            raise InvalidInput(
                "hiring_manager_id: A debrief of this opening is open: its hiring manager"
                " stays, so the decisions keep who was responsible."
            )
        _ensure_active(db, hiring_manager_id, "hiring_manager_id")
        changes["hiring_manager_id"] = hiring_manager_id
    new_committee = None
    if committee_ids is not None:
        new_committee = list(dict.fromkeys(committee_ids))
        removed = set(was.committee_ids) - set(new_committee)
        voted = [r[0] for r in db.execute(Q.voters_among(len(removed)), [opening_id, *removed])]
        if voted:
            raise InvalidInput(
                f"committee_ids: {names_in_words(voted)} already voted on this opening: their"
                " vote counts, so they stay on the committee."
            )
        kind = json.loads(changes.get("strategy") or was.strategy.model_dump_json())["kind"]
        if kind == "committee" and not new_committee:
            raise InvalidInput("committee_ids: a committee strategy needs committee members")
        for person_id in set(new_committee) - set(was.committee_ids):
            _ensure_active(db, person_id, "committee_ids")
        if set(new_committee) == set(was.committee_ids):
            new_committee = None
    if not changes and new_committee is None:
        raise InvalidInput("opening: Nothing changed.")
    if changes:
        db.execute(Q.update_opening(changes), {**changes, "id": opening_id})
    if new_committee is not None:
        db.execute(Q.CLEAR_COMMITTEE, [opening_id])
        for person_id in new_committee:
            db.execute(Q.ADD_COMMITTEE_MEMBER, [opening_id, person_id])
    audit.record(
        db,
        g.actor.id,
        "edit_opening",
        f"opening:{opening_id}",
        at,
        changed=sorted(changes),
        committee=new_committee,
    )
    return load(db, opening_id)


def _ensure_active(db, person_id: int, field: str) -> None:
    row = db.execute(Q.PERSON_ACTIVE, [person_id]).fetchone()
    if row is None or not row["active"]:
        raise InvalidInput(f"{field}: No active person with id {person_id}.")


@guarded("manage_opening", on="opening_id", write=True)
def close_opening(g: Granted, opening_id: int, now: datetime | None = None) -> Opening:
    """A coordinator closes an opening: it keeps everything (scorecards, debriefs, decisions)
    but takes no new candidates or sessions, and no reminders go out for it."""
    at = now or now_utc()
    ensure_open(g.db, opening_id)
    g.db.execute(Q.CLOSE, [stamp(at), opening_id])
    audit.record(g.db, g.actor.id, "close_opening", f"opening:{opening_id}", at)
    return load(g.db, opening_id)


# Kept for callers: these names moved to the modules along the seams of what used to be this one
# file, and every module, page and test that imports them from `scoring.openings` still can
# (tests clear `_SNAPSHOTS`). New code imports them from where they live.

from scoring.candidates import (  # noqa: E402, F401
    ALIAS_ALPHABET,
    Candidate,
    CandidatePage,
    add_candidate,
    candidate_ids,
    find_candidates,
    get_candidate,
    list_candidates,
    new_alias,
)
from scoring.opening_record import (  # noqa: E402, F401
    _SNAPSHOTS,
    rubric,
    rubric_snapshot,
)
from scoring.schedule import (  # noqa: E402, F401
    LOCATION_MAX,
    MAX_PER_SESSION,
    SessionPlan,
    add_interviewer,
    check_location,
    day_times,
    plan_clashes,
    plan_warnings,
    recuse,
    schedule_day,
    schedule_session,
    seat_candidate,
)
from scoring.schedule_changes import (  # noqa: E402, F401
    cancel_session,
    change_location,
    day_clashes,
    locations,
    move_clashes,
    move_session,
    replace_interviewer,
    withdraw_candidate,
)
