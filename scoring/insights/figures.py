"""The score figures of the Insights, pure functions over the frames `scoring.insights.frames`
reads: agreement per rubric criterion (`reliability`), the use of each point of a scale
(`point_use`, `criterion_use`, `overall_use`) and each interviewer's calibration
(`calibration`). Each comes with its n's and an interval, and is provisional below its minimum
(`scoring.insights.limits`)."""

from __future__ import annotations

import math

import pandas as pd

from scoring import leniency
from scoring.insights.frames import with_criterion
from scoring.insights.limits import (
    MIN_CANDIDATES_CALIBRATION,
    MIN_CANDIDATES_RELIABILITY,
    MIN_SCORES_DISTRIBUTION,
    RELIABLE_ALPHA,
    has_interval,
    share_interval,
)
from scoring.insights.statistics import alpha_interval, bootstrap_alpha, chance_range
from scoring.rubric import Rubric
from scoring.scale import Scale

# -------------------------------------------------------------------------------- the figures


def reliability(scores: pd.DataFrame, rubrics: dict[str, Rubric]) -> pd.DataFrame:
    """Per rubric criterion (rubric id, criterion id and scale), across the sessions two or more
    interviewers scored on it: alpha with its bootstrap interval over candidates, the range
    chance would give, the n's, whether it is provisional, and (below `RELIABLE_ALPHA`) the
    criterion's anchors; with `MIN_CANDIDATES_RELIABILITY` paired candidates or more, marked as
    a candidate for rewriting (`rewrite`). `scores`: one row per assessed criterion
    score of a latest scorecard (candidate_id, session_id, rubric_hash, criterion_id, score)."""
    columns = [
        "rubric",
        "criterion_id",
        "criterion",
        "scale",
        "candidates",
        "sessions",
        "scores",
        "alpha",
        "low",
        "high",
        "chance",
        "chance_low",
        "chance_high",
        "provisional",
        "rewrite",
        "anchors",
    ]
    rows = []
    assessed = scores.dropna(subset=["score"])
    if assessed.empty:
        return pd.DataFrame(columns=columns)
    keyed = with_criterion(assessed, rubrics)
    for (_rubric, criterion_id, low_, high_), group in keyed.groupby(
        ["rubric_id", "criterion_id", "min", "max"], sort=True
    ):
        units = group.groupby(["candidate_id", "session_id"])["score"].apply(
            lambda s: s.to_numpy(dtype=float)
        )
        units = units[units.map(len) >= 2]
        if units.empty:
            continue
        by_candidate = units.groupby(level="candidate_id").apply(list)
        # One paired candidate says nothing about agreement (its alpha is 0 or undefined).
        value = alpha_interval(units.tolist()) if len(by_candidate) >= 2 else math.nan
        low, high = bootstrap_alpha(by_candidate.tolist())
        # the chance range is an interval too: none on fewer than 3 paired candidates
        chance_low, chance_high = (
            chance_range(units.tolist()) if has_interval(len(by_candidate)) else (math.nan,) * 2
        )
        latest = group.iloc[-1]
        criterion = rubrics[latest["rubric_hash"]].criterion(criterion_id)
        n = len(by_candidate)
        rows.append(
            {
                "rubric": rubrics[latest["rubric_hash"]].title,
                "criterion_id": criterion_id,
                "criterion": criterion.name,
                "scale": f"{low_}..{high_}",
                "candidates": n,
                "sessions": len(units),
                "scores": int(units.map(len).sum()),
                "alpha": value,
                "low": low,
                "high": high,
                "chance": 0.0,
                "chance_low": chance_low,
                "chance_high": chance_high,
                "provisional": n < MIN_CANDIDATES_RELIABILITY,
                # advice to act only on enough data: a handful of pairs can land anywhere
                "rewrite": bool(
                    value == value and value < RELIABLE_ALPHA and n >= MIN_CANDIDATES_RELIABILITY
                ),
                "anchors": "; ".join(f"{p}: {a}" for p, a in sorted(criterion.anchors.items())),
            }
        )
    return pd.DataFrame(rows, columns=columns)


def point_use(scores: pd.DataFrame, rubrics: dict[str, Rubric]) -> pd.DataFrame:
    """Per criterion and point of its scale: how many scores used it and their share (of the
    criterion's assessed scores); every point appears, used or not."""
    columns = ["rubric", "criterion_id", "criterion", "point", "count", "share"]
    if scores.empty:
        return pd.DataFrame(columns=columns)
    keyed = with_criterion(scores, rubrics).dropna(subset=["score"])
    rows = []
    for (_rubric, criterion_id, low, high), group in keyed.groupby(
        ["rubric_id", "criterion_id", "min", "max"], sort=True
    ):
        counts = group["score"].astype(int).value_counts()
        total = int(counts.sum())
        for point in range(int(low), int(high) + 1):
            count = int(counts.get(point, 0))
            rows.append(
                {
                    "rubric": group["rubric"].iloc[-1],
                    "criterion_id": criterion_id,
                    "criterion": group["criterion"].iloc[-1],
                    "point": point,
                    "count": count,
                    "share": count / total if total else math.nan,
                }
            )
    return pd.DataFrame(rows, columns=columns)


def criterion_use(scores: pd.DataFrame, rubrics: dict[str, Rubric]) -> pd.DataFrame:
    """Per criterion: scores given, how often "not assessed" was used instead, and the floor
    (lowest point) and ceiling (highest point) shares of assessed scores, each with a Wilson
    interval; provisional below `MIN_SCORES_DISTRIBUTION` scores."""
    columns = [
        "rubric",
        "criterion_id",
        "criterion",
        "scale",
        "scores",
        "not_assessed",
        "not_assessed_share",
        "floor_share",
        "floor_low",
        "floor_high",
        "ceiling_share",
        "ceiling_low",
        "ceiling_high",
        "provisional",
    ]
    if scores.empty:
        return pd.DataFrame(columns=columns)
    rows = []
    keyed = with_criterion(scores, rubrics)
    for (_rubric, criterion_id, low, high), group in keyed.groupby(
        ["rubric_id", "criterion_id", "min", "max"], sort=True
    ):
        assessed = group["score"].dropna().astype(int)
        n, skipped = len(assessed), int(group["score"].isna().sum())
        floor, ceiling = int((assessed == low).sum()), int((assessed == high).sum())
        floor_low, floor_high = share_interval(floor, n)
        ceiling_low, ceiling_high = share_interval(ceiling, n)
        rows.append(
            {
                "rubric": group["rubric"].iloc[-1],
                "criterion_id": criterion_id,
                "criterion": group["criterion"].iloc[-1],
                "scale": f"{low}..{high}",
                "scores": n,
                "not_assessed": skipped,
                "not_assessed_share": skipped / len(group),
                "floor_share": floor / n if n else math.nan,
                "floor_low": floor_low,
                "floor_high": floor_high,
                "ceiling_share": ceiling / n if n else math.nan,
                "ceiling_low": ceiling_low,
                "ceiling_high": ceiling_high,
                "provisional": n < MIN_SCORES_DISTRIBUTION,
            }
        )
    return pd.DataFrame(rows, columns=columns)


def middle(scale: Scale, score: int) -> bool:
    """A lukewarm overall: less than a point from the midpoint (2 and 3 on 0..5, 3 on 1..5)."""
    return abs(score - scale.midpoint) < 1


def overall_use(cards: pd.DataFrame) -> tuple[pd.DataFrame, dict]:
    """The overall recommendations per scale and point (count, share), and a summary: n, floor,
    ceiling and middle shares with Wilson intervals, provisional below
    `MIN_SCORES_DISTRIBUTION`. `cards`: one row per latest scorecard (overall, scale_min,
    scale_max)."""
    rows = []
    for (low, high), group in cards.groupby(["scale_min", "scale_max"], sort=True):
        counts = group["overall"].value_counts()
        for point in range(int(low), int(high) + 1):
            count = int(counts.get(point, 0))
            rows.append(
                {
                    "scale": f"{low}..{high}",
                    "point": point,
                    "count": count,
                    "share": count / len(group),
                }
            )
    points = pd.DataFrame(rows, columns=["scale", "point", "count", "share"])
    n = len(cards)
    scales = [
        Scale(int(lo), int(hi))
        for lo, hi in zip(cards["scale_min"], cards["scale_max"], strict=True)
    ]
    overall = cards["overall"].astype(int).tolist()
    summary = {"scores": n, "provisional": n < MIN_SCORES_DISTRIBUTION}
    for name, hits in (
        ("floor", sum(s == sc.min for s, sc in zip(overall, scales, strict=True))),
        ("ceiling", sum(s == sc.max for s, sc in zip(overall, scales, strict=True))),
        ("middle", sum(middle(sc, s) for s, sc in zip(overall, scales, strict=True))),
    ):
        low, high = share_interval(hits, n)
        summary[name] = {"count": hits, "share": hits / n if n else math.nan, "low": low}
        summary[name]["high"] = high
    return points, summary


def calibration(cards: pd.DataFrame) -> pd.DataFrame:
    """Per interviewer, from the latest scorecards in `cards` (candidate_id, interviewer_id,
    interviewer, overall, scale_min, scale_max, ends_at, first_at, overdue_hours, corrections):
    leniency (`scoring.leniency.fit`: how much higher than the average interviewer they score the
    same candidate in the same kind of session, as a share of the scale, shrunk toward 0, with a
    95% interval; positive scores higher), the raw offset from co-interviewers on the same
    candidates (for reference) and its n, spread (SD of their normalised overalls), share of
    extremes, median hours from session end to first submission, late rate, and corrections
    made after the reveal."""
    columns = [
        "interviewer_id",
        "interviewer",
        "scorecards",
        "shared",
        "compared_with",
        "raw_offset",
        "leniency",
        "low",
        "high",
        "provisional",
        "spread",
        "extremes_share",
        "extremes_low",
        "extremes_high",
        "median_hours",
        "late",
        "late_share",
        "late_low",
        "late_high",
        "corrections",
    ]
    if cards.empty:
        return pd.DataFrame(columns=columns)
    cards = cards.copy()
    span = cards["scale_max"] - cards["scale_min"]
    cards["normalised"] = (cards["overall"] - cards["scale_min"]) / span
    cards["extreme"] = (cards["overall"] == cards["scale_min"]) | (
        cards["overall"] == cards["scale_max"]
    )
    ends = pd.to_datetime(cards["ends_at"], utc=True, format="ISO8601")
    first = pd.to_datetime(cards["first_at"], utc=True, format="ISO8601")
    cards["hours"] = (first - ends).dt.total_seconds() / 3600
    cards["late"] = cards["hours"] > cards["overdue_hours"]
    # The session type is the rubric the session was scored on; a frame without it (a history
    # with one kind of session) counts every session as the same type.
    column = next((c for c in ("rubric_id", "rubric_hash") if c in cards), None)
    types = cards[column] if column else pd.Series("", index=cards.index)
    fitted = leniency.fit(
        pd.DataFrame(
            {
                "candidate_id": cards["candidate_id"],
                "interviewer_id": cards["interviewer_id"],
                "session_type": types.fillna("").astype(str),
                "normalised": cards["normalised"],
            }
        )
    ).set_index("interviewer_id")
    rows = []
    for person_id, group in cards.groupby("interviewer_id", sort=False):
        fit = fitted.loc[person_id]
        n = int(fit["shared"])
        extremes, late = int(group["extreme"].sum()), int(group["late"].sum())
        extremes_low, extremes_high = share_interval(extremes, len(group))
        late_low, late_high = share_interval(late, len(group))
        rows.append(
            {
                "interviewer_id": int(person_id),
                "interviewer": group["interviewer"].iloc[0],
                "scorecards": len(group),
                "shared": n,
                "compared_with": int(fit["compared_with"]),
                "raw_offset": float(fit["raw_offset"]),
                "leniency": float(fit["leniency"]),
                "low": float(fit["low"]),
                "high": float(fit["high"]),
                "provisional": n < MIN_CANDIDATES_CALIBRATION,
                "spread": float(group["normalised"].std(ddof=1)) if len(group) > 1 else math.nan,
                "extremes_share": extremes / len(group),
                "extremes_low": extremes_low,
                "extremes_high": extremes_high,
                "median_hours": float(group["hours"].median()),
                "late": late,
                "late_share": late / len(group),
                "late_low": late_low,
                "late_high": late_high,
                "corrections": int(group["corrections"].sum()),
            }
        )
    table = pd.DataFrame(rows, columns=columns)
    return table.sort_values(["leniency", "interviewer"], ascending=[False, True]).reset_index(
        drop=True
    )
