"""Debrief on every core, in real Chromium (issue 25): `scripts/run --workers 2` puts HAProxy in
front of two workers on one SQLite file. A person signs in key by key, reloads and stays signed
in, opens a scorecard and submits it, every request and every websocket of that browser answered
by one worker;
two browsers land on different workers; with a worker killed, a new browser still signs in,
and the launcher starts the worker again."""

from __future__ import annotations

import os
import signal
import time
import urllib.request

import pytest
from cluster import running_workers
from harness import settle, visit
from test_blind_scoring import open_scorecard, score_by_clicks

from scoring import people
from world import build

pytestmark = [pytest.mark.e2e, pytest.mark.slow]


def type_sign_in(page, email: str, code: str) -> None:
    form = page.get_by_test_id("stForm")
    for name, text in (("Email", email), ("Access code", code)):
        form.get_by_role("textbox", name=name).click()
        page.keyboard.type(text, delay=20)  # key by key
    form.get_by_role("button", name="Sign in").click()
    settle(page)


def signed_in_as(page, name: str, seconds: float = 20) -> bool:
    """The sidebar names the person within `seconds`: a busy machine (a worker being started
    again) may begin the sign-in's rerun after `settle` has looked."""
    sidebar = page.locator("[data-testid=stSidebar]")
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if sidebar.count() > 0 and name in sidebar.inner_text():
            return True
        page.wait_for_timeout(200)
    return False


def wait_for_cookie(context, name="debrief_session", timeout_ms=15_000):
    for _ in range(timeout_ms // 100):
        found = [c for c in context.cookies() if c["name"] == name]
        if found:
            return found[0]
        context.pages[0].wait_for_timeout(100)
    raise AssertionError(f"no {name} cookie")


def workers_seen(page, url: str) -> tuple[list[str], list[str]]:
    """Every response from the app to this page names the worker that answered it: the HTTP
    ones (Playwright's responses) and, apart, each websocket's handshake (Playwright shows no
    headers of a websocket: Chromium's own protocol does)."""
    seen: list[str] = []
    sockets: list[str] = []
    page.on(
        "response",
        lambda r: (
            seen.append(r.headers.get("x-debrief-worker", "none"))
            if r.url.startswith(url)
            else None
        ),
    )
    devtools = page.context.new_cdp_session(page)
    devtools.send("Network.enable")

    def handshake(event: dict) -> None:
        headers = {k.lower(): v for k, v in event["response"]["headers"].items()}
        sockets.append(headers.get("x-debrief-worker", "none"))

    devtools.on("Network.webSocketHandshakeResponseReceived", handshake)
    return seen, sockets


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    world = build(tmp_path_factory.mktemp("workers") / "workers.sqlite")
    codes = {
        who: people.issue_code(world.store, world.coordinator, world.person(who).id)
        for who in ("ana", "bo", "cy")
    }
    with running_workers(world.store.location, workers=2) as cluster:
        yield cluster, world, codes


def test_a_person_signs_in_reloads_and_submits_all_on_one_worker(cluster, browser):
    running, world, codes = cluster
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(30_000)
    try:
        page = context.new_page()
        seen, sockets = workers_seen(page, running.url)
        visit(page, running.url)
        type_sign_in(page, "ana@example.com", codes["ana"])
        assert signed_in_as(page, "Ana Alvarez")
        session = wait_for_cookie(context)  # set by POST /api/session, through the proxy
        assert session["httpOnly"] and session["sameSite"] == "Strict"
        page.reload()
        settle(page)
        assert signed_in_as(page, "Ana Alvarez")  # the cookie, read by whichever worker
        open_scorecard(page)
        score_by_clicks(page)
        with world.store.read() as db:
            submitted = db.execute(
                "SELECT count(*) FROM scorecards WHERE assignment_id = ?", [world.seats["ana"]]
            ).fetchone()[0]
        assert submitted == 1
        worker = wait_for_cookie(context, "debrief_worker")["value"]
        assert set(seen) == {worker}, seen  # every request of this browser: one worker
        # and every websocket: the first page's and the reloaded page's, each on that worker
        assert len(sockets) >= 2 and set(sockets) == {worker}, sockets
    finally:
        context.close()


def test_two_browsers_land_on_different_workers(cluster, browser):
    running, _, _ = cluster
    contexts = [browser.new_context() for _ in range(2)]
    try:
        landed = []
        for context in contexts:
            answer = context.new_page().goto(running.url)
            landed.append(answer.headers["x-debrief-worker"])
            settle(context.pages[0])
        assert sorted(landed) == ["w1", "w2"]
        for context, worker in zip(contexts, landed, strict=True):
            context.pages[0].reload()
            settle(context.pages[0])
            assert wait_for_cookie(context, "debrief_worker")["value"] == worker
    finally:
        for context in contexts:
            context.close()


def test_with_a_worker_killed_a_new_browser_still_signs_in(cluster, browser):
    running, _, codes = cluster
    victim = running.worker_pid(1)
    os.kill(victim, signal.SIGKILL)
    context = browser.new_context()
    context.set_default_timeout(30_000)
    try:
        page = context.new_page()
        answer = page.goto(running.url)
        assert answer.headers["x-debrief-worker"] == "w2"
        settle(page)
        type_sign_in(page, "bo@example.com", codes["bo"])
        assert signed_in_as(page, "Bo Berg")
        wait_for_cookie(context)
    finally:
        context.close()
    # the launcher starts the killed worker again, on its port
    deadline = time.monotonic() + 60
    while True:
        try:
            url = f"http://127.0.0.1:{running.worker_ports[0]}/_stcore/health"
            with urllib.request.urlopen(url, timeout=2) as health:
                if health.read() == b"ok":
                    break
        except OSError:
            pass
        assert time.monotonic() < deadline, "the killed worker was not started again"
        time.sleep(0.5)
    assert running.worker_pid(1) != victim
    assert any("worker w1 stopped" in line for line in running.log)
