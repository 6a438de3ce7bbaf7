"""One candidate's way through the process on the coordinator's Candidates page: their stages,
their take-home, their feedback, and the actions that fit where they are now (send the
take-home, record the answer, email their day, record the offer's answer, record a request for
feedback, approve and send it), then every message they were sent. The view and every rule are
`scoring.candidate_record`'s; this module draws it and calls the services."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from scoring import candidate_feedback, candidate_mail, people, stage_reviews, take_homes
from scoring.candidate_record import CandidateRecord, candidate_record
from scoring.errors import DebriefError
from scoring.permissions import Person
from scoring.store import Store
from scoring.text import NOTE_MAX, REASON_MAX, isolate, plain_markdown
from ui.clock import when
from ui.widgets import (
    flash,
    forget_problem,
    problem_on_top,
    problem_under,
    remember_problem,
    show_problem,
    table,
)

STATES = {
    "in_process": "in process",
    "rejected": "declined",
    "withdrawn": "withdrawn",
    "hired": "hired",
    "done": "through every stage",
}
KINDS = {
    "take_home": "the take-home",
    "take_home_reminder": "take-home reminder",
    "take_home_feedback": "feedback on the take-home",
    "schedule": "interview day",
    "feedback": "feedback",
}


def show(store: Store, actor: Person, candidate_id: int) -> None:
    """The candidate's section: where they are, what can be done now, what they were sent."""
    try:
        record = candidate_record(store, actor, candidate_id)
    except DebriefError as problem:
        show_problem(problem)
        return
    name = isolate(record.name)
    stage = record.stage
    st.markdown(
        f"**{plain_markdown(record.name, one_line=True)}** is at stage {stage.position},"
        f" {plain_markdown(stage.title, one_line=True)} ({stage.kind.lower()}):"
        f" {STATES.get(record.state, record.state)}."
    )
    table(
        [
            {
                "stage": f"{line.position}. {line.title}",
                "kind": line.kind,
                "state": line.state,
                "since": when(line.entered_at) if line.entered_at else "",
                "until": when(line.left_at) if line.left_at else "",
            }
            for line in record.stages
        ]
    )
    if not record.has_email:
        st.warning(
            "No email on file for this candidate: nothing can be sent to them.",
            icon=":material/mail_off:",
        )
    _take_homes(record)
    _actions(store, actor, record, name)
    _messages(record)


def _take_homes(record: CandidateRecord) -> None:
    for home in record.take_homes:
        if home.sent_at is None:
            continue
        parts = [f"Take-home sent {when(home.sent_at)}, due {when(home.deadline)}"]
        if home.submitted_at:
            late = " (late)" if home.late else ""
            parts.append(f"answer in {when(home.submitted_at)}{late}")
        else:
            parts.append("no answer yet")
        if home.feedback_at:
            parts.append(f"feedback sent {when(home.feedback_at)}")
        st.caption(plain_markdown("; ".join(parts) + "."))
        if home.sent:
            st.caption("Sent: " + plain_markdown(home.sent, one_line=True))
        if home.submission:
            st.caption("Answer: " + plain_markdown(home.submission, one_line=True))


def _run(form: str, action: Callable[[], object], done: str) -> None:
    """Call a service; on a refusal keep it for the form, else flash `done` and redraw."""
    try:
        action()
    except DebriefError as problem:
        remember_problem(form, problem)
    else:
        forget_problem(form)
        flash(done)
        st.rerun()


def _actions(store: Store, actor: Person, record: CandidateRecord, name: str) -> None:
    cid = record.candidate_id
    actions = record.actions
    if "send_take_home" in actions:
        with st.form(f"send_take_home_{cid}"):
            st.subheader("Send the take-home")
            st.caption(
                "The email says how long it should take, the deadline, and what is and is not"
                " allowed; a reminder goes a day before the deadline unless the answer is in."
            )
            problem_on_top("send_take_home", ("brief", "email"))
            brief = st.text_input("What to send: a link, or the assignment's name", max_chars=500)
            problem_under("send_take_home", "brief")
            problem_under("send_take_home", "email")
            if st.form_submit_button("Send the take-home", type="primary"):
                _run(
                    "send_take_home",
                    lambda: take_homes.send_take_home(store, actor, cid, brief),
                    f"The take-home is on its way to {name}.",
                )
    if "record_submission" in actions:
        with st.form(f"record_submission_{cid}"):
            st.subheader("Record the answer")
            st.caption(
                "A link or a file name: Debrief keeps no files. On a blind stage, it may not"
                " carry the candidate's name. The stage's reviewers get the review at once."
            )
            problem_on_top("record_submission", ("submission",))
            answer = st.text_input("The answer's link or file name", max_chars=500)
            problem_under("record_submission", "submission")
            if st.form_submit_button("Record the answer", type="primary"):
                _run(
                    "record_submission",
                    lambda: take_homes.record_submission(store, actor, cid, answer),
                    f"{name}'s answer is recorded and with the reviewers.",
                )
    if "send_schedule" in actions:
        with st.container(border=True):
            st.subheader("Email the candidate their day")
            st.caption(
                "Each session's time, title and interviewers, the breaks and the day's length,"
                " with a calendar. Send it again after a change: it replaces the one before."
            )
            problem_on_top("send_schedule", ())
            if st.button("Email the day", key=f"send_schedule_{cid}", type="primary"):
                _run(
                    "send_schedule",
                    lambda: candidate_mail.send_schedule(store, actor, cid),
                    f"{name}'s day is on its way to them.",
                )
    if (
        record.state == "in_process"
        and record.stage.kind in ("Screen", "Take-home")
        and actor.has("coordinator")
    ):
        with st.form(f"assign_reviewer_{cid}"):
            st.subheader("Give the review to another reviewer")
            st.caption(
                "When a reviewer is away, recused or no longer reviews: the stage goes on"
                " once the reviews that count are in."
            )
            problem_on_top("assign_reviewer", ("reviewer",))
            able = [
                p
                for p in people.list_people(store, actor)
                if p.active and (p.has("interviewer") or p.has("hiring_manager"))
            ]
            reviewer = st.selectbox("Reviewer", able, format_func=lambda p: p.name)
            problem_under("assign_reviewer", "reviewer")
            if st.form_submit_button("Give the review") and reviewer is not None:
                _run(
                    "assign_reviewer",
                    lambda: stage_reviews.assign_reviewer(
                        store, actor, cid, record.stage.position, reviewer.id
                    ),
                    f"The review is with {reviewer.name}.",
                )
    if "record_offer" in actions:
        with st.form(f"record_offer_{cid}"):
            st.subheader("The offer's answer")
            problem_on_top("record_offer", ("reason",))
            accepted = st.radio("Their answer", ["Accepted", "Declined"], horizontal=True)
            reason = st.text_input("Why they declined (if they did)", max_chars=REASON_MAX)
            problem_under("record_offer", "reason")
            if st.form_submit_button("Record the answer", type="primary"):
                _run(
                    "record_offer",
                    lambda: stage_reviews.record_offer(
                        store, actor, cid, accepted == "Accepted", reason
                    ),
                    f"{name}'s answer to the offer is recorded.",
                )
    _feedback(store, actor, record, name)


def _feedback(store: Store, actor: Person, record: CandidateRecord, name: str) -> None:
    cid, view = record.candidate_id, record.feedback
    if not view.declined:
        return
    st.subheader("Feedback")
    if "record_feedback_request" in record.actions:
        st.caption(
            "Feedback goes to a declined candidate only when they ask for it. The hiring manager"
            " writes it; someone else reviews and sends it."
        )
        with st.form(f"feedback_request_{cid}"):
            problem_on_top("feedback_request", ("note",))
            note = st.text_input("How and when they asked", max_chars=NOTE_MAX)
            problem_under("feedback_request", "note")
            if st.form_submit_button("Record the request"):
                _run(
                    "feedback_request",
                    lambda: candidate_feedback.record_request(store, actor, cid, note),
                    f"{name}'s request for feedback is recorded. The hiring manager writes it.",
                )
    elif view.state == "requested":
        st.caption("Requested: the hiring manager writes it.")
    elif view.state == "sent":
        sent = next(s for s in reversed(view.steps) if s.step == "sent")
        st.caption(f"Sent {when(sent.at)}: it goes out once.")
    if view.state == "drafted":
        by = plain_markdown(view.drafted_by or "the hiring manager", one_line=True)
        st.caption(f"Written by {by}. Read it as the candidate will:")
        with st.container(border=True):
            st.text(view.subject + "\n\n" + view.text)
        if "approve_feedback" in record.actions:
            problem_on_top("approve_feedback", ())
            if st.button("Approve and send", key=f"approve_feedback_{cid}", type="primary"):
                _run(
                    "approve_feedback",
                    lambda: candidate_feedback.approve_and_send(store, actor, cid),
                    f"The feedback is on its way to {name}.",
                )
        elif view.why_not_send:
            st.info(plain_markdown(view.why_not_send[:1].upper() + view.why_not_send[1:] + "."))


def _messages(record: CandidateRecord) -> None:
    st.subheader("Messages to the candidate")
    if not record.messages:
        st.caption("Nothing sent to them yet.")
        return
    table(
        [
            {
                "written": when(m.created_at),
                "what": KINDS.get(m.kind, m.kind),
                "subject": m.subject,
                "state": m.state if m.withdrawn is None else f"not sent: {m.withdrawn}",
                "sent": when(m.sent_at)
                if m.sent_at
                else (f"due {when(m.due_at)}" if m.state == "queued" else ""),
            }
            for m in record.messages
        ]
    )
    for m in record.messages:
        with st.expander(f"{when(m.created_at)} · {KINDS.get(m.kind, m.kind)}"):
            st.text(m.text)
