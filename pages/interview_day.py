"""The interview day of a candidate: the loop's sessions, their times and interviewers."""

from datetime import datetime, time, timedelta

import streamlit as st

from scoring import openings, people, scorecards
from scoring.errors import DebriefError
from scoring.text import plain_markdown
from ui.clock import span, today, zone
from ui.guard import require
from ui.session import store
from ui.widgets import (
    STATE_LABELS,
    flash,
    forget_problem,
    pick_opening,
    problem_on_top,
    problem_under,
    remember_problem,
    show_flash,
    show_problem,
    table,
)

actor = require("interview_day")
st.title("Interview day")
show_flash()

opening = pick_opening(openings.list_openings(store(), actor, "manage_opening"))
if opening is None:
    st.stop()
candidates = openings.list_candidates(store(), actor, opening.id)
if not candidates:
    st.info("This opening has no candidates yet: add them on Candidates.", icon=":material/info:")
    st.stop()
candidate = st.selectbox("Candidate", candidates, format_func=lambda c: c.name)

board = scorecards.status_board(store(), actor, candidate.id)
interviewers = [p for p in people.list_people(store(), actor) if p.active and p.has("interviewer")]
by_id = {p.id: p for p in interviewers}
planned = {seat.position for seat in board}

if board:
    st.header("On the day")
    table(
        [
            {
                "session": seat.session_title,
                "time": span(seat.starts_at, seat.ends_at),
                "interviewer": seat.interviewer_name,
                "status": STATE_LABELS[seat.state]
                + (f" ({seat.recusal_reason})" if seat.recusal_reason else ""),
            }
            for seat in board
        ]
    )
    for seat in [s for s in board if s.state == "recused"]:
        taken = {s.interviewer_id for s in board if s.session_id == seat.session_id}
        choices = [p for p in interviewers if p.id not in taken]
        with st.container(border=True):
            st.markdown(
                f"**{plain_markdown(seat.session_title, one_line=True)}** needs a replacement"
                f" for {plain_markdown(seat.interviewer_name)}."
            )
            replacement = st.selectbox(
                "Replacement",
                choices,
                format_func=lambda p: p.name,
                key=f"rep_{seat.assignment_id}",
            )
            if replacement and st.button("Assign replacement", key=f"do_rep_{seat.assignment_id}"):
                try:
                    openings.add_interviewer(store(), actor, seat.session_id, replacement.id)
                except DebriefError as problem:
                    show_problem(problem)
                else:
                    flash(f"{replacement.name} now interviews for {seat.session_title}.")
                    st.rerun()

todo = [s for s in opening.sessions if s["position"] not in planned]
if not todo:
    st.success("Every session of the loop is on the day.", icon=":material/event_available:")
    st.stop()

st.header("Plan the sessions" if not board else "Plan the remaining sessions")
if not interviewers:
    st.warning(
        "Nobody has the interviewer role: add interviewers on People.", icon=":material/warning:"
    )
    st.stop()
day_col, start_col, gap_col = st.columns(3)
day = day_col.date_input("Day", value=today() + timedelta(days=1), key=f"day_{candidate.id}")
first = start_col.time_input(
    f"First session starts ({datetime.now(zone()):%Z})", value=time(9, 0), key=f"t0_{candidate.id}"
)
gap = gap_col.number_input("Break between sessions (min)", 0, 120, 15, key=f"gap_{candidate.id}")

plan: list[openings.SessionPlan] = []
clock = datetime.combine(day, first, tzinfo=zone())
for session in todo:
    cols = st.columns([3, 2, 5])
    title = plain_markdown(session["title"], one_line=True)
    cols[0].markdown(f"**{title}**  \n{session['minutes']} min")
    starts = cols[1].time_input(
        "Starts",
        value=clock.time(),
        key=f"start_{candidate.id}_{session['position']}",
        label_visibility="collapsed",
    )
    chosen = cols[2].multiselect(
        "Interviewers",
        interviewers,
        format_func=lambda p: p.name,
        max_selections=2,
        key=f"who_{candidate.id}_{session['position']}",
        placeholder="One interviewer, or a pair",
        label_visibility="collapsed",
    )
    with cols[2]:
        problem_under("schedule", f"session.{session['position']}")
    start_at = datetime.combine(day, starts, tzinfo=zone())
    clock = start_at + timedelta(minutes=session["minutes"] + gap)
    if chosen:
        plan.append(
            openings.SessionPlan(session["position"], start_at, tuple(p.id for p in chosen))
        )

for warning in openings.plan_warnings(store(), actor, candidate.id, plan):
    st.warning(plain_markdown(warning), icon=":material/warning:")
label = f"Schedule {len(plan)} session{'s' if len(plan) != 1 else ''}"
problem_on_top("schedule", tuple(f"session.{s['position']}" for s in todo))
if st.button(label, type="primary", disabled=not plan):
    try:
        openings.schedule_day(store(), actor, candidate.id, plan)
    except DebriefError as problem:
        remember_problem("schedule", problem)
    else:
        forget_problem("schedule")
        flash(f"{len(plan)} session(s) scheduled for {candidate.name}.")
        st.rerun()
st.caption("Sessions without an interviewer are left for later.")
