"""My interviews: the signed-in interviewer's sessions, today first, then upcoming, then the
past a page at a time, the latest first."""

from datetime import datetime

import streamlit as st

from scoring import my_interviews
from scoring.text import plain_markdown
from ui import clock
from ui.guard import require
from ui.session import store
from ui.widgets import seat_label, where

actor = require("my_interviews")
st.title("My interviews")

today = clock.today()
midnight = datetime.combine(today, datetime.min.time(), tzinfo=clock.zone())
earlier_page = st.session_state.get("my_earlier_page", 1)
view = my_interviews.my_interviews(store(), actor, midnight, earlier_page=earlier_page)
mine = view.near + view.earlier
active = [a for a in view.near if a.status.state != "recused"]
past = [a for a in view.earlier if a.status.state != "recused"]
if not active and not past and view.earlier_page == 1:
    st.info("You have no interviews assigned.", icon=":material/info:")

groups = {
    "Today": [a for a in active if clock.local(a.status.starts_at).date() == today],
    "Upcoming": [a for a in active if clock.local(a.status.starts_at).date() > today],
}
ACTION = {"submitted": "Open", "late": "Open", "upcoming": "Prepare"}


def draw(items: list[my_interviews.Assignment]) -> None:
    """One bordered row a session: who, what, when, its state and the way to its scorecard.
    One block a row, its three parts side by side (on a phone, the state and the link wrap under
    the text): columns would be four blocks more a row, each a message on every rerun."""
    for item in items:
        seat = item.status
        with st.container(border=True, horizontal=True, vertical_alignment="center", gap="medium"):
            st.markdown(
                f"**{plain_markdown(item.candidate, one_line=True)}**"
                f" · {plain_markdown(seat.session_title, one_line=True)}  \n"
                f"{clock.span(seat.starts_at, seat.ends_at)}"
                f" · {plain_markdown(item.opening_title)}"
                + (f"  \n{where(seat.location)}" if seat.location else ""),
                width="stretch",
            )
            label = seat_label(seat.state, seat.has_draft)
            st.markdown(
                f"**:red[{label}]**" if seat.state == "overdue" else f"**{label}**", width=150
            )
            st.page_link(
                "pages/scorecard.py",
                label=ACTION.get(seat.state, "Score"),
                query_params={"assignment": seat.assignment_id},
                width=90,
            )


for heading, items in groups.items():
    if items:
        st.header(heading)
        draw(items)

if past or view.earlier_page > 1:
    st.header("Past" if view.earlier_page == 1 else f"Past, page {view.earlier_page}")
    st.caption("The latest first.")
    draw(past)
    if view.earlier_page > 1 or view.more_earlier:
        newer, older = st.columns(2)
        if newer.button("Newer", disabled=view.earlier_page <= 1):
            st.session_state.my_earlier_page = view.earlier_page - 1
            st.rerun()
        if older.button("Older", disabled=not view.more_earlier):
            st.session_state.my_earlier_page = view.earlier_page + 1
            st.rerun()

recused = [a for a in mine if a.status.state == "recused"]
if recused:
    with st.expander(f"Recused ({len(recused)})", key="recused"):
        for item in recused:
            st.markdown(
                "- "
                + plain_markdown(
                    f"{item.candidate} · {item.status.session_title}: {item.status.recusal_reason}"
                )
            )
