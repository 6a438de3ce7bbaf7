"""Messages to candidates (issue 27): written into the outbox like every message Debrief sends,
in the same unit of work as what causes them, and delivered by the same sender (`scoring.mail`).

A message to a candidate is an outbox row with no recipient person (`recipient_id` NULL), the
candidate's email as its address and `candidate_id` set; the sender checks the candidate again
before it goes (`scoring.outbox_recipients.candidate_withheld`). What a candidate is told never
holds a score, their alias, or anything else internal. Every message to a candidate is in their
record (`messages_to`).

This module is the writing of such a message (`queue_to_candidate`), the checks of what a person
writes to a candidate (`written`, `refuse_scores`), the interview day's schedule
(`send_schedule`, L2381-2404: names, breaks and a short day) and the record. The take-home's
messages are `scoring.take_homes`'; the feedback a declined candidate asked for is
`scoring.candidate_feedback`'.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from icalendar import Calendar

from scoring import audit, invites
from scoring.database import Database
from scoring.errors import InvalidInput, NotFound
from scoring.guards import Granted, guarded
from scoring.opening_of import opening_of_candidate
from scoring.outbox_queue import _HELD_BACK, calendar_uid, insert_row
from scoring.outbox_recipients import candidate_withheld, withdrawn_because
from scoring.outbox_words import NAME_LIMIT, render_to_candidate
from scoring.permissions import may
from scoring.queries import candidate_mail as Q
from scoring.settings import mail_zone, one_line
from scoring.store import now_utc, parse_stamp
from scoring.text import check_length, neutral_bidi

NO_EMAIL = "email: the candidate has no email address"
# How many of a candidate's messages their record lists (a candidate gets a handful).
RECORD_LIMIT = 200


def candidate_row(db: Database, candidate_id: int) -> Any:
    """The candidate as a message is written to them: name, email, opening (NotFound if none)."""
    row = db.execute(Q.CANDIDATE, [candidate_id]).fetchone()
    if row is None:
        raise NotFound(f"No candidate with id {candidate_id}.")
    return row


def contact_of(db: Database, person_id: int) -> str:
    """Whom the candidate writes to: the person who sent the message, "Cora Ordinator
    (cora@example.com)" (Debrief's own address may take no replies)."""
    person = db.execute(Q.PERSON, [person_id]).fetchone()
    return f"{one_line(person['name'], NAME_LIMIT)} ({one_line(person['email'], 254)})"


def ensure_email(candidate: Any) -> str:
    """The candidate's email, or InvalidInput (`NO_EMAIL`) when there is none to write to."""
    if not (candidate["email"] or "").strip():
        raise InvalidInput(NO_EMAIL)
    return candidate["email"]


def queue_to_candidate(
    db: Database,
    candidate: Any,
    *,
    kind: str,
    at: datetime,
    signed: str,
    values: dict[str, Any],
    due_at: datetime | None = None,
    ics: str | None = None,
    ics_method: str | None = None,
    dedupe_key: str | None = None,
) -> int | None:
    """Write one message of `kind` to the candidate (a `candidate_row`) into the outbox, in the
    caller's transaction, signed by `signed`. It is due at once, or at `due_at` (a reminder:
    the sender claims no row before its time). Returns its id, or None when nothing was
    written: mail held back (`scoring.outbox.without_mail`), a candidate who may not get it now
    (`candidate_withheld`), or a `dedupe_key` already used. InvalidInput (`NO_EMAIL`) when the
    candidate has no email."""
    address = ensure_email(candidate)
    if _HELD_BACK.get():
        return None
    if candidate_withheld(db, kind, candidate["id"]) is not None:
        return None
    subject, text, html = render_to_candidate(
        kind, candidate["name"], signed, opening=candidate["opening_title"], **values
    )
    return insert_row(
        db,
        at=at,
        kind=kind,
        recipient_id=None,  # no person: a candidate
        to=(address, candidate["name"]),
        words=(subject, text, html),
        ics=ics,
        ics_method=ics_method,
        dedupe_key=dedupe_key,
        candidate_id=candidate["id"],
        due=due_at,
    )


# ------------------------------------------------------------------- what a person writes them

_LINE_BREAK = re.compile("\r\n|\r|\u2028|\u2029|\x85")
# What reads as a score: "3/5", "3.5 / 5", "4 out of 5", "scored 2", "a score of 3", "rated 4".
_SCORES = (
    re.compile(r"\d+(?:[.,]\d+)?\s*/\s*\d+"),
    re.compile(r"\b\d+(?:[.,]\d+)?\s*(?:out\s+of)\s*\d+", re.IGNORECASE),
    re.compile(
        r"\b(?:scor\w*|rated|rating|ratings|graded|grade|grades)\b\W*(?:\w+\W+){0,2}?\d",
        re.IGNORECASE,
    ),
)
NO_SCORE = (
    "reads as a score, and what a candidate is told holds none: a number on our own scale means"
    " little outside it and invites an argument about the number instead of help. Say what you"
    " saw instead (write dates and counts in words)."
)


def written(field: str, value: str | None, limit: int, *, required: bool = True) -> str:
    """A text a person wrote for a candidate, as it is kept: trimmed, at most `limit`
    characters, its lines and tabs kept but no other control character, no direction override
    (`neutral_bidi`). InvalidInput naming the field otherwise, or when `required` and empty."""
    text = check_length(field, (value or "").strip(), limit)
    text = _LINE_BREAK.sub("\n", text)
    if any(c not in "\n\t" and unicodedata.category(c) == "Cc" for c in text):
        raise InvalidInput(f"{field}: holds a control character; write plain text")
    text = neutral_bidi(text).strip()
    if required and not text:
        raise InvalidInput(f"{field}: Write it.")
    return text


def refuse_scores(field: str, text: str) -> None:
    """InvalidInput naming `field` when `text` holds something that reads as a score ("3/5",
    "4 out of 5", "scored 2", "score 3"), saying why a candidate is told none."""
    for pattern in _SCORES:
        found = pattern.search(text or "")
        if found:
            raise InvalidInput(f'{field}: "{found.group(0)}" {NO_SCORE}')


# ------------------------------------------------------------------------------ the schedule


def _minutes(span: timedelta) -> str:
    """A span in words: "3 h 15 min", "45 minutes"."""
    total = int(span.total_seconds() // 60)
    hours, minutes = divmod(total, 60)
    if not hours:
        return f"{minutes} minutes"
    return f"{hours} h {minutes:02d} min" if minutes else f"{hours} h"


def _names(names: list[str]) -> str:
    names = [one_line(n, NAME_LIMIT) for n in names]
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


@dataclass(frozen=True)
class _Session:
    id: int
    title: str
    starts_at: datetime
    ends_at: datetime
    location: str
    interviewers: tuple[str, ...]


def day_in_words(sessions: list[_Session], zone: Any) -> tuple[list[str], str, str]:
    """The day as the candidate reads it: one line per session (time, title, interviewers,
    place) with a line for each break between two sessions of the same day; the summary
    (how long the day is, from when to when, its breaks); and the day (or first day)."""
    lines: list[str] = []
    breaks: list[timedelta] = []
    dates = {s.starts_at.astimezone(zone).date() for s in sessions}
    several = len(dates) > 1
    previous: _Session | None = None
    for s in sessions:
        first, last = s.starts_at.astimezone(zone), s.ends_at.astimezone(zone)
        if previous is not None:
            gap = s.starts_at - previous.ends_at
            before = previous.ends_at.astimezone(zone)
            if gap > timedelta(0) and before.date() == first.date():
                breaks.append(gap)
                day = f"{before:%a %d %b}, " if several else ""
                lines.append(f"{day}{before:%H:%M}-{first:%H:%M}: break ({_minutes(gap)})")
        day = f"{first:%a %d %b}, " if several else ""
        with_whom = f", with {_names(list(s.interviewers))}" if s.interviewers else ""
        where = f". Where: {s.location}" if s.location.strip() else ""
        lines.append(f"{day}{first:%H:%M}-{last:%H:%M} {first:%Z}: {s.title}{with_whom}{where}")
        previous = s
    first = sessions[0].starts_at.astimezone(zone)
    last = max(s.ends_at for s in sessions).astimezone(zone)
    rest = sum(breaks, timedelta(0))
    pauses = (
        f", with {len(breaks)} break{'s' if len(breaks) > 1 else ''} ({_minutes(rest)} in all)"
        if breaks
        else ", without a break between interviews"
    )
    if several:
        taken = sum((s.ends_at - s.starts_at for s in sessions), timedelta(0))
        summary = (
            f"Your interviews take {_minutes(taken)} over {len(dates)} days, from"
            f" {first:%a %d %b %H:%M} to {last:%a %d %b %H:%M} {last:%Z}{pauses}."
        )
    else:
        summary = (
            f"Your day lasts {_minutes(last - first)}, from {first:%H:%M} to"
            f" {last:%H:%M} {last:%Z}{pauses}."
        )
    return lines, summary, f"{first:%a %d %b %Y}"


def _day(db: Database, candidate_id: int) -> list[_Session]:
    panel: dict[int, list[str]] = {}
    for r in db.execute(Q.PANEL, [candidate_id]):
        panel.setdefault(r["session_id"], []).append(r["name"])
    return [
        _Session(
            id=r["id"],
            title=one_line(r["title"], NAME_LIMIT),
            starts_at=parse_stamp(r["starts_at"]),
            ends_at=parse_stamp(r["ends_at"]),
            location=one_line(r["location"] or "", 1000),
            interviewers=tuple(panel.get(r["id"], ())),
        )
        for r in db.execute(Q.DAY, [candidate_id])
    ]


def _event(ics: str) -> Any:
    """The one VEVENT of an `invites.session_event` document, as a candidate's calendar holds
    it: no attendee list (a published calendar names none) and no link into Debrief."""
    (event,) = Calendar.from_ical(ics).walk("VEVENT")
    for name in ("attendee", "url"):
        if name in event:
            del event[name]
    return event


def schedule_calendar(
    db: Database,
    candidate: Any,
    sessions: list[_Session],
    sequence: int,
    organiser: tuple[str, str],
    contact: str,
    at: datetime,
) -> tuple[str, list[str]]:
    """The candidate's day as one iCalendar document (METHOD:PUBLISH: a calendar to add, with
    one VEVENT per session): each session's UID is its own calendar UID with a "candidate-"
    prefix, never the interviewers', and stays the same on every send, while SEQUENCE rises
    with each, so a resend updates the entries a calendar already has. A session on the last
    calendar sent and no longer on the day is in it again, cancelled. Returns the document and
    the cancelled sessions in words."""
    calendar = Calendar()
    calendar.add("prodid", "-//Debrief//Interview day//EN")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    uids = set()
    for s in sessions:
        uid = f"candidate-{calendar_uid(db, s.id)}"
        uids.add(uid)
        with_whom = f", with {_names(list(s.interviewers))}" if s.interviewers else ""
        ics = invites.session_event(
            uid=uid,
            sequence=sequence,
            method="REQUEST",
            starts_at=s.starts_at,
            ends_at=s.ends_at,
            summary=one_line(f"Interview: {s.title} ({candidate['opening_title']})", 250),
            description=one_line(f"{s.title}{with_whom}.", 600) + f"\nYour contact: {contact}",
            url="",
            location=s.location,
            organiser=organiser,
            attendee=(one_line(candidate["name"]), one_line(candidate["email"], 254)),
            stamped_at=at,
        )
        calendar.add_component(_event(ics))
    dropped = []
    last = db.execute(Q.LAST_SCHEDULE, [candidate["id"]]).fetchone()
    if last is not None:
        zone = mail_zone()
        for event in Calendar.from_ical(last["ics"]).walk("VEVENT"):
            if str(event["uid"]) in uids or str(event.get("status")) == "CANCELLED":
                continue
            starts, ends = event.decoded("dtstart"), event.decoded("dtend")
            ics = invites.session_event(
                uid=str(event["uid"]),
                sequence=sequence,
                method="CANCEL",
                starts_at=starts,
                ends_at=ends,
                summary=str(event["summary"]),
                description=str(event.get("description", "")),
                url="",
                organiser=organiser,
                attendee=(one_line(candidate["name"]), one_line(candidate["email"], 254)),
                stamped_at=at,
            )
            calendar.add_component(_event(ics))
            first, end = starts.astimezone(zone), ends.astimezone(zone)
            summary = str(event["summary"]).removeprefix("Interview: ")
            dropped.append(f"{first:%a %d %b, %H:%M}-{end:%H:%M} {first:%Z}: {summary}")
    return calendar.to_ical().decode(), dropped


@guarded("manage_opening", on="candidate_id", via=opening_of_candidate, write=True)
def send_schedule(g: Granted, candidate_id: int, now: datetime | None = None) -> int | None:
    """A coordinator emails the candidate their interview day: each session's time, title and
    interviewers' names (and place), the breaks between them and how long the day is, who to
    write to, and a calendar with one entry per session (`schedule_calendar`). Sent again
    after a change, it says it replaces the one before and updates the calendar's entries (a
    session no longer on the day is cancelled in it). Never a score, the alias or anything
    internal. Refused without a session on the day, once the day is over, after the candidate
    withdrew, on a closed opening, or without an email. Returns the outbox row's id (None when
    mail is held back)."""
    db, at = g.db, now or now_utc()
    candidate = candidate_row(db, candidate_id)
    if candidate["withdrawn_at"]:
        raise InvalidInput("candidate: This candidate has withdrawn: there is no day to send.")
    if candidate["closed_at"]:
        raise InvalidInput("opening: This opening is closed.")
    ensure_email(candidate)
    sessions = _day(db, candidate_id)
    if not sessions:
        raise InvalidInput("schedule: no session is on this candidate's day yet")
    if max(s.ends_at for s in sessions) <= at:
        raise InvalidInput("schedule: this candidate's day is over")
    sender = db.execute(Q.PERSON, [g.actor.id]).fetchone()
    contact = contact_of(db, g.actor.id)
    sequence = db.execute(Q.COUNT_OF_KIND, [candidate_id, "schedule"]).fetchone()[0]
    lines, summary, day = day_in_words(sessions, mail_zone())
    ics, dropped = schedule_calendar(
        db,
        candidate,
        sessions,
        sequence,
        (one_line(sender["name"]), one_line(sender["email"], 254)),
        contact,
        at,
    )
    row_id = queue_to_candidate(
        db,
        candidate,
        kind="schedule",
        at=at,
        signed=sender["name"],
        values={
            "updated": sequence > 0,
            "day": day,
            "lines": lines,
            "summary": summary,
            "dropped": dropped,
            "contact": contact,
        },
        ics=ics,
        ics_method="PUBLISH",
    )
    audit.record(
        db,
        g.actor.id,
        "send_schedule",
        f"candidate:{candidate_id}",
        at,
        sessions=[s.id for s in sessions],
        sequence=sequence,
        message=row_id,
    )
    return row_id


# ------------------------------------------------------------------------------ their record


def unnamed(text: str, candidate: Any) -> str:
    """A message's words with the candidate's name (as it was written to them) replaced by their
    alias, for a reader who sees only the alias."""
    name = one_line(candidate["name"], NAME_LIMIT)
    return text.replace(name, candidate["alias"]) if name else text


@dataclass(frozen=True)
class CandidateMessage:
    """One message to a candidate, as their record lists it."""

    id: int
    kind: str
    subject: str
    text: str
    state: str  # queued, sending, sent, failed
    created_at: datetime
    due_at: datetime  # when it goes (a reminder: later than it was written)
    sent_at: datetime | None
    withdrawn: str | None  # why it was not sent: the candidate withdrew, the answer is in...


@guarded("see_candidate_messages", on="candidate_id")
def messages_to(g: Granted, candidate_id: int, limit: int = RECORD_LIMIT) -> list[CandidateMessage]:
    """Every message written to the candidate, the latest first: what it is, its subject and
    words, and whether it went (or why not)."""
    return candidate_messages(g.db, candidate_id, named=may(g.actor, "see_name", g.facts))


def candidate_messages(
    db: Database,
    candidate_id: int,
    *,
    named: bool,
    limit: int = RECORD_LIMIT,
    candidate: Any = None,
) -> list[CandidateMessage]:
    """`messages_to` on the caller's connection, for a view its guard already allowed. Not
    `named` (a hiring manager who interviewed on an anonymised opening), the candidate's name
    in the words is their alias."""
    candidate = candidate or candidate_row(db, candidate_id)
    return [
        CandidateMessage(
            id=r["id"],
            kind=r["kind"],
            subject=r["subject"],
            text=r["text_body"] if named else unnamed(r["text_body"], candidate),
            state=r["state"],
            created_at=parse_stamp(r["created_at"]),
            due_at=parse_stamp(r["next_attempt_at"]),
            sent_at=parse_stamp(r["sent_at"]),
            withdrawn=withdrawn_because(r["state"], r["last_error"]),
        )
        for r in db.execute(Q.MESSAGES_TO, [candidate_id, limit])
    ]
