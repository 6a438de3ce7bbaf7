"""The sign-in form: a personal access code, or a company account when SSO is configured."""

from __future__ import annotations

import contextlib

import streamlit as st
from streamlit.errors import StreamlitPageNotFoundError

from scoring.text import plain_markdown
from ui import session


def sign_in_form(key: str = "main", width: int | str = "stretch") -> None:
    """Email and access code; plus "Sign in with your company account" under SSO."""
    if session.sso_configured():
        refusal = st.session_state.get("sso_refusal")
        if refusal:
            st.error(plain_markdown(refusal), icon=":material/block:")
            if st.button("Sign out of the company account", key=f"sso_out_{key}"):
                session.sign_out()
        else:
            st.button(
                "Sign in with your company account",
                key=f"sso_{key}",
                type="primary",
                icon=":material/badge:",
                on_click=st.login,
            )
        st.caption("Or use the personal access code a coordinator gave you:")
    # A new form after each sign-in, so a code never lingers in a field.
    key = f"{key}{st.session_state.get('sign_ins', 0) or ''}"
    with st.form(f"sign_in_{key}", border=True, width=width):
        st.text_input("Email", key=f"email_{key}", autocomplete="email", type="email")
        st.text_input(
            "Access code",
            key=f"code_{key}",
            type="password",
            placeholder="XXXX-XXXX-XXXX-XXXX",
            help="The personal code a coordinator gave you. Ask them for a new one if it is lost.",
        )
        st.form_submit_button(
            "Sign in", type="primary", width="stretch", on_click=_submit, args=(key,)
        )
        problem = st.session_state.pop(f"sign_in_problem_{key}", None)
        if problem:
            st.error(plain_markdown(problem), icon=":material/error:")


def _submit(key: str) -> None:
    """Sign in, before the run the button starts draws anything (a callback). Signed in, that
    run is the person's: from the front door their first screen at once (the switch replaces
    the run: the sign-in page is not drawn again only to be left, nor the root page run only to
    switch); from a page's own guard, that page. Refused, the form says why."""
    email = st.session_state.get(f"email_{key}", "")
    code = st.session_state.get(f"code_{key}", "")
    with session.store().one_connection():
        problem = session.sign_in_with_code(email, code)
        landing = session.landing_page() if not problem else None
    if problem:
        st.session_state[f"sign_in_problem_{key}"] = problem
        return
    st.session_state.sign_ins = st.session_state.get("sign_ins", 0) + 1
    if key.startswith("main") and landing:
        # No page registered before this run (AppTest's runs start afresh): the run goes to the
        # app's root, whose start page switches to the same first screen.
        with contextlib.suppress(StreamlitPageNotFoundError):
            st.switch_page(landing)
