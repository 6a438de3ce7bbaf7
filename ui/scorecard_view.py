"""A submitted scorecard, read-only: used by the scorecard page and the debrief."""

from __future__ import annotations

import streamlit as st

from scoring.opening_record import Opening
from scoring.rubric import Question, Rubric
from scoring.scorecards import Scorecard
from scoring.text import plain_markdown
from ui.clock import when


def point_label(rubric: Rubric, criterion_id: str, score: int | None) -> str:
    """'3 of 4: <anchor>' or 'Not assessed'."""
    shown, anchor = rubric.criterion(criterion_id).point_words(score)
    return f"{shown}: {anchor}" if anchor else shown


def overall_label(opening: Opening, overall: int) -> str:
    """'4 · Yes' on the opening's scale."""
    return f"{overall} · {opening.scale.labels[overall]}"


def times(count: int) -> str:
    """'once', 'twice', '3 times'."""
    return {1: "once", 2: "twice"}.get(count, f"{count} times")


def corrected(card: Scorecard) -> str:
    """'corrected once: <reason>' for a scorecard corrected after it was submitted, else ''."""
    if card.revision <= 1:
        return ""
    return f"corrected {times(card.revision - 1)}: {card.revision_reason}"


def marks(card: Scorecard) -> list[str]:
    """Late, corrected and after-reveal marks, in words."""
    found = []
    if card.late:
        found.append(f"late ({card.hours_after_session:.0f} h after the session)")
    if card.revision > 1:
        found.append(corrected(card))
    if card.saw_others:
        found.append("revised after seeing others' scores")
    return found


def show_scorecard(
    card: Scorecard,
    rubric: Rubric,
    opening: Opening,
    *,
    who: bool = True,
    flags: list[str] | None = None,
    asked: dict[str, Question] | None = None,
) -> None:
    """Overall, feedback, and every criterion with the anchor of the point given and evidence,
    as one block of text (a debrief shows many of these). Everything typed (names, feedback,
    evidence, a revision's reason) is shown as plain text: only the app's own Markdown formats.
    `flags`: the marks in words as the debrief gives them (`PanelCard.mark_words`, the same in
    every export); without them, the card's own (an interviewer reading their scorecard).
    `asked`: the questions drawn for the seat, by criterion id, each shown (as text) under its
    criterion."""
    plain = plain_markdown
    heading = (
        f"**{plain(card.interviewer_name, one_line=True)}**"
        f" · {plain(card.session_title, one_line=True)}  \n"
        if who
        else ""
    )
    overall = plain(overall_label(opening, card.overall), one_line=True)
    lines = [f"{heading}**Overall: {overall}**", ""]
    lines += [
        f":orange[:material/flag: {plain(mark, one_line=True)}]  "
        for mark in (marks(card) if flags is None else flags)
    ]
    lines += [plain(card.feedback), ""]
    for criterion in rubric.criteria:
        entry = card.criteria.get(criterion.id)
        score = entry.score if entry else None
        name = plain(criterion.name, one_line=True)
        lines.append(f"- **{name}**: {plain(point_label(rubric, criterion.id, score))}")
        question = (asked or {}).get(criterion.id)
        if question is not None:
            words = f"{question.text.strip()} ({question.id} v{question.version})"
            lines.append(f"  \n  Question asked: {plain(words, one_line=True)}")
        if entry and entry.evidence:
            # stripped: emphasis does not close after a space
            lines.append(f"  \n  *Evidence: {plain(entry.evidence.strip())}*")
    lines += [
        "",
        f":gray[Submitted {when(card.first_submitted_at)}"
        + (f", corrected {when(card.submitted_at)}" if card.revision > 1 else "")
        + f" · scored against “{plain(rubric.title, one_line=True)}”, version {rubric.version}]",
    ]
    st.markdown("\n".join(lines))
