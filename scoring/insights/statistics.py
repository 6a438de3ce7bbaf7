"""The statistics the Insights figures and the figures after the hire share: Krippendorff's
alpha at the interval level with its bootstrap and chance intervals, the shrunk leniency
estimate, and Pearson's r with Fisher's interval. Pure functions of numbers, below both the
Insights service and `scoring.insights.outcomes`, so neither imports the other for them.
Wilson's interval for a share and the minimum n behind every interval are in
`scoring.insights.limits`."""

from __future__ import annotations

import math
from collections.abc import Iterable
from statistics import NormalDist

import krippendorff
import numpy as np
import pandas as pd

from scoring.insights.limits import LENIENCY_PRIOR_SD, RESAMPLES, SEED, Z95, has_interval

MIN_CORRELATION_N = 4  # Fisher's interval needs n - 3 > 0 and one more to mean anything
# Fisher's interval has always used this quantile (the same 1.96, to the last bit of a float it
# differs from limits.Z95); kept so the figures after the hire do not move.
FISHER_Z95 = NormalDist().inv_cdf(0.975)


def alpha_interval(units: Iterable[Iterable[float]]) -> float:
    """Krippendorff's alpha at the interval level for `units`, each the scores its raters gave
    (any number of raters; units with fewer than two scores are not pairable and are ignored).
    NaN when there is nothing to compare (no pairable unit, or every score the same)."""
    units = [[float(v) for v in u if v is not None and v == v] for u in units]
    units = [u for u in units if len(u) >= 2]
    if not units or len({v for u in units for v in u}) < 2:
        return math.nan
    width = max(len(u) for u in units)
    matrix = np.full((width, len(units)), np.nan)
    for j, unit in enumerate(units):
        matrix[: len(unit), j] = unit  # alpha only pairs values within a unit: slots are free
    return float(krippendorff.alpha(reliability_data=matrix, level_of_measurement="interval"))


def _unit_stats(units: list[np.ndarray]) -> np.ndarray:
    """Per pairable unit: m, the sum, the sum of squares and the within-unit disagreement
    sum_{i != j} (v_i - v_j)^2 / (m - 1). Interval alpha is a ratio of sums of these, so a
    resample of units is a weighted sum (no loop per resample)."""
    rows = []
    for u in units:
        m, s1, s2 = len(u), float(u.sum()), float((u * u).sum())
        rows.append((m, s1, s2, 2 * (m * s2 - s1 * s1) / (m - 1)))
    return np.array(rows, dtype=float).reshape(-1, 4)


def _alpha_from_sums(sums: np.ndarray) -> np.ndarray:
    """Interval alpha from summed unit statistics (last axis: n, sum, sum of squares, within):
    1 - (n - 1) * within / sum_{c != k} (v_c - v_k)^2."""
    n, s1, s2, within = (sums[..., i] for i in range(4))
    expected = 2 * (n * s2 - s1 * s1)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(expected > 1e-12, 1 - (n - 1) * within / expected, np.nan)


def bootstrap_alpha(
    groups: list[list[np.ndarray]], resamples: int = RESAMPLES, seed: int = SEED
) -> tuple[float, float]:
    """A 95% percentile interval for interval alpha, resampling `groups` (a candidate's pairable
    units: they are not independent of each other) with replacement. (nan, nan) below
    `MIN_INTERVAL_UNITS` groups: two candidates resampled give three possible figures."""
    if not has_interval(len(groups)):
        return math.nan, math.nan
    per_group = np.array([_unit_stats(g).sum(axis=0) for g in groups])
    rng = np.random.default_rng(seed)
    counts = rng.multinomial(len(groups), np.full(len(groups), 1 / len(groups)), size=resamples)
    alphas = _alpha_from_sums(counts @ per_group)
    alphas = alphas[~np.isnan(alphas)]
    if alphas.size == 0:
        return math.nan, math.nan
    low, high = np.percentile(alphas, [2.5, 97.5])
    return float(low), float(high)


def chance_range(
    units: list[np.ndarray], resamples: int = RESAMPLES, seed: int = SEED
) -> tuple[float, float]:
    """The middle 95% of alpha when the same scores are shuffled across the same units (raters
    agreeing only by chance): centred on 0 by construction, as wide as the n allows."""
    if len(units) < 2:
        return math.nan, math.nan
    sizes = np.array([len(u) for u in units])
    values = np.concatenate(units).astype(float)
    rng = np.random.default_rng(seed)
    shuffled = rng.permuted(np.tile(values, (resamples, 1)), axis=1)
    starts = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    s1 = np.add.reduceat(shuffled, starts, axis=1)
    s2 = np.add.reduceat(shuffled * shuffled, starts, axis=1)
    within = (2 * (sizes * s2 - s1 * s1) / (sizes - 1)).sum(axis=1)
    total = np.stack(
        [
            np.full(resamples, sizes.sum(), dtype=float),
            shuffled.sum(axis=1),
            (shuffled * shuffled).sum(axis=1),
            within,
        ],
        axis=-1,
    )
    alphas = _alpha_from_sums(total)
    alphas = alphas[~np.isnan(alphas)]
    if alphas.size == 0:
        return math.nan, math.nan
    low, high = np.percentile(alphas, [2.5, 97.5])
    return float(low), float(high)


def shrink(
    mean: float, n: int, offset_sd: float, prior_sd: float = LENIENCY_PRIOR_SD
) -> tuple[float, float, float]:
    """A leniency estimate from `n` offsets averaging `mean`, shrunk toward 0: the posterior of a
    normal prior N(0, prior_sd^2) with offsets N(leniency, offset_sd^2). Returns (estimate, low,
    high), a 95% interval. One candidate moves it little; many move it close to `mean`."""
    if n == 0:
        return 0.0, -Z95 * prior_sd, Z95 * prior_sd
    precision = n / offset_sd**2 + 1 / prior_sd**2
    estimate = (n / offset_sd**2) * mean / precision
    half = Z95 / math.sqrt(precision)
    return estimate, estimate - half, estimate + half


def fisher_interval(r: float, n: int) -> tuple[float, float]:
    """A 95% interval for a Pearson correlation `r` from `n` pairs by Fisher's z:
    tanh(atanh(r) +- 1.96 / sqrt(n - 3)). (nan, nan) when n < `MIN_CORRELATION_N` or r is nan."""
    if n < MIN_CORRELATION_N or r != r:
        return math.nan, math.nan
    if abs(r) >= 1:
        return float(r), float(r)
    z, half = math.atanh(r), FISHER_Z95 / math.sqrt(n - 3)
    return math.tanh(z - half), math.tanh(z + half)


def pearson(x: pd.Series, y: pd.Series) -> float:
    """Pearson's r of two equally long series; nan when fewer than two pairs or either series
    does not vary."""
    x, y = pd.Series(x, dtype="float64"), pd.Series(y, dtype="float64")
    if len(x) < 2 or x.nunique() < 2 or y.nunique() < 2:
        return math.nan
    dx, dy = x - x.mean(), y - y.mean()
    return float((dx * dy).sum() / math.sqrt((dx * dx).sum() * (dy * dy).sum()))
