"""The Insights page's funnel section (issue 27): per stage of one opening's process, how many
candidates entered, advanced, were rejected, withdrew or wait, the pass-through with its
interval in words, the time spent in the stage and the spot checks; a bar chart of how many
entered each stage. Counts and dates only (`scoring.insights.funnel`): the coordinator's and
the opening's hiring manager's."""

from __future__ import annotations

import altair as alt
import streamlit as st

from scoring.charts import FONT, INK
from scoring.errors import NotAllowed
from scoring.insights.funnel import MINIMUM, Days, Funnel, FunnelStage, Rate, funnel
from scoring.permissions import Person
from scoring.store import Store
from scoring.text import plain_markdown
from ui.downloads import rows_buttons
from ui.insight_parts import how, lead
from ui.widgets import interval, share, table

BAR = "#1565c0"


def show(store: Store, actor: Person, opening_id: int) -> None:
    """The funnel of one opening, or why the actor may not see it (a plain sentence)."""
    st.header("The funnel")
    try:
        view = funnel(store, actor, opening_id)
    except NotAllowed as refusal:
        st.caption(plain_markdown(str(refusal), one_line=True))
        return
    lead(view.sentence())
    if view.own_first:
        st.caption(
            f"{view.own_first} {'candidate is' if view.own_first == 1 else 'candidates are'}"
            " counted as pending where you still have a scorecard or a review to write: you"
            " see how they fared once yours is in."
        )
    if not view.candidates:
        return
    st.altair_chart(funnel_chart(view), width="stretch")
    table(stage_rows(view))
    for note in notes(view):
        st.caption(plain_markdown(note, one_line=True))
    with how("funnel"):
        st.markdown(
            "Each candidate is counted once in every stage they reached: **advanced**,"
            " **rejected**, **withdrawn** (they withdrew, or declined the offer) or **pending**"
            " (still there), so entered is always the sum of the four. **Pass-through** is the"
            " share advanced of those who left the stage, with a 95% interval (Wilson); below"
            f" {view.minimum} candidates out of a stage, a sentence says how many there are"
            " instead. **Days in stage** runs from entering the stage (added to the opening, or"
            " advanced from the stage before) to leaving it, over those who left: the median"
            " and the 90th percentile (p90: nine in ten had left by then); **pending for** is how"
            " long the pending ones have been there."
            " **Provisional rejections** were made against a bar marked provisional; a share of"
            " those goes to a second reviewer, and **spot checks agreeing** counts the checks"
            " that also said reject. The on-site loop's outcome is the decision (hire:"
            " advanced); the offer's is the candidate's answer."
        )
    rows_buttons(lambda: funnel(store, actor, opening_id).rows(), f"funnel-{opening_id}")


def stage_name(stage: FunnelStage) -> str:
    """'2. Phone screen (screen)': the stage's place, title and kind."""
    kind = stage.kind_words.lower()
    same = stage.title.lower() == kind
    return f"{stage.position}. {stage.title}" + ("" if same else f" ({kind})")


def rate_words(rate: Rate) -> str:
    """'62% (95%: 48% to 74%)', or 'too few (7 of 20)' below the minimum."""
    if rate.estimate is None:
        return "—" if rate.n == 0 else f"too few ({rate.n} of {MINIMUM})"
    return f"{share(rate.estimate)} (95%: {interval(rate.low, rate.high, share)})"


def days_words(days: Days, p90: bool = True) -> str:
    """'median 2.5 · p90 6.0 (n 12)' days; '—' where no one is counted."""
    if not days.n or days.median is None:
        return "—"
    words = f"median {days.median:.1f}"
    if p90 and days.p90 is not None:
        words += f" · p90 {days.p90:.1f}"
    return f"{words} (n {days.n})"


def stage_rows(view: Funnel) -> list[dict]:
    """The table: one row per stage, every cell in words."""
    return [
        {
            "stage": stage_name(s),
            "entered": s.entered,
            "advanced": s.advanced,
            "rejected": s.rejected,
            "withdrawn": s.withdrawn,
            "pending": s.pending,
            "pass-through": rate_words(s.pass_through),
            "days in stage": days_words(s.days_in_stage),
            "pending for (days)": days_words(s.days_waiting, p90=False),
            "provisional rejections": "—"
            if s.provisional is None
            else f"{s.provisional.k} of {s.provisional.n}",
            "spot checks agreeing": "—"
            if s.spot_checks is None
            else f"{s.spot_checks.k} of {s.spot_checks.n}"
            + ("" if s.spot_checks.estimate is None else f" · {rate_words(s.spot_checks)}"),
        }
        for s in view.stages
    ]


def notes(view: Funnel) -> list[str]:
    """The sentences standing in for the rates too few candidates stand behind, per stage."""
    found = []
    for s in view.stages:
        rates = [s.pass_through]
        if s.provisional is not None:
            rates.append(s.provisional)
        if s.spot_checks is not None:
            rates.append(s.spot_checks)
        said = [r.note for r in rates if r.note and r.n]
        if said:
            found.append(f"{stage_name(s)}: " + " ".join(said))
    return found


def funnel_chart(view: Funnel) -> alt.TopLevelMixin:
    """How many candidates entered each stage, a horizontal bar per stage in order, its name
    written above it (it reads the same on a phone). Named for assistive technology by its
    title and description; the marks themselves are not announced one by one (the table next
    to it holds the numbers)."""
    rows = [
        {
            "row": f"{s.position:04d}",
            "label": stage_name(s),
            "entered": s.entered,
            "pending": s.pending,
            "at": 0,
        }
        for s in view.stages
    ]
    data = alt.InlineData(values=rows)
    y = alt.Y("row:N", axis=None, title=None, sort=None)
    x = alt.X(
        "entered:Q",
        title="Candidates who entered the stage",
        axis=alt.Axis(format="d", tickMinStep=1),
        scale=alt.Scale(domainMin=0),
    )
    bars = (
        alt.Chart(data)
        .mark_bar(height=16, yOffset=8, color=BAR)
        .encode(
            x=x,
            y=y,
            tooltip=[
                alt.Tooltip("label:N", title="Stage"),
                alt.Tooltip("entered:Q", title="Entered"),
                alt.Tooltip("pending:Q", title="Pending"),
            ],
        )
    )
    names = (
        alt.Chart(data)
        .mark_text(align="left", baseline="bottom", fontSize=FONT - 2, yOffset=-4, color=INK)
        .encode(x=alt.X("at:Q"), y=y, text=alt.Text("label:N"))
    )
    entered = ", ".join(f"{r['label']}: {r['entered']}" for r in rows)
    return (
        alt.layer(bars, names)
        .properties(
            width="container",
            height=alt.Step(46),
            title=alt.TitleParams(
                "Candidates who entered each stage", anchor="start", fontSize=FONT
            ),
            description=f"Bar chart of the candidates who entered each stage: {entered}.",
        )
        .configure_mark(aria=False)
        .configure_axis(labelFontSize=FONT - 2, titleFontSize=FONT - 2, labelColor=INK)
        .configure_axis(titleColor=INK)
        .configure_view(stroke=None)
    )
