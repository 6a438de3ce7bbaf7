"""Insights: do the raters agree, how are the scales used, who scores high or low, how the
decisions were made, what the thresholds did and what predicted good hires. Hiring managers see
every figure of their openings; a coordinator sees the figures from decisions and dates (hire
rate, days to decision, time to submit, hires who stayed) and, in each section worked out from
scores, a sentence saying those are for hiring managers (the service leaves them out); each
interviewer sees their own calibration."""

import streamlit as st

from scoring import insights
from scoring.insights import after_reveal
from scoring.text import plain_markdown
from ui import hire_outcomes, insight_fairness, insight_funnel, insight_questions
from ui import insight_decisions as decisions
from ui.downloads import rows_buttons
from ui.guard import require
from ui.insight_parts import counted, downloads, how, lead, missing
from ui.session import store
from ui.widgets import data_flag, interval, number, share, table

actor = require("insights")
st.title("Insights")


def candidates(n: int, kind: str = "") -> str:
    """'1 shared candidate', '4 shared candidates': a chart row's n in words."""
    return f"{n} {kind}{'candidate' if n == 1 else 'candidates'}"


def own_section() -> None:
    st.header("How you score compared with your co-interviewers")
    mine = insights.own_calibration(store(), actor)
    lead(insights.headline(mine, "calibration"))
    st.caption(
        f"From {mine.candidates} candidates you interviewed whose other scorecards you may see."
        + (f" Not counted yet: {mine.withheld} ({mine.withheld_why})" if mine.withheld else "")
    )
    if mine.after_only:
        st.caption(
            f"Left out: {mine.after_only} of your scorecards first written after you could see"
            " the others' scores (not an independent judgement)."
        )
    if mine.calibration.empty:
        return
    row = mine.calibration.iloc[0]
    spread = (
        f"a 95% interval of {interval(row['low'], row['high'], signed)}"
        if row["low"] == row["low"]
        else f"no interval yet ({row['shared']} shared candidates;"
        f" {insights.MIN_INTERVAL_UNITS} are needed)"
    )
    with how("own"):
        st.markdown(
            "Your overall recommendation on each candidate is compared with what the average"
            " interviewer would give the same candidate in the same kind of session (a harder"
            " session lowers everyone's scores: that is the session, not you), as a share of the"
            f" scale. The estimate is **{row['leniency']:+.0%}** (above zero: you score higher;"
            f" below: lower), with {spread}, from {row['shared']} shared candidates, pulled"
            " toward zero while there are few; your plain mean difference from the others on"
            f" the same candidates is {signed(row['raw_offset'])}. An interval that spans zero"
            " means no clear lean either way. Below"
            f" {insights.MIN_CANDIDATES_CALIBRATION} shared candidates the figure is"
            " *provisional* and says nothing about you either way."
        )
        calibration_table(mine.calibration)
    rows_buttons(
        lambda: insights.table_rows(insights.own_calibration(store(), actor).calibration),
        "insights-my-calibration",
    )


SHARED = ("shared candidate", "shared candidates")


def signed(value: float) -> str:
    """'+12%', '−3%' or '—' where there is none."""
    return "—" if value is None or value != value else f"{value:+.0%}"


def calibration_table(frame) -> None:
    table(
        [
            {
                "interviewer": r["interviewer"],
                "leniency": number(r["leniency"], signed=True),
                "95% interval": interval(r["low"], r["high"], lambda v: number(v, signed=True)),
                "shared candidates": r["shared"],
                "data": data_flag(r["provisional"]),
                "spread (standard deviation)": number(r["spread"]),
                "extremes": f"{share(r['extremes_share'])}"
                f" ({interval(r['extremes_low'], r['extremes_high'], share)})",
                "median hours to submit": number(r["median_hours"], 1),
                "late": f"{share(r['late_share'])}"
                f" ({interval(r['late_low'], r['late_high'], share)})",
                "scorecards": r["scorecards"],
                "corrected after the reveal": r["corrections"],
                "of which toward the others / away": f"{r.get('corrected_toward', 0)}"
                f" / {r.get('corrected_away', 0)}",
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
    f"From the latest {view.candidates:,} candidates whose debrief is open"
    + (
        f" (earlier ones are left out: figures describe current practice, over at most"
        f" {limits['window']:,} candidates)"
        if view.earlier
        else ""
    )
    + (
        ", each interviewer's latest scorecard written before they could see the others'"
        " scores (a correction made after seeing them is counted apart, under Agreement)."
        + (
            f" Left out: {view.after_only} scorecards first written after their authors could"
            " see the others' scores."
            if view.after_only
            else ""
        )
        if view.score_figures
        else ": their decisions and when each scorecard came in."
    )
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
    "questions": "Questions",
    "funnel": "Funnel",
    "fairness": "Adverse impact",
}
if not view.score_figures:  # per-question figures come from scores: the hiring manager's
    SECTIONS.pop("questions")
# Without score figures (a coordinator) the decisions are what there is to read first.
first = "agreement" if view.score_figures else "decisions"
section = (
    st.segmented_control(
        "Show", list(SECTIONS), format_func=SECTIONS.get, default=first, key="section"
    )
    or first
)


def agreement_section() -> None:
    st.header("Do the interviewers agree?")
    lead(insights.headline(view, "agreement"))
    agreement = view.reliability
    if not view.score_figures:
        return
    if agreement.empty:
        corrections_part()
        return
    rewrite = agreement[agreement["rewrite"]]  # only criteria with enough paired candidates
    if not rewrite.empty:
        st.warning(
            "Clearer, more behavioural descriptions of each point help interviewers score alike."
            " The anchors of the criteria they agree on least:",
            icon=":material/edit_note:",
        )
        for i, r in enumerate(rewrite.to_dict("records")):
            label = plain_markdown(f"{r['criterion']} ({r['rubric']})", one_line=True)
            with st.expander(label, key=f"rewrite_{i}"):
                st.markdown(plain_markdown(r["anchors"].replace("; ", "\n\n")))
    rated = agreement.assign(
        name=[
            f"{r.criterion} ({r.rubric}) · {candidates(r.candidates)}"
            + ("" if r.low == r.low else " · no interval")
            for r in agreement.itertuples()
        ],
        estimate=agreement["alpha"],
    )
    shown = rated[rated["estimate"].notna()]
    if not shown.empty:
        st.altair_chart(
            insights.interval_chart(
                shown,
                label="name",
                title="Agreement: 1 is perfect, 0 is chance",
                domain=(-1.0, 1.0),
                rules=[(0.0, "chance: 0"), (limits["reliable_alpha"], "agree well")],
            ),
            width="stretch",
        )
    missing(shown, "candidates", "criterion", "paired candidate", "paired candidates")
    with how("agreement"):
        st.markdown(
            "Krippendorff's α (interval) per criterion, over the sessions two interviewers"
            " scored: 1 is perfect agreement, **0 is what chance gives, by construction**"
            " (raters whose scores had nothing to do with the candidate), below 0 is"
            " systematic disagreement. Next to each, the range α takes when the same scores are"
            " shuffled between candidates, at the same n: an α inside it is no better than"
            f" chance. An α of {limits['reliable_alpha']} or more is agreement good enough to"
            " decide on. Interval: bootstrap over candidates"
            f" ({limits['resamples']:,} resamples, seeded); none below"
            f" {insights.MIN_INTERVAL_UNITS} candidates interviewed by a pair, where a resample"
            f" can only repeat the few there are. Below {limits['reliability']}"
            " candidates interviewed by a pair a criterion's α is *provisional*: it is shown,"
            " and no criterion is called out for rewriting on it."
        )
        table(
            [
                {
                    "criterion": r["criterion"],
                    "rubric": r["rubric"],
                    "α": number(r["alpha"]),
                    "95% interval": interval(r["low"], r["high"]),
                    "chance": "0 (range " + interval(r["chance_low"], r["chance_high"]) + ")"
                    if r["chance_low"] == r["chance_low"]
                    else "0 (no range: too few pairs)",
                    "candidates interviewed by a pair": r["candidates"],
                    "scores": r["scores"],
                    "data": data_flag(r["provisional"]),
                }
                for r in agreement.to_dict("records")
            ]
        )
        unknown = agreement[agreement["alpha"].isna()]
        if not unknown.empty:
            st.caption(
                "No α yet for "
                + plain_markdown(", ".join(sorted(set(unknown["criterion"]))))
                + ": fewer than two candidates interviewed by a pair, or every score the same."
            )
    downloads("reliability", stem, fresh)
    corrections_part()


def corrections_part() -> None:
    """How many scorecards were corrected after their authors saw the others' scores, and
    which way they moved (a score figure: the caller has checked `view.score_figures`)."""
    st.subheader("Corrections after seeing the others' scores")
    fixes = view.corrections
    lead(after_reveal.sentence(fixes))
    if fixes.empty:
        return
    st.caption(
        "Agreement, scales and calibration read each scorecard as written before its author"
        " could see the others' scores; a correction made after is shown here instead."
        " Toward or away: the overall recommendation's distance from the mean of the other"
        " interviewers' own (independent) overalls on the same candidate, before and after."
    )
    table(
        [
            {
                "opening": r["opening"],
                "scorecards": r["scorecards"],
                "corrected after seeing others": counted(r, "corrected"),
                "toward the others": r["toward"],
                "away from them": r["away"],
                "same distance": r["same_distance"],
                "up / down": f"{r['up']} / {r['down']}",
                "first written after seeing others (left out)": r["after_only"],
                "data": data_flag(r["provisional"]),
            }
            for r in fixes.to_dict("records")
        ]
    )
    missing(fixes, "scorecards", "opening", "scorecard", "scorecards")
    downloads("corrections", stem, fresh)


def scales_section() -> None:
    st.header("How the scales are used")
    lead(insights.headline(view, "scales"))
    if not view.score_figures:
        return
    summary = view.overall_summary
    if summary.get("scores"):
        overall = view.overall_points.assign(
            scale=[
                f"Overall recommendation, {s.replace('..', ' to ')}"
                for s in view.overall_points["scale"]
            ]
        )
        st.altair_chart(insights.share_chart(overall, "scale"), width="stretch")
    if not view.point_use.empty:
        st.subheader("Per criterion")
        st.altair_chart(insights.share_chart(view.point_use, "criterion"), width="stretch")
    elif not summary.get("scores"):
        return
    with how("scales"):
        if summary.get("scores"):
            parts = [
                f"{name} {share(summary[name]['share'])}"
                f" ({interval(summary[name]['low'], summary[name]['high'], share)})"
                for name in ("floor", "ceiling", "middle")
            ]
            st.markdown(
                f"**Overall recommendations** (n = {summary['scores']}"
                f"{', provisional' if summary['provisional'] else ''}): lowest point (floor),"
                " highest point (ceiling) and the lukewarm middle (less than a point from the"
                " midpoint: 2 and 3 on 0 to 5), with 95% intervals (Wilson): "
                + "; ".join(parts)
                + "."
                + (
                    " " + insights.no_interval(summary["scores"], "score", "scores")
                    if not insights.has_interval(summary["scores"])
                    else ""
                )
            )
        st.markdown(f"A figure from fewer than {limits['distribution']} scores is *provisional*.")
        if not view.criterion_use.empty:
            table(
                [
                    {
                        "criterion": r["criterion"],
                        "rubric": r["rubric"],
                        "scores": r["scores"],
                        "not assessed": f"{r['not_assessed']} ({share(r['not_assessed_share'])})",
                        "lowest point": f"{share(r['floor_share'])}"
                        f" ({interval(r['floor_low'], r['floor_high'], share)})",
                        "highest point": f"{share(r['ceiling_share'])}"
                        f" ({interval(r['ceiling_low'], r['ceiling_high'], share)})",
                        "data": data_flag(r["provisional"]),
                    }
                    for r in view.criterion_use.to_dict("records")
                ]
            )
            missing(view.criterion_use, "scores", "criterion", "score", "scores")
    if summary.get("scores"):
        downloads("overall_use", stem, fresh, "Overall recommendations, each point's share")
    if not view.point_use.empty:
        downloads("criterion_use", stem, fresh, "Per criterion: lowest and highest point")
        downloads("point_use", stem + "-points", fresh, "Per criterion, each point's share")


def calibration_section() -> None:
    st.header("Interviewer calibration")
    lead(insights.headline(view, "calibration"))
    people_rows = view.calibration
    if people_rows.empty or not view.score_figures:
        return
    st.altair_chart(
        insights.interval_chart(
            people_rows.assign(
                name=[
                    f"{r.interviewer} · {candidates(r.shared, 'shared ')}"
                    + ("" if r.low == r.low else " · no interval")
                    for r in people_rows.itertuples()
                ],
                estimate=people_rows["leniency"],
            ),
            label="name",
            title="Lower ← than the average interviewer → higher",
            domain=(-0.5, 0.5),
            rules=[(0.0, "as the average interviewer")],
        ),
        width="stretch",
    )
    missing(people_rows, "shared", "interviewer", *SHARED)
    with how("calibration"):
        st.markdown(
            "Leniency: how much higher or lower an interviewer scores the overall"
            " recommendation than the average interviewer would score the same candidate in"
            " the same kind of session (its rubric), as a share of the overall scale (+0.10: a"
            " tenth of the scale higher). Both the candidate and the session type are taken"
            " out, so a hard coding session does not make its interviewers look harsh. Pulled"
            " toward zero while n is small (a normal prior), with a 95% interval. What it"
            " cannot say: the average of the interviewers compared is the zero, so if everyone"
            " is lenient nobody shows; someone who alone runs a session type nobody else runs"
            " cannot be told from that session and stays near zero. The plain difference from"
            " co-interviewers on the same candidates is in the downloads (raw offset). An"
            " interval spanning zero shows no clear lean; below"
            f" {insights.MIN_INTERVAL_UNITS} shared candidates there is none. Below"
            f" {limits['calibration']} shared candidates an interviewer's figure is"
            " *provisional* and nobody is called higher or lower on it. **Corrected after the"
            " reveal**: scorecards the interviewer corrected once they could see the others'"
            " scores (left out of the leniency), and how many moved toward the others' own"
            " overalls or away from them."
        )
        calibration_table(people_rows)
    downloads("calibration", stem, fresh)


def decisions_section() -> None:
    decisions.decisions_section(view, fresh, stem)


def thresholds_section() -> None:
    bars = [
        (o.strategy.bar, f"{o.title}: its bar")
        for o in chosen_openings
        if o.id in ids and o.strategy.bar is not None
    ]
    decisions.thresholds_section(view, fresh, stem, bars)


def hires_section() -> None:
    st.header("After the hire")
    hire_outcomes.render(store(), actor, ids)


def funnel_section() -> None:
    if picked == everything:
        st.header("The funnel")
        st.caption("Pick one opening above to see its funnel.")
        return
    insight_funnel.show(store(), actor, picked.id)


def fairness_section() -> None:
    if picked == everything:
        st.header("Adverse impact")
        st.caption("Pick one opening above to see its adverse-impact figures.")
        return
    insight_fairness.show(store(), actor, [picked.id])


def questions_section() -> None:
    for opening in chosen_openings:
        if opening.id in ids:
            if len(ids) > 1:
                st.subheader(plain_markdown(opening.title, one_line=True))
            insight_questions.show(store(), actor, opening.id)


{
    "questions": questions_section,
    "funnel": funnel_section,
    "fairness": fairness_section,
    "agreement": agreement_section,
    "scales": scales_section,
    "calibration": calibration_section,
    "decisions": decisions_section,
    "thresholds": thresholds_section,
    "hires": hires_section,
}[section]()
if mine_too:
    own_section()
