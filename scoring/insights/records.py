"""The record one person's Insights come as (`Insights`): the scope, its n's, what is left out
for them and why, and every table. Below the service that fills it (`scoring.insights.service`;
the package re-exports it) and the sentences that read it (`scoring.insights.headlines`), so
neither imports the other for it."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from scoring.insights.limits import (
    MIN_CANDIDATES_CALIBRATION,
    MIN_CANDIDATES_RELIABILITY,
    MIN_DECISIONS,
    MIN_SCORES_DISTRIBUTION,
    RELIABLE_ALPHA,
    RESAMPLES,
    WINDOW,
)


@dataclass(frozen=True)
class Insights:
    """What one person may see of the insights for a scope: the openings (or, for one's own
    calibration, the candidates one interviewed), how many candidates count and how many are
    left out for them, and the tables."""

    scope: str
    candidates: int  # candidates who count here (with a scorecard in)
    withheld: int  # candidates in the window left out for this person (why: `withheld_why`)
    withheld_why: str
    counted_ids: frozenset[int]  # the candidates behind the process figures
    reliability: pd.DataFrame
    point_use: pd.DataFrame
    criterion_use: pd.DataFrame
    overall_points: pd.DataFrame
    overall_summary: dict
    calibration: pd.DataFrame
    process: pd.DataFrame = field(default_factory=pd.DataFrame)
    what_if: pd.DataFrame = field(default_factory=pd.DataFrame)
    bar_sweep: pd.DataFrame = field(default_factory=pd.DataFrame)
    thresholds: pd.DataFrame = field(default_factory=pd.DataFrame)
    submission: pd.DataFrame = field(default_factory=pd.DataFrame)
    # corrections after the reveal, per opening (`after_reveal.correction_summary`)
    corrections: pd.DataFrame = field(default_factory=pd.DataFrame)
    after_only: int = 0  # seats written only after the reveal: left out of the score figures
    decided: int = 0  # decided candidates behind the decision-process figures
    earlier: bool = False  # candidates whose debrief opened before the window are left out
    own: bool = False  # only the person's own calibration row
    # Score figures (`SCORE_TABLES`, the panel's columns of the decision process) are worked
    # out only where the person may see them (`see_score_figures`): otherwise those tables are
    # empty and `scores_withheld_why` says why, in words.
    score_figures: bool = True
    scores_withheld_why: str = ""
    score_ids: frozenset[int] = frozenset()  # the candidates behind the score figures
    minimums: dict = field(
        default_factory=lambda: {
            "reliability": MIN_CANDIDATES_RELIABILITY,
            "distribution": MIN_SCORES_DISTRIBUTION,
            "calibration": MIN_CANDIDATES_CALIBRATION,
            "decisions": MIN_DECISIONS,
            "reliable_alpha": RELIABLE_ALPHA,
            "resamples": RESAMPLES,
            "window": WINDOW,
        }
    )

    def tables(self) -> dict[str, pd.DataFrame]:
        """Every table by name, as the downloads and `python -m scoring insights` give them."""
        summary = pd.DataFrame(
            [
                {"measure": name} | self.overall_summary[name]
                for name in ("floor", "ceiling", "middle")
                if name in self.overall_summary
            ]
        )
        if not summary.empty:
            summary.insert(1, "scores", self.overall_summary["scores"])
            summary["provisional"] = self.overall_summary["provisional"]
        return {
            "reliability": self.reliability,
            "criterion_use": self.criterion_use,
            "point_use": self.point_use,
            "overall_use": self.overall_points,
            "overall_summary": summary,
            "calibration": self.calibration,
            "decision_process": self.process,
            "submission": self.submission,
            "what_if": self.what_if,
            "bar_sweep": self.bar_sweep,
            "thresholds": self.thresholds,
            "corrections": self.corrections,
        }
