"""The Insights charts: each an Altair chart over a figure table of `scoring.insights`, with
every row's label written above its own line, so a chart reads the same at 1280 and at 390
pixels wide. A row without an interval (too few independent units: `scoring.insights.limits`)
is drawn as its dot alone."""

from __future__ import annotations

import math
import textwrap

import altair as alt
import pandas as pd

from scoring.charts import FONT

# ------------------------------------------------------------------------------------ charts
# Each row's label is written above its own line (no axis of names), so a chart reads the same
# at 1280 and at 390 pixels wide.

ROW = 46  # pixels per row: the label, then the line under it
LABEL_LINE = 17  # pixels per further line of a wrapped label
LABEL_WIDTH = 40  # characters a label line holds on a phone (390 pixels)


def _wrap(labels: pd.Series) -> tuple[list[str], int, float]:
    """Labels broken into lines that fit a phone's width, the pixels each row then needs, and
    how far the label moves up and its line down from the middle of the row (a label's lines
    run downward from where it is placed)."""
    wrapped = [textwrap.fill(str(v), LABEL_WIDTH, max_lines=3) for v in labels]
    lines = max((w.count("\n") + 1 for w in wrapped), default=1)
    return wrapped, ROW + LABEL_LINE * (lines - 1), LABEL_LINE * (lines - 1) / 2


def _legible(chart: alt.TopLevelMixin) -> alt.TopLevelMixin:
    ink = "#262730"
    return (
        chart.configure_mark(aria=False)
        .configure_axis(labelFontSize=FONT - 2, titleFontSize=FONT - 2, labelColor=ink)
        .configure_axis(titleColor=ink)
        .configure_legend(labelFontSize=FONT - 2, titleFontSize=FONT - 2, orient="bottom")
        .configure_view(stroke=None)
    )


def interval_chart(
    rows: pd.DataFrame,
    *,
    label: str,
    title: str,
    domain: tuple[float, float],
    rules: list[tuple[float, str]],
) -> alt.TopLevelMixin:
    """One row per entry of `rows` (columns `label`, "estimate", "low", "high", "provisional"):
    its name above a line, the estimate a dot, its 95% interval a bar, provisional ones hollow;
    dashed reference lines at `rules` (value, words)."""
    data = rows.copy()
    data["label"], step, shift = _wrap(data[label])
    data["row"] = [f"{i:04d}" for i in range(len(data))]
    data["kind"] = ["provisional" if p else "enough data" for p in data["provisional"]]
    clipped = data.assign(
        low=data["low"].clip(*domain), high=data["high"].clip(*domain), at=domain[0]
    )
    x_scale = alt.Scale(domain=list(domain), clamp=True)
    y = alt.Y("row:N", axis=None, title=None, sort=None)
    base = alt.Chart(
        alt.InlineData(
            values=plain_records(clipped, "row", "label", "estimate", "low", "high", "kind")
        )
    )
    colour = alt.Color(
        "kind:N",
        title=None,
        scale=alt.Scale(domain=["enough data", "provisional"], range=["#1565c0", "#9e9e9e"]),
    )
    bars = base.mark_rule(strokeWidth=3, yOffset=8 + shift).encode(
        x=alt.X("low:Q", scale=x_scale, title=title), x2="high:Q", y=y, color=colour
    )
    dots = base.mark_circle(size=140, opacity=1, yOffset=8 + shift).encode(
        x=alt.X("estimate:Q", scale=x_scale),
        y=y,
        color=colour,
        tooltip=[
            alt.Tooltip("label:N", title="Name"),
            alt.Tooltip("estimate:Q", format=".2f", title="Estimate"),
            alt.Tooltip("low:Q", format=".2f", title="95% from"),
            alt.Tooltip("high:Q", format=".2f", title="95% to"),
        ],
    )
    names = _row_names(clipped, y, alt.X("at:Q", scale=x_scale), shift)
    marks = _rules(rules, alt.X("at:Q", scale=x_scale))
    chart = alt.layer(*marks, bars, dots, names).properties(
        width="container", height=alt.Step(step)
    )
    return _legible(chart)


def share_chart(points: pd.DataFrame, label: str) -> alt.TopLevelMixin:
    """Per criterion (or scale) a bar of the shares of each point, lowest point first, its name
    above it: floors, ceilings and unused points show at a glance."""
    data = points.copy()
    data = data[data["share"].notna()].copy()
    data["label"], step, shift = _wrap(data[label])
    order = list(dict.fromkeys(data["label"]))
    data["row"] = [f"{order.index(v):04d}" for v in data["label"]]
    data["point_name"] = data["point"].astype(str)
    y = alt.Y("row:N", axis=None, title=None, sort=None)
    bars = (
        alt.Chart(
            alt.InlineData(
                values=plain_records(data, "row", "label", "point", "point_name", "share")
            )
        )
        .mark_bar(height=16, yOffset=8 + shift)
        .encode(
            x=alt.X(
                "share:Q",
                stack="zero",
                title="Share of scores",
                axis=alt.Axis(format="%"),
                scale=alt.Scale(domain=[0, 1]),
            ),
            y=y,
            order=alt.Order("point:Q"),
            color=alt.Color(
                "point:O", title="Point", scale=alt.Scale(scheme="redblue"), legend=alt.Legend()
            ),
            tooltip=[
                alt.Tooltip("label:N", title="Criterion"),
                alt.Tooltip("point_name:N", title="Point"),
                alt.Tooltip("share:Q", format=".0%", title="Share"),
            ],
        )
    )
    first = data.drop_duplicates("row").assign(at=0.0)
    names = _row_names(first, y, alt.X("at:Q"), shift)
    return _legible((bars + names).properties(width="container", height=alt.Step(step)))


def _row_names(frame: pd.DataFrame, y: alt.Y, x: alt.X, shift: float) -> alt.LayerChart:
    """Each row's (wrapped) label written above its own line, from `at` on the x axis, on a
    white halo: a dashed reference line that crosses the words (zero, on a narrow screen) passes
    behind them instead of through them."""
    text = alt.Chart(alt.InlineData(values=plain_records(frame, "row", "label", "at"))).encode(
        x=x, y=y, text=alt.Text("label:N")
    )
    words = {
        "align": "left",
        "baseline": "bottom",
        "fontSize": FONT - 2,
        "yOffset": -4 - shift,
        "lineBreak": "\n",
    }
    halo = text.mark_text(**words, stroke="white", strokeWidth=4, strokeJoin="round")
    return alt.layer(halo, text.mark_text(**words))


def _rules(rules: list[tuple[float, str]], x: alt.X) -> list[alt.Chart]:
    """A dashed vertical line at each value, its words in the tooltip."""
    return [
        alt.Chart(alt.InlineData(values=[{"at": value, "words": words}]))
        .mark_rule(strokeDash=[6, 4], color="#555")
        .encode(x=x, tooltip=[alt.Tooltip("words:N", title="Line")])
        for value, words in rules
    ]


def plain_records(frame: pd.DataFrame, *columns: str) -> list[dict]:
    """Rows as plain JSON values, missing ones as null."""

    def plain(value):
        if value is None or value is pd.NA or (isinstance(value, float) and value != value):
            return None
        return value.item() if hasattr(value, "item") else value

    return [
        {k: plain(v) for k, v in row.items()} for row in frame[list(columns)].to_dict("records")
    ]


PROCESS_SHARES = {
    "hires": "hire rate",
    "changed": "discussion changed the outcome",
    "against_panel": "decided against the panel's majority",
    "forcing_flips": "forcing would flip the outcome",
}


def process_shares(process: pd.DataFrame) -> pd.DataFrame:
    """The decision process's shares as rows for `interval_chart`: one per opening and share,
    named with its n (figures the viewer cannot have, such as forcing under a committee whose
    votes are hidden, are left out)."""
    rows = []
    for r in process.to_dict("records"):
        for name, words in PROCESS_SHARES.items():
            # a share that is not there (no score figures) or blank (none to work it out from)
            if r.get(f"{name}_share", math.nan) == r.get(f"{name}_share", math.nan):
                n = r["forcing_n"] if name == "forcing_flips" else r["decided"]
                rows.append(
                    {
                        "name": f"{r['opening']} · {words} · {n} decided",
                        "estimate": r[f"{name}_share"],
                        "low": r[f"{name}_low"],
                        "high": r[f"{name}_high"],
                        "provisional": r["provisional"],
                    }
                )
    return pd.DataFrame(rows, columns=["name", "estimate", "low", "high", "provisional"])


SWEEP_LINES = {
    "above_share": "at or above the bar",
    "stopped_share": "past hires it would stop",
    "through_share": "past no-hires it would let through",
}


def sweep_chart(sweep: pd.DataFrame, bars: list[tuple[float, str]]) -> alt.TopLevelMixin:
    """The bar sweep as three lines over the bar (0.20 to 0.90), each a share of the decided
    candidates: at or above, past hires stopped, past no-hires let through; the band around
    the first is its 95% interval; a dashed rule at each opening's own bar."""
    data = sweep.assign(
        stopped_share=sweep["hires_stopped"] / sweep["candidates"],
        through_share=sweep["no_hires_above"] / sweep["candidates"],
    )
    long = data.melt(
        id_vars=["bar"], value_vars=list(SWEEP_LINES), var_name="line", value_name="share"
    )
    long["line"] = long["line"].map(SWEEP_LINES)
    x = alt.X("bar:Q", title="Bar (weighted score)", scale=alt.Scale(domain=[0.2, 0.9]))
    share_axis = {"title": "Share of decided candidates", "axis": alt.Axis(format="%")}
    y = alt.Y("share:Q", **share_axis)
    colour = alt.Color(
        "line:N",
        title=None,
        scale=alt.Scale(domain=list(SWEEP_LINES.values()), range=["#1565c0", "#b8283a", "#6a4c93"]),
        legend=alt.Legend(orient="bottom", direction="vertical", labelLimit=0, symbolType="stroke"),
    )
    band = (
        alt.Chart(alt.InlineData(values=plain_records(data, "bar", "above_low", "above_high")))
        .mark_area(opacity=0.2, color="#1565c0")
        .encode(x=x, y=alt.Y("above_low:Q", **share_axis), y2="above_high:Q")
    )
    lines = (
        alt.Chart(alt.InlineData(values=plain_records(long, "bar", "line", "share")))
        .mark_line(point=True, strokeWidth=2)
        .encode(
            x=x,
            y=y,
            color=colour,
            strokeDash=alt.StrokeDash("line:N", legend=None),
            tooltip=[
                alt.Tooltip("bar:Q", format=".2f", title="Bar"),
                alt.Tooltip("line:N", title="Line"),
                alt.Tooltip("share:Q", format=".0%", title="Share"),
            ],
        )
    )
    marks = _rules(bars, alt.X("at:Q"))
    # fit-x: the width follows the column; the height is the plot's own, legend below it
    fit = alt.AutoSizeParams(type="fit-x", contains="padding")
    chart = alt.layer(band, lines, *marks).properties(width="container", height=240, autosize=fit)
    return _legible(chart)
