"""The opening's pipeline: every candidate, where each stands, filtered by stage and interview
day, a page of rows at a time; each row opens that candidate's debrief."""

import pandas as pd
import streamlit as st

from scoring import debrief, pipeline
from scoring.engine import FLAG_WORDS, OUTCOME_WORDS
from scoring.text import plain_markdown
from ui import clock
from ui.guard import require
from ui.session import store
from ui.widgets import pick_opening, strategy_summary

actor = require("pipeline")
st.title("Pipeline")

opening = pick_opening(debrief.debrief_openings(store(), actor))
if opening is None:
    st.stop()
st.caption(f"Decision: {strategy_summary(opening)}")

zone, today = clock.zone(), clock.today()
days = debrief.interview_days(store(), actor, opening.id, zone=zone)
ANY = "any"
when, order = st.columns(2)
day = when.selectbox(
    "Interview day",
    [ANY, *days],
    format_func=lambda d: (
        "Any day" if d == ANY else f"{d:%A %d %B %Y}" + (" (today)" if d == today else "")
    ),
    key=f"pipeline_day_{opening.id}",
)
newest = order.selectbox(
    "Order",
    [True, False],
    format_func=lambda n: "Newest interview first" if n else "Oldest interview first",
    key="pipeline_order",
)
day = None if day == ANY else day

# A widget's value is in the session state before it is drawn: the stage buttons are drawn
# after the view, so that each can say how many candidates it holds (one aggregate).
stage_key = f"pipeline_stage_{opening.id}"
stage = st.session_state.get(stage_key) or ANY
page_key = f"pipeline_page_{opening.id}_{stage}_{day}_{newest}"  # a new filter: page 1
view = pipeline.pipeline(
    store(),
    actor,
    opening.id,
    stage=None if stage == ANY else stage,
    day=day,
    zone=zone,
    newest_first=newest,
    page=st.session_state.get(page_key, 1),
)
counts = view.counts
st.segmented_control(
    "Stage",
    [ANY, *pipeline.STAGES],
    format_func=lambda s: (
        f"All ({sum(counts.values())})" if s == ANY else f"{pipeline.STAGE_WORDS[s]} ({counts[s]})"
    ),
    default=ANY,
    required=True,
    key=stage_key,
)

if not view.rows:
    if sum(view.counts.values()) == 0:
        st.info("No candidates for this opening yet.", icon=":material/info:")
    else:
        st.info("No candidate is at this stage.", icon=":material/filter_alt_off:")
    st.stop()


def outcome_words(row: pipeline.PipelineRow) -> str:
    if row.outcome:
        return OUTCOME_WORDS[row.outcome]
    return row.note or "—"


def panel_words(row: pipeline.PipelineRow) -> str:
    if not row.tally:
        return ""
    return f"{row.tally['yes']} yes, {row.tally['no']} no" + (
        f", {row.tally['undecided']} undecided" if row.tally.get("undecided") else ""
    )


table = pd.DataFrame(
    [
        {
            # What the meeting decides on first, so it is in sight at 1280 without scrolling
            "candidate": r.candidate,
            "stage": pipeline.STAGE_WORDS[r.stage],
            "outcome": outcome_words(r),
            "decision": OUTCOME_WORDS[r.decision] if r.decision else ("hidden" if r.note else ""),
            "scorecards": f"{r.submitted} of {r.expected}",
            "overdue": r.overdue,
            "interview": clock.local(r.interview_at).replace(tzinfo=None)
            if r.interview_at
            else None,
            "days since": None if since is None or since < 0 else since,
            "sessions": f"{r.sessions_done} of {r.sessions_planned}",
            "debrief": "open" if r.debrief_open else "not open",
            "panel": panel_words(r),
            "flags": ", ".join(FLAG_WORDS[f] for f in r.flags),
        }
        for r in view.rows
        for since in [r.days_since(today, zone)]
    ]
)
picked = st.dataframe(
    table,
    hide_index=True,
    on_select="rerun",
    selection_mode="single-row",
    height=35 * (len(table) + 1) + 3,
    column_config={
        "interview": st.column_config.DatetimeColumn(format="ddd D MMM, HH:mm"),
        "days since": st.column_config.NumberColumn(format="%d"),
    },
    key=f"pipeline_rows_{opening.id}",
)
st.caption(
    "Select a row to open that candidate's debrief; a column header sorts this page."
    " Outcomes show once a debrief is open (and your own scorecard is in, if you interviewed)."
)
chosen = picked.selection.rows if picked else []
if chosen:
    st.switch_page(
        "pages/debrief.py", query_params={"candidate": view.rows[chosen[0]].candidate_id}
    )

pending = [r.candidate for r in view.rows if r.note]
if pending:
    st.info(
        f"Submit your own scorecard first: {plain_markdown(', '.join(pending))}. Until it is in,"
        " their outcome and decision stay hidden from you.",
        icon=":material/edit_note:",
    )

if view.pages > 1:
    first = (view.page - 1) * view.per_page + 1
    last = first + len(view.rows) - 1
    left, _ = st.columns([1, 2])
    left.selectbox(
        f"Page (candidates {first}–{last} of {view.total})",
        range(1, view.pages + 1),
        index=view.page - 1,
        format_func=lambda n: f"{n} of {view.pages}",
        key=page_key,
    )

pick, go = st.columns([4, 1], vertical_alignment="bottom")
who = pick.selectbox("Candidate", view.rows, format_func=lambda r: r.candidate)
if go.button("Open debrief", type="primary"):
    st.switch_page("pages/debrief.py", query_params={"candidate": who.candidate_id})
