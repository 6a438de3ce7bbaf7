"""What makes a scorecard submittable: its entries checked against the rubric snapshot and the
opening (every required criterion scored, points on the scale, the overall recommendation, the
feedback), each problem named by its field in words an interviewer acts on. Pure: no storage.
A scorecard's `CriterionEntry` (and `entry_of`) is in `scoring.models.scorecards`."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from scoring.errors import InvalidInput
from scoring.models.openings import Opening
from scoring.models.scorecards import CriterionEntry, EntryLike, entry_of
from scoring.rubric import Rubric
from scoring.text import EVIDENCE_MAX, FEEDBACK_MAX


def submission_problems(
    rubric: Rubric,
    opening: Opening,
    overall: Any,
    feedback: str,
    criteria: Mapping[str, EntryLike],
) -> dict[str, str]:
    """Everything wrong with a scorecard before it can be submitted, by field (`overall`,
    `feedback`, `criteria.<id>`, `criteria.<id>.evidence`), in words an interviewer acts on.
    Empty when it may be submitted. The form shows each next to its field."""
    problems: dict[str, str] = {}
    entries = {key: entry_of(value) for key, value in criteria.items()}
    for key in entries:
        if not any(c.id == key for c in rubric.criteria):
            problems[f"criteria.{key}"] = f"The rubric '{rubric.id}' has no criterion '{key}'."
    for criterion in rubric.criteria:
        field = f"criteria.{criterion.id}"
        entry = entries.get(criterion.id)
        if entry is None or entry.score is None:
            if criterion.required and entry is None:
                problems[field] = f"Choose a point for “{criterion.name}”."
            elif criterion.required:
                problems[field] = (
                    f"“{criterion.name}” must be scored: it cannot be marked not assessed."
                )
        elif not criterion.scale.contains(entry.score):
            problems[field] = (
                f"Choose one of the points {criterion.scale.min} to {criterion.scale.max}"
                f" for “{criterion.name}” (got {entry.score!r})."
            )
        if entry is not None and len(entry.evidence) > EVIDENCE_MAX:
            problems[f"{field}.evidence"] = (
                f"{len(entry.evidence):,} characters; at most {EVIDENCE_MAX:,}"
            )
    scale = opening.scale.scale
    if overall is None:
        problems["overall"] = "Choose an overall recommendation."
    elif not scale.contains(overall):
        problems["overall"] = (
            f"Choose an overall recommendation from {scale.min} to {scale.max} (got {overall!r})."
        )
    elif opening.forced_choice and not scale.is_strong(overall):
        low, high = opening.scale.labels[scale.min], opening.scale.labels[scale.max]
        problems["overall"] = (
            f"This opening asks for {scale.min} ({low}) or {scale.max} ({high}) only:"
            " if this is a weak no, it is a no."
        )
    if not (feedback or "").strip():
        problems["feedback"] = "Write your feedback: why this recommendation."
    elif len(feedback) > FEEDBACK_MAX:
        problems["feedback"] = f"{len(feedback):,} characters; at most {FEEDBACK_MAX:,}"
    return problems


def check_submission(
    rubric: Rubric,
    opening: Opening,
    overall: Any,
    feedback: str,
    criteria: Mapping[str, EntryLike],
) -> dict[str, CriterionEntry]:
    """Validate a scorecard against its rubric snapshot and opening; return the clean entries.
    Raises InvalidInput with the first problem, its field named: nothing is written."""
    problems = submission_problems(rubric, opening, overall, feedback, criteria)
    if problems:
        field, message = next(iter(problems.items()))
        raise InvalidInput(f"{field}: {message}")
    entries = {key: entry_of(value) for key, value in criteria.items()}
    for criterion in rubric.criteria:
        entries.setdefault(criterion.id, CriterionEntry(None))
    return entries
