"""Debrief's front door. For now a landing page that lists the rubrics and loop templates;
sign-in and the role-based navigation come with the app issue."""

import streamlit as st

from scoring.rubric import load_catalog

st.set_page_config(page_title="Debrief", page_icon=":material/fact_check:", layout="wide")

st.title("Debrief")
st.caption(
    "Interview-day scoring: blind scorecards against a rubric, one debrief page, explicit rules."
)

catalog = load_catalog("rubrics")
for problem in catalog.problems:
    st.error(str(problem), icon=":material/error:")

st.header("Loop templates")
for loop in catalog.loops.values():
    minutes = sum(s.minutes for s in loop.sessions)
    with st.container(border=True):
        st.subheader(loop.title)
        st.write(f"{loop.role} · {len(loop.sessions)} scored sessions · {minutes} minutes")
        st.write(
            " → ".join(
                f"{s.title or catalog.rubrics[s.rubric].title} ({s.minutes} min)"
                for s in loop.sessions
            )
        )
for loop_id, why in catalog.held_back.items():
    st.warning(f"Loop '{loop_id}' is not available: {why}.")

st.header("Rubrics")
for rubric in catalog.rubrics.values():
    with st.expander(f"{rubric.title} — {rubric.duration_minutes} min, v{rubric.version}"):
        st.write(rubric.assesses)
        st.caption(
            f"Source: hiring-book.txt {rubric.source} · content hash {rubric.content_hash[:12]}"
        )
        for criterion in rubric.criteria:
            optional = "" if criterion.required else " · may be marked not assessed"
            st.markdown(f"**{criterion.name}** (weight {criterion.weight:g}{optional})")
            st.write(criterion.description)
            st.table(
                {
                    "score": list(criterion.anchors),
                    "what it looks like": list(criterion.anchors.values()),
                },
                hide_index=True,
            )
