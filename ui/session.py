"""The store, the rubric catalog and who is signed in, for this browser session."""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import NoReturn

import streamlit as st

from scoring import people
from scoring.errors import DebriefError, NotFound, SignInFailed, StorageFailed
from scoring.permissions import Person
from scoring.rubric import Catalog, load_catalog
from scoring.store import Store, default_target
from scoring.text import plain_markdown
from ui import cookies
from ui.menu import menu_of

ROOT = Path(__file__).resolve().parent.parent


def rubrics_folder() -> Path:
    """``$DEBRIEF_RUBRICS`` when set, else the project's rubrics/ folder."""
    return Path(os.environ.get("DEBRIEF_RUBRICS") or ROOT / "rubrics")


_STORES: dict[str, Store] = {}
_OPENING = threading.Lock()


def _store(path: str) -> Store:
    # Once per server process and file, as st.cache_resource would, at a dictionary's cost: this
    # is asked several times a run, and the cache's key hashing cost ~50 µs each. A file that
    # failed to open is not kept: the next run tries again.
    found = _STORES.get(path)
    if found is None:
        with _OPENING:
            found = _STORES.get(path)
            if found is None:
                found = _STORES[path] = Store(path)
    return found


def store() -> Store:
    """The Debrief database ($DEBRIEF_DB or data/debrief.sqlite), opened once per server. When
    it cannot be opened (damaged, unreadable), the page says so plainly and stops."""
    try:
        return _store(str(default_target()))
    except StorageFailed as failure:
        stop_for(failure)


def stop_for(failure: StorageFailed) -> NoReturn:
    """Show a storage failure as one plain message and stop the page."""
    st.error(
        plain_markdown(str(failure).replace(", and what you typed is still in the form", "")),
        icon=":material/database:",
    )
    st.stop()


@st.cache_resource
def _catalog(stamp: tuple[tuple[str, float], ...]) -> Catalog:
    del stamp  # only the cache key: any edited, added or removed file reloads the catalog
    return load_catalog(rubrics_folder())


def catalog() -> Catalog:
    """The rubric and loop files, reloaded when any of them changes."""
    folder = rubrics_folder()
    files = sorted(folder.glob("*.y*ml")) + sorted((folder / "loops").glob("*.y*ml"))
    return _catalog(tuple((str(f), f.stat().st_mtime) for f in files))


def sso_configured() -> bool:
    """True when .streamlit/secrets.toml has an [auth] section (single sign-on with OIDC)."""
    try:
        return "auth" in st.secrets
    except Exception:  # no secrets file at all
        return False


def _sso_person() -> Person | None:
    """Map a company-account sign-in (st.login) to a person, once per browser session."""
    if not sso_configured() or not st.user.is_logged_in:
        return None
    email = st.user.get("email") or ""
    if st.session_state.get("sso_email") != email:
        st.session_state.sso_email = email
        st.session_state.sso_refusal = None
        try:
            person = people.sign_in_verified(store(), email)
        except SignInFailed as refusal:
            st.session_state.sso_refusal = str(refusal)
        else:
            _begin(person, "sso")
    return None


def _begin(person: Person, how: str) -> None:
    """This tab is signed in; a session that lasts starts, and its cookie is asked for."""
    st.session_state.person_id = person.id
    try:
        token = people.start_session(store(), person, how)
    except StorageFailed:
        if not store().read_only:
            raise
        return  # read-only mode: signed in for this tab only
    st.session_state.session_token = token
    st.session_state.cookie_script = cookies.script(cookies.nonce_for(token, store()))


def _forget() -> None:
    for key in ("person_id", "session_token", "sso_email", "sso_refusal"):
        st.session_state.pop(key, None)


def _send_cookie_script() -> None:
    """Run the pending cookie request in the browser (once, in the run after the change)."""
    pending = st.session_state.pop("cookie_script", None)
    st.session_state.cookie_script_this_run = pending
    # A slot on every run, filled or not: an element drawn on one run only would move all that
    # follows it on the next, and Streamlit redraws a moved block afresh, taking the focus (and
    # the keys typed after) from the text box a person is typing in.
    slot = st.empty()
    if pending:
        slot.html(pending, unsafe_allow_javascript=True)


def keep_cookie_script() -> None:
    """Before a page switch (which drops what this run drew): the cookie request drawn in this
    run is drawn again in the next."""
    pending = st.session_state.pop("cookie_script_this_run", None)
    if pending:
        st.session_state.cookie_script = pending


_RUN = threading.local()  # Streamlit runs each session's script in a thread of its own


@contextlib.contextmanager
def checked_this_run(person: Person | None) -> Iterator[None]:
    """app.py's run: the person its `signed_in` just read is who `signed_in` gives the page it
    runs inside (its guard), instead of a second read of the same session a few milliseconds
    later. Only for this run: the next one (the next click) reads again, so a role removed or
    a session ended still takes effect on the next click."""
    _RUN.checked = (person,)
    try:
        yield
    finally:
        _RUN.checked = None


def signed_in() -> Person | None:
    """The signed-in person, re-read from the database on every run. A tab signed in here keeps
    its session token and checks it each time (sign out everywhere, a role change, a new code or
    deactivation end it); a new tab or a reload finds the session through the browser's
    cookie. Once a run: inside `checked_this_run`, the person app.py read in this run."""
    checked = getattr(_RUN, "checked", None)
    if checked is not None:
        return checked[0]
    _send_cookie_script()
    _sso_person()
    return still_signed_in()


def still_signed_in() -> Person | None:
    """The signed-in person re-read, as `signed_in` does, drawing nothing: for a fragment's rerun,
    where the page's own lines (its guard among them) do not run."""
    person_id = st.session_state.get("person_id")
    token = st.session_state.get("session_token")
    try:
        if person_id is None:
            carried = st.context.cookies.get(cookies.COOKIE)
            person = people.session_person(store(), carried) if isinstance(carried, str) else None
            if person is not None:
                st.session_state.person_id = person.id
                st.session_state.session_token = carried
            return person
        if token is not None:
            # The session's check re-reads its person on the same snapshot: no second read.
            person = people.session_person(store(), token)
            if person is None or person.id != person_id:
                _forget()
                return None
        else:  # signed in for this tab only: read-only mode could not start a session
            person = people.get_person(store(), person_id)
    except NotFound:
        person = None
    except StorageFailed as failure:
        stop_for(failure)
    if person is None or not person.active:
        _forget()
        return None
    return person


def session_ended() -> bool:
    """Has this tab's lasting session ended elsewhere (signed out everywhere, a new code,
    deactivated)? For a widget's callback, which runs before any guard of the rerun it starts
    and may draw nothing: it does not save for a session that is over. False for a tab signed in
    without one (read-only mode), and when the database cannot say (the save then fails and
    says so)."""
    token = st.session_state.get("session_token")
    if token is None:
        return False
    try:
        return people.session_person(store(), token) is None
    except StorageFailed:
        return False


def client_address() -> str:
    """The browser's address for the sign-in throttle: the peer's, or behind a trusted proxy
    the address that proxy writes into the configured header (`[sign_in]` in secrets.toml)."""
    # Streamlit says None for a peer on this machine (and when there is no connection at all).
    peer = st.context.ip_address
    settings = cookies.sign_in_settings()
    headers = {}
    if settings.client_header:
        # A header a proxy repeats is one list (X-Forwarded-For may come as several lines).
        found = st.context.headers.get_all(settings.client_header)
        headers = {settings.client_header: ", ".join(found)} if found else {}
    return cookies.client_of(peer if isinstance(peer, str) else "127.0.0.1", headers, settings)


def sign_in_with_code(email: str, code: str) -> str | None:
    """Sign in; returns None on success, else the message to show."""
    try:
        person = people.sign_in(store(), email, code, client=client_address())
        _begin(person, "code")
    except DebriefError as refusal:
        return str(refusal)
    _RUN.just_signed_in = person
    return None


def landing_page() -> str | None:
    """The page file of the first screen in the menu of whoever signed in during this run (what
    the app's root leads to), None when they have none: the sign-in can go there at once,
    instead of through a run of the root page that only switches to it."""
    person = getattr(_RUN, "just_signed_in", None)
    _RUN.just_signed_in = None
    sections = menu_of(person) if person is not None else {}
    for screens in sections.values():
        return f"pages/{screens[0][0]}.py"
    return None


def sign_out() -> None:
    """End this browser's session (every tab of it) and forget the signed-in person (and the
    company-account session, if any)."""
    with contextlib.suppress(StorageFailed):  # read-only mode: the cookie is cleared all the same
        people.end_session(store(), st.session_state.get("session_token"))
    _forget()
    st.session_state.cookie_script = cookies.script(cookies.nonce_for(None, store()), end=True)
    if sso_configured() and st.user.is_logged_in:
        st.logout()


def sign_out_everywhere() -> int:
    """End every session of the signed-in person, in every browser; returns how many."""
    person = signed_in()
    ended = people.end_all_sessions(store(), person) if person else 0
    sign_out()
    return ended
