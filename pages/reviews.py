"""Screens to review: the signed-in reviewer's resume screens, phone screens and take-homes, each
reviewed on its own against the stage's rubric (no one else's review is shown before it is in);
and, for a hiring manager, the screens waiting for their hand."""

import streamlit as st

from scoring import stage_reviews, take_homes
from scoring.errors import DebriefError
from scoring.text import FEEDBACK_MAX, REASON_MAX, plain_markdown
from ui import clock
from ui.guard import require
from ui.session import store
from ui.widgets import flash, show_flash, show_problem

actor = require("reviews")
st.title("Screens to review")
show_flash()

NOT_ASSESSED = "Not assessed"
mine = stage_reviews.my_reviews(store(), actor)
open_seats = [s for s in mine if not (s.done or s.recused or s.closed)]
chosen = st.query_params.get("seat")


def review_form(seat_id: int) -> None:
    """The review of one seat: the stage's rubric, a recommendation, notes."""
    sheet = stage_reviews.sheet(store(), actor, seat_id)
    seat = sheet.seat
    # A spot check is drawn like any review of the stage: nothing says how it was decided.
    st.subheader(
        f"{plain_markdown(seat.candidate, one_line=True)}"
        f" · {plain_markdown(seat.stage_title, one_line=True)}"
    )
    st.caption(plain_markdown(seat.opening_title))
    if seat.kind == "take_home":
        answer = take_homes.submission(store(), actor, seat_id)
        if answer:
            st.markdown(
                "The answer: "
                + plain_markdown(answer.submission, one_line=True)
                + (" (late)" if answer.late else "")
            )
    st.markdown(plain_markdown(sheet.rubric.assesses))
    with st.expander("Instructions to the reviewer"):
        st.markdown(plain_markdown(sheet.rubric.instructions))

    def anchors(criterion):
        return criterion.anchors_for(sheet.level)

    with st.form(f"review-{seat_id}"):
        criteria = {}
        for criterion in sheet.rubric.criteria:
            points = list(criterion.scale.points)
            options = points + ([] if criterion.required else [NOT_ASSESSED])
            picked = st.radio(
                plain_markdown(criterion.name, one_line=True),
                options,
                index=None,
                format_func=lambda p, c=criterion: (
                    p
                    if p == NOT_ASSESSED
                    else f"{p} · {plain_markdown(anchors(c).get(p, ''), one_line=True)}"
                ),
                key=f"r-{seat_id}-{criterion.id}",
            )
            criteria[criterion.id] = {
                "score": None if picked in (None, NOT_ASSESSED) else picked,
                "evidence": "",
            }
            if picked is None and criterion.required:
                criteria.pop(criterion.id)
        scale = sheet.scale
        points = [scale.min, scale.max] if sheet.forced_choice else list(scale.scale.points)
        overall = st.radio(
            "Recommendation",
            points,
            index=None,
            format_func=lambda p: f"{p} · {plain_markdown(scale.labels.get(p, ''), one_line=True)}",
            horizontal=True,
            key=f"o-{seat_id}",
        )
        notes = st.text_area(
            "Notes: what on the page or in the call supports your review",
            max_chars=FEEDBACK_MAX,
            key=f"n-{seat_id}",
        )
        if st.form_submit_button("Submit review", type="primary"):
            try:
                stage_reviews.review(store(), actor, seat_id, criteria, overall, notes)
            except DebriefError as exc:
                show_problem(exc)
            else:
                flash("Review submitted.")
                st.query_params.clear()
                st.rerun()
    with st.expander("I cannot review this candidate (conflict of interest)"):
        reason = st.text_input("Why", max_chars=REASON_MAX, key=f"why-{seat_id}")
        if st.button("Recuse myself", key=f"recuse-{seat_id}"):
            try:
                stage_reviews.recuse_review(store(), actor, seat_id, reason)
            except DebriefError as exc:
                show_problem(exc)
            else:
                flash("Recused: the review goes to another reviewer.")
                st.query_params.clear()
                st.rerun()


if chosen and chosen.isdigit():
    try:
        review_form(int(chosen))
    except DebriefError as exc:
        show_problem(exc)
    st.page_link("pages/reviews.py", label="Back to my reviews", icon=":material/arrow_back:")
    st.stop()

st.header("To review")
if not open_seats:
    st.info("You have no screens or take-homes to review.", icon=":material/info:")
for seat in open_seats:
    with st.container(border=True, horizontal=True, vertical_alignment="center", gap="medium"):
        st.markdown(
            f"**{plain_markdown(seat.candidate, one_line=True)}**"
            f" · {plain_markdown(seat.stage_title, one_line=True)}  \n"
            f"{plain_markdown(seat.opening_title)} · given {clock.when(seat.assigned_at)}",
            width="stretch",
        )
        st.page_link(
            "pages/reviews.py", label="Review", query_params={"seat": seat.seat_id}, width=90
        )

if actor.has("hiring_manager"):
    waiting = stage_reviews.awaiting_manager(store(), actor)
    st.header("Waiting for your decision")
    if not waiting:
        st.caption("No screen waits for you.")
    for item in waiting:
        with st.container(border=True):
            st.markdown(
                f"**{plain_markdown(item.candidate, one_line=True)}**"
                f" · {plain_markdown(item.stage_title, one_line=True)}"
                f" · {plain_markdown(item.opening_title)}  \n{item.why}"
            )
            try:
                for r in stage_reviews.reviews(store(), actor, item.candidate_id):
                    if r.position == item.position:
                        what = "spot check" if r.purpose == "spot_check" else "review"
                        score = "no score" if r.weighted is None else f"{r.weighted:.2f}"
                        st.markdown(
                            f"{plain_markdown(r.reviewer, one_line=True)} ({what}):"
                            f" recommendation {r.overall}, weighted {score}  \n"
                            f"{plain_markdown(r.notes)}"
                        )
            except DebriefError as exc:
                show_problem(exc)
            reason = st.text_input(
                "Why", max_chars=REASON_MAX, key=f"d-why-{item.candidate_id}-{item.position}"
            )
            advance, reject = st.columns(2)
            for column, outcome, label in (
                (advance, "advance", "Advance"),
                (reject, "reject", "Reject"),
            ):
                if column.button(label, key=f"d-{outcome}-{item.candidate_id}-{item.position}"):
                    try:
                        stage_reviews.decide(
                            store(), actor, item.candidate_id, item.position, outcome, reason
                        )
                    except DebriefError as exc:
                        show_problem(exc)
                    else:
                        flash(f"Recorded: {label.lower()}.")
                        st.rerun()

done = [s for s in mine if s.done or s.recused or s.closed]
if done:
    st.header("Done")
    for seat in done[:20]:
        state = "recused" if seat.recused else "reviewed" if seat.done else "closed"
        st.markdown(
            f"{plain_markdown(seat.candidate, one_line=True)}"
            f" · {plain_markdown(seat.stage_title, one_line=True)} · {state}"
        )
