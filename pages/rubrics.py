"""Rubrics and loop templates, rendered as an interviewer will see them plus their book citations
(`sources`, which the scorecard form never shows), and any broken file."""

import streamlit as st

from scoring.rubric import sources_line
from scoring.text import plain_markdown
from ui.guard import require
from ui.session import catalog
from ui.widgets import show_rubric

require("rubrics")

st.title("Rubrics")
found = catalog()
if found.problems:
    st.error(
        f"{len(found.problems)} problem(s) in the rubric files: the files named here are not"
        " available until they are fixed. The others work as usual.",
        icon=":material/error:",
    )
    for problem in found.problems:
        st.code(str(problem), language=None)
for loop_id, why in found.held_back.items():
    st.warning(
        plain_markdown(f"Loop '{loop_id}' is not available: {why}."), icon=":material/warning:"
    )

st.header("Loop templates")
for loop in found.loops.values():
    with st.container(border=True):
        st.subheader(plain_markdown(loop.title, one_line=True))
        total = sum(s.minutes for s in loop.sessions)
        st.caption(
            f"{plain_markdown(loop.role)} · {len(loop.sessions)} scored sessions · {total} minutes"
        )
        st.markdown(
            "  →  ".join(
                plain_markdown(f"{s.title or found.rubrics[s.rubric].title} ({s.minutes} min)")
                for s in loop.sessions
            )
        )
        if loop.sources:
            st.caption(plain_markdown(sources_line(loop.sources)))

st.header("Rubrics")
for rubric in found.rubrics.values():
    with st.expander(
        f"**{plain_markdown(rubric.title, one_line=True)}** · {rubric.duration_minutes} min"
        f" · {len(rubric.criteria)} criteria",
        key=f"rubric_{rubric.id}_{rubric.version}",
    ):
        # the file, for whoever edits it (the problems above name files too); the content
        # hash is the exports' business (the scorecards CSV carries it)
        st.caption(f"Version {rubric.version} · file {plain_markdown(rubric.id)}.yaml")
        show_rubric(rubric, sources=True)
