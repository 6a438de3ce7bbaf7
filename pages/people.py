"""People: add someone, change their roles, issue or reset their access code, deactivate."""

import streamlit as st

from scoring import people
from scoring.errors import DebriefError
from scoring.lookalikes import lookalike_warnings
from scoring.permissions import ROLE_TITLES, ROLES
from scoring.text import EMAIL_MAX, NAME_MAX, isolate, neutral_bidi, plain_markdown
from ui.guard import require
from ui.session import store
from ui.widgets import (
    flash,
    forget_problem,
    problem_on_top,
    problem_under,
    remember_problem,
    show_flash,
    show_problem,
    table,
)

actor = require("people")
st.title("People")
show_flash()

fresh = st.session_state.get("fresh_code")
if fresh:
    with st.container(border=True):
        who = plain_markdown(fresh["name"], one_line=True)
        st.markdown(f"**Access code for {who}** ({plain_markdown(fresh['email'])})")
        st.code(fresh["code"], language=None)
        st.caption(
            "Shown once: Debrief keeps only a hash of it. Copy it now (the button at the right"
            " of the code) and give it to them privately."
        )
        if st.button("Done, I have passed it on", type="primary"):
            del st.session_state.fresh_code
            st.rerun()


def remember_code(person, code: str) -> None:
    st.session_state.fresh_code = {"name": person.name, "email": person.email, "code": code}


directory_page = st.session_state.get("people_page", 1)
directory = people.find_people(store(), actor, page=directory_page)
table(
    [
        {
            "name": neutral_bidi(p.name),  # a cell of its own: nothing to reorder but itself
            "email": p.email,
            "roles": people.roles_in_words(p.roles),
            "active": "yes" if p.active else "no (history kept)",
        }
        for p in directory.rows
    ]
)
if directory.pages > 1:
    st.caption(f"{directory.total} people, by name: page {directory.page} of {directory.pages}.")
    back, forward = st.columns(2)
    if back.button("Previous page", disabled=directory.page <= 1):
        st.session_state.people_page = directory.page - 1
        st.rerun()
    if forward.button("Next page", disabled=directory.page >= directory.pages):
        st.session_state.people_page = directory.page + 1
        st.rerun()

add, edit = st.columns(2, gap="large")
# A new form (fresh keys) after each person added; after a refusal, what was typed stays.
added = st.session_state.get("people_added", 0)
with add, st.form(f"add_person_{added}"):
    st.header("Add someone")
    problem_on_top("add_person", ("name", "email", "roles"))
    name = st.text_input("Name", max_chars=NAME_MAX)
    problem_under("add_person", "name")
    email = st.text_input("Email", type="email", max_chars=EMAIL_MAX)
    problem_under("add_person", "email")
    roles = st.multiselect("Roles", ROLES, default=["interviewer"], format_func=ROLE_TITLES.get)
    problem_under("add_person", "roles")
    give_code = st.checkbox("Issue their access code now", value=True)
    if st.form_submit_button("Add person", type="primary"):
        try:
            person = people.add_person(store(), actor, name, email, roles)
            if give_code:
                remember_code(person, people.issue_code(store(), actor, person.id))
        except DebriefError as problem:
            remember_problem("add_person", problem)
        else:
            forget_problem("add_person")
            st.session_state.people_added = added + 1
            # "Аna" with a Cyrillic А is someone else: said now, while they can still fix it
            flash(f"{isolate(person.name)} added.", lookalike_warnings(person.name, person.email))
            st.rerun()

with edit, st.container(border=True):
    st.header("Change someone")
    search = st.text_input("Find someone", placeholder="Part of a name or email")
    matching = (people.find_people(store(), actor, search) if search.strip() else directory).rows
    if not matching:
        st.caption("Nobody matches.")
        st.stop()
    person = st.selectbox(
        "Person",
        matching,
        format_func=lambda p: (
            f"{isolate(p.name)} <{p.email}>" + ("" if p.active else " (inactive)")
        ),
    )
    new_roles = st.multiselect(
        "Roles",
        ROLES,
        default=[r for r in ROLES if r in person.roles],
        format_func=ROLE_TITLES.get,
        key=f"roles_{person.id}",
    )
    save, code, active = st.columns(3)
    try:
        if save.button("Save roles", disabled=set(new_roles) == set(person.roles)):
            people.update_person(store(), actor, person.id, roles=new_roles)
            flash(f"Roles of {isolate(person.name)} saved.")
            st.rerun()
        if code.button(
            "New code",
            disabled=not person.active,
            help="A new code replaces the old one at once.",
        ):
            remember_code(person, people.issue_code(store(), actor, person.id))
            st.rerun()
        if person.active and active.button("Deactivate", help="They can no longer sign in."):
            people.set_active(store(), actor, person.id, False)
            flash(f"{isolate(person.name)} is deactivated. Their scorecards and history are kept.")
            st.rerun()
        if not person.active and active.button("Reactivate"):
            people.set_active(store(), actor, person.id, True)
            flash(f"{isolate(person.name)} is active again. Issue them a new code.")
            st.rerun()
    except DebriefError as problem:
        show_problem(problem)
