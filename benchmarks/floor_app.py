"""The floor for benchmarks/load_bench.py: the same clicks as signing in, opening a scorecard and
submitting it, on a bare Streamlit page that does no work of its own (no database, no hash, no
rubric). Whatever a session costs here is Streamlit's and the browser's share.

The number of criteria ($FLOOR_CRITERIA, default 5) is set by the benchmark to the real
scorecard's, so both pages take the same number of clicks and reruns.

$FLOOR_FORM=same draws the scorecard's own form instead of one radio a criterion: every element
ui/scorecard_form.py draws (a criterion's name and description, its radio with an anchor under
each point, an evidence box; the overall recommendation, the feedback, the bar with its line and
buttons), in a fragment as the app's form is, with nothing read or saved. What the app costs
beyond it is the app's own work (its database, sign-in, rules, saving), not Streamlit drawing
the form the product shows.
"""

import os

import streamlit as st

CRITERIA = int(os.environ.get("FLOOR_CRITERIA", "5"))
SAME_FORM = os.environ.get("FLOOR_FORM") == "same"
ANCHOR = "What an answer at this point looks like: the evidence an interviewer would cite for it."
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


@st.dialog("Submit this scorecard?")
def confirm() -> None:
    if st.button("Submit: it is final", type="primary"):
        st.session_state.final = True
        st.rerun()


def bare_form() -> None:
    for n in range(CRITERIA):
        st.radio(f"Criterion {n + 1}", ["1", "2", "3", "4"], index=None, key=f"c{n}")
    st.radio("Overall recommendation", OVERALL, index=None, key="overall")
    st.text_area("Written feedback (required)", key="feedback")
    if st.button("Submit scorecard…", type="primary"):
        confirm()


@st.fragment
def same_form() -> None:
    """The elements ui/scorecard_form.py draws, in the same kinds and numbers."""
    with st.container(key="floor_form"):
        set_points = 0
        for n in range(CRITERIA):
            st.markdown(f"**{n + 1}. Criterion {n + 1}** · weight 1  \n:small[{ANCHOR}]")
            point = st.radio(
                f"Criterion {n + 1}",
                ["1", "2", "3", "4", "Not assessed"],
                index=None,
                captions=[ANCHOR] * 5,
                key=f"c{n}",
                label_visibility="collapsed",
            )
            set_points += point is not None
            st.text_area("Evidence", key=f"e{n}", max_chars=4000, height=68)
        st.subheader("Overall recommendation")
        overall = st.radio(
            "Overall recommendation",
            OVERALL,
            index=None,
            horizontal=True,
            key="overall",
            label_visibility="collapsed",
        )
        st.text_area("Written feedback (required)", key="feedback", max_chars=20000)
        st.button("Send the form again", key="resend")
        with st.container(key="floor_bar"):
            st.html("<style>.st-key-floor_bar{position:sticky;bottom:0}</style>")
            st.html(
                f'<p class="debrief-progress">{set_points} of {CRITERIA} criteria,'
                f" overall {'set' if overall else 'missing'}</p>"
            )
            with st.container(horizontal=True, key="floor_actions"):
                st.button("Save draft", icon=":material/save:", key="draft")
                submit = st.button("Submit scorecard…", type="primary", icon=":material/send:")
    if submit:
        confirm()


if SAME_FORM:
    same_form()
else:
    bare_form()
