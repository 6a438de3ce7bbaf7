"""One mail sender among several server processes (issue 25): every process runs a sender, only
the holder of the `mail` lease does rounds, another takes over once a killed holder's lease runs
out, and every message goes out exactly once. A real SMTP server, a real SQLite file, senders in
threads (each its own connection) and in real processes killed with SIGKILL."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path

import pytest

from scoring import leases, outbox
from scoring.sender import LEASE, Sender
from scoring.store import Store, now_utc
from world import build, session_of

HERE = Path(__file__).resolve().parent
SENDER = HERE / "mail_sender_process.py"


def queue_invitations(w, count: int) -> None:
    with w.store.write() as db:
        for n in range(count):
            who = ("ana", "bo", "cy")[n % 3]
            outbox.queue_session_mail(
                db, session_of(w, who), "invitation", now_utc(), w.coordinator.id
            )


def outbox_rows(store: Store) -> list:
    with store.read() as db:
        return db.execute("SELECT id, state FROM outbox ORDER BY id").fetchall()


def wait_until(condition, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"not within {seconds} s: {what}")
        time.sleep(0.1)


def sent_once_each(inbox, store: Store) -> None:
    rows = outbox_rows(store)
    assert rows and all(r["state"] == "sent" for r in rows), Counter(r["state"] for r in rows)
    ids = Counter(m["Message-ID"] for m in inbox.messages)
    assert len(inbox.messages) == len(rows) and max(ids.values()) == 1


def test_of_four_senders_one_holds_the_lease_and_does_every_round(tmp_path, server):
    inbox, _ = server
    w = build(tmp_path / "w.sqlite")
    queue_invitations(w, 6)
    senders = [Sender(Store(w.store.location), every=0.1) for _ in range(4)]
    stop = threading.Event()
    threads = [threading.Thread(target=s.run, args=(stop,)) for s in senders]
    for thread in threads:
        thread.start()
    try:
        wait_until(lambda: all(r["state"] == "sent" for r in outbox_rows(w.store)), 20, "sent")
        queue_invitations(w, 3)  # more mail while they run: still the holder's
        wait_until(lambda: all(r["state"] == "sent" for r in outbox_rows(w.store)), 20, "sent")
        time.sleep(0.5)  # several more rounds' time
        holder = leases.holder(w.store, LEASE)
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=10)
    working = [s for s in senders if s.rounds]
    assert len(working) == 1 and working[0].holder == holder
    assert working[0].rounds >= 3 and working[0].sent == len(outbox_rows(w.store))
    sent_once_each(inbox, w.store)
    assert leases.holder(w.store, LEASE) is None  # released when it stopped


def test_a_lease_is_one_holder_s_until_it_runs_out(tmp_path):
    store = Store(tmp_path / "l.sqlite")
    at = now_utc()
    minute = timedelta(minutes=1)
    assert leases.hold(store, "job", "a", minute, now=at)
    assert not leases.hold(store, "job", "b", minute, now=at + timedelta(seconds=59))
    assert leases.hold(store, "job", "a", minute, now=at + timedelta(seconds=59))  # renewed
    assert not leases.hold(store, "job", "b", minute, now=at + timedelta(seconds=61))
    assert leases.hold(store, "job", "b", minute, now=at + timedelta(seconds=120))  # ran out
    assert leases.holder(store, "job", now=at + timedelta(seconds=121)) == "b"
    leases.release(store, "job", "a")  # not a's to release
    assert leases.holder(store, "job", now=at + timedelta(seconds=121)) == "b"
    leases.release(store, "job", "b")
    assert leases.holder(store, "job") is None


@pytest.mark.process
def test_a_killed_holder_is_replaced_after_its_lease_and_nothing_goes_twice(tmp_path, server):
    inbox, _ = server
    w = build(tmp_path / "w.sqlite")
    queue_invitations(w, 3)
    lease = 3.0
    env = {**os.environ, "PYTHONPATH": str(HERE.parent)}
    processes = [
        subprocess.Popen(
            [sys.executable, str(SENDER), w.store.location, "0.2", str(lease)],
            stdout=subprocess.PIPE,
            text=True,
            env=env,
        )
        for _ in range(3)
    ]
    try:
        holders = {p.stdout.readline().strip(): p for p in processes}
        wait_until(lambda: leases.holder(w.store, LEASE) in holders, 30, "a holder")
        wait_until(lambda: all(r["state"] == "sent" for r in outbox_rows(w.store)), 30, "sent")
        first = leases.holder(w.store, LEASE)
        holders[first].send_signal(signal.SIGKILL)  # no release: its lease must run out
        holders[first].wait(timeout=10)
        killed_at = time.monotonic()
        queue_invitations(w, 3)
        wait_until(lambda: leases.holder(w.store, LEASE) not in (None, first), 30, "a successor")
        assert time.monotonic() - killed_at >= lease - 1.0  # not before the lease ran out
        wait_until(lambda: all(r["state"] == "sent" for r in outbox_rows(w.store)), 30, "sent")
        time.sleep(1)  # more rounds by the two left: still nothing twice
    finally:
        for process in processes:
            if process.poll() is None:
                process.kill()
            process.wait(timeout=10)
    sent_once_each(inbox, w.store)


def test_a_holder_whose_lease_is_taken_mid_round_stops_and_nothing_goes_twice(tmp_path, server):
    # `a` renews its lease after every message; its lease has run out (it lasts a microsecond)
    # and, while its first message is being accepted, `b` takes it over. `a` must then stop at
    # once: the rest of the outbox is `b`'s, and each message still goes out exactly once.
    inbox, _ = server
    w = build(tmp_path / "w.sqlite")
    queue_invitations(w, 3)
    a = Sender(Store(w.store.location), every=60, lease=timedelta(microseconds=1))
    b = Sender(Store(w.store.location), every=60)
    taken: list[bool] = []

    def take_over(message):
        if not taken:
            time.sleep(0.01)  # past a's microsecond
            taken.append(b._hold())
        return None  # accepted

    inbox.answer = take_over
    assert a.round() is None  # the round ended: the lease was lost
    assert taken == [True] and leases.holder(w.store, LEASE) == b.holder
    assert len(inbox.messages) == 1  # only the message under way when it was lost
    states = Counter(r["state"] for r in outbox_rows(w.store))
    # nothing left claimed by `a` (the round also queued the reminders due)
    assert set(states) == {"sent", "queued"} and states["sent"] == 1, states
    assert a.round() is None and len(inbox.messages) == 1  # `b`'s now: `a` sends nothing
    assert b.round() == states["queued"] > 1
    sent_once_each(inbox, w.store)
