"""Decisions: export what was decided and why, per opening (decisions and, for the hiring
manager and committee, the scorecards behind them), and each decided candidate's summary."""

import streamlit as st

from scoring import exports
from scoring.errors import NotAllowed
from ui.downloads import rows_buttons, summary_buttons
from ui.guard import require
from ui.session import store
from ui.widgets import pick_opening, table

me = require("coordinator", "hiring_manager", "committee_member")
st.title("Decisions")

opening = pick_opening(exports.export_openings(store(), me))
if opening is None:
    st.stop()

rows = exports.decision_rows(store(), me, opening.id)
decided = [r for r in rows if r["decision"]]
st.subheader(f"Decisions: {len(decided)} of {len(rows)} candidates decided")
table(
    [
        {
            "candidate": r["candidate"],
            "decision": r["decision"].replace("_", " "),
            "by": r["decided_by"],
            "when": r["decided_at"],
            "panel at opening": r["panel_at_opening"],
            "rationale": r["rationale"],
        }
        for r in decided
    ]
)
stem = "-".join(opening.title.lower().split())
rows_buttons(rows, f"{stem}-decisions")

st.subheader("Scorecards behind them")
try:
    lines = exports.scorecard_rows(store(), me, opening.id)
except NotAllowed as refusal:
    st.caption(f"{refusal} Coordinators export decisions, not scores.")
else:
    st.caption(
        f"{len(lines)} criterion scores, one row each, from the candidates whose debrief is"
        " open to you."
    )
    rows_buttons(lines, f"{stem}-scorecards")

    st.subheader("A candidate's decision summary")
    if decided:
        chosen = st.selectbox("Candidate", decided, format_func=lambda r: r["candidate"])
        summary_buttons(store(), me, chosen["candidate_id"], chosen["candidate"])
    else:
        st.caption("No decided candidate yet.")
