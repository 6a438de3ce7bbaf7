"""A real `streamlit run server.py` (the app and its cookie routes) on a free port with its own
SQLite file, and Debian's Chromium driven by Playwright. Used by the end-to-end tests and by
scripts/screenshots.py."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

from playwright.sync_api import Browser, Page, Playwright

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
# Without the background-networking flags Chromium keeps dialling out of this closed network.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def log_path(db, script: Path) -> Path:
    """Where a server's log goes: beside its SQLite file, or in the temporary folder for a
    database on PostgreSQL (named after the database)."""
    if str(db).startswith("postgresql://"):
        return Path(tempfile.gettempdir()) / f"{str(db).rsplit('/', 1)[-1]}.{script.stem}.log"
    return Path(db).with_suffix(f".{script.stem}.log")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def running_streamlit(
    script: Path,
    db: Path,
    *,
    cwd: Path = ROOT,
    env: dict | None = None,
    args: tuple = (),
    port: int | None = None,
):
    """`streamlit run SCRIPT` on a free port (or `port`) with its own database (a SQLite file or
    a postgresql:// URL); yields its base URL and its process once /_stcore/health answers;
    stops it after. The log is beside the file (`log_path`)."""
    port = port or free_port()
    environment = {
        **os.environ,
        "DEBRIEF_DB": str(db),
        "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false",
        "STREAMLIT_SERVER_HEADLESS": "true",
        "STREAMLIT_SERVER_FILE_WATCHER_TYPE": "none",
        "PYTHONPATH": str(ROOT),
        **(env or {}),
    }
    log = open(log_path(db, script), "w")  # noqa: SIM115 - closed below
    process = subprocess.Popen(
        [
            *(sys.executable, "-m", "streamlit", "run", str(script)),
            *("--server.port", str(port), "--server.address", "127.0.0.1", *args),
        ],
        cwd=cwd,
        env=environment,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://localhost:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as answer:
                    if answer.read() == b"ok":
                        break
            except OSError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"streamlit did not start: see {log.name}")
            time.sleep(0.25)
        yield url, process
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


@contextmanager
def streamlit_server(
    db: Path, cwd: Path = ROOT, extra_env: dict | None = None, extra_args: tuple = (), port=None
):
    """The app (server.py) on its own database; yields its base URL once it answers."""
    with running_streamlit(
        ROOT / "server.py", db, cwd=cwd, env=extra_env, args=extra_args, port=port
    ) as (url, _):
        yield url


def whole_page_shot(page: Page, path: Path) -> None:
    """A screenshot of the whole page: Streamlit scrolls inside its main area, so the viewport
    grows to the content for the shot, then goes back."""
    path.parent.mkdir(parents=True, exist_ok=True)
    size = page.viewport_size
    height = page.evaluate(
        "Math.max(...[...document.querySelectorAll('[data-testid=stMain], section')]"
        ".map(e => e.scrollHeight))"
    )
    page.set_viewport_size({"width": size["width"], "height": max(height + 40, size["height"])})
    settle(page)
    page.screenshot(path=path)
    page.set_viewport_size(size)


def launch(playwright: Playwright) -> Browser:
    if not Path(CHROMIUM).exists():
        raise RuntimeError(f"{CHROMIUM} is missing: scripts/test installs Debian's chromium")
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)


def settle(page: Page, timeout: float = 30_000) -> None:
    """Wait until the app has finished running its script; fail if it drew an exception."""
    page.wait_for_timeout(100)  # a click's rerun may not have started yet
    page.wait_for_selector(
        "[data-testid=stApp][data-test-script-state=notRunning]", timeout=timeout
    )
    page.wait_for_function("!document.querySelector('[data-testid=stSkeleton]')", timeout=timeout)
    page.wait_for_timeout(150)  # let the last deltas paint
    failed = page.get_by_test_id("stException")
    # an exception drawn on the page is a defect wherever a test happens to be
    assert failed.count() == 0, f"{page.url}: {failed.first.inner_text()}"


def visit(page: Page, url: str) -> Page:
    page.goto(url)
    settle(page)
    return page


def sign_in(page: Page, email: str, code: str) -> None:
    """Fill the sign-in form of the page and wait for the app to show who is signed in."""
    code_box = page.get_by_role("textbox", name="Access code")
    form = page.get_by_test_id("stForm").filter(has=code_box)
    form.get_by_role("textbox", name="Email").fill(email)
    form.get_by_role("textbox", name="Access code").fill(code)
    form.get_by_role("button", name="Sign in").click()
    # Done when the filled-in form is gone: signed in (or, on a page for another role, the
    # refusal with a fresh, empty form).
    page.wait_for_function(
        "code => ![...document.querySelectorAll('input[aria-label=\"Access code\"]')]"
        ".some(e => e.value === code)",
        arg=code,
        timeout=30_000,
    )
    settle(page)
