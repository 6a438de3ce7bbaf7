"""The debrief's charts (altair), drawn from the frames in `scoring.analysis`. Sized and lettered
to be read off a projector from the back of a room.

Every encoding is a typed channel (alt.X, alt.Tooltip, ...), never a shorthand string: altair
resolves shorthands against its schema on every call, which made these charts several times
slower to build (benchmarks/page_bench.py)."""

from __future__ import annotations

import textwrap

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
    ink = "#262730"  # dark on white, also on a washed-out projector
    # Marks are not announced one by one (Vega gives them ARIA roles without names, which
    # screen readers read as unnamed images and axe refuses: svg-img-alt); the chart is named
    # by its heading and the table of numbers next to it.
    return (
        chart.configure_mark(aria=False)
        .configure_axis(labelFontSize=FONT, titleFontSize=FONT, labelColor=ink, titleColor=ink)
        .configure_legend(labelFontSize=FONT, titleFontSize=FONT, labelColor=ink, titleColor=ink)
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
            y=alt.Y("interviewer:N", title=None, sort=None, axis=alt.Axis(labelLimit=150)),
            color=alt.Color(
                "position:N",
                scale=POSITION_COLOURS,
                legend=alt.Legend(title=None, orient="bottom", direction="horizontal"),
            ),
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


CELL_COLOURS = alt.Scale(domain=[0, 0.5, 1], range=["#e8836f", "#f4f4f4", "#7fb0de"])
"""Low points red, the middle pale, high points blue: black text reads on every cell."""
DIFFER_WORDS = ("half the scale or more apart: discuss", "less than half the scale apart")
DIFFER_COLOURS = alt.Scale(domain=list(DIFFER_WORDS), range=["#c62828", "#78909c"])
GRID_WIDTH = 240  # one session's grid in the exports (two side by side fit an A4 page)
WIDE = 560  # a full-width chart in the exports
LINE = 18  # pixels per line of a wrapped label


def _wrapped(text: str, width: int, lines: int = 4) -> str:
    """A label broken into lines of about `width` characters (Vega splits on newlines), words
    kept whole, at most `lines` lines (the last one ending in an ellipsis if cut)."""
    parts = textwrap.wrap(str(text), width, break_long_words=False) or [str(text)]
    if len(parts) > lines:
        parts = [*parts[: lines - 1], parts[lines - 1] + "…"]
    return "\n".join(parts)


def _points(row) -> str:
    if not row["assessed"]:
        return "not\nassessed"
    if row["kind"] == "binary":
        return "Yes" if row["raw"] else "No"
    return f"{row['raw']} / {row['max']}"


def _session_layer(frame: pd.DataFrame, width: int | str, title: str) -> alt.LayerChart:
    """One session's grid: criteria down, its interviewers across (two or more for a pair)."""
    shown = frame.copy()
    shown["row"] = [_wrapped(name, 22) for name in shown["criterion"]]
    shown["column"] = [_wrapped(name, 9, lines=2) for name in shown["interviewer"]]
    shown["points"] = [_points(row) for row in shown.to_dict("records")]
    shown["normalised"] = [
        None if not row["assessed"] else (row["raw"] - row["min"]) / (row["max"] - row["min"])
        for row in shown.to_dict("records")
    ]
    lines = max((row.count("\n") + 1 for row in shown["row"]), default=1)
    heads = max((name.count("\n") + 1 for name in shown["column"]), default=1)
    data = _data(
        shown, "row", "column", "criterion", "interviewer", "points", "normalised", "assessed"
    )
    split = "split(datum.label, '\\n')"
    base = alt.Chart(data).encode(
        x=alt.X(
            "column:N",
            title=None,
            sort=None,
            axis=alt.Axis(
                labelAngle=0,
                labelFontSize=FONT - 2,
                orient="top",
                labelExpr=split,
                labelLimit=100,
                # Vega draws a label's extra lines below its first: lift it clear of the cells.
                labelPadding=6 + (FONT - 1) * (heads - 1),
                ticks=False,
                domain=False,
            ),
        ),
        y=alt.Y(
            "row:N",
            title=None,
            sort=None,
            axis=alt.Axis(labelExpr=split, labelLimit=220, ticks=False, domain=False),
        ),
        tooltip=[
            alt.Tooltip("criterion:N", title="Criterion"),
            alt.Tooltip("interviewer:N", title="Interviewer"),
            alt.Tooltip("points:N", title="Points"),
        ],
    )
    cells = (
        base.mark_rect(stroke="white", strokeWidth=3)
        .encode(color=alt.Color("normalised:Q", scale=CELL_COLOURS, legend=None))
        .transform_filter("datum.assessed")
    )
    blank = base.mark_rect(
        fill="white", stroke="#9e9e9e", strokeDash=[4, 3], strokeWidth=1
    ).transform_filter("!datum.assessed")
    points = (
        base.mark_text(fontSize=FONT, fontWeight="bold", color="#111")
        .encode(text=alt.Text("points:N"))
        .transform_filter("datum.assessed")
    )
    missing = (
        base.mark_text(fontSize=FONT - 3, fontStyle="italic", color="#555", lineBreak="\n")
        .encode(text=alt.Text("points:N"))
        .transform_filter("!datum.assessed")
    )
    step = max(38, 19 * lines + 12)
    return (cells + blank + points + missing).properties(
        width=width,
        height=alt.Step(step),
        title=alt.TitleParams(title, anchor="start", fontSize=FONT + 1),
    )


def session_grid(frame: pd.DataFrame, title: str, width: int | str = "container"):
    """One session's scores: a compact criteria × interviewers grid of the points written, on
    raw scores; a pair's interviewers side by side, "not assessed" as a dashed, labelled blank.
    Each session has its own rubric, so sessions are separate small multiples, never one
    sparse block-diagonal matrix."""
    return _big(_session_layer(frame, width, title))


def sessions_grid(frame: pd.DataFrame, columns: int = 2) -> alt.TopLevelMixin:
    """Every session's grid as small multiples in `columns` columns (for the exports)."""
    grids = [
        _session_layer(part, GRID_WIDTH, str(session))
        for session, part in frame.groupby("session", sort=False)
    ]
    return _big(alt.concat(*grids, columns=columns, spacing=28))


def differ_chart(
    frame: pd.DataFrame, table: pd.DataFrame, title: str, width: int | str = "container"
) -> alt.TopLevelMixin:
    """For one session rated by several interviewers: each criterion in its own fixed-height
    row, its name and the gap in points written above its line, each interviewer a dot at the
    point they wrote on that criterion's own scale (its points under the line), red when they
    are half the scale or more apart. Raw scores."""
    rows = table.copy()
    rows["label"] = [
        _wrapped(f"{r.criterion} — {r.apart}", 42) for r in rows.itertuples(index=False)
    ]
    rows["words"] = [DIFFER_WORDS[0] if d else DIFFER_WORDS[1] for d in rows["discuss"]]
    rows["low"] = (rows["lowest"] - rows["min"]) / (rows["max"] - rows["min"])
    rows["high"] = (rows["highest"] - rows["min"]) / (rows["max"] - rows["min"])
    rows["row"] = rows["criterion_id"]
    keys = ["session", "criterion_id"]
    dots = frame[frame["assessed"]].merge(rows[[*keys, "row", "words"]], on=keys)
    dots["at"] = (dots["raw"] - dots["min"]) / (dots["max"] - dots["min"])
    dots["points"] = [
        ("Yes" if r["raw"] else "No") if r["kind"] == "binary" else f"{r['raw']} of {r['max']}"
        for r in dots.to_dict("records")
    ]
    ticks = []
    for r in rows.to_dict("records"):
        span = r["max"] - r["min"]
        for point in range(int(r["min"]), int(r["max"]) + 1):
            name = ("Yes" if point else "No") if r["kind"] == "binary" else str(point)
            ticks.append({"row": r["row"], "at": (point - r["min"]) / span, "name": name})
    lines = max((label.count("\n") + 1 for label in rows["label"]), default=1)
    step = LINE * lines + 62
    order = list(rows["row"])
    along = alt.Scale(domain=[-0.04, 1.04])
    x = alt.X("at:Q", scale=along, axis=None, title=None)
    # Within a row (top to bottom): the label, then the dots on their scale, then the points.
    # The label's last line sits just above its own line of dots, whatever its length, so a
    # label can only be read with the dots under it; the free space is above it.
    line_y = alt.Y("row:N", sort=order, axis=None, title=None, bandPosition=1)
    # With a yOffset channel a text mark is placed from the top of its band.
    rows["shift"] = [step - 34 - LINE * (label.count("\n") + 1) for label in rows["label"]]
    labels = (
        alt.Chart(_data(rows, "row", "label", "shift"))
        .mark_text(
            align="left", baseline="top", fontSize=FONT - 1, lineBreak="\n", lineHeight=LINE, x=0
        )
        .encode(
            y=line_y,
            yOffset=alt.YOffset("shift:Q", scale=None),
            text=alt.Text("label:N"),
        )
    )
    scale_ticks = (
        alt.Chart(alt.InlineData(values=ticks))
        .mark_text(fontSize=FONT - 3, color="#424242", baseline="bottom", dy=-1)
        .encode(x=x, y=line_y, text=alt.Text("name:N"))
    )
    colour = alt.Color(
        "words:N",
        scale=DIFFER_COLOURS,
        legend=alt.Legend(title=None, orient="bottom", direction="vertical", labelLimit=400),
    )
    gap = (
        alt.Chart(_data(rows, "row", "low", "high", "words"))
        .mark_rule(strokeWidth=4, yOffset=-22)
        .encode(x=alt.X("low:Q", scale=along, axis=None), x2="high:Q", y=line_y, color=colour)
    )
    raters = (
        alt.Chart(_data(dots, "row", "at", "words", "interviewer", "criterion", "points"))
        .mark_circle(size=200, opacity=1, yOffset=-22, stroke="white", strokeWidth=1.5)
        .encode(
            x=x,
            y=line_y,
            color=colour,
            tooltip=[
                alt.Tooltip("criterion:N", title="Criterion"),
                alt.Tooltip("interviewer:N", title="Interviewer"),
                alt.Tooltip("points:N", title="Wrote"),
            ],
        )
    )
    chart = (gap + raters + scale_ticks + labels).properties(
        width=width,
        height=alt.Step(step),
        title=alt.TitleParams(title, anchor="start", fontSize=FONT + 1),
    )
    return _big(chart.configure_view(stroke=None))
