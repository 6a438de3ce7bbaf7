"""The outbox: every message Debrief sends is a row, written in the same transaction as the event
that causes it (a session scheduled, moved, cancelled or given to someone else; a scorecard due;
every scorecard in; a decision recorded). `scoring.mail` delivers the rows.

Each message is written once, for one person, in words they may read: an anonymised opening's
interviewers see the alias; the outcome of a decision goes only to those the permission table
lets see it; no message carries a score. Every string a person typed is one line in a subject,
escaped in HTML, and cut to a sane length.

Mail goes only to someone who still holds the place it is written for (`withheld`): active, and
still the interviewer of that seat, the hiring manager of that opening, or on that candidate's
panel or committee, and allowed now to see what it says (a decision's outcome: `see_decision`).
That is checked when a message is queued (one that may not go is not written), again by the
sender just before it sends (`scoring.mail`), and for every queued message of a person when they
are deactivated or their roles change (`recheck_mail`). A message held back is marked failed
with a `last_error` that starts with `WITHDRAWN` and says why, in words; the audit log says so.

Functions named ``queue_*`` take the caller's open write transaction (``db``); the others open
their own unit of work.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from jinja2 import Environment, StrictUndefined
from sqlite_utils import Database

from scoring import audit, invites
from scoring.errors import InvalidInput, NotFound
from scoring.permissions import (
    Person,
    SeatFacts,
    candidate_facts,
    current,
    ensure,
    may,
    opening_facts,
    seat_facts,
)
from scoring.settings import app_url, mail_zone, one_line
from scoring.store import Store, now_utc, parse_stamp, stamp

REMIND_WINDOW = timedelta(days=30)  # `remind` looks back this far, never at all of history
# The Remind buttons do not write to someone reminded this recently (by a button, or by the
# automatic "due" or "overdue"): pressing twice, or two people pressing, sends one message.
REMIND_AGAIN_AFTER = timedelta(hours=4)
NAME_LIMIT = 200
# A video link can be long (a meeting URL with its passcode); cut shorter, it would not open.
LOCATION_LIMIT = 1000
LIMITS = {"location": LOCATION_LIMIT, "location_before": LOCATION_LIMIT}
# The label of the link of a decision's message that carries the outcome (and only of that one):
# how the sender knows, from the row, that the message says what the decision is.
DECISIONS_LABEL = "See it on Decisions"
# How the `last_error` of a message held back (its recipient may no longer get it) begins; the
# rest says why, in words: "withdrawn: Ana Alvarez is no longer active". The outbox's states
# (queued, sending, sent, failed) have no other word for it: it is failed, and never retried.
WITHDRAWN = "withdrawn: "
# Messages to the interviewer of one seat, asking them to come or to score.
REMINDER_KINDS = ("due", "overdue", "reminder")
SEAT_KINDS = ("invitation", "update", *REMINDER_KINDS)

_TEXT = Environment(autoescape=False, undefined=StrictUndefined, keep_trailing_newline=True)
_HTML = Environment(autoescape=True, undefined=StrictUndefined)


@functools.lru_cache(maxsize=256)
def _template(source: str, html: bool = False):
    """A message template compiled once: the templates are this module's own strings (people's
    text only ever comes in as values), so there are few, and compiling each on every message
    was a quarter of building the demo."""
    return (_HTML if html else _TEXT).from_string(source)


# Each kind: subject, paragraphs (the same in text and HTML; one that renders empty is left
# out), and the label of its one link. Words are a recruiter's: no role, strategy or state ids.
_WHERE = "{% if location %}Where: {{ location }}{% endif %}"
MESSAGES: dict[str, tuple[str, list[str], str]] = {
    "invitation": (
        "Interview: {{ session }} with {{ candidate }}, {{ when }}",
        [
            "You interview {{ candidate }} for {{ opening }}: {{ session }}, {{ when }}.",
            _WHERE,
            "Score right after the session, on your own: the sooner, the fresher. Nobody's"
            " scores are shown to you before yours is in.",
            "The calendar invitation is attached.",
        ],
        "Your scorecard for this interview",
    ),
    "update": (
        "{% if before %}Moved: {{ session }} with {{ candidate }}, now {{ when }}"
        "{% else %}New place: {{ session }} with {{ candidate }}, {{ when }}"
        "{% endif %}",
        [
            "{% if before %}{{ session }} with {{ candidate }} ({{ opening }}) has moved: it is"
            " now {{ when }} (was {{ before }}).{% else %}{{ session }} with {{ candidate }}"
            " ({{ opening }}), {{ when }}, has a new place.{% endif %}",
            "{% if location_before is not none %}Where: {{ location or 'no place given' }}"
            " (was {{ location_before or 'no place given' }}).{% else %}" + _WHERE + "{% endif %}",
            "The attached invitation updates your calendar.",
        ],
        "Your scorecard for this interview",
    ),
    "cancellation": (
        "Cancelled: {{ session }} with {{ candidate }}, {{ when }}",
        [
            "{{ session }} with {{ candidate }} ({{ opening }}), {{ when }}, is no longer yours:"
            " {{ why }}",
            "The attachment removes it from your calendar. Nothing more is needed from you.",
        ],
        "Your interviews",
    ),
    "due": (
        "Your scorecard is due: {{ candidate }}, {{ session }}",
        [
            "{{ session }} with {{ candidate }} ended {{ ended }}. Your scorecard is not in yet.",
            "Score it while it is fresh; it counts as late after {{ late_after }}.",
        ],
        "Score it",
    ),
    "overdue": (
        "Overdue: your scorecard for {{ candidate }}, {{ session }}",
        [
            "{{ session }} with {{ candidate }} ended {{ ended }} and your scorecard is still"
            " missing. It is now late; the debrief waits for it.",
        ],
        "Score it",
    ),
    "reminder": (
        "Reminder: your scorecard for {{ candidate }}, {{ session }}",
        [
            "{{ by }} asks for your scorecard: {{ session }} with {{ candidate }}, which ended"
            " {{ ended }}.",
        ],
        "Score it",
    ),
    "ready": (
        "All scorecards are in — ready to debrief: {{ candidate }}",
        [
            "All {{ count }} scorecards for {{ candidate }} ({{ opening }}) are in.",
            "Open the debrief when the panel meets.",
        ],
        "Open the debrief",
    ),
    # To those who may see the decision: the outcome, and how it differs from the one it
    # replaces. To the others: only that a decision is recorded, or recorded again.
    "decision": (
        "{% if not earlier %}Decision recorded: {{ candidate }}"
        "{% if outcome %} — {{ outcome }}{% endif %}"
        "{% elif not outcome %}Decision updated: {{ candidate }}"
        "{% elif earlier != outcome %}Decision changed: {{ candidate }} — was {{ earlier }},"
        " now {{ outcome }}"
        "{% else %}Decision recorded again: {{ candidate }} — still {{ outcome }}{% endif %}",
        [
            "{% if not earlier %}The decision on {{ candidate }} ({{ opening }}) is recorded"
            "{% if outcome %}: {{ outcome }}{% endif %}."
            "{% elif not outcome %}A new decision on {{ candidate }} ({{ opening }}) is"
            " recorded; it replaces the earlier one."
            "{% elif earlier != outcome %}The decision on {{ candidate }} ({{ opening }}) has"
            " changed: it was {{ earlier }}, it is now {{ outcome }}."
            "{% else %}The decision on {{ candidate }} ({{ opening }}) was recorded again: it"
            " is still {{ outcome }}.{% endif %}",
            "Thank you for your part in it.",
        ],
        "{% if outcome %}" + DECISIONS_LABEL + "{% else %}Your interviews{% endif %}",
    ),
}

OUTCOMES = {"hire": "Hire", "no_hire": "No hire"}
# Values a message may go without: no place given, no earlier start, place or decision.
OPTIONAL: dict[str, Any] = {"location": "", "location_before": None, "before": "", "earlier": ""}


def render(kind: str, name: str, link: str, **values: Any) -> tuple[str, str, str]:
    """Subject, plain text and HTML of one message. Every value is made one line and cut to a
    sane length first (a place or video link to `LOCATION_LIMIT`, anything else to
    `NAME_LIMIT`); HTML escapes it. A paragraph that renders empty is left out."""
    subject, templates, label = MESSAGES[kind]
    clean = {
        k: one_line(v, LIMITS.get(k, NAME_LIMIT)) if isinstance(v, str) else v
        for k, v in {**OPTIONAL, **values}.items()
    }
    name, link = one_line(name, NAME_LIMIT), one_line(link, 1000)
    subject_text = one_line(_template(subject).render(**clean), 250)
    label = _template(label).render(**clean)
    paragraphs = [p for p in (_template(t).render(**clean) for t in templates) if p]
    text = "\n\n".join([f"Hello {name},", *paragraphs, f"{label}: {link}", "— Debrief"])
    html = _template(
        '<!doctype html><html><body style="font-family: sans-serif; line-height: 1.5">'
        "<p>Hello {{ name }},</p>"
        "{% for p in paragraphs %}<p>{{ p }}</p>{% endfor %}"
        '<p><a href="{{ link }}">{{ label }}</a></p>'
        '<p style="color: #555">— Debrief</p></body></html>',
        html=True,
    ).render(name=name, paragraphs=paragraphs, link=link, label=label)
    return subject_text, text + "\n", html


def _when(starts: datetime, ends: datetime | None = None) -> str:
    zone = mail_zone()
    first = starts.astimezone(zone)
    if ends is None:
        return f"{first:%a %d %b %Y %H:%M} {first:%Z}"
    return f"{first:%a %d %b %Y, %H:%M}-{ends.astimezone(zone):%H:%M} {first:%Z}"


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


def _insert(
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
    cursor = db.execute(
        """INSERT INTO outbox (created_at, kind, recipient_id, to_address, to_name, subject,
             text_body, html_body, ics, ics_method, dedupe_key, candidate_id, assignment_id,
             next_attempt_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
           ON CONFLICT (dedupe_key) DO NOTHING""",
        [
            stamp(at),
            kind,
            person["id"],
            one_line(person["email"], 254),
            one_line(person["name"], NAME_LIMIT),
            subject,
            text,
            html,
            ics,
            ics_method,
            dedupe_key,
            candidate_id,
            assignment_id,
            stamp(min(at, now_utc())),  # due at once, even for an event dated ahead
        ],
    )
    return cursor.lastrowid if cursor.rowcount else None


def _person(db: Database, person_id: int) -> Any:
    return db.execute("SELECT * FROM people WHERE id = ?", [person_id]).fetchone()


def _candidate_for(db: Database, person: Any, candidate_id: int) -> str:
    """The candidate as this recipient may see them: the alias where the name is hidden."""
    row = db.execute("SELECT name, alias FROM candidates WHERE id = ?", [candidate_id]).fetchone()
    named = may(Person.from_row(person), "see_name", candidate_facts(db, candidate_id))
    return row["name"] if named else row["alias"]


def _scorecard_link(assignment_id: int) -> str:
    return f"{app_url()}/scorecard?assignment={assignment_id}"


# ---------------------------------------------------------------------- who may still get it


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
    - "ready to debrief": the hiring manager of that opening, holding the role;
    - a decision: the candidate's hiring manager or committee (`see_debrief`) or an interviewer
      on their panel (`score` on a seat of it), and `see_decision` when it says the outcome;
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
        if facts.opening.hiring_manager_id != who.id or not who.has("hiring_manager"):
            return f"{name} is no longer the hiring manager of this opening"
        return None
    seats = [
        SeatFacts(s.assignment_id, candidate_id, s.interviewer_id, s.recused, s.submitted)
        for s in facts.seats_of(who.id)
    ]
    if not (may(who, "see_debrief", facts) or any(may(who, "score", s) for s in seats)):
        return f"{name} no longer interviews, decides or votes on this candidate"
    if reveals_outcome and not may(who, "see_decision", facts):
        return f"{name} may no longer see this decision"
    return None


def withheld_row(db: Database, row: Any) -> str | None:
    """`withheld` for a message already in the outbox (an `outbox` row): why its recipient may
    not get it now, or None. A decision's message says the outcome when its link is labelled
    `DECISIONS_LABEL`."""
    person = _person(db, row["recipient_id"]) if row["recipient_id"] is not None else None
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
        "UPDATE outbox SET state = 'failed', last_error = ?, claimed_by = NULL,"
        " claimed_at = NULL WHERE id = ?",
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
        "SELECT * FROM outbox WHERE state = 'queued' AND recipient_id = ? ORDER BY id",
        [person_id],
    ).fetchall()
    withdrawn: dict[int, str] = {}
    for row in queued:
        reason = withheld_row(db, row)
        if reason is not None:
            withdraw(db, row["id"], reason)
            withdrawn[row["id"]] = reason
    earlier = db.execute(
        "SELECT * FROM outbox WHERE state = 'failed' AND recipient_id = ? AND created_at >= ?"
        " AND last_error LIKE ? ORDER BY id",
        [person_id, stamp(at - REMIND_WINDOW), WITHDRAWN + "%"],
    ).fetchall()
    given_back = [
        row["id"] for row in earlier if row["id"] not in withdrawn and withheld_row(db, row) is None
    ]
    for row_id in given_back:
        db.execute(
            "UPDATE outbox SET state = 'queued', last_error = NULL, next_attempt_at = ?"
            " WHERE id = ?",
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


# ------------------------------------------------------------------------- the interview day


def calendar_uid(db: Database, session_id: int) -> str:
    """The session's calendar UID, given one if it has none yet."""
    row = db.execute(
        "SELECT calendar_uid FROM interview_sessions WHERE id = ?", [session_id]
    ).fetchone()
    if row is None:
        raise NotFound(f"No session with id {session_id}.")
    if row["calendar_uid"]:
        return row["calendar_uid"]
    import secrets

    uid = f"{secrets.token_hex(16)}@debrief"
    db.execute("UPDATE interview_sessions SET calendar_uid = ? WHERE id = ?", [uid, session_id])
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
        """SELECT i.*, c.opening_id, o.title AS opening_title FROM interview_sessions i
           JOIN candidates c ON c.id = i.candidate_id JOIN openings o ON o.id = c.opening_id
           WHERE i.id = ?""",
        [session_id],
    ).fetchone()
    if session is None:
        raise NotFound(f"No session with id {session_id}.")
    uid = calendar_uid(db, session_id)
    sequence = session["calendar_sequence"]
    if kind == "cancellation":
        sequence += 1
        db.execute(
            "UPDATE interview_sessions SET calendar_sequence = ? WHERE id = ?",
            [sequence, session_id],
        )
    if _HELD_BACK.get():
        # Nothing will be queued (`without_mail`): the session keeps its calendar UID and
        # sequence as above, but no message or calendar attachment is built only to be dropped.
        return []
    starts, ends = parse_stamp(session["starts_at"]), parse_stamp(session["ends_at"])
    seats = db.execute(
        "SELECT id, interviewer_id FROM assignments WHERE session_id = ? AND recused_at IS NULL"
        " ORDER BY id",
        [session_id],
    ).fetchall()
    if interviewer_ids is not None:
        seats = [s for s in seats if s["interviewer_id"] in interviewer_ids]
    organiser = _person(db, organiser_id)
    queued = []
    location = one_line(session["location"], LOCATION_LIMIT)
    for seat in seats:
        person = _person(db, seat["interviewer_id"])
        candidate = _candidate_for(db, person, session["candidate_id"])
        # A cancelled seat has no scorecard to open any more: My interviews is where it was.
        cancelled = kind == "cancellation"
        link = f"{app_url()}/my_interviews" if cancelled else _scorecard_link(seat["id"])
        values = {
            "candidate": candidate,
            "session": session["title"],
            "opening": session["opening_title"],
            "when": _when(starts, ends),
            "before": _when(before) if before else "",
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
        row_id = _insert(
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


# ---------------------------------------------------------------------------------- reminders


def _seat_row(db: Database, assignment_id: int) -> Any:
    row = db.execute(
        """SELECT a.id, a.interviewer_id, a.recused_at, i.title, i.ends_at, i.candidate_id,
                  o.overdue_hours, o.title AS opening_title,
                  EXISTS (SELECT 1 FROM scorecards s WHERE s.assignment_id = a.id) AS submitted
           FROM assignments a JOIN interview_sessions i ON i.id = a.session_id
           JOIN candidates c ON c.id = i.candidate_id JOIN openings o ON o.id = c.opening_id
           WHERE a.id = ?""",
        [assignment_id],
    ).fetchone()
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
    person = _person(db, seat["interviewer_id"])
    ended = parse_stamp(seat["ends_at"])
    return _insert(
        db,
        kind=kind,
        person=person,
        at=at,
        link=_scorecard_link(assignment_id),
        values={
            "candidate": _candidate_for(db, person, seat["candidate_id"]),
            "session": seat["title"],
            "ended": _when(ended),
            "late_after": _when(ended + timedelta(hours=seat["overdue_hours"])),
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
            """SELECT a.id, i.ends_at, o.overdue_hours FROM interview_sessions i
               JOIN assignments a ON a.session_id = i.id AND a.recused_at IS NULL
               JOIN candidates c ON c.id = i.candidate_id JOIN openings o ON o.id = c.opening_id
               WHERE i.ends_at <= ? AND i.ends_at >= ?
                 AND c.withdrawn_at IS NULL AND o.closed_at IS NULL
                 AND NOT EXISTS (SELECT 1 FROM scorecards s WHERE s.assignment_id = a.id)
                 AND EXISTS (SELECT 1 FROM outbox m
                             WHERE m.assignment_id = a.id AND m.kind = 'invitation')
               ORDER BY i.ends_at, a.id""",
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
        "SELECT MAX(created_at) FROM outbox WHERE assignment_id = ?"
        " AND kind IN ('due', 'overdue', 'reminder') AND state <> 'failed'",
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


def remind(
    store: Store, actor: Person, assignment_id: int, now: datetime | None = None
) -> Reminded:
    """The Remind button: the coordinator or the opening's hiring manager nudges one interviewer
    whose scorecard is missing. Someone reminded less than `REMIND_AGAIN_AFTER` ago (by a button
    or by the automatic due or overdue message) is not written to again; the answer says when
    they were."""
    at = now or now_utc()
    with store.write() as db:
        actor = current(db, actor)
        seat = seat_facts(db, assignment_id)
        facts = candidate_facts(db, seat.candidate_id)
        ensure(actor, "see_opening_status", opening_facts(db, facts.opening_id))
        if seat.recused:
            raise InvalidInput("This interviewer recused: assign a replacement instead.")
        if seat.submitted:
            raise InvalidInput("This scorecard is already in.")
        reason = withheld(
            db, "reminder", _person(db, seat.interviewer_id), assignment_id=assignment_id
        )
        if reason is not None:
            raise InvalidInput(
                f"Nothing sent: {reason}. Give the seat to another interviewer on Interview day."
            )
        return _nudge(db, actor, assignment_id, at)


def remind_overdue(
    store: Store,
    actor: Person,
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
    with store.write() as db:
        actor = current(db, actor)
        ensure(actor, "see_opening_status", opening_facts(db, opening_id))
        rows = db.execute(
            """SELECT a.id, a.interviewer_id, i.ends_at, o.overdue_hours
               FROM interview_sessions i INDEXED BY sessions_by_start
               JOIN assignments a ON a.session_id = i.id AND a.recused_at IS NULL
               JOIN candidates c ON c.id = i.candidate_id JOIN openings o ON o.id = c.opening_id
               WHERE i.starts_at >= ? AND i.starts_at < ? AND c.opening_id = ?
                 AND i.ends_at <= ? AND c.withdrawn_at IS NULL
                 AND NOT EXISTS (SELECT 1 FROM scorecards s WHERE s.assignment_id = a.id)
               ORDER BY i.starts_at, a.id""",
            [stamp(since), stamp(until), opening_id, stamp(at)],
        ).fetchall()
        overdue = [
            r for r in rows if at - parse_stamp(r["ends_at"]) > timedelta(hours=r["overdue_hours"])
        ]
        seats = [
            r["id"]
            for r in overdue
            if withheld(db, "reminder", _person(db, r["interviewer_id"]), assignment_id=r["id"])
            is None
        ]
        done = [_nudge(db, actor, seat, at) for seat in seats]
        queued = sum(d.queued for d in done)
        return RemindedAll(
            queued=queued, already=len(done) - queued, left_out=len(overdue) - len(seats)
        )


# ------------------------------------------------------------------ the debrief and the decision


def queue_ready(db: Database, candidate_id: int, at: datetime) -> int | None:
    """When every non-recused scorecard of the candidate is in, tell the hiring manager (once
    per candidate). Nothing about scores: only that they are in."""
    facts = candidate_facts(db, candidate_id)
    if not facts.all_in:
        return None
    manager = _person(db, facts.opening.hiring_manager_id)
    opening = db.execute("SELECT title FROM openings WHERE id = ?", [facts.opening_id]).fetchone()
    return _insert(
        db,
        kind="ready",
        person=manager,
        at=at,
        link=f"{app_url()}/debrief?candidate={candidate_id}",
        values={
            "candidate": _candidate_for(db, manager, candidate_id),
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
        "SELECT outcome, decided_by FROM decisions WHERE id = ? AND candidate_id = ?",
        [decision_id, candidate_id],
    ).fetchone()
    if decision is None:
        raise NotFound(f"No decision {decision_id} for candidate {candidate_id}.")
    earlier = db.execute(
        "SELECT outcome FROM decisions WHERE candidate_id = ? AND id < ? ORDER BY id DESC LIMIT 1",
        [candidate_id, decision_id],
    ).fetchone()
    facts = candidate_facts(db, candidate_id)
    opening = db.execute("SELECT title FROM openings WHERE id = ?", [facts.opening_id]).fetchone()
    recipients = [s.interviewer_id for s in facts.seats if not s.recused]
    recipients += [*sorted(facts.opening.committee_ids), facts.opening.hiring_manager_id]
    queued = []
    for person_id in dict.fromkeys(recipients):
        if person_id == decision["decided_by"]:
            continue
        person = _person(db, person_id)
        if person is None or not person["active"]:
            continue
        sees = may(Person.from_row(person), "see_decision", facts)
        # Nobody who may not see the outcome learns from the words whether it changed: for
        # them "earlier" only says that there was one.
        was = (OUTCOMES[earlier["outcome"]] if sees else "an earlier one") if earlier else ""
        row_id = _insert(
            db,
            kind="decision",
            person=person,
            at=at,
            link=f"{app_url()}/decisions" if sees else f"{app_url()}/my_interviews",
            values={
                "candidate": _candidate_for(db, person, candidate_id),
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


# ------------------------------------------------------------------------- what the app shows


@dataclass(frozen=True)
class Queued:
    """One message as the Status page lists it."""

    id: int
    created_at: datetime
    kind: str
    to: str
    subject: str
    text: str
    state: str
    attempts: int
    last_error: str | None
    withdrawn: str | None = None  # why it was not sent: its recipient may no longer get it


def messages(store: Store, actor: Person, opening_id: int, limit: int = 20) -> list[Queued]:
    """The latest messages about an opening's candidates, for its coordinator: what was or would
    be sent. A decision's message is listed only where the actor may see the decision."""
    with store.read() as db:
        actor = current(db, actor)
        ensure(actor, "manage_opening", opening_facts(db, opening_id))
        rows = db.execute(
            # CROSS JOIN keeps the outbox the outer loop: walked newest first, it stops at
            # `limit` rows instead of sorting every message of the opening.
            """SELECT m.* FROM outbox m CROSS JOIN candidates c ON c.id = m.candidate_id
               WHERE c.opening_id = ? ORDER BY m.id DESC LIMIT ?""",
            [opening_id, limit],
        ).fetchall()
        shown = []
        for r in rows:
            if r["kind"] == "decision" and not may(
                actor, "see_decision", candidate_facts(db, r["candidate_id"])
            ):
                continue
            shown.append(
                Queued(
                    id=r["id"],
                    created_at=parse_stamp(r["created_at"]),
                    kind=r["kind"],
                    to=f"{r['to_name']} <{r['to_address']}>",
                    subject=r["subject"],
                    text=r["text_body"],
                    state=r["state"],
                    attempts=r["attempts"],
                    last_error=r["last_error"],
                    withdrawn=withdrawn_because(r["state"], r["last_error"]),
                )
            )
        return shown


def waiting(store: Store) -> dict[str, int]:
    """How many messages are queued, being sent, sent and failed, and of the failed how many
    were withdrawn (their recipient may no longer get them) rather than refused."""
    with store.read() as db:
        counts = dict(db.execute("SELECT state, COUNT(*) FROM outbox GROUP BY state").fetchall())
        withdrawn = db.execute(
            "SELECT COUNT(*) FROM outbox WHERE state = 'failed' AND last_error LIKE ?",
            [WITHDRAWN + "%"],
        ).fetchone()[0]
    counts = {s: counts.get(s, 0) for s in ("queued", "sending", "sent", "failed")}
    return {**counts, "withdrawn": withdrawn}
