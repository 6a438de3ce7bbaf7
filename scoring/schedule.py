"""The interview day: putting the loop's sessions on a candidate's day, and planning it.

One session at a time (`schedule_session`, with one interviewer or a pair, at a place or video
link), a whole day at once (`schedule_day`: all or nothing, after `plan_warnings` and
`plan_clashes`), a second or replacement interviewer (`add_interviewer`), and an interviewer's
recusal. Every placement is checked against clashes before anything is written or mailed.
Changing a day already placed (moving, cancelling, withdrawing) lives in `schedule_changes`.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from scoring import audit, bookings, outbox, personal, questions, stages
from scoring.clashes import Booking, Clash, ScheduleClash, find_clashes, refuse_clashes
from scoring.errors import InvalidInput, NotFound
from scoring.guards import Granted, guarded
from scoring.models.openings import SessionPlan
from scoring.models.people import Person
from scoring.opening_of import opening_of_candidate, opening_of_session
from scoring.opening_record import ensure_open
from scoring.queries import candidates as QC
from scoring.queries import openings as QO
from scoring.queries import schedule as Q
from scoring.store import now_utc, parse_stamp, stamp
from scoring.text import REASON_MAX, check_length, check_one_line

MAX_PER_SESSION = 2  # one interviewer, or a pair


# A room, an address or a video link with its passcode: one line, and long enough for a meeting
# URL (the outbox cuts what it quotes at the same length).
LOCATION_MAX = 1000


def check_location(location: str | None) -> str:
    """A session's place or video link as it is stored: trimmed, one line, at most
    `LOCATION_MAX` characters (InvalidInput naming `location` otherwise). It stays text: every
    screen and message shows it as typed, never as Markdown or HTML (only a plain https address
    becomes a link to press, on the interviewer's screens: ui.widgets.where)."""
    value = (location or "").strip()
    return check_one_line("location", check_length("location", value, LOCATION_MAX))


# --------------------------------------------------------------------- putting a session on the day


def _loop_session(db, candidate: Any, position: int) -> Any:
    """The loop's session at `position`, refused when the loop has none or it is already on
    the candidate's day."""
    loop_session = db.execute(Q.LOOP_SESSION, [candidate["opening_id"], position]).fetchone()
    if loop_session is None:
        raise InvalidInput(f"position: the loop has no session {position}")
    if db.execute(Q.ON_THE_DAY, [candidate["id"], position]).fetchone():
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


def booking(
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
    """A session being placed (or moved, or given another interviewer), as the clash check
    reads it: its interviewers by name, `field` the form field a clash is said of."""
    ids = list(interviewer_ids)
    names = {r["id"]: r["name"] for r in db.execute(Q.names(len(ids)), ids)} if ids else {}
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


def clashes_with_stored(
    db, actor: Person, placed: list[Booking], break_minutes: int = 0, kinds=None
) -> list[Clash]:
    """Every clash of the bookings being placed (all of one candidate) with what is stored
    (`bookings.nearby`) and with each other:
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


@guarded("manage_opening", on="candidate_id", via=opening_of_candidate, write=True)
def schedule_session(
    g: Granted,
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
    candidate = g.db.execute(QC.CANDIDATE, [candidate_id]).fetchone()
    return _place(
        g.db,
        g.actor,
        candidate,
        SessionPlan(position, starts_at, tuple(interviewer_ids), location),
        now or now_utc(),
        break_minutes=break_minutes,
        confirm=confirm,
    )


def _place(
    db,
    actor: Person,
    candidate: Any,
    item: SessionPlan,
    at: datetime,
    *,
    break_minutes: int,
    confirm: bool,
) -> int:
    """Put one session of a plan on the candidate's day, in the caller's unit of work, for
    whoever the caller's guard let through (`schedule_session`, and `schedule_day` for each of
    its sessions)."""
    interviewer_ids = _panel(item.interviewer_ids)
    location = check_location(item.location)
    ensure_schedulable(db, candidate)
    stages.ensure_at_loop(db, candidate["id"])
    loop_session = _loop_session(db, candidate, item.position)
    for interviewer_id in interviewer_ids:
        ensure_interviewer(db, interviewer_id)
    ends_at = item.starts_at + timedelta(minutes=loop_session["minutes"])
    placed = booking(
        db,
        candidate_id=candidate["id"],
        title=loop_session["title"],
        starts_at=item.starts_at,
        ends_at=ends_at,
        interviewer_ids=interviewer_ids,
        field="starts_at",
    )
    refuse_clashes(clashes_with_stored(db, actor, [placed], break_minutes), confirm)
    session_id = db.execute(
        Q.ADD_SESSION,
        [
            candidate["id"],
            item.position,
            loop_session["title"],
            loop_session["rubric_hash"],
            stamp(item.starts_at),
            stamp(ends_at),
            f"{secrets.token_hex(16)}@debrief",
            location,
        ],
    ).lastrowid
    for interviewer_id in interviewer_ids:
        assign(db, session_id, interviewer_id, at)
    outbox.queue_session_mail(db, session_id, "invitation", at, actor.id)
    audit.record(
        db,
        actor.id,
        "schedule_session",
        f"session:{session_id}",
        at,
        interviewers=interviewer_ids,
        **said(location=location, short_break_confirmed=confirm),
    )
    return session_id


def said(**detail: Any) -> dict[str, Any]:
    """The audit details that say something (a location given, a confirmation made), for
    `audit.record`: an entry without them reads as it always did."""
    return {k: v for k, v in detail.items() if v}


def refuse_seat_clash(db, actor: Person, session_id: int, interviewer_id: int) -> None:
    """Refuse (ScheduleClash, field `interviewer`) to seat someone in a session while they
    interview someone else: their own clashes only, the session's time does not change."""
    session = stored_session(db, session_id)
    placed = booking(
        db,
        candidate_id=session["candidate_id"],
        title=session["title"],
        starts_at=parse_stamp(session["starts_at"]),
        ends_at=parse_stamp(session["ends_at"]),
        interviewer_ids=[interviewer_id],
        field="interviewer",
        session_id=session_id,
    )
    refuse_clashes(clashes_with_stored(db, actor, [placed], kinds={"interviewer"}))


def ensure_interviewer(db, interviewer_id: int) -> None:
    """Refuse (InvalidInput, field `interviewers`) a seat for someone who is not an active
    person."""
    person = db.execute(QO.PERSON_ACTIVE, [interviewer_id]).fetchone()
    if person is None or not person["active"]:
        raise InvalidInput(f"interviewers: no active person with id {interviewer_id}")


def assign(
    db, session_id: int, interviewer_id: int, at: datetime, *, replacing: int | None = None
) -> int:
    """Seat an (active) interviewer in a session; returns the new assignment's id. The seat gets
    its questions from the rubric's pools at once (`questions.draw_for_seat`: the same as
    another seat of the session, or as the seat it is `replacing`, else drawn at random); a
    criterion whose pool has nothing left for this candidate gets none, and the form says so.
    No mail and no audit entry: the caller writes those for the change it makes."""
    ensure_interviewer(db, interviewer_id)
    assignment_id = db.execute(Q.ADD_SEAT, [session_id, interviewer_id, stamp(at)]).lastrowid
    assignment_id = questions.unused_seat_id(db, assignment_id)
    questions.draw_for_seat(db, assignment_id, at, inherit=replacing)
    return assignment_id


@guarded("manage_opening", on="session_id", via=opening_of_session, write=True)
def add_interviewer(
    g: Granted, session_id: int, interviewer_id: int, now: datetime | None = None
) -> int:
    """A coordinator adds a (replacement or second) interviewer to a session. Refused
    (ScheduleClash, nothing written, no mail) while they interview someone else then."""
    at = now or now_utc()
    db, actor = g.db, g.actor
    session = db.execute(Q.SESSION_CANDIDATE, [session_id]).fetchone()
    ensure_schedulable(db, session)
    active = db.execute(Q.ACTIVE_SEATS, [session_id]).fetchall()
    if interviewer_id in [r[0] for r in active]:
        raise InvalidInput("interviewers: already on this session")
    if len(active) >= MAX_PER_SESSION:
        raise InvalidInput("interviewers: a session has one interviewer or a pair")
    ensure_interviewer(db, interviewer_id)
    refuse_seat_clash(db, actor, session_id, interviewer_id)
    assignment_id = assign(db, session_id, interviewer_id, at)
    outbox.queue_session_mail(
        db, session_id, "invitation", at, actor.id, interviewer_ids=[interviewer_id]
    )
    audit.record(db, actor.id, "assign", f"assignment:{assignment_id}", at)
    return assignment_id


@guarded("recuse", on="assignment_id", write=True)
def recuse(g: Granted, assignment_id: int, reason: str, now: datetime | None = None) -> None:
    """An interviewer declares a conflict of interest (L2386) before submitting. The assignment
    drops out of the panel; the status board shows a replacement is needed."""
    at = now or now_utc()
    if not (reason or "").strip():
        raise InvalidInput("reason: say what the conflict of interest is")
    check_length("reason", reason, REASON_MAX)
    db = g.db
    row = db.execute(Q.SEAT, [assignment_id]).fetchone()
    if row["recused_at"]:
        raise InvalidInput("You have already recused from this session.")
    if db.execute(Q.SEAT_SCORED, [assignment_id]).fetchone():
        raise InvalidInput("Your scorecard is already submitted: recusal comes before scoring.")
    outbox.queue_session_mail(
        db,
        row["session_id"],
        "cancellation",
        at,
        g.actor.id,
        interviewer_ids=[row["interviewer_id"]],
        why="you recused from it.",
    )
    candidate_id = seat_candidate(db, assignment_id)
    sealed = personal.seal(db, candidate_id, reason.strip())  # it may say who they are
    db.execute(Q.RECUSE, [stamp(at), sealed, assignment_id])
    db.execute(Q.DROP_DRAFTS, [assignment_id])
    outbox.queue_ready(db, candidate_id, at)
    audit.record(db, g.actor.id, "recuse", f"assignment:{assignment_id}", at, reason=sealed)


# -------------------------------------------------------------- what every change to the day checks


def ensure_schedulable(db, candidate: Any) -> None:
    """Refuse a change to the day of a candidate (a `candidates` row, or a `stored_session`)
    whose opening is closed or who has withdrawn."""
    ensure_open(db, candidate["opening_id"])
    if candidate["withdrawn_at"]:
        raise InvalidInput("candidate: This candidate has withdrawn: their day is not scheduled.")


def seat_candidate(db, assignment_id: int) -> int:
    """The candidate an assignment's session belongs to."""
    row = db.execute(Q.SEAT_CANDIDATE, [assignment_id]).fetchone()
    if row is None:
        raise NotFound(f"No assignment with id {assignment_id}.")
    return row[0]


def stored_session(db, session_id: int) -> Any:
    """A session as stored, with its candidate's opening and withdrawal (NotFound if none)."""
    row = db.execute(Q.SESSION, [session_id]).fetchone()
    if row is None:
        raise NotFound(f"No session with id {session_id}.")
    return row


# --------------------------------------------------------------------------------- planning the day
# (a session of the plan is `SessionPlan`, in scoring.models.openings)


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


def _overlaps(db, interviewer_id: int, starts: datetime, ends: datetime) -> list[Any]:
    return db.execute(Q.OVERLAPS, [interviewer_id, stamp(ends), stamp(starts)]).fetchall()


@guarded("manage_opening", on="candidate_id", via=opening_of_candidate)
def plan_warnings(
    g: Granted,
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
    db = g.db
    minutes = {
        r["position"]: r["minutes"] for r in db.execute(Q.LOOP_MINUTES, [g.facts.opening_id])
    }
    names = {r["id"]: r for r in db.execute(Q.PEOPLE_ROLES)}
    recused = {
        r["interviewer_id"]: r["recusal_reason"] for r in db.execute(Q.RECUSED_FROM, [candidate_id])
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
                ensure_interviewer(db, interviewer_id)
            check_location(item.location)
        except InvalidInput as problem:  # said of the session it concerns, on the form
            message = str(problem).partition(": ")[2] or str(problem)
            raise InvalidInput(f"session.{item.position}: {message}") from problem
        placed.append(
            booking(
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


@guarded("manage_opening", on="candidate_id", via=opening_of_candidate)
def plan_clashes(
    g: Granted,
    candidate_id: int,
    plan: Iterable[SessionPlan],
    break_minutes: int = 0,
) -> list[Clash]:
    """What `schedule_day` would find wrong with this plan's times, before it is saved: every
    clash (refused ones first), each naming its session's field. A plan that is not valid in
    itself (no such session, three interviewers) has no clashes yet: saving it says why."""
    plan = list(plan)
    candidate = g.db.execute(QC.CANDIDATE, [candidate_id]).fetchone()
    try:
        placed = _placed_plan(g.db, candidate, plan)
    except InvalidInput:
        return []
    return clashes_with_stored(g.db, g.actor, placed, break_minutes)


@guarded("manage_opening", on="candidate_id", via=opening_of_candidate, write=True)
def schedule_day(
    g: Granted,
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
    than `break_minutes` needs `confirm`. One unit of work: the person is asked about once, and
    each session is placed as `schedule_session` places it, on the same connection."""
    plan = list(plan)
    if not plan:
        raise InvalidInput("plan: choose at least one session")
    db, at = g.db, now or now_utc()
    candidate = db.execute(QC.CANDIDATE, [candidate_id]).fetchone()
    ensure_schedulable(db, candidate)
    placed = _placed_plan(db, candidate, plan)
    refuse_clashes(clashes_with_stored(db, g.actor, placed, break_minutes), confirm)
    ids = []
    for item in plan:
        try:
            ids.append(
                _place(
                    db, g.actor, candidate, item, at, break_minutes=break_minutes, confirm=confirm
                )
            )
        except ScheduleClash:
            raise  # named by session already
        except InvalidInput as problem:  # said of the session it concerns, on the form
            message = str(problem).partition(": ")[2] or str(problem)
            raise InvalidInput(f"session.{item.position}: {message}") from problem
    return ids
