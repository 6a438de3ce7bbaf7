"""Debrief's domain core: rubrics, scales, the decision engine, the service (no Streamlit here)."""
