"""Debrief's domain core: rubrics, scales, the decision engine (no Streamlit here)."""
