"""The debrief's charts as Vega-Lite specs (plain dicts), drawn from the frames in
`scoring.analysis`. Sized and lettered to be read off a projector from the back of a room.

The specs are written out by hand, key for key what altair's `to_dict()` made of the same charts
(its `$schema`, its default `config.view`, its `data-<hash>` dataset names): building them
through altair cost about half a second a debrief, on every rerun of the page (each chained call
deep-copies the chart, and `to_dict()` validates it against the schema). tests/test_chart_specs.py
validates every spec the debrief draws against the Vega-Lite schema instead.

Each spec is built once per content: the builders are memoised on the values the chart shows
(the rows it reads, its scale, title and width), so a rerun of the same debrief (a toggle, a
vote) builds nothing, and two people share a spec only when their charts are the same chart.
Every call returns a fresh copy, which a caller may change without touching the memo."""

from __future__ import annotations

import functools
import hashlib
import json
import textwrap
from collections.abc import Callable

import pandas as pd

SCHEMA = "https://vega.github.io/schema/vega-lite/v6.4.1.json"  # altair 6's Vega-Lite
FONT = 15
INK = "#262730"  # dark on white, also on a washed-out projector
POSITION_COLOURS = {
    "domain": ["yes", "no", "undecided"],
    "range": ["#2e7d32", "#c62828", "#9e9e9e"],
}
CELL_COLOURS = {"domain": [0, 0.5, 1], "range": ["#e8836f", "#f4f4f4", "#7fb0de"]}
"""Low points red, the middle pale, high points blue: black text reads on every cell."""
DIFFER_WORDS = ("half the scale or more apart: discuss", "less than half the scale apart")
DIFFER_COLOURS = {"domain": list(DIFFER_WORDS), "range": ["#c62828", "#78909c"]}
GRID_WIDTH = 240  # one session's grid in the exports (two side by side fit an A4 page)
WIDE = 560  # a full-width chart in the exports
LINE = 18  # pixels per line of a wrapped label
MEMO = 512  # specs kept per builder: a few debriefs' worth each, a few kB a spec

Rows = tuple[tuple, ...]


def _plain(value):
    """A frame's value as JSON has it: a missing one (None, pd.NA, NaN) is null."""
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return None
    return value


def _rows(frame: pd.DataFrame, *columns: str) -> Rows:
    """The columns a chart reads, as hashable rows of plain values: the memo's key. The
    analysis frames give each column one dtype, so equal rows mean the same chart."""
    return tuple(zip(*([_plain(v) for v in frame[c].tolist()] for c in columns), strict=True))


def _memo(build: Callable[..., dict]) -> Callable[..., dict]:
    """`build` once per distinct arguments; each call gets its own copy of the spec. The memo
    keeps the spec as JSON text, so a caller changing the dict it got (Streamlit, the bidi
    stripping of the exports) cannot change what the next caller gets."""
    kept = functools.lru_cache(maxsize=MEMO, typed=True)(lambda *key: json.dumps(build(*key)))

    @functools.wraps(build)
    def fresh(*key) -> dict:
        return json.loads(kept(*key))

    fresh.cache_info = kept.cache_info  # type: ignore[attr-defined]
    fresh.cache_clear = kept.cache_clear  # type: ignore[attr-defined]
    return fresh


def _named(values: list[dict], datasets: dict) -> dict:
    """Inline data as altair carries it: the values once in the spec's `datasets`, under a name
    made from their hash (the same name altair gives them), referred to by that name."""
    if values == [{}]:
        name = "empty"
    else:
        text = json.dumps(values, sort_keys=True, default=str)
        name = "data-" + hashlib.sha256(text.encode()).hexdigest()[:32]
    datasets[name] = values
    return {"name": name}


def _top(body: dict, datasets: dict, view: dict | None = None) -> dict:
    """A whole spec: the schema, the projector-sized lettering, the chart, its data."""
    # Marks are not announced one by one (Vega gives them ARIA roles without names, which
    # screen readers read as unnamed images and axe refuses: svg-img-alt); the chart is named
    # by its heading and the table of numbers next to it.
    big = {"labelFontSize": FONT, "titleFontSize": FONT, "labelColor": INK, "titleColor": INK}
    config = {
        "axis": dict(big),
        "legend": dict(big),
        "mark": {"aria": False},
        # altair's default theme: a chart without a width or height of its own is 300 pixels
        "view": {"continuousWidth": 300, "continuousHeight": 300, **(view or {})},
    }
    return {"$schema": SCHEMA, "config": config, **body, "datasets": datasets}


def _title(title: str) -> dict:
    return {"text": title, "anchor": "start", "fontSize": FONT + 1}


def _field(name: str, kind: str, **more) -> dict:
    return {"field": name, "type": kind, **more}


def overall_chart(frame: pd.DataFrame, low: int, high: int, width: int | None = None) -> dict:
    """Each interviewer's overall recommendation on the scale, the midpoint dashed: who sits in
    the middle is visible at once. `width` in pixels (the exports); without it the chart takes
    the width it is drawn in."""
    rows = _rows(frame, "interviewer", "raw", "effective", "label", "position")
    return _overall(rows, low, high, frame.attrs.get("midpoint", (low + high) / 2), width)


def overall_of(positions, scale, labels, width: int | None = None) -> dict:
    """`overall_chart` straight from the engine's positions on the opening's `scale` (its point
    `labels`), as `analysis.overall_frame` would put them, without building the frame: the
    page draws it on every rerun."""
    rows = tuple(
        (
            p.interviewer,
            p.raw,
            p.effective,
            labels.get(p.effective, str(p.effective)),
            p.position.value,
        )
        for p in positions
    )
    return _overall(rows, scale.min, scale.max, scale.midpoint, width)


@_memo
def _overall(rows: Rows, low: int, high: int, midpoint: float, width: int | None) -> dict:
    datasets: dict = {}
    keys = ("interviewer", "raw", "effective", "label", "position")
    data = _named([dict(zip(keys, row, strict=True)) for row in rows], datasets)
    axis = {"values": list(range(low, high + 1)), "format": "d", "grid": True}
    x = _field(
        "effective", "quantitative", title="Overall recommendation", scale={"domain": [low, high]}
    )
    x["axis"] = axis
    dots = {
        "data": data,
        "mark": {"type": "circle", "size": 420, "opacity": 1},
        "encoding": {
            "x": x,
            "y": _field("interviewer", "nominal", title=None, sort=None, axis={"labelLimit": 150}),
            "color": _field(
                "position",
                "nominal",
                scale=POSITION_COLOURS,
                legend={"title": None, "orient": "bottom", "direction": "horizontal"},
            ),
            "tooltip": [
                _field("interviewer", "nominal"),
                _field("raw", "quantitative"),
                _field("effective", "quantitative"),
                _field("label", "nominal"),
            ],
        },
    }
    labels = {
        "data": data,
        "mark": {"type": "text", "dy": -18, "fontSize": FONT - 2},
        "encoding": {
            "x": x,
            "y": _field("interviewer", "nominal", sort=None),
            "text": _field("label", "nominal"),
        },
    }
    midpoint_rule = {
        "data": _named([{"midpoint": midpoint}], datasets),
        "mark": {"type": "rule", "strokeDash": [6, 4], "color": "#555", "size": 2},
        "encoding": {"x": _field("midpoint", "quantitative")},
    }
    body: dict = {"layer": [midpoint_rule, dots, labels], "height": max(120, 60 * len(rows))}
    if width is not None:
        body["width"] = width
    return _top(body, datasets)


def _wrapped(text: str, width: int, lines: int = 4) -> str:
    """A label broken into lines of about `width` characters (Vega splits on newlines), words
    kept whole, at most `lines` lines (the last one ending in an ellipsis if cut)."""
    parts = textwrap.wrap(str(text), width, break_long_words=False) or [str(text)]
    if len(parts) > lines:
        parts = [*parts[: lines - 1], parts[lines - 1] + "…"]
    return "\n".join(parts)


def _points(assessed: bool, kind: str, raw, top) -> str:
    if not assessed:
        return "not\nassessed"
    if kind == "binary":
        return "Yes" if raw else "No"
    return f"{raw} / {top}"


GRID_COLUMNS = ("criterion", "interviewer", "kind", "raw", "min", "max", "assessed")


def _grid_view(rows: Rows, width: int | str, title: str, datasets: dict) -> dict:
    """One session's grid: criteria down, its interviewers across (two or more for a pair)."""
    values = [
        {
            "row": _wrapped(criterion, 22),
            "column": _wrapped(interviewer, 9, lines=2),
            "criterion": criterion,
            "interviewer": interviewer,
            "points": _points(assessed, kind, raw, top),
            "normalised": (raw - bottom) / (top - bottom) if assessed else None,
            "assessed": assessed,
        }
        for criterion, interviewer, kind, raw, bottom, top, assessed in rows
    ]
    lines = max((v["row"].count("\n") + 1 for v in values), default=1)
    heads = max((v["column"].count("\n") + 1 for v in values), default=1)
    split = "split(datum.label, '\\n')"
    x = _field("column", "nominal", title=None, sort=None)
    x["axis"] = {
        "labelAngle": 0,
        "labelFontSize": FONT - 2,
        "orient": "top",
        "labelExpr": split,
        "labelLimit": 100,
        # Vega draws a label's extra lines below its first: lift it clear of the cells.
        "labelPadding": 6 + (FONT - 1) * (heads - 1),
        "ticks": False,
        "domain": False,
    }
    y = _field("row", "nominal", title=None, sort=None)
    y["axis"] = {"labelExpr": split, "labelLimit": 220, "ticks": False, "domain": False}
    tooltip = [
        _field("criterion", "nominal", title="Criterion"),
        _field("interviewer", "nominal", title="Interviewer"),
        _field("points", "nominal", title="Points"),
    ]
    text = _field("points", "nominal")

    def layer(mark: dict, shown: bool, **encoding) -> dict:
        return {
            "mark": mark,
            "encoding": {"x": x, "y": y, "tooltip": tooltip, **encoding},
            "transform": [{"filter": "datum.assessed" if shown else "!datum.assessed"}],
        }

    cells = layer(
        {"type": "rect", "stroke": "white", "strokeWidth": 3},
        True,
        color=_field("normalised", "quantitative", scale=CELL_COLOURS, legend=None),
    )
    blank = layer(
        {
            "type": "rect",
            "fill": "white",
            "stroke": "#9e9e9e",
            "strokeDash": [4, 3],
            "strokeWidth": 1,
        },
        False,
    )
    points = layer(
        {"type": "text", "fontSize": FONT, "fontWeight": "bold", "color": "#111"}, True, text=text
    )
    missing = layer(
        {
            "type": "text",
            "fontSize": FONT - 3,
            "fontStyle": "italic",
            "color": "#555",
            "lineBreak": "\n",
        },
        False,
        text=text,
    )
    return {
        "data": _named(values, datasets),
        "layer": [cells, blank, points, missing],
        "width": width,
        "height": {"step": max(38, 19 * lines + 12)},
        "title": _title(title),
    }


def session_grid(frame: pd.DataFrame, title: str, width: int | str = "container") -> dict:
    """One session's scores: a compact criteria × interviewers grid of the points written, on
    raw scores; a pair's interviewers side by side, "not assessed" as a dashed, labelled blank.
    Each session has its own rubric, so sessions are separate small multiples, never one
    sparse block-diagonal matrix."""
    return _session_grid(_rows(frame, *GRID_COLUMNS), title, width)


@_memo
def _session_grid(rows: Rows, title: str, width: int | str) -> dict:
    datasets: dict = {}
    return _top(_grid_view(rows, width, title, datasets), datasets)


def _by_session(frame: pd.DataFrame, *columns: str) -> list[tuple[str, Rows]]:
    """The frame's `columns` grouped by session, sessions in the order they first appear, each
    one's rows in the frame's order: the frame read once (a pandas groupby, or a mask per
    session, costs a millisecond or more each)."""
    by_session: dict = {}
    for session, *row in _rows(frame, "session", *columns):
        by_session.setdefault(session, []).append(tuple(row))
    return [(str(session), tuple(rows)) for session, rows in by_session.items()]


def session_grids(frame: pd.DataFrame, width: int | str = "container") -> list[tuple[str, dict]]:
    """Each session's grid (`session_grid`), with the session's name, in the frame's order."""
    return [
        (title, _session_grid(rows, title, width))
        for title, rows in _by_session(frame, *GRID_COLUMNS)
    ]


def sessions_grid(frame: pd.DataFrame, columns: int = 2) -> dict:
    """Every session's grid as small multiples in `columns` columns (for the exports)."""
    return _sessions_grid(tuple(_by_session(frame, *GRID_COLUMNS)), columns)


@_memo
def _sessions_grid(sessions: tuple[tuple[str, Rows], ...], columns: int) -> dict:
    datasets: dict = {}
    grids = [_grid_view(rows, GRID_WIDTH, title, datasets) for title, rows in sessions]
    body: dict = {"concat": grids, "columns": columns, "spacing": 28}
    if len(grids) == 1:  # altair lifts the data of a lone view to the top, as for a layer
        body["data"] = grids[0].pop("data")
    return _top(body, datasets)


DOT_COLUMNS = ("session", "criterion_id", "interviewer", "criterion", "kind", "raw", "min", "max")
GAP_COLUMNS = ("session", "criterion_id", "criterion", "kind", "min", "max", "lowest", "highest")


def differ_chart(
    frame: pd.DataFrame, table: pd.DataFrame, title: str, width: int | str = "container"
) -> dict:
    """For one session rated by several interviewers: each criterion in its own fixed-height
    row, its name and the gap in points written above its line, each interviewer a dot at the
    point they wrote on that criterion's own scale (its points under the line), red when they
    are half the scale or more apart. Raw scores. `table` is that session's part of
    `analysis.spread`."""
    # the assessed points, filtered here: a pandas mask costs a millisecond a call
    dots = tuple(
        tuple(row) for assessed, *row in _rows(frame, "assessed", *DOT_COLUMNS) if assessed
    )
    gaps = _rows(table, *GAP_COLUMNS, "discuss", "apart")
    return _differ(dots, gaps, title, width)


def differ_charts(
    frame: pd.DataFrame, gaps: list, width: int | str = "container"
) -> list[tuple[str, dict]]:
    """`differ_chart` for each session with a criterion two or more interviewers rated, with
    the session's name, in the order of `gaps` (`analysis.gaps` of `frame`): the frame read
    once for all of them."""
    tables: dict = {}
    for gap in gaps:
        tables.setdefault(gap.session, []).append(
            tuple(getattr(gap, c) for c in (*GAP_COLUMNS, "discuss", "apart"))
        )
    dots: dict = {}
    for assessed, *row in _rows(frame, "assessed", *DOT_COLUMNS):
        if assessed and row[0] in tables:
            dots.setdefault(row[0], []).append(tuple(row))
    return [
        (str(session), _differ(tuple(dots.get(session, ())), tuple(rows), str(session), width))
        for session, rows in tables.items()
    ]


@_memo
def _differ(dots: Rows, gaps: Rows, title: str, width: int | str) -> dict:
    datasets: dict = {}
    rows = []
    for session, row, criterion, kind, bottom, top, lowest, highest, discuss, apart in gaps:
        label = _wrapped(f"{criterion} — {apart}", 42)
        span = top - bottom
        rows.append(
            {
                "key": (session, row),
                "row": row,
                "kind": kind,
                "min": bottom,
                "max": top,
                "label": label,
                "words": DIFFER_WORDS[0] if discuss else DIFFER_WORDS[1],
                "low": (lowest - bottom) / span,
                "high": (highest - bottom) / span,
            }
        )
    # Every assessed point against every criterion of the table it belongs to, in the frame's
    # order (what a pandas inner merge on session and criterion gives).
    raters = [
        {
            "row": r["row"],
            "at": (raw - bottom) / (top - bottom),
            "words": r["words"],
            "interviewer": interviewer,
            "criterion": criterion,
            "points": ("Yes" if raw else "No") if kind == "binary" else f"{raw} of {top}",
        }
        for session, row, interviewer, criterion, kind, raw, bottom, top in dots
        for r in rows
        if r["key"] == (session, row)
    ]
    ticks = [
        {
            "row": r["row"],
            "at": (point - r["min"]) / (r["max"] - r["min"]),
            "name": ("Yes" if point else "No") if r["kind"] == "binary" else str(point),
        }
        for r in rows
        for point in range(int(r["min"]), int(r["max"]) + 1)
    ]
    lines = max((r["label"].count("\n") + 1 for r in rows), default=1)
    step = LINE * lines + 62
    along = {"domain": [-0.04, 1.04]}
    x = _field("at", "quantitative", scale=along, axis=None, title=None)
    # Within a row (top to bottom): the label, then the dots on their scale, then the points.
    # The label's last line sits just above its own line of dots, whatever its length, so a
    # label can only be read with the dots under it; the free space is above it.
    line_y = _field("row", "nominal", sort=[r["row"] for r in rows], axis=None, title=None)
    line_y["bandPosition"] = 1
    colour = _field(
        "words",
        "nominal",
        scale=DIFFER_COLOURS,
        legend={"title": None, "orient": "bottom", "direction": "vertical", "labelLimit": 400},
    )
    gap = {
        "data": _named(
            [{k: r[k] for k in ("row", "low", "high", "words")} for r in rows], datasets
        ),
        "mark": {"type": "rule", "strokeWidth": 4, "yOffset": -22},
        "encoding": {
            "x": _field("low", "quantitative", scale=along, axis=None),
            "x2": {"field": "high"},
            "y": line_y,
            "color": colour,
        },
    }
    dot = {
        "data": _named(raters, datasets),
        "mark": {
            "type": "circle",
            "size": 200,
            "opacity": 1,
            "yOffset": -22,
            "stroke": "white",
            "strokeWidth": 1.5,
        },
        "encoding": {
            "x": x,
            "y": line_y,
            "color": colour,
            "tooltip": [
                _field("criterion", "nominal", title="Criterion"),
                _field("interviewer", "nominal", title="Interviewer"),
                _field("points", "nominal", title="Wrote"),
            ],
        },
    }
    scale_ticks = {
        "data": _named(ticks, datasets),
        "mark": {
            "type": "text",
            "fontSize": FONT - 3,
            "color": "#424242",
            "baseline": "bottom",
            "dy": -1,
        },
        "encoding": {"x": x, "y": line_y, "text": _field("name", "nominal")},
    }
    # With a yOffset channel a text mark is placed from the top of its band.
    labels = {
        "data": _named(
            [
                {
                    "row": r["row"],
                    "label": r["label"],
                    "shift": step - 34 - LINE * (r["label"].count("\n") + 1),
                }
                for r in rows
            ],
            datasets,
        ),
        "mark": {
            "type": "text",
            "align": "left",
            "baseline": "top",
            "fontSize": FONT - 1,
            "lineBreak": "\n",
            "lineHeight": LINE,
            "x": 0,
        },
        "encoding": {
            "y": line_y,
            "yOffset": _field("shift", "quantitative", scale=None),
            "text": _field("label", "nominal"),
        },
    }
    body = {
        "layer": [gap, dot, scale_ticks, labels],
        "width": width,
        "height": {"step": step},
        "title": _title(title),
    }
    return _top(body, datasets, view={"stroke": None})
