"""What every Insights figure reads: each scored, unrecused seat's latest scorecard and its
latest independent one (written without seeing the others' scores), with their criterion
scores, as data frames from two set-based queries; and the scores labelled with their rubric's
criterion. Below both the service and `scoring.insights.outcomes` (the figures after the hire
read the panel exactly as the Insights do); the statements are `scoring.queries.insights`'."""

from __future__ import annotations

import json

import pandas as pd

from scoring.queries import insights as Q
from scoring.rubric import Rubric

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


def _tuples(cursor) -> list[tuple]:
    """Every row of `cursor` as a plain tuple (read as tuples by SQLite's module itself, not
    made into `sqlite3.Row`s first: tens of thousands of rows a view)."""
    cursor.row_factory = None
    return cursor.fetchall()


def seat_scorecards(
    db, candidate_ids: list[int], *, with_scores: bool = True
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Per scored, unrecused seat of these candidates, its latest scorecard and its latest
    independent one (written without seeing the others' scores), one row each, or one row that
    is both (columns `latest` and `independent`), and their criterion scores (none read when
    not `with_scores`): two set-based queries, the second by the first's scorecard ids."""
    cards = card_rows(db, candidate_ids)
    scores = score_rows(db, [c[CARD_ID] for c in cards]) if with_scores else []
    return frames_of(cards, scores, with_scores=with_scores)


CARD_ID = _CARD_COLUMNS.index("scorecard_id")  # where a `card_rows` row holds its scorecard id


def card_rows(db, candidate_ids: list[int]) -> list[tuple]:
    """`CARDS`' rows for these candidates as plain tuples (`_CARD_COLUMNS`), in the order of
    `seat_scorecards`' frame: by candidate, session, seat and revision."""
    return _tuples(db.execute(Q.CARDS, [json.dumps(list(candidate_ids))]))


def score_rows(db, scorecard_ids: list[int]) -> list[tuple]:
    """The criterion scores of these scorecards as (scorecard id, criterion id, score)."""
    if not scorecard_ids:
        return []
    return _tuples(db.execute(Q.CARD_SCORES, [json.dumps(sorted(set(scorecard_ids)))]))


def frames_of(
    cards: list[tuple], scores: list[tuple], *, with_scores: bool = True
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """`seat_scorecards`' frames from rows already read (`card_rows`, `score_rows`): the same
    frames for the same rows, in whatever order the score rows come, so rows kept from an
    earlier read and rows read now make the frames a single read would."""
    cards = pd.DataFrame(cards, columns=_CARD_COLUMNS)
    for flag in ("latest", "independent"):
        cards[flag] = cards[flag].astype(bool)
    if not with_scores or cards.empty:
        scores = pd.DataFrame(columns=_SCORE_COLUMNS)
        scores["score"] = scores["score"].astype("float64")
        for flag in ("latest", "independent"):
            scores[flag] = scores[flag].astype(bool)
        return cards, scores
    raw = pd.DataFrame(scores, columns=["scorecard_id", "criterion_id", "score"])
    # each score with its scorecard's seat, candidate and flags, seat by seat, each seat's
    # revisions oldest first (a later revision has a higher id), criteria in id order
    seat = cards[
        [
            "scorecard_id",
            "assignment_id",
            "candidate_id",
            "session_id",
            "rubric_hash",
            "latest",
            "independent",
        ]
    ]
    scores = raw.merge(seat, on="scorecard_id", how="inner", validate="many_to_one")
    scores = scores.sort_values(["assignment_id", "scorecard_id", "criterion_id"], kind="stable")
    scores = scores[_SCORE_COLUMNS].reset_index(drop=True)
    scores["score"] = scores["score"].astype("float64")
    return cards, scores


def latest_scorecards(db, candidate_ids: list[int]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The latest scorecard of every scored, unrecused seat of these candidates, and their
    criterion scores: the panel as it stands."""
    cards, scores = seat_scorecards(db, candidate_ids)
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
    return pd.DataFrame(submission_rows(db, candidate_ids), columns=_SUBMISSION_COLUMNS)


def submission_rows(db, candidate_ids: list[int]) -> list[tuple]:
    """`submissions`' rows as plain tuples (`_SUBMISSION_COLUMNS`), by candidate, session and
    seat."""
    return _tuples(db.execute(Q.SUBMISSIONS, [json.dumps(list(candidate_ids))]))


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
