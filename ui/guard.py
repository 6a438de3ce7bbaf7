"""The guard every page starts with.

Streamlit can run a file in pages/ directly for a request to its URL, without app.py, so a check
in app.py alone would let anyone in. Each page calls `require(screen)` first: unless the permission
table (`scoring.permissions`, action `use_screen`) lets the signed-in person use that screen, the
page shows a sign-in prompt and stops. A fragment (a part of a page that reruns alone, such as
the scorecard's form) calls `require_again(screen)` first: its reruns do not run the page's lines.
"""

from __future__ import annotations

import streamlit as st

from scoring.permissions import ROLE_TITLES, SCREENS, Person, Screen, may
from scoring.text import plain_markdown
from ui.menu import HIDE_FOLDER_MENU, own_menu, reached_directly
from ui.session import signed_in, still_signed_in, store
from ui.signin import sign_in_form


def require(screen: str) -> Person:
    """The signed-in person if they may use `screen`; otherwise a sign-in prompt, and stop."""
    actor = signed_in()
    if may(actor, "use_screen", Screen(screen)):
        if reached_directly():  # app.py draws the menu for the pages it runs
            st.html(HIDE_FOLDER_MENU)
            own_menu(actor)
        if store().read_only:
            st.warning(
                "Debrief is in read-only mode just now: you can read what you may, but nothing"
                " can be saved until its database is writable again.",
                icon=":material/lock_clock:",
            )
        return actor
    wanted = " or ".join(ROLE_TITLES[r].lower() for r in SCREENS[screen])
    wanted = ("an " if wanted[0] in "aeiou" else "a ") + wanted
    if actor is None:
        st.info(f"Sign in to continue. This page is for {wanted}.", icon=":material/lock:")
    else:
        st.warning(
            f"This page is for {wanted}. You are signed in as"
            f" {plain_markdown(actor.name, one_line=True)}, who is not."
            " Sign in as someone who is, or go back to your own screens.",
            icon=":material/lock:",
        )
    # A page that Streamlit ran straight from pages/ gets that folder's own menu; a visitor
    # without the role should not even see the names of the screens.
    st.html(HIDE_FOLDER_MENU)
    sign_in_form(key="guard")
    st.stop()


def require_again(screen: str) -> Person:
    """`require` for a fragment's rerun: the signed-in person, re-read, if they may still use
    `screen`. Otherwise the whole page runs again, and its `require` says why and stops: a
    person signed out elsewhere, deactivated, or whose role was just removed is refused on
    their next click, in a fragment as on the page."""
    actor = still_signed_in()
    if may(actor, "use_screen", Screen(screen)):
        return actor
    st.rerun(scope="app")
