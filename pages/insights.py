"""Insights: do the raters agree, how are the scales used, who scores high or low. For the
coordinator and hiring managers per opening; each interviewer sees their own calibration."""

import streamlit as st

from scoring import insights
from scoring.text import plain_markdown
from ui.downloads import rows_buttons
from ui.guard import require
from ui.session import store
from ui.widgets import table

actor = require("insights")
st.title("Insights")


def number(value: float, digits: int = 2) -> str:
    return "—" if value is None or value != value else f"{value:.{digits}f}"


def share(value: float) -> str:
    return "—" if value is None or value != value else f"{value:.0%}"


def interval(low: float, high: float, fmt=number) -> str:
    return "—" if low != low or high != high else f"{fmt(low)} to {fmt(high)}"


def flag(provisional: bool) -> str:
    return "provisional" if provisional else ""


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


def calibration_table(frame) -> None:
    table(
        [
            {
                "interviewer": r["interviewer"],
                "leniency": f"{r['leniency']:+.2f}",
                "95% interval": f"{r['low']:+.2f} to {r['high']:+.2f}",
                "n shared": r["shared"],
                "": flag(r["provisional"]),
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
view = insights.opening_insights(store(), actor, ids)
limits = view.thresholds
st.caption(
    f"Raw scores from {view.candidates} candidates whose debrief is open, each interviewer's"
    " latest scorecard. Every figure shows its n and a 95% interval; it is marked"
    f" *provisional* below {limits['reliability']} paired candidates (reliability),"
    f" {limits['distribution']} scores (distributions) or {limits['calibration']} shared"
    " candidates (calibration)."
    + (
        f" Not counted for you: {view.withheld} candidates ({view.withheld_why})"
        if view.withheld
        else ""
    )
)
stem = "insights-" + ("all" if picked == everything else "-".join(picked.title.lower().split()))

st.header("Do the interviewers agree?")
st.markdown(
    "Krippendorff's α (interval) per criterion, over the sessions two interviewers scored:"
    " 1 is perfect agreement, **0 is what chance gives, by construction** (raters whose scores"
    " had nothing to do with the candidate), below 0 is systematic disagreement. Next to each,"
    " the range α takes when the same scores are shuffled between candidates, at the same n:"
    f" an α inside it is no better than chance. Below {limits['reliable_alpha']} a criterion"
    " is not reliable enough to decide on. Interval: bootstrap over candidates"
    f" ({limits['resamples']:,} resamples, seeded)."
)
agreement = view.reliability
if agreement.empty:
    st.info("No session in these openings was scored by two interviewers yet.")
else:
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
                "": flag(r["provisional"]),
            }
            for r in agreement.to_dict("records")
        ]
    )
    rewrite = agreement[agreement["rewrite"]]
    if not rewrite.empty:
        st.warning(
            f"{len(rewrite)} criteria agree less than {limits['reliable_alpha']}: candidates for"
            " rewriting their anchors (clearer, more behavioural descriptions of each point).",
            icon=":material/edit_note:",
        )
        for r in rewrite.to_dict("records"):
            label = plain_markdown(f"{r['criterion']} ({r['rubric']})", one_line=True)
            with st.expander(f"{label}: α {number(r['alpha'])}"):
                st.markdown(plain_markdown(r["anchors"].replace("; ", "\n\n")))
    unknown = agreement[agreement["alpha"].isna()]
    if not unknown.empty:
        st.caption(
            "No α yet for "
            + plain_markdown(", ".join(sorted(set(unknown["criterion"]))))
            + ": fewer than two paired candidates, or every score the same."
        )
    rows_buttons(
        lambda: insights.opening_insights(store(), actor, ids).reliability.to_dict("records"),
        f"{stem}-reliability",
    )

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
        f"{', provisional' if summary['provisional'] else ''}): lowest point, highest point and"
        " the lukewarm middle (less than a point from the midpoint: 2 and 3 on 0..5), with 95%"
        " intervals: " + "; ".join(parts) + "."
    )
    st.altair_chart(insights.share_chart(view.overall_points, "scale"), width="stretch")
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
                "": flag(r["provisional"]),
            }
            for r in view.criterion_use.to_dict("records")
        ]
    )
elif not summary.get("scores"):
    st.info("No scorecard counts here yet.")

st.header("Interviewer calibration")
st.markdown(
    "Leniency: an interviewer's mean offset from their co-interviewers on the same candidates,"
    " as a share of the overall scale (+0.10: a tenth of the scale higher), shrunk toward zero"
    " while n is small, with a 95% interval. An interval spanning zero shows no clear lean."
)
people_rows = view.calibration
if people_rows.empty:
    st.info("No candidate here has two interviewers' scorecards yet.")
else:
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
if mine_too:
    own_section()
