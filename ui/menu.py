"""The app's menu, and whether this run came through it.

`app.py` builds its navigation from `MENU`. A page Streamlit ran straight from pages/ (a direct
URL, before app.py ever ran in that browser session) gets Streamlit's own folder menu instead,
which names every page file; the guard then hides it and shows the person's own screens.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

import streamlit as st
from streamlit.errors import StreamlitAPIException

from scoring.permissions import Person, Screen, may

# Each screen by menu section: (screen, title, icon, shown in the menu). Which roles have which
# screen is the permission table's (scoring.permissions.SCREENS), asked through `use_screen`.
MENU = {
    "Interviews": [
        ("my_interviews", "My interviews", ":material/assignment:", True),
        # reached from My interviews (?assignment=ID), not from the menu
        ("scorecard", "Scorecard", ":material/edit_note:", False),
    ],
    "Debrief": [
        ("pipeline", "Pipeline", ":material/view_list:", True),
        # reached from the pipeline (?candidate=ID), not from the menu
        ("debrief", "Candidate debrief", ":material/gavel:", False),
        # the former day view: its old links lead to the pipeline (or to ?candidate=ID's debrief)
        ("debrief_day", "Day view", ":material/groups:", False),
    ],
    "Setup": [
        ("openings", "Openings", ":material/work:", True),
        ("people", "People", ":material/group:", True),
        ("candidates", "Candidates", ":material/person_add:", True),
        ("interview_day", "Interview day", ":material/calendar_month:", True),
        ("status", "Status", ":material/checklist:", True),
        ("rubrics", "Rubrics", ":material/rule:", True),
    ],
    "Records": [
        ("decisions", "Decisions", ":material/download:", True),
        ("insights", "Insights", ":material/insights:", True),
    ],
}

_RUN = threading.local()  # Streamlit runs each session's script in a thread of its own


@contextmanager
def through_app() -> Iterator[None]:
    """Mark the pages run inside as reached through app.py's navigation."""
    _RUN.through_app = True
    try:
        yield
    finally:
        _RUN.through_app = False


def reached_directly() -> bool:
    """Did Streamlit run this page file straight from pages/, without app.py?"""
    return not getattr(_RUN, "through_app", False)


def own_menu(actor: Person) -> None:
    """In place of Streamlit's folder menu: the person's own screens, as links."""
    st.html("<style>[data-testid=stSidebarNav]{display:none}</style>")
    with st.sidebar:
        for section, screens in MENU.items():
            mine = [s for s in screens if s[3] and may(actor, "use_screen", Screen(s[0]))]
            if mine:
                st.caption(section)
            for screen, title, icon, _ in mine:
                try:
                    st.page_link(f"pages/{screen}.py", label=title, icon=icon)
                except StreamlitAPIException:  # this run knows no pages: a plain link
                    st.markdown(f"{icon} [{title}](./{screen})")
