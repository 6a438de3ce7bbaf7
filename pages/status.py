"""Submission status of an opening: who has submitted, who is late, missing or recused.
Never a score: the service returns none here."""

from collections import Counter

import streamlit as st

from scoring import mail, openings, outbox, scorecards
from scoring.errors import DebriefError
from scoring.text import plain_markdown
from ui.clock import when
from ui.guard import require
from ui.session import store
from ui.widgets import STATE_LABELS, flash, pick_opening, show_flash, show_problem, table

actor = require("status")
st.title("Status")
show_flash()

opening = pick_opening(openings.list_openings(store(), actor, "see_opening_status"))
if opening is None:
    st.stop()
st.caption(f"A scorecard is overdue {opening.overdue_hours:g} hours after its session ends.")

candidates = scorecards.opening_status(store(), actor, opening.id)
if not candidates:
    st.info("No candidates yet.", icon=":material/info:")
    st.stop()
rows = []
for candidate in candidates:
    states = Counter(seat.state for seat in candidate.seats)
    rows.append(
        {
            "candidate": candidate.candidate,
            "in": f"{states['submitted'] + states['late']} of"
            f" {len(candidate.seats) - states['recused']}",
            "overdue": states["overdue"],
            "late": states["late"],
            "recused": states["recused"],
            "debrief": "open" if candidate.debrief_open else "not yet",
        }
    )
table(rows)

missing = [
    (candidate, seat)
    for candidate in candidates
    if not candidate.withdrawn
    for seat in candidate.seats
    if seat.state in ("to_do", "overdue")
]
st.header("Missing scorecards")
if not missing:
    st.caption("Nobody owes a scorecard just now.")
for candidate, seat in missing:
    with st.container(border=True):
        left, right = st.columns([5, 1], vertical_alignment="center")
        reminded = (
            f"last reminded {when(seat.last_reminded_at)}"
            if seat.last_reminded_at
            else "not reminded yet"
        )
        left.markdown(
            f"**{plain_markdown(candidate.candidate, one_line=True)}** ·"
            f" {plain_markdown(seat.interviewer_name, one_line=True)} ·"
            f" {plain_markdown(seat.session_title, one_line=True)}: {STATE_LABELS[seat.state]},"
            f" {reminded}"
        )
        if right.button("Remind", key=f"remind_{seat.assignment_id}"):
            try:
                outbox.remind(store(), actor, seat.assignment_id)
            except DebriefError as problem:
                show_problem(problem)
            else:
                flash(f"{seat.interviewer_name} is reminded by email.")
                st.rerun()

for candidate in candidates:
    with st.expander(plain_markdown(candidate.candidate, one_line=True)):
        if not candidate.seats:
            st.caption("Nothing scheduled yet.")
        for seat in candidate.seats:
            when = (
                f", {seat.hours_after_session:.1f} h after the session" if seat.submitted_at else ""
            )
            st.markdown(
                f"- **{plain_markdown(seat.session_title, one_line=True)}**"
                f" · {plain_markdown(seat.interviewer_name)}: {STATE_LABELS[seat.state]}{when}"
                + (f" — {plain_markdown(seat.recusal_reason)}" if seat.recusal_reason else "")
            )

if openings.may_on_opening(store(), actor, "manage_opening", opening.id):
    st.header("Email")
    try:
        settings = mail.mail_settings()
    except mail.SettingsProblem as problem:
        settings = None
        show_problem(problem)
    counts = outbox.waiting(store())
    if settings is None:
        st.info(
            "Mail is off: no [smtp] host in .streamlit/secrets.toml. Messages wait in the"
            f" outbox ({counts['queued']} now); below is what would be sent.",
            icon=":material/mail:",
        )
    else:
        st.caption(
            f"Mail goes through {settings.host}: {counts['queued']} waiting,"
            f" {counts['sent']} sent, {counts['failed']} failed."
        )
    for message in outbox.messages(store(), actor, opening.id):
        label = f"{message.subject} — to {message.to} · {message.state}"
        with st.expander(plain_markdown(label, one_line=True)):
            if message.last_error:
                st.caption(plain_markdown(f"Last attempt: {message.last_error}"))
            st.text(message.text)
