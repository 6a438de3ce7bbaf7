"""Openings, candidates and the interview day: what a coordinator sets up.

An opening is created from a loop template; the loop and every rubric it uses are frozen into the
opening at that moment (rubric snapshots keyed by content hash), so editing a rubric file later
never changes what a stored score meant.
"""

from __future__ import annotations

import json
import re
import secrets
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any, Literal

from pydantic import ValidationError

from scoring import audit, bookings, outbox
from scoring.case import (
    InvalidCase,
    Strategy,
    check_force_map,
    rescale_strategy,
    stored_strategy,
)
from scoring.clashes import Booking, Clash, ScheduleClash, find_clashes, refuse_clashes
from scoring.emails import check_email
from scoring.errors import HistoryBroken, InvalidInput, NotFound, field_path, phrase
from scoring.permissions import (
    Person,
    candidate_facts,
    candidates_facts,
    current,
    ensure,
    may,
    opening_facts,
    organisation,
    seat_facts,
)
from scoring.rubric import Catalog, Loop, OverallScale, Rubric
from scoring.scale import Scale
from scoring.store import Store, now_utc, parse_stamp, stamp
from scoring.text import REASON_MAX, TITLE_MAX, check_length, check_name, check_one_line

RevealRule = Literal["after_own", "all_in"]
MAX_PER_SESSION = 2  # one interviewer, or a pair
# A room, an address or a video link with its passcode: one line, and long enough for a meeting
# URL (the outbox cuts what it quotes at the same length).
LOCATION_MAX = 1000
ALIAS_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


@dataclass(frozen=True)
class Opening:
    """An opening as the pages see it (no scores here)."""

    id: int
    title: str
    role: str
    level: str
    loop_id: str
    loop_title: str
    strategy: Strategy
    reveal_rule: RevealRule
    anonymise: bool
    scale: OverallScale
    forced_choice: bool
    overdue_hours: float
    hiring_manager_id: int
    committee_ids: tuple[int, ...]
    sessions: tuple[dict[str, Any], ...]  # position, title, minutes, rubric_hash
    closed_at: datetime | None = None

    @classmethod
    def from_rows(cls, row: Any, committee: list[int], sessions: list[Any]) -> Opening:
        """Build from an `openings` row and its committee and sessions."""
        loop = json.loads(row["loop_snapshot"])
        labels = {int(k): v for k, v in json.loads(row["scale_labels"]).items()}
        return cls(
            id=row["id"],
            title=row["title"],
            role=row["role"],
            level=row["level"],
            loop_id=row["loop_id"],
            loop_title=loop["title"],
            # An opening keeps the rules it was made with (a strategy stored before the force
            # map and the bar's mode existed loads with the rules of its day).
            strategy=stored_strategy(row["strategy"], Scale(row["scale_min"], row["scale_max"])),
            reveal_rule=row["reveal_rule"],
            anonymise=bool(row["anonymise"]),
            scale=OverallScale(min=row["scale_min"], max=row["scale_max"], labels=labels),
            forced_choice=bool(row["forced_choice"]),
            overdue_hours=row["overdue_hours"],
            hiring_manager_id=row["hiring_manager_id"],
            committee_ids=tuple(committee),
            sessions=tuple(dict(s) for s in sessions),
            closed_at=parse_stamp(row["closed_at"]),
        )


def snapshot_rubric(db, rubric: Rubric) -> str:
    """Store a rubric's content under its hash (once) and return the hash."""
    known = db.execute(
        "SELECT 1 FROM rubric_snapshots WHERE hash = ?", [rubric.content_hash]
    ).fetchone()
    if not known:  # snapshots are immutable: an insert over an existing one is refused
        db.execute(
            "INSERT INTO rubric_snapshots (hash, rubric_id, version, content) VALUES (?, ?, ?, ?)",
            [rubric.content_hash, rubric.id, rubric.version, rubric.model_dump_json()],
        )
    return rubric.content_hash


_SNAPSHOTS: dict[str, Rubric] = {}


def rubric_snapshot(db, rubric_hash: str) -> Rubric:
    """The rubric exactly as it was frozen. Snapshots never change and are keyed by their
    content hash, so each is read and parsed once per process (they hold no scores)."""
    if rubric_hash not in _SNAPSHOTS:
        row = db.execute(
            "SELECT content FROM rubric_snapshots WHERE hash = ?", [rubric_hash]
        ).fetchone()
        if row is None:
            raise NotFound(f"No rubric snapshot {rubric_hash[:12]}.")
        rubric = Rubric.model_validate_json(row["content"])
        if rubric.content_hash != rubric_hash:
            raise HistoryBroken(
                f"rubric_snapshots {rubric_hash[:12]}: its content no longer matches its hash"
                " (changed outside Debrief); run `python -m scoring verify`"
            )
        _SNAPSHOTS[rubric_hash] = rubric
    return _SNAPSHOTS[rubric_hash]


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


def create_opening(
    store: Store,
    actor: Person,
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
    now: datetime | None = None,
) -> Opening:
    """A coordinator creates an opening from a loop template, freezing its rubrics."""
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
    missing = [s.rubric for s in loop.sessions if s.rubric not in catalog.rubrics]
    if missing:
        raise InvalidInput(f"loop: rubric '{missing[0]}' of loop '{loop.id}' is not loaded")
    with store.write() as db:
        actor = current(db, actor)
        ensure(actor, "create_opening", organisation(db))
        for person_id in [hiring_manager_id, *committee_ids]:
            row = db.execute("SELECT active FROM people WHERE id = ?", [person_id]).fetchone()
            if row is None or not row["active"]:
                raise InvalidInput(f"No active person with id {person_id}.")
        opening_id = db.execute(
            """INSERT INTO openings (title, role, level, loop_id, loop_snapshot, strategy,
                 reveal_rule, anonymise, scale_min, scale_max, scale_labels, forced_choice,
                 overdue_hours, hiring_manager_id, created_at, created_by)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
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
                actor.id,
            ],
        ).lastrowid
        for position, session in enumerate(loop.sessions, start=1):
            rubric = catalog.rubrics[session.rubric]
            db.execute(
                "INSERT INTO opening_sessions (opening_id, position, title, minutes, rubric_hash)"
                " VALUES (?, ?, ?, ?, ?)",
                [
                    opening_id,
                    position,
                    session.title or rubric.title,
                    session.minutes,
                    snapshot_rubric(db, rubric),
                ],
            )
        for person_id in committee_ids:
            db.execute(
                "INSERT INTO opening_committee (opening_id, person_id) VALUES (?, ?)",
                [opening_id, person_id],
            )
        audit.record(db, actor.id, "create_opening", f"opening:{opening_id}", at, loop=loop.id)
        return _opening(db, opening_id)


def _opening(db, opening_id: int) -> Opening:
    row = db.execute("SELECT * FROM openings WHERE id = ?", [opening_id]).fetchone()
    if row is None:
        raise NotFound(f"No opening with id {opening_id}.")
    committee = [
        r[0]
        for r in db.execute(
            "SELECT person_id FROM opening_committee WHERE opening_id = ? ORDER BY person_id",
            [opening_id],
        )
    ]
    sessions = db.execute(
        "SELECT position, title, minutes, rubric_hash FROM opening_sessions"
        " WHERE opening_id = ? ORDER BY position",
        [opening_id],
    ).fetchall()
    return Opening.from_rows(row, committee, sessions)


def get_opening(store: Store, actor: Person, opening_id: int) -> Opening:
    """One opening's settings (no scores), for anyone who may see the opening."""
    with store.read() as db:
        actor = current(db, actor)
        ensure(actor, "see_opening", opening_facts(db, opening_id, actor))
        return _opening(db, opening_id)


def list_openings(store: Store, actor: Person, action: str = "see_opening") -> list[Opening]:
    """The openings on which the actor may do `action` (default: see it): for a coordinator
    every opening is a candidate for the check; for anyone else those they manage, sit on the
    committee of, or interview for. Nobody is offered an opening they may not open."""
    with store.read() as db:
        actor = current(db, actor)
        if actor.has("coordinator"):
            ids = [r[0] for r in db.execute("SELECT id FROM openings ORDER BY id")]
        else:
            ids = [
                r[0]
                for r in db.execute(
                    # One EXISTS per opening, not a scan of everything the person ever
                    # interviewed: this stays fast however long their history is.
                    """SELECT o.id FROM openings o
                       WHERE o.hiring_manager_id = :p
                          OR EXISTS (SELECT 1 FROM opening_committee m
                                     WHERE m.opening_id = o.id AND m.person_id = :p)
                          OR EXISTS (SELECT 1 FROM assignments a
                                     JOIN interview_sessions i ON i.id = a.session_id
                                     JOIN candidates c ON c.id = i.candidate_id
                                     WHERE a.interviewer_id = :p AND c.opening_id = o.id)
                       ORDER BY o.id""",
                    {"p": actor.id},
                )
            ]
        return [_opening(db, i) for i in ids if _may_on(db, actor, action, i)]


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


# ---------------------------------------------------------------------------------- candidates


@dataclass(frozen=True)
class Candidate:
    """A candidate as one person may see them: `display` is the alias where the name is hidden."""

    id: int
    opening_id: int
    alias: str
    display: str
    name: str | None
    email: str | None
    withdrawn: bool = False


def new_alias(db, opening_id: int) -> str:
    """A fresh alias for a candidate of the opening ("Candidate K7QX"), shown where scorers may
    not see the name."""
    while True:
        alias = "Candidate " + "".join(secrets.choice(ALIAS_ALPHABET) for _ in range(4))
        taken = db.execute(
            "SELECT 1 FROM candidates WHERE opening_id = ? AND alias = ?", [opening_id, alias]
        ).fetchone()
        if not taken:
            return alias


def add_candidate(
    store: Store,
    actor: Person,
    opening_id: int,
    name: str,
    email: str = "",
    now: datetime | None = None,
) -> int:
    """A coordinator adds a candidate to an opening; they get a stable alias. The email, when
    given, is checked and normalised (`check_email`); the name is kept without direction
    overrides (`check_name`: it cannot reorder the text it is shown in, mail included)."""
    at = now or now_utc()
    name = check_name("name", name, "Write the candidate's name.")
    email = check_email("email", email) if (email or "").strip() else ""
    with store.write() as db:
        actor = current(db, actor)
        ensure(actor, "manage_opening", opening_facts(db, opening_id))
        ensure_open(db, opening_id)
        candidate_id = db.execute(
            "INSERT INTO candidates (opening_id, name, email, alias, created_at)"
            " VALUES (?, ?, ?, ?, ?)",
            [opening_id, name, email, new_alias(db, opening_id), stamp(at)],
        ).lastrowid
        audit.record(db, actor.id, "add_candidate", f"candidate:{candidate_id}", at)
    return candidate_id


def get_candidate(store: Store, actor: Person, candidate_id: int) -> Candidate:
    """A candidate as the acting person may see them (alias only on an anonymised opening)."""
    with store.read() as db:
        actor = current(db, actor)
        facts = candidate_facts(db, candidate_id)
        ensure(actor, "see_candidate", facts)
        row = db.execute("SELECT * FROM candidates WHERE id = ?", [candidate_id]).fetchone()
        return _candidate(row, may(actor, "see_name", facts))


def _candidate(row, named: bool) -> Candidate:
    """A candidate row as someone sees it: the name and email only where they may see them."""
    return Candidate(
        id=row["id"],
        opening_id=row["opening_id"],
        alias=row["alias"],
        display=row["name"] if named else row["alias"],
        name=row["name"] if named else None,
        email=row["email"] if named else None,
        withdrawn=row["withdrawn_at"] is not None,
    )


def candidate_ids(db, opening_id: int) -> list[int]:
    """The ids of an opening's candidates, oldest first."""
    return [
        r[0]
        for r in db.execute(
            "SELECT id FROM candidates WHERE opening_id = ? ORDER BY id", [opening_id]
        )
    ]


def _candidates(db, actor: Person, ids: list[int]) -> list[Candidate]:
    """These candidates as the actor may see them, in their order: two queries for them all,
    each row through the permission table (`see_candidate`, `see_name`)."""
    if not ids:
        return []
    facts = candidates_facts(db, ids)
    rows = {
        r["id"]: r
        for r in db.execute(
            f"SELECT * FROM candidates WHERE id IN ({','.join('?' * len(ids))})", ids
        )
    }
    shown = []
    for i in ids:
        ensure(actor, "see_candidate", facts[i])
        shown.append(_candidate(rows[i], may(actor, "see_name", facts[i])))
    return shown


def list_candidates(store: Store, actor: Person, opening_id: int) -> list[Candidate]:
    """The candidates of an opening, for its coordinator, hiring manager or committee."""
    with store.read() as db:
        actor = current(db, actor)
        ensure(actor, "see_candidates", opening_facts(db, opening_id))
        ids = candidate_ids(db, opening_id)
        return [
            c
            for chunk in range(0, len(ids), 500)
            for c in _candidates(db, actor, ids[chunk : chunk + 500])
        ]


@dataclass(frozen=True)
class CandidatePage:
    """One page of an opening's candidates matching a search, the latest added first."""

    rows: list[Candidate]
    total: int  # matching, every page
    page: int
    pages: int


def find_candidates(
    store: Store,
    actor: Person,
    opening_id: int,
    text: str = "",
    *,
    active_only: bool = False,
    page: int = 1,
    per_page: int = 25,
) -> CandidatePage:
    """The opening's candidates whose name, alias or email contains `text` (all without it),
    the latest added first, a page at a time: what a list or a picker shows, in a fixed number
    of queries whatever the opening's size. For whoever manages the opening (the Candidates and
    Interview day screens); each row is shown as the permission table lets them see it."""
    with store.read() as db:
        actor = current(db, actor)
        # the coordinator's screens: whoever manages the opening typed or imported the names
        ensure(actor, "manage_opening", opening_facts(db, opening_id))
        where, params = "opening_id = ?", [opening_id]
        if active_only:
            where += " AND withdrawn_at IS NULL"
        text = text.strip()
        if text:
            like = "%" + re.sub(r"([\\%_])", r"\\\1", text) + "%"
            where += r" AND (name LIKE ? ESCAPE '\' OR alias LIKE ? ESCAPE '\'"
            where += r" OR email LIKE ? ESCAPE '\')"
            params += [like, like, like]
        total = db.execute(f"SELECT COUNT(*) FROM candidates WHERE {where}", params).fetchone()[0]
        pages = max(1, -(-total // per_page))
        page = min(max(1, page), pages)
        ids = [
            r[0]
            for r in db.execute(
                f"SELECT id FROM candidates WHERE {where} ORDER BY id DESC LIMIT ? OFFSET ?",
                [*params, per_page, (page - 1) * per_page],
            )
        ]
        return CandidatePage(_candidates(db, actor, ids), total, page, pages)


def check_location(location: str | None) -> str:
    """A session's place or video link as it is stored: trimmed, one line, at most
    `LOCATION_MAX` characters (InvalidInput naming `location` otherwise). It stays text: every
    screen and message shows it as typed, never as Markdown or HTML (only a plain https address
    becomes a link to press, on the interviewer's screens: ui.widgets.where)."""
    value = (location or "").strip()
    return check_one_line("location", check_length("location", value, LOCATION_MAX))


def _loop_session(db, candidate: Any, position: int) -> Any:
    """The loop's session at `position`, refused when the loop has none or it is already on
    the candidate's day."""
    loop_session = db.execute(
        "SELECT * FROM opening_sessions WHERE opening_id = ? AND position = ?",
        [candidate["opening_id"], position],
    ).fetchone()
    if loop_session is None:
        raise InvalidInput(f"position: the loop has no session {position}")
    if db.execute(
        "SELECT 1 FROM interview_sessions WHERE candidate_id = ? AND position = ?",
        [candidate["id"], position],
    ).fetchone():
        raise InvalidInput(
            f"position: {loop_session['title']} is already on this candidate's day;"
            " add or replace an interviewer instead"
        )
    return loop_session


def _panel(interviewer_ids: Iterable[int]) -> list[int]:
    panel = list(dict.fromkeys(interviewer_ids))
    if not 1 <= len(panel) <= MAX_PER_SESSION:
        raise InvalidInput("interviewers: a session has one interviewer or a pair")
    return panel


def _booking(
    db,
    *,
    candidate_id: int,
    title: str,
    starts_at: datetime,
    ends_at: datetime,
    interviewer_ids: Iterable[int],
    field: str,
    session_id: int | None = None,
) -> Booking:
    """A session being placed, as the clash check reads it (its interviewers by name)."""
    ids = list(interviewer_ids)
    names = {
        r["id"]: r["name"]
        for r in db.execute(
            f"SELECT id, name FROM people WHERE id IN ({','.join('?' * len(ids))})", ids
        )
    }
    return Booking(
        session_id=session_id,
        title=title,
        candidate_id=candidate_id,
        candidate="",
        starts_at=starts_at,
        ends_at=ends_at,
        interviewers=tuple((i, names[i]) for i in ids if i in names),
        field=field,
    )


def _clashes(
    db, actor: Person, placed: list[Booking], break_minutes: int = 0, kinds=None
) -> list[Clash]:
    """Every clash of the bookings being placed (all of one candidate) with what is stored:
    the candidate's other sessions, their interviewers' other sessions around that day, the
    break. `kinds` keeps only some kinds (a new interviewer is checked for their own clashes
    only: the session's time is not what changes)."""
    if not placed:
        return []
    found = find_clashes(
        placed,
        bookings.nearby(
            db,
            actor,
            candidate_id=placed[0].candidate_id,
            interviewer_ids={i for b in placed for i, _ in b.interviewers},
            starts=min(b.starts_at for b in placed),
            ends=max(b.ends_at for b in placed),
        ),
        break_minutes,
    )
    return [c for c in found if kinds is None or c.kind in kinds]


def schedule_session(
    store: Store,
    actor: Person,
    candidate_id: int,
    position: int,
    starts_at: datetime,
    interviewer_ids: Iterable[int],
    now: datetime | None = None,
    *,
    location: str = "",
    break_minutes: int = 0,
    confirm: bool = False,
) -> int:
    """A coordinator puts one of the loop's sessions on the day with one or two interviewers,
    at a place or video link (`location`, optional). The session keeps the rubric snapshot its
    opening froze. Refused (ScheduleClash, nothing written, no mail) when it overlaps another of
    the candidate's sessions or another session of one of its interviewers; a gap shorter than
    `break_minutes` to another of the candidate's sessions needs `confirm`."""
    at = now or now_utc()
    interviewer_ids = _panel(interviewer_ids)
    location = check_location(location)
    with store.write() as db:
        actor = current(db, actor)
        candidate = db.execute("SELECT * FROM candidates WHERE id = ?", [candidate_id]).fetchone()
        if candidate is None:
            raise NotFound(f"No candidate with id {candidate_id}.")
        ensure(actor, "manage_opening", opening_facts(db, candidate["opening_id"]))
        _ensure_schedulable(db, candidate)
        loop_session = _loop_session(db, candidate, position)
        for interviewer_id in interviewer_ids:
            _ensure_interviewer(db, interviewer_id)
        ends_at = starts_at + timedelta(minutes=loop_session["minutes"])
        placed = _booking(
            db,
            candidate_id=candidate_id,
            title=loop_session["title"],
            starts_at=starts_at,
            ends_at=ends_at,
            interviewer_ids=interviewer_ids,
            field="starts_at",
        )
        refuse_clashes(_clashes(db, actor, [placed], break_minutes), confirm)
        session_id = db.execute(
            "INSERT INTO interview_sessions (candidate_id, position, title, rubric_hash,"
            " starts_at, ends_at, calendar_uid, location) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [
                candidate_id,
                position,
                loop_session["title"],
                loop_session["rubric_hash"],
                stamp(starts_at),
                stamp(ends_at),
                f"{secrets.token_hex(16)}@debrief",
                location,
            ],
        ).lastrowid
        for interviewer_id in interviewer_ids:
            _assign(db, session_id, interviewer_id, at)
        outbox.queue_session_mail(db, session_id, "invitation", at, actor.id)
        audit.record(
            db,
            actor.id,
            "schedule_session",
            f"session:{session_id}",
            at,
            interviewers=interviewer_ids,
            **_said(location=location, short_break_confirmed=confirm),
        )
    return session_id


def _said(**detail: Any) -> dict[str, Any]:
    """The audit details that say something (a location given, a confirmation made): an entry
    without them reads as it always did."""
    return {k: v for k, v in detail.items() if v}


def _refuse_seat_clash(db, actor: Person, session_id: int, interviewer_id: int) -> None:
    """Refuse (ScheduleClash, field `interviewer`) to seat someone in a session while they
    interview someone else: their own clashes only, the session's time does not change."""
    session = _session(db, session_id)
    placed = _booking(
        db,
        candidate_id=session["candidate_id"],
        title=session["title"],
        starts_at=parse_stamp(session["starts_at"]),
        ends_at=parse_stamp(session["ends_at"]),
        interviewer_ids=[interviewer_id],
        field="interviewer",
        session_id=session_id,
    )
    refuse_clashes(_clashes(db, actor, [placed], kinds={"interviewer"}))


def _ensure_interviewer(db, interviewer_id: int) -> None:
    person = db.execute("SELECT active FROM people WHERE id = ?", [interviewer_id]).fetchone()
    if person is None or not person["active"]:
        raise InvalidInput(f"interviewers: no active person with id {interviewer_id}")


def _assign(db, session_id: int, interviewer_id: int, at: datetime) -> int:
    _ensure_interviewer(db, interviewer_id)
    return db.execute(
        "INSERT INTO assignments (session_id, interviewer_id, assigned_at) VALUES (?, ?, ?)",
        [session_id, interviewer_id, stamp(at)],
    ).lastrowid


def add_interviewer(
    store: Store, actor: Person, session_id: int, interviewer_id: int, now: datetime | None = None
) -> int:
    """A coordinator adds a (replacement or second) interviewer to a session. Refused
    (ScheduleClash, nothing written, no mail) while they interview someone else then."""
    at = now or now_utc()
    with store.write() as db:
        actor = current(db, actor)
        session = db.execute(
            "SELECT c.* FROM interview_sessions i JOIN candidates c"
            " ON c.id = i.candidate_id WHERE i.id = ?",
            [session_id],
        ).fetchone()
        if session is None:
            raise NotFound(f"No session with id {session_id}.")
        ensure(actor, "manage_opening", opening_facts(db, session["opening_id"]))
        _ensure_schedulable(db, session)
        active = db.execute(
            "SELECT interviewer_id FROM assignments WHERE session_id = ? AND recused_at IS NULL",
            [session_id],
        ).fetchall()
        if interviewer_id in [r[0] for r in active]:
            raise InvalidInput("interviewers: already on this session")
        if len(active) >= MAX_PER_SESSION:
            raise InvalidInput("interviewers: a session has one interviewer or a pair")
        _ensure_interviewer(db, interviewer_id)
        _refuse_seat_clash(db, actor, session_id, interviewer_id)
        assignment_id = _assign(db, session_id, interviewer_id, at)
        outbox.queue_session_mail(
            db, session_id, "invitation", at, actor.id, interviewer_ids=[interviewer_id]
        )
        audit.record(db, actor.id, "assign", f"assignment:{assignment_id}", at)
    return assignment_id


def recuse(
    store: Store, actor: Person, assignment_id: int, reason: str, now: datetime | None = None
) -> None:
    """An interviewer declares a conflict of interest (L2386) before submitting. The assignment
    drops out of the panel; the status board shows a replacement is needed."""
    at = now or now_utc()
    if not (reason or "").strip():
        raise InvalidInput("reason: say what the conflict of interest is")
    check_length("reason", reason, REASON_MAX)
    with store.write() as db:
        actor = current(db, actor)
        ensure(actor, "recuse", seat_facts(db, assignment_id))
        row = db.execute("SELECT * FROM assignments WHERE id = ?", [assignment_id]).fetchone()
        if row["recused_at"]:
            raise InvalidInput("You have already recused from this session.")
        if db.execute(
            "SELECT 1 FROM scorecards WHERE assignment_id = ?", [assignment_id]
        ).fetchone():
            raise InvalidInput("Your scorecard is already submitted: recusal comes before scoring.")
        outbox.queue_session_mail(
            db,
            row["session_id"],
            "cancellation",
            at,
            actor.id,
            interviewer_ids=[row["interviewer_id"]],
            why="you recused from it.",
        )
        db.execute(
            "UPDATE assignments SET recused_at = ?, recusal_reason = ? WHERE id = ?",
            [stamp(at), reason.strip(), assignment_id],
        )
        db.execute("DELETE FROM drafts WHERE assignment_id = ?", [assignment_id])
        outbox.queue_ready(db, seat_candidate(db, assignment_id), at)
        audit.record(db, actor.id, "recuse", f"assignment:{assignment_id}", at, reason=reason)


# --------------------------------------------------------------------------- importing candidates

# ------------------------------------------------------------------------- planning the day


@dataclass(frozen=True)
class SessionPlan:
    """One session of the loop on the day: when, and with whom (one interviewer or a pair)."""

    position: int
    starts_at: datetime
    interviewer_ids: tuple[int, ...]
    location: str = ""  # a room, an address or a video link


def _overlaps(db, interviewer_id: int, starts: datetime, ends: datetime) -> list[Any]:
    return db.execute(
        """SELECT i.title, i.starts_at, c.name AS candidate FROM assignments a
           JOIN interview_sessions i ON i.id = a.session_id
           JOIN candidates c ON c.id = i.candidate_id
           WHERE a.interviewer_id = ? AND a.recused_at IS NULL
             AND i.starts_at < ? AND i.ends_at > ?""",
        [interviewer_id, stamp(ends), stamp(starts)],
    ).fetchall()


def plan_warnings(
    store: Store,
    actor: Person,
    candidate_id: int,
    plan: Iterable[SessionPlan],
    *,
    double_bookings: bool = True,
) -> list[str]:
    """What a coordinator should look at before saving a day: double-bookings (with other
    interviews or within this plan; `double_bookings=False` leaves them to `plan_clashes`,
    which says them with both times), interviewers who recused from this candidate, and people
    without the interviewer role."""
    plan = list(plan)
    warnings: list[str] = []
    with store.read() as db:
        actor = current(db, actor)
        candidate = db.execute("SELECT * FROM candidates WHERE id = ?", [candidate_id]).fetchone()
        if candidate is None:
            raise NotFound(f"No candidate with id {candidate_id}.")
        ensure(actor, "manage_opening", opening_facts(db, candidate["opening_id"]))
        minutes = {
            r["position"]: r["minutes"]
            for r in db.execute(
                "SELECT position, minutes FROM opening_sessions WHERE opening_id = ?",
                [candidate["opening_id"]],
            )
        }
        names = {r["id"]: r for r in db.execute("SELECT id, name, roles FROM people")}
        recused = {
            r["interviewer_id"]: r["recusal_reason"]
            for r in db.execute(
                """SELECT a.interviewer_id, a.recusal_reason FROM assignments a
                   JOIN interview_sessions i ON i.id = a.session_id
                   WHERE i.candidate_id = ? AND a.recused_at IS NOT NULL""",
                [candidate_id],
            )
        }
        booked: dict[int, list[tuple[datetime, datetime, int]]] = {}
        for item in plan:
            ends = item.starts_at + timedelta(minutes=minutes.get(item.position, 0))
            for person_id in item.interviewer_ids:
                person = names.get(person_id)
                if person is None:
                    continue
                name = person["name"]
                if "interviewer" not in json.loads(person["roles"]):
                    warnings.append(f"{name} does not have the interviewer role.")
                if person_id in recused:
                    warnings.append(f"{name} recused from this candidate: {recused[person_id]}")
                if not double_bookings:
                    continue
                for other in _overlaps(db, person_id, item.starts_at, ends):
                    warnings.append(
                        f"{name} is double-booked: {other['title']} with {other['candidate']}"
                        f" at {parse_stamp(other['starts_at']):%a %d %b %H:%M}."
                    )
                for start, end, position in booked.get(person_id, []):
                    if start < ends and item.starts_at < end:
                        warnings.append(
                            f"{name} is in two sessions at once (sessions {position} and"
                            f" {item.position})."
                        )
                booked.setdefault(person_id, []).append((item.starts_at, ends, item.position))
    return list(dict.fromkeys(warnings))


def _placed_plan(db, candidate: Any, plan: list[SessionPlan]) -> list[Booking]:
    """A plan's sessions as bookings, each checked first as `schedule_session` would (the loop
    has it, it is not on the day yet, one interviewer or a pair, each active): a refusal names
    the session (``session.2: ...``) before any clash is looked for."""
    placed = []
    for item in plan:
        try:
            if sum(other.position == item.position for other in plan) > 1:
                raise InvalidInput("position: this session is twice in the plan")
            loop_session = _loop_session(db, candidate, item.position)
            panel = _panel(item.interviewer_ids)
            for interviewer_id in panel:
                _ensure_interviewer(db, interviewer_id)
            check_location(item.location)
        except InvalidInput as problem:  # said of the session it concerns, on the form
            message = str(problem).partition(": ")[2] or str(problem)
            raise InvalidInput(f"session.{item.position}: {message}") from problem
        placed.append(
            _booking(
                db,
                candidate_id=candidate["id"],
                title=loop_session["title"],
                starts_at=item.starts_at,
                ends_at=item.starts_at + timedelta(minutes=loop_session["minutes"]),
                interviewer_ids=panel,
                field=f"session.{item.position}",
            )
        )
    return placed


def plan_clashes(
    store: Store,
    actor: Person,
    candidate_id: int,
    plan: Iterable[SessionPlan],
    break_minutes: int = 0,
) -> list[Clash]:
    """What `schedule_day` would find wrong with this plan's times, before it is saved: every
    clash (refused ones first), each naming its session's field. A plan that is not valid in
    itself (no such session, three interviewers) has no clashes yet: saving it says why."""
    plan = list(plan)
    with store.read() as db:
        actor = current(db, actor)
        candidate = _candidate_row(db, actor, candidate_id)
        try:
            placed = _placed_plan(db, candidate, plan)
        except InvalidInput:
            return []
        return _clashes(db, actor, placed, break_minutes)


def _candidate_row(db, actor: Person, candidate_id: int) -> Any:
    candidate = db.execute("SELECT * FROM candidates WHERE id = ?", [candidate_id]).fetchone()
    if candidate is None:
        raise NotFound(f"No candidate with id {candidate_id}.")
    ensure(actor, "manage_opening", opening_facts(db, candidate["opening_id"]))
    return candidate


def schedule_day(
    store: Store,
    actor: Person,
    candidate_id: int,
    plan: Iterable[SessionPlan],
    now: datetime | None = None,
    *,
    break_minutes: int = 0,
    confirm: bool = False,
) -> list[int]:
    """Put several of the loop's sessions on the day at once: all of them, or none. The whole
    plan is checked before anything is written: a session the loop lacks or already has names
    its session; then every clash at once (ScheduleClash: with the candidate's other sessions,
    with the interviewers' other sessions, among the plan's own sessions), and a break shorter
    than `break_minutes` needs `confirm`."""
    plan = list(plan)
    if not plan:
        raise InvalidInput("plan: choose at least one session")
    with store.batch():
        with store.write() as db:
            actor = current(db, actor)
            candidate = _candidate_row(db, actor, candidate_id)
            _ensure_schedulable(db, candidate)
            placed = _placed_plan(db, candidate, plan)
            refuse_clashes(_clashes(db, actor, placed, break_minutes), confirm)
        ids = []
        for item in plan:
            try:
                ids.append(
                    schedule_session(
                        store,
                        actor,
                        candidate_id,
                        item.position,
                        item.starts_at,
                        item.interviewer_ids,
                        now,
                        location=item.location,
                        break_minutes=break_minutes,
                        confirm=confirm,
                    )
                )
            except ScheduleClash:
                raise  # named by session already
            except InvalidInput as problem:  # said of the session it concerns, on the form
                message = str(problem).partition(": ")[2] or str(problem)
                raise InvalidInput(f"session.{item.position}: {message}") from problem
        return ids


def rubric(store: Store, rubric_hash: str) -> Rubric:
    """A frozen rubric by its content hash (rubrics hold no scores: anyone may read them)."""
    with store.read() as db:
        return rubric_snapshot(db, rubric_hash)


# ------------------------------------------------------------------------ changing the day


def ensure_open(db, opening_id: int) -> None:
    """Refuse a change to an opening that does not exist or is closed."""
    row = db.execute("SELECT closed_at FROM openings WHERE id = ?", [opening_id]).fetchone()
    if row is None:
        raise NotFound(f"No opening with id {opening_id}.")
    if row["closed_at"]:
        raise InvalidInput("opening: This opening is closed: nothing more is added or scheduled.")


def _ensure_schedulable(db, candidate: Any) -> None:
    ensure_open(db, candidate["opening_id"])
    if candidate["withdrawn_at"]:
        raise InvalidInput("candidate: This candidate has withdrawn: their day is not scheduled.")


def seat_candidate(db, assignment_id: int) -> int:
    """The candidate an assignment's session belongs to."""
    row = db.execute(
        "SELECT i.candidate_id FROM assignments a JOIN interview_sessions i"
        " ON i.id = a.session_id WHERE a.id = ?",
        [assignment_id],
    ).fetchone()
    if row is None:
        raise NotFound(f"No assignment with id {assignment_id}.")
    return row[0]


def day_times(
    first: datetime,
    sessions: Iterable[tuple[int, int]],
    break_minutes: int,
    chosen: dict[int, datetime] | None = None,
) -> dict[int, datetime]:
    """When each session of a day starts: the first at `first`, each next one after the one
    before it and a break. A start the coordinator chose themselves (`chosen`, by position) is
    kept, and the sessions after it follow it."""
    chosen = chosen or {}
    times: dict[int, datetime] = {}
    clock = first
    for position, minutes in sessions:
        starts = chosen.get(position, clock)
        times[position] = starts
        clock = starts + timedelta(minutes=minutes + break_minutes)
    return times


def _session(db, session_id: int) -> Any:
    row = db.execute(
        """SELECT i.*, c.opening_id, c.withdrawn_at FROM interview_sessions i
           JOIN candidates c ON c.id = i.candidate_id WHERE i.id = ?""",
        [session_id],
    ).fetchone()
    if row is None:
        raise NotFound(f"No session with id {session_id}.")
    return row


def _submitted_by(db, session_id: int) -> list[str]:
    """Who has a submitted scorecard in this session (their names)."""
    return [
        r[0]
        for r in db.execute(
            """SELECT p.name FROM assignments a JOIN people p ON p.id = a.interviewer_id
               WHERE a.session_id = ?
                 AND EXISTS (SELECT 1 FROM scorecards s WHERE s.assignment_id = a.id)
               ORDER BY a.id""",
            [session_id],
        )
    ]


def _names(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def move_session(
    store: Store,
    actor: Person,
    session_id: int,
    starts_at: datetime,
    now: datetime | None = None,
    *,
    location: str | None = None,
    break_minutes: int = 0,
    confirm: bool = False,
) -> None:
    """A coordinator moves a session to another time (same length), and may give it another
    place or video link at once (`location`; None keeps it). Refused once a scorecard of the
    session is submitted: when it counts as late is measured from the session's end. Refused
    too (ScheduleClash: nothing written, no mail) when the new time overlaps another of the
    candidate's sessions or another session of one of its interviewers; a gap shorter than
    `break_minutes` to another of the candidate's sessions needs `confirm`. Its interviewers get
    an update of their calendar invitation (same UID, higher SEQUENCE)."""
    at = now or now_utc()
    new_location = None if location is None else check_location(location)
    with store.write() as db:
        actor = current(db, actor)
        session = _session(db, session_id)
        ensure(actor, "manage_opening", opening_facts(db, session["opening_id"]))
        _ensure_schedulable(db, session)
        scored = _submitted_by(db, session_id)
        if scored:
            raise InvalidInput(
                f"starts_at: {_names(scored)} already submitted a scorecard for"
                f" {session['title']}: moving it would change when that scorecard counts as"
                " late, so the session keeps its time."
            )
        before = parse_stamp(session["starts_at"])
        length = parse_stamp(session["ends_at"]) - before
        if starts_at == before:
            raise InvalidInput("starts_at: That is when the session already starts.")
        placed = replace(
            _seated_booking(db, session, "starts_at"),
            starts_at=starts_at,
            ends_at=starts_at + length,
        )
        refuse_clashes(_clashes(db, actor, [placed], break_minutes), confirm)
        moved_from = session["location"]
        relocated = new_location is not None and new_location != moved_from
        db.execute(
            "UPDATE interview_sessions SET starts_at = ?, ends_at = ?, location = ?,"
            " calendar_sequence = calendar_sequence + 1 WHERE id = ?",
            [
                stamp(starts_at),
                stamp(starts_at + length),
                new_location if relocated else moved_from,
                session_id,
            ],
        )
        outbox.queue_session_mail(
            db,
            session_id,
            "update",
            at,
            actor.id,
            before=before,
            **({"location_before": moved_from} if relocated else {}),
        )
        audit.record(
            db,
            actor.id,
            "move_session",
            f"session:{session_id}",
            at,
            before=stamp(before),
            after=stamp(starts_at),
            **_said(
                location_before=moved_from if relocated else None,
                location=new_location if relocated else None,
                short_break_confirmed=confirm,
            ),
        )


def change_location(
    store: Store,
    actor: Person,
    session_id: int,
    location: str,
    now: datetime | None = None,
) -> None:
    """A coordinator gives a session another place or video link (one line, at most
    `LOCATION_MAX` characters; empty: none). Allowed after a scorecard is in too: where the
    interview was held changes nothing a score means. Its interviewers get an update of their
    calendar invitation that says where, and where it was; audited as `change_location`."""
    at = now or now_utc()
    location = check_location(location)
    with store.write() as db:
        actor = current(db, actor)
        session = _session(db, session_id)
        ensure(actor, "manage_opening", opening_facts(db, session["opening_id"]))
        _ensure_schedulable(db, session)
        if location == session["location"]:
            raise InvalidInput("location: That is already where the session is.")
        db.execute(
            "UPDATE interview_sessions SET location = ?,"
            " calendar_sequence = calendar_sequence + 1 WHERE id = ?",
            [location, session_id],
        )
        outbox.queue_session_mail(
            db, session_id, "update", at, actor.id, location_before=session["location"]
        )
        audit.record(
            db,
            actor.id,
            "change_location",
            f"session:{session_id}",
            at,
            before=session["location"],
            after=location,
        )


def locations(store: Store, actor: Person, candidate_id: int) -> dict[int, str]:
    """Where each of a candidate's sessions is (a room or a video link; "" where none is set),
    by session id: for the Interview day screen, to whoever manages the opening."""
    with store.read() as db:
        actor = current(db, actor)
        _candidate_row(db, actor, candidate_id)
        return {
            r["id"]: r["location"]
            for r in db.execute(
                "SELECT id, location FROM interview_sessions WHERE candidate_id = ?",
                [candidate_id],
            )
        }


def move_clashes(
    store: Store, actor: Person, session_id: int, starts_at: datetime, break_minutes: int = 0
) -> list[Clash]:
    """What `move_session` would find wrong with moving this session to `starts_at`: every
    clash, refused ones first (for a page to say them before asking for a confirmation)."""
    with store.read() as db:
        actor = current(db, actor)
        session = _session(db, session_id)
        ensure(actor, "manage_opening", opening_facts(db, session["opening_id"]))
        length = parse_stamp(session["ends_at"]) - parse_stamp(session["starts_at"])
        placed = replace(
            _seated_booking(db, session, "starts_at"),
            starts_at=starts_at,
            ends_at=starts_at + length,
        )
        return _clashes(db, actor, [placed], break_minutes)


def day_clashes(
    store: Store, actor: Person, candidate_id: int, break_minutes: int = 0
) -> list[Clash]:
    """The clashes already on a candidate's stored day (made before the check existed, or a
    short break a coordinator confirmed): their sessions against each other, and against their
    interviewers' other sessions. What the Interview day screen shows instead of "every session
    is on the day" until someone changes it."""
    with store.read() as db:
        actor = current(db, actor)
        _candidate_row(db, actor, candidate_id)
        placed = bookings.candidate_day(db, actor, candidate_id)
        return _clashes(db, actor, placed, break_minutes)


def _seated_booking(db, session: Any, field: str) -> Booking:
    seated = [
        r[0]
        for r in db.execute(
            "SELECT interviewer_id FROM assignments WHERE session_id = ?"
            " AND recused_at IS NULL ORDER BY id",
            [session["id"]],
        )
    ]
    return _booking(
        db,
        candidate_id=session["candidate_id"],
        title=session["title"],
        starts_at=parse_stamp(session["starts_at"]),
        ends_at=parse_stamp(session["ends_at"]),
        interviewer_ids=seated,
        field=field,
        session_id=session["id"],
    )


def cancel_session(
    store: Store, actor: Person, session_id: int, now: datetime | None = None
) -> None:
    """A coordinator takes a session off the candidate's day (it can be planned again).
    Refused once a scorecard of it is submitted. Its interviewers' drafts go with it (they
    were private); each interviewer gets a cancellation for their calendar."""
    at = now or now_utc()
    with store.write() as db:
        actor = current(db, actor)
        session = _session(db, session_id)
        ensure(actor, "manage_opening", opening_facts(db, session["opening_id"]))
        scored = _submitted_by(db, session_id)
        if scored:
            raise InvalidInput(
                f"session: {_names(scored)} already submitted a scorecard for"
                f" {session['title']}: the session stays on the day with its scorecard."
            )
        _drop_session(db, session, at, actor.id, "the session is cancelled.")
        outbox.queue_ready(db, session["candidate_id"], at)
        audit.record(
            db,
            actor.id,
            "cancel_session",
            f"session:{session_id}",
            at,
            candidate=session["candidate_id"],
            position=session["position"],
            starts_at=session["starts_at"],
        )


def _drop_session(db, session: Any, at: datetime, actor_id: int, why: str) -> None:
    outbox.queue_session_mail(db, session["id"], "cancellation", at, actor_id, why=why)
    seats = [
        r[0] for r in db.execute("SELECT id FROM assignments WHERE session_id = ?", [session["id"]])
    ]
    for seat in seats:
        db.execute("DELETE FROM drafts WHERE assignment_id = ?", [seat])
    db.execute("DELETE FROM assignments WHERE session_id = ?", [session["id"]])
    db.execute("DELETE FROM interview_sessions WHERE id = ?", [session["id"]])


def replace_interviewer(
    store: Store,
    actor: Person,
    assignment_id: int,
    interviewer_id: int,
    now: datetime | None = None,
) -> int:
    """A coordinator gives a seat to another interviewer. Refused for a seat whose scorecard is
    submitted (it keeps its scorecard and author), and while the new interviewer interviews
    someone else then (ScheduleClash). The previous interviewer's draft is deleted unread (drafts
    are private); they get a cancellation, the new one an invitation. Returns the new
    assignment."""
    at = now or now_utc()
    with store.write() as db:
        actor = current(db, actor)
        seat = db.execute("SELECT * FROM assignments WHERE id = ?", [assignment_id]).fetchone()
        if seat is None:
            raise NotFound(f"No assignment with id {assignment_id}.")
        session = _session(db, seat["session_id"])
        ensure(actor, "manage_opening", opening_facts(db, session["opening_id"]))
        _ensure_schedulable(db, session)
        previous = db.execute("SELECT name FROM people WHERE id = ?", [seat["interviewer_id"]])
        previous_name = previous.fetchone()[0]
        if seat_facts(db, assignment_id).submitted:
            raise InvalidInput(
                f"interviewer: {previous_name} already submitted the scorecard for"
                f" {session['title']}: the seat keeps its scorecard and its author."
            )
        if interviewer_id == seat["interviewer_id"]:
            raise InvalidInput(f"interviewer: {previous_name} already has this seat.")
        taken = db.execute(
            "SELECT 1 FROM assignments WHERE session_id = ? AND interviewer_id = ?",
            [seat["session_id"], interviewer_id],
        ).fetchone()
        if taken:
            raise InvalidInput("interviewer: already on this session")
        _ensure_interviewer(db, interviewer_id)
        _refuse_seat_clash(db, actor, seat["session_id"], interviewer_id)
        if seat["recused_at"] is None:
            outbox.queue_session_mail(
                db,
                seat["session_id"],
                "cancellation",
                at,
                actor.id,
                interviewer_ids=[seat["interviewer_id"]],
                why="the coordinator has given it to another interviewer.",
            )
            db.execute("DELETE FROM drafts WHERE assignment_id = ?", [assignment_id])
            db.execute("DELETE FROM assignments WHERE id = ?", [assignment_id])
        # a recused seat stays, with its reason: the replacement joins beside it
        new_id = _assign(db, seat["session_id"], interviewer_id, at)
        outbox.queue_session_mail(
            db, seat["session_id"], "invitation", at, actor.id, interviewer_ids=[interviewer_id]
        )
        audit.record(
            db,
            actor.id,
            "replace_interviewer",
            f"session:{seat['session_id']}",
            at,
            removed=seat["interviewer_id"],
            removed_assignment=assignment_id,
            added=interviewer_id,
            added_assignment=new_id,
        )
        return new_id


def withdraw_candidate(
    store: Store, actor: Person, candidate_id: int, reason: str, now: datetime | None = None
) -> None:
    """A coordinator withdraws a candidate (they withdrew, or the process stops). Sessions with
    a submitted scorecard stay as they are, with their scorecards; every other session and every
    seat still without a scorecard is cancelled, and its interviewers told."""
    at = now or now_utc()
    if not (reason or "").strip():
        raise InvalidInput("reason: Say why the candidate is withdrawn.")
    check_one_line("reason", check_length("reason", reason.strip(), REASON_MAX))
    with store.write() as db:
        actor = current(db, actor)
        candidate = db.execute("SELECT * FROM candidates WHERE id = ?", [candidate_id]).fetchone()
        if candidate is None:
            raise NotFound(f"No candidate with id {candidate_id}.")
        ensure(actor, "manage_opening", opening_facts(db, candidate["opening_id"]))
        if candidate["withdrawn_at"]:
            raise InvalidInput("candidate: Already withdrawn.")
        why = "the candidate has withdrawn."
        for session_id in [
            r[0]
            for r in db.execute(
                "SELECT id FROM interview_sessions WHERE candidate_id = ?", [candidate_id]
            )
        ]:
            session = _session(db, session_id)
            if not _submitted_by(db, session_id):
                _drop_session(db, session, at, actor.id, why)
                continue
            for seat in db.execute(
                """SELECT a.id, a.interviewer_id, a.recused_at FROM assignments a
                   WHERE a.session_id = ?
                     AND NOT EXISTS (SELECT 1 FROM scorecards s WHERE s.assignment_id = a.id)""",
                [session_id],
            ).fetchall():
                if seat["recused_at"] is None:
                    outbox.queue_session_mail(
                        db,
                        session_id,
                        "cancellation",
                        at,
                        actor.id,
                        interviewer_ids=[seat["interviewer_id"]],
                        why=why,
                    )
                db.execute("DELETE FROM drafts WHERE assignment_id = ?", [seat["id"]])
                db.execute("DELETE FROM assignments WHERE id = ?", [seat["id"]])
        db.execute(
            "UPDATE candidates SET withdrawn_at = ?, withdrawal_reason = ? WHERE id = ?",
            [stamp(at), reason.strip(), candidate_id],
        )
        audit.record(
            db, actor.id, "withdraw_candidate", f"candidate:{candidate_id}", at, reason=reason
        )


# --------------------------------------------------------------------- changing an opening

# What an opening's scores depend on: once any scorecard is in, these stay (m004 enforces it).
SCORED_FIELDS = {
    "strategy": "decision strategy",
    "reveal_rule": "reveal rule",
    "anonymise": "anonymisation",
    "overall_scale": "overall scale",
    "forced_choice": "forced choice",
    "overdue_hours": "overdue threshold",
}


def edit_opening(
    store: Store,
    actor: Person,
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
    with store.write() as db:
        actor = current(db, actor)
        ensure(actor, "manage_opening", opening_facts(db, opening_id))
        ensure_open(db, opening_id)
        was = _opening(db, opening_id)
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
                raise InvalidInput(
                    f"reveal_rule: must be after_own or all_in (got {reveal_rule!r})"
                )
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
        scored = db.execute(
            """SELECT COUNT(*) FROM scorecards s JOIN assignments a ON a.id = s.assignment_id
               JOIN interview_sessions i ON i.id = a.session_id
               JOIN candidates c ON c.id = i.candidate_id
               WHERE c.opening_id = ? AND s.revision = 1""",
            [opening_id],
        ).fetchone()[0]
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
            if db.execute(
                "SELECT 1 FROM debriefs d JOIN candidates c ON c.id = d.candidate_id"
                " WHERE c.opening_id = ? LIMIT 1",
                [opening_id],
            ).fetchone():
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
            voted = [
                r[0]
                for r in db.execute(
                    f"""SELECT DISTINCT p.name FROM committee_votes v
                        JOIN candidates c ON c.id = v.candidate_id
                        JOIN people p ON p.id = v.member_id
                        WHERE c.opening_id = ? AND v.member_id IN
                          ({",".join("?" * len(removed)) or "NULL"})""",
                    [opening_id, *removed],
                )
            ]
            if voted:
                raise InvalidInput(
                    f"committee_ids: {_names(voted)} already voted on this opening: their"
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
            columns = ", ".join(f"{c} = :{c}" for c in changes)
            db.execute(
                f"UPDATE openings SET {columns} WHERE id = :id", {**changes, "id": opening_id}
            )
        if new_committee is not None:
            db.execute("DELETE FROM opening_committee WHERE opening_id = ?", [opening_id])
            for person_id in new_committee:
                db.execute(
                    "INSERT INTO opening_committee (opening_id, person_id) VALUES (?, ?)",
                    [opening_id, person_id],
                )
        audit.record(
            db,
            actor.id,
            "edit_opening",
            f"opening:{opening_id}",
            at,
            changed=sorted(changes),
            committee=new_committee,
        )
        return _opening(db, opening_id)


def _ensure_active(db, person_id: int, field: str) -> None:
    row = db.execute("SELECT active FROM people WHERE id = ?", [person_id]).fetchone()
    if row is None or not row["active"]:
        raise InvalidInput(f"{field}: No active person with id {person_id}.")


def close_opening(
    store: Store, actor: Person, opening_id: int, now: datetime | None = None
) -> Opening:
    """A coordinator closes an opening: it keeps everything (scorecards, debriefs, decisions)
    but takes no new candidates or sessions, and no reminders go out for it."""
    at = now or now_utc()
    with store.write() as db:
        actor = current(db, actor)
        ensure(actor, "manage_opening", opening_facts(db, opening_id))
        ensure_open(db, opening_id)
        db.execute("UPDATE openings SET closed_at = ? WHERE id = ?", [stamp(at), opening_id])
        audit.record(db, actor.id, "close_opening", f"opening:{opening_id}", at)
        return _opening(db, opening_id)
