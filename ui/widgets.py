"""Small widgets more than one page uses."""

from __future__ import annotations

import re
from collections.abc import Sequence

import streamlit as st

from scoring.opening_record import Opening
from scoring.rubric import Rubric, sources_line
from scoring.strategy_words import STRATEGY_NAMES, strategy_in_words
from scoring.text import plain_markdown

STATE_LABELS = {
    "upcoming": "Upcoming",
    "to_do": "Due",
    "overdue": "Overdue",
    "submitted": "Submitted",
    "late": "Submitted late",
    "recused": "Recused: needs a replacement",
}
STRATEGY_LABELS = STRATEGY_NAMES  # the name other pages import from here


def pick_opening(openings: Sequence[Opening], key: str = "opening") -> Opening | None:
    """A select box of openings; remembers the choice across pages in this session."""
    if not openings:
        st.info("There are no openings yet. A coordinator creates them on the Openings page.")
        return None
    ids = [o.id for o in openings]
    remembered = st.session_state.get("chosen_opening")
    index = ids.index(remembered) if remembered in ids else 0
    chosen = st.selectbox(
        "Opening",
        openings,
        index=index,
        format_func=lambda o: f"{o.title} · {o.role}",  # options are plain text
        key=key,
    )
    st.session_state.chosen_opening = chosen.id
    return chosen


def strategy_summary(opening: Opening) -> str:
    """The opening's strategy and its parameters in words ("Democratic vote by a simple
    majority, with a veto; at least 3 scorecards to decide"), forcing read on the opening's own
    overall scale (a map that leaves points out still names its preset)."""
    return strategy_in_words(opening.strategy, opening.scale.scale)


def show_rubric(rubric: Rubric, *, instructions: bool = True, sources: bool = False) -> None:
    """A rubric as an interviewer sees it: what it assesses, the instructions, every criterion
    with its weight and the anchor of every point. ``sources``: also the book citations under
    the rubric and under each criterion (the Rubrics page; never the scorecard form)."""
    st.markdown(plain_markdown(rubric.assesses))
    if instructions:
        with st.expander("Instructions to the scorer", key=f"scorer_instructions_{rubric.id}"):
            st.markdown(plain_markdown(rubric.instructions))
    if sources and rubric.sources:
        st.caption(plain_markdown(sources_line(rubric.sources)))
    for criterion in rubric.criteria:
        optional = "" if criterion.required else " · may be marked *not assessed*"
        name = plain_markdown(criterion.name, one_line=True)
        st.markdown(f"**{name}** — weight {criterion.weight:g}{optional}")
        st.caption(plain_markdown(criterion.description))
        labels = {0: "No", 1: "Yes"} if criterion.kind == "binary" else {}
        st.table(
            {
                "score": [labels.get(p, str(p)) for p in criterion.anchors],
                # st.table renders Markdown: the rubric file's words are shown as written
                "what it looks like": [
                    plain_markdown(a, one_line=True) for a in criterion.anchors.values()
                ],
            },
            hide_index=True,
        )
        if sources and criterion.sources:
            st.caption(plain_markdown(sources_line(criterion.sources)))


def flash(message: str, warnings: Sequence[str] = ()) -> None:
    """Keep a success message across the rerun that follows a change. Plain text: the names in
    it are shown as typed. ``warnings``: what the person should check about what they just did
    (a look-alike name), shown under it."""
    st.session_state.flash = message
    st.session_state.flash_warnings = list(warnings)


def show_flash() -> None:
    """Show (once) the message a change left with `flash`, in a slot that is there on every run.
    Without the slot, everything below would move up one place on the next run, and Streamlit
    redraws a moved expander closed: the open "Correct this scorecard" shut on the first rerun
    after a submission, taking the button being pressed with it."""
    slot = st.empty()
    message = st.session_state.pop("flash", None)
    warnings = st.session_state.pop("flash_warnings", [])
    if message and warnings:
        with slot.container():
            st.success(plain_markdown(message), icon=":material/check_circle:")
            for warning in warnings:
                st.warning(plain_markdown(warning), icon=":material/warning:")
    elif message:
        slot.success(plain_markdown(message), icon=":material/check_circle:")


def show_problem(problem: Exception | str) -> None:
    """An error the service raised, as plain text (its message may quote what was typed)."""
    st.error(plain_markdown(str(problem)), icon=":material/error:")


def number(value: float | None, digits: int = 2, signed: bool = False) -> str:
    """A figure for a table: "—" where there is none (None or NaN)."""
    if value is None or value != value:
        return "—"
    return f"{value:+.{digits}f}" if signed else f"{value:.{digits}f}"


def share(value: float | None) -> str:
    """A share as a percentage, "—" where there is none."""
    return "—" if value is None or value != value else f"{value:.0%}"


def interval(low: float, high: float, fmt=number) -> str:
    """A 95% interval in words ("0.41 to 0.77"), "—" where there is none."""
    return "—" if low != low or high != high else f"{fmt(low)} to {fmt(high)}"


def data_flag(provisional: bool) -> str:
    """A figure's "data" column: whether its n reaches the stated minimum."""
    return "provisional" if provisional else "enough data"


def table(rows: list[dict], max_rows: int = 20) -> None:
    """A read-only table tall enough to show every row (up to `max_rows`, then it scrolls)."""
    shown = min(len(rows), max_rows)
    st.dataframe(rows, hide_index=True, height=35 * (shown + 1) + 3)


def seat_label(state: str, has_draft: bool) -> str:
    """A seat's status in words, with "draft" where one is saved and nothing is submitted."""
    if has_draft and state in ("upcoming", "to_do"):
        return "Draft saved"
    if has_draft and state == "overdue":
        return "Overdue (draft saved)"
    return STATE_LABELS[state]


_VIDEO_LINK = re.compile(r"https://[^\s<>()\[\]`\\\"']+")


def where(location: str) -> str:
    """A session's place as Markdown: "Where: Room 4", or a video link as a link to press (only
    a plain https address is made a link; anything else stays text as typed)."""
    location = location.strip()
    if not location:
        return ""
    if _VIDEO_LINK.fullmatch(location):
        host = location.removeprefix("https://").split("/", 1)[0]
        return f"Where: [video call on {plain_markdown(host, one_line=True)}]({location})"
    return f"Where: {plain_markdown(location, one_line=True)}"


def remember_problem(form: str, problem: Exception) -> None:
    """Keep what the service refused (``field: message``) for the form's next draw, where it is
    shown under its field, then redraw. Widgets keep what was typed."""
    field, sep, message = str(problem).partition(": ")
    if not sep or not field.replace(".", "").replace("_", "").isalnum():
        field, message = "", str(problem)
    st.session_state[f"{form}_problem"] = (field, message[:1].upper() + message[1:])
    st.session_state[SCROLL] = True
    st.rerun()


def forget_problem(form: str) -> None:
    """The form went through: its last problem is gone."""
    st.session_state.pop(f"{form}_problem", None)


def problem_under(form: str, field: str) -> None:
    """The form's last problem, if it concerns this field, right under it."""
    found = st.session_state.get(f"{form}_problem")
    if found and found[0] == field:
        field_problem(f"{form}-{field}", found[1])


def problem_on_top(form: str, fields: tuple[str, ...]) -> None:
    """The form's last problem, at its top, unless it belongs to one of `fields` (shown there)."""
    found = st.session_state.get(f"{form}_problem")
    if found and found[0] not in fields:
        field_problem(f"{form}-top", found[1], icon=":material/error:")


SCROLL = "scroll_to_problem"


def field_problem(name: str, message: str, icon: str = ":material/arrow_upward:") -> None:
    """A problem shown under the field it concerns (plain text). The first one drawn after a
    refusal is scrolled into view, once: a long form does not leave it out of sight."""
    with st.container(key=f"problem-{name.replace('.', '-')}"):
        st.error(plain_markdown(message), icon=icon)
    if st.session_state.pop(SCROLL, False):
        count = st.session_state["problem_scrolls"] = st.session_state.get("problem_scrolls", 0) + 1
        st.html(
            f"<script>/* {count} */ setTimeout(() => document"
            """.querySelector('[class*="st-key-problem-"]')"""
            "?.scrollIntoView({block: 'center', behavior: 'smooth'}), 400);</script>",
            unsafe_allow_javascript=True,
        )
