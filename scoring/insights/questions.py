"""Per-question figures (issue 27; L2124-2129: "distribution of scores, pass / fail rate,
cheating frequency, similar metrics on individual problems"): for each question drawn from an
opening's pools, how often it was asked with a scorecard in, how its criterion was scored, how
often it was passed, how often cheating was flagged on it, and how often two interviewers who
asked it of the same candidate gave the same score.

Only for the opening's hiring manager (`see_question_figures`), and over the candidates whose
scores they may read (the window of `uncertainty.score_window`: debrief open, their own
scorecard in where they interview): a figure never holds a score its reader could not read. A
rate is shown with its n and a 95% interval; below `MIN_N` a sentence says there are too few.
Bounded: two statements over this opening's drawn questions and flags.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from itertools import combinations
from typing import Any

from scoring.guards import Granted, guarded
from scoring.insights.limits import share_interval
from scoring.opening_record import rubric_snapshot
from scoring.queries import questions as Q
from scoring.rubric import Criterion
from scoring.uncertainty import score_window

MIN_N = 5  # below this, a rate is a sentence saying there are too few


@dataclass(frozen=True)
class Rate:
    """k of n as a figure: the share with its 95% interval from `MIN_N` on, else a sentence."""

    k: int
    n: int
    words: str
    share: float | None = None
    low: float | None = None
    high: float | None = None


def rate(k: int, n: int, what: str, of: str) -> Rate:
    """`k` of `n` `of` (sessions, pairs) as a `Rate`: "60% (26-88%), 3 of 5 sessions" from
    `MIN_N` on; below it "Too few sessions for a rate: 3 (5 needed)."; `what` names the
    rate in the sentence for none ("No sessions yet for a pass rate.")."""
    if n == 0:
        return Rate(0, 0, f"No {of} yet for a {what}.")
    if n < MIN_N:
        return Rate(k, n, f"Too few {of} for a {what}: {n} ({MIN_N} needed).")
    low, high = share_interval(k, n)
    share = k / n
    return Rate(
        k,
        n,
        f"{share:.0%} ({low:.0%}-{high:.0%}), {k} of {n} {of}",
        share,
        low,
        high,
    )


@dataclass(frozen=True)
class QuestionFigure:
    """One question of one criterion's pool, over the counted candidates of an opening."""

    rubric_id: str
    criterion_id: str
    criterion: str  # the criterion's name in the rubric
    question_id: str
    versions: tuple[int, ...]
    retired: bool
    drawn: int  # seats given it
    asked: int  # of those, with a submitted scorecard
    distribution: dict[str, int]  # the criterion's points given, by point ("Yes"/"No": binary)
    not_assessed: int  # scorecards that left the criterion not assessed
    passed: Rate  # scored above the middle of the criterion's scale, of those scored
    flag_count: int  # cheating flags naming it
    flags: Rate  # sessions flagged, of those it was asked in (scorecard in, or flagged)
    agreement: Rate | None  # same score from two interviewers of one candidate; None: not paired

    @property
    def scored(self) -> int:
        """Scorecards that gave the criterion a point."""
        return sum(self.distribution.values())

    @property
    def distribution_words(self) -> str:
        """'1: 0 · 2: 3 · 3: 5 · 4: 1 (n = 9)'; 'No scores yet.' with none."""
        if not self.scored:
            return "No scores yet."
        points = " · ".join(f"{p}: {c}" for p, c in self.distribution.items())
        return f"{points} (n = {self.scored})"

    @property
    def agreement_words(self) -> str:
        """The agreement's words, or 'Not paired' where no candidate was asked it twice."""
        return "Not paired." if self.agreement is None else self.agreement.words


@dataclass(frozen=True)
class QuestionFigures:
    """An opening's per-question figures: the questions in rubric, criterion and id order, how
    many candidates they rest on, and the flags that name no question."""

    opening_id: int
    candidates: int
    questions: tuple[QuestionFigure, ...]
    flags_without_question: int


def _points(criterion: Criterion | None) -> list[str]:
    if criterion is None:
        return []
    if criterion.kind == "binary":
        return ["No", "Yes"]
    return [str(p) for p in range(criterion.scale.min, criterion.scale.max + 1)]


def _point(criterion: Criterion, score: int) -> str:
    return ("Yes" if score else "No") if criterion.kind == "binary" else str(score)


def _criterion(rubric_hash: str | None, criterion_id: str, db) -> Criterion | None:
    if rubric_hash is None:
        return None
    try:
        return rubric_snapshot(db, rubric_hash).criterion(criterion_id)
    except KeyError:
        return None


@guarded("see_question_figures", on="opening_id")
def question_figures(g: Granted, opening_id: int) -> QuestionFigures:
    """Per (rubric, criterion, question) of the opening's pools: seats given it, scorecards in,
    the criterion's score distribution, pass rate (a score above the middle of the criterion's
    scale), cheating flags and, where two submitted scorecards of one candidate had it, how
    often they gave the same score. Called as `question_figures(store, actor, opening_id)`;
    NotAllowed unless `see_question_figures` allows (the opening's hiring manager)."""
    db = g.db
    counted = set(score_window(db, g.actor, opening_id) or [])
    rows = [r for r in db.execute(Q.FIGURE_ROWS, [opening_id]) if r["candidate_id"] in counted]
    flagged = [r for r in db.execute(Q.FIGURE_FLAGS, [opening_id]) if r["candidate_id"] in counted]
    retired = {
        (rubric_id, r[0])
        for rubric_id in {r["rubric_id"] for r in rows}
        for r in db.execute(Q.RETIRED_OF_RUBRIC, [rubric_id])
    }
    flags: dict[tuple[str, str, str], list[int]] = defaultdict(list)  # the flagged seats
    for r in flagged:
        if r["rubric_id"]:
            flags[r["rubric_id"], r["criterion_id"], r["question_id"]].append(r["assignment_id"])
    groups: dict[tuple[str, str, str], list[Any]] = defaultdict(list)
    for row in rows:
        groups[row["rubric_id"], row["criterion_id"], row["question_id"]].append(row)
    figures = [
        _figure(db, key, group, flags.get(key, []), key[::2] in retired)
        for key, group in sorted(groups.items())
    ]
    return QuestionFigures(
        opening_id=opening_id,
        candidates=len({r["candidate_id"] for r in rows}),
        questions=tuple(figures),
        flags_without_question=sum(1 for r in flagged if not r["rubric_id"]),
    )


def _figure(
    db, key: tuple[str, str, str], rows: list[Any], flagged: list[int], retired: bool
) -> QuestionFigure:
    rubric_id, criterion_id, question_id = key
    submitted = [r for r in rows if r["scorecard_id"] is not None]
    named = next(
        (c for r in rows if (c := _criterion(r["rubric_hash"], criterion_id, db)) is not None),
        None,
    )
    distribution = dict.fromkeys(_points(named), 0)
    passed = scored = 0
    by_candidate: dict[int, list[int]] = defaultdict(list)
    for row in submitted:
        criterion = _criterion(row["rubric_hash"], criterion_id, db)
        if row["score"] is None or criterion is None:
            continue
        scale = criterion.scale
        point = _point(criterion, row["score"])
        distribution[point] = distribution.get(point, 0) + 1
        scored += 1
        passed += row["score"] > (scale.min + scale.max) / 2
        by_candidate[row["candidate_id"]].append(row["score"])
    pairs = [pair for scores in by_candidate.values() for pair in combinations(scores, 2)]
    # A session counts once it has a scorecard in or a flag (a flag may come before, or
    # instead of, the scorecard); the rate is of sessions flagged, however many flags each.
    sessions = {r["assignment_id"] for r in submitted} | set(flagged)
    return QuestionFigure(
        rubric_id=rubric_id,
        criterion_id=criterion_id,
        criterion=named.name if named is not None else criterion_id,
        question_id=question_id,
        versions=tuple(sorted({r["question_version"] for r in rows})),
        retired=retired,
        drawn=len(rows),
        asked=len(submitted),
        distribution=distribution,
        not_assessed=sum(1 for r in submitted if r["score"] is None),
        passed=rate(passed, scored, "pass rate", "scores"),
        flag_count=len(flagged),
        flags=rate(len(set(flagged)), len(sessions), "flag rate", "sessions"),
        agreement=rate(sum(a == b for a, b in pairs), len(pairs), "rate of agreement", "pairs")
        if pairs
        else None,
    )
