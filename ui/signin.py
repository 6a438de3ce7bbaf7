"""The sign-in form: a personal access code, or a company account when SSO is configured."""

from __future__ import annotations

import streamlit as st

from scoring.text import plain_markdown
from ui import session


def sign_in_form(key: str = "main") -> None:
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
    with st.form(f"sign_in_{key}", border=True):
        email = st.text_input("Email", key=f"email_{key}", autocomplete="email", type="email")
        code = st.text_input(
            "Access code",
            key=f"code_{key}",
            type="password",
            placeholder="XXXX-XXXX-XXXX-XXXX",
            help="The personal code a coordinator gave you. Ask them for a new one if it is lost.",
        )
        if st.form_submit_button("Sign in", type="primary", width="stretch"):
            problem = session.sign_in_with_code(email, code)
            if problem:
                st.error(plain_markdown(problem), icon=":material/error:")
            else:
                st.session_state.sign_ins = st.session_state.get("sign_ins", 0) + 1
                # From the front door, straight to the first screen (one run, not two); from a
                # page's own guard, that page again.
                landing = session.landing_page()
                if key.startswith("main") and landing:
                    st.switch_page(landing)
                st.rerun()
