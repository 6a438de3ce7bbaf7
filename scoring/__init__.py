"""Debrief's domain core: rubrics, scales, the decision engine (no Streamlit here)."""

from scoring.imports import leave_data_frames_out_of_sqlite_utils

leave_data_frames_out_of_sqlite_utils()  # before any module imports sqlite_utils
