"""Insights: do the raters agree, how are the scales used, who scores high or low, how the
decisions were made, what the thresholds did and what predicted good hires. For the coordinator
and hiring managers per opening; each interviewer sees their own calibration."""

import streamlit as st

from scoring import insights
from scoring.text import plain_markdown
from ui import hire_outcomes
from ui.downloads import rows_buttons
from ui.guard import require
from ui.session import store
from ui.widgets import STRATEGY_LABELS, data_flag, interval, number, share, table

actor = require("insights")
st.title("Insights")


def counted(row: dict, name: str) -> str:
    """'12 (14%, 95%: 8% to 23%)' from a row's count, share and interval columns."""
    return (
        f"{row[name]} ({share(row[f'{name}_share'])};"
        f" 95%: {interval(row[f'{name}_low'], row[f'{name}_high'], share)})"
    )


def downloads(name: str, stem: str, pick) -> None:
    """CSV and JSON of one table, made on click under the permissions of that moment."""
    rows_buttons(lambda: insights.table_rows(pick().tables()[name]), f"{stem}-{name}")


def own_section() -> None:
    st.header("How you score compared with your co-interviewers")
    mine = insights.own_calibration(store(), actor)
    st.caption(
        f"From {mine.candidates} candidates you interviewed whose other scorecards you may see."
        + (f" Not counted yet: {mine.withheld} ({mine.withheld_why})" if mine.withheld else "")
    )
    if mine.calibration.empty:
        st.info("No candidate you interviewed has a co-interviewer's scorecard you may see yet.")
        return
    row = mine.calibration.iloc[0]
    words = "higher" if row["leniency"] > 0 else "lower"
    st.markdown(
        f"Your overall recommendations sit **{abs(row['leniency']):.0%} of the scale {words}**"
        f" than your co-interviewers' on the same candidates (95% interval"
        f" {row['low']:+.0%} to {row['high']:+.0%}, from {row['shared']} shared candidates;"
        f" the raw mean offset is {row['raw_offset']:+.0%}, shrunk toward zero while n is"
        f" small). An interval that spans zero means no clear lean either way."
        + (
            f" **Provisional**: fewer than {insights.MIN_CANDIDATES_CALIBRATION} shared candidates."
            if row["provisional"]
            else ""
        )
    )
    calibration_table(mine.calibration)
    rows_buttons(
        lambda: insights.table_rows(insights.own_calibration(store(), actor).calibration),
        "insights-my-calibration",
    )


def calibration_table(frame) -> None:
    table(
        [
            {
                "interviewer": r["interviewer"],
                "leniency": f"{r['leniency']:+.2f}",
                "95% interval": f"{r['low']:+.2f} to {r['high']:+.2f}",
                "n shared": r["shared"],
                "data": data_flag(r["provisional"]),
                "spread (SD)": number(r["spread"]),
                "extremes": f"{share(r['extremes_share'])}"
                f" ({interval(r['extremes_low'], r['extremes_high'], share)})",
                "median hours to submit": number(r["median_hours"], 1),
                "late": f"{share(r['late_share'])}"
                f" ({interval(r['late_low'], r['late_high'], share)})",
                "scorecards": r["scorecards"],
                "corrections after reveal": r["corrections"],
            }
            for r in frame.to_dict("records")
        ]
    )


mine_too = insights.may_see_own_calibration(store(), actor)
chosen_openings = insights.insight_openings(store(), actor)
if not chosen_openings:
    if mine_too:
        own_section()
    st.stop()

everything = "All your openings"
options = [everything, *chosen_openings]
picked = st.selectbox(
    "Openings",
    options,
    format_func=lambda o: o if isinstance(o, str) else f"{o.title} · {o.role}",
)
ids = [o.id for o in chosen_openings] if picked == everything else [picked.id]


def fresh():
    return insights.opening_insights(store(), actor, ids)


view = fresh()
limits = view.minimums
st.caption(
    f"Raw scores from the latest {view.candidates:,} candidates whose debrief is open"
    + (
        f" (earlier ones are left out: figures describe current practice, over at most"
        f" {limits['window']:,} candidates)"
        if view.earlier
        else ""
    )
    + ", each interviewer's latest scorecard. Every figure shows its n and a 95% interval; it"
    f" is marked *provisional* below {limits['reliability']} paired candidates (reliability),"
    f" {limits['distribution']} scores (distributions), {limits['calibration']} shared"
    f" candidates (calibration) or {limits['decisions']} decisions (decisions, thresholds,"
    " after the hire)."
    + (
        f" Not counted for you: {view.withheld} candidates ({view.withheld_why})"
        if view.withheld
        else ""
    )
)
stem = "insights-" + ("all" if picked == everything else "-".join(picked.title.lower().split()))

SECTIONS = {
    "agreement": "Agreement",
    "scales": "Scales",
    "calibration": "Calibration",
    "decisions": "Decisions",
    "thresholds": "Thresholds",
    "hires": "After the hire",
}
section = (
    st.segmented_control(
        "Show", list(SECTIONS), format_func=SECTIONS.get, default="agreement", key="section"
    )
    or "agreement"
)


def agreement_section() -> None:
    st.header("Do the interviewers agree?")
    st.markdown(
        "Krippendorff's α (interval) per criterion, over the sessions two interviewers scored:"
        " 1 is perfect agreement, **0 is what chance gives, by construction** (raters whose"
        " scores had nothing to do with the candidate), below 0 is systematic disagreement."
        " Next to each, the range α takes when the same scores are shuffled between candidates,"
        " at the same n: an α inside it is no better than chance. Below"
        f" {limits['reliable_alpha']} a criterion is not reliable enough to decide on."
        f" Interval: bootstrap over candidates ({limits['resamples']:,} resamples, seeded)."
    )
    agreement = view.reliability
    if agreement.empty:
        st.info("No session in these openings was scored by two interviewers yet.")
        return
    rated = agreement.assign(
        name=[f"{r.criterion} ({r.rubric}) · n = {r.candidates}" for r in agreement.itertuples()],
        estimate=agreement["alpha"],
    )
    shown = rated[rated["estimate"].notna()]
    if not shown.empty:
        st.altair_chart(
            insights.interval_chart(
                shown,
                label="name",
                title="Krippendorff's α (dot) and its 95% interval",
                domain=(-1.0, 1.0),
                rules=[(0.0, "chance: 0"), (limits["reliable_alpha"], "reliable enough")],
            ),
            width="stretch",
        )
    table(
        [
            {
                "criterion": r["criterion"],
                "rubric": r["rubric"],
                "α": number(r["alpha"]),
                "95% interval": interval(r["low"], r["high"]),
                "chance": "0 (range " + interval(r["chance_low"], r["chance_high"]) + ")",
                "n candidates": r["candidates"],
                "scores": r["scores"],
                "data": data_flag(r["provisional"]),
            }
            for r in agreement.to_dict("records")
        ]
    )
    downloads("reliability", stem, fresh)
    rewrite = agreement[agreement["rewrite"]]
    if not rewrite.empty:
        st.warning(
            f"{len(rewrite)} criteria agree less than {limits['reliable_alpha']}: candidates for"
            " rewriting their anchors (clearer, more behavioural descriptions of each point).",
            icon=":material/edit_note:",
        )
        for i, r in enumerate(rewrite.to_dict("records")):
            label = plain_markdown(f"{r['criterion']} ({r['rubric']})", one_line=True)
            with st.expander(f"{label}: α {number(r['alpha'])}", key=f"rewrite_{i}"):
                st.markdown(plain_markdown(r["anchors"].replace("; ", "\n\n")))
    unknown = agreement[agreement["alpha"].isna()]
    if not unknown.empty:
        st.caption(
            "No α yet for "
            + plain_markdown(", ".join(sorted(set(unknown["criterion"]))))
            + ": fewer than two paired candidates, or every score the same."
        )


def scales_section() -> None:
    st.header("How the scales are used")
    summary = view.overall_summary
    if summary.get("scores"):
        parts = [
            f"{name} {share(summary[name]['share'])}"
            f" ({interval(summary[name]['low'], summary[name]['high'], share)})"
            for name in ("floor", "ceiling", "middle")
        ]
        st.markdown(
            f"**Overall recommendations** (n = {summary['scores']}"
            f"{', provisional' if summary['provisional'] else ''}): lowest point, highest point"
            " and the lukewarm middle (less than a point from the midpoint: 2 and 3 on 0..5),"
            " with 95% intervals: " + "; ".join(parts) + "."
        )
        st.altair_chart(insights.share_chart(view.overall_points, "scale"), width="stretch")
        downloads("overall_use", stem, fresh)
    if not view.point_use.empty:
        st.subheader("Per criterion")
        st.altair_chart(insights.share_chart(view.point_use, "criterion"), width="stretch")
        table(
            [
                {
                    "criterion": r["criterion"],
                    "rubric": r["rubric"],
                    "n": r["scores"],
                    "not assessed": f"{r['not_assessed']} ({share(r['not_assessed_share'])})",
                    "floor": f"{share(r['floor_share'])}"
                    f" ({interval(r['floor_low'], r['floor_high'], share)})",
                    "ceiling": f"{share(r['ceiling_share'])}"
                    f" ({interval(r['ceiling_low'], r['ceiling_high'], share)})",
                    "data": data_flag(r["provisional"]),
                }
                for r in view.criterion_use.to_dict("records")
            ]
        )
        downloads("criterion_use", stem, fresh)
        downloads("point_use", stem + "-points", fresh)
    elif not summary.get("scores"):
        st.info("No scorecard counts here yet.")


def calibration_section() -> None:
    st.header("Interviewer calibration")
    st.markdown(
        "Leniency: an interviewer's mean offset from their co-interviewers on the same"
        " candidates, as a share of the overall scale (+0.10: a tenth of the scale higher),"
        " shrunk toward zero while n is small, with a 95% interval. An interval spanning zero"
        " shows no clear lean."
    )
    people_rows = view.calibration
    if people_rows.empty:
        st.info("No candidate here has two interviewers' scorecards yet.")
        return
    st.altair_chart(
        insights.interval_chart(
            people_rows.assign(
                name=[f"{r.interviewer} · n = {r.shared}" for r in people_rows.itertuples()],
                estimate=people_rows["leniency"],
            ),
            label="name",
            title="Leniency (dot) and its 95% interval, share of the scale",
            domain=(-0.5, 0.5),
            rules=[(0.0, "as their co-interviewers")],
        ),
        width="stretch",
    )
    calibration_table(people_rows)
    downloads("calibration", stem, fresh)


def decisions_section() -> None:
    st.header("How the decisions were made")
    st.markdown(
        f"Over {view.decided:,} decided candidates, per opening and its strategy. **At the"
        " opening of the debrief** is the engine's outcome frozen then (under \"hiring manager"
        " decides\", the panel's lean); **discussion changed the outcome** when the decision"
        " in force went the other way. **Against the panel** compares the decision with the"
        " panel's majority at the time. **Forcing would flip** reruns the strategy with"
        " extreme-score forcing switched the other way, on the same scorecards. Days run from"
        " the end of the last interview to the first decision."
    )
    process = view.process
    if process.empty:
        st.info("No decision is recorded here yet.")
        return
    st.altair_chart(
        insights.interval_chart(
            insights.process_shares(process),
            label="name",
            title="Share of decided candidates (dot) and its 95% interval",
            domain=(0.0, 1.0),
            rules=[],
        ),
        width="stretch",
    )
    table(
        [
            {
                "opening": r["opening"],
                "strategy": STRATEGY_LABELS[r["strategy"]],
                "decided": r["decided"],
                "hires": counted(r, "hires"),
                "discussion changed": counted(r, "changed")
                + f": {r['changed_to_hire']} to hire, {r['changed_to_no_hire']} to no hire",
                "undecided at opening, settled": r["settled"],
                "against the panel": counted(r, "against_panel"),
                "forcing would flip": counted(r, "forcing_flips")
                if r["forcing_n"]
                else "— (committee votes not shown to you)",
                "days to decision": f"{number(r['days_median'], 1)}"
                f" (quartiles {number(r['days_p25'], 1)} to {number(r['days_p75'], 1)})",
                "data": data_flag(r["provisional"]),
            }
            for r in process.to_dict("records")
        ]
    )
    downloads("decision_process", stem, fresh)
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
    downloads("what_if", stem, fresh)


def thresholds_section() -> None:
    st.header("Thresholds against the history")
    st.markdown(
        "The committee bar is a weighted score from 0 to 1 (each scorecard's criteria by their"
        " weights, averaged over the panel). For every bar from 0.20 to 0.90: the share of"
        " past decided candidates at or above it, the past hires it would have stopped and the"
        " past no-hires it would have let through to the votes."
    )
    sweep = view.bar_sweep
    if sweep.empty:
        st.info("No decided candidate here has a weighted score yet.")
        return
    bars = [
        (o.strategy.bar, f"{o.title}: its bar")
        for o in chosen_openings
        if o.id in ids and o.strategy.bar is not None
    ]
    st.altair_chart(insights.sweep_chart(sweep, bars), width="stretch")
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
    st.caption(
        "A bar changed a decision where the candidate was below it and the committee's votes"
        " alone would have hired; a veto or greenlight changed one where a vote with the powers"
        " decides otherwise than one without."
    )
    downloads("thresholds", stem, fresh)


def hires_section() -> None:
    st.header("After the hire")
    hire_outcomes.render(store(), actor, ids)


{
    "agreement": agreement_section,
    "scales": scales_section,
    "calibration": calibration_section,
    "decisions": decisions_section,
    "thresholds": thresholds_section,
    "hires": hires_section,
}[section]()
if mine_too:
    own_section()
