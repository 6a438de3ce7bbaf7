"""The outbox: every message Debrief sends is a row, written in the same transaction as the event
that causes it (a session scheduled, moved, cancelled or given to someone else; a scorecard due;
every scorecard in; a decision recorded). `scoring.mail` delivers the rows.

Each message is written once, for one person, in words they may read: an anonymised opening's
interviewers see the alias; the outcome of a decision goes only to those the permission table
lets see it; no message carries a score. Every string a person typed is one line in a subject,
escaped in HTML, and cut to a sane length.

Functions named ``queue_*`` take the caller's open write transaction (``db``); the others open
their own unit of work.
"""

from __future__ import annotations

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
from scoring.mail import app_url, mail_zone, one_line
from scoring.permissions import (
    Person,
    candidate_facts,
    current,
    ensure,
    may,
    opening_facts,
    seat_facts,
)
from scoring.store import Store, now_utc, parse_stamp, stamp

REMIND_WINDOW = timedelta(days=30)  # `remind` looks back this far, never at all of history
# The Remind buttons do not write to someone reminded this recently (by a button, or by the
# automatic "due" or "overdue"): pressing twice, or two people pressing, sends one message.
REMIND_AGAIN_AFTER = timedelta(hours=4)
NAME_LIMIT = 200
# A video link can be long (a meeting URL with its passcode); cut shorter, it would not open.
LOCATION_LIMIT = 1000
LIMITS = {"location": LOCATION_LIMIT, "location_before": LOCATION_LIMIT}

_TEXT = Environment(autoescape=False, undefined=StrictUndefined, keep_trailing_newline=True)
_HTML = Environment(autoescape=True, undefined=StrictUndefined)

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
        "{% if outcome %}See it on Decisions{% else %}Your interviews{% endif %}",
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
    subject_text = one_line(_TEXT.from_string(subject).render(**clean), 250)
    label = _TEXT.from_string(label).render(**clean)
    paragraphs = [p for p in (_TEXT.from_string(t).render(**clean) for t in templates) if p]
    text = "\n\n".join([f"Hello {name},", *paragraphs, f"{label}: {link}", "— Debrief"])
    html = _HTML.from_string(
        '<!doctype html><html><body style="font-family: sans-serif; line-height: 1.5">'
        "<p>Hello {{ name }},</p>"
        "{% for p in paragraphs %}<p>{{ p }}</p>{% endfor %}"
        '<p><a href="{{ link }}">{{ label }}</a></p>'
        '<p style="color: #555">— Debrief</p></body></html>'
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
    """What "Remind everyone overdue" did: how many reminders it queued, and how many
    interviewers it left alone because they were reminded less than `REMIND_AGAIN_AFTER` ago."""

    queued: int
    already: int


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
    reminded less than `REMIND_AGAIN_AFTER` ago are counted, not written to."""
    at = now or now_utc()
    with store.write() as db:
        actor = current(db, actor)
        ensure(actor, "see_opening_status", opening_facts(db, opening_id))
        rows = db.execute(
            """SELECT a.id, i.ends_at, o.overdue_hours
               FROM interview_sessions i INDEXED BY sessions_by_start
               JOIN assignments a ON a.session_id = i.id AND a.recused_at IS NULL
               JOIN candidates c ON c.id = i.candidate_id JOIN openings o ON o.id = c.opening_id
               WHERE i.starts_at >= ? AND i.starts_at < ? AND c.opening_id = ?
                 AND i.ends_at <= ? AND c.withdrawn_at IS NULL
                 AND NOT EXISTS (SELECT 1 FROM scorecards s WHERE s.assignment_id = a.id)
               ORDER BY i.starts_at, a.id""",
            [stamp(since), stamp(until), opening_id, stamp(at)],
        ).fetchall()
        seats = [
            r["id"]
            for r in rows
            if at - parse_stamp(r["ends_at"]) > timedelta(hours=r["overdue_hours"])
        ]
        done = [_nudge(db, actor, seat, at) for seat in seats]
        queued = sum(d.queued for d in done)
        return RemindedAll(queued=queued, already=len(done) - queued)


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
                )
            )
        return shown


def waiting(store: Store) -> dict[str, int]:
    """How many messages are queued, being sent, sent and failed."""
    with store.read() as db:
        counts = dict(db.execute("SELECT state, COUNT(*) FROM outbox GROUP BY state").fetchall())
    return {s: counts.get(s, 0) for s in ("queued", "sending", "sent", "failed")}
