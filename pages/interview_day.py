"""The interview day of a candidate: the loop's sessions, their times and interviewers; and
changing it (move, cancel, give a seat to someone else)."""

from datetime import datetime, time, timedelta

import streamlit as st

from scoring import openings, people, scorecards
from scoring.errors import DebriefError
from scoring.text import plain_markdown
from ui.clock import local, span, today, zone
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

opening = pick_opening(
    [o for o in openings.list_openings(store(), actor, "manage_opening") if o.closed_at is None]
)
if opening is None:
    st.stop()
search = st.text_input(
    "Find a candidate", placeholder="Part of a name, alias or email", key="day_search"
)
# the latest added first: the ones still to plan; a search reaches any other
found = openings.find_candidates(store(), actor, opening.id, search, active_only=True)
if not found.rows:
    if search.strip():
        st.info("No candidate in process matches.", icon=":material/info:")
    else:
        st.info(
            "This opening has no candidates yet: add them on Candidates.", icon=":material/info:"
        )
    st.stop()
candidate = st.selectbox("Candidate", found.rows, format_func=lambda c: c.name)
if found.total > len(found.rows):
    st.caption(
        f"The {len(found.rows)} latest added of {found.total}"
        + (" matching" if search.strip() else "")
        + ": type part of a name to find another."
    )

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

    st.header("Change the day")
    sessions = list({seat.session_id: seat for seat in board}.values())
    changing = st.selectbox(
        "Session to change",
        sessions,
        format_func=lambda s: f"{s.session_title} · {span(s.starts_at, s.ends_at)}",
        key=f"change_{candidate.id}",
    )
    seats = [s for s in board if s.session_id == changing.session_id]
    scored = [s for s in seats if s.submitted_at is not None]
    if scored:
        st.caption(
            "A submitted scorecard keeps its session where it is: moving or cancelling it would"
            " change when that scorecard counts as late."
        )
    stamp = f"{changing.session_id}_{changing.starts_at:%Y%m%d%H%M}"  # fresh after a move
    move_day, move_time, move_go = st.columns([2, 2, 1], vertical_alignment="bottom")
    new_day = move_day.date_input(
        "New day", value=local(changing.starts_at).date(), key=f"mday_{stamp}"
    )
    new_time = move_time.time_input(
        f"New start ({datetime.now(zone()):%Z})",
        value=local(changing.starts_at).time(),
        key=f"mtime_{stamp}",
    )
    with move_time:
        problem_under("change", "starts_at")
    if move_go.button("Move session", key=f"move_{stamp}"):
        try:
            openings.move_session(
                store(),
                actor,
                changing.session_id,
                datetime.combine(new_day, new_time, tzinfo=zone()),
            )
        except DebriefError as problem:
            remember_problem("change", problem)
        else:
            forget_problem("change")
            flash(f"{changing.session_title} moved; its interviewers are told.")
            st.rerun()
    open_seats = [s for s in seats if s.submitted_at is None and s.state != "recused"]
    if open_seats:
        seat_col, who_col, swap_go = st.columns([2, 2, 1], vertical_alignment="bottom")
        seat = seat_col.selectbox(
            "Seat", open_seats, format_func=lambda s: s.interviewer_name, key=f"seat_{stamp}"
        )
        taken = {s.interviewer_id for s in seats}
        newcomer = who_col.selectbox(
            "Give the seat to",
            [p for p in interviewers if p.id not in taken],
            format_func=lambda p: p.name,
            index=None,
            placeholder="Another interviewer",
            key=f"swap_{stamp}",
        )
        with who_col:
            problem_under("change", "interviewer")
        if swap_go.button("Give the seat", key=f"do_swap_{stamp}", disabled=newcomer is None):
            try:
                openings.replace_interviewer(store(), actor, seat.assignment_id, newcomer.id)
            except DebriefError as problem:
                remember_problem("change", problem)
            else:
                forget_problem("change")
                flash(f"{newcomer.name} now interviews for {seat.session_title}.")
                st.rerun()
    if st.button("Cancel this session", key=f"cancel_{stamp}", disabled=bool(scored)):
        try:
            openings.cancel_session(store(), actor, changing.session_id)
        except DebriefError as problem:
            remember_problem("change", problem)
        else:
            forget_problem("change")
            flash(f"{changing.session_title} is cancelled; its interviewers are told.")
            st.rerun()
    problem_under("change", "session")
    problem_on_top("change", ("starts_at", "interviewer", "session"))

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

chosen_key = f"chosen_{candidate.id}"
chosen: dict[int, time] = st.session_state.setdefault(chosen_key, {})


def _chose(position: int, key: str) -> None:
    """The coordinator set this session's start themselves: it stays, the next ones follow."""
    st.session_state[chosen_key][position] = st.session_state[key]


times = openings.day_times(
    datetime.combine(day, first, tzinfo=zone()),
    [(s["position"], s["minutes"]) for s in todo],
    gap,
    {p: datetime.combine(day, t, tzinfo=zone()) for p, t in chosen.items()},
)
plan: list[openings.SessionPlan] = []
for session in todo:
    cols = st.columns([3, 2, 5])
    title = plain_markdown(session["title"], one_line=True)
    cols[0].markdown(f"**{title}**  \n{session['minutes']} min")
    key = f"start_{candidate.id}_{session['position']}"
    start_at = times[session["position"]]
    # The widget shows the computed time on every run (a keyed widget's `value` counts only
    # once): first start, durations and breaks drive it, unless the coordinator set it.
    st.session_state[key] = start_at.time()
    cols[1].time_input(
        f"Starts ({session['title']})",
        key=key,
        on_change=_chose,
        args=(session["position"], key),
        label_visibility="collapsed",
    )
    picked = cols[2].multiselect(
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
    if picked:
        plan.append(
            openings.SessionPlan(session["position"], start_at, tuple(p.id for p in picked))
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
st.caption(
    "Times follow the first start, each session's length and the break; a start you change"
    " yourself stays, and the sessions after it follow it. Sessions without an interviewer are"
    " left for later."
)
if chosen and st.button("Times from the first start again"):
    chosen.clear()
    st.rerun()
