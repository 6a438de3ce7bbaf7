"""Submission status of an opening: who has submitted, who is late, missing or recused.
Never a score: the service returns none here."""

from collections import Counter

import streamlit as st

from scoring import openings, scorecards
from scoring.text import plain_markdown
from ui.guard import require
from ui.session import store
from ui.widgets import STATE_LABELS, pick_opening, table

actor = require("status")
st.title("Status")

opening = pick_opening(openings.list_openings(store(), actor, "see_opening_status"))
if opening is None:
    st.stop()
st.caption(f"A scorecard is overdue {opening.overdue_hours:g} hours after its session ends.")

candidates = scorecards.opening_status(store(), actor, opening.id)
if not candidates:
    st.info("No candidates yet.", icon=":material/info:")
    st.stop()
rows = []
for candidate in candidates:
    states = Counter(seat.state for seat in candidate.seats)
    rows.append(
        {
            "candidate": candidate.candidate,
            "in": f"{states['submitted'] + states['late']} of"
            f" {len(candidate.seats) - states['recused']}",
            "overdue": states["overdue"],
            "late": states["late"],
            "recused": states["recused"],
            "debrief": "open" if candidate.debrief_open else "not yet",
        }
    )
table(rows)

for candidate in candidates:
    with st.expander(plain_markdown(candidate.candidate, one_line=True)):
        if not candidate.seats:
            st.caption("Nothing scheduled yet.")
        for seat in candidate.seats:
            when = (
                f", {seat.hours_after_session:.1f} h after the session" if seat.submitted_at else ""
            )
            st.markdown(
                f"- **{plain_markdown(seat.session_title, one_line=True)}**"
                f" · {plain_markdown(seat.interviewer_name)}: {STATE_LABELS[seat.state]}{when}"
                + (f" — {plain_markdown(seat.recusal_reason)}" if seat.recusal_reason else "")
            )
