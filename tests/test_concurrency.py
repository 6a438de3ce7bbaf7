"""Many interviewers submitting at once, and a process dying half-way: nothing lost, nothing
doubled, nothing half-written. Real processes on one real SQLite file, or one real PostgreSQL
database with DEBRIEF_TEST_ENGINE=postgresql (the same tests, the same guarantees)."""

import os
import signal
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest

from scoring import openings, people
from scoring.store import Store
from world import CATALOG, DAY, new_store

WORKER = Path(__file__).resolve().parent / "submit_worker.py"
PROCESSES = 20
# Real worker processes, started and waited on: in the full suite, not the fast loop.
pytestmark = pytest.mark.process


def org_with_assignments(path: Path, count: int) -> tuple[Store, list[int]]:
    """`count` interviewers, each with one session, spread over candidates of one opening."""
    store = new_store(path)
    coordinator, _ = people.create_first_coordinator(store, "Cora", "cora@example.com")
    manager = people.add_person(
        store, coordinator, "Maria", "maria@example.com", ["hiring_manager"]
    )
    opening = openings.create_opening(
        store,
        coordinator,
        title="Data scientist",
        role="Data scientist",
        loop=CATALOG.loops["ds-generalist-onsite"],
        catalog=CATALOG,
        hiring_manager_id=manager.id,
        strategy={"kind": "manager"},
    )
    assignment_ids = []
    with store.batch():
        for n in range(count):
            person = people.add_person(
                store, coordinator, f"Interviewer {n}", f"i{n}@example.com", ["interviewer"]
            )
            if n % 4 == 0:
                candidate = openings.add_candidate(store, coordinator, opening.id, f"Cand {n}")
            session = openings.schedule_session(
                store, coordinator, candidate, n % 4 + 1, DAY + timedelta(hours=n % 4), [person.id]
            )
            with store.read() as db:
                assignment_ids.append(
                    db.execute(
                        "SELECT id FROM assignments WHERE session_id = ?", [session]
                    ).fetchone()[0]
                )
    return store, assignment_ids


def spawn(db: Store, assignment_id: int, start_at: float, *extra: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, str(WORKER), db.location, str(assignment_id), str(start_at), *extra],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_twenty_processes_submit_at_once(tmp_path):
    db = tmp_path / "crowd.sqlite"
    store, assignment_ids = org_with_assignments(db, PROCESSES)
    start_at = time.time() + 4  # every worker is up and waiting by then
    workers = [spawn(store, a, start_at) for a in assignment_ids]
    results = [w.communicate(timeout=120) for w in workers]
    for worker, (_out, err) in zip(workers, results, strict=True):
        assert worker.returncode == 0, err
        assert "locked" not in err.lower()
    with store.read() as db_:
        rows = db_.execute("SELECT assignment_id, revision FROM scorecards").fetchall()
        scores = db_.execute("SELECT COUNT(*) FROM criterion_scores").fetchone()[0]
        expected_scores = sum(
            len(openings.rubric_snapshot(db_, h).criteria)
            for (h,) in db_.execute(
                "SELECT i.rubric_hash FROM assignments a"
                " JOIN interview_sessions i ON i.id = a.session_id"
            )
        )
    assert sorted(r[0] for r in rows) == sorted(assignment_ids)  # every one, none twice
    assert {r[1] for r in rows} == {1}
    assert scores == expected_scores


def test_process_killed_mid_submission_leaves_no_partial_scorecard(tmp_path):
    db = tmp_path / "killed.sqlite"
    store, (assignment_id,) = org_with_assignments(db, 1)
    worker = spawn(store, assignment_id, time.time(), "pause")
    assert worker.stdout.readline().strip() == "inserted"  # rows written, not committed
    os.kill(worker.pid, signal.SIGKILL)
    worker.wait(timeout=30)
    with store.read() as db_:
        assert db_.execute("SELECT COUNT(*) FROM scorecards").fetchone()[0] == 0
        assert db_.execute("SELECT COUNT(*) FROM criterion_scores").fetchone()[0] == 0
    # and the file is healthy: the same submission now goes through
    again = spawn(store, assignment_id, time.time())
    _out, err = again.communicate(timeout=60)
    assert again.returncode == 0, err
    with store.read() as db_:
        assert db_.execute("SELECT COUNT(*) FROM scorecards").fetchone()[0] == 1


GUESSER = """
import sys, time, secrets
sys.path.insert(0, {root!r})
from scoring import people
from scoring.errors import SignInFailed
from scoring.store import Store
store, until = Store({db!r}), time.time() + {seconds}
tries = 0
while time.time() < until:
    try:  # a new email and a new client each time: no throttle row ever slows this guesser
        people.sign_in(store, f"{{secrets.token_hex(4)}}@example.com", "AAAA-BBBB-CCCC-DDDD",
                       client=secrets.token_hex(4))
    except SignInFailed:
        tries += 1
print(tries)
"""


def test_a_process_guessing_codes_does_not_hold_up_submissions(tmp_path):
    db = tmp_path / "guessed.sqlite"
    store, assignment_ids = org_with_assignments(db, 8)
    root = str(Path(__file__).resolve().parent.parent)
    guesser = subprocess.Popen(
        [sys.executable, "-c", GUESSER.format(root=root, db=store.location, seconds=8)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    start_at = time.time() + 3
    workers = [spawn(store, a, start_at) for a in assignment_ids]
    for worker in workers:
        _out, err = worker.communicate(timeout=120)
        assert worker.returncode == 0, err
    tries, err = guesser.communicate(timeout=60)
    assert guesser.returncode == 0, err
    assert int(tries) > 10  # it really was guessing all along
    with store.read() as db_:
        assert db_.execute("SELECT COUNT(*) FROM scorecards").fetchone()[0] == len(assignment_ids)


def test_two_processes_submitting_one_seat_at_once_make_one_scorecard(tmp_path):
    """The same seat submitted from two processes in the same instant (a double click that
    reached two workers): one scorecard, the other told it is final already; on PostgreSQL as
    on SQLite (the write lock taken first, then the rule read)."""
    store, (assignment_id,) = org_with_assignments(tmp_path / "twice.sqlite", 1)
    start_at = time.time() + 3
    workers = [spawn(store, assignment_id, start_at) for _ in range(2)]
    results = [w.communicate(timeout=120) for w in workers]
    codes = sorted(w.returncode for w in workers)
    assert codes == [0, 1], results
    refused = next(err for w, (_out, err) in zip(workers, results, strict=True) if w.returncode)
    # the service's own answer, not a constraint tripped by two writers racing past its rule
    assert "Your scorecard is already submitted" in refused, refused[-500:]
    with store.read() as db_:
        rows = db_.execute(
            "SELECT revision FROM scorecards WHERE assignment_id = ?", [assignment_id]
        ).fetchall()
    assert [r[0] for r in rows] == [1]
