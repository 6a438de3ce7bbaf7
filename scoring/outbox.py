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

The outbox is five modules, one job each; this one is what the app shows (the Status page's
list and counts) and the names callers import from `scoring.outbox`:

- `scoring.outbox_words`: each kind of message in words, rendered as text and HTML;
- `scoring.outbox_recipients`: who may still get a message (`withheld`, `recheck_mail`);
- `scoring.outbox_queue`: writing the messages of the interview day and of the decision;
- `scoring.outbox_reminders`: due and overdue reminders, and the Remind buttons;
- their SQL: `scoring.queries.outbox`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from scoring.guards import Granted, guarded
from scoring.outbox_queue import (
    calendar_uid,
    queue_decision,
    queue_ready,
    queue_session_mail,
    without_mail,
)
from scoring.outbox_recipients import (
    REMIND_WINDOW,
    WITHDRAWN,
    Rechecked,
    recheck_mail,
    withdraw,
    withdrawn_because,
    withheld,
    withheld_row,
)
from scoring.outbox_reminders import (
    REMIND_AGAIN_AFTER,
    Reminded,
    RemindedAll,
    last_reminded,
    queue_due_reminders,
    queue_reminder,
    remind,
    remind_overdue,
)
from scoring.outbox_words import DECISIONS_LABEL, LOCATION_LIMIT, MESSAGES, NAME_LIMIT, render
from scoring.permissions import candidate_facts, may
from scoring.queries import outbox as Q
from scoring.store import Store, parse_stamp

# The names callers import from `scoring.outbox` (the services that queue mail, the Status page,
# the sender, the command line and the tests), wherever they now live.
__all__ = [
    "DECISIONS_LABEL",
    "LOCATION_LIMIT",
    "MESSAGES",
    "NAME_LIMIT",
    "REMIND_AGAIN_AFTER",
    "REMIND_WINDOW",
    "WITHDRAWN",
    "Queued",
    "Rechecked",
    "Reminded",
    "RemindedAll",
    "calendar_uid",
    "last_reminded",
    "messages",
    "queue_decision",
    "queue_due_reminders",
    "queue_ready",
    "queue_reminder",
    "queue_session_mail",
    "recheck_mail",
    "remind",
    "remind_overdue",
    "render",
    "waiting",
    "withdraw",
    "withdrawn_because",
    "withheld",
    "withheld_row",
    "without_mail",
]

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


@guarded("manage_opening", on="opening_id")
def messages(g: Granted, opening_id: int, limit: int = 20) -> list[Queued]:
    """The latest messages about an opening's candidates, for its coordinator: what was or would
    be sent. A decision's message is listed only where the actor may see the decision (`may`,
    asked of each decision's candidate)."""
    db = g.db
    rows = db.execute(Q.LATEST_OF_OPENING, [opening_id, limit]).fetchall()
    shown = []
    for r in rows:
        if r["kind"] == "decision" and not may(
            g.actor, "see_decision", candidate_facts(db, r["candidate_id"])
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
        counts = dict(db.execute(Q.COUNT_BY_STATE).fetchall())
        withdrawn = db.execute(
            Q.COUNT_WITHDRAWN,
            [WITHDRAWN + "%"],
        ).fetchone()[0]
    counts = {s: counts.get(s, 0) for s in ("queued", "sending", "sent", "failed")}
    return {**counts, "withdrawn": withdrawn}
