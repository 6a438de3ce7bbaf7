"""Login CSRF closed (issue 22, attack 5): a page on another site cannot sign a visitor's browser
into someone else's account. The cookie routes refuse (403, no cookie) a request whose Origin or
Referer is not this app's own address, and one without the nonce the page sends in a header."""

from __future__ import annotations

import urllib.error
import urllib.request

import pytest
from harness import settle, streamlit_server, visit

from scoring import people
from ui.cookies import from_this_app
from world import build

EVIL = "https://evil.example"


def test_only_this_app_s_own_address_counts_as_this_app():
    own = ["localhost:8501"]
    assert from_this_app("http://localhost:8501", "http://localhost:8501/pipeline", own)
    assert from_this_app(None, "http://localhost:8501/", own)
    assert from_this_app("https://debrief.example.com", None, ["debrief.example.com:443"])
    assert not from_this_app(None, None, own)  # saying nothing is not this app
    assert not from_this_app("null", None, own)  # a sandboxed frame, a data: page
    assert not from_this_app(EVIL, "http://localhost:8501/", own)
    assert not from_this_app("http://localhost:8501", f"{EVIL}/page", own)
    assert not from_this_app("http://localhost:8501.evil.example", None, own)
    assert not from_this_app("http://localhost:8502", None, own)
    assert not from_this_app("file://localhost:8501", None, own)


def post(url: str, headers: dict, body: bytes = b"") -> tuple[int, str | None]:
    """POST as a plain HTTP client: (status, the Set-Cookie header)."""
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:
            return answer.status, answer.headers.get("set-cookie")
    except urllib.error.HTTPError as refused:
        return refused.code, refused.headers.get("set-cookie")


def type_into(page, box, text: str) -> None:
    box.click()
    page.keyboard.type(text, delay=5)


@pytest.mark.e2e
def test_another_site_cannot_sign_a_browser_into_the_attacker_s_account(tmp_path, browser):
    """The attacker signs in to their own account and keeps the nonce their page was given
    (the request that would trade it is stopped); a page on another site then posts it to
    /api/session for the victim's browser, as a form would and as a script would: 403 and no
    cookie each time. The same nonce from the app's own page still sets the cookie."""
    world = build(tmp_path / "csrf.sqlite")
    code = people.issue_code(world.store, world.coordinator, world.ana.id)
    with streamlit_server(world.store.location) as url:
        context = browser.new_context()
        try:
            page = context.new_page()
            kept = []

            def keep(route):
                request = route.request
                kept.append((request.headers, request.post_data or ""))
                route.abort()

            page.route("**/api/session", keep)
            visit(page, url)
            form = page.get_by_test_id("stForm")
            type_into(page, form.get_by_role("textbox", name="Email"), "ana@example.com")
            type_into(page, form.get_by_role("textbox", name="Access code"), code)
            form.get_by_role("button", name="Sign in").click()
            settle(page)
            for _ in range(50):
                if kept:
                    break
                page.wait_for_timeout(100)
            assert kept, "the page never asked for its cookie"
        finally:
            context.close()
        headers, body = kept[0]
        nonce = headers.get("x-debrief-nonce", "")
        body = body.encode() or b"{}"
        target = f"{url}/api/session"
        foreign = {"Origin": EVIL, "Referer": f"{EVIL}/win-a-prize"}
        # a form (text/plain, so its body reads as JSON) with the attacker's nonce
        as_form = {**foreign, "Content-Type": "text/plain"}
        assert post(target, as_form, body) == (403, None)
        # a script that could send the header (a preflight would stop it first anyway)
        as_script = {**foreign, "Content-Type": "application/json", "X-Debrief-Nonce": nonce}
        assert post(target, as_script, body) == (403, None)
        # the right nonce but saying nothing of where it comes from
        assert post(target, {"X-Debrief-Nonce": nonce}, body) == (403, None)
        # from the app's own page, without the nonce in its header
        own = {"Origin": url, "Referer": f"{url}/", "Content-Type": "application/json"}
        assert post(target, own, body) == (403, None)
        # and ending someone's session from another site is refused the same way
        assert post(f"{url}/api/session/end", as_script, b"") == (403, None)
        # none of the refusals used up the nonce: from the app's own page it sets the cookie
        status, cookie = post(target, {**own, "X-Debrief-Nonce": nonce}, body)
        assert status == 200 and cookie.startswith("debrief_session=")
        assert "HttpOnly" in cookie and "SameSite=strict" in cookie
