"""First run: on an empty database, create the first coordinator or load the demo."""

from __future__ import annotations

import streamlit as st

from scoring import people
from scoring.demo import build_demo
from scoring.errors import DebriefError
from scoring.text import plain_markdown
from ui import session


def showing() -> bool:
    """True while the database has nobody in it, and until the codes just made are seen."""
    return "first_run_result" in st.session_state or people.nobody_yet(session.store())


def first_run() -> None:
    """The two things an empty Debrief offers."""
    st.title("Welcome to Debrief")
    st.write(
        "This Debrief has nobody in it yet. Create the first coordinator, who then sets up"
        " openings, people and interview days; or load a demo organisation to look around."
    )
    shown = st.session_state.get("first_run_result")
    if shown:
        show_result(shown)
        return
    left, right = st.columns(2, gap="large")
    with left, st.form("first_coordinator"):
        st.header("Create the first coordinator")
        name = st.text_input("Your name")
        email = st.text_input("Your email", type="email")
        if st.form_submit_button("Create coordinator", type="primary"):
            try:
                person, code = people.create_first_coordinator(session.store(), name, email)
            except DebriefError as problem:
                st.error(plain_markdown(str(problem)), icon=":material/error:")
            else:
                st.session_state.first_run_result = {
                    "kind": "coordinator",
                    "logins": [(person.name, person.email, "Coordinator", code)],
                }
                st.rerun()
    with right, st.container(border=True):
        st.header("Load the demo organisation")
        st.write(
            "Thirteen people, three openings (one per decision strategy, each with its stages"
            " from resume screen to offer), thirty candidates at every stage of the interview"
            " day and twenty-two before it, and a year of candidates, decisions and rated hires"
            " behind them. Every demo person gets a sign-in code."
        )
        if st.button("Load the demo"):
            try:
                logins = build_demo(session.store(), session.catalog())
            except DebriefError as problem:
                st.error(plain_markdown(str(problem)), icon=":material/error:")
            else:
                st.session_state.first_run_result = {
                    "kind": "demo",
                    "logins": [
                        (x.name, x.email, people.roles_in_words(x.roles), x.code) for x in logins
                    ],
                }
                st.rerun()


def show_result(result: dict) -> None:
    """The code(s) to sign in with, shown once."""
    if result["kind"] == "coordinator":
        name, email, _, code = result["logins"][0]
        st.success(
            f"{plain_markdown(name, one_line=True)} is the first coordinator.",
            icon=":material/check_circle:",
        )
        st.write(
            f"Your access code for **{plain_markdown(email, one_line=True)}**"
            " (shown once: copy it now):"
        )
        st.code(code, language=None)
    else:
        st.success("The demo organisation is loaded.", icon=":material/check_circle:")
        st.write("Sign in as any of these people (the codes are shown only now):")
        st.dataframe(
            [{"name": n, "email": e, "roles": r, "code": c} for n, e, r, c in result["logins"]],
            hide_index=True,
        )
    if st.button("Continue to sign in", type="primary"):
        del st.session_state.first_run_result
        st.rerun()
