"""The floor for benchmarks/load_bench.py: the same clicks as signing in, opening a scorecard and
submitting it, on a bare Streamlit page that does no work of its own (no database, no hash, no
rubric). Whatever a session costs here is Streamlit's and the browser's share.

The number of criteria ($FLOOR_CRITERIA, default 5) is set by the benchmark to the real
scorecard's, so both pages take the same number of clicks and reruns.
"""

import os

import streamlit as st

CRITERIA = int(os.environ.get("FLOOR_CRITERIA", "5"))
OVERALL = ["0 · Strong no", "1 · No", "2 · Lean no", "3 · Lean yes", "4 · Yes", "5 · Strong yes"]

st.title("Floor")
if not st.session_state.get("signed_in"):
    with st.form("sign_in"):
        st.text_input("Email", type="default")
        st.text_input("Access code", type="password")
        if st.form_submit_button("Sign in", type="primary"):
            st.session_state.signed_in = True
            st.rerun()
    st.stop()

st.sidebar.write("Signed in")
if not st.session_state.get("scoring"):
    if st.button("Score", type="tertiary"):
        st.session_state.scoring = True
        st.rerun()
    st.stop()

if st.session_state.get("final"):
    st.success("This scorecard is final.")
    st.stop()

for n in range(CRITERIA):
    st.radio(f"Criterion {n + 1}", ["1", "2", "3", "4"], index=None, key=f"c{n}")
st.radio("Overall recommendation", OVERALL, index=None, key="overall")
st.text_area("Written feedback (required)", key="feedback")


@st.dialog("Submit this scorecard?")
def confirm() -> None:
    if st.button("Submit: it is final", type="primary"):
        st.session_state.final = True
        st.rerun()


if st.button("Submit scorecard…", type="primary"):
    confirm()
