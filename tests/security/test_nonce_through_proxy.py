"""Several workers behind HAProxy (issue 25), attacked: through the real proxy a forged nonce
sets no cookie and a used one cannot be replayed on either worker; X-Forwarded-For written by a
client counts for nothing, sent through the proxy or straight to a worker's port (the workers
believe only the proxy, which connects from 127.0.0.2), while the browser's own address is
what the sign-in throttle counts, not the proxy's."""

from __future__ import annotations

import subprocess
import urllib.error
import urllib.request

import pytest
from cluster import running_workers
from harness import settle

from scoring import nonces, people
from world import build

pytestmark = [pytest.mark.e2e, pytest.mark.slow]
FORGED = "203.0.113.77"


def post(url: str, headers: dict) -> tuple[int, str | None]:
    """(status, the sign-in cookie set, if any: the proxy's own cookie is not it)."""
    request = urllib.request.Request(url, data=b"", headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:
            status, cookies = answer.status, answer.headers.get_all("set-cookie") or []
    except urllib.error.HTTPError as refused:
        status, cookies = refused.code, refused.headers.get_all("set-cookie") or []
    session = [c for c in cookies if c.startswith("debrief_session=")]
    return status, session[0] if session else None


def own_address() -> str | None:
    """This machine's address on its network (not loopback): a browser opening it connects
    from it."""
    found = subprocess.run(["hostname", "-I"], capture_output=True, text=True).stdout.split()
    return next((a for a in found if "." in a and not a.startswith("127.")), None)


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    world = build(tmp_path_factory.mktemp("proxied") / "proxied.sqlite")
    with running_workers(world.store.location, workers=2) as running:
        yield running, world


def test_forged_and_replayed_nonces_set_no_cookie_through_the_proxy(cluster):
    running, world = cluster
    route = f"{running.url}/api/session"
    page = {"Origin": running.url, "Referer": f"{running.url}/"}
    status, cookie = post(route, {**page, "X-Debrief-Nonce": "forged-" + "A" * 25})
    assert status == 403 and cookie is None
    token = people.start_session(world.store, world.ana, "code")
    nonce = nonces.issue(world.store, token)  # as a worker's page would
    status, cookie = post(route, {**page, "X-Debrief-Nonce": nonce, "Cookie": "debrief_worker=w1"})
    assert status == 200 and cookie and "debrief_session=" in cookie
    for worker in ("w1", "w2"):  # the same nonce again, on each worker
        status, cookie = post(
            route, {**page, "X-Debrief-Nonce": nonce, "Cookie": f"debrief_worker={worker}"}
        )
        assert status == 403 and cookie is None


def test_a_forwarded_host_a_client_writes_is_not_believed(cluster):
    """X-Forwarded-Host from a trusted proxy adds an address of this app; HAProxy drops the
    client's, and a worker does not take it from a client that connects to it directly."""
    running, world = cluster
    token = people.start_session(world.store, world.bo, "code")
    nonce = nonces.issue(world.store, token)
    evil = {"Origin": "https://evil.example", "X-Forwarded-Host": "evil.example"}
    for url in (running.url, f"http://127.0.0.1:{running.worker_ports[0]}"):
        status, cookie = post(f"{url}/api/session", {**evil, "X-Debrief-Nonce": nonce})
        assert status == 403 and cookie is None
    assert nonces.take(world.store, nonce, end=False) == token  # never used up


def failing_clients(world) -> set[str]:
    with world.store.read() as db:
        rows = db.execute("SELECT DISTINCT client FROM sign_in_throttle").fetchall()
    return {r["client"] for r in rows} - {"*"}


def wrong_code(browser, url: str) -> None:
    context = browser.new_context(extra_http_headers={"X-Forwarded-For": FORGED})
    try:
        page = context.new_page()
        page.goto(url)
        settle(page)
        form = page.get_by_test_id("stForm")
        for name, text in (("Email", "cy@example.com"), ("Access code", "AAAA-BBBB-CCCC-DDDD")):
            form.get_by_role("textbox", name=name).click()
            page.keyboard.type(text, delay=5)
        form.get_by_role("button", name="Sign in").click()
        settle(page)
        assert "do not match" in page.locator("[data-testid=stApp]").inner_text()
    finally:
        context.close()


def test_the_throttle_counts_the_browser_not_the_proxy_nor_a_written_header(cluster, browser):
    running, world = cluster
    # straight to a worker's port, claiming another address: the worker sees 127.0.0.1
    wrong_code(browser, f"http://127.0.0.1:{running.worker_ports[1]}")
    assert failing_clients(world) == {"127.0.0.1"}
    # through the proxy, from this machine's network address, claiming another one: the
    # throttle counts that network address (not the proxy's 127.0.0.2, not the claim)
    address = own_address()
    if address is None:
        pytest.skip("no network address to connect from")
    wrong_code(browser, f"http://{address}:{running.port}")
    assert failing_clients(world) == {"127.0.0.1", address}
