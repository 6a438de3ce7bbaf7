"""What every Insights figure reads: each scored, unrecused seat's latest scorecard and its
latest independent one (written without seeing the others' scores), with their criterion
scores, as data frames from two set-based queries; and the scores labelled with their rubric's
criterion. Below both `scoring.insights` and `scoring.outcomes` (the figures after the hire
read the panel exactly as the Insights do), which re-export these names."""

from __future__ import annotations

import json

import pandas as pd

from scoring.rubric import Rubric

# Per seat: its latest revision, its latest revision written without seeing the others' scores
# (`independent`: NULL when every revision came after the reveal), when it first came in, and
# how many revisions were corrections made after the reveal.
_LATEST = """
    WITH latest AS (
        SELECT s.assignment_id, MAX(s.revision) AS revision,
               MAX(CASE WHEN s.saw_others = 0 THEN s.revision END) AS independent,
               MIN(s.submitted_at) AS first_at,
               SUM(s.revision > 1 AND s.saw_others) AS corrections
        FROM scorecards s JOIN assignments a ON a.id = s.assignment_id
        JOIN interview_sessions i ON i.id = a.session_id
        JOIN candidates c ON c.id = i.candidate_id
        WHERE a.recused_at IS NULL AND {where}
        GROUP BY s.assignment_id
    )
"""
_CARDS = (
    _LATEST
    + """
    SELECT c.id AS candidate_id, c.opening_id, i.id AS session_id, i.ends_at,
           a.interviewer_id, p.name AS interviewer, s.id AS scorecard_id, s.overall,
           s.rubric_hash, l.first_at, l.corrections, o.scale_min, o.scale_max, o.overdue_hours,
           a.id AS assignment_id, s.revision = l.revision AS latest,
           s.revision IS l.independent AS independent
    FROM latest l
    JOIN scorecards s ON s.assignment_id = l.assignment_id
        AND s.revision IN (l.revision, l.independent)
    JOIN assignments a ON a.id = l.assignment_id
    JOIN interview_sessions i ON i.id = a.session_id
    JOIN candidates c ON c.id = i.candidate_id
    JOIN openings o ON o.id = c.opening_id
    JOIN people p ON p.id = a.interviewer_id
    ORDER BY c.id, i.position, a.id
"""
)
_SCORES = (
    _LATEST
    + """
    SELECT c.id AS candidate_id, i.id AS session_id, s.id AS scorecard_id, s.rubric_hash,
           cs.criterion_id, cs.score, s.revision = l.revision AS latest,
           s.revision IS l.independent AS independent
    FROM latest l
    JOIN scorecards s ON s.assignment_id = l.assignment_id
        AND s.revision IN (l.revision, l.independent)
    JOIN criterion_scores cs ON cs.scorecard_id = s.id
    JOIN assignments a ON a.id = l.assignment_id
    JOIN interview_sessions i ON i.id = a.session_id
    JOIN candidates c ON c.id = i.candidate_id
"""
)
# What the process figures read of each latest scorecard: its candidate and the dates, never
# a score (a coordinator's insights are worked out from this and the decisions alone).
_SUBMISSIONS = (
    _LATEST
    + """
    SELECT c.id AS candidate_id, c.opening_id, i.id AS session_id, i.ends_at, l.first_at,
           o.overdue_hours
    FROM latest l
    JOIN assignments a ON a.id = l.assignment_id
    JOIN interview_sessions i ON i.id = a.session_id
    JOIN candidates c ON c.id = i.candidate_id
    JOIN openings o ON o.id = c.opening_id
    ORDER BY c.id, i.position, a.id
"""
)
_SUBMISSION_COLUMNS = [
    "candidate_id",
    "opening_id",
    "session_id",
    "ends_at",
    "first_at",
    "overdue_hours",
]
_CARD_COLUMNS = [
    "candidate_id",
    "opening_id",
    "session_id",
    "ends_at",
    "interviewer_id",
    "interviewer",
    "scorecard_id",
    "overall",
    "rubric_hash",
    "first_at",
    "corrections",
    "scale_min",
    "scale_max",
    "overdue_hours",
    "assignment_id",
    "latest",
    "independent",
]
_SCORE_COLUMNS = [
    "candidate_id",
    "session_id",
    "scorecard_id",
    "rubric_hash",
    "criterion_id",
    "score",
    "latest",
    "independent",
]
IDS = "(SELECT value FROM json_each(?))"  # a list of ids as one parameter (a JSON array)


def seat_scorecards(db, where: str, params: list) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Per scored, unrecused seat of the candidates `where` selects (a condition on `c`, the
    candidate), its latest scorecard and its latest independent one (written without seeing
    the others' scores), one row each, or one row that is both (columns `latest` and
    `independent`), and their criterion scores: two set-based queries."""
    cards = pd.DataFrame(
        [tuple(r) for r in db.execute(_CARDS.format(where=where), params)], columns=_CARD_COLUMNS
    )
    scores = pd.DataFrame(
        [tuple(r) for r in db.execute(_SCORES.format(where=where), params)],
        columns=_SCORE_COLUMNS,
    )
    scores["score"] = scores["score"].astype("float64")
    for frame in (cards, scores):
        for flag in ("latest", "independent"):
            frame[flag] = frame[flag].astype(bool)
    return cards, scores


def latest_scorecards(db, where: str, params: list) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The latest scorecard of every scored, unrecused seat, and their criterion scores, of the
    candidates `where` selects (a condition on `c`, the candidate): the panel as it stands."""
    cards, scores = seat_scorecards(db, where, params)
    return latest_of(cards, scores)


def latest_of(cards: pd.DataFrame, scores: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The latest revision of each seat, of `seat_scorecards`' frames."""
    return (
        cards[cards["latest"].astype(bool)].reset_index(drop=True),
        scores[scores["latest"].astype(bool)].reset_index(drop=True),
    )


def independent_of(cards: pd.DataFrame, scores: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The independent judgements of `seat_scorecards`' frames: each seat's latest revision
    written without seeing the others' scores; a seat written only after the reveal has none."""
    return (
        cards[cards["independent"].astype(bool)].reset_index(drop=True),
        scores[scores["independent"].astype(bool)].reset_index(drop=True),
    )


def submissions(db, candidate_ids: list[int]) -> pd.DataFrame:
    """When each latest scorecard of these candidates came in, against when its session ended
    (one set-based query that reads no score)."""
    rows = db.execute(_SUBMISSIONS.format(where=f"c.id IN {IDS}"), [json.dumps(candidate_ids)])
    return pd.DataFrame([tuple(r) for r in rows], columns=_SUBMISSION_COLUMNS)


def with_criterion(scores: pd.DataFrame, rubrics: dict[str, Rubric]) -> pd.DataFrame:
    """The scores with their rubric id, criterion name and scale, as their snapshot says."""
    facts = {}
    for rubric_hash in scores["rubric_hash"].unique():
        rubric = rubrics[rubric_hash]
        for c in rubric.criteria:
            facts[rubric_hash, c.id] = (rubric.id, rubric.title, c.name, c.scale.min, c.scale.max)
    keys = list(zip(scores["rubric_hash"], scores["criterion_id"], strict=True))
    known = [k in facts for k in keys]  # a score for a criterion its rubric lacks: ignored
    scores = scores[known].copy()
    keys = [k for k, ok in zip(keys, known, strict=True) if ok]
    for i, name in enumerate(("rubric_id", "rubric", "criterion", "min", "max")):
        scores[name] = [facts[k][i] for k in keys]
    return scores
