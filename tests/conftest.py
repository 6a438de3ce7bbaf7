"""Shared fixtures: the project root and a way to run the command line as a user would."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# The app's background mail sender stays off in tests (AppTest runs app.py in this process, and
# test servers inherit this); the test of the sender turns it on for its own server.
os.environ["DEBRIEF_SEND_EVERY"] = "off"
# One audit key for every database the tests write (servers and the command line inherit it), so
# `verify` below checks each one's signatures; tests of the key itself set or remove their own.
os.environ["DEBRIEF_AUDIT_KEY"] = "tests-only audit key: not a secret, never used elsewhere"


@pytest.fixture
def cli():
    """Run `python -m scoring ARGS` from the project root; returns the CompletedProcess."""

    def run(*args, stdin=None, cwd=ROOT):
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        return subprocess.run(
            [sys.executable, "-m", "scoring", *map(str, args)],
            input=stdin,
            capture_output=True,
            text=True,
            cwd=cwd,
            env=env,
            timeout=60,
        )

    return run


@pytest.fixture(autouse=True)
def history_verifies(request, tmp_path):
    """After every test, every Debrief database the test left in its temporary folder must pass
    `python -m scoring verify` (unless the test tampers with one on purpose)."""
    yield
    if request.node.get_closest_marker("tampered"):
        return
    from scoring.integrity import verify
    from scoring.store import Store

    for path in sorted(tmp_path.rglob("*.sqlite")):
        report = verify(Store(path))
        assert report.ok, f"{path.name} does not verify: {report.problems[:3]}"


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
