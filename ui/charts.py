"""The debrief's charts (altair), drawn from the frames in `scoring.analysis`. Sized and lettered
to be read off a projector from the back of a room."""

from __future__ import annotations

import altair as alt
import pandas as pd

FONT = 15
POSITION_COLOURS = alt.Scale(
    domain=["yes", "no", "undecided"], range=["#2e7d32", "#c62828", "#9e9e9e"]
)


def _big(chart: alt.TopLevelMixin) -> alt.TopLevelMixin:
    return chart.configure_axis(labelFontSize=FONT, titleFontSize=FONT).configure_legend(
        labelFontSize=FONT, titleFontSize=FONT
    )


def overall_chart(frame: pd.DataFrame, low: int, high: int) -> alt.TopLevelMixin:
    """Each interviewer's overall recommendation on the scale, the midpoint dashed: who sits in
    the middle is visible at once."""
    axis = alt.Axis(values=list(range(low, high + 1)), format="d", grid=True)
    x = alt.X(
        "effective:Q",
        title="Overall recommendation",
        scale=alt.Scale(domain=[low, high]),
        axis=axis,
    )
    dots = (
        alt.Chart(frame)
        .mark_circle(size=420, opacity=1)
        .encode(
            x=x,
            y=alt.Y("interviewer:N", title=None, sort=None),
            color=alt.Color("position:N", scale=POSITION_COLOURS, title="Position"),
            tooltip=["interviewer", "raw", "effective", "label"],
        )
    )
    labels = (
        alt.Chart(frame)
        .mark_text(dy=-18, fontSize=FONT - 2)
        .encode(x=x, y=alt.Y("interviewer:N", sort=None), text="label:N")
    )
    midpoint = (
        alt.Chart(pd.DataFrame({"midpoint": [frame.attrs.get("midpoint", (low + high) / 2)]}))
        .mark_rule(strokeDash=[6, 4], color="#555", size=2)
        .encode(x="midpoint:Q")
    )
    height = max(120, 60 * len(frame))
    return _big((midpoint + dots + labels).properties(height=height))


def heatmap(frame: pd.DataFrame) -> alt.TopLevelMixin:
    """Criterion × interviewer, coloured by the point given on its own scale; "not assessed"
    and criteria of other sessions stay blank."""
    shown = frame[frame["assessed"]].copy()
    shown["point"] = shown["effective"].astype("string") + " / " + shown["max"].astype("string")
    base = alt.Chart(shown).encode(
        x=alt.X("interviewer:N", title=None, sort=None, axis=alt.Axis(labelAngle=0, orient="top")),
        y=alt.Y("criterion:N", title=None, sort=None, axis=alt.Axis(labelLimit=320)),
    )
    cells = base.mark_rect(stroke="white", strokeWidth=2).encode(
        color=alt.Color(
            "normalised:Q",
            title="Share of scale",
            scale=alt.Scale(domain=[0, 1], scheme="redyellowgreen"),
        ),
        tooltip=["session", "criterion", "interviewer", "point"],
    )
    text = base.mark_text(fontSize=FONT, fontWeight="bold").encode(text="point:N")
    height = max(160, 34 * frame["criterion"].nunique())
    return _big((cells + text).properties(height=height))


def spread_chart(table: pd.DataFrame) -> alt.TopLevelMixin:
    """Per criterion rated by several interviewers: the range of their points, as a share of
    the scale; ranges of half the scale or more are red (discuss)."""
    bars = (
        alt.Chart(table)
        .mark_bar(height=18)
        .encode(
            y=alt.Y("criterion:N", title=None, sort=None, axis=alt.Axis(labelLimit=260)),
            x=alt.X(
                "gap_share:Q",
                title="Gap between raters (share of the scale)",
                scale=alt.Scale(domain=[0, 1]),
            ),
            color=alt.Color(
                "discuss:N",
                scale=alt.Scale(domain=[True, False], range=["#c62828", "#90a4ae"]),
                legend=alt.Legend(title="Discuss"),
            ),
            tooltip=["session", "criterion", "lowest", "highest", "raters"],
        )
    )
    half = alt.Chart(pd.DataFrame({"x": [0.5]})).mark_rule(strokeDash=[6, 4]).encode(x="x:Q")
    return _big((bars + half).properties(height=max(80, 34 * len(table))))
