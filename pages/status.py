"""Submission status of an opening: who has submitted, who is late, missing or recused.
Never a score: the service returns none here."""

from collections import Counter

import streamlit as st

from scoring import debrief, openings, scorecards
from ui.guard import require
from ui.session import store
from ui.widgets import STATE_LABELS, pick_opening, table

me = require("coordinator", "hiring_manager")
st.title("Status")

opening = pick_opening(openings.list_openings(store(), me))
if opening is None:
    st.stop()
st.caption(f"A scorecard is overdue {opening.overdue_hours:g} hours after its session ends.")

rows, boards = [], {}
for candidate in openings.list_candidates(store(), me, opening.id):
    board = scorecards.status_board(store(), me, candidate.id)
    boards[candidate.display] = board
    states = Counter(seat.state for seat in board)
    rows.append(
        {
            "candidate": candidate.display,
            "in": f"{states['submitted'] + states['late']} of {len(board) - states['recused']}",
            "overdue": states["overdue"],
            "late": states["late"],
            "recused": states["recused"],
            "debrief": "open" if debrief.is_open(store(), candidate.id) else "not yet",
        }
    )
if not rows:
    st.info("No candidates yet.", icon=":material/info:")
    st.stop()
table(rows)

for name, board in boards.items():
    with st.expander(name):
        if not board:
            st.caption("Nothing scheduled yet.")
        for seat in board:
            when = (
                f", {seat.hours_after_session:.1f} h after the session" if seat.submitted_at else ""
            )
            st.markdown(
                f"- **{seat.session_title}** · {seat.interviewer_name}: "
                f"{STATE_LABELS[seat.state]}{when}"
                + (f" — {seat.recusal_reason}" if seat.recusal_reason else "")
            )
