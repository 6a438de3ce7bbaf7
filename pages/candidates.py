"""Candidates of an opening: find them (a search, a page at a time), see where one is in the
process and do what fits there (send the take-home, record the answer, email their day, record
the offer's answer, feedback when asked), with every message they were sent; add one, or import a
CSV (all rows or none); withdraw one."""

import streamlit as st

from scoring import candidates, candidates_csv, openings, schedule_changes
from scoring.errors import DebriefError
from scoring.lookalikes import lookalike_warnings
from scoring.text import EMAIL_MAX, NAME_MAX, isolate, neutral_bidi, plain_markdown
from ui import candidate_privacy, candidate_record
from ui.guard import require
from ui.session import store
from ui.widgets import (
    flash,
    forget_problem,
    pick_opening,
    problem_on_top,
    problem_under,
    remember_problem,
    show_flash,
    show_problem,
    table,
)

actor = require("candidates")
st.title("Candidates")
show_flash()

opening = pick_opening(openings.list_openings(store(), actor, "manage_opening"))
if opening is None:
    st.stop()

search = st.text_input(
    "Find a candidate", placeholder="Part of a name, alias or email", key="candidates_search"
)
page_key = f"candidates_page_{opening.id}_{search}"
found = candidates.find_candidates(
    store(), actor, opening.id, search, page=st.session_state.get(page_key, 1)
)
listed = found.rows
reach = candidates_csv.contacts(store(), actor, opening.id, [c.id for c in listed])
if listed:
    st.caption(
        f"{found.total} candidate{'s' if found.total != 1 else ''}"
        + (" matching" if search.strip() else "")
        + (
            f", the latest added first: page {found.page} of {found.pages}."
            if found.pages > 1
            else "."
        )
    )
    table(
        [
            {
                "name": neutral_bidi(c.name),  # a cell of its own: nothing to reorder but itself
                "email": c.email,
                "phone": reach[c.id].phone if c.id in reach else "",
                "source": reach[c.id].source if c.id in reach else "",
                "alias": c.alias,
                "status": c.standing or ("withdrawn" if c.withdrawn else "in process"),
            }
            for c in listed
        ]
    )
    if found.pages > 1:
        back, forward = st.columns(2)
        if back.button("Previous page", disabled=found.page <= 1):
            st.session_state[page_key] = found.page - 1
            st.rerun()
        if forward.button("Next page", disabled=found.page >= found.pages):
            st.session_state[page_key] = found.page + 1
            st.rerun()
    if opening.anonymise:
        st.caption("This opening is anonymised: its interviewers see only the alias.")
elif search.strip():
    st.info("No candidate matches.", icon=":material/info:")
else:
    st.info("No candidates yet.", icon=":material/info:")

if listed:
    st.header("Where a candidate is")
    followed = st.selectbox(
        "Candidate",
        listed,
        index=None,
        placeholder="Choose one to see their stages, what to do next and what they were sent",
        format_func=lambda c: isolate(c.name),
        key=f"candidate_record_{opening.id}",
        help="The candidates listed above: search to find another.",
    )
    if followed is not None:
        candidate_record.show(store(), actor, followed.id)
        candidate_privacy.show(store(), actor, followed.id)

if opening.closed_at is not None:
    st.info("This opening is closed: it takes no new candidates.", icon=":material/lock:")
    st.stop()

one, many = st.columns(2, gap="large")
added = st.session_state.get("candidates_added", 0)  # a fresh form after each one added
with one, st.form(f"add_candidate_{added}"):
    st.header("Add a candidate")
    problem_on_top("add_candidate", ("name", "email"))
    name = st.text_input("Name", max_chars=NAME_MAX)
    problem_under("add_candidate", "name")
    email = st.text_input("Email (optional)", type="email", max_chars=EMAIL_MAX)
    problem_under("add_candidate", "email")
    if st.form_submit_button("Add candidate", type="primary"):
        try:
            candidate_id = candidates.add_candidate(store(), actor, opening.id, name, email)
        except DebriefError as problem:
            remember_problem("add_candidate", problem)
        else:
            forget_problem("add_candidate")
            st.session_state.candidates_added = added + 1
            new = candidates.get_candidate(store(), actor, candidate_id)  # as kept
            flash(
                f"{isolate(new.name)} added to {opening.title}. Next: plan their interview day.",
                # "Аna" with a Cyrillic А is someone else: said now, while it can still be fixed
                lookalike_warnings(new.name, new.email),
            )
            st.rerun()

with many, st.container(border=True):
    st.header("Import a CSV")
    st.caption(
        "The file your applicant tracking system exports: a header line, then one candidate a"
        " line. Debrief reads the name (a Name column, or First Name and Last Name), and Email,"
        " Phone and Source where there are; other columns are left out. Nothing is imported"
        " until every line is right."
    )
    # A new key after an import empties the uploader.
    upload_key = f"csv_{opening.id}_{st.session_state.get('csv_round', 0)}"
    upload = st.file_uploader("CSV file", type=["csv"], key=upload_key)
    if upload is not None:
        text = upload.getvalue().decode("utf-8", errors="replace")
        read = candidates_csv.check_import(store(), actor, opening.id, text, upload.name)
        if read.problems:
            show_problem(
                f"Nothing was imported: {len(read.problems)} problem(s) in {upload.name}. Fix"
                " them and upload the file again."
            )
            st.code("\n".join(read.problems), language=None)
        else:
            st.write(f"{len(read.rows)} candidates ready to import:")
            st.dataframe(
                [
                    {
                        "name": neutral_bidi(r.name),
                        "email": r.email,
                        "phone": r.phone,
                        "source": r.source,
                    }
                    for r in read.rows
                ],
                hide_index=True,
                height=min(35 * len(read.rows) + 38, 250),
            )
        if read.ignored_line:
            st.caption(plain_markdown(read.ignored_line + "."))
        for warning in read.warnings:  # imported all the same: for the coordinator to check
            st.warning(plain_markdown(warning), icon=":material/warning:")
        if not read.problems and st.button(f"Import {len(read.rows)} candidates", type="primary"):
            try:
                ids = candidates_csv.import_candidates(
                    store(), actor, opening.id, text, upload.name
                )
            except candidates_csv.ImportRefused as refused:
                st.error("Nothing was imported.", icon=":material/error:")
                st.code("\n".join(refused.problems), language=None)
            except DebriefError as problem:
                show_problem(problem)
            else:
                flash(f"{len(ids)} candidates imported into {opening.title}.", read.warnings)
                st.session_state.csv_round = st.session_state.get("csv_round", 0) + 1
                st.rerun()

active = [c for c in listed if not c.withdrawn]
if active:
    with st.form("withdraw_candidate"):
        st.header("Withdraw a candidate")
        st.caption(
            "Sessions with a submitted scorecard stay with it; every other session is cancelled"
            " and its interviewers are told. The candidates listed above: search to find another."
        )
        problem_on_top("withdraw", ("reason",))
        leaving = st.selectbox("Candidate", active, format_func=lambda c: isolate(c.name))
        reason = st.text_input("Why", max_chars=500)
        problem_under("withdraw", "reason")
        if st.form_submit_button("Withdraw"):
            try:
                schedule_changes.withdraw_candidate(store(), actor, leaving.id, reason)
            except DebriefError as problem:
                remember_problem("withdraw", problem)
            else:
                forget_problem("withdraw")
                flash(f"{isolate(leaving.name)} is withdrawn from {opening.title}.")
                st.rerun()
