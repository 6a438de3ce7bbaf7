"""Decisions: export what was decided and why, per opening (decisions and, for the hiring
manager and committee, the scorecards behind them), and each decided candidate's summary."""

import streamlit as st

from scoring import exports, openings
from scoring.text import plain_markdown
from ui.clock import when
from ui.downloads import rows_buttons, summary_buttons
from ui.guard import require
from ui.session import store
from ui.widgets import pick_opening, table

actor = require("decisions")
st.title("Decisions")

opening = pick_opening(exports.export_openings(store(), actor))
if opening is None:
    st.stop()

page_key = f"decisions_page_{opening.id}"
view = exports.decision_page(store(), actor, opening.id, page=st.session_state.get(page_key, 1))
decided, withheld = view.rows, view.withheld
st.header(f"Decisions: {view.decided} of {view.candidates} candidates decided")
if view.pages > 1:
    st.caption(f"The latest decisions first: page {view.page} of {view.pages}.")
if decided:
    table(
        [
            {
                "candidate": r["candidate"],
                "decision": r["decision"],
                "by": r["decided_by"],
                "when": when(r["decided_at"]),
                "panel at opening": r["panel_at_opening"],
                "rationale": r["rationale"],
            }
            for r in decided
        ],
        max_rows=25,
    )
if view.pages > 1:
    back, forward = st.columns(2)
    if back.button("Newer decisions", disabled=view.page <= 1):
        st.session_state[page_key] = view.page - 1
        st.rerun()
    if forward.button("Older decisions", disabled=view.page >= view.pages):
        st.session_state[page_key] = view.page + 1
        st.rerun()
if withheld:
    names = ", ".join(r["candidate"] for r in withheld)
    st.info(
        f"Not shown to you yet ({len(withheld)}): "
        + plain_markdown(f"{names}. {withheld[0]['withheld']}"),
        icon=":material/visibility_off:",
    )
st.caption(
    "The files cover every candidate of the opening; each is made when you click it. Their"
    " times are in UTC."
)
stem = "-".join(opening.title.lower().split())
rows_buttons(lambda: exports.decision_rows(store(), actor, opening.id), f"{stem}-decisions")

st.header("Scorecards behind them")
if not openings.may_on_opening(store(), actor, "export_scores", opening.id):
    st.caption("Coordinators export decisions, not scores.")
    st.stop()
st.caption("One row per criterion score, from the candidates whose debrief is open to you.")
rows_buttons(lambda: exports.scorecard_rows(store(), actor, opening.id), f"{stem}-scorecards")

st.header("A candidate's decision summary")
if decided:
    chosen = st.selectbox(
        "Candidate (on this page of decisions)", decided, format_func=lambda r: r["candidate"]
    )
    summary_buttons(store(), actor, chosen["candidate_id"], chosen["candidate"])
else:
    st.caption("No decided candidate yet.")
