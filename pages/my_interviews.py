"""My interviews: the signed-in interviewer's sessions, today first, then upcoming, then past."""

from datetime import UTC, datetime

import streamlit as st

from scoring import scorecards
from ui.guard import require
from ui.session import store
from ui.widgets import STATE_LABELS

me = require("interviewer")
st.title("My interviews")

mine = scorecards.my_assignments(store(), me)
if not mine:
    st.info("You have no interviews assigned yet.", icon=":material/info:")
    st.stop()

today = datetime.now(UTC).date()
groups = {
    "Today": [a for a in mine if a.status.starts_at.date() == today],
    "Upcoming": [a for a in mine if a.status.starts_at.date() > today],
    "Past": [a for a in mine if a.status.starts_at.date() < today][::-1],
}
for heading, items in groups.items():
    if not items:
        continue
    st.subheader(heading)
    for item in items:
        seat = item.status
        with st.container(border=True):
            left, right = st.columns([4, 1])
            left.markdown(
                f"**{item.candidate}** · {seat.session_title}  \n"
                f"{seat.starts_at:%a %d %b %H:%M}-{seat.ends_at:%H:%M} UTC · {item.opening_title}"
            )
            right.markdown(f"**{STATE_LABELS[seat.state]}**")
