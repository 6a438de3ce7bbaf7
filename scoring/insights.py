"""Insights: is our interviewing any good? Figures across candidates, each with its n and an
interval, on raw scores.

- **Reliability per rubric criterion**: Krippendorff's alpha (interval level, the `krippendorff`
  package) over the sessions that two or more interviewers scored, with a bootstrap interval over
  candidates and the range chance alone would give at the same n (alpha is 0 for chance by
  construction: it is 1 - observed disagreement / disagreement expected by chance).
- **Score distributions** per criterion and for the overall recommendation: the use of every
  point, floor and ceiling shares, "not assessed", and the share of overalls in the middle.
- **Interviewer calibration**: each interviewer's leniency (their mean offset from their
  co-interviewers on the same candidates, shrunk toward zero for small n), spread, extremes, time
  to submit, late rate and corrections after the reveal.

Who sees what is the permission table's. Process figures (`see_insights`, counting where
`count_in_insights` allows: the decision process's hire rate and days to decision, time to
submit per opening) are worked out from decisions and dates alone, by queries that read no
score. Score figures (`see_score_figures`: every table in `SCORE_TABLES` and the decision
process's panel columns) are the opening's hiring manager's only, over the candidates whose
scores they may read (`count_in_score_figures`): a coordinator never gets one, since an
aggregate over a small or changing set of scorecards is a score (subtract two readings and the
newest scores come out). One's own calibration (`see_own_calibration`) counts a candidate where
`see_scores` allows. A person with an unsubmitted seat on a candidate never sees a figure that
includes them. The statistics are pure functions over pandas frames; only `opening_insights`
and `own_calibration` touch the store, with a few set-based queries over the openings in scope.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import datetime

import pandas as pd

from scoring import after_reveal, leniency, outcomes, uncertainty
from scoring.debrief import applicable_strategies, decision_records
from scoring.engine import Case, CommitteeVote, ScorecardIn, candidate_score, decide, lean
from scoring.insight_charts import (  # noqa: F401 - the charts' names, as before
    PROCESS_SHARES,
    SWEEP_LINES,
    interval_chart,
    plain_records,
    process_shares,
    share_chart,
    sweep_chart,
)
from scoring.insight_frames import (  # noqa: F401 - what the figures read, as before
    _CARD_COLUMNS,
    _SCORE_COLUMNS,
    _SUBMISSION_COLUMNS,
    IDS,
    independent_of,
    latest_of,
    latest_scorecards,
    seat_scorecards,
    submissions,
    with_criterion,
)
from scoring.insight_headlines import (  # noqa: F401 - the sentences' names, as before
    SCORE_SECTIONS,
    SECTIONS,
    for_managers,
    headline,
    hires_headline,
)
from scoring.insight_limits import (  # noqa: F401 - the limits' names, as before
    BAR_STEPS,
    DEFAULT_OFFSET_SD,
    LENIENCY_PRIOR_SD,
    MIN_CANDIDATES_CALIBRATION,
    MIN_CANDIDATES_RELIABILITY,
    MIN_DECISIONS,
    MIN_HIRES,
    MIN_INTERVAL_UNITS,
    MIN_SCORES_DISTRIBUTION,
    RELIABLE_ALPHA,
    RESAMPLES,
    SEED,
    WINDOW,
    Z95,
    has_interval,
    no_interval,
    no_interval_note,
    share_interval,
    without_thin_intervals,
)
from scoring.insight_records import Insights
from scoring.insight_statistics import (  # noqa: F401 - the statistics' names, as before
    _alpha_from_sums,
    _unit_stats,
    alpha_interval,
    bootstrap_alpha,
    chance_range,
    shrink,
)
from scoring.opening_record import Opening, _opening, rubric_snapshot
from scoring.openings import list_openings
from scoring.permissions import (
    Organisation,
    Person,
    candidates_facts,
    current,
    ensure,
    may,
    opening_facts,
    why_not,
)
from scoring.rubric import Rubric
from scoring.scale import Scale
from scoring.store import Store, parse_stamp

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


# ----------------------------------------------------------------------- the decision process
# Every outcome here comes from `scoring.engine.decide`, run on each past panel as it stands:
# the same function the debrief page runs, so the what-if across history is the what-if of the
# room, candidate by candidate.


@dataclass(frozen=True)
class Panel:
    """One decided candidate as the decision-process figures need it: the opening's strategy,
    the panel's latest scorecards as engine input, what the engine said when the debrief opened
    (`frozen`), the first and the final decision, the votes (None when hidden from the viewer)
    and when the last session ended."""

    candidate_id: int
    opening: Opening
    cards: tuple[ScorecardIn, ...]
    frozen: dict
    first: str  # the first recorded decision: hire / no_hire
    final: str  # the decision in force
    engine_at_decision: dict  # the engine's result stored with the final decision
    decided_at: datetime  # the first decision
    interviewed_at: datetime  # the end of the last session
    votes: tuple[CommitteeVote, ...] | None


def _tally_lean(tally: dict) -> str:
    """hire / no_hire / undecided: the side with more yes or no positions in a stored tally."""
    yes, no = tally.get("yes", 0), tally.get("no", 0)
    return "hire" if yes > no else "no_hire" if no > yes else "undecided"


def _case(panel: Panel, kind: str, *, force: bool, **changes) -> Case:
    strategy = panel.opening.strategy.model_copy(
        update={"kind": kind, "force_extremes": force, **changes}
    )
    votes = list(panel.votes or ()) if kind == "committee" else []
    return Case(
        scale={"min": panel.opening.scale.min, "max": panel.opening.scale.max},
        strategy=strategy,
        scorecards=list(panel.cards),
        committee_votes=votes,
    )


def _call(panel: Panel, kind: str, *, force: bool, **changes) -> str | None:
    """What `kind` says on this panel: the outcome, or for the hiring manager (who decides on
    the panel's advice) the panel's lean; None when it cannot say (a committee whose votes the
    viewer may not see)."""
    if kind == "committee" and panel.votes is None:
        return None
    result = decide(_case(panel, kind, force=force, **changes))
    if kind == "manager":
        verdict = lean(result).verdict
        return verdict or "undecided"
    return result.outcome if result.outcome in ("hire", "no_hire") else "undecided"


def _process_rows(panels: list[Panel]) -> pd.DataFrame:
    """One row per decided candidate: what each figure of the decision process is made of."""
    rows = []
    for p in panels:
        strategy = p.opening.strategy
        at_opening = p.frozen.get("outcome")
        if at_opening not in ("hire", "no_hire"):
            at_opening = "undecided" if at_opening == "needs_discussion" else None
        if at_opening is None:  # the manager or committee had not spoken: the panel's lean
            at_opening = _tally_lean(p.frozen.get("tally", {}))
        majority = _tally_lean(p.engine_at_decision.get("tally", {}))
        own = _call(p, strategy.kind, force=strategy.force_extremes)
        other = _call(p, strategy.kind, force=not strategy.force_extremes)
        case = _case(p, strategy.kind, force=strategy.force_extremes)
        row = {
            "candidate_id": p.candidate_id,
            "opening_id": p.opening.id,
            "opening": p.opening.title,
            "strategy": strategy.kind,
            "forcing": strategy.force_extremes,
            "at_opening": at_opening,
            "first": p.first,
            "final": p.final,
            "changed": at_opening in ("hire", "no_hire") and p.final != at_opening,
            "settled": at_opening == "undecided",
            "against_panel": majority != "undecided" and p.final != majority,
            "forcing_flips": None if own is None or other is None else own != other,
            "days": (p.decided_at - p.interviewed_at).total_seconds() / 86400,
            "score": candidate_score(case),
            "vetoable": any(c.overall == p.opening.scale.min for c in p.cards),
            "greenlightable": any(c.overall == p.opening.scale.max for c in p.cards),
            "powers_change": _call(
                p, "vote", force=strategy.force_extremes, veto=True, greenlight=True
            )
            != _call(p, "vote", force=strategy.force_extremes, veto=False, greenlight=False),
        }
        for kind in applicable_strategies(p.opening):
            row[f"if_{kind}"] = _call(p, kind, force=strategy.force_extremes)
        row["without_bar"] = (
            _call(p, "committee", force=strategy.force_extremes, bar=None)
            if strategy.kind == "committee" and strategy.bar is not None
            else None
        )
        # the bar changed the outcome where the committee says otherwise without it (an
        # advisory bar flags and never does; a binding one stops a hire below it)
        row["bar_changed"] = (
            None if row["without_bar"] is None or own is None else own != row["without_bar"]
        )
        rows.append(row)
    return pd.DataFrame(rows)


def _share_columns(prefix: str, k: int, n: int) -> dict:
    low, high = share_interval(k, n)
    return {
        prefix: k,
        f"{prefix}_share": k / n if n else math.nan,
        f"{prefix}_low": low,
        f"{prefix}_high": high,
    }


# The decision process's figures worked out from the panel's outcome (at the debrief's
# opening, by the majority, under forcing): score figures, present only for a viewer who may
# see them (`see_score_figures`).
PANEL_COLUMNS = ("changed", "settled", "against_panel", "forcing_flips")


def decision_process(rows: pd.DataFrame) -> pd.DataFrame:
    """Per opening and strategy, over its decided candidates (`rows`: one per candidate, with
    opening_id, opening, strategy, final and days): hire rate and days from the last interview
    to the first decision (median and quartiles), from decisions and dates alone. Where `rows`
    also carry the panel's columns (`_process_rows`: changed, settled, against_panel,
    forcing_flips; blank for a candidate whose scores the viewer may not see), how often the
    decision went against the outcome at the debrief's opening (and which way), settled an
    undecided one, went against the panel's majority, and how often forcing would have flipped
    the outcome, over the candidates that have them. Shares carry Wilson 95% intervals;
    provisional below `MIN_DECISIONS` decisions."""
    columns = ["opening_id", "opening", "strategy", "decided"]
    if rows.empty:
        return pd.DataFrame(columns=columns)
    panel = "changed" in rows.columns
    out = []
    for (opening_id, opening, strategy), group in rows.groupby(
        ["opening_id", "opening", "strategy"], sort=True
    ):
        n = len(group)
        days = group["days"]
        row = {"opening_id": int(opening_id), "opening": opening, "strategy": strategy}
        row["decided"] = n
        row |= _share_columns("hires", int((group["final"] == "hire").sum()), n)
        if panel:
            row |= _panel_columns(group[group["changed"].notna()])
        row["days_median"] = float(days.median())
        row["days_p25"], row["days_p75"] = _quartiles(days)
        row["provisional"] = n < MIN_DECISIONS
        out.append(row)
    return pd.DataFrame(out)


def _quartiles(values: pd.Series) -> tuple[float, float]:
    """The first and third quartiles; blank below `MIN_INTERVAL_UNITS` values (the quartiles
    of one or two values are those values)."""
    if not has_interval(len(values)):
        return math.nan, math.nan
    return float(values.quantile(0.25)), float(values.quantile(0.75))


def _panel_columns(group: pd.DataFrame) -> dict:
    """The decision process's columns from the panel's outcome, over `group` (the decided
    candidates whose scores the viewer may see; blank when there are none)."""
    n = len(group)
    if not n:  # the same columns, in the same order, blank

        def blank(prefix: str) -> dict:
            return {f"{prefix}{end}": math.nan for end in ("", "_share", "_low", "_high")}

        return (
            blank("changed")
            | {"changed_to_hire": math.nan, "changed_to_no_hire": math.nan, "settled": math.nan}
            | blank("against_panel")
            | blank("forcing_flips")
            | {"forcing_n": 0}
        )
    changed = group["changed"].astype(bool)
    final = group["final"]
    flips = group["forcing_flips"].dropna()
    row = _share_columns("changed", int(changed.sum()), n)
    row["changed_to_hire"] = int((changed & (final == "hire")).sum())
    row["changed_to_no_hire"] = int((changed & (final == "no_hire")).sum())
    row["settled"] = int(group["settled"].astype(bool).sum())
    row |= _share_columns("against_panel", int(group["against_panel"].astype(bool).sum()), n)
    row |= _share_columns("forcing_flips", int(flips.astype(bool).sum()), len(flips))
    row["forcing_n"] = len(flips)
    return row


SUBMISSION_COLUMNS = [
    "opening_id",
    "opening",
    "scorecards",
    "median_hours",
    "hours_p25",
    "hours_p75",
    "late",
    "late_share",
    "late_low",
    "late_high",
    "provisional",
]


def submission(cards: pd.DataFrame, titles: dict[int, str]) -> pd.DataFrame:
    """Per opening, from dates alone (`cards`: one row per latest scorecard with opening_id,
    ends_at, first_at, overdue_hours; no score): how many scorecards, the median hours from the
    end of the session to the first submission with its quartiles, and how many came in later
    than the opening's overdue threshold, with a Wilson 95% interval; provisional below
    `MIN_SCORES_DISTRIBUTION` scorecards. No row per interviewer: that is a score figure's
    (`calibration`)."""
    if cards.empty:
        return pd.DataFrame(columns=SUBMISSION_COLUMNS)
    ends = pd.to_datetime(cards["ends_at"], utc=True, format="ISO8601")
    first = pd.to_datetime(cards["first_at"], utc=True, format="ISO8601")
    hours = (first - ends).dt.total_seconds() / 3600
    late = hours > cards["overdue_hours"]
    rows = []
    for opening_id, group in hours.groupby(cards["opening_id"], sort=True):
        n = len(group)
        row = {"opening_id": int(opening_id), "opening": titles.get(int(opening_id), "")}
        row |= {
            "scorecards": n,
            "median_hours": float(group.median()),
            "hours_p25": _quartiles(group)[0],
            "hours_p75": _quartiles(group)[1],
        }
        row |= _share_columns("late", int(late[group.index].sum()), n)
        row["provisional"] = n < MIN_SCORES_DISTRIBUTION
        rows.append(row)
    return pd.DataFrame(rows, columns=SUBMISSION_COLUMNS)


def what_if(rows: pd.DataFrame) -> pd.DataFrame:
    """Per opening and each strategy that could decide it: on the same panels, how often it
    says hire, no hire or cannot say (a tie, a veto against a greenlight), and how often it
    says the opposite of the decision in force (of all panels, a Wilson 95% interval). For
    "hiring manager decides" the figure is the panel's lean, the advice the manager had."""
    columns = ["opening_id", "opening", "strategy", "alternative", "n"]
    if rows.empty:
        return pd.DataFrame(columns=columns)
    out = []
    for (opening_id, opening, strategy), group in rows.groupby(
        ["opening_id", "opening", "strategy"], sort=True
    ):
        for kind in ("manager", "vote", "committee"):
            column = f"if_{kind}"
            if column not in group or group[column].isna().all():
                continue
            calls = group[column].dropna()
            n = len(calls)
            decisive = calls[calls != "undecided"]
            differs = int((decisive != group.loc[decisive.index, "final"]).sum())
            row = {
                "opening_id": int(opening_id),
                "opening": opening,
                "strategy": strategy,
                "alternative": kind,
                "n": n,
                "hire": int((calls == "hire").sum()),
                "no_hire": int((calls == "no_hire").sum()),
                "undecided": int((calls == "undecided").sum()),
                "in_force": kind == strategy,
                "provisional": n < MIN_DECISIONS,
            }
            out.append(row | _share_columns("differs", differs, n))
    return pd.DataFrame(out)


def bar_sweep(rows: pd.DataFrame) -> pd.DataFrame:
    """For each bar from 0.20 to 0.90 on the weighted score (0..1, the committee bar's own
    measure, comparable across openings): the share of past decided candidates at or above it,
    the past hires it would have stopped (below it) and the past no-hires it would have let
    through to the votes."""
    columns = ["bar", "candidates", "above", "above_share", "above_low", "above_high"]
    scored = rows.dropna(subset=["score"]) if not rows.empty else rows
    if scored.empty:
        return pd.DataFrame(columns=columns)
    n = len(scored)
    out = []
    for bar in BAR_STEPS:
        above = scored["score"] >= bar
        row = {"bar": bar, "candidates": n}
        row |= _share_columns("above", int(above.sum()), n)
        row["hires_stopped"] = int((~above & (scored["final"] == "hire")).sum())
        row["no_hires_above"] = int((above & (scored["final"] == "no_hire")).sum())
        row["provisional"] = n < MIN_DECISIONS
        out.append(row)
    return pd.DataFrame(out)


def opening_thresholds(rows: pd.DataFrame, openings: dict[int, Opening]) -> pd.DataFrame:
    """Per opening, each threshold it uses, against its own decided candidates:

    - the committee bar (advisory or binding): how many met it (weighted score at or above),
      and of those below it, on how many the committee's outcome differs from its votes alone
      (the decisions the bar changed: never for an advisory bar; blank where the votes are
      hidden from the viewer);
    - the veto (lowest overall point) and the greenlight (highest): how many panels had such a
      score, and on how many a vote with the powers decides otherwise than one without.

    Shares carry Wilson 95% intervals; provisional below `MIN_DECISIONS`."""
    out = []
    for opening_id, opening in sorted(openings.items()):
        group = rows[rows["opening_id"] == opening_id] if not rows.empty else pd.DataFrame()
        strategy = opening.strategy
        base = {"opening_id": opening_id, "opening": opening.title}
        if strategy.bar is not None:
            scored = group.dropna(subset=["score"]) if len(group) else group
            n = len(scored)
            meets = scored["score"] >= strategy.bar if n else pd.Series([], dtype=bool)
            below = scored[~meets] if n else scored
            known = below["bar_changed"].dropna() if n else pd.Series([], dtype=object)
            mode = getattr(strategy, "bar_mode", "binding")
            out.append(
                base
                | {
                    "threshold": f"Committee bar {strategy.bar:.2f} (weighted score, 0 to 1;"
                    f" {mode})"
                }
                | {"candidates": n}
                | _share_columns("meets", int(meets.sum()), n)
                | {
                    "changed": int(known.astype(bool).sum()) if len(known) else None,
                    "changed_of": len(known),
                    "provisional": n < MIN_DECISIONS,
                }
            )
        if strategy.kind == "vote" and (strategy.veto or strategy.greenlight):
            n = len(group)
            hits = pd.Series(False, index=group.index, dtype=bool)
            words = []
            if strategy.veto:
                hits |= group["vetoable"].astype(bool) if n else hits
                words.append(f"veto at {opening.scale.min}")
            if strategy.greenlight:
                hits |= group["greenlightable"].astype(bool) if n else hits
                words.append(f"greenlight at {opening.scale.max}")
            out.append(
                base
                | {"threshold": " and ".join(words).capitalize() + " (overall)", "candidates": n}
                | _share_columns("meets", int(hits.sum()), n)
                | {
                    "changed": int(group["powers_change"].sum()) if n else 0,
                    "changed_of": n,
                    "provisional": n < MIN_DECISIONS,
                }
            )
    return pd.DataFrame(out)


# -------------------------------------------------------------------------------- the service


def _rubrics(db, hashes: Iterable[str]) -> dict[str, Rubric]:
    return {h: rubric_snapshot(db, h) for h in set(hashes)}


def insight_openings(store: Store, actor: Person) -> list[Opening]:
    """The openings whose insights the actor may see (coordinators: all; hiring managers:
    their own)."""
    return list_openings(store, actor, "see_insights")


def may_see_own_calibration(store: Store, actor: Person) -> bool:
    """May the actor see how they score compared with their co-interviewers?"""
    with store.read() as db:
        return may(current(db, actor), "see_own_calibration", Organisation())


def may_see_score_figures(store: Store, actor: Person, opening_ids: Iterable[int]) -> bool:
    """Does the actor see figures worked out from scores for at least one of these openings
    (`see_score_figures`: the opening's hiring manager, never a coordinator as such)?"""
    with store.read() as db:
        actor = current(db, actor)
        return any(
            may(actor, "see_score_figures", opening_facts(db, int(o), actor)) for o in opening_ids
        )


# What one person may see of some openings is a pure function of the database and its history,
# and the history changes only through audited writes (scorecards, debriefs, decisions, votes,
# roles, outcomes: every service write appends to the hash-chained audit log). So the figures
# are kept under (file, newest audit entry, person, roles, openings): a rerun of the page, or
# another section of it, costs a few indexed reads, whatever the window holds, and the first
# view after any change works them out again. Each call still checks `see_insights` first.
def _kept(store: Store, db, actor: Person, what: tuple, work: Callable[[], Insights]) -> Insights:
    """The figures `work` gives for `what`, as this person may see them, kept until the history
    changes (`uncertainty.kept`: the newest audit entry's hash covers every entry before it, so a
    restored backup with as many entries is another version too)."""
    key = ("insights", str(store.path), actor.id, tuple(sorted(actor.roles)), actor.active, what)
    return uncertainty.kept(db, key, work)


def opening_insights(store: Store, actor: Person, opening_ids: list[int]) -> Insights:
    """Every figure for the given openings, as the actor may see them, over the latest `WINDOW`
    candidates whose debrief opened: NotAllowed unless they may see each opening's insights.
    Process figures (decisions and dates) count a candidate where `count_in_insights` allows
    (never where the actor still has an unsubmitted seat); score figures are worked out only
    for the openings whose `see_score_figures` the actor has (a coordinator: none), over the
    candidates `count_in_score_figures` allows (those whose scores the actor may read), with
    committee votes only where `see_votes` allows."""
    with store.read() as db:
        actor = current(db, actor)
        facts = {}
        for opening_id in opening_ids:
            facts[opening_id] = opening_facts(db, opening_id, actor)
            ensure(actor, "see_insights", facts[opening_id])
        scored = sorted({o for o, f in facts.items() if may(actor, "see_score_figures", f)})
        refused = [why_not(actor, "see_score_figures", f) for f in facts.values()]
        why = "" if scored or not refused else refused[0] or ""
        scope = f"opening:{','.join(map(str, opening_ids))}"
        if not opening_ids:
            return _figures(scope, *_nothing(), rubrics={}, panels=[], openings={}, scored=[])
        what = ("openings", *sorted(set(opening_ids)))
        return _kept(
            store, db, actor, what, lambda: _gather(db, actor, opening_ids, scored, why, scope)
        )


def _gather(
    db, actor: Person, opening_ids: list[int], scored: list[int], why: str, scope: str
) -> Insights:
    """The window, who counts in it for the actor (for process and for score figures), and the
    figures over them."""
    window = [
        r[0]
        for r in db.execute(
            "SELECT d.candidate_id FROM debriefs d JOIN candidates c ON c.id = d.candidate_id"
            f" WHERE c.opening_id IN {IDS} ORDER BY d.opened_at DESC, d.candidate_id DESC"
            " LIMIT ?",
            [json.dumps(sorted(set(opening_ids))), WINDOW + 1],
        )
    ]
    earlier = len(window) > WINDOW  # one more than the window: some are left out
    window = window[:WINDOW]
    facts = candidates_facts(db, window)
    refusals = {c: why_not(actor, "count_in_insights", f) for c, f in facts.items()}
    counted = sorted(c for c, why in refusals.items() if why is None)
    score_ids = [c for c in counted if may(actor, "count_in_score_figures", facts[c])]
    votes_seen = {c for c in score_ids if may(actor, "see_votes", facts[c])}
    withheld = [why for why in refusals.values() if why is not None]
    figures = _compute(db, opening_ids, scored, counted, score_ids, votes_seen, scope)
    return replace(
        figures,
        withheld=len(withheld),
        withheld_why=_why(withheld),
        earlier=earlier,
        scores_withheld_why=why,
    )


def _empty() -> tuple[pd.DataFrame, pd.DataFrame]:
    return pd.DataFrame(columns=_CARD_COLUMNS), pd.DataFrame(columns=_SCORE_COLUMNS)


def _nothing() -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """No submissions, no decided candidate, no scorecard, no score."""
    return pd.DataFrame(columns=_SUBMISSION_COLUMNS), pd.DataFrame(columns=DECIDED), *_empty()


def _compute(db, opening_ids, scored, counted, score_ids, votes_seen, scope) -> Insights:
    """The process figures over `counted` from dates and decisions alone; the score figures
    over `score_ids` only (none read at all when there are none)."""
    dated = submissions(db, counted)
    decisions = {c: made for c, made in decision_records(db, counted).items() if made}
    openings = {o: _opening(db, o) for o in sorted(set(opening_ids))}
    decided = _decided(dated, decisions, openings)
    seats, seat_scores = (
        seat_scorecards(db, f"c.id IN {IDS}", [json.dumps(score_ids)]) if score_ids else _empty()
    )
    rubrics = _rubrics(db, set(seat_scores["rubric_hash"]) | set(seats["rubric_hash"]))
    seats = with_rubric_id(seats, rubrics)
    # The decisions were made on the panel as it stood: the decision process and the what-if
    # read the latest scorecards; agreement, scales and calibration the independent ones.
    cards, scores = latest_of(seats, seat_scores)
    judged = {c: decisions[c] for c in score_ids if c in decisions}
    panels = _panels(db, judged, votes_seen, cards, scores, rubrics, openings)
    return _figures(
        scope,
        dated,
        decided,
        seats,
        seat_scores,
        rubrics=rubrics,
        panels=panels,
        openings=openings,
        scored=scored,
    )


def with_rubric_id(cards: pd.DataFrame, rubrics: dict[str, Rubric]) -> pd.DataFrame:
    """The scorecards with the id of the rubric each was written on (`rubric_id`: the session
    type, the same across versions of one rubric)."""
    ids = {h: r.id for h, r in rubrics.items()}
    return cards.assign(rubric_id=[ids.get(h) for h in cards["rubric_hash"]])


DECIDED = ["candidate_id", "opening_id", "opening", "strategy", "final", "days"]


def _decided(dated: pd.DataFrame, decisions: dict, openings: dict[int, Opening]) -> pd.DataFrame:
    """One row per decided candidate with a scorecard in, from dates and decisions alone: the
    opening, its strategy, the decision in force and the days from the end of the last scored
    session to the first decision."""
    if dated.empty or not decisions:
        return pd.DataFrame(columns=DECIDED)
    ended = dated.groupby("candidate_id")["ends_at"].max()
    opening_of = dated.groupby("candidate_id")["opening_id"].first()
    rows = []
    for candidate_id, made in sorted(decisions.items()):
        if candidate_id not in ended.index:
            continue
        opening = openings[int(opening_of[candidate_id])]
        days = (made[0].decided_at - parse_stamp(ended[candidate_id])).total_seconds() / 86400
        rows.append(
            {
                "candidate_id": candidate_id,
                "opening_id": opening.id,
                "opening": opening.title,
                "strategy": opening.strategy.kind,
                "final": made[-1].outcome,
                "days": days,
            }
        )
    return pd.DataFrame(rows, columns=DECIDED)


def _panels(db, decisions, votes_seen, cards, scores, rubrics, openings) -> list[Panel]:
    """The candidates of `decisions` (decided, their scores counted for the viewer) as engine
    input: a few set-based queries."""
    if not decisions:
        return []
    decided_json = json.dumps(sorted(decisions))
    frozen = {
        r[0]: (json.loads(r[1]), r[2])
        for r in db.execute(
            "SELECT d.candidate_id, d.frozen_result, c.opening_id FROM debriefs d"
            f" JOIN candidates c ON c.id = d.candidate_id WHERE d.candidate_id IN {IDS}",
            [decided_json],
        )
    }
    votes: dict[int, list[CommitteeVote]] = {c: [] for c in votes_seen}
    for r in db.execute(
        "SELECT candidate_id, member_id, vote FROM committee_votes WHERE id IN"
        " (SELECT MAX(id) FROM committee_votes"
        f" WHERE candidate_id IN {IDS} GROUP BY candidate_id, member_id)",
        [json.dumps(sorted(set(votes_seen) & set(decisions)))],
    ):
        votes[r[0]].append(CommitteeVote(member=f"member #{r[1]}", vote=r[2]))
    criteria: dict[int, list[dict]] = {}
    weights = {
        (h, c.id): (c.scale.min, c.scale.max, c.weight)
        for h, r in rubrics.items()
        for c in r.criteria
    }
    for sid, rubric_hash, cid, score in zip(
        scores["scorecard_id"],
        scores["rubric_hash"],
        scores["criterion_id"],
        scores["score"],
        strict=True,
    ):
        if (rubric_hash, cid) not in weights:
            continue
        low, high, weight = weights[rubric_hash, cid]
        criteria.setdefault(int(sid), []).append(
            {
                "id": cid,
                "score": None if score != score else int(score),
                "min": low,
                "max": high,
                "weight": weight,
            }
        )
    panels = []
    decided_cards = cards[cards["candidate_id"].isin(list(decisions))]
    for candidate_id, group in decided_cards.groupby("candidate_id", sort=True):
        candidate_id = int(candidate_id)
        made = decisions[candidate_id]
        result, opening_id = frozen[candidate_id]
        panels.append(
            Panel(
                candidate_id=candidate_id,
                opening=openings[opening_id],
                cards=tuple(
                    ScorecardIn(
                        interviewer=f"seat {sid}",
                        overall=int(overall),
                        criteria=criteria.get(int(sid), []),
                    )
                    for sid, overall in zip(group["scorecard_id"], group["overall"], strict=True)
                ),
                frozen=result,
                first=made[0].outcome,
                final=made[-1].outcome,
                engine_at_decision=made[-1].engine_result,
                decided_at=made[0].decided_at,
                interviewed_at=parse_stamp(max(group["ends_at"])),
                votes=tuple(votes[candidate_id]) if candidate_id in votes else None,
            )
        )
    return panels


def own_calibration(store: Store, actor: Person) -> Insights:
    """How the actor scores compared with their co-interviewers, over the latest `WINDOW`
    candidates they interviewed whose other scorecards they may see (`see_scores`): their own
    row only; kept like `opening_insights`'s figures."""
    with store.read() as db:
        actor = current(db, actor)
        ensure(actor, "see_own_calibration", Organisation())
        return _kept(store, db, actor, ("own",), lambda: _own(db, actor))


def _own(db, actor: Person) -> Insights:
    recent = [
        r[0]
        for r in db.execute(
            "SELECT i.candidate_id FROM assignments a"
            " JOIN interview_sessions i ON i.id = a.session_id"
            " WHERE a.interviewer_id = ? AND a.recused_at IS NULL"
            " GROUP BY i.candidate_id ORDER BY MAX(i.ends_at) DESC LIMIT ?",
            [actor.id, WINDOW],
        )
    ]
    facts = candidates_facts(db, recent)
    refusals = {c: why_not(actor, "see_scores", f) for c, f in facts.items()}
    counted = sorted(c for c, why in refusals.items() if why is None)
    seats, _ = seat_scorecards(db, f"c.id IN {IDS}", [json.dumps(counted)])
    seats = with_rubric_id(seats, _rubrics(db, set(seats["rubric_hash"])))
    cards = seats[seats["independent"]]  # as on the opening's figures: independent judgements
    withheld = [why for why in refusals.values() if why is not None]
    moves = after_reveal.seat_moves(seats)
    table = _calibration(cards, moves)
    table = table[table["interviewer_id"] == actor.id].reset_index(drop=True)
    empty = pd.DataFrame()
    return Insights(
        scope=f"person:{actor.id}",
        candidates=len(set(cards["candidate_id"])),
        withheld=len(withheld),
        withheld_why=_why(withheld),
        counted_ids=frozenset(int(c) for c in cards["candidate_id"]),
        reliability=empty,
        point_use=empty,
        criterion_use=empty,
        overall_points=empty,
        overall_summary={},
        calibration=table,
        after_only=int(moves[moves["interviewer_id"] == actor.id]["after_only"].sum()),
        own=True,
    )


def _why(refusals: list[str]) -> str:
    """The commonest reason candidates were left out, for the page to say."""
    if not refusals:
        return ""
    return pd.Series(refusals).value_counts().index[0]


def _figures(
    scope, dated, decided, seats, seat_scores, *, rubrics, panels, openings, scored
) -> Insights:
    """Every table: the process ones from `dated` and `decided`, the score ones from `seats`
    and `seat_scores` (`seat_scorecards`: agreement, scales and calibration on the independent
    judgements, the corrections after the reveal from both) and `panels` (empty for a viewer
    without score figures: `scored` is the openings whose score figures they may see)."""
    rows = _process_rows(panels)
    process_rows = decided
    if scored and not decided.empty:
        # the panel's columns for the candidates whose scores count; blank for the others
        panel = pd.DataFrame(
            rows[["candidate_id", *PANEL_COLUMNS]] if len(rows) else None,
            columns=["candidate_id", *PANEL_COLUMNS],
        )
        process_rows = decided.merge(panel, on="candidate_id", how="left")
    cards, scores = independent_of(seats, seat_scores)
    moves = after_reveal.seat_moves(seats)
    points, summary = overall_use(cards)
    titles = {o: opening.title for o, opening in openings.items()}
    return Insights(
        scope=scope,
        candidates=int(dated["candidate_id"].nunique()),
        withheld=0,
        withheld_why="",
        counted_ids=frozenset(int(c) for c in dated["candidate_id"]),
        reliability=reliability(scores, rubrics),
        point_use=point_use(scores, rubrics),
        criterion_use=criterion_use(scores, rubrics),
        overall_points=points,
        overall_summary=summary if scored else {},
        calibration=_calibration(cards, moves),
        process=decision_process(process_rows),
        what_if=what_if(rows),
        bar_sweep=bar_sweep(rows),
        thresholds=opening_thresholds(rows, {o: openings[o] for o in scored}),
        submission=submission(dated, titles),
        corrections=after_reveal.correction_summary(moves, titles),
        after_only=int(moves["after_only"].astype(bool).sum()),
        decided=len(decided),
        score_figures=bool(scored),
        score_ids=frozenset(int(c) for c in seats["candidate_id"]),
    )


def _calibration(cards: pd.DataFrame, moves: pd.DataFrame) -> pd.DataFrame:
    """`calibration` of the independent scorecards, each interviewer's corrections after the
    reveal beside it, and no leniency interval below `MIN_INTERVAL_UNITS` shared candidates."""
    table = after_reveal.with_corrections(calibration(cards), moves)
    return without_thin_intervals(table, "shared")


def headlines(store: Store, actor: Person, opening_ids: list[int]) -> dict[str, str]:
    """Every section's opening sentence (`headline`) for these openings, as the actor may see
    them: NotAllowed as `opening_insights`."""
    view = opening_insights(store, actor, opening_ids)
    predictors, later = outcomes.outcome_rows(store, actor, opening_ids)
    hires = {
        "correlations": outcomes.outcome_correlations(predictors, later),
        "retention": outcomes.retention(later),
    }
    return {section: headline(view, section, **hires) for section in SECTIONS}


def own_headline(store: Store, actor: Person) -> str:
    """The sentence that opens how the actor scores compared with their co-interviewers
    (`headline` of `own_calibration`)."""
    return headline(own_calibration(store, actor), "calibration")


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
    many hires still work here (`scoring.outcomes`)."""
    view = opening_insights(store, actor, opening_ids)
    predictors, later = outcomes.outcome_rows(store, actor, opening_ids)
    return document(
        view,
        {
            "hire_correlations": outcomes.outcome_correlations(predictors, later),
            "hire_retention": outcomes.retention(later),
        },
    ) | {"hire_caveat": outcomes.CAVEAT}
