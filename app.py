"""Debrief's front door: page configuration, sign-in, the role-based navigation. Nothing else.

Every page in pages/ also guards itself (ui.guard.require): Streamlit may run a page file
directly for a request to its URL.
"""

import streamlit as st

from scoring.text import plain_markdown
from ui import firstrun, mail_worker, session
from ui.menu import MENU, own_menu, page_of, screens_of, screens_this_run, through_app
from ui.signin import sign_in_form

st.set_page_config(page_title="Debrief", page_icon=":material/fact_check:", layout="wide")
mail_worker.start()  # once per server process: reminders and the outbox, when [smtp] is set


def welcome() -> None:
    actor = session.signed_in()
    st.title("Debrief")
    st.write(
        f"Signed in as **{plain_markdown(actor.name, one_line=True)}**."
        " You have no screens yet: a coordinator gives you a role on the People page."
    )


def sign_in_screen() -> None:
    st.title("Debrief")
    st.caption("Interview-day scoring: blind scorecards, one debrief page, explicit rules.")
    sign_in_form(width=440)  # as wide as two fifths of the wide layout; the phone's width on one


def screens_for(actor) -> tuple[dict[str, list], st.Page | None]:
    """The actor's screens by section, then every other screen registered hidden, so a direct
    link to it reaches that page's own guard (a sign-in prompt) rather than "page not found".
    Streamlit's menu is not drawn (ui.menu.own_menu is the menu), but every page registered here
    answers at its own address.

    The app's root leads to the first visible screen through a hidden default page. A screen
    made the default itself would answer only at "/": its own address (a link in an email or a
    calendar, a bookmark) would show Streamlit's "Page not found" above it. That page is
    returned too (None without a visible screen)."""
    visible: dict[str, list] = {}
    hidden: list = []
    first: list[str] = []
    allowed = screens_of(actor)
    for section, screens in MENU.items():
        for screen, title, icon, in_menu in screens:
            path = f"pages/{screen}.py"
            if screen in allowed and in_menu:
                first = first or [path]
                visible.setdefault(section, []).append(page_of(path, title, icon))
            else:
                hidden.append(page_of(path, title, icon, hidden=True))
    start = None
    if first:
        start = st.Page(
            lambda: (session.keep_cookie_script(), st.switch_page(first[0])),
            title="Debrief",
            url_path="start",
            default=True,
            visibility="hidden",
        )
        hidden.insert(0, start)
    return ({**visible, "": hidden} if hidden else visible), start


# One connection for the whole run (the sign-in check, the page's reads and saves: each unit of
# work still its own transaction), and one sign-in check shared with the page's guard.
with session.store().one_connection():
    actor = session.signed_in()
    with session.checked_this_run(actor), screens_this_run(actor):
        if actor is None:
            if firstrun.showing():
                front = st.Page(firstrun.first_run, title="Welcome", icon=":material/waving_hand:")
            else:
                front = st.Page(sign_in_screen, title="Sign in", icon=":material/login:")
            hidden = [p for pages in screens_for(None)[0].values() for p in pages]
            with through_app():
                st.navigation([front, *hidden], position="hidden").run()
        else:
            sections, start = screens_for(actor)
            if not any(name for name in sections):  # a person with no screen of their own yet
                home = st.Page(welcome, title="Home", icon=":material/home:", default=True)
                sections = {"": [home, *sections.get("", [])]}
            # Streamlit's menu is hidden and our own drawn instead: Streamlit's puts its section
            # headings inside the list (axe: `list`, `listitem`). The menu's links need the pages
            # registered first.
            current = st.navigation(sections, position="hidden")
            if current is not start:  # the root's page only switches to the first screen
                own_menu(actor)
                with st.sidebar:
                    st.markdown(
                        f"**{plain_markdown(actor.name, one_line=True)}**  \n"
                        + plain_markdown(actor.email, one_line=True)
                    )
                    if st.button("Sign out", icon=":material/logout:"):
                        session.sign_out()
                        st.rerun()
                    if st.button(
                        "Sign out everywhere",
                        icon=":material/devices_off:",
                        type="tertiary",
                        help="Ends your sign-in in every browser and on every device.",
                    ):
                        session.sign_out_everywhere()
                        st.rerun()
            with through_app():
                current.run()
