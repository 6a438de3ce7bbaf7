"""Writing messages: every message Debrief sends is a row of the outbox, written in the same
transaction as the event that causes it (a session scheduled, moved, cancelled or given to
someone else; every scorecard in; a decision recorded), once, for one person, in words they may
read, and only to someone who may get it now (`scoring.outbox_recipients.withheld`). The
reminders are in `scoring.outbox_reminders`. Functions named ``queue_*`` take the caller's open
write transaction (``db``)."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime
from typing import Any

from scoring import invites, personal
from scoring.database import Database
from scoring.errors import NotFound
from scoring.outbox_recipients import person_row, withheld
from scoring.outbox_words import LOCATION_LIMIT, NAME_LIMIT, OUTCOMES, render, when_words
from scoring.permissions import Person, candidate_facts, may
from scoring.queries import outbox as Q
from scoring.settings import app_url, one_line
from scoring.store import now_utc, parse_stamp, stamp

# Set by `without_mail`: in this thread (context), nothing is queued.
_HELD_BACK: ContextVar[bool] = ContextVar("outbox_held_back", default=False)


@contextmanager
def without_mail() -> Iterator[None]:
    """Inside this block (in this thread only) the services queue no message: for a world that
    happened to nobody, such as the demo organisation, whose back-dated invitations, reminders
    and decisions would otherwise go out to made-up addresses as soon as mail is set up."""
    token = _HELD_BACK.set(True)
    try:
        yield
    finally:
        _HELD_BACK.reset(token)


def write_message(
    db: Database,
    *,
    kind: str,
    person: Any,
    at: datetime,
    link: str,
    values: dict[str, Any],
    ics: str | None = None,
    ics_method: str | None = None,
    dedupe_key: str | None = None,
    candidate_id: int | None = None,
    assignment_id: int | None = None,
) -> int | None:
    """Write one message of `kind` to `person` (a `people` row) into the outbox, in the caller's
    transaction, with `values` rendered into its words (`scoring.outbox_words.render`). Returns
    its id, or None when nothing was written: mail held back (`without_mail`), a recipient who
    may not get it now (`withheld`), or a `dedupe_key` already used."""
    if _HELD_BACK.get():
        return None
    # Checked when queued, and again when sent (`scoring.mail`): someone who may not get it now
    # is not written to at all.
    reason = withheld(
        db,
        kind,
        person,
        candidate_id=candidate_id,
        assignment_id=assignment_id,
        reveals_outcome=kind == "decision" and bool(values.get("outcome")),
    )
    if reason is not None:
        return None
    subject, text, html = render(kind, person["name"], link, **values)
    return insert_row(
        db,
        at=at,
        kind=kind,
        recipient_id=person["id"],
        to=(person["email"], person["name"]),
        words=(subject, text, html),
        ics=ics,
        ics_method=ics_method,
        dedupe_key=dedupe_key,
        candidate_id=candidate_id,
        assignment_id=assignment_id,
    )


def insert_row(
    db: Database,
    *,
    at: datetime,
    kind: str,
    recipient_id: int | None,
    to: tuple[str, str],
    words: tuple[str, str, str],
    ics: str | None = None,
    ics_method: str | None = None,
    dedupe_key: str | None = None,
    candidate_id: int | None = None,
    assignment_id: int | None = None,
    due: datetime | None = None,
) -> int | None:
    """The one writer of an outbox row (a person's message, a candidate's, a coordinator's
    notice): the address and name cut to one line; the words and calendar file of a message
    about a candidate sealed under their key, and their own address and name when it is to them
    (no person as recipient). Due at once (even for an event dated ahead) unless `due` says
    when. Returns its id, or None when its `dedupe_key` was already used."""
    address, name = one_line(to[0], 254), one_line(to[1], NAME_LIMIT)
    subject, text, html = words
    if candidate_id is not None:  # it names the candidate: sealed under their key
        subject, text, html, ics = sealed_message(db, candidate_id, subject, text, html, ics)
        if recipient_id is None:  # to the candidate: their own address and name too
            address = personal.seal(db, candidate_id, address, "e") or ""
            name = personal.seal(db, candidate_id, name, "n") or ""
    cursor = db.execute(
        Q.INSERT_MESSAGE,
        [
            stamp(at),
            kind,
            recipient_id,
            address,
            name,
            subject,
            text,
            html,
            ics,
            ics_method,
            dedupe_key,
            candidate_id,
            assignment_id,
            stamp(min(at, now_utc()) if due is None else due),
        ],
    )
    return cursor.lastrowid if cursor.rowcount else None


def sealed_message(db: Database, candidate_id: int, *texts: str | None) -> tuple[str | None, ...]:
    """A message's subject, bodies and calendar file, sealed under the candidate's data key
    (`scoring.personal`): the sender reads them opened; once the candidate is erased, nothing
    of them is left to read."""
    return tuple(personal.seal(db, candidate_id, t) for t in texts)


def candidate_for(db: Database, person: Any, candidate_id: int) -> str:
    """The candidate as this recipient may see them: the alias where the name is hidden."""
    row = db.execute(Q.CANDIDATE_NAMES, [candidate_id]).fetchone()
    named = may(Person.from_row(person), "see_name", candidate_facts(db, candidate_id))
    return row["name"] if named else row["alias"]


def scorecard_link(assignment_id: int) -> str:
    """Where the seat's interviewer opens their scorecard."""
    return f"{app_url()}/scorecard?assignment={assignment_id}"


# ------------------------------------------------------------------------- the interview day


def calendar_uid(db: Database, session_id: int) -> str:
    """The session's calendar UID, given one if it has none yet."""
    row = db.execute(Q.CALENDAR_UID, [session_id]).fetchone()
    if row is None:
        raise NotFound(f"No session with id {session_id}.")
    if row["calendar_uid"]:
        return row["calendar_uid"]
    uid = f"{secrets.token_hex(16)}@debrief"
    db.execute(Q.SET_CALENDAR_UID, [uid, session_id])
    return uid


def queue_session_mail(
    db: Database,
    session_id: int,
    kind: str,
    at: datetime,
    organiser_id: int,
    *,
    interviewer_ids: list[int] | None = None,
    before: datetime | None = None,
    location_before: str | None = None,
    why: str = "the session is cancelled.",
) -> list[int]:
    """Queue an invitation, an update or a cancellation (METHOD:CANCEL) of one session, with its
    calendar attachment, to each of its interviewers (or to `interviewer_ids`). An update keeps
    the UID (raise the session's SEQUENCE first): `before` is the start it moved from, and
    `location_before` the place or video link it had, when that changed. The session's
    location, when set, is the event's LOCATION and a line of the message; the link (and the
    event's URL) is that interviewer's scorecard. Call a cancellation before the seats are
    removed."""
    if kind not in ("invitation", "update", "cancellation"):
        raise ValueError(kind)
    session = db.execute(
        Q.SESSION,
        [session_id],
    ).fetchone()
    if session is None:
        raise NotFound(f"No session with id {session_id}.")
    uid = calendar_uid(db, session_id)
    sequence = session["calendar_sequence"]
    if kind == "cancellation":
        sequence += 1
        db.execute(
            Q.SET_CALENDAR_SEQUENCE,
            [sequence, session_id],
        )
    if _HELD_BACK.get():
        # Nothing will be queued (`without_mail`): the session keeps its calendar UID and
        # sequence as above, but no message or calendar attachment is built only to be dropped.
        return []
    starts, ends = parse_stamp(session["starts_at"]), parse_stamp(session["ends_at"])
    seats = db.execute(
        Q.SESSION_SEATS,
        [session_id],
    ).fetchall()
    if interviewer_ids is not None:
        seats = [s for s in seats if s["interviewer_id"] in interviewer_ids]
    organiser = person_row(db, organiser_id)
    queued = []
    location = one_line(session["location"], LOCATION_LIMIT)
    for seat in seats:
        person = person_row(db, seat["interviewer_id"])
        candidate = candidate_for(db, person, session["candidate_id"])
        # A cancelled seat has no scorecard to open any more: My interviews is where it was.
        cancelled = kind == "cancellation"
        link = f"{app_url()}/my_interviews" if cancelled else scorecard_link(seat["id"])
        values = {
            "candidate": candidate,
            "session": session["title"],
            "opening": session["opening_title"],
            "when": when_words(starts, ends),
            "before": when_words(before) if before else "",
            "location": location,
            "location_before": location_before,
            "why": why,
        }
        method = "CANCEL" if cancelled else "REQUEST"
        # Lines of their own (icalendar writes the breaks as \n): a video link ends its line
        # instead of running into a full stop.
        about = one_line(f"{session['title']} with {candidate} ({session['opening_title']}).", 600)
        where = f"\nWhere: {location}" if location else ""
        ics = invites.session_event(
            uid=uid,
            sequence=sequence,
            method=method,
            starts_at=starts,
            ends_at=ends,
            summary=one_line(f"Interview: {session['title']} with {candidate}", 250),
            description=about
            + where
            + (f"\nYour interviews: {link}" if cancelled else f"\nYour scorecard: {link}"),
            location=location,
            url=link,
            organiser=(one_line(organiser["name"]), one_line(organiser["email"], 254)),
            attendee=(one_line(person["name"]), one_line(person["email"], 254)),
            stamped_at=at,
        )
        row_id = write_message(
            db,
            kind=kind,
            person=person,
            at=at,
            link=link,
            values=values,
            ics=ics,
            ics_method=method,
            candidate_id=session["candidate_id"],
            assignment_id=seat["id"],
        )
        if row_id:
            queued.append(row_id)
    return queued


# ------------------------------------------------------------------ the debrief and the decision


def queue_ready(db: Database, candidate_id: int, at: datetime) -> int | None:
    """When every non-recused scorecard of the candidate is in, tell the hiring manager (once
    per candidate). Nothing about scores: only that they are in."""
    facts = candidate_facts(db, candidate_id)
    if not facts.all_in:
        return None
    manager = person_row(db, facts.opening.hiring_manager_id)
    opening = db.execute(Q.OPENING_TITLE, [facts.opening_id]).fetchone()
    return write_message(
        db,
        kind="ready",
        person=manager,
        at=at,
        link=f"{app_url()}/debrief?candidate={candidate_id}",
        values={
            "candidate": candidate_for(db, manager, candidate_id),
            "opening": opening["title"],
            "count": sum(1 for s in facts.seats if not s.recused),
        },
        dedupe_key=f"ready:{candidate_id}",
        candidate_id=candidate_id,
    )


def queue_decision(db: Database, candidate_id: int, decision_id: int, at: datetime) -> list[int]:
    """Tell the panel, the committee and the hiring manager that the decision is recorded; the
    outcome only to those the permission table lets see the decision (`see_decision`). A
    decision that replaces an earlier one says so: to those who may see it, what it was and what
    it is now ("Decision changed: … — was Hire, now No hire"); to the others, only that a new
    decision replaces the earlier one. Called by `record_decision` inside its transaction,
    after the decision row is written."""
    decision = db.execute(
        Q.DECISION,
        [decision_id, candidate_id],
    ).fetchone()
    if decision is None:
        raise NotFound(f"No decision {decision_id} for candidate {candidate_id}.")
    earlier = db.execute(
        Q.EARLIER_DECISION,
        [candidate_id, decision_id],
    ).fetchone()
    facts = candidate_facts(db, candidate_id)
    opening = db.execute(Q.OPENING_TITLE, [facts.opening_id]).fetchone()
    recipients = [s.interviewer_id for s in facts.seats if not s.recused]
    recipients += [*sorted(facts.opening.committee_ids), facts.opening.hiring_manager_id]
    queued = []
    for person_id in dict.fromkeys(recipients):
        if person_id == decision["decided_by"]:
            continue
        person = person_row(db, person_id)
        if person is None or not person["active"]:
            continue
        sees = may(Person.from_row(person), "see_decision", facts)
        # Nobody who may not see the outcome learns from the words whether it changed: for
        # them "earlier" only says that there was one.
        was = (OUTCOMES[earlier["outcome"]] if sees else "an earlier one") if earlier else ""
        row_id = write_message(
            db,
            kind="decision",
            person=person,
            at=at,
            link=f"{app_url()}/decisions" if sees else f"{app_url()}/my_interviews",
            values={
                "candidate": candidate_for(db, person, candidate_id),
                "opening": opening["title"],
                "outcome": OUTCOMES[decision["outcome"]] if sees else "",
                "earlier": was,
            },
            dedupe_key=f"decision:{decision_id}:{person_id}",
            candidate_id=candidate_id,
        )
        if row_id:
            queued.append(row_id)
    return queued
