"""The app's own mail sender: when `[smtp]` is set in .streamlit/secrets.toml, one background
thread per server process (started by the first page view) queues the due and overdue
reminders and delivers the outbox every `DEBRIEF_SEND_EVERY` seconds (default 30; "off" turns
it off, as the test suite does), as `python -m scoring remind` and `send` would from cron. Both
may run beside a cron job: a message is claimed before it is sent, so it goes out once whoever
sends it. Without mail settings a round does nothing (settings may be added while it runs)."""

from __future__ import annotations

import logging
import os
import threading

import streamlit as st

from scoring import mail, outbox
from scoring.store import Store, default_path

LOG = logging.getLogger("debrief.mail")


def _every() -> float | None:
    """Seconds between rounds, or None when the app's sender is turned off."""
    chosen = (os.environ.get("DEBRIEF_SEND_EVERY") or "30").strip().lower()
    if chosen == "off":
        return None
    try:
        return max(1.0, float(chosen))
    except ValueError:
        return 30.0


def send_once(store: Store) -> int:
    """One round: reminders queued, the outbox delivered. Returns the number sent."""
    try:
        settings = mail.mail_settings()
    except mail.SettingsProblem as problem:
        LOG.warning("mail is off: %s", problem)
        return 0
    if settings is None:
        return 0
    outbox.queue_due_reminders(store)
    report = mail.send_outbox(store, settings)
    for problem in report.problems:
        LOG.warning("%s", problem)
    return report.sent


def _loop(stop: threading.Event) -> None:
    store = None
    while not stop.wait(_every() or 30):
        if _every() is None:
            continue
        try:
            store = store or Store(default_path())
            send_once(store)
        except Exception:  # the sender must outlive a bad round (a locked or full database)
            LOG.exception("the mail round failed; trying again later")


@st.cache_resource
def start() -> threading.Event:
    """Start the sender once per server process; returns the event that stops it."""
    stop = threading.Event()
    threading.Thread(target=_loop, args=(stop,), name="debrief-mail", daemon=True).start()
    return stop
