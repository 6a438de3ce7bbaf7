"""The coordinator's privacy panel for one candidate (issue 28), under their record on the
Candidates page: download everything held about them (a subject-access export), erase them,
place or lift a legal hold, and record their self-identified answers (write-only: never shown
back). Drawn only for a reader who may do one of these (`scoring.subject_access.privacy_actions`);
every rule is the services' (`scoring.subject_access`, `scoring.erasure`, `scoring.retention`,
`scoring.demographics`), each asked again when its button is pressed."""

from __future__ import annotations

import json
from collections.abc import Callable

import streamlit as st

from scoring import demographics, erasure, retention
from scoring.errors import DebriefError, InvalidInput
from scoring.permissions import Person
from scoring.store import Store
from scoring.subject_access import PrivacyActions, privacy_actions, subject_access
from scoring.text import REASON_MAX, plain_markdown
from ui.clock import when
from ui.widgets import forget_problem, problem_on_top, problem_under, remember_problem

CONFIRM_WORD = "ERASE"
RECORDED = "Recorded"


def export_json(store: Store, actor: Person, candidate_id: int) -> bytes:
    """The subject-access export as the file downloaded: made when the button is pressed, under
    the permissions the reader holds then (and audited then)."""
    document = subject_access(store, actor, candidate_id)
    return (json.dumps(document, indent=2, ensure_ascii=False) + "\n").encode()


def show(store: Store, actor: Person, candidate_id: int) -> None:
    """The "Privacy" expander for the candidate: nothing for a reader who may take none of the
    privacy actions on them."""
    try:
        view = privacy_actions(store, actor, candidate_id)
    except DebriefError:
        return
    if not view.allowed:
        return
    with st.expander("Privacy", icon=":material/shield_person:", key=f"privacy_{candidate_id}"):
        _export(store, actor, view)
        if view.erased_at is not None:
            st.info(
                f"Erased {when(view.erased_at)}: their name, email and every text about them"
                " are gone.",
                icon=":material/delete_forever:",
            )
            _show_done(view, "erase")
            return
        _erase(store, actor, view)
        _hold(store, actor, view)
        _answers(store, actor, view)


def _done_key(view: PrivacyActions, part: str) -> str:
    return f"privacy_done_{view.candidate_id}_{part}"


def _run(view: PrivacyActions, form: str, part: str, action: Callable[[], object]) -> None:
    """Call a service: its refusal is kept for the form (shown under the field), its result
    under the part it belongs to; then redraw."""
    try:
        done = action()
    except DebriefError as problem:
        st.session_state.pop(_done_key(view, part), None)
        remember_problem(form, problem)
    else:
        forget_problem(form)
        st.session_state[_done_key(view, part)] = done
        st.rerun()


def _show_done(view: PrivacyActions, part: str) -> None:
    done = st.session_state.get(_done_key(view, part))
    if done:
        st.success(plain_markdown(str(done)), icon=":material/check_circle:")


def _export(store: Store, actor: Person, view: PrivacyActions) -> None:
    cid = view.candidate_id
    st.caption(
        "Everything Debrief holds about them, for a subject-access request. The download is logged."
    )
    if "subject_access" not in view.allowed:
        st.info(plain_markdown(view.refused["subject_access"]), icon=":material/block:")
        return
    st.download_button(
        "Download everything held (JSON)",
        data=lambda: export_json(store, actor, cid),
        file_name=f"subject-access-candidate-{cid}.json",
        mime="application/json",
        icon=":material/download:",
        on_click="ignore",
        key=f"subject_access_{cid}",
    )


def _erase(store: Store, actor: Person, view: PrivacyActions) -> None:
    if "erase_candidate" not in view.allowed:
        return
    cid, form = view.candidate_id, f"erase_{view.candidate_id}"
    st.subheader("Erase this candidate…")
    st.caption(
        "Their name, email and every text about them are destroyed for good; scores and"
        " decisions stay, as numbers. It cannot be undone. Withdraw them first if they are"
        " still in process."
    )
    with st.form(form):
        reason = st.text_input("Why", max_chars=erasure.REASON_MAX, key=f"{form}_reason")
        problem_under(form, "reason")
        confirm = st.text_input(f"Type {CONFIRM_WORD} to confirm", key=f"{form}_confirm")
        problem_under(form, "confirm")
        problem_on_top(form, ("reason", "confirm"))
        if st.form_submit_button("Erase for good", type="primary"):

            def erase() -> str:
                if confirm.strip() != CONFIRM_WORD:
                    raise InvalidInput(f"confirm: type {CONFIRM_WORD} to erase them")
                return erasure.erase(store, actor, cid, reason).summary()

            _run(view, form, "erase", erase)
    _show_done(view, "erase")


def _hold(store: Store, actor: Person, view: PrivacyActions) -> None:
    if "hold_candidate" not in view.allowed:
        return
    cid, form = view.candidate_id, f"hold_{view.candidate_id}"
    st.subheader("Legal hold")
    if view.hold is not None:
        st.warning(
            "On hold: retention keeps them and they cannot be erased. Why: "
            + plain_markdown(view.hold, one_line=True),
            icon=":material/gavel:",
        )
    else:
        st.caption("No hold: retention erases them when their time is up.")
    with st.form(form):
        reason = st.text_input("Why", max_chars=REASON_MAX, key=f"{form}_reason")
        problem_under(form, "reason")
        problem_on_top(form, ("reason",))
        lifting = view.hold is not None
        if st.form_submit_button("Lift the hold" if lifting else "Place a hold"):

            def hold() -> str:
                if lifting:
                    retention.lift_hold(store, actor, cid, reason)
                    return "Hold lifted."
                retention.place_hold(store, actor, cid, reason)
                return "Hold placed."

            _run(view, form, "hold", hold)
    _show_done(view, "hold")


def _answers(store: Store, actor: Person, view: PrivacyActions) -> None:
    if "record_demographics" not in view.allowed:
        return
    cid = view.candidate_id
    # A new round after each save: an empty form, closed, and nothing of the answers kept.
    round_ = st.session_state.get(f"demographics_round_{cid}", 0)
    form = f"demographics_{cid}_{round_}"
    st.subheader("Self-identified answers")
    st.caption(
        "Only what the candidate chose to answer. Never shown per candidate: they count only in"
        " Insights' adverse-impact figures."
    )
    if not st.toggle("Record their answers", key=f"{form}_open"):
        _show_done(view, "answers")
        return
    st.session_state.pop(_done_key(view, "answers"), None)
    with st.form(form):
        chosen = {
            category: st.selectbox(
                category.replace("_", " ").capitalize(),
                answers,
                index=None,
                placeholder="Not answered",
                key=f"{form}_{number}",
            )
            for number, (category, answers) in enumerate(demographics.categories().items())
        }
        problem_on_top(form, ())
        if st.form_submit_button("Save answers"):

            def record() -> str:
                answered = {k: v for k, v in chosen.items() if v is not None}
                demographics.record(store, actor, cid, answered)
                st.session_state[f"demographics_round_{cid}"] = round_ + 1
                return RECORDED

            _run(view, form, "answers", record)
