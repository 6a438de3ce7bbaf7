"""The limits every Insights figure keeps: the minimum n below which a figure is provisional
(shown, but no advice read from it), and the rule that no interval is given on fewer than
`MIN_INTERVAL_UNITS` independent units (paired candidates for alpha, shared candidates for
leniency, the n of a share, hires for a correlation): a bootstrap over two candidates, or
Wilson's interval on one, is a number without meaning. Where a figure has no interval, the
words say why (`no_interval`)."""

from __future__ import annotations

import math

import pandas as pd

# Below these a figure is shown but marked provisional, and no section's headline gives advice
# on it (rewrite a criterion's anchors, call someone lenient or harsh, read a threshold): the
# headline says how many there are of how many needed instead (`headline`).
MIN_CANDIDATES_RELIABILITY = 20  # paired candidates behind a criterion's alpha
MIN_SCORES_DISTRIBUTION = 30  # scores behind a distribution
MIN_CANDIDATES_CALIBRATION = 10  # shared candidates behind an interviewer's leniency
MIN_DECISIONS = 20  # decided candidates behind a decision-process or threshold figure
MIN_HIRES = 20  # hires behind a correlation with later ratings or a retention share
WINDOW = 1000  # the latest candidates whose debrief opened: figures describe current practice
RELIABLE_ALPHA = 0.67  # Krippendorff's lowest alpha for tentative conclusions (0.667)
RESAMPLES = 1000
SEED = 16  # every interval is reproducible: the same history gives the same figures
# Leniency: a normal prior centred on 0 (nobody is assumed lenient) with this spread, as a share
# of the overall scale, and the spread of one candidate's offset when the data cannot say.
LENIENCY_PRIOR_SD = 0.10  # the same prior as scoring.leniency.PRIOR_SD (the calibration figure)
DEFAULT_OFFSET_SD = 0.25
Z95 = 1.959963984540054
BAR_STEPS = tuple(round(0.05 * i, 2) for i in range(4, 19))  # 0.20 .. 0.90 (the bar sweep)
# Fewer independent units than this give no interval at all: two candidates resampled give
# three possible figures, and Wilson's interval on one answer spans most of 0..1.
MIN_INTERVAL_UNITS = 3


def has_interval(n: int) -> bool:
    """Whether `n` independent units are enough for an interval (`MIN_INTERVAL_UNITS`)."""
    return n >= MIN_INTERVAL_UNITS


def no_interval(n: int, one: str, many: str) -> str:
    """Why a figure has no interval, in words: "No interval: 2 paired candidates; 3 are
    needed." (`one`, `many`: the unit's name in the singular and the plural)."""
    unit = one if n == 1 else many
    return f"No interval: {n} {unit}; {MIN_INTERVAL_UNITS} are needed."


def share_interval(k: int, n: int) -> tuple[float, float]:
    """Wilson's 95% interval for a share k of n; (nan, nan) below `MIN_INTERVAL_UNITS` (on one
    or two answers the interval spans most of 0..1 and says nothing)."""
    if not has_interval(n):
        return math.nan, math.nan
    p = k / n
    centre = (p + Z95**2 / (2 * n)) / (1 + Z95**2 / n)
    half = Z95 * math.sqrt(p * (1 - p) / n + Z95**2 / (4 * n * n)) / (1 + Z95**2 / n)
    return max(0.0, centre - half), min(1.0, centre + half)


def without_thin_intervals(
    frame: pd.DataFrame, n_column: str, low: str = "low", high: str = "high"
) -> pd.DataFrame:
    """`frame` with its interval (`low`, `high`) blanked on every row whose `n_column` is below
    `MIN_INTERVAL_UNITS`; the estimate itself is kept."""
    if frame.empty or n_column not in frame:
        return frame
    thin = frame[n_column].fillna(0) < MIN_INTERVAL_UNITS
    if not thin.any():
        return frame
    frame = frame.copy()
    frame.loc[thin, [low, high]] = math.nan
    return frame


def no_interval_note(
    frame: pd.DataFrame, n_column: str, name_column: str, one: str, many: str
) -> str:
    """One sentence naming the rows of `frame` that have no interval because their n
    (`n_column`) is below `MIN_INTERVAL_UNITS`: "No interval for Legible code and Efficiency:
    2 paired candidates each; 3 are needed."; "" when every row has one. Names are people's
    and rubrics' words: render the sentence as plain text."""
    if frame is None or frame.empty or n_column not in frame:
        return ""
    thin = frame[frame[n_column].fillna(0) < MIN_INTERVAL_UNITS]
    if thin.empty:
        return ""
    names = [str(v) for v in dict.fromkeys(thin[name_column])]
    listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
    counts = sorted({int(n) for n in thin[n_column].fillna(0)})
    if len(counts) == 1:
        n = counts[0]
        said = f"{n} {one if n == 1 else many}" + (" each" if len(names) > 1 else "")
    else:
        said = f"{', '.join(map(str, counts[:-1]))} or {counts[-1]} {many}"
    return f"No interval for {listed}: {said}; {MIN_INTERVAL_UNITS} are needed."
