"""The yardstick page for benchmarks/page_bench.py: one altair chart and one table from a ready
frame, nothing else."""

import altair as alt
import pandas as pd
import streamlit as st

FRAME = pd.DataFrame(
    {"interviewer": [f"Interviewer {n}" for n in range(6)], "score": [0, 1, 2, 3, 4, 5]}
)
st.altair_chart(alt.Chart(FRAME).mark_circle(size=200).encode(x="score:Q", y="interviewer:N"))
st.dataframe(FRAME, hide_index=True)
