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
NAME_LIMIT = 200

_TEXT = Environment(autoescape=False, undefined=StrictUndefined, keep_trailing_newline=True)
_HTML = Environment(autoescape=True, undefined=StrictUndefined)

# Each kind: subject, paragraphs (the same in text and HTML), and the label of its one link.
MESSAGES: dict[str, tuple[str, list[str], str]] = {
    "invitation": (
        "Interview: {{ session }} with {{ candidate }}, {{ when }}",
        [
            "You interview {{ candidate }} for {{ opening }}: {{ session }}, {{ when }}.",
            "Score right after the session, on your own: the sooner, the fresher. Nobody's"
            " scores are shown to you before yours is in.",
            "The calendar invitation is attached.",
        ],
        "Your interviews",
    ),
    "update": (
        "Moved: {{ session }} with {{ candidate }}, now {{ when }}",
        [
            "{{ session }} with {{ candidate }} ({{ opening }}) has moved: it is now {{ when }}"
            " (was {{ before }}).",
            "The attached invitation updates your calendar.",
        ],
        "Your interviews",
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
    "decision": (
        "Decision recorded: {{ candidate }}{% if outcome %} — {{ outcome }}{% endif %}",
        [
            "The decision on {{ candidate }} ({{ opening }}) is recorded"
            "{% if outcome %}: {{ outcome }}{% endif %}.",
            "Thank you for your part in it.",
        ],
        "Open it",
    ),
}

OUTCOMES = {"hire": "Hire", "no_hire": "No hire"}


def render(kind: str, name: str, link: str, **values: Any) -> tuple[str, str, str]:
    """Subject, plain text and HTML of one message. Every value is made one line and cut to a
    sane length first; HTML escapes it."""
    subject, paragraphs, label = MESSAGES[kind]
    clean = {k: one_line(v, NAME_LIMIT) if isinstance(v, str) else v for k, v in values.items()}
    name, link = one_line(name, NAME_LIMIT), one_line(link, 1000)
    subject_text = one_line(_TEXT.from_string(subject).render(**clean), 250)
    text = "\n\n".join(
        [f"Hello {name},"]
        + [_TEXT.from_string(p).render(**clean) for p in paragraphs]
        + [f"{label}: {link}", "— Debrief"]
    )
    html = _HTML.from_string(
        '<!doctype html><html><body style="font-family: sans-serif; line-height: 1.5">'
        "<p>Hello {{ name }},</p>"
        "{% for p in paragraphs %}<p>{{ p }}</p>{% endfor %}"
        '<p><a href="{{ link }}">{{ label }}</a></p>'
        '<p style="color: #555">— Debrief</p></body></html>'
    ).render(
        name=name,
        paragraphs=[_TEXT.from_string(p).render(**clean) for p in paragraphs],
        link=link,
        label=label,
    )
    return subject_text, text + "\n", html


def _when(starts: datetime, ends: datetime | None = None) -> str:
    zone = mail_zone()
    first = starts.astimezone(zone)
    if ends is None:
        return f"{first:%a %d %b %Y %H:%M} {first:%Z}"
    return f"{first:%a %d %b %Y, %H:%M}-{ends.astimezone(zone):%H:%M} {first:%Z}"


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
    why: str = "the session is cancelled.",
) -> list[int]:
    """Queue an invitation, an update (a move: same UID, higher SEQUENCE) or a cancellation
    (METHOD:CANCEL) of one session, with its calendar attachment, to each of its interviewers
    (or to `interviewer_ids`). Call a cancellation before the seats are removed."""
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
    for seat in seats:
        person = _person(db, seat["interviewer_id"])
        candidate = _candidate_for(db, person, session["candidate_id"])
        link = f"{app_url()}/my_interviews"
        values = {
            "candidate": candidate,
            "session": session["title"],
            "opening": session["opening_title"],
            "when": _when(starts, ends),
            "before": _when(before) if before else "",
            "why": why,
        }
        method = "CANCEL" if kind == "cancellation" else "REQUEST"
        ics = invites.session_event(
            uid=uid,
            sequence=sequence,
            method=method,
            starts_at=starts,
            ends_at=ends,
            summary=one_line(f"Interview: {session['title']} with {candidate}", 250),
            description=one_line(
                f"{session['title']} with {candidate} ({session['opening_title']}).", 600
            )
            + f" Your interviews: {link}",
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
    Looks back `REMIND_WINDOW`; withdrawn candidates and closed openings are left alone."""
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


def remind(store: Store, actor: Person, assignment_id: int, now: datetime | None = None) -> int:
    """The Remind button: the coordinator or the opening's hiring manager nudges one interviewer
    whose scorecard is missing. Twice in the same minute counts once."""
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
        row_id = queue_reminder(
            db,
            assignment_id,
            "reminder",
            at,
            by=actor.name,
            dedupe_key=f"reminder:{assignment_id}:{at:%Y%m%d%H%M}",
        )
        audit.record(db, actor.id, "remind", f"assignment:{assignment_id}", at)
        return row_id or 0


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
    outcome only to those the permission table lets see the decision (`see_decision`). Called
    by `record_decision` inside its transaction, after the decision row is written."""
    decision = db.execute(
        "SELECT outcome, decided_by FROM decisions WHERE id = ? AND candidate_id = ?",
        [decision_id, candidate_id],
    ).fetchone()
    if decision is None:
        raise NotFound(f"No decision {decision_id} for candidate {candidate_id}.")
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
