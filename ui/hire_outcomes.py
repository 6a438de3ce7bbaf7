"""After the hire, a section of the Insights page: the hiring manager records how each hire turned
out (a rating at 6 and 12 months, still employed) and sees how the interview's scores relate to
those ratings, with the caveat that only hires are observed; everyone who may see the openings'
insights sees how many hires stayed (a coordinator only that: the link with scores is a score
figure). The figures and every rule are `scoring.insights.outcomes`'; this module only draws."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import streamlit as st

from scoring.errors import DebriefError
from scoring.insights import (
    MIN_HIRES,
    hires_headline,
    interval_chart,
    may_see_score_figures,
    outcomes,
)
from scoring.permissions import Person
from scoring.store import Store
from scoring.text import NOTE_MAX, plain_markdown
from ui.downloads import rows_buttons
from ui.widgets import (
    data_flag,
    forget_problem,
    interval,
    number,
    problem_on_top,
    problem_under,
    remember_problem,
    share,
    table,
)

FORM = "hire_outcome"
FIELDS = ("candidate_id", "months", "rating", "still_employed", "note")
TOAST = "hire_outcome_recorded"
SHOWN = 50  # hires listed for recording; a search finds the others
NO_RATING = "none"  # the rating option for someone who left before one could be given
# The hires table's columns on screen, in words; the download keeps the field names.
HIRE_HEADERS = {
    "candidate": "hire",
    "opening": "opening",
    "hired_on": "hired on",
    **{f"rating_{m}m_from": f"{m}-month rating from" for m in outcomes.MONTHS},
    **{
        key: words
        for m in outcomes.MONTHS
        for key, words in (
            (f"rating_{m}m", f"{m}-month rating"),
            (f"still_employed_{m}m", f"still works here at {m} months"),
            (f"note_{m}m", f"note at {m} months"),
        )
    },
}


def render(store: Store, actor: Person, opening_ids: Sequence[int]) -> None:
    """The section for these openings (the actor must be allowed to see their insights): its
    plain sentence, the recording form for their hiring manager, then the caveat, the
    correlations and retention (their statistics under "How is this worked out?"). For someone
    without score figures (a coordinator) the sentence says so and no correlation is drawn (the
    service gives none)."""
    ids = [int(i) for i in opening_ids]
    message = st.session_state.pop(TOAST, None)
    if message:
        st.toast(message, icon=":material/check_circle:")
    scores = may_see_score_figures(store, actor, ids)
    predictors, recorded = outcomes.outcome_rows(store, actor, ids)
    correlations = outcomes.outcome_correlations(predictors, recorded)
    retained = outcomes.retention(recorded)
    sentence = hires_headline(correlations, retained, scores=scores)
    st.markdown(f"**{plain_markdown(sentence, one_line=True)}**")
    _record(store, actor, ids)
    _figures(store, actor, ids, recorded, correlations, retained, scores)


# ----------------------------------------------------------------------------------- recording


def _record(store: Store, actor: Person, ids: list[int]) -> None:
    if not outcomes.hires(store, actor, ids, limit=1):
        return  # nothing the actor may record here (only an opening's hiring manager records)
    st.subheader("Record how a hire turned out")
    search = st.text_input(
        "Find a hire", key=f"{FORM}_search", placeholder="Name or alias", max_chars=200
    )
    shown = outcomes.hires(store, actor, ids, search, limit=SHOWN)
    st.caption(
        f"Your hires, the latest decision first (at most {SHOWN}; search for others), with the"
        " latest outcome recorded at 6 and 12 months. A rating can be recorded from"
        f" {outcomes.RATING_FROM_MONTHS[6]} months after the decision for the 6-month one and"
        f" from {outcomes.RATING_FROM_MONTHS[12]} months for the 12-month one (the dates are in"
        " the table); that someone has left, at any time. A new record for the same months"
        " replaces the one shown; the earlier one stays in the history."
    )
    if not shown:
        st.info("No hire matches this search.")
        return
    table(
        [
            {HIRE_HEADERS[k]: v for k, v in row.items() if k in HIRE_HEADERS}
            for row in outcomes.hire_rows(shown)
        ]
    )
    rows_buttons(
        lambda: outcomes.hire_rows(outcomes.hires(store, actor, ids, search, limit=SHOWN)),
        "after-the-hire-hires",
    )
    labels = {
        h.candidate_id: f"{h.candidate} · {h.opening} · hired {h.decided_at.date().isoformat()}"
        for h in shown
    }
    with st.form(FORM):
        problem_on_top(FORM, FIELDS)
        candidate_id = st.selectbox(
            "Hire", list(labels), format_func=labels.get, index=None, placeholder="Choose a hire"
        )
        problem_under(FORM, "candidate_id")
        months = st.radio(
            "When",
            outcomes.MONTHS,
            format_func=lambda m: f"{m} months",
            horizontal=True,
            index=None,
        )
        problem_under(FORM, "months")
        rating = st.radio(
            "Rating",
            [*outcomes.RATING_SCALE, NO_RATING],
            format_func=lambda p: (
                "No rating: they left before one could be given"
                if p == NO_RATING
                else f"{p} · {outcomes.RATING_SCALE[p]}"
            ),
            index=None,
        )
        problem_under(FORM, "rating")
        still_employed = st.checkbox("Still works here", value=True)
        problem_under(FORM, "still_employed")
        note = st.text_area("Note (optional)", max_chars=NOTE_MAX)
        problem_under(FORM, "note")
        if st.form_submit_button("Record the outcome", type="primary"):
            try:
                recorded = outcomes.record_outcome(
                    store,
                    actor,
                    candidate_id,
                    months,
                    None if rating == NO_RATING else rating,
                    still_employed,
                    note,
                )
            except DebriefError as problem:
                remember_problem(FORM, problem)
            else:
                forget_problem(FORM)
                name = next(h.candidate for h in shown if h.candidate_id == candidate_id)
                st.session_state[TOAST] = (
                    f"Recorded for {plain_markdown(name, one_line=True)} at {recorded.months}"
                    f" months: {recorded.rating_words}."
                )
                st.rerun()


# ------------------------------------------------------------------------------------ figures


def _figures(
    store: Store,
    actor: Person,
    ids: list[int],
    recorded: pd.DataFrame,
    correlations: pd.DataFrame,
    retained: pd.DataFrame,
    scores: bool,
) -> None:
    st.info(
        f"{outcomes.CAVEAT} (The hiring book, lines 2452-2454: retention, dismissal and"
        " performance are among the indicators to look at, and none is perfect.)",
        icon=":material/info:",
    )
    if recorded.empty:
        return
    if scores:
        hires = recorded["candidate_id"].nunique()
        _correlations(correlations, hires)
        rows_buttons(
            lambda: outcomes.records(
                outcomes.outcome_correlations(*outcomes.outcome_rows(store, actor, ids))
            ),
            "after-the-hire-correlations",
        )
    _retention(retained)
    rows_buttons(
        lambda: outcomes.records(outcomes.retention(outcomes.outcome_rows(store, actor, ids)[1])),
        "after-the-hire-retention",
    )


def _correlations(correlations: pd.DataFrame, hires: int) -> None:
    st.markdown("**Did the interview's scores predict the later rating?**")
    if correlations.empty:
        st.caption("No recorded outcome has a rating yet.")
        return
    for months in outcomes.MONTHS:
        at = correlations[(correlations["months"] == months) & correlations["r"].notna()]
        if at.empty:
            continue
        st.altair_chart(
            interval_chart(
                at.assign(
                    name=[f"{r.criterion} ({r.rubric}) · {r.n} hires" for r in at.itertuples()],
                    estimate=at["r"],
                ),
                label="name",
                title=f"Link with the {months}-month rating",
                domain=(-1.0, 1.0),
                rules=[(0.0, "no relation")],
            ),
            width="stretch",
        )
    with st.expander("How is this worked out?", key="how_hires"):
        st.markdown(
            f"From {hires} hires with a recorded outcome (at most the latest"
            f" {outcomes.LATEST_HIRES:,}), each interviewer's latest scorecard: a criterion's"
            " score is the mean of its raw scores (not assessed left out), the overall the mean"
            " recommendation as a position on the opening's scale. r is Pearson's correlation"
            " with the rating (1 to 5), with a 95% interval by Fisher's z; it is marked"
            f" *provisional* below {MIN_HIRES} hires, and nothing is read from it"
            f" then, and left out below {outcomes.MIN_CORRELATION_N}."
        )
        table(
            [
                {
                    "criterion": r["criterion"],
                    "rubric": r["rubric"],
                    "months": r["months"],
                    "n hires": r["n"],
                    "r": number(r["r"], signed=True),
                    "95% interval": interval(r["low"], r["high"], lambda v: number(v, signed=True)),
                    "data": data_flag(r["provisional"]),
                }
                for r in correlations.to_dict("records")
            ]
        )


def _retention(retained: pd.DataFrame) -> None:
    st.markdown("**How many hires stayed?**")
    for r in retained.to_dict("records"):
        st.markdown(
            f"At {r['months']} months: **{share(r['share'])} still work here**"
            f" ({r['still_employed']} of {r['n']} hires with an outcome recorded then; 95%"
            f" interval {interval(r['low'], r['high'], share)}"
            + (f"; provisional: fewer than {MIN_HIRES} hires" if r["provisional"] else "")
            + ")."
        )
