"""The opening's pipeline: every candidate, where each stands, filtered by stage, interview day
and what needs the viewer, a page of rows at a time; each row opens that candidate's debrief."""

from datetime import datetime

import pandas as pd
import streamlit as st

from scoring import debrief, pipeline
from scoring.engine import FLAG_WORDS
from scoring.text import plain_markdown
from ui import candidate_feedback_form, clock
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
zone_name = datetime.now(zone).tzname()
days = debrief.interview_days(store(), actor, opening.id, zone=zone)
ANY = "any"
when, order = st.columns(2)
day = when.selectbox(
    "Interview day",
    [ANY, *days],
    format_func=lambda d: (
        "Any day" if d == ANY else f"{d:%A} {d.day} {d:%B %Y}" + (" (today)" if d == today else "")
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

# A widget's value is in the session state before it is drawn: the stage buttons and the
# "needs me" switch are drawn after the view, so that each can say how many candidates it
# holds (one aggregate).
stage_key, mine_key = f"pipeline_stage_{opening.id}", f"pipeline_mine_{opening.id}"
stage = st.session_state.get(stage_key) or ANY
mine = bool(st.session_state.get(mine_key))
page_key = f"pipeline_page_{opening.id}_{stage}_{day}_{newest}_{mine}"  # a new filter: page 1
view = pipeline.pipeline(
    store(),
    actor,
    opening.id,
    stage=None if stage == ANY else stage,
    day=day,
    zone=zone,
    newest_first=newest,
    needs_me=mine,
    page=st.session_state.get(page_key, 1),
)
counts = view.counts
st.toggle(
    f"Needs me ({view.needs_total})",
    key=mine_key,
    help="Only the candidates where you have something to do: score your own interview, open"
    " the debrief, record the decision, or cast your committee vote.",
)
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
    if mine and view.needs_total == 0:
        st.info("Nothing needs you here now.", icon=":material/task_alt:")
    elif sum(view.counts.values()) == 0 and not mine:
        st.info("No candidates for this opening yet.", icon=":material/info:")
    else:
        st.info("No candidate is at this stage.", icon=":material/filter_alt_off:")
    st.stop()


def interview_words(row: pipeline.PipelineRow) -> str:
    """The first session's day in the viewer's zone, and how far from today: "20 Nov · 5 days
    ago", "Today 14:00"; "—" before anything is scheduled."""
    if row.interview_at is None:
        return "—"
    shown = clock.local(row.interview_at)
    since = row.days_since(today, zone)
    if since == 0:
        return f"Today {shown:%H:%M}"
    away = {1: "yesterday", -1: "tomorrow"}.get(since) or (
        f"{since} days ago" if since > 0 else f"in {-since} days"
    )
    return f"{shown.day} {shown:%b} · {away}"


def scorecard_words(row: pipeline.PipelineRow) -> str:
    """Scorecards submitted of expected, with the overdue ones: "2 of 3 · 1 overdue"; "—"
    while nobody is scheduled to score."""
    if not row.expected:
        return "—"
    words = f"{row.submitted} of {row.expected}"
    if row.overdue:
        words += f" · {row.overdue} overdue"
    return words


# Six columns fit the page's column at 1280 without scrolling sideways (a test measures it):
# the stage and the outcome are one cell ("where it stands"), as are scorecards and overdue,
# and the interview's day and how long ago. On a phone the table scrolls inside the page with
# the name pinned. An opening with stages before or after the loop (issue 27) has a seventh,
# where the candidate is in its process; the others give it room (the same 786 pixels).
staged = view.staged
table = pd.DataFrame(
    [
        {
            "Candidate": r.candidate,
            **({"Process": r.step_words} if staged else {}),
            "Needs you": ", ".join(pipeline.NEED_WORDS[n] for n in r.needs) or "—",
            "Where it stands": r.standing,
            "Scorecards": scorecard_words(r),
            "Interview": interview_words(r),
            "Flags": ", ".join(FLAG_WORDS[f] for f in r.flags) or "—",
        }
        for r in view.rows
    ]
)
picked = st.dataframe(
    table,
    hide_index=True,
    on_select="rerun",
    selection_mode="single-row",
    height=35 * (len(table) + 1) + 3,
    width="stretch",
    column_config={
        "Candidate": st.column_config.TextColumn(pinned=True, width=140 if not staged else 120),
        "Process": st.column_config.TextColumn(
            width=150,
            help="How the candidate stands (pending, rejected, withdrawn or hired) in the stage"
            " of the opening's process they are in: a screen, the take-home, the on-site loop"
            " or the offer",
        ),
        "Needs you": st.column_config.TextColumn(
            width=78,
            help="What you have to do: score your interview, open the debrief, record the"
            " decision, or vote",
        ),
        "Where it stands": st.column_config.TextColumn(
            width=212 if not staged else 160,
            help="The decision once it is recorded; before it, once the debrief is open, where"
            " the panel leans or what the vote says, as on the debrief",
        ),
        "Scorecards": st.column_config.TextColumn(
            width=112 if not staged else 92, help="Submitted of expected"
        ),
        "Interview": st.column_config.TextColumn(
            width=130 if not staged else 110,
            help=f"The first session's day, in your time zone ({zone_name})",
        ),
        "Flags": st.column_config.TextColumn(width=114 if not staged else 76),
    },
    key=f"pipeline_rows_{opening.id}",
)
st.caption(
    "Select a row to open that candidate's debrief. Outcomes show once a debrief is open (and"
    " your own scorecard is in, if you interviewed)."
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
awaited = [r.candidate for r in view.rows if "vote" in r.needs]
if awaited:
    st.info(
        f"Your vote is awaited: {plain_markdown(', '.join(awaited))}. The table says how many"
        " members have voted; you will see their votes after yours.",
        icon=":material/how_to_vote:",
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
if who is not None:  # the hiring manager's feedback to a declined candidate, or on a take-home
    candidate_feedback_form.show(store(), actor, who.candidate_id)
