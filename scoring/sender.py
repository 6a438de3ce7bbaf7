"""The app's own mail sender, one at a time among every server process on the database.

Each server process runs a sender thread (`ui/mail_worker.py`); with several processes behind a
proxy (`scripts/run --workers N`) they would all do rounds. So a round is done only by the holder
of the `mail` lease (`scoring.leases`): a sender takes the lease when it is free or expired,
renews it before each round and after each message, and releases it when it stops. Another
process's sender takes over once a dead holder's lease runs out. The outbox still claims each
message before sending it (`scoring.mail.send_outbox`), so even a holder that lost its lease
mid-round (stalled longer than the lease) sends nothing twice.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

from scoring import leases, mail, outbox
from scoring.store import Store

LEASE = "mail"
LOG = logging.getLogger("debrief.mail")


class LeaseLost(Exception):
    """Another sender holds the lease now: this one stops its round."""


def lease_length(every: float) -> timedelta:
    """How long a lease lasts: three rounds, and at least 2 minutes. A holder renews at every
    round and after every message; a dead one is replaced when its lease runs out. The lease
    keeps two senders from working the queue at once; it cannot promise that no message outlasts
    it (SMTP's timeout, 30 s, holds for each step of a conversation, and a slow server takes
    several). What keeps a message from going twice is its claim (`mail.send_outbox`): a row is
    claimed, committed, before the server is spoken to, and a second sender skips it."""
    return timedelta(seconds=max(120.0, 3 * every))


def send_round(store: Store, settings: mail.MailSettings, renew: Callable[[], None]) -> int:
    """One round: reminders queued, the outbox delivered, the lease renewed after each
    message (`renew` raises LeaseLost when it is gone). Returns the number sent."""
    outbox.queue_due_reminders(store)
    report = mail.send_outbox(store, settings, pause=renew)
    for problem in report.problems:
        LOG.warning("%s", problem)
    return report.sent


@dataclass
class Sender:
    """One process's sender: `round()` sends only while this process holds the lease."""

    store: Store
    every: float
    settings: Callable[[], mail.MailSettings | None] = mail.mail_settings
    holder: str = field(default_factory=leases.holder_id)
    lease: timedelta | None = None  # how long a lease lasts; by default `lease_length(every)`
    rounds: int = 0  # rounds done as the holder
    sent: int = 0

    def _hold(self) -> bool:
        return leases.hold(self.store, LEASE, self.holder, self.lease or lease_length(self.every))

    def _renew(self) -> None:
        if not self._hold():
            raise LeaseLost(LEASE)

    def round(self) -> int | None:
        """A round if this sender holds (or can take) the lease: the number sent; None when
        another sender holds it. Without mail settings the lease is not even asked for."""
        try:
            settings = self.settings()
        except mail.SettingsProblem as problem:
            LOG.warning("mail is off: %s", problem)
            return 0
        if settings is None:
            return 0
        if not self._hold():
            return None
        self.rounds += 1
        try:
            sent = send_round(self.store, settings, self._renew)
        except LeaseLost:
            LOG.warning("another sender took the mail lease during a round; it carries on")
            return None
        self.sent += sent
        return sent

    def run(self, stop: threading.Event, every: Callable[[], float | None] | None = None) -> None:
        """A round now, then one each `every()` seconds (None: turned off for now) until `stop`
        is set; releases the lease on the way out."""
        every = every or (lambda: self.every)
        try:
            while True:
                if every() is not None:
                    try:
                        self.round()
                    except Exception:  # the sender must outlive a bad round (a locked database)
                        LOG.exception("the mail round failed; trying again later")
                if stop.wait(every() or self.every):
                    break
        finally:
            try:
                leases.release(self.store, LEASE, self.holder)
            except Exception:  # stopping anyway: the lease then runs out by itself
                LOG.exception("could not release the mail lease")
