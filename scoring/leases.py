"""Leases: one holder at a time for a named job among every process on the database (the mail
sender of each server process, `scoring.mail_sender`).

A lease is a row (name, holder, until). A holder takes it when it is free or expired and renews
it while it works; nobody else can take it before `until`. A holder that dies (a kill -9, a
crash) simply stops renewing, and another takes over once its time is up. Taking, renewing and
releasing are single statements in a write transaction, so two processes racing for a free
lease cannot both win.
"""

from __future__ import annotations

import os
import secrets
import socket
from datetime import UTC, datetime, timedelta

from scoring.clock import stamp
from scoring.queries import leases as Q
from scoring.store import Store


def holder_id() -> str:
    """A name for this process as a holder: host, process id and a random part (a process id
    is reused after a restart)."""
    return f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(4)}"


def _now() -> datetime:
    # Leases last seconds: kept to the microsecond, not to the second as history is.
    return datetime.now(UTC)


def hold(
    store: Store, name: str, holder: str, lasting: timedelta, now: datetime | None = None
) -> bool:
    """Take the lease `name` for `holder` until now + `lasting`, or renew it if `holder` has
    it. True when `holder` holds it afterwards; False when another holder's lease runs."""
    now = now or _now()
    with store.write() as db:
        db.execute(Q.HOLD, [name, holder, stamp(now + lasting), stamp(now)])
        row = db.execute(Q.HOLDER, [name]).fetchone()
    return row is not None and row["holder"] == holder


def holder(store: Store, name: str, now: datetime | None = None) -> str | None:
    """Who holds the lease `name` now, or None when it is free or has expired."""
    now = now or _now()
    with store.read() as db:
        row = db.execute(Q.HOLDER, [name]).fetchone()
    if row is None or row["until"] < stamp(now):
        return None
    return row["holder"]


def release(store: Store, name: str, holder: str) -> None:
    """Give the lease up at once (a clean shutdown), if `holder` has it."""
    with store.write() as db:
        db.execute(Q.RELEASE, [name, holder])
