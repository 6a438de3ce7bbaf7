"""A submitted scorecard, read-only: used by the scorecard page and the debrief."""

from __future__ import annotations

import streamlit as st

from scoring.openings import Opening
from scoring.rubric import Rubric
from scoring.scorecards import Scorecard


def point_label(rubric: Rubric, criterion_id: str, score: int | None) -> str:
    """'3 of 4: <anchor>' or 'Not assessed'."""
    if score is None:
        return "Not assessed"
    criterion = rubric.criterion(criterion_id)
    if criterion.kind == "binary":
        return f"{'Yes' if score else 'No'}: {criterion.anchors[score]}"
    return f"{score} of {criterion.scale.max}: {criterion.anchors[score]}"


def overall_label(opening: Opening, overall: int) -> str:
    """'4 · Yes' on the opening's scale."""
    return f"{overall} · {opening.scale.labels[overall]}"


def marks(card: Scorecard) -> list[str]:
    """Late, revised and after-reveal marks, in words."""
    found = []
    if card.late:
        found.append(f"late ({card.hours_after_session:.0f} h after the session)")
    if card.revision > 1:
        found.append(f"revision {card.revision}: {card.revision_reason}")
    if card.saw_others:
        found.append("revised after seeing others' scores")
    return found


def show_scorecard(card: Scorecard, rubric: Rubric, opening: Opening, *, who: bool = True) -> None:
    """Overall, feedback, and every criterion with the anchor of the point given and evidence,
    as one block of text (a debrief shows many of these)."""
    heading = f"**{card.interviewer_name}** · {card.session_title}  \n" if who else ""
    lines = [f"{heading}**Overall: {overall_label(opening, card.overall)}**", ""]
    lines += [f":orange[:material/flag: {mark}]  " for mark in marks(card)]
    lines += [card.feedback, ""]
    for criterion in rubric.criteria:
        entry = card.criteria.get(criterion.id)
        score = entry.score if entry else None
        lines.append(f"- **{criterion.name}**: {point_label(rubric, criterion.id, score)}")
        if entry and entry.evidence:
            lines.append(f"  \n  *Evidence: {entry.evidence}*")
    lines += [
        "",
        f":gray[Submitted {card.submitted_at:%a %d %b %H:%M} UTC"
        f" · rubric {rubric.id} v{rubric.version}]",
    ]
    st.markdown("\n".join(lines))
