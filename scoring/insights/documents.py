"""The Insights as documents: every table as plain rows and the whole view as one JSON-ready
object (`document`, `full_document`), as `python -m scoring insights` and the page's downloads
give them; and which tables are worked out from scores (`SCORE_TABLES`)."""

from __future__ import annotations

import pandas as pd

from scoring.insights import outcomes
from scoring.insights.charts import plain_records
from scoring.insights.records import Insights
from scoring.insights.service import opening_insights
from scoring.models.people import Person
from scoring.store import Store

# ---------------------------------------------------------------------------------- documents


def table_rows(frame: pd.DataFrame) -> list[dict]:
    """A table as plain rows (missing values as None), for CSV and JSON."""
    if frame is None or frame.empty:
        return []
    return plain_records(frame, *frame.columns)


def document(view: Insights, extra: dict[str, pd.DataFrame] | None = None) -> dict:
    """Every figure as one JSON-ready object: the scope, its n's and minimums, whether score
    figures are included (`score_figures`; when not, `scores_withheld_why` says why and every
    score table is an empty list), then each table as a list of rows. Reliability rows are
    objects with `criterion_id`, `alpha`, `interval` (`low`, `high`, `level`),
    `chance_interval` and `n` (paired candidates)."""
    reliability_rows = [
        {
            "rubric": r["rubric"],
            "criterion_id": r["criterion_id"],
            "criterion": r["criterion"],
            "scale": r["scale"],
            "alpha": r["alpha"],
            "interval": {"low": r["low"], "high": r["high"], "level": 0.95},
            "chance_interval": {"low": r["chance_low"], "high": r["chance_high"], "level": 0.95},
            "n": r["candidates"],
            "sessions": r["sessions"],
            "scores": r["scores"],
            "provisional": r["provisional"],
            "rewrite": r["rewrite"],
        }
        for r in table_rows(view.reliability)
    ]
    tables = {name: table_rows(frame) for name, frame in view.tables().items()}
    tables |= {name: table_rows(frame) for name, frame in (extra or {}).items()}
    tables["reliability"] = reliability_rows
    return {
        "scope": view.scope,
        "candidates": view.candidates,
        "decided": view.decided,
        "withheld": view.withheld,
        "withheld_why": view.withheld_why,
        "earlier_left_out": view.earlier,
        "score_figures": view.score_figures,
        "scores_withheld_why": view.scores_withheld_why,
        "score_candidates": len(view.score_ids),
        "minimums": view.minimums,
        **tables,
    }


SCORE_TABLES = (
    "reliability",
    "criterion_use",
    "point_use",
    "overall_use",
    "overall_summary",
    "calibration",
    "what_if",
    "bar_sweep",
    "thresholds",
    "hire_correlations",
    "corrections",
)
"""Tables worked out from scores, given only with `see_score_figures` (the decision process
adds its panel columns under the same permission)."""


TABLES = (
    "reliability",
    "criterion_use",
    "point_use",
    "overall_use",
    "overall_summary",
    "calibration",
    "decision_process",
    "submission",
    "what_if",
    "bar_sweep",
    "thresholds",
    "hire_correlations",
    "hire_retention",
    "corrections",
)
"""Every table by name, as `python -m scoring insights --table` and the page's downloads."""


def full_document(store: Store, actor: Person, opening_ids: list[int]) -> dict:
    """`document` for the openings, as the actor may see them (NotAllowed as on the page), with
    what predicted good hires: the correlations of interview scores with later ratings, and how
    many hires still work here (`scoring.insights.outcomes`)."""
    view = opening_insights(store, actor, opening_ids)
    predictors, later = outcomes.outcome_rows(store, actor, opening_ids)
    return document(
        view,
        {
            "hire_correlations": outcomes.outcome_correlations(predictors, later),
            "hire_retention": outcomes.retention(later),
        },
    ) | {"hire_caveat": outcomes.CAVEAT}
