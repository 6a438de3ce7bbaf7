"""The former day view, kept for its old links: the pipeline replaces it (its "Interview day"
filter is the day view). A link with ?candidate=ID opens that candidate's debrief, so the URL
always names the page shown."""

import streamlit as st

from ui.guard import require

actor = require("debrief_day")
candidate = st.query_params.get("candidate")
if candidate:
    st.switch_page("pages/debrief.py", query_params={"candidate": candidate})
st.switch_page("pages/pipeline.py")
