"""The app's menu, and whether this run came through it.

`app.py` registers every screen of `MENU` with `st.navigation(..., position="hidden")` (so each
keeps its own address) and draws the menu itself with `own_menu`: Streamlit's own sectioned menu
puts each section's heading inside its list as a `<div>`, which screen readers and axe-core read
as a broken list (rules `list` and `listitem`). A page Streamlit ran straight from pages/ (a
direct URL without app.py) would get Streamlit's folder menu, which names every page file; its
guard hides that and draws the same `own_menu`.
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


# st.page_link shows the current page only by its look, and a run of them is no landmark. This
# names the menu a navigation landmark and marks the current page's link (aria-current), as
# Streamlit's own menu does. On a phone the sidebar covers the page and stays open after a link is
# followed: this closes it once a link in it is clicked, below Streamlit's mobile width.
MENU_SCRIPT = """<script>
if (!window.__debriefMenu) {
  window.__debriefMenu = true;
  const mark = () => {
    const menu = document.querySelector(".st-key-menu");
    if (!menu) return;
    if (menu.getAttribute("role") !== "navigation") {
      menu.setAttribute("role", "navigation");
      menu.setAttribute("aria-label", "Your screens");
    }
    for (const link of menu.querySelectorAll("a[href]")) {
      const here = new URL(link.href, location.href).pathname === location.pathname;
      if (here && link.getAttribute("aria-current") !== "page") {
        link.setAttribute("aria-current", "page");
      } else if (!here && link.hasAttribute("aria-current")) {
        link.removeAttribute("aria-current");
      }
    }
  };
  let queued = false;
  new MutationObserver(() => {
    if (queued) return;
    queued = true;
    requestAnimationFrame(() => { queued = false; mark(); });
  }).observe(document.body, { childList: true, subtree: true });
  mark();
  document.addEventListener("click", (event) => {
    const link = event.target.closest('[data-testid="stSidebar"] a');
    if (!link || window.innerWidth >= 768) return;
    setTimeout(() => {
      document.querySelector('[data-testid="stSidebarCollapseButton"] button')?.click();
    }, 150);
  }, true);
}
</script>"""

# Hides the menu Streamlit draws for a page file it ran without app.py (every file in pages/).
HIDE_FOLDER_MENU = "<style>[data-testid=stSidebarNav]{display:none}</style>"


def menu_of(actor: Person | None) -> dict[str, list[tuple[str, str, str]]]:
    """The menu sections the actor has, each with its (screen, title, icon) in menu order; a
    screen reached from another (scorecard, debrief) is left out."""
    sections: dict[str, list[tuple[str, str, str]]] = {}
    for section, screens in MENU.items():
        for screen, title, icon, in_menu in screens:
            if in_menu and may(actor, "use_screen", Screen(screen)):
                sections.setdefault(section, []).append((screen, title, icon))
    return sections


def own_menu(actor: Person) -> None:
    """The person's own screens in the sidebar, by section: a caption over each section's links,
    each link with its icon, the current page's marked."""
    sections = menu_of(actor)
    if not sections:
        return
    with st.sidebar:
        with st.container(key="menu", gap="small"):
            for section, screens in sections.items():
                with st.container(gap="small"):  # Streamlit's own menu spacing, near enough
                    st.caption(section)
                    for screen, title, icon in screens:
                        try:
                            st.page_link(
                                f"pages/{screen}.py", label=title, icon=icon, width="stretch"
                            )
                        except StreamlitAPIException:  # this run knows no pages: a plain link
                            st.markdown(f"{icon} [{title}](./{screen})")
        st.divider()
        st.html(MENU_SCRIPT, unsafe_allow_javascript=True)  # last: it takes no room but a gap
