"""Corrections after the reveal: the scorecards corrected once their author could see the other
interviewers' scores, counted apart from the independent judgements.

Agreement that discussion produced is not reliability. So agreement, the scale use and
calibration read each seat's latest scorecard written *without* seeing others (`saw_others`
0: `scoring.insights.frames.seat_scorecards`), and a seat whose every revision came after the reveal
is left out of them. What the corrections did is this module's: how many seats were corrected
after the reveal (of how many), and which way each moved:

- **toward or away from the panel**: the distance of its overall recommendation (as a share
  of the scale) from the mean of the other interviewers' independent overalls on the same
  candidate, before (its latest independent revision) and after (its latest revision);
- **up or down**: the overall recommendation after against before.

Pure functions over pandas frames; the page shows them only to those who see score figures
(`see_score_figures`), as every table worked out from scores.
"""

from __future__ import annotations

import math

import pandas as pd

from scoring.insights.limits import (
    MIN_SCORES_DISTRIBUTION,
    has_interval,
    no_interval,
    share_interval,
)

TOLERANCE = 1e-9  # distances are shares of a scale: equal within rounding is the same distance

MOVE_COLUMNS = [
    "assignment_id",
    "candidate_id",
    "opening_id",
    "interviewer_id",
    "interviewer",
    "before",
    "after",
    "corrected",
    "after_only",
    "direction",
    "panel",
]

SUMMARY_COLUMNS = [
    "opening_id",
    "opening",
    "scorecards",
    "corrected",
    "corrected_share",
    "corrected_low",
    "corrected_high",
    "toward",
    "away",
    "same_distance",
    "no_panel",
    "up",
    "down",
    "unchanged",
    "after_only",
    "provisional",
]

INTERVIEWER_COLUMNS = [
    "interviewer_id",
    "corrections",
    "corrected_toward",
    "corrected_away",
    "corrected_up",
    "corrected_down",
    "after_only",
]


def seat_moves(seats: pd.DataFrame) -> pd.DataFrame:
    """One row per seat with a scorecard in `seats` (one row per seat's latest scorecard and
    per its latest independent one, flagged `latest` and `independent`, with assignment_id,
    candidate_id, opening_id, interviewer_id, interviewer, overall, scale_min, scale_max and
    corrections, the revisions made after the reveal): the overall before (latest independent;
    blank when every revision came after the reveal: `after_only`) and after (latest), whether
    it was `corrected` after the reveal, its `direction` (up, down, unchanged) and whether it
    moved toward the rest of the panel, away, kept the same distance, or had no panel to
    compare with (`no panel`: nobody else's independent overall on the candidate)."""
    if seats.empty:
        return pd.DataFrame(columns=MOVE_COLUMNS)
    latest = seats[seats["latest"].astype(bool)].set_index("assignment_id")
    independent = seats[seats["independent"].astype(bool)].set_index("assignment_id")
    span = (latest["scale_max"] - latest["scale_min"]).astype(float)
    moves = latest[["candidate_id", "opening_id", "interviewer_id", "interviewer"]].copy()
    moves["after"] = latest["overall"].astype(float)
    moves["before"] = independent["overall"].reindex(latest.index).astype(float)
    moves["after_only"] = moves["before"].isna()
    moves["corrected"] = (latest["corrections"].fillna(0) > 0) & ~moves["after_only"]
    after = (moves["after"] - latest["scale_min"]) / span
    before = (moves["before"] - latest["scale_min"]) / span
    moves["reference"] = _others_mean(moves.assign(normalised=before))
    far_before = (before - moves["reference"]).abs()
    far_after = (after - moves["reference"]).abs()
    moves["direction"] = [
        "up" if a > b else "down" if a < b else "unchanged"
        for a, b in zip(moves["after"], moves["before"], strict=True)
    ]
    moves["panel"] = [
        "no panel"
        if r != r
        else "toward"
        if fa < fb - TOLERANCE
        else "away"
        if fa > fb + TOLERANCE
        else "same distance"
        for r, fb, fa in zip(moves["reference"], far_before, far_after, strict=True)
    ]
    return moves.reset_index()[MOVE_COLUMNS]


def _others_mean(moves: pd.DataFrame) -> pd.Series:
    """Per seat: the mean of the other interviewers' independent overalls (normalised, each
    interviewer's mean once) on the same candidate; NaN when there is none."""
    known = moves.dropna(subset=["normalised"])
    per = known.groupby(["candidate_id", "interviewer_id"])["normalised"].mean()
    totals = per.groupby(level="candidate_id").agg(["sum", "count"])
    # each seat's own mean, looked up for all seats at once (not one MultiIndex lookup a row)
    keys = pd.MultiIndex.from_arrays([moves["candidate_id"], moves["interviewer_id"]])
    own = pd.Series(
        per.reindex(keys).to_numpy(dtype=float) if len(per) else math.nan,
        index=moves.index,
        dtype=float,
    )
    total = totals.reindex(moves["candidate_id"]).set_axis(moves.index)
    others = total["count"].fillna(0) - own.notna()
    value = (total["sum"].fillna(0) - own.fillna(0)) / others.where(others > 0)
    return value


def _summary_row(opening_id, opening: str, moves: pd.DataFrame) -> dict:
    n = len(moves)
    corrected = moves[moves["corrected"].astype(bool)]
    k = len(corrected)
    low, high = share_interval(k, n)
    panel, direction = corrected["panel"], corrected["direction"]
    return {
        "opening_id": opening_id,
        "opening": opening,
        "scorecards": n,
        "corrected": k,
        "corrected_share": k / n if n else math.nan,
        "corrected_low": low,
        "corrected_high": high,
        "toward": int((panel == "toward").sum()),
        "away": int((panel == "away").sum()),
        "same_distance": int((panel == "same distance").sum()),
        "no_panel": int((panel == "no panel").sum()),
        "up": int((direction == "up").sum()),
        "down": int((direction == "down").sum()),
        "unchanged": int((direction == "unchanged").sum()),
        "after_only": int(moves["after_only"].astype(bool).sum()),
        "provisional": n < MIN_SCORES_DISTRIBUTION,
    }


def correction_summary(moves: pd.DataFrame, titles: dict[int, str]) -> pd.DataFrame:
    """Per opening (and, with more than one, a last row for them all: `opening_id` blank), over
    the seats of `seat_moves`: the scorecards, how many were corrected after the reveal with
    the share and its Wilson 95% interval (none below `MIN_INTERVAL_UNITS` scorecards), how
    many of those moved toward the rest of the panel, away, kept the same distance or had no
    panel to compare with, how many went up, down or kept their overall, and how many seats
    were first written after the reveal (`after_only`: left out of the independent figures).
    Provisional below `MIN_SCORES_DISTRIBUTION` scorecards."""
    if moves.empty:
        return pd.DataFrame(columns=SUMMARY_COLUMNS)
    rows = [
        _summary_row(int(opening_id), titles.get(int(opening_id), ""), group)
        for opening_id, group in moves.groupby("opening_id", sort=True)
    ]
    if len(rows) > 1:
        rows.append(_summary_row(None, "All these openings", moves))
    return pd.DataFrame(rows, columns=SUMMARY_COLUMNS)


def by_interviewer(moves: pd.DataFrame) -> pd.DataFrame:
    """Per interviewer: seats corrected after the reveal, how many of them toward the rest of
    the panel, away, up and down, and seats first written after the reveal."""
    if moves.empty:
        return pd.DataFrame(columns=INTERVIEWER_COLUMNS)
    rows = []
    for person_id, group in moves.groupby("interviewer_id", sort=True):
        corrected = group[group["corrected"].astype(bool)]
        rows.append(
            {
                "interviewer_id": int(person_id),
                "corrections": len(corrected),
                "corrected_toward": int((corrected["panel"] == "toward").sum()),
                "corrected_away": int((corrected["panel"] == "away").sum()),
                "corrected_up": int((corrected["direction"] == "up").sum()),
                "corrected_down": int((corrected["direction"] == "down").sum()),
                "after_only": int(group["after_only"].astype(bool).sum()),
            }
        )
    return pd.DataFrame(rows, columns=INTERVIEWER_COLUMNS)


def with_corrections(calibration: pd.DataFrame, moves: pd.DataFrame) -> pd.DataFrame:
    """The calibration table with each interviewer's corrections after the reveal from
    `by_interviewer` (its `corrections` column replaced: seats corrected, not revisions);
    the leniency and every other column as they were."""
    if calibration.empty:
        return calibration
    people = by_interviewer(moves).drop(columns="after_only").set_index("interviewer_id")
    table = calibration.drop(columns=[c for c in people.columns if c in calibration])
    table = table.join(people, on="interviewer_id")
    for column in people.columns:
        table[column] = table[column].fillna(0).astype(int)
    return table


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def sentence(summary: pd.DataFrame) -> str:
    """The plain sentence on corrections after the reveal, from `correction_summary` (its last
    row: every opening): "7 of 120 scorecards were corrected after their authors saw the
    others' scores; 6 moved toward the rest of the panel and 1 away.", with the scorecards
    first written after the reveal, left out of agreement, scales and calibration."""
    if summary.empty or not int(summary["scorecards"].iloc[-1]):
        return "No scorecard counts here yet, so there is no correction to count."
    total = summary.iloc[-1]
    n, k = int(total["scorecards"]), int(total["corrected"])
    if k == 0:
        words = (
            f"None of the {n} scorecards was corrected after its author saw the others' scores"
            if n > 1
            else "The one scorecard was not corrected after its author saw the others' scores"
        )
    else:
        was = "was" if k == 1 else "were"
        words = f"{k} of {_count(n, 'scorecard', 'scorecards')} {was} corrected after"
        words += " its author saw" if k == 1 else " their authors saw"
        words += " the others' scores"
        toward, away = int(total["toward"]), int(total["away"])
        ways = [
            f"{toward} moved toward the rest of the panel" if toward else "",
            f"{away} moved away from {'it' if toward else 'the rest of the panel'}" if away else "",
            f"{int(total['same_distance'])} kept the same distance from it"
            if int(total["same_distance"])
            else "",
            f"{int(total['no_panel'])} had no other score to compare with"
            if int(total["no_panel"])
            else "",
        ]
        ways = [w for w in ways if w]
        words += "; " + (ways[0] if len(ways) == 1 else ", ".join(ways[:-1]) + " and " + ways[-1])
        up, down = int(total["up"]), int(total["down"])
        words += f" (overall recommendation: {up} up, {down} down)"
    after_only = int(total["after_only"])
    if after_only:
        words += (
            f". {_count(after_only, 'more scorecard was', 'more scorecards were')} first"
            " written after seeing the others' scores and"
            f" {'is' if after_only == 1 else 'are'} left out of agreement, scales and"
            " calibration"
        )
    return words + "."


def no_share_interval(n: int) -> str:
    """Why the share of corrected scorecards has no interval, or "" when it has one."""
    return "" if has_interval(n) else no_interval(n, "scorecard", "scorecards")
