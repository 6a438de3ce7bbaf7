"""Sign-in nonces shared by every server process (issue 25): a nonce one process issued is
traded by another, exactly once even when two race for it, never after a minute, never for the
other purpose; and the database file holds no session token, nor the nonce that opens it.
Real SQLite files; the races in real threads on separate connections and in real processes."""

from __future__ import annotations

import subprocess
import sys
import threading
from datetime import timedelta
from pathlib import Path

import pytest

from scoring import nonces
from scoring.store import Store, now_utc

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "session-token-" + "x" * 30


def test_a_nonce_issued_here_is_traded_once_elsewhere(tmp_path):
    path = tmp_path / "n.sqlite"
    issuer, other = Store(path), Store(path)  # two processes' stores: no memory in common
    nonce = nonces.issue(issuer, TOKEN)
    assert nonces.take(other, nonce, end=False) == TOKEN
    assert nonces.take(other, nonce, end=False) is None  # used up
    assert nonces.take(issuer, nonce, end=False) is None


def test_forged_expired_and_wrong_purpose_nonces_are_refused(tmp_path):
    store = Store(tmp_path / "n.sqlite")
    assert nonces.take(store, "made-up-nonce-of-the-right-length-xxxxxxxx", end=False) is None
    assert nonces.take(store, "", end=False) is None
    assert nonces.take(store, "x" * 10_000, end=False) is None

    ending = nonces.issue(store, None)
    assert nonces.take(store, ending, end=False) is None  # an end nonce cannot set a cookie
    setting = nonces.issue(store, TOKEN)
    assert nonces.take(store, setting, end=True) is None  # nor a set nonce end a session
    # ... and neither was used up by being offered for the other purpose
    assert nonces.take(store, ending, end=True) == nonces.END
    assert nonces.take(store, setting, end=False) == TOKEN

    old = nonces.issue(store, TOKEN, now=now_utc() - timedelta(seconds=61))
    assert nonces.take(store, old, end=False) is None
    stale = nonces.issue(store, TOKEN, now=now_utc() - timedelta(minutes=5))
    assert nonces.waiting(store) == 1
    nonces.issue(store, TOKEN)  # issuing prunes what has expired
    assert nonces.waiting(store) == 1
    assert nonces.take(store, stale, end=False) is None


def test_the_file_holds_no_token_and_no_nonce(tmp_path):
    path = tmp_path / "n.sqlite"
    store = Store(path)
    nonce = nonces.issue(store, TOKEN)
    with store.read() as db:
        (row,) = db.execute("SELECT * FROM sign_in_nonces").fetchall()
    on_disk = b"".join(p.read_bytes() for p in tmp_path.glob("n.sqlite*"))
    for secret in (TOKEN, nonce):
        assert secret.encode() not in on_disk
        assert secret not in row["nonce_hash"] and secret.encode() not in bytes(row["sealed"])
    # a sealed token moved under another row, or opened with a guessed nonce, opens nothing
    assert nonces.unseal("another nonce", bytes(row["sealed"]), row["nonce_hash"]) is None
    assert nonces.unseal(nonce, bytes(row["sealed"]), "another hash") is None


def test_threads_racing_for_each_nonce_exactly_one_wins(tmp_path):
    path = tmp_path / "n.sqlite"
    issued = [nonces.issue(Store(path), f"{TOKEN}-{i}") for i in range(15)]
    racers = 6
    stores = [Store(path) for _ in range(racers)]  # a connection of their own each
    wins: list[list[str]] = [[] for _ in range(racers)]
    start = threading.Barrier(racers)

    def race(n: int) -> None:
        start.wait()
        for nonce in issued:
            if nonces.take(stores[n], nonce, end=False) is not None:
                wins[n].append(nonce)

    threads = [threading.Thread(target=race, args=(n,)) for n in range(racers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    everyone = [nonce for won in wins for nonce in won]
    assert sorted(everyone) == sorted(issued)  # each taken, none twice


TAKER = """
import sys, time
from ui import cookies
nonces, start = sys.argv[1].split(","), float(sys.argv[2])
while time.time() < start:
    time.sleep(0.005)
print(",".join(n for n in nonces if cookies.take_nonce(n, end=False)))
"""


@pytest.mark.process
def test_processes_racing_for_the_same_nonces_through_the_app_s_route_code(tmp_path, monkeypatch):
    """The page's process issues (ui.cookies.nonce_for), two other server processes trade the
    same nonces at the same moment (ui.cookies.take_nonce, what POST /api/session runs)."""
    import time

    from ui import cookies

    path = tmp_path / "n.sqlite"
    monkeypatch.setenv("DEBRIEF_DB", str(path))
    Store(path)
    issued = [cookies.nonce_for(f"{TOKEN}-{i}") for i in range(20)]
    start = time.time() + 4  # both processes have imported the app by then
    takers = [
        subprocess.Popen(
            [sys.executable, "-c", TAKER, ",".join(issued), str(start)],
            cwd=ROOT,
            env={**__import__("os").environ, "PYTHONPATH": str(ROOT), "DEBRIEF_DB": str(path)},
            stdout=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    won = [set(filter(None, t.communicate(timeout=60)[0].strip().split(","))) for t in takers]
    assert all(t.returncode == 0 for t in takers)
    assert won[0] | won[1] == set(issued)  # another process than the issuer trades each one
    assert not won[0] & won[1]  # and only one of them
