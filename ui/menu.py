"""The app's menu, and whether this run came through it.

`app.py` registers every screen of `MENU` with `st.navigation(..., position="hidden")` (so each
keeps its own address) and draws the menu itself with `own_menu`: Streamlit's own sectioned menu
puts each section's heading inside its list as a `<div>`, which screen readers and axe-core read
as a broken list (rules `list` and `listitem`). A page Streamlit ran straight from pages/ (a
direct URL without app.py) would get Streamlit's folder menu, which names every page file; its
guard hides that and draws the same `own_menu`.
"""

from __future__ import annotations

import copy
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import streamlit as st
from streamlit.errors import StreamlitAPIException
from streamlit.runtime.scriptrunner import get_script_run_ctx

from scoring.permissions import SCREENS, Person, Screen, may

# Each screen by menu section: (screen, title, icon, shown in the menu). Which roles have which
# screen is the permission table's (scoring.permissions.SCREENS), asked through `use_screen`.
MENU = {
    "Interviews": [
        ("my_interviews", "My interviews", ":material/assignment:", True),
        ("reviews", "Screens to review", ":material/fact_check:", True),
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

# The rule under the menu, where an st.divider was (a message less on every run).
MENU_LOOK = """<style>
.st-key-menu {
  padding-bottom: 3rem; margin-bottom: 1rem; border-bottom: 1px solid rgba(49, 51, 63, 0.2);
}
</style>"""

# Hides the menu Streamlit draws for a page file it ran without app.py (every file in pages/).
HIDE_FOLDER_MENU = "<style>[data-testid=stSidebarNav]{display:none}</style>"


@contextmanager
def screens_this_run(actor: Person | None) -> Iterator[frozenset[str]]:
    """app.py's run: which screens `actor` may open is asked of the permission table once, and
    the navigation, the menu and the landing page read that answer. Only for this run (this
    `actor`, just read from the database): the next run asks again, so a role removed takes
    effect on the next click."""
    _RUN.screens = (actor, _screens_allowed(actor))
    try:
        yield _RUN.screens[1]
    finally:
        _RUN.screens = None


def _screens_allowed(actor: Person | None) -> frozenset[str]:
    return frozenset(s for s in SCREENS if may(actor, "use_screen", Screen(s)))


def screens_of(actor: Person | None) -> frozenset[str]:
    """The screens `actor` may open: this run's answer for the same person (`screens_this_run`),
    else the permission table's, asked now."""
    held = getattr(_RUN, "screens", None)
    if held is not None and held[0] is actor:
        return held[1]
    return _screens_allowed(actor)


# st.Page finds its file on the disk when made (about 0.1 ms each, and app.py registers every
# screen on every run). Each is made once per server process and copied for a run: the copy
# carries this run's flags (which page is the default, which one may run).
_PAGES: dict[tuple, st.Page] = {}


def page_of(path: str, title: str, icon: str, *, hidden: bool = False) -> st.Page:
    """A page file registered with st.navigation: `st.Page(path, ...)`, made once and copied."""
    ctx = get_script_run_ctx()
    key = (ctx and ctx.pages_manager.main_script_parent, path, title, icon, hidden)
    made = _PAGES.get(key)
    if made is None:
        made = st.Page(path, title=title, icon=icon, visibility="hidden" if hidden else "visible")
        _PAGES[key] = made
    return copy.copy(made)


def menu_of(actor: Person | None) -> dict[str, list[tuple[str, str, str]]]:
    """The menu sections the actor has, each with its (screen, title, icon) in menu order; a
    screen reached from another (scorecard, debrief) is left out."""
    allowed = screens_of(actor)
    sections: dict[str, list[tuple[str, str, str]]] = {}
    for section, screens in MENU.items():
        for screen, title, icon, in_menu in screens:
            if in_menu and screen in allowed:
                sections.setdefault(section, []).append((screen, title, icon))
    return sections


def own_menu(actor: Person) -> None:
    """The person's own screens in the sidebar, by section: a caption over each section's links,
    each link with its icon, the current page's marked."""
    sections = menu_of(actor)
    if not sections:
        return
    # One block for the whole menu: a block a section (and a divider) would each be one more
    # message on every run of every page. The gap between sections is the gap between links,
    # as it was with a block a section; MENU_LOOK draws the rule.
    with st.sidebar:
        with st.container(key="menu", gap="small"):
            for section, screens in sections.items():
                st.caption(section)
                for screen, title, icon in screens:
                    try:
                        st.page_link(f"pages/{screen}.py", label=title, icon=icon, width="stretch")
                    except StreamlitAPIException:  # this run knows no pages: a plain link
                        st.markdown(f"{icon} [{title}](./{screen})")
        # last: it takes no room but a gap
        st.html(MENU_LOOK + MENU_SCRIPT, unsafe_allow_javascript=True)
