"""Debrief's front door: page configuration, sign-in, the role-based navigation. Nothing else.

Every page in pages/ also guards itself (ui.guard.require): Streamlit may run a page file
directly for a request to its URL.
"""

import streamlit as st

from ui import firstrun, session
from ui.signin import sign_in_form

st.set_page_config(page_title="Debrief", page_icon=":material/fact_check:", layout="wide")

# Each screen, and the roles that have it.
SCREENS = {
    "Interviews": [
        ("pages/my_interviews.py", "My interviews", ":material/assignment:", ("interviewer",)),
        # reached from My interviews (?assignment=ID), not from the menu
        ("pages/scorecard.py", "Scorecard", ":material/edit_note:", ("interviewer",), False),
    ],
    "Debrief": [
        (
            "pages/debrief_day.py",
            "Debrief",
            ":material/groups:",
            ("hiring_manager", "committee_member"),
        ),
        # reached from the day view (?candidate=ID), not from the menu
        (
            "pages/debrief.py",
            "Candidate debrief",
            ":material/gavel:",
            ("hiring_manager", "committee_member"),
            False,
        ),
    ],
    "Setup": [
        ("pages/openings.py", "Openings", ":material/work:", ("coordinator",)),
        ("pages/people.py", "People", ":material/group:", ("coordinator",)),
        ("pages/candidates.py", "Candidates", ":material/person_add:", ("coordinator",)),
        ("pages/interview_day.py", "Interview day", ":material/calendar_month:", ("coordinator",)),
        ("pages/status.py", "Status", ":material/checklist:", ("coordinator", "hiring_manager")),
        ("pages/rubrics.py", "Rubrics", ":material/rule:", ("coordinator", "hiring_manager")),
    ],
    "Records": [
        (
            "pages/decisions.py",
            "Decisions",
            ":material/download:",
            ("coordinator", "hiring_manager", "committee_member"),
        ),
    ],
}


def welcome() -> None:
    person = session.signed_in()
    st.title("Debrief")
    st.write(f"Signed in as **{person.name}**. Your screens are in the menu on the left.")


def sign_in_screen() -> None:
    st.title("Debrief")
    st.caption("Interview-day scoring: blind scorecards, one debrief page, explicit rules.")
    left, _ = st.columns([2, 3])
    with left:
        sign_in_form()


def screens_for(person) -> dict[str, list]:
    """The person's screens by section, then every other screen registered hidden, so a direct
    link to it reaches that page's own guard (a sign-in prompt) rather than "page not found".
    The first visible screen is the default."""
    visible: dict[str, list] = {}
    hidden: list = []
    for section, screens in SCREENS.items():
        for path, title, icon, roles, *menu in screens:
            if person is not None and any(person.has(role) for role in roles):
                if menu == [False]:
                    hidden.append(st.Page(path, title=title, icon=icon, visibility="hidden"))
                    continue
                default = not visible
                visible.setdefault(section, []).append(
                    st.Page(path, title=title, icon=icon, default=default)
                )
            else:
                hidden.append(st.Page(path, title=title, icon=icon, visibility="hidden"))
    return {**visible, "": hidden} if hidden else visible


person = session.signed_in()
if person is None:
    if firstrun.showing():
        front = st.Page(firstrun.first_run, title="Welcome", icon=":material/waving_hand:")
    else:
        front = st.Page(sign_in_screen, title="Sign in", icon=":material/login:")
    hidden = [p for pages in screens_for(None).values() for p in pages]
    st.navigation([front, *hidden], position="hidden").run()
else:
    sections = screens_for(person)
    if not any(name for name in sections):  # a person with no screen of their own yet
        home = st.Page(welcome, title="Home", icon=":material/home:", default=True)
        sections = {"": [home, *sections.get("", [])]}
    with st.sidebar:
        st.markdown(f"**{person.name}**  \n{person.email}")
        if st.button("Sign out", icon=":material/logout:"):
            session.sign_out()
            st.rerun()
    st.navigation(sections).run()
