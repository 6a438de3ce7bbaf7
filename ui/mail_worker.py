"""The app's own mail sender: when `[smtp]` is set in .streamlit/secrets.toml, a background
thread per server process (started by the first page view) queues the due and overdue
reminders and delivers the outbox every `DEBRIEF_SEND_EVERY` seconds (default 30; "off" turns
it off, as the test suite does), as `python -m scoring remind` and `send` would from cron.

With several server processes (`scripts/run --workers N`) only the holder of the `mail` lease
in the database does rounds (`scoring.sender`); another takes over when its lease runs out. A
message is claimed before it is sent, so it goes out once whoever sends it, a cron job too.
Without mail settings a round sends nothing (settings may be added while it runs).

Each round also runs retention once a day (`scoring.retention.daily`, issue 28): the first round
after a day has passed since the last run, in whichever process takes the `retention` lease,
erases what is due and queues the week's notice to coordinators, which the same round sends.
Retention does nothing until `[retention]` is configured (the run logs that it is not);
once it is, it runs whether or not mail is set up (the notice then waits in the outbox, and
Status shows what is due); "off" turns it off with the sender."""

from __future__ import annotations

import logging
import os
import threading

import streamlit as st

from scoring import retention
from scoring.sender import Sender
from scoring.store import Store, default_target

DEFAULT_EVERY = 30.0
LOG = logging.getLogger("debrief.mail")


def _every() -> float | None:
    """Seconds between rounds, or None when the app's sender is turned off."""
    chosen = (os.environ.get("DEBRIEF_SEND_EVERY") or "30").strip().lower()
    if chosen == "off":
        return None
    try:
        return max(1.0, float(chosen))
    except ValueError:
        return DEFAULT_EVERY


class Worker(Sender):
    """The app's sender, which also runs retention once a day before its round's mail."""

    def round(self) -> int | None:
        """Retention if a day has passed (`retention.daily`), then the mail round. A failed
        retention run is logged and does not stop the mail."""
        try:
            run = retention.daily(self.store)
        except Exception:  # tried again later (`retention.RETRY`); the mail still goes
            LOG.exception("the daily retention run failed; trying again later")
        else:
            if run is not None:
                LOG.info("retention: %s", run.summary().splitlines()[0])
        return super().round()


def _loop(stop: threading.Event) -> None:
    store = None
    while store is None:  # the first round comes one interval after the start, as from cron
        if stop.wait(_every() or DEFAULT_EVERY):
            return
        if _every() is None:
            continue
        try:
            store = Store(default_target())
        except Exception:  # a damaged or missing file: the sender tries again later
            LOG.exception("the mail sender cannot open the database; trying again later")
    Worker(store, every=_every() or DEFAULT_EVERY).run(stop, _every)


@st.cache_resource
def start() -> threading.Event:
    """Start the sender once per server process; returns the event that stops it."""
    stop = threading.Event()
    threading.Thread(target=_loop, args=(stop,), name="debrief-mail", daemon=True).start()
    return stop
