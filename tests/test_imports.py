"""The sign-in screen and the command line load only what they use: no pandas, numpy or pyarrow
(about 0.35 s and 60 MB) until a screen that draws a chart or a table asks for them. And the
slow hash of a sign-in runs at most two at a time, so a burst of sign-ins keeps memory bounded."""

import hashlib
import json
import os
import subprocess
import sys
import threading
import time

from scoring import people
from tests.conftest import ROOT

HEAVY = ("pandas", "numpy", "pyarrow", "altair")


def loaded_after(code: str) -> dict:
    """Run `code` in a fresh interpreter; returns which heavy modules it loaded, and `result`."""
    probe = (
        f"import sys, json\n{code}\n"
        f"print(json.dumps({{'heavy': [m for m in {HEAVY!r} if m in sys.modules],"
        " 'result': globals().get('result')}))"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.splitlines()[-1])


def test_the_command_line_and_the_sign_in_screen_load_no_data_frames(tmp_path):
    """One fresh interpreter: `--help` first (it does not even open the database layer), then
    what app.py imports for the sign-in screen, and one real sign-in against a database."""
    db = tmp_path / "signin.sqlite"
    seen = loaded_after(
        "from scoring import cli\n"
        "try:\n    cli.main(['--help'])\nexcept SystemExit:\n    pass\n"
        "after_help = ['scoring.store' in sys.modules,"
        f" [m for m in {HEAVY!r} if m in sys.modules]]\n"
        "import streamlit\n"
        "import scoring.permissions, scoring.text, ui.firstrun, ui.menu, ui.session, ui.signin\n"
        "from scoring import people\n"
        "from scoring.store import Store\n"
        f"store = Store({str(db)!r})\n"
        "_, code = people.create_first_coordinator(store, 'Cora', 'cora@example.com')\n"
        "result = [after_help, people.sign_in(store, 'cora@example.com', code).name]"
    )
    assert seen == {"heavy": [], "result": [[False, []], "Cora"]}


def test_the_sign_in_screen_does_not_load_sqlite_utils_either(tmp_path):
    """Debrief talks to SQLite through scoring.database (sqlite3 underneath): sqlite-utils is a
    test-only dependency now (tests/test_migrations.py checks both read the same bookkeeping),
    so nothing the app imports may need it."""
    seen = loaded_after(
        "import streamlit\n"
        "import scoring.permissions, ui.firstrun, ui.menu, ui.session, ui.signin\n"
        "from scoring.store import Store\n"
        f"Store({str(tmp_path / 'x.sqlite')!r})\n"
        "result = 'sqlite_utils' in sys.modules"
    )
    assert seen["result"] is False


def test_codes_still_stored_as_scrypt_hash_at_most_two_at_a_time(monkeypatch):
    """Eight sign-ins at once with codes stored before the current format (bare scrypt) hash two
    at a time, at the old cost (n=2**14, r=8: 16 MiB each)."""
    real = hashlib.scrypt
    running, most = 0, 0
    lock = threading.Lock()

    def counted(*args, **kwargs):
        nonlocal running, most
        with lock:
            running += 1
            most = max(most, running)
        time.sleep(0.05)
        try:
            return real(*args, **kwargs)
        finally:
            with lock:
                running -= 1

    monkeypatch.setattr(hashlib, "scrypt", counted)
    salt = b"s" * 16
    answers: list[bytes] = []
    threads = [
        threading.Thread(target=lambda: answers.append(people._legacy_hash("ABCD-EFGH", salt)))
        for _ in range(8)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(answers) == 8 and len(set(answers)) == 1
    assert answers[0] == real(b"ABCDEFGH", salt=salt, n=2**14, r=8, p=1, dklen=32)
    assert most == 2
