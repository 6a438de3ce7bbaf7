"""Run by test_workers_mail.py in separate processes: one server process's mail sender
(`scoring.sender.Sender`), as ui/mail_worker.py runs it, until killed.

usage: python tests/mail_sender_process.py DB EVERY_SECONDS LEASE_SECONDS
Prints its holder id, then does a round every EVERY_SECONDS while it holds the lease; the mail
settings come from $DEBRIEF_SECRETS.
"""

import sys
import threading
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from scoring.sender import Sender
from scoring.store import Store

db_path, every, lease = sys.argv[1], float(sys.argv[2]), float(sys.argv[3])
sender = Sender(Store(db_path), every=every, lease=timedelta(seconds=lease))
print(sender.holder, flush=True)
sender.run(threading.Event())
