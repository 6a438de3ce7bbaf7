"""My interviews: the signed-in interviewer's sessions, today first, then upcoming, then past."""

import streamlit as st

from scoring import scorecards
from scoring.text import plain_markdown
from ui import clock
from ui.guard import require
from ui.session import store
from ui.widgets import seat_label

actor = require("my_interviews")
st.title("My interviews")

mine = scorecards.my_assignments(store(), actor)
active = [a for a in mine if a.status.state != "recused"]
if not active:
    st.info("You have no interviews assigned.", icon=":material/info:")

today = clock.today()
groups = {
    "Today": [a for a in active if clock.local(a.status.starts_at).date() == today],
    "Upcoming": [a for a in active if clock.local(a.status.starts_at).date() > today],
    "Past": [a for a in active if clock.local(a.status.starts_at).date() < today][::-1],
}
ACTION = {"submitted": "Open", "late": "Open", "upcoming": "Prepare"}
for heading, items in groups.items():
    if not items:
        continue
    st.header(heading)
    for item in items:
        seat = item.status
        with st.container(border=True):
            left, middle, right = st.columns([5, 2, 1], vertical_alignment="center")
            left.markdown(
                f"**{plain_markdown(item.candidate, one_line=True)}**"
                f" · {plain_markdown(seat.session_title, one_line=True)}  \n"
                f"{clock.span(seat.starts_at, seat.ends_at)}"
                f" · {plain_markdown(item.opening_title)}"
            )
            label = seat_label(seat.state, seat.has_draft)
            middle.markdown(f"**:red[{label}]**" if seat.state == "overdue" else f"**{label}**")
            right.page_link(
                "pages/scorecard.py",
                label=ACTION.get(seat.state, "Score"),
                query_params={"assignment": seat.assignment_id},
            )

recused = [a for a in mine if a.status.state == "recused"]
if recused:
    with st.expander(f"Recused ({len(recused)})"):
        for item in recused:
            st.markdown(
                "- "
                + plain_markdown(
                    f"{item.candidate} · {item.status.session_title}: {item.status.recusal_reason}"
                )
            )
