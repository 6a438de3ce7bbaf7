"""The debrief's reading of the weighted score: its 95% interval, "too close to call", the
panel-size advice and what the interval rests on; and the place for the second reading."""

from __future__ import annotations

from typing import Any

import streamlit as st

from scoring.uncertainty import ScoreInterval


def show_score_interval(interval: ScoreInterval | None, forced: bool) -> None:
    """Under the weighted score, never instead of it. `forced`: the figures above are on forced
    scores, and the interval is on the points written (raw)."""
    if interval is None:
        st.caption("No weighted score: no criterion was assessed, so there is no interval.")
        return
    with st.container(key="score_interval"):
        on = " · on raw scores (the points written), not the forced ones above" if forced else ""
        st.markdown(interval.line + on)
        if interval.too_close:
            st.warning(interval.call, icon=":material/balance:")
        else:
            st.caption(interval.call)
        st.caption(interval.advice)
        st.caption(f"{interval.basis} {interval.cannot_say}")


def show_leniency_adjusted(reading: Any | None) -> None:
    """The second reading, leniency-adjusted, beside the raw one (issue 23, point 1): nothing is
    shown until the leniency model fills `DebriefView.leniency_adjusted`."""
    if reading is None:
        return
