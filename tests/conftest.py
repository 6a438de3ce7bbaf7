"""Shared fixtures: the project root and ways to run the command line as a user would."""

import contextlib
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# A real PostgreSQL for the tests of the second engine: `pg_cluster`, `pg_url` (tests/pg_server.py).
pytest_plugins = ["tests.pg_fixtures"]
# The app's background mail sender stays off in tests (AppTest runs app.py in this process, and
# test servers inherit this); the test of the sender turns it on for its own server.
os.environ["DEBRIEF_SEND_EVERY"] = "off"
# One audit key for every database the tests write (servers and the command line inherit it), so
# `verify` below checks each one's signatures; tests of the key itself set or remove their own.
os.environ["DEBRIEF_AUDIT_KEY"] = "tests-only audit key: not a secret, never used elsewhere"
# The same for the privacy key that wraps candidates' data keys (scoring.privacy_key).
os.environ["DEBRIEF_PRIVACY_KEY"] = "tests-only privacy key: not a secret, never used elsewhere"


def pytest_collection_modifyitems(items):
    """A test that starts worker processes and waits on them (`process`) is slow too: each worker
    imports the app again (a second of CPU apiece, twenty in the concurrency test) and some wait on
    wall-clock time, so the fast loop (`-m "not slow and not e2e"`) leaves them out and the full
    suite runs them. A fresh interpreter that only probes what an import loads (test_imports) and
    the one real `python -m scoring` (`cli_process`) stay in the fast loop: about a second each."""
    on_postgres = os.environ.get("DEBRIEF_TEST_ENGINE") == "postgresql"
    for item in items:
        if item.get_closest_marker("process") and not item.get_closest_marker("slow"):
            item.add_marker(pytest.mark.slow)
        # On PostgreSQL, a test about the SQLite file itself (its bytes forged with the sqlite3
        # shell, a key file beside it, its statement counts) is skipped, saying why.
        only = item.get_closest_marker("sqlite_only")
        if on_postgres and only is not None:
            reason = only.args[0] if only.args else "about the SQLite file"
            item.add_marker(pytest.mark.skip(reason=f"SQLite only: {reason}"))


@pytest.fixture
def cli():
    """Run the command line as `python -m scoring ARGS` would, in this process (the parser, the
    exit code, stdout and stderr, standard input, the working folder and the environment are the
    same; a process start costs a second): returns a CompletedProcess. One test runs the real
    process (`cli_process`)."""

    def run(*args, stdin=None, cwd=ROOT):
        from scoring.cli import main

        argv = [str(a) for a in args]
        out, err = _Stream(), _Stream()
        here = Path.cwd()
        saved_stdin = sys.stdin
        sys.stdin = io.StringIO(stdin or "")
        os.chdir(cwd)
        try:
            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
                try:
                    code = main(argv, out, err)
                except SystemExit as exit_:  # argparse: a wrong call, or --help
                    code = exit_.code if isinstance(exit_.code, int) else int(bool(exit_.code))
        finally:
            os.chdir(here)
            sys.stdin = saved_stdin
        return subprocess.CompletedProcess(
            [sys.executable, "-m", "scoring", *argv], code, out.text(), err.text()
        )

    return run


class _Stream(io.TextIOWrapper):
    """A text stream with the `.buffer` a real stdout has (exports write bytes to it)."""

    def __init__(self):
        super().__init__(io.BytesIO(), encoding="utf-8", write_through=True)

    def text(self) -> str:
        self.flush()
        return self.buffer.getvalue().decode("utf-8")


@pytest.fixture
def cli_process():
    """Run `python -m scoring ARGS` as a real process from the project root."""

    def run(*args, stdin=None, cwd=ROOT):
        return subprocess.run(
            [sys.executable, "-m", "scoring", *map(str, args)],
            input=stdin,
            capture_output=True,
            text=True,
            cwd=cwd,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
            timeout=60,
        )

    return run


@pytest.fixture(autouse=True)
def history_verifies(request, tmp_path):
    """After every test, every Debrief database the test left in its temporary folder must pass
    `python -m scoring verify` (unless the test tampers with one on purpose)."""
    from tests import world

    made_before = len(world._MADE)  # a module's world, made before this test, stays
    yield
    try:
        if request.node.get_closest_marker("tampered"):
            return
        from scoring.integrity import verify
        from scoring.store import Store

        # on PostgreSQL (DEBRIEF_TEST_ENGINE), the databases the test was given
        for url in world._MADE[made_before:]:
            report = verify(Store(url))
            assert report.ok, f"{url} does not verify: {report.problems[:3]}"
        for path in sorted(tmp_path.rglob("*.sqlite")):
            report = verify(Store(path))
            assert report.ok, f"{path.name} does not verify: {report.problems[:3]}"
    finally:
        world.drop_test_databases(made_before)


@pytest.fixture
def server(tmp_path, monkeypatch):
    """A local SMTP server, and the secrets file naming it (read by the service for links):
    yields the inbox and the mail settings."""
    from mailbox import secrets_file, smtp_server

    from scoring import mail

    with smtp_server() as (inbox, port):
        path = secrets_file(tmp_path, port)
        monkeypatch.setenv("DEBRIEF_SECRETS", str(path))
        yield inbox, mail.mail_settings(path)


@pytest.fixture(scope="session")
def browser():
    """One Chromium (Debian's, through Playwright) for every test of a process that needs a
    browser: the browser tests and the security tests that drive one. One Playwright per process:
    a second one started while the first runs fails ("Sync API inside the asyncio loop")."""
    from harness import launch
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = launch(playwright)
        yield chromium
        chromium.close()
