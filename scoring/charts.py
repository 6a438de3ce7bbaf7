"""The debrief's charts (altair), drawn from the frames in `scoring.analysis`. Sized and lettered
to be read off a projector from the back of a room.

Every encoding is a typed channel (alt.X, alt.Tooltip, ...), never a shorthand string: altair
resolves shorthands against its schema on every call, which made these charts several times
slower to build (benchmarks/page_bench.py)."""

from __future__ import annotations

import altair as alt
import pandas as pd

FONT = 15
POSITION_COLOURS = alt.Scale(
    domain=["yes", "no", "undecided"], range=["#2e7d32", "#c62828", "#9e9e9e"]
)


def _data(frame: pd.DataFrame, *columns: str) -> alt.InlineData:
    """The columns a chart uses, as inline JSON records (missing values as null). Handing
    altair a whole DataFrame makes it copy and hash every column for every layer."""

    def plain(value):
        return None if value is None or value is pd.NA or value != value else value

    records = frame[list(columns)].to_dict("records")
    return alt.InlineData(values=[{k: plain(v) for k, v in row.items()} for row in records])


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
    data = _data(frame, "interviewer", "raw", "effective", "label", "position")
    dots = (
        alt.Chart(data)
        .mark_circle(size=420, opacity=1)
        .encode(
            x=x,
            y=alt.Y("interviewer:N", title=None, sort=None, axis=alt.Axis(labelLimit=240)),
            color=alt.Color("position:N", scale=POSITION_COLOURS, title="Position"),
            tooltip=[
                alt.Tooltip("interviewer:N"),
                alt.Tooltip("raw:Q"),
                alt.Tooltip("effective:Q"),
                alt.Tooltip("label:N"),
            ],
        )
    )
    labels = (
        alt.Chart(data)
        .mark_text(dy=-18, fontSize=FONT - 2)
        .encode(x=x, y=alt.Y("interviewer:N", sort=None), text=alt.Text("label:N"))
    )
    midpoint = (
        alt.Chart(
            alt.InlineData(values=[{"midpoint": frame.attrs.get("midpoint", (low + high) / 2)}])
        )
        .mark_rule(strokeDash=[6, 4], color="#555", size=2)
        .encode(x=alt.X("midpoint:Q"))
    )
    height = max(120, 60 * len(frame))
    return _big((midpoint + dots + labels).properties(height=height))


def heatmap(frame: pd.DataFrame) -> alt.TopLevelMixin:
    """Criterion × interviewer, coloured by the point given on its own scale; "not assessed"
    and criteria of other sessions stay blank."""
    shown = frame[frame["assessed"]].copy()
    shown["point"] = shown["effective"].astype("string") + " / " + shown["max"].astype("string")
    data = _data(shown, "interviewer", "criterion", "session", "point", "normalised")
    base = alt.Chart(data).encode(
        x=alt.X(
            "interviewer:N",
            title=None,
            sort=None,
            axis=alt.Axis(labelAngle=0, orient="top", labelOverlap=False, labelLimit=150),
        ),
        y=alt.Y("criterion:N", title=None, sort=None, axis=alt.Axis(labelLimit=320)),
    )
    cells = base.mark_rect(stroke="white", strokeWidth=2).encode(
        color=alt.Color(
            "normalised:Q",
            title="Share of scale",
            scale=alt.Scale(domain=[0, 1], scheme="redyellowgreen"),
        ),
        tooltip=[
            alt.Tooltip("session:N"),
            alt.Tooltip("criterion:N"),
            alt.Tooltip("interviewer:N"),
            alt.Tooltip("point:N"),
        ],
    )
    text = base.mark_text(fontSize=FONT, fontWeight="bold").encode(text=alt.Text("point:N"))
    height = max(160, 34 * frame["criterion"].nunique())
    return _big((cells + text).properties(height=height, width=alt.Step(130)))


def spread_chart(table: pd.DataFrame) -> alt.TopLevelMixin:
    """Per criterion rated by several interviewers: the range of their points, as a share of
    the scale; ranges of half the scale or more are red (discuss)."""
    bars = (
        alt.Chart(
            _data(
                table, "criterion", "session", "gap_share", "discuss", "lowest", "highest", "raters"
            )
        )
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
            tooltip=[
                alt.Tooltip("session:N"),
                alt.Tooltip("criterion:N"),
                alt.Tooltip("lowest:Q"),
                alt.Tooltip("highest:Q"),
                alt.Tooltip("raters:Q"),
            ],
        )
    )
    half = alt.Chart(pd.DataFrame({"x": [0.5]})).mark_rule(strokeDash=[6, 4]).encode(x=alt.X("x:Q"))
    return _big((bars + half).properties(height=max(80, 34 * len(table))))
