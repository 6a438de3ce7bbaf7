"""The sign-in throttle across server processes (issue 25): two processes counting wrong codes
for one client at the same moment lose no count, since each count is read and written inside
one write transaction (BEGIN IMMEDIATE). Real processes on one real SQLite file."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from scoring import throttle
from scoring.store import Store, now_utc

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.process
EACH = 40

COUNTER = """
import sys, time
from scoring import throttle
from scoring.store import Store, now_utc
store, start = Store(sys.argv[1]), float(sys.argv[2])
while time.time() < start:
    time.sleep(0.002)
for _ in range(int(sys.argv[3])):
    with store.write() as db:
        throttle.count_failure(db, "who-hash", "198.51.100.7", now_utc(), "wrong_code")
"""


def test_two_processes_counting_one_client_s_failures_lose_none(tmp_path):
    path = tmp_path / "t.sqlite"
    store = Store(path)
    start = time.time() + 2.5  # both have imported by then
    counters = [
        subprocess.Popen(
            [sys.executable, "-c", COUNTER, str(path), str(start), str(EACH)],
            cwd=ROOT,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
        )
        for _ in range(2)
    ]
    assert [c.wait(timeout=60) for c in counters] == [0, 0]
    with store.read() as db:
        pair = throttle._count(db, "who-hash", "198.51.100.7", now_utc())[0]
        client = throttle._count(db, throttle.ANY, "198.51.100.7", now_utc())[0]
        tallied = db.execute("SELECT sum(failures) FROM sign_in_failures").fetchone()[0]
    assert pair == client == tallied == 2 * EACH
