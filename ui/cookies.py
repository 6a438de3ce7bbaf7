"""The sign-in cookie: an HttpOnly, SameSite=Strict cookie carrying a session token, so that a
reload or a new tab of the same browser stays signed in.

Streamlit has no API to set a cookie from a script, and a cookie set by JavaScript cannot be
HttpOnly. So the server sets it: `server.py` starts the app through `st.App` with two routes of
ours. After a sign-in the page asks the browser (one same-origin `fetch`) to `POST
/api/session` with a one-time nonce in an `X-Debrief-Nonce` header; the route swaps the nonce
for the session token and sets the cookie. `POST /api/session/end` (with a nonce of its own)
ends the session and clears the cookie. Scripts read the cookie through `st.context.cookies`
(Streamlit reads it when the browser connects).

Nonces are kept in the database (`scoring.nonces`: by hash, the token sealed under the nonce),
so that with several server processes behind a proxy (`scripts/run --workers N`) any process
can trade a nonce another issued, and exactly once. Only a read-only database keeps them in
this process's memory (one process cannot write the file; the proxy's stickiness sends the
page's request back to it).

Login CSRF: another site's page must not sign a visitor's browser into someone else's account
(an attacker's nonce, posted by the attacker's page). Both routes refuse, with 403 and no
cookie, a request whose Origin or Referer is missing or not this app's own address, and one
without a nonce issued by this app's page in the header: a form cannot set a header, and a
script on another site cannot send one here without a CORS preflight that is never granted.

`[sign_in]` in .streamlit/secrets.toml says where requests come from behind a proxy:
`trusted_proxies` (addresses or networks), `client_header` (the header those proxies write the
browser's address into, e.g. X-Forwarded-For) and `public_url` (the address people open, when
the proxy does not pass the Host header on).
"""

from __future__ import annotations

import json
import secrets
import threading
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import urlsplit

import streamlit as st
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse

from scoring import nonces, people, throttle
from scoring.errors import StorageFailed
from scoring.store import Store, default_target

COOKIE = "debrief_session"
NONCE_HEADER = "X-Debrief-Nonce"
NONCE_SECONDS = int(nonces.LIFETIME.total_seconds())
END = nonces.END  # what an end nonce stands for (a set nonce stands for its session token)
# Only for a read-only database: one-time nonce -> (session token or END, expiry)
_READ_ONLY_NONCES: dict[str, tuple[str, float]] = {}
_LOCK = threading.Lock()


@dataclass(frozen=True)
class SignInSettings:
    """`[sign_in]` of .streamlit/secrets.toml: where requests come from behind a proxy."""

    trusted_proxies: tuple[str, ...] = ()
    client_header: str = ""
    public_url: str = ""


def sign_in_settings() -> SignInSettings:
    """The `[sign_in]` settings; none (the peer is the client) without a secrets file."""
    try:
        section = dict(st.secrets.get("sign_in", {}))
    except Exception:  # no secrets file at all, or one that does not parse
        return SignInSettings()
    proxies = section.get("trusted_proxies") or ()
    if isinstance(proxies, str):
        proxies = [proxies]
    return SignInSettings(
        trusted_proxies=tuple(str(p) for p in proxies),
        client_header=str(section.get("client_header") or ""),
        public_url=str(section.get("public_url") or ""),
    )


def client_of(peer: str | None, headers: Mapping[str, str], settings: SignInSettings) -> str:
    """The client's address for the sign-in throttle: the configured header only when the peer
    is a trusted proxy (`scoring.throttle.client_address`), else the peer."""
    forwarded = headers.get(settings.client_header) if settings.client_header else None
    return throttle.client_address(peer, forwarded, settings.trusted_proxies)


def _host(netloc: str, scheme: str = "") -> str:
    """host[:port] as compared: lower case, without the scheme's default port."""
    netloc = netloc.strip().lower()
    for default, port in (("http", ":80"), ("https", ":443")):
        if scheme in ("", default) and netloc.endswith(port):
            return netloc[: -len(port)]
    return netloc


def from_this_app(origin: str | None, referer: str | None, own: Iterable[str]) -> bool:
    """True when the request says it comes from a page of this app: an Origin or a Referer
    (at least one), each naming one of `own` (host[:port]). "null", another scheme or another
    address is not this app."""
    own = {_host(h) for h in own if h}
    said = [value for value in (origin, referer) if value]
    if not said or not own:
        return False
    for value in said:
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or _host(parts.netloc, parts.scheme) not in own:
            return False
    return True


def _peer_is_proxy(request: Request, settings: SignInSettings) -> bool:
    peer = request.client.host if request.client else None
    return throttle.is_trusted_proxy(peer, settings.trusted_proxies)


def _own_hosts(request: Request, settings: SignInSettings) -> list[str]:
    hosts = [request.headers.get("host", "")]
    if settings.public_url:
        public = urlsplit(settings.public_url)
        hosts.append(_host(public.netloc, public.scheme))
    if _peer_is_proxy(request, settings):
        hosts.append(request.headers.get("x-forwarded-host", "").split(",")[0])
    return hosts


def nonce_for(token: str | None, store: Store | None = None) -> str:
    """A one-time nonce the browser trades within a minute: for the cookie of `token`, or
    (None) for ending the session and clearing the cookie. Kept in `store` (a page passes its
    own, to use the run's one connection), else in $DEBRIEF_DB."""
    store = store or _store(str(default_target()))
    if not store.read_only:
        return nonces.issue(store, token)
    nonce = secrets.token_urlsafe(24)
    with _LOCK:
        now = time.monotonic()
        for stale in [n for n, (_, until) in _READ_ONLY_NONCES.items() if until < now]:
            del _READ_ONLY_NONCES[stale]
        _READ_ONLY_NONCES[nonce] = (END if token is None else token, now + NONCE_SECONDS)
    return nonce


def _take_kept_here(nonce: str, end: bool) -> str | None:
    with _LOCK:
        found = _READ_ONLY_NONCES.get(nonce)
        if found is None or (found[0] == END) != end:
            return None
        del _READ_ONLY_NONCES[nonce]
    token, until = found
    return token if until >= time.monotonic() else None


def take_nonce(nonce: str, end: bool) -> str | None:
    """The token (or END) a live nonce of this purpose stands for, using it up; None if it is
    not one (never issued, used, expired, or for the other purpose)."""
    kept_here = _take_kept_here(nonce, end)
    if kept_here is not None:
        return kept_here
    try:
        return nonces.take(_store(str(default_target())), nonce, end)
    except StorageFailed:  # a read-only database holds no nonce to use up
        return None


def script(nonce: str, end: bool = False) -> str:
    """The browser's part: one same-origin request, to set the cookie or (`end`) to clear it,
    with the page's nonce in a header."""
    route = "/api/session/end" if end else "/api/session"
    headers = json.dumps({NONCE_HEADER: nonce})
    call = f"fetch('{route}', {{method: 'POST', credentials: 'same-origin', headers: {headers}}});"
    return f"<script>/*{secrets.token_hex(4)}*/{call}</script>"


def _secure(request: Request) -> bool:
    # Browsers drop a Secure cookie over plain http, except on localhost.
    if request.url.scheme == "https" or request.url.hostname in ("localhost", "127.0.0.1"):
        return True
    settings = sign_in_settings()
    forwarded = request.headers.get("x-forwarded-proto", "").split(",")[0].strip()
    return forwarded == "https" and _peer_is_proxy(request, settings)


async def _take(request: Request, end: bool) -> str | None:
    """The token (or END) the request's nonce stands for, if the request comes from this app's
    page with a live nonce of the right kind; the nonce is used up only then. The database
    write runs in a worker thread, off the event loop that serves every session's messages."""
    settings = sign_in_settings()
    origin, referer = request.headers.get("origin"), request.headers.get("referer")
    if not from_this_app(origin, referer, _own_hosts(request, settings)):
        return None  # checked first: a foreign post cannot even use up a page's nonce
    nonce = request.headers.get(NONCE_HEADER, "")
    return await run_in_threadpool(take_nonce, nonce, end)


def _refused() -> JSONResponse:
    return JSONResponse({"ok": False}, status_code=403)


async def set_cookie(request: Request) -> JSONResponse:
    """POST /api/session (nonce in X-Debrief-Nonce): set the sign-in cookie."""
    token = await _take(request, end=False)
    if not token:
        return _refused()
    answer = JSONResponse({"ok": True})
    answer.set_cookie(
        COOKIE,
        token,
        max_age=int(people.SESSION_ABSOLUTE.total_seconds()),
        path="/",
        httponly=True,
        secure=_secure(request),
        samesite="strict",
    )
    return answer


@lru_cache(maxsize=4)
def _store(path: str) -> Store:
    return Store(path)


def _end_session(token: str | None) -> None:
    people.end_session(_store(str(default_target())), token)


async def end_cookie(request: Request) -> JSONResponse:
    """POST /api/session/end (an end nonce in X-Debrief-Nonce): end the session the cookie
    carries, and clear the cookie. The database write runs in a worker thread: the event loop
    serves every session's messages and must not wait on the write lock."""
    if await _take(request, end=True) is None:
        return _refused()
    await run_in_threadpool(_end_session, request.cookies.get(COOKIE))
    answer = JSONResponse({"ok": True})
    answer.delete_cookie(
        COOKIE, path="/", httponly=True, secure=_secure(request), samesite="strict"
    )
    return answer
