"""The debrief's reading of the weighted score: its 95% interval, "too close to call", the
panel-size advice and what the interval rests on; and the place for the second reading."""

from __future__ import annotations

import streamlit as st

from scoring.adjusted import AdjustedReading
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


def show_leniency_adjusted(reading: AdjustedReading | None) -> None:
    """The second reading, leniency-adjusted, beside the raw one and never instead of it, with
    its caveat in words; nothing for a viewer who gets no leniency (`scoring.adjusted`)."""
    if reading is None:
        return
    with st.container(key="leniency_adjusted"):
        st.markdown(reading.line)
        if reading.changes_side:
            st.info(
                "Once each interviewer's leniency is taken out, the panel leans differently:"
                " worth raising in the discussion.",
                icon=":material/swap_horiz:",
            )
        st.caption(reading.caveat)
