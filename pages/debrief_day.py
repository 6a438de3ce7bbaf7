"""The opening's day view: every candidate interviewed that day, where they stand, and the way
into each one's debrief."""

import streamlit as st

from scoring import debrief
from scoring.engine import FLAG_WORDS, OUTCOME_WORDS
from scoring.text import plain_markdown
from ui import clock
from ui.guard import require
from ui.session import store
from ui.widgets import pick_opening, strategy_summary

actor = require("debrief_day")
st.title("Debrief")

opening = pick_opening(debrief.debrief_openings(store(), actor))
if opening is None:
    st.stop()
st.caption(f"Decision: {strategy_summary(opening)}")

days = debrief.interview_days(store(), actor, opening.id, zone=clock.zone())
if not days:
    st.info("No interviews are scheduled for this opening yet.", icon=":material/info:")
    st.stop()
today = clock.today()
default = next((i for i, d in enumerate(days) if d <= today), 0)
day = st.selectbox(
    "Interview day",
    days,
    index=default,
    format_func=lambda d: f"{d:%A %d %B %Y}" + (" (today)" if d == today else ""),
)

rows = debrief.day_view(store(), actor, opening.id, day, zone=clock.zone())
table = [
    {
        "candidate": r.candidate,
        "scorecards": f"{r.submitted} of {r.expected}",
        "overdue": r.overdue,
        "debrief": "open" if r.debrief_open else "not open",
        "outcome": OUTCOME_WORDS[r.outcome] if r.outcome else (r.note or "—"),
        "flags": ", ".join(FLAG_WORDS[f] for f in r.flags),
        "weighted score": "" if r.score is None else f"{r.score:.2f}",
        "decision": OUTCOME_WORDS[r.decision] if r.decision else ("hidden" if r.note else ""),
    }
    for r in rows
]
picked = st.dataframe(
    table,
    hide_index=True,
    on_select="rerun",
    selection_mode="single-row",
    height=35 * (len(table) + 1) + 3,
)
st.caption(
    "Select a row to open that candidate's debrief. Outcomes show only once a debrief is open"
    " (and your own scorecard is in, if you interviewed)."
)
pending = [r.candidate for r in rows if r.note]
if pending:
    st.info(
        f"Submit your own scorecard first: {plain_markdown(', '.join(pending))}. Until it is in,"
        " their outcome and decision stay hidden from you.",
        icon=":material/edit_note:",
    )
chosen = picked.selection.rows if picked else []
if chosen:
    st.switch_page("pages/debrief.py", query_params={"candidate": rows[chosen[0]].candidate_id})
if rows:
    pick, go = st.columns([4, 1], vertical_alignment="bottom")
    who = pick.selectbox("Candidate", rows, format_func=lambda r: r.candidate)
    if go.button("Open debrief", type="primary"):
        st.switch_page("pages/debrief.py", query_params={"candidate": who.candidate_id})
