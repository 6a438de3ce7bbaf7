"""Decisions: export what was decided and why, per opening (decisions and, for the hiring
manager and committee, the scorecards behind them), and each decided candidate's summary."""

import streamlit as st

from scoring import exports, openings
from scoring.text import plain_markdown
from ui.downloads import rows_buttons, summary_buttons
from ui.guard import require
from ui.session import store
from ui.widgets import pick_opening, table

actor = require("decisions")
st.title("Decisions")

opening = pick_opening(exports.export_openings(store(), actor))
if opening is None:
    st.stop()

rows = exports.decision_rows(store(), actor, opening.id)
decided = [r for r in rows if r["decision"]]
withheld = [r for r in rows if r["withheld"]]
st.header(f"Decisions: {len(decided)} of {len(rows)} candidates decided")
if decided:
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
if withheld:
    names = ", ".join(r["candidate"] for r in withheld)
    st.info(
        f"Not shown to you yet ({len(withheld)}): "
        + plain_markdown(f"{names}. {withheld[0]['withheld']}"),
        icon=":material/visibility_off:",
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
    chosen = st.selectbox("Candidate", decided, format_func=lambda r: r["candidate"])
    summary_buttons(store(), actor, chosen["candidate_id"], chosen["candidate"])
else:
    st.caption("No decided candidate yet.")
