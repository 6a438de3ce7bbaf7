"""Drawing the debrief's Vega-Lite specs (`scoring.charts`) with their data already in Arrow.

Streamlit sends a chart's inline datasets to the browser as Arrow IPC bytes, converting each list
of rows through pandas and pyarrow on every call (about 2 ms a dataset, most of a chart's cost on
a rerun). A dataset that is already bytes is passed through as it is. So each dataset is
converted once per content, by Streamlit's own function, and the bytes are kept: the chart the
browser gets is byte for byte the one Streamlit would have made.

The memo is keyed on the rows themselves (their exact JSON text), never on who asked: two people
get the same bytes only for the same rows, and nobody gets bytes for rows they did not hand in
themselves. It holds no permission: the page's guard and the service run on every rerun before
anything is drawn.
"""

from __future__ import annotations

import functools
import json
from typing import Any

import streamlit as st
from streamlit import dataframe_util

KEPT = 1024  # datasets kept: a few hundred debriefs' charts, a few kB each


@functools.lru_cache(maxsize=KEPT)
def _arrow_of(rows: str) -> bytes:
    """The Arrow IPC bytes Streamlit makes of these rows (given as their JSON text)."""
    return dataframe_util.convert_anything_to_arrow_bytes(json.loads(rows))


def arrow_datasets(spec: dict[str, Any]) -> dict[str, Any]:
    """`spec` with each inline dataset replaced by its Arrow bytes (in place; also returned).
    Rows that are not plain JSON are left to Streamlit to convert as usual."""
    datasets = spec.get("datasets")
    if not datasets:
        return spec
    for name, rows in datasets.items():
        if isinstance(rows, list):
            try:
                text = json.dumps(rows, allow_nan=False)
            except (TypeError, ValueError):  # not plain JSON: no exact key, so no memo
                continue
            datasets[name] = _arrow_of(text)
    return spec


def draw(spec: dict[str, Any], where: Any = None) -> None:
    """Draw one of the debrief's specs, as wide as the place it is drawn in (`where`: a column
    or container; the page itself by default). The spec must be the caller's own copy (the
    builders in `scoring.charts` give a fresh one on every call)."""
    (where or st).vega_lite_chart(arrow_datasets(spec), width="stretch")


def draw_two_by_two(named: list[tuple[str, dict[str, Any]]]) -> None:
    """Charts side by side, two to a row (`named`: each chart's name and spec, in order)."""
    for start in range(0, len(named), 2):
        row = named[start : start + 2]
        for column, (_, spec) in zip(st.columns(2), row, strict=False):
            draw(spec, column)
