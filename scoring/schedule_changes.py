"""Changing a candidate's day once it is placed: moving a session, giving it another place,
cancelling it, giving a seat to another interviewer, withdrawing the candidate; and reading the
day's places and clashes for the Interview day screen.

A change is refused where a submitted scorecard depends on it (its time, its seat); each is
checked for clashes like a new session (`schedule`), and the interviewers get an update or a
cancellation of their calendar invitation.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import Any

from scoring import audit, bookings, outbox, personal
from scoring.clashes import Booking, Clash, refuse_clashes
from scoring.errors import InvalidInput
from scoring.guards import Granted, guarded
from scoring.opening_of import opening_of_candidate, opening_of_seat, opening_of_session
from scoring.permissions import seat_facts
from scoring.queries import candidates as QC
from scoring.queries import schedule as Q
from scoring.schedule import (
    assign,
    booking,
    check_location,
    clashes_with_stored,
    ensure_interviewer,
    ensure_schedulable,
    refuse_seat_clash,
    said,
    stored_session,
)
from scoring.store import now_utc, parse_stamp, stamp
from scoring.text import REASON_MAX, check_length, check_one_line


def _submitted_by(db, session_id: int) -> list[str]:
    """Who has a submitted scorecard in this session (their names)."""
    return [r[0] for r in db.execute(Q.SUBMITTED_BY, [session_id])]


def names_in_words(names: list[str]) -> str:
    """People's names as a sentence says them: "Ana", "Ana and Ben", "Ana, Ben and Chloé"."""
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


@guarded("manage_opening", on="session_id", via=opening_of_session, write=True)
def move_session(
    g: Granted,
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
    db, actor = g.db, g.actor
    session = stored_session(db, session_id)
    ensure_schedulable(db, session)
    scored = _submitted_by(db, session_id)
    if scored:
        raise InvalidInput(
            f"starts_at: {names_in_words(scored)} already submitted a scorecard for"
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
    refuse_clashes(clashes_with_stored(db, actor, [placed], break_minutes), confirm)
    moved_from = session["location"]
    relocated = new_location is not None and new_location != moved_from
    db.execute(
        Q.MOVE,
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
        **said(
            location_before=moved_from if relocated else None,
            location=new_location if relocated else None,
            short_break_confirmed=confirm,
        ),
    )


@guarded("manage_opening", on="session_id", via=opening_of_session, write=True)
def change_location(
    g: Granted,
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
    db, actor = g.db, g.actor
    session = stored_session(db, session_id)
    ensure_schedulable(db, session)
    if location == session["location"]:
        raise InvalidInput("location: That is already where the session is.")
    db.execute(Q.RELOCATE, [location, session_id])
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


@guarded("manage_opening", on="candidate_id", via=opening_of_candidate)
def locations(g: Granted, candidate_id: int) -> dict[int, str]:
    """Where each of a candidate's sessions is (a room or a video link; "" where none is set),
    by session id: for the Interview day screen, to whoever manages the opening."""
    return {r["id"]: r["location"] for r in g.db.execute(Q.LOCATIONS, [candidate_id])}


@guarded("manage_opening", on="session_id", via=opening_of_session)
def move_clashes(
    g: Granted, session_id: int, starts_at: datetime, break_minutes: int = 0
) -> list[Clash]:
    """What `move_session` would find wrong with moving this session to `starts_at`: every
    clash, refused ones first (for a page to say them before asking for a confirmation)."""
    db = g.db
    session = stored_session(db, session_id)
    length = parse_stamp(session["ends_at"]) - parse_stamp(session["starts_at"])
    placed = replace(
        _seated_booking(db, session, "starts_at"),
        starts_at=starts_at,
        ends_at=starts_at + length,
    )
    return clashes_with_stored(db, g.actor, [placed], break_minutes)


@guarded("manage_opening", on="candidate_id", via=opening_of_candidate)
def day_clashes(g: Granted, candidate_id: int, break_minutes: int = 0) -> list[Clash]:
    """The clashes already on a candidate's stored day (made before the check existed, or a
    short break a coordinator confirmed): their sessions against each other, and against their
    interviewers' other sessions. What the Interview day screen shows instead of "every session
    is on the day" until someone changes it."""
    placed = bookings.candidate_day(g.db, g.actor, candidate_id)
    return clashes_with_stored(g.db, g.actor, placed, break_minutes)


def _seated_booking(db, session: Any, field: str) -> Booking:
    seated = [r[0] for r in db.execute(Q.SEATED, [session["id"]])]
    return booking(
        db,
        candidate_id=session["candidate_id"],
        title=session["title"],
        starts_at=parse_stamp(session["starts_at"]),
        ends_at=parse_stamp(session["ends_at"]),
        interviewer_ids=seated,
        field=field,
        session_id=session["id"],
    )


@guarded("manage_opening", on="session_id", via=opening_of_session, write=True)
def cancel_session(g: Granted, session_id: int, now: datetime | None = None) -> None:
    """A coordinator takes a session off the candidate's day (it can be planned again).
    Refused once a scorecard of it is submitted. Its interviewers' drafts go with it (they
    were private); each interviewer gets a cancellation for their calendar."""
    at = now or now_utc()
    db, actor = g.db, g.actor
    session = stored_session(db, session_id)
    scored = _submitted_by(db, session_id)
    if scored:
        raise InvalidInput(
            f"session: {names_in_words(scored)} already submitted a scorecard for"
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
    seats = [r[0] for r in db.execute(Q.SESSION_SEATS, [session["id"]])]
    for seat in seats:
        db.execute(Q.DROP_DRAFTS, [seat])
    db.execute(Q.DROP_SEATS, [session["id"]])
    db.execute(Q.DROP_SESSION, [session["id"]])


@guarded("manage_opening", on="assignment_id", via=opening_of_seat, write=True)
def replace_interviewer(
    g: Granted,
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
    db, actor = g.db, g.actor
    seat = db.execute(Q.SEAT, [assignment_id]).fetchone()
    session = stored_session(db, seat["session_id"])
    ensure_schedulable(db, session)
    previous = db.execute(Q.PERSON_NAME, [seat["interviewer_id"]])
    previous_name = previous.fetchone()[0]
    if seat_facts(db, assignment_id).submitted:
        raise InvalidInput(
            f"interviewer: {previous_name} already submitted the scorecard for"
            f" {session['title']}: the seat keeps its scorecard and its author."
        )
    if interviewer_id == seat["interviewer_id"]:
        raise InvalidInput(f"interviewer: {previous_name} already has this seat.")
    taken = db.execute(Q.ON_THE_SESSION, [seat["session_id"], interviewer_id]).fetchone()
    if taken:
        raise InvalidInput("interviewer: already on this session")
    ensure_interviewer(db, interviewer_id)
    refuse_seat_clash(db, actor, seat["session_id"], interviewer_id)
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
        db.execute(Q.DROP_DRAFTS, [assignment_id])
        db.execute(Q.DROP_SEAT, [assignment_id])
    # a recused seat stays, with its reason: the replacement joins beside it
    new_id = assign(
        db,
        seat["session_id"],
        interviewer_id,
        at,
        replacing=None if seat["recused_at"] else assignment_id,  # a recused seat stays
    )
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


@guarded("manage_opening", on="candidate_id", via=opening_of_candidate, write=True)
def withdraw_candidate(
    g: Granted, candidate_id: int, reason: str, now: datetime | None = None
) -> None:
    """A coordinator withdraws a candidate (they withdrew, or the process stops). Sessions with
    a submitted scorecard stay as they are, with their scorecards; every other session and every
    seat still without a scorecard is cancelled, and its interviewers told."""
    at = now or now_utc()
    if not (reason or "").strip():
        raise InvalidInput("reason: Say why the candidate is withdrawn.")
    check_one_line("reason", check_length("reason", reason.strip(), REASON_MAX))
    db, actor = g.db, g.actor
    candidate = db.execute(QC.CANDIDATE, [candidate_id]).fetchone()
    if candidate["withdrawn_at"]:
        raise InvalidInput("candidate: Already withdrawn.")
    why = "the candidate has withdrawn."
    for session_id in [r[0] for r in db.execute(Q.CANDIDATE_SESSIONS, [candidate_id])]:
        session = stored_session(db, session_id)
        if not _submitted_by(db, session_id):
            _drop_session(db, session, at, actor.id, why)
            continue
        for seat in db.execute(Q.UNSCORED_SEATS, [session_id]).fetchall():
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
            db.execute(Q.DROP_DRAFTS, [seat["id"]])
            db.execute(Q.DROP_SEAT, [seat["id"]])
    sealed = personal.seal(db, candidate_id, reason.strip())
    db.execute(QC.WITHDRAW, [stamp(at), sealed, candidate_id])
    audit.record(db, actor.id, "withdraw_candidate", f"candidate:{candidate_id}", at, reason=sealed)
