"""Run by test_concurrency.py in separate processes: submit one scorecard through the service.

usage: python tests/submit_worker.py DB ASSIGNMENT_ID START_AT [pause]
Waits until the wall clock reaches START_AT (so all workers hit the file at once), submits, and
prints the scorecard id. With `pause`, it stops for good right before the commit (after every
row of the submission is inserted) and prints "inserted", so a test can kill it there.
"""

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from scoring import audit, scorecards
from scoring.permissions import Person
from scoring.store import Store
from world import full_scores

db_path, assignment_id, start_at = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
pause = len(sys.argv) > 4 and sys.argv[4] == "pause"
store = Store(db_path)
with store.read() as db:
    row = db.execute(
        "SELECT p.* FROM assignments a JOIN people p ON p.id = a.interviewer_id WHERE a.id = ?",
        [assignment_id],
    ).fetchone()
    person = Person.from_row(row)
criteria = full_scores(store, assignment_id, level=2 + assignment_id % 3)

if pause:
    real_record = audit.record

    def record_then_hang(*args, **kwargs):
        real_record(*args, **kwargs)
        print("inserted", flush=True)
        time.sleep(3600)

    audit.record = record_then_hang

time.sleep(max(0.0, start_at - time.time()))
card = scorecards.submit(
    store, person, assignment_id, overall=assignment_id % 6, feedback="worker", criteria=criteria
)
print(card.id, flush=True)
