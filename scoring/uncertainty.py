"""Each candidate's uncertainty: the panel's weighted score with a 95% interval, the panel size
that would narrow it, and whether it is too close to call.

The model. One scorecard's weighted score (0..1, `scoring.engine.candidate_score` of that card
alone) is the candidate's true score on that interview plus the interviewer's error. The size of
that error is measured where two or more interviewers scored the same session independently
(each seat's latest revision made without seeing others' scores, `saw_others = 0`): the pooled
within-session standard deviation of their weighted scores, over the opening's latest `WINDOW`
candidates whose debrief opened. The panel's score is the mean of its k scorecards, so its
standard error is s_within / sqrt(k) and its interval score ± 1.96 SE, clipped to 0..1. One
interviewer's reliability is 1 - within variance / total variance (Krippendorff's interval alpha
when every paired session has two interviewers); the panel mean's follows Spearman-Brown.

What it cannot say: the interval covers how much interviewers differ when they score the same
interview. It does not cover how the candidate would do on another day or with other questions,
nor whether the score predicts the job.

Until `MIN_PAIRED` paired candidates (the Insights minimum for reliability) the interval uses a
stated prior (`PRIOR_RATER_SD`), labelled so; below `MIN_MEASURED` no measured figure is given
at all. The measured figure is an aggregate over other candidates' scores, so only someone who
may see score figures for the opening (`see_score_figures`) gets it, over the candidates whose
scores they may read (`count_in_score_figures`); everyone else who may see the debrief gets the
prior-based interval, which depends on nothing but this candidate's own panel.

This module imports neither `scoring.debrief` nor `scoring.insights` (insights imports the
debrief, which imports this): the statistics below are pure functions, and `rater_error` is the
one bounded query.
"""

from __future__ import annotations

import json
import math
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal, TypeVar

from scoring.opening_record import Opening, rubric_snapshot
from scoring.permissions import Person, candidates_facts, may, opening_facts
from scoring.queries import uncertainty as Q

if TYPE_CHECKING:  # pandas loads where a figure is computed, not with the sign-in screen
    import pandas as pd

Z95 = 1.959963984540054
WINDOW = 1000  # the latest candidates whose debrief opened: the same window as Insights
MIN_PAIRED = 20  # paired candidates before the measured error is used (Insights' minimum)
MIN_MEASURED = 3  # below this, no measured figure at all: a spread of two is no estimate
# The assumed error of one interviewer's weighted score, as a share of the 0..1 scale. Meta-
# analyses of structured interviews put the agreement of two interviewers on one candidate
# between about 0.5 and 0.8 (Conway, Jako & Goodman 1995, J. Appl. Psychol. 80:565-579); with
# candidates' weighted scores spread by about 0.2 of the scale, a reliability of 0.5 (the low
# end: an opening's rubric is new) means an error of sqrt(1 - 0.5) * 0.2 = 0.14. Rounded up to
# 0.15: until the opening's own data say otherwise, an interval rather too wide than too narrow.
PRIOR_RATER_SD = 0.15
ADVICE_HALF_WIDTH = 0.10  # the panel-size advice: interviews to bring the interval within this
HIRE_LINE = 0.5  # the middle of the weighted score's scale (no hire line is defined on it)

Source = Literal["measured", "assumed"]
T = TypeVar("T")


# ------------------------------------------------------------------------------- statistics


def within_and_total(scores: pd.DataFrame) -> tuple[float, float, int]:
    """The pooled within-session variance sum((x - session mean)^2) / sum(m - 1), the total
    variance of every value in those sessions (n - 1 in the denominator) and how many sessions
    count. `scores`: session_id, weighted (one session's independent weighted scores are one
    unit); sessions with fewer than two scores are left out. (nan, nan, 0) when none has two."""
    scores = scores.dropna(subset=["weighted"])
    sizes = scores.groupby("session_id")["weighted"].transform("size")
    paired = scores[sizes >= 2]
    units = int(paired["session_id"].nunique())
    if not units:
        return math.nan, math.nan, 0
    deviations = paired["weighted"] - paired.groupby("session_id")["weighted"].transform("mean")
    within = float((deviations**2).sum()) / (len(paired) - units)
    return within, float(paired["weighted"].var(ddof=1)), units


def single_rater_reliability(within: float, total: float) -> float:
    """1 - within / total: the share of one interviewer's score variance that is the candidate's
    (equal to interval alpha when every unit has two raters). NaN when the total is 0."""
    if not total > 1e-12:
        return math.nan
    return 1 - within / total


def panel_reliability(rho: float, k: int) -> float:
    """Spearman-Brown: the reliability of the mean of k independent interviewers' scores, each
    of reliability rho: k rho / (1 + (k - 1) rho)."""
    return k * rho / (1 + (k - 1) * rho)


def interviews_for(half_width: float, rater_sd: float) -> int:
    """How many independent interviews bring the 95% interval within ± `half_width`:
    the least k with 1.96 s / sqrt(k) <= half_width."""
    return max(1, math.ceil((Z95 * rater_sd / half_width) ** 2 - 1e-9))


def interval(score: float, rater_sd: float, k: int) -> tuple[float, float]:
    """score ± 1.96 s / sqrt(k), clipped to the scale (0..1)."""
    half = Z95 * rater_sd / math.sqrt(k)
    return max(0.0, score - half), min(1.0, score + half)


def weighted_scores(scores: pd.DataFrame, weights: pd.DataFrame) -> pd.Series:
    """Each scorecard's weighted score, as the engine computes it: sum(w (s - min)/(max - min))
    / sum(w) over assessed criteria; scorecards with none assessed are left out. `scores`:
    scorecard_id, rubric_hash, criterion_id, score (NaN: not assessed); `weights`: rubric_hash,
    criterion_id, weight, min, max."""
    import pandas as pd  # lazily: importing this module must not load pandas

    rows = scores.dropna(subset=["score"]).merge(weights, on=["rubric_hash", "criterion_id"])
    if rows.empty:
        return pd.Series(dtype=float, name="weighted")
    rows = rows.assign(
        part=rows["weight"] * (rows["score"] - rows["min"]) / (rows["max"] - rows["min"])
    )
    sums = rows.groupby("scorecard_id")[["part", "weight"]].sum()
    return (sums["part"] / sums["weight"]).rename("weighted")


# ------------------------------------------------------------------------------- the error


@dataclass(frozen=True)
class RaterError:
    """How far one interviewer's weighted score strays, for one opening and one viewer: the SD
    the interval uses, whether it is measured or assumed, and what stands behind it."""

    sd: float
    source: Source
    paired: int  # candidates with a session two or more interviewers scored independently
    sessions: int  # such sessions
    measured_sd: float | None  # None below MIN_MEASURED paired candidates, or not entitled
    reliability: float | None  # one interviewer's, measured; None like `measured_sd`
    entitled: bool  # the viewer may see score figures for the opening

    @property
    def measured(self) -> bool:
        """Is the interval's error measured on this opening (not assumed)?"""
        return self.source == "measured"


def assumed(entitled: bool = False, paired: int = 0, sessions: int = 0, **measured) -> RaterError:
    """The prior: `PRIOR_RATER_SD`, for a viewer who may not see score figures (nothing about
    other candidates) or until `MIN_PAIRED` paired candidates (with what is measured so far)."""
    return RaterError(
        PRIOR_RATER_SD,
        "assumed",
        paired,
        sessions,
        measured.get("measured_sd"),
        measured.get("reliability"),
        entitled,
    )


def error_from(scores: pd.DataFrame) -> RaterError:
    """The error from independent weighted scores (candidate_id, session_id, weighted): measured
    from `MIN_PAIRED` paired candidates, the prior before (with the figure so far from
    `MIN_MEASURED` on)."""
    scores = scores.dropna(subset=["weighted"])
    paired = scores[scores.groupby("session_id")["weighted"].transform("size") >= 2]
    n = int(paired["candidate_id"].nunique())
    within, total, sessions = within_and_total(paired)
    if n < MIN_MEASURED or within != within:
        return assumed(True, n, sessions)
    sd, rho = math.sqrt(within), single_rater_reliability(within, total)
    rho = None if rho != rho else rho
    if n < MIN_PAIRED:
        return assumed(True, n, sessions, measured_sd=sd, reliability=rho)
    return RaterError(sd, "measured", n, sessions, sd, rho, True)


def independent_scores(db, candidate_ids: list[int]) -> pd.DataFrame:
    """The weighted score of each seat's latest revision made without seeing others' scores,
    for these candidates: candidate_id, session_id, scorecard_id, weighted (one query)."""
    import pandas as pd  # lazily: importing this module must not load pandas

    columns = ["candidate_id", "session_id", "scorecard_id", "rubric_hash", "criterion_id"]
    raw = pd.DataFrame(
        [tuple(r) for r in db.execute(Q.INDEPENDENT_SCORES, [json.dumps(candidate_ids)])],
        columns=[*columns, "score"],
    )
    raw["score"] = raw["score"].astype("float64")
    weights = pd.DataFrame(
        [
            (h, c.id, c.weight, c.scale.min, c.scale.max)
            for h in raw["rubric_hash"].unique()
            for c in rubric_snapshot(db, h).criteria
        ],
        columns=["rubric_hash", "criterion_id", "weight", "min", "max"],
    )
    weighted = weighted_scores(raw, weights)
    cards = raw[["candidate_id", "session_id", "scorecard_id"]].drop_duplicates("scorecard_id")
    return cards.join(weighted, on="scorecard_id", how="inner").reset_index(drop=True)


# A figure from the opening's other candidates depends only on the database's history and the
# viewer: kept under the newest audit entry (every write appends one), as the Insights figures
# are, so the debrief's reruns cost one indexed read and the first view after any change works
# it out afresh.
_KEPT: OrderedDict[tuple, object] = OrderedDict()
_KEPT_SIZE = 64
_KEPT_LOCK = threading.Lock()


def score_window(db, actor: Person, opening_id: int) -> list[int] | None:
    """The candidates a figure from other candidates' scores may rest on, for this actor: the
    opening's latest `WINDOW` candidates whose debrief opened and whose scores they may count
    (`count_in_score_figures`); None for someone who may not see the opening's score figures
    (`see_score_figures`)."""
    if not may(actor, "see_score_figures", opening_facts(db, opening_id, actor)):
        return None
    window = [r[0] for r in db.execute(Q.SCORE_WINDOW, [opening_id, WINDOW])]
    facts = candidates_facts(db, window)
    return [c for c in window if may(actor, "count_in_score_figures", facts[c])]


def kept(db, what: tuple, work: Callable[[], T]) -> T:
    """`work()`, kept under `what` (the figure, the database path, the viewer, the opening) and
    the newest audit entry: the same figure again costs one indexed read until the next write."""
    version = tuple(db.execute(Q.NEWEST_AUDIT))
    key = (*what, version)
    with _KEPT_LOCK:
        if key in _KEPT:
            _KEPT.move_to_end(key)
            return _KEPT[key]
    found = work()
    with _KEPT_LOCK:
        _KEPT[key] = found
        while len(_KEPT) > _KEPT_SIZE:
            _KEPT.popitem(last=False)
    return found


def rater_error(db, actor: Person, opening_id: int, path: str = "") -> RaterError:
    """The error the actor's intervals on this opening use. Measured only for someone who may
    see its score figures (`score_window`), over the latest `WINDOW` candidates whose debrief
    opened and whose scores they may read; anyone else gets the prior, worked out from nothing
    stored. Bounded: a window of candidates, a few queries. `actor` is the person as the
    database knows them now (`permissions.current`)."""
    if not may(actor, "see_score_figures", opening_facts(db, opening_id, actor)):
        return assumed()

    def measure() -> RaterError:
        counted = score_window(db, actor, opening_id)
        return error_from(independent_scores(db, counted)) if counted else assumed(True)

    what = ("rater_error", path, actor.id, tuple(sorted(actor.roles)), opening_id)
    return kept(db, what, measure)


# ------------------------------------------------------------------------------- the reading


def _n(count: int, one: str, many: str | None = None) -> str:
    return f"{count:,} {one if count == 1 else many or one + 's'}"


@dataclass(frozen=True)
class ScoreInterval:
    """A candidate's weighted score (raw: the points the interviewers wrote) with its 95%
    interval, the panel-size advice, and the lines it was checked against, in words."""

    score: float
    k: int  # the panel's scorecards with a weighted score
    low: float
    high: float
    error: RaterError
    advice_half_width: float
    lines: tuple[tuple[str, float], ...]  # (name, value): the committee bar, the middle
    after_reveal: int  # the panel's scorecards corrected after their author saw others'
    bar_on_forced: bool = False  # the opening's bar is applied to forced scores

    @property
    def half_width(self) -> float:
        """± this around the score (before clipping to 0..1)."""
        return Z95 * self.error.sd / math.sqrt(self.k)

    @property
    def interviews_needed(self) -> int:
        """Independent interviews that would bring the interval within ± advice_half_width."""
        return interviews_for(self.advice_half_width, self.error.sd)

    @property
    def panel_reliability(self) -> float | None:
        """The reliability of this panel's mean (Spearman-Brown); None unless measured."""
        rho = self.error.reliability
        return panel_reliability(rho, self.k) if self.error.measured and rho is not None else None

    @property
    def straddles(self) -> tuple[str, ...]:
        """The lines inside the interval: for these the score is too close to call."""
        return tuple(name for name, value in self.lines if self.low < value < self.high)

    @property
    def too_close(self) -> bool:
        """Does the interval straddle the committee bar or the middle of the scale?"""
        return bool(self.straddles)

    @property
    def headline(self) -> str:
        """'Weighted score 0.62 ± 0.09 (95% interval 0.53 to 0.71), from 4 scorecards.'"""
        return (
            f"Weighted score {self.score:.2f} ± {self.half_width:.2f} (95% interval"
            f" {self.low:.2f} to {self.high:.2f}), from {_n(self.k, 'scorecard')}."
        )

    @property
    def label(self) -> str:
        """Measured or assumed, in a few words."""
        if self.error.measured:
            return f"measured on {_n(self.error.paired, 'paired candidate')}"
        if not self.error.entitled:
            return "assumed"
        return f"assumed until {MIN_PAIRED} paired candidates"

    @property
    def line(self) -> str:
        """The page's line beside the weighted score: '**Weighted score 0.62 ± 0.09** · 95%
        interval 0.53 to 0.71 · 4 scorecards · interviewers' error measured on 40 paired
        candidates' (Markdown: only the figures are bold; nothing typed is in it)."""
        return (
            f"**Weighted score {self.score:.2f} ± {self.half_width:.2f}** · 95% interval"
            f" {self.low:.2f} to {self.high:.2f} · {_n(self.k, 'scorecard')} · interviewers'"
            f" error {self.label}"
        )

    @property
    def advice(self) -> str:
        """The panel-size advice (Spearman-Brown), in a sentence."""
        k, needed, width = self.k, self.interviews_needed, self.advice_half_width
        now = f"With {_n(k, 'scorecard')} the score is {self.score:.2f} ± {self.half_width:.2f}"
        if needed <= k:
            said = f"{now}: within ± {width:.2f} already."
        else:
            said = f"{now}; {needed} would bring it within ± {width:.2f}."
        reliability = self.panel_reliability
        if reliability is not None:
            said += (
                f" One interviewer's score has a reliability of {self.error.reliability:.2f};"
                f" the mean of {k}, {reliability:.2f}."
            )
        return said

    @property
    def call(self) -> str:
        """Too close to call, or clear of each line, in a sentence."""
        if self.too_close:
            return (
                f"Too close to call: the interval ({self.low:.2f} to {self.high:.2f}) lies on both"
                " sides of "
                + " and ".join(self.straddles)
                + ". More interviews or the discussion decide it, not the score."
            )
        sides = [
            f"{'above' if self.low >= value else 'below'} {name}" for name, value in self.lines
        ]
        return f"The whole interval is {' and '.join(sides)}."

    @property
    def basis(self) -> str:
        """Where the error comes from: measured, or the prior and why, in sentences."""
        e = self.error
        if e.measured:
            said = (
                f"Measured on this opening: one interviewer's weighted score strays by"
                f" {e.sd:.2f} (standard deviation) from what another interviewer writes on the"
                f" same interview, over {_n(e.paired, 'candidate')} that two or more interviewers"
                f" scored independently ({_n(e.sessions, 'session')}, the latest {WINDOW:,}"
                " candidates at most; corrections made after seeing others' scores left out)."
            )
        else:
            said = (
                f"Assumed: one interviewer's weighted score strays by {PRIOR_RATER_SD:.2f}"
                " (standard deviation), from published studies of structured interviews; rather"
                " too wide than too narrow."
            )
            if not e.entitled:
                said += (
                    " The figure measured on this opening comes from other candidates' scores,"
                    " which only the opening's hiring manager sees."
                )
            elif e.measured_sd is None:
                said += (
                    f" Assumed until {MIN_PAIRED} paired candidates: this opening has"
                    f" {e.paired}, too few to measure anything."
                )
            else:
                said += (
                    f" Assumed until {MIN_PAIRED} paired candidates: this opening has"
                    f" {e.paired}, whose scores put it at {e.measured_sd:.2f} so far, too few"
                    " to rely on."
                )
        if self.after_reveal:
            said += (
                f" {_n(self.after_reveal, 'scorecard')} of this panel"
                f" {'was' if self.after_reveal == 1 else 'were'} corrected after seeing others'"
                " scores, so not all are independent: the interval may be too narrow."
            )
        return said

    @property
    def cannot_say(self) -> str:
        """What the interval does not cover, in a sentence."""
        said = (
            "It covers how much interviewers differ on the same interview, not how the candidate"
            " would do on another day or with other questions."
        )
        if self.bar_on_forced:
            said += " The committee's bar is applied to forced scores, which it does not cover."
        return said

    @property
    def sentences(self) -> list[str]:
        """Everything above, in reading order (the summary's lines)."""
        return [
            f"{self.headline} Raw scores; {self.label}.",
            self.call,
            self.advice,
            self.basis,
            self.cannot_say,
        ]

    def as_json(self) -> dict:
        """The figures, for the summary's JSON."""
        return {
            "score": self.score,
            "low": round(self.low, 4),
            "high": round(self.high, 4),
            "level": 0.95,
            "interviews": self.k,
            "rater_sd": round(self.error.sd, 4),
            "source": self.error.source,
            "paired_candidates": self.error.paired if self.error.entitled else None,
            "reliability": None
            if self.error.reliability is None or not self.error.measured
            else round(self.error.reliability, 4),
            "interviews_needed": self.interviews_needed,
            "for_half_width": self.advice_half_width,
            "too_close_to_call": list(self.straddles),
        }


def lines_for(opening: Opening) -> tuple[tuple[tuple[str, float], ...], bool]:
    """The lines a score is checked against: the committee's bar when the opening has one (and
    applies it to raw scores), and the middle of the weighted score's scale, 0.50 (no hire line
    is defined on the weighted score; the middle is where a yes turns into a no on the overall).
    Also whether the bar is applied to forced scores (then not checked here)."""
    strategy = opening.strategy
    lines: list[tuple[str, float]] = []
    has_bar = strategy.kind == "committee" and strategy.bar is not None
    if has_bar and not strategy.force_extremes:
        lines.append((f"the committee's bar of {strategy.bar:.2f}", float(strategy.bar)))
    lines.append((f"the middle of the scale ({HIRE_LINE:.2f})", HIRE_LINE))
    return tuple(lines), has_bar and strategy.force_extremes


def score_interval(
    score: float | None,
    k: int,
    error: RaterError,
    opening: Opening,
    *,
    after_reveal: int = 0,
    advice_half_width: float = ADVICE_HALF_WIDTH,
) -> ScoreInterval | None:
    """The raw weighted score of a panel of k scorecards with its interval; None when there is
    no weighted score (no criterion assessed)."""
    if score is None or k < 1:
        return None
    low, high = interval(score, error.sd, k)
    lines, bar_on_forced = lines_for(opening)
    return ScoreInterval(
        score, k, low, high, error, advice_half_width, lines, after_reveal, bar_on_forced
    )
