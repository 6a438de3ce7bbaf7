"""The Insights page's per-question section (issue 27): for each question drawn from the
opening's pools, how often it was asked, how its criterion was scored, its pass rate, its
cheating flags and, where paired, agreement; and retiring a question (leaked, too easy)."""

import streamlit as st

from scoring import questions
from scoring.errors import DebriefError, NotAllowed
from scoring.insights import questions as figures_of
from scoring.text import REASON_MAX, plain_markdown
from ui.widgets import show_problem, table

RETIRED = "retired_question"  # the confirmation kept across the rerun that follows retiring


def rows(figures: figures_of.QuestionFigures) -> list[dict]:
    """The table's rows: every figure with its n, as text (a dataframe shows text as text)."""
    return [
        {
            "Rubric": f.rubric_id,
            "Criterion": f.criterion,
            "Question": f"{f.question_id} v{', v'.join(map(str, f.versions))}"
            + (" (retired)" if f.retired else ""),
            "Drawn": f.drawn,
            "Scorecards in": f.asked,
            "Scores given": f.distribution_words
            + (f"; {f.not_assessed} not assessed" if f.not_assessed else ""),
            "Pass rate": f.passed.words,
            "Cheating flags": f"{f.flag_count}: {f.flags.words}" if f.flag_count else "None.",
            "Agreement where paired": f.agreement_words,
        }
        for f in figures.questions
    ]


def show(store, actor, opening_id: int) -> None:
    """The section, for the opening's hiring manager; to anyone else, why not."""
    st.subheader("Questions from the approved pools")
    done = st.session_state.pop(RETIRED, None)
    if done:
        st.success(plain_markdown(done), icon=":material/check_circle:")
    try:
        figures = figures_of.question_figures(store, actor, opening_id)
    except NotAllowed as refusal:
        st.info(plain_markdown(str(refusal)), icon=":material/visibility_off:")
        return
    if not figures.questions:
        st.caption(
            "No question from a pool counts here yet: questions are drawn when a session is"
            " planned, and a candidate counts once their debrief is open."
        )
        return
    st.caption(
        f"Over {figures.candidates:,} candidates whose debrief is open. Pass: a score above the"
        " middle of the criterion's scale. Agreement: two interviewers who asked the same"
        f" question of one candidate gave the same score. A rate needs {figures_of.MIN_N} or"
        " more, and comes with its 95% interval."
    )
    table(rows(figures))
    if figures.flags_without_question:
        st.caption(
            f"{figures.flags_without_question} cheating flag(s) name the session, not a question."
        )
    retire_form(store, actor, figures)


def retire_form(store, actor, figures: figures_of.QuestionFigures) -> None:
    """Retire one of the questions shown: it is never drawn again; seats that have it keep it."""
    choices = [(f.rubric_id, f.question_id) for f in figures.questions if not f.retired]
    if not choices:
        return
    with st.expander("Retire a question", key="retire_question"):
        st.write(
            "A retired question is never drawn again, for any candidate of any opening; the"
            " seats that already have it keep it. Say why in one line (it leaked, it is too easy)."
        )
        chosen = st.selectbox(
            "Question",
            choices,
            format_func=lambda c: f"{c[1]} ({c[0]})",
            key="retire_question_choice",
        )
        reason = st.text_input(
            "Why? (required)", key="retire_question_reason", max_chars=REASON_MAX
        )
        if st.button("Retire it", key="retire_question_go"):
            try:
                questions.retire_question(store, actor, chosen[0], chosen[1], reason)
            except DebriefError as problem:
                show_problem(problem)
            else:
                st.session_state.pop("retire_question_reason", None)
                st.session_state[RETIRED] = f"Retired {chosen[1]}: it will not be drawn again."
                st.rerun()
