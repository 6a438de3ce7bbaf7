"""Reminders: "your scorecard is due" and "overdue", queued by `python -m scoring remind`, and
the Remind buttons of the Status page (one interviewer, or everyone overdue)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from scoring import audit
from scoring.database import Database
from scoring.errors import InvalidInput, NotFound
from scoring.guards import Granted, guarded
from scoring.opening_of import opening_of_seat
from scoring.outbox_queue import candidate_for, scorecard_link, write_message
from scoring.outbox_recipients import REMIND_WINDOW, person_row, withheld
from scoring.outbox_words import when_words
from scoring.permissions import Person, seat_facts
from scoring.queries import outbox as Q
from scoring.store import Store, now_utc, parse_stamp, stamp

# The Remind buttons do not write to someone reminded this recently (by a button, or by the
# automatic "due" or "overdue"): pressing twice, or two people pressing, sends one message.
REMIND_AGAIN_AFTER = timedelta(hours=4)


def _seat_row(db: Database, assignment_id: int) -> Any:
    """The seat, its session and opening as a reminder writes about them."""
    row = db.execute(Q.SEAT, [assignment_id]).fetchone()
    if row is None:
        raise NotFound(f"No assignment with id {assignment_id}.")
    return row


def queue_reminder(
    db: Database,
    assignment_id: int,
    kind: str,
    at: datetime,
    *,
    by: str = "",
    dedupe_key: str | None = None,
) -> int | None:
    """Queue a "scorecard due", "overdue" or a coordinator's reminder to the seat's interviewer.
    With `dedupe_key`, queued at most once per key."""
    seat = _seat_row(db, assignment_id)
    person = person_row(db, seat["interviewer_id"])
    ended = parse_stamp(seat["ends_at"])
    return write_message(
        db,
        kind=kind,
        person=person,
        at=at,
        link=scorecard_link(assignment_id),
        values={
            "candidate": candidate_for(db, person, seat["candidate_id"]),
            "session": seat["title"],
            "ended": when_words(ended),
            "late_after": when_words(ended + timedelta(hours=seat["overdue_hours"])),
            "by": by,
        },
        dedupe_key=dedupe_key,
        candidate_id=seat["candidate_id"],
        assignment_id=assignment_id,
    )


def queue_due_reminders(store: Store, now: datetime | None = None) -> int:
    """`python -m scoring remind`: queue "your scorecard is due" for every seat whose session has
    ended without a scorecard, and "overdue" once past the opening's threshold. Each at most
    once per seat and session end (a moved session may be due again), however often it runs.
    Looks back `REMIND_WINDOW`; withdrawn candidates and closed openings are left alone, and so
    is a seat whose interviewer was never invited to it (every scheduled seat is, with mail on
    or off): the demo's made-up panel (`without_mail`) is not chased for its scorecards."""
    at = now or now_utc()
    queued = 0
    with store.write() as db:
        rows = db.execute(
            Q.DUE_SEATS,
            [stamp(at), stamp(at - REMIND_WINDOW)],
        ).fetchall()
        for row in rows:
            ended = parse_stamp(row["ends_at"])
            kind = "overdue" if at - ended > timedelta(hours=row["overdue_hours"]) else "due"
            key = f"{kind}:{row['id']}:{row['ends_at']}"
            if queue_reminder(db, row["id"], kind, at, dedupe_key=key):
                queued += 1
    return queued


@dataclass(frozen=True)
class Reminded:
    """What a Remind button did for one interviewer: a reminder queued now (`queued`), or none
    because they were reminded at `at`, less than `REMIND_AGAIN_AFTER` ago."""

    queued: bool
    at: datetime


@dataclass(frozen=True)
class RemindedAll:
    """What "Remind everyone overdue" did: how many reminders it queued, how many
    interviewers it left alone because they were reminded less than `REMIND_AGAIN_AFTER` ago,
    and how many it did not write to because they may no longer get one (`withheld`: no longer
    active, or no longer an interviewer)."""

    queued: int
    already: int
    left_out: int = 0


def last_reminded(db: Database, assignment_id: int) -> datetime | None:
    """When the seat's interviewer was last reminded (a due, overdue or Remind message queued
    for it and not refused by their mail server), or None."""
    row = db.execute(
        Q.LAST_REMINDED,
        [assignment_id],
    ).fetchone()
    return parse_stamp(row[0]) if row[0] else None


def _nudge(db: Database, actor: Person, assignment_id: int, at: datetime) -> Reminded:
    """One Remind, inside the caller's write transaction (which serialises two presses)."""
    earlier = last_reminded(db, assignment_id)
    if earlier is not None and at - earlier < REMIND_AGAIN_AFTER:
        return Reminded(queued=False, at=earlier)
    row_id = queue_reminder(
        db,
        assignment_id,
        "reminder",
        at,
        by=actor.name,
        dedupe_key=f"reminder:{assignment_id}:{at:%Y%m%d%H%M}",
    )
    if row_id is None:  # held back (`without_mail`), or the same minute's key
        return Reminded(queued=False, at=earlier or at)
    audit.record(db, actor.id, "remind", f"assignment:{assignment_id}", at)
    return Reminded(queued=True, at=at)


@guarded("see_opening_status", on="assignment_id", via=opening_of_seat, write=True)
def remind(g: Granted, assignment_id: int, now: datetime | None = None) -> Reminded:
    """The Remind button: the coordinator or the opening's hiring manager nudges one interviewer
    whose scorecard is missing. Someone reminded less than `REMIND_AGAIN_AFTER` ago (by a button
    or by the automatic due or overdue message) is not written to again; the answer says when
    they were.

    The action is about the opening (`see_opening_status`) while the button names a seat: the
    guard finds the seat's opening (`opening_of_seat`) on the same connection."""
    at = now or now_utc()
    db = g.db
    seat = seat_facts(db, assignment_id)
    if seat.recused:
        raise InvalidInput("This interviewer recused: assign a replacement instead.")
    if seat.submitted:
        raise InvalidInput("This scorecard is already in.")
    reason = withheld(
        db, "reminder", person_row(db, seat.interviewer_id), assignment_id=assignment_id
    )
    if reason is not None:
        raise InvalidInput(
            f"Nothing sent: {reason}. Give the seat to another interviewer on Interview day."
        )
    return _nudge(db, g.actor, assignment_id, at)


@guarded("see_opening_status", on="opening_id", write=True)
def remind_overdue(
    g: Granted,
    opening_id: int,
    since: datetime,
    until: datetime,
    now: datetime | None = None,
) -> RemindedAll:
    """The "Remind everyone overdue" button: one Remind for every seat of the opening whose
    session starts between `since` and `until` (the Status page's window) and whose scorecard is
    overdue (past the opening's threshold, not recused, candidate not withdrawn). Those
    reminded less than `REMIND_AGAIN_AFTER` ago, and those who may no longer get a reminder
    (`withheld`), are counted, not written to."""
    at = now or now_utc()
    db = g.db
    rows = db.execute(
        Q.ENDED_WITHOUT_SCORECARD, [stamp(since), stamp(until), opening_id, stamp(at)]
    ).fetchall()
    overdue = [
        r for r in rows if at - parse_stamp(r["ends_at"]) > timedelta(hours=r["overdue_hours"])
    ]
    seats = [
        r["id"]
        for r in overdue
        if withheld(db, "reminder", person_row(db, r["interviewer_id"]), assignment_id=r["id"])
        is None
    ]
    done = [_nudge(db, g.actor, seat, at) for seat in seats]
    queued = sum(d.queued for d in done)
    return RemindedAll(
        queued=queued, already=len(done) - queued, left_out=len(overdue) - len(seats)
    )
