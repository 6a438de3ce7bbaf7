"""Where the hiring manager answers a candidate in words: the feedback a declined candidate
asked for, written from its template (logistical reasons apart from performance, L2422-2432),
and the feedback on a take-home once its stage is decided (L1782). Call `show(store, actor,
candidate_id)` where the hiring manager works on a candidate; `consent_button` where an
interviewer reads their own submitted scorecard. Every rule is the services'
(`scoring.candidate_feedback`, `scoring.take_homes`); this module draws the forms."""

from __future__ import annotations

import streamlit as st

from scoring import candidate_feedback, take_homes
from scoring.errors import DebriefError
from scoring.outbox_words import TEXT_LIMIT
from scoring.permissions import Person
from scoring.store import Store
from scoring.text import plain_markdown
from ui.clock import when
from ui.widgets import (
    forget_problem,
    problem_on_top,
    problem_under,
    remember_problem,
    show_problem,
)

FORM = "candidate_feedback"
TAKE_HOME_FORM = "take_home_feedback"
TOAST = "candidate_feedback_done"


def show(store: Store, actor: Person, candidate_id: int) -> None:
    """The feedback forms for this candidate that fit now, for the opening's hiring manager:
    nothing for anyone else, nor for a candidate still in the process without a decided
    take-home."""
    message = st.session_state.pop(TOAST, None)
    if message:
        st.toast(message, icon=":material/check_circle:")
    try:
        view = candidate_feedback.feedback(store, actor, candidate_id)
        homes = take_homes.take_home(store, actor, candidate_id)
    except DebriefError:
        return
    if not view.may_write:  # the opening's hiring manager writes; the others read elsewhere
        return
    _take_home_feedback(store, actor, candidate_id, homes)
    if view.declined:
        _declined(store, actor, candidate_id, view)


def _done(form: str, message: str) -> None:
    forget_problem(form)
    st.session_state[TOAST] = message
    st.rerun()


def _take_home_feedback(store: Store, actor: Person, candidate_id: int, homes) -> None:
    ready = [h for h in homes if h.submission is not None and h.decided and not h.feedback_at]
    for home in homes:
        if home.feedback_at:
            st.caption(f"Feedback on the take-home sent {when(home.feedback_at)}.")
    if not ready:
        return
    with st.form(f"{TAKE_HOME_FORM}_{candidate_id}"):
        st.header("Feedback on the take-home")
        st.caption(
            "They gave their time: the least we can do is answer with constructive feedback."
            " What worked, what did not, what to look at next; in words, never a score."
        )
        problem_on_top(TAKE_HOME_FORM, ("feedback", "email"))
        text = st.text_area("Feedback", max_chars=TEXT_LIMIT, height=200)
        problem_under(TAKE_HOME_FORM, "feedback")
        problem_under(TAKE_HOME_FORM, "email")
        if st.form_submit_button("Send the feedback", type="primary"):
            try:
                take_homes.send_take_home_feedback(store, actor, candidate_id, text)
            except DebriefError as problem:
                remember_problem(TAKE_HOME_FORM, problem)
            else:
                _done(TAKE_HOME_FORM, "The feedback on the take-home is on its way.")


def _declined(store: Store, actor: Person, candidate_id: int, view) -> None:
    st.header("Feedback the candidate asked for")
    if view.state == "none":
        st.caption("Feedback is given only when asked: no request is recorded.")
        return
    if view.state == "sent":
        sent = next(s for s in reversed(view.steps) if s.step == "sent")
        st.caption(f"Sent {when(sent.at)}.")
        with st.container(border=True):
            st.text(view.subject + "\n\n" + view.text)
        return
    if view.state == "drafted":
        st.caption("Your latest draft waits for a coordinator to review and send it.")
    if not view.may_draft:
        return
    st.caption(
        "The message opens with some context for the candidate: an interview is a short and"
        " imperfect look, and the pool is often large. Then your two parts, kept apart; either"
        " may be left empty."
    )
    with st.form(f"{FORM}_{candidate_id}"):
        problem_on_top(FORM, ("logistical", "performance"))
        logistical = st.text_area(
            "Logistical reasons",
            value=view.logistical,
            max_chars=TEXT_LIMIT,
            help=candidate_feedback.LOGISTICAL_HELP,
        )
        st.caption(plain_markdown(candidate_feedback.LOGISTICAL_HELP))
        problem_under(FORM, "logistical")
        performance = st.text_area(
            "Performance",
            value=view.performance,
            max_chars=TEXT_LIMIT,
            height=200,
            help=candidate_feedback.PERFORMANCE_HELP,
        )
        st.caption(plain_markdown(candidate_feedback.PERFORMANCE_HELP))
        problem_under(FORM, "performance")
        if st.form_submit_button("Save for review", type="primary"):
            try:
                candidate_feedback.draft(store, actor, candidate_id, logistical, performance)
            except DebriefError as problem:
                remember_problem(FORM, problem)
            else:
                _done(FORM, "Saved: a coordinator reviews it and sends it.")
    if view.text:
        with st.expander("The message as the candidate will read it"):
            st.text(view.subject + "\n\n" + view.text)


def consent_button(store: Store, actor: Person, assignment_id: int) -> None:
    """For the interviewer of a submitted scorecard: agree that what they wrote may be quoted
    in feedback to the candidate, if the candidate is declined and asks for it."""
    key = f"consent_to_quote_{assignment_id}"
    if st.button("Let my written feedback be quoted to the candidate", key=key):
        try:
            candidate_feedback.consent_to_quote(store, actor, assignment_id)
        except DebriefError as problem:
            show_problem(problem)
        else:
            st.toast("Agreed: your words may be quoted.", icon=":material/check_circle:")
