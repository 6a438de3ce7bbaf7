"""One interview's scorecard: score it against the rubric, save a draft, submit (final), correct
it with a reason, recuse, and, when the opening's reveal rule allows, read the others'."""

from dataclasses import replace
from datetime import UTC, datetime

import streamlit as st

from scoring import drafts, openings, questions, scorecards
from scoring.errors import DebriefError, NotAllowed
from scoring.text import EVIDENCE_MAX, REASON_MAX, plain_markdown
from ui import candidate_feedback_form
from ui.clock import span, when
from ui.guard import require, require_again
from ui.scorecard_form import (
    KEEP_TYPING_SAVED,
    Entered,
    bar_style,
    draft_of,
    has_content,
    save_state,
    scorecard_form,
    values_of,
)
from ui.scorecard_view import corrected, show_scorecard
from ui.session import session_ended, store
from ui.widgets import flash, seat_label, show_flash, show_problem, where

actor = require("scorecard")

try:
    assignment_id = int(st.query_params.get("assignment", ""))
    sheet = scorecards.sheet(store(), actor, assignment_id)
    # The questions drawn for this seat: read once a page run (they never change), and shown
    # by the form's own reruns too.
    asked = questions.seat_questions(store(), actor, assignment_id)
except (ValueError, DebriefError):
    st.info("Choose one of your interviews to score it.", icon=":material/assignment:")
    st.page_link("pages/my_interviews.py", label="My interviews", icon=":material/arrow_back:")
    st.stop()

REVEAL = {
    "after_own": "Once you submit, you will see the other interviewers' scorecards.",
    "all_in": "Others' scorecards are shown once every interviewer has submitted.",
}


def where_it_stands(sheet: scorecards.Sheet) -> str:
    """The line under the heading: when, which opening, where the seat stands, where."""
    label = seat_label(sheet.state, sheet.draft is not None)
    return (
        f"{span(sheet.starts_at, sheet.ends_at)} · {plain_markdown(sheet.opening.title)} · {label}"
        + (f"  \n{where(sheet.location)}" if sheet.location else "")
    )


st.page_link("pages/my_interviews.py", label="My interviews", icon=":material/arrow_back:")
st.title(plain_markdown(sheet.candidate, one_line=True))
st.header(plain_markdown(sheet.session_title, one_line=True))
# A slot: the form fills it, on every run of its own ("Draft saved" once the first draft is in).
standing = st.empty()
if sheet.own is not None or sheet.recusal_reason:  # no form on the page
    standing.caption(where_it_stands(sheet))
show_flash()

if sheet.recusal_reason:
    st.info(
        f"You recused yourself from this interview: {plain_markdown(sheet.recusal_reason)}. The"
        " coordinator has been shown that a replacement is needed.",
        icon=":material/do_not_disturb_on:",
    )
    st.stop()

st.caption(plain_markdown(sheet.rubric.assesses))
with st.expander("How to run and score this session (instructions)", key="instructions"):
    st.markdown(plain_markdown(sheet.rubric.instructions))


PENDING = f"pending_{sheet.assignment_id}"


def forget_pending() -> None:
    st.session_state.pop(PENDING, None)


@st.dialog("Submit this scorecard?", on_dismiss=forget_pending)
def confirm(entered: Entered, revising: bool) -> None:
    if revising:
        st.write("The correction becomes a new revision with your reason; the earlier one is kept.")
        if sheet.sees_others:
            st.warning(
                "You have already seen others' scores: the correction will be marked as made"
                " after seeing them, on the debrief and in the export.",
                icon=":material/visibility:",
            )
    else:
        st.write(
            "A submitted scorecard is final: a later correction is a new revision with a reason."
        )
        st.write(REVEAL[sheet.opening.reveal_rule])
    go, back = st.columns(2)
    if back.button("Back to the form"):
        forget_pending()
        st.rerun()
    if go.button("Submit: it is final", type="primary"):
        forget_pending()
        try:
            if revising:
                scorecards.revise(
                    store(),
                    actor,
                    sheet.assignment_id,
                    reason=entered.reason,
                    overall=entered.overall,
                    feedback=entered.feedback,
                    criteria=entered.criteria,
                )
            else:
                scorecards.submit(
                    store(),
                    actor,
                    sheet.assignment_id,
                    overall=entered.overall,
                    feedback=entered.feedback,
                    criteria=entered.criteria,
                )
        except DebriefError as problem:
            show_problem(problem)
        else:
            flash("Correction submitted." if revising else "Scorecard submitted. Thank you.")
            st.rerun()


SAVED = f"saved_{sheet.assignment_id}"
# Where the seat stands after the change a widget's callback saved in this run: the form's rerun
# that follows reads nothing again (see `scoring`). Taken by that rerun, or by the page's next
# run, whichever comes first.
CHECKED = f"checked_{sheet.assignment_id}"


def autosave(sheet: scorecards.Sheet, actor) -> drafts.DraftStanding | None:
    """What the form holds goes to the draft on the server (a widget's callback, and the form's
    check after it is drawn); returns where the seat stands with it saved, None when it could
    not be saved."""
    try:
        saved = drafts.save_draft(store(), actor, sheet.assignment_id, draft_of(sheet))
    except DebriefError as problem:
        st.session_state[SAVED] = ("failed", str(problem))
        return None
    st.session_state[SAVED] = ("saved", datetime.now(UTC))
    return saved


def save_change(sheet: scorecards.Sheet, actor) -> None:
    """A widget's callback: the change goes to the draft at once. The run it starts may show
    another page (a link followed straight after typing), where this form never runs again, so
    the change cannot wait for the form's rerun. A callback runs before any guard of that run:
    it saves nothing for a session that has ended elsewhere, and the save itself checks the
    seat and the person's right to score it (`drafts.save_draft`). Both on one connection; a
    save that went through leaves where the seat stands for the form's rerun (`CHECKED`)."""
    with store().one_connection():
        saved = None if session_ended() else autosave(sheet, actor)
    if saved is not None:
        st.session_state[CHECKED] = saved


def save_line(sheet: scorecards.Sheet, actor, held: drafts.Draft | None, progress: str) -> str:
    """ "Saved 11:42" in the bar under the form, or "Not saved — retrying" with the reason,
    after where the scorecard stands (`progress`); the browser's script turns it into "Saving…"
    while what is on screen has not reached the server. `held` is what the server holds: the
    draft read with the sheet, or the one this run saved after it."""
    state, detail = st.session_state.get(SAVED) or (
        ("saved", sheet.draft_saved_at) if sheet.draft_saved_at else (None, None)
    )
    if state == "failed":
        retried = autosave(sheet, actor)  # retried on every run until it goes through
        held = retried.draft if retried is not None else held
        state, detail = st.session_state[SAVED]
    if state == "saved":
        text = f"☁ Saved {when(detail, '%H:%M')}"
    elif state == "failed":
        text = f"Not saved — retrying. {detail}"
    else:
        text = "Every change is saved as you go."
    return save_state(sheet, held, text, failed=state == "failed", progress_line=progress)


def handle(entered: Entered | None, revising: bool) -> None:
    if entered is None:
        return
    if entered.action == "draft":
        if autosave(sheet, actor) is not None:
            flash("Draft saved. It is kept until you submit, also if you sign out.")
            st.rerun()
        return
    # The form has checked it, each problem next to its field. Kept until confirmed or
    # dismissed, so the dialog survives a full rerun.
    st.session_state[PENDING] = (entered, revising)


def confirm_if_pending() -> None:
    if PENDING in st.session_state:
        confirm(*st.session_state[PENDING])


def score(now: scorecards.Sheet, who) -> None:
    """The form for the sheet as it stands now, its save line, and the dialog to submit."""
    # Always drawn, whatever it says: a line that appeared above the form once the first
    # draft is saved would move the form down one place, and Streamlit redraws a moved block
    # afresh, taking the focus (and every later keystroke) from the box being typed in.
    st.caption(
        "Your draft is filled in below; every change is saved as you go."
        if now.draft
        else "Every change is saved as you go, also your notes before the interview."
    )

    def bar_line(progress: str) -> str:
        # Made once every field is drawn, so it carries what the server holds once this run's
        # saving is done. A change callback is not the only way a value reaches the server (a
        # widget's state can be set without one): whatever the form holds that differs from
        # the stored draft is saved. A rerun that changes nothing writes nothing.
        held = now.draft
        now_on_form = draft_of(now)
        if now_on_form != (now.draft or now_on_form) or (
            now.draft is None and has_content(now_on_form)
        ):
            saved = autosave(now, who)
            held = saved.draft if saved is not None else held
        return save_line(now, who, held, progress)

    entered = scorecard_form(
        now,
        start=now.draft,
        revising=False,
        changed=lambda: save_change(now, who),
        styled=False,  # drawn by the page below, once a page run
        bar_line=bar_line,
        asked=asked,
    )
    handle(entered, revising=False)
    confirm_if_pending()


def as_it_stands(seat: drafts.DraftStanding) -> scorecards.Sheet:
    """The page's sheet with where the seat stands now (its times, state, rubric and draft),
    and the line under the heading drawn again with it. A seat submitted or recused meanwhile
    (in another tab) reruns the page, which changes."""
    if not seat.open:
        st.rerun(scope="app")
    now = replace(
        sheet,
        starts_at=seat.seat.starts_at,
        ends_at=seat.seat.ends_at,
        rubric=seat.rubric,
        state=seat.seat.state,
        draft=seat.draft,
        draft_saved_at=seat.saved_at,
        may_submit=seat.may_submit,
        location=seat.seat.location,
    )
    standing.caption(where_it_stands(now))
    return now


@st.fragment
def scoring(fresh: list[scorecards.Sheet]) -> None:
    """The form (`score`). A fragment: a point chosen or a text committed reruns only this, not
    the page around it (nor app.py's menu). Each run reads only what it has not checked yet:
    - the page's run: nothing; the sheet the page has just read is handed over (`fresh`, once);
    - its own rerun after a change its callback saved: nothing; in this same run the callback
      checked the session, and the save the person, their role and the seat, and read where
      the seat stands (`CHECKED`);
    - any other rerun of its own (a button, a failed save): who is signed in (`require_again`)
      and where the seat stands (`drafts.draft_standing`), on one connection with its saves.
    The candidate and the opening are the page's: they do not change under an open form."""
    checked = st.session_state.pop(CHECKED, None)
    if fresh:
        now = fresh.pop()
        # Written on every page run: Streamlit lets the form's reruns write outside the form
        # only where its page run did (and on every rerun: what it does not write again, it
        # removes).
        standing.caption(where_it_stands(now))
        score(now, actor)
    elif checked is not None:
        score(as_it_stands(checked), actor)  # the save re-read the person: `actor` is its id
    else:
        with store().one_connection():
            who = require_again("scorecard")
            try:
                checked = drafts.draft_standing(store(), who, assignment_id)
            except DebriefError:
                st.rerun(scope="app")  # the seat is gone or no longer theirs: the page says so
            score(as_it_stands(checked), who)


CHEATING = f"cheating_{sheet.assignment_id}"


def flag_cheating_box() -> None:
    """The box "Flag suspected cheating": what the interviewer saw, optionally the drawn
    question it concerns, recorded for the decision makers (never a score). Drawn only while
    open."""
    box = st.expander("Flag suspected cheating", key="cheating", on_change="rerun")
    if not box.open:
        keep_while_shut([CHEATING, f"{CHEATING}_question"])
        return
    with box:
        st.write(
            "If you saw signs that the answers were not the candidate's own (read from another"
            " screen, looked up, given by someone else), record what you saw. The hiring manager"
            " and the committee see it on the debrief as a recorded fact: it is not a score and"
            " changes no score."
        )
        choices = [None, *sorted(q.id for q in asked.values())]
        question = st.selectbox(
            "Which question does it concern? (optional)",
            choices,
            format_func=lambda q: "The session as a whole" if q is None else q,
            key=f"{CHEATING}_question",
        )
        evidence = st.text_area(
            "What did you see or hear? (required)", key=CHEATING, max_chars=EVIDENCE_MAX
        )
        if st.button("Record the flag", icon=":material/flag:"):
            try:
                questions.flag_cheating(
                    store(), actor, sheet.assignment_id, evidence, question_id=question
                )
            except DebriefError as problem:
                show_problem(problem)
            else:
                st.session_state.pop(CHEATING, None)
                flash(
                    "Flag recorded. The decision makers will see it, with your evidence, on the"
                    " debrief; it changes no score."
                )
                st.rerun()


def keep_while_shut(keys: list[str]) -> None:
    """What was typed in a box's fields outlives the box being shut. Streamlit forgets a field's
    value in a run that does not draw it, and a shut box's fields are not drawn: while it is
    shut, their values are written back as the session's own (kept, and taken up by the fields
    when the box opens again). Only fields: a button's state may not be written."""
    state = st.session_state
    for k in keys:
        if k in state:
            state[k] = state[k]


if sheet.own is None:
    st.html(bar_style(f"score_{sheet.assignment_id}"))
    scoring([sheet])
    st.html(KEEP_TYPING_SAVED, unsafe_allow_javascript=True)
    # Drawn only while open (opening it reruns the page): shut, its form costs no messages.
    conflict = st.expander("Declare a conflict of interest", key="conflict", on_change="rerun")
    if not conflict.open:
        keep_while_shut([f"recuse_{sheet.assignment_id}"])
    else:
        with conflict:
            st.write(
                "If you know the candidate personally or have another conflict of interest, say"
                " so before scoring. The interview leaves your list and the coordinator finds"
                " a replacement."
            )
            reason = st.text_input(
                "What is the conflict?", key=f"recuse_{sheet.assignment_id}", max_chars=REASON_MAX
            )
            if st.button("Recuse myself from this interview"):
                try:
                    openings.recuse(store(), actor, sheet.assignment_id, reason)
                except DebriefError as problem:
                    show_problem(problem)
                else:
                    flash(
                        "You have recused yourself; the coordinator sees that a replacement is"
                        " needed."
                    )
                    st.rerun()
    flag_cheating_box()
    st.stop()

if sheet.own.revision > 1:
    st.success(
        plain_markdown(
            f"Submitted {when(sheet.own.first_submitted_at)}, {corrected(sheet.own)}"
            f" (last on {when(sheet.own.submitted_at)})."
        ),
        icon=":material/task_alt:",
    )
else:
    st.success(
        f"Submitted {when(sheet.own.first_submitted_at)}. This scorecard is final: a correction"
        " would be a new revision with your reason.",
        icon=":material/task_alt:",
    )
with st.container(border=True):
    show_scorecard(sheet.own, sheet.rubric, sheet.opening, who=False, asked=asked)
# The correction's form (a whole scorecard's worth of fields) is drawn only while its box is
# open: opening it reruns the page.
correction = st.expander("Correct this scorecard", key="correct", on_change="rerun")
if not correction.open:
    revise = f"revise_{sheet.assignment_id}"
    keep_while_shut(
        [f"{revise}_{suffix}" for suffix in ("overall", "feedback", "reason")]
        + [f"{revise}_{c.id}{part}" for c in sheet.rubric.criteria for part in ("", "_evidence")]
    )
else:
    with correction:
        if sheet.sees_others:
            st.warning(
                "You have seen others' scores: a correction now is marked as made after seeing"
                " them.",
                icon=":material/visibility:",
            )
        handle(
            scorecard_form(sheet, start=values_of(sheet.own), revising=True, asked=asked),
            revising=True,
        )
        confirm_if_pending()
flag_cheating_box()
candidate_feedback_form.consent_button(store(), actor, sheet.assignment_id)

st.header("The other interviewers")
try:
    cards = scorecards.others(store(), actor, sheet.candidate_id)
except NotAllowed as hidden:
    st.info(plain_markdown(str(hidden)), icon=":material/visibility_off:")
else:
    if not cards:
        st.caption("Nobody else has submitted yet.")
    for card in cards:
        label = (
            f"**{plain_markdown(card.interviewer_name, one_line=True)}**"
            f" · {plain_markdown(card.session_title, one_line=True)} ·"
            f" {card.overall} {plain_markdown(sheet.opening.scale.labels[card.overall])}"
        )
        with st.expander(label, key=f"card_{card.assignment_id}"):
            show_scorecard(
                card, openings.rubric(store(), card.rubric_hash), sheet.opening, who=False
            )
