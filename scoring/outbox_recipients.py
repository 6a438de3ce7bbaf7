"""Who may still get a message: checked when it is queued (`scoring.outbox_queue`), again by
the sender just before it sends (`scoring.mail`), and for every queued message of a person when
they are deactivated or their roles change (`recheck_mail`). A message held back is marked
failed with a `last_error` that starts with `WITHDRAWN` and says why, in words.

A message to a candidate (`recipient_id` NULL, a kind of `CANDIDATE_KINDS`) is written to no
person: whether it still goes depends on the candidate (`candidate_withheld`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from scoring import audit
from scoring.database import Database
from scoring.errors import NotFound
from scoring.outbox_words import CANDIDATE_KINDS, DECISIONS_LABEL, NAME_LIMIT
from scoring.permissions import Person, candidate_facts, may, seat_facts
from scoring.queries import candidate_mail as QC
from scoring.queries import outbox as Q
from scoring.settings import one_line
from scoring.store import now_utc, stamp

# `queue_due_reminders` and `recheck_mail` look back this far, never at all of history.
REMIND_WINDOW = timedelta(days=30)
# How the `last_error` of a message held back (its recipient may no longer get it) begins; the
# rest says why, in words: "withdrawn: Ana Alvarez is no longer active". The outbox's states
# (queued, sending, sent, failed) have no other word for it: it is failed, and never retried.
WITHDRAWN = "withdrawn: "
# Messages to the interviewer of one seat, asking them to come or to score.
REMINDER_KINDS = ("due", "overdue", "reminder")
SEAT_KINDS = ("invitation", "update", *REMINDER_KINDS)


def person_row(db: Database, person_id: int) -> Any:
    """The person's `people` row as it is now, or None: whom a message is written to."""
    return db.execute(Q.PERSON, [person_id]).fetchone()


def withheld(
    db: Database,
    kind: str,
    person: Any,
    *,
    candidate_id: int | None = None,
    assignment_id: int | None = None,
    reveals_outcome: bool = False,
) -> str | None:
    """Why `person` (a `people` row, as it is now) may not get a message of `kind`, in words
    ("Ana Alvarez is no longer active"), or None when they may. The place the message is written
    for must still be theirs, by the permission table on their current roles:

    - an invitation, an update or a reminder: the interviewer of that seat (`score`: their seat,
      not recused, the interviewer role); a reminder also needs their scorecard to be missing;
    - "ready to debrief": the hiring manager of that opening, holding the role
      (`hear_debrief_ready`);
    - a decision: the candidate's hiring manager or committee (`see_debrief`) or an interviewer
      on their panel (`score` on a seat of it): `hear_of_decision`; and `see_decision` when it
      says the outcome;
    - a cancellation: only someone active. It takes an interview away and says nothing they
      were not told when it was given.
    """
    if person is None:
        return "the recipient is no longer in Debrief"
    who = Person.from_row(person)
    name = one_line(who.name, NAME_LIMIT)
    if not who.active:
        return f"{name} is no longer active"
    if kind == "cancellation":
        return None
    if kind == "retention_notice":  # who will be erased: for coordinators only
        return None if who.has("coordinator") else f"{name} is no longer a coordinator"
    if kind in SEAT_KINDS:
        try:
            seat = seat_facts(db, assignment_id) if assignment_id is not None else None
        except NotFound:  # the session was cancelled, or the seat given to someone else
            seat = None
        if seat is None or seat.interviewer_id != who.id or seat.recused:
            return f"{name} no longer has this interview"
        if not may(who, "score", seat):
            return f"{name} is no longer an interviewer"
        if kind in REMINDER_KINDS and seat.submitted:
            return f"{name}'s scorecard is already in"
        return None
    if kind not in ("ready", "decision"):
        return None
    try:
        facts = candidate_facts(db, candidate_id) if candidate_id is not None else None
    except NotFound:
        facts = None
    if facts is None:
        return "the candidate is no longer in Debrief"
    if kind == "ready":
        if not may(who, "hear_debrief_ready", facts):
            return f"{name} is no longer the hiring manager of this opening"
        return None
    if not may(who, "hear_of_decision", facts):
        return f"{name} no longer interviews, decides or votes on this candidate"
    if reveals_outcome and not may(who, "see_decision", facts):
        return f"{name} may no longer see this decision"
    return None


# Messages to a candidate about what comes next: not sent once they have withdrawn or the
# opening is closed.
_AHEAD = ("take_home", "take_home_reminder", "schedule")


def candidate_withheld(db: Database, kind: str, candidate_id: int | None) -> str | None:
    """Why a message of `kind` to a candidate may not go now, in words, or None when it may:

    - anything: the candidate must still be in Debrief, with an email (an erased candidate's
      is gone);
    - the take-home, its reminder, the interview day's schedule: not after they withdrew, nor
      once the opening is closed;
    - the take-home's reminder: not once their answer is in, nor once the stage is decided;
    - feedback (on the take-home, or after a decline): nothing more; it answers what they did.
    """
    row = db.execute(QC.CANDIDATE, [candidate_id]).fetchone() if candidate_id else None
    if row is None:
        return "the candidate is no longer in Debrief"
    if not (row["email"] or "").strip():
        return "the candidate's email is no longer in Debrief"
    if kind in _AHEAD:
        if row["withdrawn_at"]:
            return "the candidate has withdrawn"
        if row["closed_at"]:
            return "the opening is closed"
    if kind == "take_home_reminder" and not db.execute(QC.TAKE_HOME_OPEN, [row["id"]]).fetchone():
        if db.execute(QC.TAKE_HOME_ANSWERED, [row["id"]]).fetchone():
            return "the candidate's take-home answer is in"
        return "the take-home stage is decided"
    return None


def withheld_row(db: Database, row: Any) -> str | None:
    """`withheld` for a message already in the outbox (an `outbox` row): why its recipient may
    not get it now, or None. A decision's message says the outcome when its link is labelled
    `DECISIONS_LABEL`. A message to a candidate is `candidate_withheld`'s to judge."""
    if row["recipient_id"] is None and row["kind"] in CANDIDATE_KINDS:
        return candidate_withheld(db, row["kind"], row["candidate_id"])
    person = person_row(db, row["recipient_id"]) if row["recipient_id"] is not None else None
    reveals = row["kind"] == "decision" and f"{DECISIONS_LABEL}: " in row["text_body"]
    return withheld(
        db,
        row["kind"],
        person,
        candidate_id=row["candidate_id"],
        assignment_id=row["assignment_id"],
        reveals_outcome=reveals,
    )


def withdraw(db: Database, row_id: int, reason: str) -> None:
    """Mark one message as never to be sent, saying why (`WITHDRAWN` + `reason`): failed, the
    only end the outbox's states have besides sent, and never retried."""
    db.execute(
        Q.WITHDRAW,
        [one_line(WITHDRAWN + reason, 500), row_id],
    )


def withdrawn_because(state: str, last_error: str | None) -> str | None:
    """Why a message was withdrawn ("Ana Alvarez is no longer active"), or None when it was
    not (waiting, sent, or refused by the mail server)."""
    if state == "failed" and last_error and last_error.startswith(WITHDRAWN):
        return last_error[len(WITHDRAWN) :]
    return None


@dataclass(frozen=True)
class Rechecked:
    """What `recheck_mail` did: the messages it withdrew (id: why) and those it gave back to
    the queue."""

    withdrawn: dict[int, str]
    given_back: list[int]


def recheck_mail(db: Database, person_id: int, at: datetime, actor_id: int | None) -> Rechecked:
    """Check again every queued message to `person_id`, inside the caller's write transaction:
    call it when they are deactivated or reactivated, or their roles change, after the change
    is written. Those they may no longer get are withdrawn (`withheld` says why); those withdrawn
    earlier, queued in the last `REMIND_WINDOW`, that they may get again (a role given back) go
    back to the queue. Each of the two, when it happens, is one audit entry by `actor_id`."""
    queued = db.execute(
        Q.QUEUED_TO,
        [person_id],
    ).fetchall()
    withdrawn: dict[int, str] = {}
    for row in queued:
        reason = withheld_row(db, row)
        if reason is not None:
            withdraw(db, row["id"], reason)
            withdrawn[row["id"]] = reason
    earlier = db.execute(
        Q.WITHDRAWN_TO,
        [person_id, stamp(at - REMIND_WINDOW), WITHDRAWN + "%"],
    ).fetchall()
    given_back = [
        row["id"] for row in earlier if row["id"] not in withdrawn and withheld_row(db, row) is None
    ]
    for row_id in given_back:
        db.execute(
            Q.GIVE_BACK,
            [stamp(min(at, now_utc())), row_id],
        )
    if withdrawn:
        audit.record(
            db,
            actor_id,
            "withdraw_mail",
            f"person:{person_id}",
            at,
            messages=sorted(withdrawn),
            reasons=sorted(set(withdrawn.values())),
        )
    if given_back:
        audit.record(db, actor_id, "give_back_mail", f"person:{person_id}", at, messages=given_back)
    return Rechecked(withdrawn=withdrawn, given_back=given_back)
