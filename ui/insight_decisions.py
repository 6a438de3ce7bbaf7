"""The Insights page's decision sections (how the decisions were made, time to submit, the
what-if across history, the thresholds against the history), drawn from one `Insights` view:
`view` as the page read it, `fresh` to read it again under the permissions of a download's
moment, `stem` the downloads' file name."""

from collections.abc import Callable

import streamlit as st

from scoring import insights
from scoring.insights import Insights
from ui.insight_parts import counted, downloads, how, lead, missing
from ui.widgets import STRATEGY_LABELS, data_flag, number, table


def decisions_section(view: Insights, fresh: Callable[[], Insights], stem: str) -> None:
    """How the decisions were made: the decision process, time to submit and the what-if."""
    limits = view.minimums
    st.header("How the decisions were made")
    lead(insights.headline(view, "decisions"))
    process = view.process
    panel = "changed" in process  # the panel's columns come with the score figures
    if not process.empty:
        st.altair_chart(
            insights.interval_chart(
                insights.process_shares(process),
                label="name",
                title="Share of decided candidates",
                domain=(0.0, 1.0),
                rules=[],
            ),
            width="stretch",
        )
        missing(process, "decided", "opening", "decision", "decisions")
        with how("decisions"):
            st.markdown(
                f"Over {view.decided:,} decided candidates, per opening and its strategy. Days"
                " run from the end of the last interview to the first decision."
                + (
                    " **At the opening of the debrief** is the engine's outcome frozen then"
                    ' (under "hiring manager decides", the panel\'s lean); **discussion changed'
                    " the outcome** when the decision in force went the other way. **Against the"
                    " panel** compares the decision with the panel's majority at the time."
                    " **Forcing would flip** reruns the strategy with extreme-score forcing"
                    " switched the other way, on the same scorecards."
                    if panel
                    else ""
                )
                + " Shares carry a 95% interval (Wilson); below"
                f" {limits['decisions']} decisions they are *provisional*."
            )
            table([process_row(r, panel) for r in process.to_dict("records")])
        downloads("decision_process", stem, fresh)
    submission_part(view, fresh, stem)
    if not view.score_figures or process.empty:
        return
    st.subheader("The what-if across history")
    st.markdown(
        "Each strategy that could decide the opening, run on the same panels with the"
        " opening's forcing setting: how often it would have said the opposite of the decision"
        " in force, and how often it could not say (a tie, a veto against a greenlight)."
        ' For "hiring manager decides" it is the panel\'s lean, the advice the manager had.'
    )
    table(
        [
            {
                "opening": r["opening"],
                "strategy": STRATEGY_LABELS[r["alternative"]]
                + (" (in force)" if r["in_force"] else ""),
                "panels": r["n"],
                "hire": r["hire"],
                "no hire": r["no_hire"],
                "cannot say": r["undecided"],
                "opposite of the decision": counted(r, "differs"),
                "data": data_flag(r["provisional"]),
            }
            for r in view.what_if.to_dict("records")
        ]
    )
    missing(view.what_if, "n", "opening", "panel", "panels")
    downloads("what_if", stem, fresh)


def process_row(r: dict, panel: bool) -> dict:
    """One opening's decision process in words; the panel's columns only with `panel`."""
    row = {
        "opening": r["opening"],
        "strategy": STRATEGY_LABELS[r["strategy"]],
        "decided": r["decided"],
        "hires": counted(r, "hires"),
    }
    if panel:
        blank = r["changed"] != r["changed"]  # an opening whose scores are not shown
        row |= {
            "discussion changed": "—"
            if blank
            else counted(r, "changed")
            + f": {r['changed_to_hire']} to hire, {r['changed_to_no_hire']} to no hire",
            "undecided at opening, settled": "—" if blank else r["settled"],
            "against the panel": "—" if blank else counted(r, "against_panel"),
            "forcing would flip": "—"
            if blank
            else counted(r, "forcing_flips")
            if r["forcing_n"]
            else "— (committee votes not shown to you)",
        }
    return row | {
        "days to decision": f"{number(r['days_median'], 1)}" + quartiles(r, "days"),
        "data": data_flag(r["provisional"]),
    }


def quartiles(r: dict, name: str) -> str:
    """' (quartiles 1.0 to 2.5)', or why there are none (fewer than 3 values)."""
    low, high = r[f"{name}_p25"], r[f"{name}_p75"]
    if low != low or high != high:
        return f" (no quartiles below {insights.MIN_INTERVAL_UNITS})"
    return f" (quartiles {number(low, 1)} to {number(high, 1)})"


def submission_part(view: Insights, fresh: Callable[[], Insights], stem: str) -> None:
    """How soon scorecards came in, per opening (dates only: no row per interviewer)."""
    limits = view.minimums
    st.subheader("Time to submit")
    if view.submission.empty:
        st.caption("No scorecard counts here yet.")
        return
    st.caption(
        "From the end of each session to its scorecard's first submission, per opening; late"
        " is later than the opening's overdue threshold. Below"
        f" {limits['distribution']} scorecards the figures are *provisional*."
    )
    table(
        [
            {
                "opening": r["opening"],
                "scorecards": r["scorecards"],
                "median hours to submit": f"{number(r['median_hours'], 1)}" + quartiles(r, "hours"),
                "late": counted(r, "late"),
                "data": data_flag(r["provisional"]),
            }
            for r in view.submission.to_dict("records")
        ]
    )
    missing(view.submission, "scorecards", "opening", "scorecard", "scorecards")
    downloads("submission", stem, fresh)


def thresholds_section(
    view: Insights, fresh: Callable[[], Insights], stem: str, bars: list[tuple[float, str]]
) -> None:
    """The thresholds against the history: the bar sweep (with the openings' own `bars`
    marked) and the thresholds the openings use."""
    limits = view.minimums
    st.header("Thresholds against the history")
    lead(insights.headline(view, "thresholds"))
    sweep = view.bar_sweep
    if sweep.empty or not view.score_figures:
        return
    st.altair_chart(insights.sweep_chart(sweep, bars), width="stretch")
    if not insights.has_interval(int(sweep["candidates"].iloc[0])):
        st.caption(insights.no_interval(int(sweep["candidates"].iloc[0]), "decision", "decisions"))
    with how("thresholds"):
        st.markdown(
            "The committee bar is a weighted score from 0 to 1 (each scorecard's criteria by"
            " their weights, averaged over the panel). For every bar from 0.20 to 0.90: the"
            " share of past decided candidates at or above it (with its 95% interval, Wilson),"
            " the past hires it would have stopped and the past no-hires it would have let"
            f" through to the votes. Below {limits['decisions']} decided candidates the figures"
            " are *provisional*, and no threshold is read from them."
        )
        table(
            [
                {
                    "bar": f"{r['bar']:.2f}",
                    "at or above": counted(r, "above"),
                    "past hires stopped": r["hires_stopped"],
                    "past no-hires let through": r["no_hires_above"],
                    "data": data_flag(r["provisional"]),
                }
                for r in sweep.to_dict("records")
            ]
        )
    downloads("bar_sweep", stem, fresh)
    st.subheader("The thresholds your openings use")
    used = view.thresholds
    if used.empty:
        st.info("These openings use no bar, veto or greenlight.")
        return
    table(
        [
            {
                "opening": r["opening"],
                "threshold": r["threshold"],
                "candidates": r["candidates"],
                "met": counted(r, "meets"),
                "decisions it changed": "— (committee votes not shown to you)"
                if r["changed"] is None or r["changed"] != r["changed"]
                else f"{int(r['changed'])} of {r['changed_of']}",
                "data": data_flag(r["provisional"]),
            }
            for r in used.to_dict("records")
        ]
    )
    missing(used, "candidates", "opening", "decided candidate", "decided candidates")
    st.caption(
        "A bar changed a decision where the candidate was below it and the committee's outcome"
        " differs from its votes alone (an advisory bar flags and never changes one); a veto"
        " or greenlight changed one where a vote with the powers"
        " decides otherwise than one without."
    )
    downloads("thresholds", stem, fresh)
