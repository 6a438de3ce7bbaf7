"""The interview day of a candidate: the loop's sessions, their times, places and interviewers;
and changing it (move, give another place, cancel, give a seat to someone else). Every plan and
change is checked for clashes by the service (`scoring.clashes`); this page says them in the
viewer's time zone, and asks before keeping a shorter break."""

from datetime import date, datetime, time, timedelta

import streamlit as st

from scoring import bookings, candidates, openings, people, schedule, schedule_changes, scorecards
from scoring.clashes import Clash, ScheduleClash
from scoring.errors import DebriefError, InvalidInput
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


def said(problem: Exception) -> Exception:
    """A refusal as the viewer reads it: a clash's times in their zone, one clash a line."""
    if isinstance(problem, ScheduleClash):
        field = problem.clashes[0].placed.field
        return InvalidInput(f"{field}: " + "\n".join(c.words(zone()) for c in problem.clashes))
    return problem


def show_clashes(found: list[Clash]) -> None:
    """Clashes in words: refused ones as errors, a short break as a warning."""
    for clash in found:
        if clash.refused:
            st.error(plain_markdown(clash.words(zone())), icon=":material/event_busy:")
        else:
            st.warning(plain_markdown(clash.words(zone())), icon=":material/schedule:")


def their_day(person_ids: list[int], day: date) -> list[bookings.InterviewerDay]:
    """Each interviewer's sessions on the viewer's `day` (any candidate, any opening)."""
    starts = datetime.combine(day, time(0), tzinfo=zone())
    return bookings.interviewers_day(
        store(), actor, opening.id, person_ids, starts, starts + timedelta(days=1)
    )


def busy_words(day: bookings.InterviewerDay) -> str:
    """``10:00–10:30 Grace Hopper (Coding); 14:00–15:00 ...`` or ``free all day``."""
    if not day.sessions:
        return "free all day"
    return "; ".join(
        f"{local(b.starts_at):%H:%M}–{local(b.ends_at):%H:%M} {b.candidate} ({b.title})"
        for b in day.sessions
    )


def show_their_day(person_ids: list[int], day: date) -> None:
    """Under a picker: the chosen interviewers' other sessions that day, in a caption."""
    for person in their_day(person_ids, day):
        st.caption(plain_markdown(f"{person.name} that day: {busy_words(person)}"))


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
found = candidates.find_candidates(store(), actor, opening.id, search, active_only=True)
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
where = schedule_changes.locations(store(), actor, candidate.id)
# The break the coordinator keeps between sessions (set under the plan): a move checks it too.
gap_key = f"gap_{candidate.id}"
brk = int(st.session_state.get(gap_key, 15))
standing = schedule_changes.day_clashes(store(), actor, candidate.id, brk) if board else []

if board:
    st.header("On the day")
    table(
        [
            {
                "session": seat.session_title,
                "time": span(seat.starts_at, seat.ends_at),
                "where": where.get(seat.session_id) or "—",
                "interviewer": seat.interviewer_name,
                "status": STATE_LABELS[seat.state]
                + (f" ({seat.recusal_reason})" if seat.recusal_reason else ""),
            }
            for seat in board
        ]
    )
    if standing:
        st.markdown("**This day clashes.** Move a session or give a seat to someone else:")
        show_clashes(standing)
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
            if replacement:
                show_their_day([replacement.id], local(seat.starts_at).date())
            if replacement and st.button("Assign replacement", key=f"do_rep_{seat.assignment_id}"):
                try:
                    schedule.add_interviewer(store(), actor, seat.session_id, replacement.id)
                except DebriefError as problem:
                    show_problem(said(problem))
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
    # Under the whole row, not in its column: the day, the start and the button stay aligned.
    problem_under("change", "starts_at")
    place_col, place_go = st.columns([4, 1], vertical_alignment="bottom")
    place = place_col.text_input(
        "Place or video link",
        value=where.get(changing.session_id, ""),
        max_chars=schedule.LOCATION_MAX,
        placeholder="A room, an address or a video link",
        key=f"place_{stamp}",
    )
    problem_under("change", "location")
    moved_to = datetime.combine(new_day, new_time, tzinfo=zone())
    pending_key = f"confirm_move_{stamp}"

    def move(confirm: bool = False) -> None:
        """Move the session (and its place, if changed); a short break asks first."""
        try:
            schedule_changes.move_session(
                store(),
                actor,
                changing.session_id,
                moved_to,
                location=place,
                break_minutes=brk,
                confirm=confirm,
            )
        except ScheduleClash as clash:
            if clash.needs_confirmation:
                st.session_state[pending_key] = moved_to.isoformat()
                forget_problem("change")
                st.rerun()
            remember_problem("change", said(clash))
        except DebriefError as problem:
            remember_problem("change", problem)
        else:
            forget_problem("change")
            st.session_state.pop(pending_key, None)
            flash(f"{changing.session_title} moved; its interviewers are told.")
            st.rerun()

    if move_go.button("Move session", key=f"move_{stamp}"):
        move()
    if st.session_state.get(pending_key) == moved_to.isoformat():
        with st.container(border=True):
            show_clashes(
                schedule_changes.move_clashes(store(), actor, changing.session_id, moved_to, brk)
            )
            st.markdown("The candidate gets a shorter break than planned. Move it anyway?")
            if st.button("Move anyway", key=f"move_anyway_{stamp}"):
                move(confirm=True)
    if place_go.button(
        "Save place",
        key=f"save_place_{stamp}",
        disabled=place.strip() == where.get(changing.session_id, ""),
    ):
        try:
            schedule_changes.change_location(store(), actor, changing.session_id, place)
        except DebriefError as problem:
            remember_problem("change", problem)
        else:
            forget_problem("change")
            flash(f"{changing.session_title} has its new place; its interviewers are told.")
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
        if newcomer is not None:
            show_their_day([newcomer.id], local(changing.starts_at).date())
        if swap_go.button("Give the seat", key=f"do_swap_{stamp}", disabled=newcomer is None):
            try:
                schedule_changes.replace_interviewer(
                    store(), actor, seat.assignment_id, newcomer.id
                )
            except DebriefError as problem:
                remember_problem("change", said(problem))
            else:
                forget_problem("change")
                flash(f"{newcomer.name} now interviews for {seat.session_title}.")
                st.rerun()
    if st.button("Cancel this session", key=f"cancel_{stamp}", disabled=bool(scored)):
        try:
            schedule_changes.cancel_session(store(), actor, changing.session_id)
        except DebriefError as problem:
            remember_problem("change", problem)
        else:
            forget_problem("change")
            flash(f"{changing.session_title} is cancelled; its interviewers are told.")
            st.rerun()
    problem_under("change", "session")
    problem_on_top("change", ("starts_at", "interviewer", "session", "location"))

todo = [s for s in opening.sessions if s["position"] not in planned]
if not todo:
    if not standing:  # never a green line over a clash
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
gap = gap_col.number_input("Break between sessions (min)", 0, 120, 15, key=gap_key)
place = st.text_input(
    "Place or video link (for every session)",
    max_chars=schedule.LOCATION_MAX,
    placeholder="A room, an address or a video link",
    key=f"place_{candidate.id}",
)
everyone = their_day([p.id for p in interviewers], day)
st.markdown(f"**Interviewers on {day:%a %d %b}**")
table([{"interviewer": d.name, "sessions that day": busy_words(d)} for d in everyone], 8)

chosen_key = f"chosen_{candidate.id}"
chosen: dict[int, time] = st.session_state.setdefault(chosen_key, {})


def _chose(position: int, key: str) -> None:
    """The coordinator set this session's start themselves: it stays, the next ones follow."""
    st.session_state[chosen_key][position] = st.session_state[key]


times = schedule.day_times(
    datetime.combine(day, first, tzinfo=zone()),
    [(s["position"], s["minutes"]) for s in todo],
    gap,
    {p: datetime.combine(day, t, tzinfo=zone()) for p, t in chosen.items()},
)
plan: list[schedule.SessionPlan] = []
rows = {}  # each session's column, where its clashes are said
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
        f"Interviewers ({session['title']})",
        interviewers,
        format_func=lambda p: p.name,
        max_selections=2,
        key=f"who_{candidate.id}_{session['position']}",
        placeholder="One interviewer, or a pair",
        label_visibility="collapsed",
        select_all=False,  # a recruiter picks people: never "Select all"
    )
    rows[f"session.{session['position']}"] = cols[2]
    with cols[2]:
        problem_under("schedule", f"session.{session['position']}")
    if picked:
        plan.append(
            schedule.SessionPlan(
                session["position"], start_at, tuple(p.id for p in picked), location=place
            )
        )

# Clashes as the plan stands, under the session each concerns, before anything is saved.
found = schedule.plan_clashes(store(), actor, candidate.id, plan, gap) if plan else []
for clash in found:
    with rows[clash.placed.field]:
        show_clashes([clash])
warnings = schedule.plan_warnings(store(), actor, candidate.id, plan, double_bookings=False)
for warning in warnings:
    st.warning(plain_markdown(warning), icon=":material/warning:")
refused = any(c.refused for c in found)
shorter = [c for c in found if not c.refused]
confirmed = False
if refused:
    st.caption("A clash stands: change a time or an interviewer above to schedule.")
elif shorter:
    confirmed = st.checkbox(
        "Keep the shorter break: the candidate has less rest than planned",
        key=f"short_break_{candidate.id}",
    )
label = f"Schedule {len(plan)} session{'s' if len(plan) != 1 else ''}"
problem_on_top("schedule", tuple(f"session.{s['position']}" for s in todo))
if st.button(
    label, type="primary", disabled=not plan or refused or (bool(shorter) and not confirmed)
):
    try:
        schedule.schedule_day(
            store(), actor, candidate.id, plan, break_minutes=gap, confirm=confirmed
        )
    except DebriefError as problem:
        remember_problem("schedule", said(problem))
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
