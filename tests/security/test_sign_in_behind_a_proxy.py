"""Behind a proxy each browser is its own client (issue 22, attack 2): with `[sign_in]
trusted_proxies` and `client_header` set, a stranger guessing a person's code through the same
proxy is slowed, and the person, through that proxy with the right code, signs in at once. In a
real server and Chromium; the proxy here is the test, writing X-Real-IP as nginx would."""

from __future__ import annotations

import contextlib
import socket
import subprocess
import time
from contextlib import contextmanager
from datetime import timedelta

import pytest
from harness import free_port, settle, streamlit_server, visit

from scoring import people
from scoring.errors import SignInFailed
from scoring.store import now_utc
from world import build

STRANGER, ANA = "203.0.113.9", "198.51.100.7"


@contextmanager
def proxy_for(folder, upstream: int, client: str):
    """HAProxy on a free port in front of the server, telling it every request comes from
    `client` (X-Real-IP), as the organisation's proxy would; yields its URL."""
    port = free_port()
    config = folder / f"proxy-{port}.cfg"
    config.write_text(
        "defaults\n  mode http\n  timeout connect 5s\n  timeout client 1h\n"
        "  timeout server 1h\n  timeout tunnel 1h\n"
        f"frontend in\n  bind 127.0.0.1:{port}\n"
        f"  http-request set-header X-Real-IP {client}\n  default_backend app\n"
        f"backend app\n  server app 127.0.0.1:{upstream}\n"
    )
    process = subprocess.Popen(["haproxy", "-db", "-f", str(config)])
    try:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", port)) == 0:
                    break
            time.sleep(0.05)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=10)


def try_code(page, email: str, code: str) -> str:
    """Type an email and a code key by key, press Sign in; what the page then says."""
    form = page.get_by_test_id("stForm")
    for name, text in (("Email", email), ("Access code", code)):
        form.get_by_role("textbox", name=name).click()
        page.keyboard.press("Control+a")  # the form keeps what was typed after a refusal
        page.keyboard.type(text, delay=5)
    form.get_by_role("button", name="Sign in").click()
    settle(page)
    return page.locator("[data-testid=stApp]").inner_text()


@pytest.mark.e2e
def test_a_guesser_behind_the_same_proxy_does_not_lock_the_person_out(tmp_path, browser):
    world = build(tmp_path / "proxy.sqlite")
    code = people.issue_code(world.store, world.coordinator, world.ana.id)
    secrets = tmp_path / "secrets.toml"
    secrets.write_text(
        '[sign_in]\ntrusted_proxies = ["127.0.0.1", "::1"]\nclient_header = "X-Real-IP"\n'
    )
    # The stranger's guessing so far, twelve wrong codes ten minutes apart, as a server behind
    # the proxy may see them: from the stranger's own address, or (not telling browsers apart)
    # from "unknown".
    last = now_utc() - timedelta(seconds=5)
    for client in (STRANGER, "unknown"):
        for n in range(12):
            at = last - timedelta(minutes=10 * (11 - n))
            with contextlib.suppress(SignInFailed):  # or refused: too many for that email
                people.sign_in(world.store, "ana@example.com", "AAAA", now=at, client=client)
    with streamlit_server(
        world.store.location, extra_args=("--secrets.files", str(secrets))
    ) as url:
        stranger = ana_browser = None
        # A real proxy in front of the server for each person, writing the header it trusts
        # (a browser's own headers do not reach the websocket in every Chromium).
        upstream = int(url.rsplit(":", 1)[1].split("/")[0])
        with (
            proxy_for(tmp_path, upstream, STRANGER) as via_stranger,
            proxy_for(tmp_path, upstream, ANA) as via_ana,
        ):
            try:
                stranger = browser.new_context()
                guesser = visit(stranger.new_page(), via_stranger)
                said = try_code(guesser, "ana@example.com", "AAAA-BBBB-CCCC-DDDD")
                assert "Too many wrong codes" in said  # the guesser is slowed
                ana_browser = browser.new_context()
                ana = visit(ana_browser.new_page(), via_ana)
                said = try_code(ana, "ana@example.com", code)
                assert "Too many wrong codes" not in said
                assert "Ana Alvarez" in ana.locator("[data-testid=stSidebar]").inner_text()
            finally:
                for context in (stranger, ana_browser):
                    if context is not None:
                        context.close()
