"""The sign-in cookie: an HttpOnly, SameSite=Strict cookie carrying a session token, so that a
reload or a new tab of the same browser stays signed in.

Streamlit has no API to set a cookie from a script, and a cookie set by JavaScript cannot be
HttpOnly. So the server sets it: `server.py` starts the app through `st.App` with two routes of
ours. After a sign-in the page asks the browser (one same-origin `fetch`) to `POST
/api/session` with a one-time nonce; the route swaps the nonce for the session token and sets the
cookie. `POST /api/session/end` ends the session and clears the cookie. Scripts read the cookie
through `st.context.cookies` (Streamlit reads it when the browser connects).
"""

from __future__ import annotations

import json
import secrets
import threading
import time
from functools import lru_cache

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse

from scoring import people
from scoring.store import Store, default_path

COOKIE = "debrief_session"
NONCE_SECONDS = 60
_NONCES: dict[str, tuple[str, float]] = {}  # one-time nonce -> (session token, expiry)
_LOCK = threading.Lock()


def nonce_for(token: str) -> str:
    """A one-time nonce the browser trades for the cookie within a minute."""
    nonce = secrets.token_urlsafe(24)
    with _LOCK:
        now = time.monotonic()
        for stale in [n for n, (_, until) in _NONCES.items() if until < now]:
            del _NONCES[stale]
        _NONCES[nonce] = (token, now + NONCE_SECONDS)
    return nonce


def script(nonce: str | None) -> str:
    """The browser's part: one same-origin request, to set (with a nonce) or to end."""
    if nonce is None:
        call = "fetch('/api/session/end', {method: 'POST', credentials: 'same-origin'});"
    else:
        body = json.dumps({"nonce": nonce})
        call = (
            "fetch('/api/session', {method: 'POST', credentials: 'same-origin',"
            f" headers: {{'Content-Type': 'application/json'}}, body: {json.dumps(body)}}});"
        )
    return f"<script>/*{secrets.token_hex(4)}*/{call}</script>"


def _secure(request: Request) -> bool:
    # Browsers drop a Secure cookie over plain http, except on localhost.
    return request.url.scheme == "https" or request.url.hostname in ("localhost", "127.0.0.1")


async def set_cookie(request: Request) -> JSONResponse:
    """POST /api/session {"nonce": ...}: set the sign-in cookie."""
    try:
        nonce = (await request.json()).get("nonce", "")
    except ValueError:
        nonce = ""
    with _LOCK:
        token, until = _NONCES.pop(str(nonce), (None, 0.0))
    if token is None or until < time.monotonic():
        return JSONResponse({"ok": False}, status_code=403)
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
    people.end_session(_store(str(default_path())), token)


async def end_cookie(request: Request) -> JSONResponse:
    """POST /api/session/end: end the session the cookie carries, and clear the cookie. The
    database write runs in a worker thread: the event loop serves every session's messages
    and must not wait on the write lock."""
    await run_in_threadpool(_end_session, request.cookies.get(COOKIE))
    answer = JSONResponse({"ok": True})
    answer.delete_cookie(
        COOKIE, path="/", httponly=True, secure=_secure(request), samesite="strict"
    )
    return answer
