"""Submission status of an opening: who has submitted, who is late, missing or recused.
Never a score: the service returns none here. Bounded by a window of session dates (the recent
past and the weeks ahead by default) and paged, so it costs what the window holds. For
coordinators, what retention erases when, across every opening (`scoring.retention.due`)."""

from datetime import datetime, timedelta

import streamlit as st

from scoring import mail, openings, outbox, retention, retention_notice, status
from scoring.errors import DebriefError
from scoring.text import plain_markdown
from ui.clock import local, today, when, zone
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

now = today()
window = st.date_input(
    "Sessions between",
    value=(
        now - timedelta(days=status.RECENT_DAYS),
        now + timedelta(days=status.AHEAD_DAYS),
    ),
    key=f"status_window_{opening.id}",
)
first, last = (window[0], window[-1]) if window else (now, now)
page_key = f"status_page_{opening.id}"
view = status.status_page(
    store(),
    actor,
    opening.id,
    datetime.combine(first, datetime.min.time(), tzinfo=zone()),
    datetime.combine(last + timedelta(days=1), datetime.min.time(), tzinfo=zone()),
    page=st.session_state.get(page_key, 1),
)
candidates = view.candidates
if not candidates:
    st.info("No candidate has a session between these dates.", icon=":material/info:")
elif view.pages > 1:
    st.caption(
        f"{view.total} candidates with a session between these dates, latest first:"
        f" page {view.page} of {view.pages}."
    )
rows = []
for candidate in candidates:
    counts = status.status_counts([candidate])
    rows.append(
        {
            "candidate": candidate.candidate,
            "in": f"{counts.submitted} of {counts.expected}",
            "overdue": counts.overdue,
            "late": counts.late,
            "recused": counts.recused,
            "debrief": "open" if candidate.debrief_open else "not yet",
        }
    )
if rows:
    total = view.counts
    st.caption(
        f"On this page: {total.submitted} of {total.expected} scorecards in"
        f" ({total.late} late), {total.overdue} overdue, {total.recused} recused;"
        f" {total.debriefs_open} of {total.candidates} debriefs open."
    )
    table(rows)
if view.pages > 1:
    back, forward = st.columns(2)
    if back.button("Previous page", disabled=view.page <= 1):
        st.session_state[page_key] = view.page - 1
        st.rerun()
    if forward.button("Next page", disabled=view.page >= view.pages):
        st.session_state[page_key] = view.page + 1
        st.rerun()

missing = view.missing
st.header("Missing scorecards")
st.caption(
    "From the sessions between these dates, on every page, oldest first"
    + (
        f": the first {len(missing)}; move the first date later for the others."
        if view.more_missing
        else "."
    )
)
if not missing:
    st.caption("Nobody owes a scorecard for these sessions just now.")
GAP = f"{outbox.REMIND_AGAIN_AFTER.total_seconds() / 3600:g} hours"


def mail_on() -> bool:
    """Whether a queued reminder goes out now, or waits in the outbox (mail off or misset)."""
    try:
        return mail.mail_settings() is not None
    except mail.SettingsProblem:
        return False


def at_time(moment: datetime) -> str:
    """``22:18 CET`` today, ``Fri 20 Nov 22:18 CET`` on another day: the viewer's time."""
    return when(moment, "%H:%M") if local(moment).date() == today() else when(moment)


def on_its_way(count: int) -> str:
    goes = "goes out by email now" if mail_on() else "waits in the outbox: mail is off"
    return goes if count == 1 else goes.replace("goes", "go").replace("waits", "wait")


def already_words(count: int) -> str:
    if not count:
        return ""
    who = "1 interviewer was" if count == 1 else f"{count} interviewers were"
    return f" {who} already reminded in the last {GAP}, so not again."


def left_out_words(count: int) -> str:
    if not count:
        return ""
    who = "1 interviewer is" if count == 1 else f"{count} interviewers are"
    return (
        f" {who} no longer active or no longer an interviewer, so not reminded: give their"
        " seats to someone else on Interview day."
    )


overdue_here = any(seat.state == "overdue" for _, seat in missing) or view.more_missing
if overdue_here and st.button(
    "Remind everyone overdue",
    key="remind_overdue",
    help="Everyone whose scorecard is overdue for a session between these dates, except"
    f" those reminded in the last {GAP}.",
):
    try:
        done = outbox.remind_overdue(
            store(),
            actor,
            opening.id,
            datetime.combine(first, datetime.min.time(), tzinfo=zone()),
            datetime.combine(last + timedelta(days=1), datetime.min.time(), tzinfo=zone()),
        )
    except DebriefError as problem:
        show_problem(problem)
    else:
        also = already_words(done.already) + left_out_words(done.left_out)
        if done.queued:
            sent = "1 reminder" if done.queued == 1 else f"{done.queued} reminders"
            flash(f"{sent} {on_its_way(done.queued)}.{also}")
            st.rerun()
        elif done.already or done.left_out:
            st.info(f"Nothing sent:{also}", icon=":material/schedule:")
        else:
            st.info("Nobody is overdue between these dates.", icon=":material/info:")
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
                done = outbox.remind(store(), actor, seat.assignment_id)
            except DebriefError as problem:
                show_problem(problem)
            else:
                if done.queued:
                    flash(f"A reminder to {seat.interviewer_name} {on_its_way(1)}.")
                    st.rerun()
                st.info(
                    plain_markdown(
                        f"{seat.interviewer_name} was already reminded at {at_time(done.at)}:"
                        f" nothing sent. A reminder goes out at most once in {GAP}."
                    ),
                    icon=":material/schedule:",
                )

for candidate in candidates:
    with st.expander(
        plain_markdown(candidate.candidate, one_line=True),
        key=f"candidate_{candidate.candidate_id}",
    ):
        if not candidate.seats:
            st.caption("Nothing scheduled yet.")
        for seat in candidate.seats:
            after = (
                f", {seat.hours_after_session:.1f} h after the session" if seat.submitted_at else ""
            )
            st.markdown(
                f"- **{plain_markdown(seat.session_title, one_line=True)}**"
                f" · {plain_markdown(seat.interviewer_name)}: {STATE_LABELS[seat.state]}{after}"
                + (f" — {plain_markdown(seat.recusal_reason)}" if seat.recusal_reason else "")
            )

MAIL_STATES = {
    "queued": "waiting to be sent",
    "sending": "being sent",
    "sent": "sent",
    "failed": "not delivered",
}
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
        refused = counts["failed"] - counts["withdrawn"]
        st.caption(
            f"Mail goes through {settings.host}: {counts['queued']} waiting,"
            f" {counts['sent']} sent, {refused} failed"
            + (
                f", {counts['withdrawn']} not sent because the person no longer holds the"
                " role or is no longer active."
                if counts["withdrawn"]
                else "."
            )
        )
    for message in outbox.messages(store(), actor, opening.id):
        # A withdrawn message says why in words: "not sent: Ana Alvarez is no longer active".
        state = MAIL_STATES[message.state]
        if message.withdrawn:
            state = f"not sent: {message.withdrawn}"
        label = f"{message.subject} — to {message.to} · {state}"
        with st.expander(plain_markdown(label, one_line=True), key=f"message_{message.id}"):
            if message.withdrawn:
                st.caption(plain_markdown(f"Not sent, and it will not be: {message.withdrawn}."))
            elif message.last_error:
                st.caption(plain_markdown(f"Last attempt: {message.last_error}"))
            st.text(message.text)


def retention_rows(entries: list[retention.Due], settings, held: bool = False) -> list[dict]:
    """Candidates as retention lists them: by alias and id, never by name, dated in the
    viewer's zone; a hold's reason is text as typed (a table cell renders no Markdown)."""
    rows = []
    for entry in entries:
        row = {
            "candidate": entry.alias,
            "id": entry.candidate_id,
            "opening": entry.opening,
            "due": retention.day(entry.due_at, zone())
            or ("not due (in process)" if entry.kind == "in process" else "not due"),
        }
        if held:
            row["hold"] = entry.hold or ""
        else:
            erase_from = entry.erase_from(settings)
            row["erased from"] = (
                retention.day(erase_from, zone())
                if erase_from
                else "after a notice to coordinators"
            )
        row["why"] = entry.why_in(zone())
        rows.append(row)
    return rows


if retention.may_see_due(store(), actor):
    st.header("Retention")
    try:
        kept = retention.due(store(), actor)
    except DebriefError as problem:
        show_problem(problem)
    else:
        holding = (
            "A legal hold keeps a candidate until it is lifted: on the candidate's Privacy panel,"
            " or with this command (their id from the list; it asks for your access code):"
        )
        if kept.settings is None:  # off until configured: nobody is due, the held are listed
            st.info(plain_markdown(retention.NOT_CONFIGURED))
            st.caption(holding)
            lists = [("Under a legal hold", kept.held, kept.held_count, True)]
            empty = "Nobody is held."
        else:
            notice = kept.settings.notice_days
            st.caption(
                "Across every opening. Candidates whose process has ended are erased (their"
                " name, email and every text about them; their scores and decisions stay as"
                " numbers) after the [retention] settings' period, and coordinators are emailed"
                f" {notice} days before. {kept.settings.words()} {holding}"
            )
            st.markdown(
                f"**{kept.overdue_count}** past their date · **{kept.soon_count}** due within"
                f" {notice} days · **{kept.held_count}** under a legal hold"
            )
            lists = [
                (
                    "Past their date: erased by the next daily run",
                    kept.overdue,
                    kept.overdue_count,
                    False,
                ),
                (f"Due within {notice} days", kept.soon, kept.soon_count, False),
                ("Under a legal hold: never erased", kept.held, kept.held_count, True),
            ]
            empty = f"Nobody is due within {notice} days, and nobody is held."
        st.code(retention_notice.hold_command(actor.email), language=None, wrap_lines=True)
        for title, entries, count, held in lists:
            if not count:
                continue
            st.subheader(title)
            if count > len(entries):
                st.caption(f"The first {len(entries)} of {count}, earliest date first.")
            table(retention_rows(entries, kept.settings, held))
        if not any(count for _title, _entries, count, _held in lists):
            st.caption(empty)
