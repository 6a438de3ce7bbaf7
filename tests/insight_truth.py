"""A history of interviews drawn from *known* parameters, for the truth test of the Insights
figures (issue 16): does the page recover what we put in, within the intervals it prints?

The model, one opening with the "Business-stakeholder meeting" rubric (four criteria on 1..4)
and an overall recommendation on 0..5:

- Each candidate has a true level on every criterion, standard normal and correlated across
  criteria through a general ability (`Parameters.ability_share`); their quality, the
  standardised mean of those levels, drives the overall recommendation.
- A candidate has one session, a second one with other interviewers for `second_session_share`
  of them; a session is scored by two interviewers, three for `three_share`. Interviewers come
  from a pool, uniformly and without repeating a person on the same candidate.
- Interviewer r on candidate c scores a criterion k as
  ``clip(round(mid + level_sd * level[c, k] + carry * lean[r] * 3/5 + noise_k), 1, 4)`` and the
  overall as ``clip(round(overall_mid + overall_sd * quality[c] + lean[r] + overall_noise),
  0, 5)``: `lean` is the interviewer's leniency in overall points, carried over at
  `leniency_carry` strength (as the same share of the scale) to their criterion scores; each
  criterion has its own rater noise (`Parameters.noise`), so its own reliability. A criterion
  score is "not assessed" (NaN) at random for `not_assessed` of them.
- A candidate is hired when their mean overall reaches `hire_bar`. Twelve months later a hire
  is rated ``clip(round(3 + performance_slope * level[c, predictive] + performance_noise),
  1, 5)``: only one criterion (`predictive`) says anything about later performance, beyond
  what it shares with the others through general ability.

Issue 23 adds session types and specialised interviewers (`SPECIALISED`): each session has a
type (a rubric) with its own difficulty, an additive offset on the overall (`session_types`);
with `home` set, every interviewer has a home type and each of their seats is of that type with
probability `home_share` (another type otherwise), a candidate gets `loop_seats` seats (one more
for `extra_seat_share` of them) and two interviewers of the same type on one candidate share a
session. Without `home` (the default) assignment is the random one above, with one type.

`History.draw(seed)` gives the frames exactly as `scoring.insights.frames.seat_scorecards` and
`scoring.insights.outcomes.outcome_rows` give them; `truths(parameters)` the values the figures
estimate, each the population value of its estimator under these parameters (see there why a
large simulation and not a formula).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import pandas as pd

from scoring import insights, leniency
from scoring.insights import frames, statistics
from scoring.rubric import Rubric, load_catalog

ROOT = Path(__file__).resolve().parent.parent
RUBRIC_ID = "stakeholders"
RUBRIC_HASH = "truth-test:stakeholders"  # stands in for a snapshot hash: `rubrics()` maps it
OPENING_ID = 1
MONTHS = 12
START = datetime(2026, 1, 5, 9, tzinfo=UTC)
TRUTH_CANDIDATES = 200_000  # the "population" behind every truth (see `truths`)
TRUTH_SEED = 20260116

PRECISE = "explains-to-non-specialists"
NOISY = "collaboration-and-professionalism"
PREDICTIVE = "business-context"


@dataclass(frozen=True)
class Parameters:
    """The known parameters of a history (every default is what the truth test uses)."""

    candidates: int = 100
    # Rater noise SD per criterion, in points of its 1..4 scale: one precise, one noisy.
    noise: tuple[tuple[str, float], ...] = (
        (PRECISE, 0.3),
        ("clarifies-stakeholder-needs", 0.45),
        (PREDICTIVE, 0.6),
        (NOISY, 1.1),
    )
    level_sd: float = 0.9  # spread of candidates' true levels, criterion points
    criterion_mid: float = 2.5
    ability_share: float = 0.5  # correlation of two criteria's true levels
    # Each interviewer's leniency in overall points (0..5): not centred on purpose, so "relative
    # to co-interviewers" differs from the raw offset.
    leniency: tuple[float, ...] = (0.9, 0.4, 0.2, 0.0, 0.0, -0.1, -0.3, -0.7)
    leniency_carry: float = 0.5
    overall_mid: float = 2.5
    overall_sd: float = 1.0
    overall_noise: float = 0.5
    second_session_share: float = 0.3
    three_share: float = 0.3
    not_assessed: float = 0.03
    hire_bar: float = 3.0  # mean overall at or above: hired
    predictive: str = PREDICTIVE
    performance_slope: float = 0.8
    performance_noise: float = 0.7
    # Session types (rubric id, difficulty in overall points: added to every overall scored in
    # a session of that type). One type: the random-assignment history above.
    session_types: tuple[tuple[str, float], ...] = ((RUBRIC_ID, 0.0),)
    # Per interviewer, the index of their home session type; None: random assignment.
    home: tuple[int, ...] | None = None
    home_share: float = 0.7
    loop_seats: int = 3
    extra_seat_share: float = 0.3

    @property
    def criteria(self) -> list[str]:
        return [c for c, _ in self.noise]

    @property
    def lenient(self) -> int:
        """The most lenient interviewer's id."""
        return int(np.argmax(self.leniency)) + 1

    @property
    def harsh(self) -> int:
        """The harshest interviewer's id."""
        return int(np.argmin(self.leniency)) + 1

    @property
    def neutral(self) -> list[int]:
        """The ids of the interviewers with no leniency at all."""
        return [i + 1 for i, lean in enumerate(self.leniency) if lean == 0]


# Issue 23's case: ten interviewers who mostly run their own session type, four types from hard
# (coding) to easy (values), leniencies centred on 0 so that the four neutral interviewers'
# true leniency relative to the average interviewer is 0. The most lenient one runs the hardest
# session and the harshest the easiest, where comparing with co-interviewers hides them most;
# the neutral ones run every type.
SPECIALISED = Parameters(
    leniency=(0.8, 0.0, -0.5, 0.0, 0.5, 0.0, -0.8, 0.0, 0.3, -0.3),
    session_types=(
        ("coding", -0.8),
        ("system-design", -0.3),
        (RUBRIC_ID, 0.3),
        ("values", 0.8),
    ),
    home=(0, 0, 1, 1, 2, 2, 3, 3, 0, 3),
)


@dataclass
class Draw:
    """One simulated history as arrays: one entry per candidate, per session or per seat (a
    scorecard: one interviewer on one session)."""

    seat_candidate: np.ndarray  # index of the candidate, 0..n-1
    seat_session: np.ndarray  # index of the session, 0..sessions-1
    seat_position: np.ndarray  # 0 for the first session of a candidate, 1 for the second
    seat_interviewer: np.ndarray  # index into Parameters.leniency
    seat_type: np.ndarray  # index into Parameters.session_types
    criterion_scores: np.ndarray  # seats x criteria, NaN for not assessed
    overall: np.ndarray  # per seat, 0..5
    hired: np.ndarray  # per candidate
    rating: np.ndarray  # per candidate, 1..5 (observed for hires only)
    quality: np.ndarray  # per candidate: what drives the overall
    n_candidates: int


def simulate(p: Parameters, n_candidates: int, rng: np.random.Generator) -> Draw:
    """Draw a history of `n_candidates` from the model (vectorised: a truth draws 200,000)."""
    k = len(p.noise)
    pool = np.array(p.leniency)
    general = rng.standard_normal((n_candidates, 1))
    own = rng.standard_normal((n_candidates, k))
    level = np.sqrt(p.ability_share) * general + np.sqrt(1 - p.ability_share) * own
    quality = level.mean(axis=1) / np.sqrt(p.ability_share + (1 - p.ability_share) / k)

    if p.home is None:
        seat_candidate, seat_session, seat_position, seat_interviewer = _random_seats(
            p, n_candidates, rng
        )
        seat_type = np.zeros(len(seat_candidate), dtype=int)
    else:
        seat_candidate, seat_session, seat_type, seat_interviewer = _specialised_seats(
            p, n_candidates, rng
        )
        seat_position = seat_type
    seats_of = np.bincount(seat_candidate, minlength=n_candidates)
    difficulty = np.array([d for _, d in p.session_types])

    lean = pool[seat_interviewer]
    n_seats = len(seat_candidate)
    overall = np.clip(
        np.rint(
            p.overall_mid
            + p.overall_sd * quality[seat_candidate]
            + difficulty[seat_type]
            + lean
            + p.overall_noise * rng.standard_normal(n_seats)
        ),
        0,
        5,
    )
    noise = np.array([sd for _, sd in p.noise])
    raw = (
        p.criterion_mid
        + p.level_sd * level[seat_candidate]
        + (p.leniency_carry * lean * 3 / 5)[:, None]
        + noise * rng.standard_normal((n_seats, k))
    )
    scores = np.clip(np.rint(raw), 1, 4)
    scores[rng.random((n_seats, k)) < p.not_assessed] = np.nan

    mean_overall = np.bincount(seat_candidate, overall, n_candidates) / seats_of
    hired = mean_overall >= p.hire_bar
    predictive = p.criteria.index(p.predictive)
    rating = np.clip(
        np.rint(
            3
            + p.performance_slope * level[:, predictive]
            + p.performance_noise * rng.standard_normal(n_candidates)
        ),
        1,
        5,
    )
    return Draw(
        seat_candidate=seat_candidate,
        seat_session=seat_session,
        seat_position=seat_position,
        seat_interviewer=seat_interviewer,
        seat_type=seat_type,
        criterion_scores=scores,
        overall=overall,
        hired=hired,
        rating=rating,
        quality=quality,
        n_candidates=n_candidates,
    )


def _random_seats(p: Parameters, n_candidates: int, rng: np.random.Generator) -> tuple:
    """Issue 16's assignment: one or two sessions per candidate, two or three interviewers per
    session, drawn uniformly from the pool."""
    sessions = 1 + (rng.random(n_candidates) < p.second_session_share)
    panel = 2 + (rng.random((n_candidates, 2)) < p.three_share)
    panel[sessions == 1, 1] = 0
    # A random order of the pool per candidate; seats take people from it in turn, so nobody
    # sits twice on the same candidate.
    order = np.argsort(rng.random((n_candidates, len(p.leniency))), axis=1)
    seats_of = panel.sum(axis=1)
    seat_candidate = np.repeat(np.arange(n_candidates), seats_of)
    first_seat = np.concatenate([[0], np.cumsum(seats_of)[:-1]])
    rank = np.arange(len(seat_candidate)) - first_seat[seat_candidate]
    seat_interviewer = order[seat_candidate, rank]
    seat_position = (rank >= panel[seat_candidate, 0]).astype(int)
    first_session = np.concatenate([[0], np.cumsum(sessions)[:-1]])
    seat_session = first_session[seat_candidate] + seat_position
    return seat_candidate, seat_session, seat_position, seat_interviewer


def _specialised_seats(p: Parameters, n_candidates: int, rng: np.random.Generator) -> tuple:
    """Issue 23's assignment: `loop_seats` interviewers per candidate (one more for
    `extra_seat_share`), drawn uniformly without repeating a person; each seat is of the
    interviewer's home type with probability `home_share`, of another type uniformly otherwise.
    Seats of one type on one candidate are one session."""
    pool, n_types = len(p.leniency), len(p.session_types)
    seats_of = p.loop_seats + (rng.random(n_candidates) < p.extra_seat_share)
    order = np.argsort(rng.random((n_candidates, pool)), axis=1)
    seat_candidate = np.repeat(np.arange(n_candidates), seats_of)
    first_seat = np.concatenate([[0], np.cumsum(seats_of)[:-1]])
    rank = np.arange(len(seat_candidate)) - first_seat[seat_candidate]
    seat_interviewer = order[seat_candidate, rank]
    home = np.array(p.home)[seat_interviewer]
    away = rng.integers(0, n_types - 1, len(seat_candidate))
    away = away + (away >= home)  # uniform over the other types
    seat_type = np.where(rng.random(len(seat_candidate)) < p.home_share, home, away)
    _, seat_session = np.unique(seat_candidate * n_types + seat_type, return_inverse=True)
    return seat_candidate, seat_session, seat_type, seat_interviewer


@functools.cache
def rubric() -> Rubric:
    """The real rubric the history is scored on."""
    return load_catalog(ROOT / "rubrics").rubrics[RUBRIC_ID]


def rubrics() -> dict[str, Rubric]:
    """`reliability`'s rubrics argument: the stand-in hash to the real rubric."""
    return {RUBRIC_HASH: rubric()}


@dataclass
class History:
    """One seeded history: the frames the figures are computed from, and its parameters."""

    parameters: Parameters
    seed: int
    cards: pd.DataFrame  # as `frames.seat_scorecards` gives them
    scores: pd.DataFrame  # as `frames.seat_scorecards` gives them
    predictors: pd.DataFrame  # as `outcomes.outcome_rows` gives them (criteria rows only)
    outcomes: pd.DataFrame  # as `outcomes.outcome_rows` gives them
    draw: Draw = field(repr=False)

    @classmethod
    def generate(cls, seed: int, parameters: Parameters | None = None) -> History:
        """The history drawn with numpy's `default_rng(seed)`."""
        p = parameters or Parameters()
        rng = np.random.default_rng(seed)
        draw = simulate(p, p.candidates, rng)
        cards, scores = _frames(p, draw, rng)
        predictors, outcomes = _outcome_frames(p, draw, scores)
        return cls(p, seed, cards, scores, predictors, outcomes, draw)


def _frames(p: Parameters, d: Draw, rng: np.random.Generator) -> tuple[pd.DataFrame, pd.DataFrame]:
    n_seats = len(d.seat_candidate)
    candidate_id = d.seat_candidate + 1
    ends = [
        START + timedelta(days=int(c), hours=3 * int(pos))
        for c, pos in zip(d.seat_candidate, d.seat_position, strict=True)
    ]
    # Hours from the session's end to the first submission: most the same day, a few late.
    hours = rng.exponential(8.0, n_seats)
    cards = pd.DataFrame(
        {
            "candidate_id": candidate_id,
            "opening_id": OPENING_ID,
            "session_id": d.seat_session + 1,
            "ends_at": [e.isoformat() for e in ends],
            "interviewer_id": d.seat_interviewer + 1,
            "interviewer": [f"Interviewer {i + 1}" for i in d.seat_interviewer],
            "scorecard_id": np.arange(1, n_seats + 1),
            "overall": d.overall.astype(int),
            "rubric_hash": RUBRIC_HASH,
            "first_at": [
                (e + timedelta(hours=float(h))).isoformat()
                for e, h in zip(ends, hours, strict=True)
            ],
            "corrections": (rng.random(n_seats) < 0.05).astype(int),
            "scale_min": 0,
            "scale_max": 5,
            "overdue_hours": 24,
        },
        columns=frames._CARD_COLUMNS,
    )
    # The session's rubric id, what `scoring.leniency.fit` takes as the session type. (The
    # criterion scores below stay on the one rubric: only the overall differs by type.)
    cards["session_type"] = [p.session_types[t][0] for t in d.seat_type]
    k = len(p.criteria)
    scores = pd.DataFrame(
        {
            "candidate_id": np.repeat(candidate_id, k),
            "session_id": np.repeat(d.seat_session + 1, k),
            "scorecard_id": np.repeat(np.arange(1, n_seats + 1), k),
            "rubric_hash": RUBRIC_HASH,
            "criterion_id": np.tile(p.criteria, n_seats),
            "score": d.criterion_scores.reshape(-1).astype("float64"),
        },
        columns=frames._SCORE_COLUMNS,
    )
    return cards, scores


def _outcome_frames(
    p: Parameters, d: Draw, scores: pd.DataFrame
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The hires' predictors (their mean raw score per criterion across interviewers, not
    assessed left out) and their 12-month ratings."""
    r = rubric()
    names = {c.id: c.name for c in r.criteria}
    hires = np.flatnonzero(d.hired) + 1
    mine = scores[scores["candidate_id"].isin(hires)].dropna(subset=["score"])
    predictors = (
        mine.groupby(["candidate_id", "criterion_id"], sort=True)["score"].mean().reset_index()
    )
    predictors["rubric"] = r.title
    predictors["criterion"] = predictors["criterion_id"].map(names)
    predictors = predictors[["candidate_id", "rubric", "criterion_id", "criterion", "score"]]
    outcomes = pd.DataFrame(
        {
            "candidate_id": hires,
            "months": MONTHS,
            "rating": d.rating[hires - 1].astype("float64"),
            "still_employed": True,
        }
    )
    return predictors, outcomes


# ------------------------------------------------------------------------------------ truths


@dataclass(frozen=True)
class Truths:
    """What the figures estimate, under one set of parameters."""

    alpha: dict[str, float]  # per criterion id
    leniency: dict[int, float]  # per interviewer id, share of the overall scale
    leniency_unclipped: dict[int, float]  # the same without rounding and clipping (reference)
    raw_offset: dict[int, float]  # expected offset from co-interviewers (issue 16's estimand)
    correlation: float  # predictive criterion's mean score vs rating, among hires
    correlation_everyone: float  # the same had everyone been hired (reference: no restriction)
    correlation_other: dict[str, float]  # the other criteria, among hires
    hire_rate: float


def alpha_of_sessions(session: np.ndarray, values: np.ndarray) -> float:
    """Interval alpha of all units at once: the per-unit sums of `statistics._unit_stats`, by
    bincount (a Python loop over 200,000 units would do the same, slowly), combined by
    `_alpha_from_sums`, the formula both `alpha_interval` and the bootstrap use."""
    ok = ~np.isnan(values)
    session, values = session[ok], values[ok]
    size = int(session.max()) + 1
    m = np.bincount(session, minlength=size).astype(float)
    s1 = np.bincount(session, values, size)
    s2 = np.bincount(session, values * values, size)
    pairable = m >= 2
    m, s1, s2 = m[pairable], s1[pairable], s2[pairable]
    within = 2 * (m * s2 - s1 * s1) / (m - 1)
    return float(statistics._alpha_from_sums(np.array([m.sum(), s1.sum(), s2.sum(), within.sum()])))


def seat_offsets(d: Draw, overall: np.ndarray) -> np.ndarray:
    """Per seat: the interviewer's normalised overall minus the mean of the other interviewers'
    on the same candidate (NaN where they were alone). Written apart from `calibration`'s
    pandas code on purpose; the same definition, since nobody sits twice on one candidate."""
    normalised = overall / 5
    total = np.bincount(d.seat_candidate, normalised, d.n_candidates)
    count = np.bincount(d.seat_candidate, minlength=d.n_candidates)
    others = count[d.seat_candidate] - 1
    with np.errstate(divide="ignore", invalid="ignore"):
        mean_others = (total[d.seat_candidate] - normalised) / others
    return np.where(others > 0, normalised - mean_others, np.nan)


def offset_by_interviewer(d: Draw, offsets: np.ndarray, pool: int) -> dict[int, float]:
    ok = ~np.isnan(offsets)
    who = d.seat_interviewer[ok]
    sums = np.bincount(who, offsets[ok], pool)
    counts = np.bincount(who, minlength=pool)
    return {i + 1: float(sums[i] / counts[i]) for i in range(pool)}


def counterfactual_leniency(p: Parameters, d: Draw, rng: np.random.Generator) -> np.ndarray:
    """Per interviewer (index into the pool): the expected difference between their normalised
    overall and the average interviewer's (each counted once) on the same candidate in the same
    session, over the sessions of `d`. Every interviewer scores every session here, with fresh
    rater noise and the same rounding and clipping: who runs which session in `d` plays no part,
    so this is the person's leniency, not an artefact of their assignment."""
    _, first = np.unique(d.seat_session, return_index=True)
    difficulty = np.array([x for _, x in p.session_types])
    lean = np.array(p.leniency)
    latent = (
        p.overall_mid
        + p.overall_sd * d.quality[d.seat_candidate[first]]
        + difficulty[d.seat_type[first]]
    )
    leniency = np.zeros(len(lean))
    for chunk in np.array_split(np.arange(len(latent)), max(1, len(latent) // 50_000)):
        noise = p.overall_noise * rng.standard_normal((len(chunk), len(lean)))
        scores = np.clip(np.rint(latent[chunk, None] + lean + noise), 0, 5) / 5
        leniency += (scores - scores.mean(axis=1, keepdims=True)).sum(axis=0)
    return leniency / len(latent)


def _candidate_means(d: Draw, column: np.ndarray) -> np.ndarray:
    ok = ~np.isnan(column)
    total = np.bincount(d.seat_candidate[ok], column[ok], d.n_candidates)
    count = np.bincount(d.seat_candidate[ok], minlength=d.n_candidates)
    with np.errstate(divide="ignore", invalid="ignore"):
        return total / count


@functools.cache
def truths(p: Parameters = Parameters()) -> Truths:
    """The population value of each estimator under `p`.

    Rounding onto the scale and clipping at its ends change reliability, offsets and
    correlations in ways with no closed form (a clipped lenient interviewer looks less lenient;
    rounding adds rater noise), so a formula on the parameters would miss the very thing the
    page measures. Instead the SAME process is run for `TRUTH_CANDIDATES` candidates (about
    260,000 sessions), and each estimand is computed on it by its definition; its Monte Carlo
    error (about 0.002 for alpha and r, 0.001 for a leniency) is small beside the intervals
    under test (0.1 to 0.5 wide). Each is what its estimator converges to as candidates grow:

    - alpha: Krippendorff's interval alpha over every pairable session (`alpha_of_sessions`:
      the formula `alpha_interval` and `bootstrap_alpha` compute; the fast test checks it
      against the krippendorff package). It counts rater leniency and rounding as
      disagreement, as it should.
    - leniency: what `scoring.leniency.fit` estimates, defined without it
      (`counterfactual_leniency`): how much higher, as a share of the scale, the interviewer's
      overall is than the average interviewer's (each counted once) on the same candidate in
      the same session, averaged over the sessions of the process. Without rounding and
      clipping it would be (lean_r - mean(lean)) / 5, given as `leniency_unclipped`; clipping
      pulls the extremes in a little. `raw_offset` is issue 16's estimand, the expected offset
      from co-interviewers (`calibration`'s raw offset), for reference: under random
      assignment it is pool / (pool - 1) times the leniency (before clipping), under
      specialised assignment it carries the session types' difficulties.
    - correlation: Pearson's r, among hires only, between the predictive criterion's mean raw
      score across interviewers and the 12-month rating (what `outcome_correlations` reports);
      `correlation_everyone` is the same over everyone, to show the range restriction.
    """
    rng = np.random.default_rng(TRUTH_SEED)
    d = simulate(p, TRUTH_CANDIDATES, rng)
    alpha = {
        c: alpha_of_sessions(d.seat_session, d.criterion_scores[:, i])
        for i, c in enumerate(p.criteria)
    }
    pool = len(p.leniency)
    raw_offset = offset_by_interviewer(d, seat_offsets(d, d.overall), pool)
    counterfactual = counterfactual_leniency(p, d, rng)
    leniency = {i + 1: float(v) for i, v in enumerate(counterfactual)}
    lean = np.array(p.leniency)
    unclipped = {i + 1: float((lean[i] - lean.mean()) / 5) for i in range(pool)}
    hired = d.hired
    correlation = {}
    everyone = float("nan")
    for i, c in enumerate(p.criteria):
        means = _candidate_means(d, d.criterion_scores[:, i])
        ok = hired & ~np.isnan(means)
        correlation[c] = float(np.corrcoef(means[ok], d.rating[ok])[0, 1])
        if c == p.predictive:
            all_ok = ~np.isnan(means)
            everyone = float(np.corrcoef(means[all_ok], d.rating[all_ok])[0, 1])
    return Truths(
        alpha=alpha,
        leniency=leniency,
        leniency_unclipped=unclipped,
        raw_offset=raw_offset,
        correlation=correlation[p.predictive],
        correlation_everyone=everyone,
        correlation_other={c: r for c, r in correlation.items() if c != p.predictive},
        hire_rate=float(hired.mean()),
    )


# ----------------------------------------------------------------------------- the estimators


def leniency_rows(cards: pd.DataFrame) -> pd.DataFrame:
    """`scoring.leniency.fit`'s input from a history's cards: the overall mapped to 0..1."""
    span = cards["scale_max"] - cards["scale_min"]
    return pd.DataFrame(
        {
            "candidate_id": cards["candidate_id"],
            "interviewer_id": cards["interviewer_id"],
            "session_type": cards["session_type"],
            "normalised": (cards["overall"] - cards["scale_min"]) / span,
        }
    )


def new_estimate(cards: pd.DataFrame) -> pd.DataFrame:
    """Issue 23's estimator: `scoring.leniency.fit` (interviewer_id, leniency, low, high)."""
    return leniency.fit(leniency_rows(cards))


def raw_estimate(cards: pd.DataFrame) -> pd.DataFrame:
    """Issue 16's estimator as `insights.calibration` computed it before issue 23 (kept here so
    the comparison survives calibration moving to `scoring.leniency`): each interviewer's mean
    offset from co-interviewers, shrunk by `insights.shrink` with the offsets' pooled spread."""
    per = leniency.offsets(leniency_rows(cards))
    residual = per["offset"] - per.groupby("interviewer_id")["offset"].transform("mean")
    dof = len(per) - per["interviewer_id"].nunique()
    offset_sd = np.sqrt((residual**2).sum() / dof) if dof >= 5 else insights.DEFAULT_OFFSET_SD
    offset_sd = max(float(offset_sd), 0.05)
    by = per.groupby("interviewer_id")["offset"].agg(["mean", "count"])
    rows = []
    for person in sorted(cards["interviewer_id"].unique()):
        n = int(by.at[person, "count"]) if person in by.index else 0
        mean = float(by.at[person, "mean"]) if n else 0.0
        estimate, low, high = insights.shrink(mean, n, offset_sd)
        rows.append({"interviewer_id": int(person), "leniency": estimate, "low": low})
        rows[-1]["high"] = high
    return pd.DataFrame(rows)


ESTIMATORS = {"session-type fit (issue 23)": new_estimate, "raw offset (issue 16)": raw_estimate}


@dataclass(frozen=True)
class LeniencyFigures:
    """How one leniency estimator does over seeded histories of one design."""

    histories: int
    covered: dict[int, int]  # per interviewer id: histories whose interval covered the truth
    coverage: float  # share of interviewer x history covered
    false_flags: int  # neutral interviewer x history whose interval excludes 0
    neutral_seats: int  # neutral interviewer x history
    detected: float  # share of non-neutral interviewer x history flagged the right way
    width_ratio: dict[int, float]  # mean printed standard error / actual spread of the estimate

    @property
    def false_flag_rate(self) -> float:
        return self.false_flags / self.neutral_seats if self.neutral_seats else float("nan")


def leniency_figures(
    p: Parameters, seeds: range, estimator: Callable[[pd.DataFrame], pd.DataFrame]
) -> LeniencyFigures:
    """Run `estimator` on the history of every seed of design `p` and count against
    `truths(p).leniency` (the person's leniency, whatever the estimator): coverage of the 95%
    intervals, false flags (a neutral interviewer, truth 0, whose interval excludes 0: the page
    would call them lenient or harsh) and detections."""
    truth = truths(p).leniency
    neutral = set(p.neutral)
    frames = []
    for seed in seeds:
        table = estimator(History.generate(seed, p).cards)
        frames.append(table[["interviewer_id", "leniency", "low", "high"]].assign(seed=seed))
    rows = pd.concat(frames, ignore_index=True)
    rows["truth"] = rows["interviewer_id"].map(truth)
    rows["covered"] = (rows["low"] <= rows["truth"]) & (rows["truth"] <= rows["high"])
    rows["flagged"] = (rows["low"] > 0) | (rows["high"] < 0)
    is_neutral = rows["interviewer_id"].isin(neutral)
    others = rows[~is_neutral]
    right_way = np.where(others["truth"] > 0, others["low"] > 0, others["high"] < 0)
    width = {}
    for person, group in rows.groupby("interviewer_id"):
        printed = ((group["high"] - group["low"]) / (2 * insights.Z95)).mean()
        width[int(person)] = round(float(printed / group["leniency"].std(ddof=1)), 2)
    return LeniencyFigures(
        histories=len(seeds),
        covered={
            int(k): int(v) for k, v in rows.groupby("interviewer_id")["covered"].sum().items()
        },
        coverage=float(rows["covered"].mean()),
        false_flags=int(rows.loc[is_neutral, "flagged"].sum()),
        neutral_seats=int(is_neutral.sum()),
        detected=float(right_way.mean()) if len(others) else float("nan"),
        width_ratio=width,
    )
