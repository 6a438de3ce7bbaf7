"""The debrief's second reading of the panel: each overall recommendation with the interviewer's
measured leniency taken out (issue 23, point 1), beside the raw reading and never instead of it.

An interviewer's leniency is `scoring.leniency.fit`'s: how much higher or lower they score the
overall than the average interviewer of the opening would score the same candidate in the same
kind of session, as a share of the scale, over the opening's latest 1,000 candidates whose
debrief opened. The adjusted overall is the written one minus that share times the scale's
width. Only interviewers with at least `MIN_SHARED` shared candidates are adjusted (the
Insights minimum for calling anyone lenient or harsh); the others count as written, and the
reading says how many.

Who sees it: leniency is an aggregate over other candidates' scores, so, like the measured
interval (`scoring.uncertainty.rater_error`), only someone who may see the opening's score
figures (`see_score_figures`) gets it, over the candidates whose scores they may read
(`count_in_score_figures`); for anyone else there is no second reading at all.

This module imports neither `scoring.debrief` nor `scoring.insights` (insights imports the
debrief, which imports this).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from statistics import fmean
from typing import TYPE_CHECKING

from scoring import uncertainty
from scoring.opening_record import rubric_snapshot
from scoring.permissions import Person, may, opening_facts
from scoring.queries import uncertainty as Q
from scoring.scale import Scale

if TYPE_CHECKING:  # pandas loads where a figure is computed, not with the sign-in screen
    import pandas as pd

MIN_SHARED = 10  # Insights' MIN_CANDIDATES_CALIBRATION: below it nobody is adjusted


def leniency_rows(db, candidate_ids: list[int]) -> pd.DataFrame:
    """`leniency.fit`'s input for these candidates: each seat's latest revision written without
    seeing others' scores, its session type (the rubric's id) and its overall on 0..1."""
    import pandas as pd  # lazily: importing this module must not load pandas

    raw = pd.DataFrame(
        [tuple(r) for r in db.execute(Q.INDEPENDENT_OVERALLS, [json.dumps(candidate_ids)])],
        columns=["candidate_id", "interviewer_id", "rubric_hash", "overall", "min", "max"],
    )
    types = {h: rubric_snapshot(db, h).id for h in raw["rubric_hash"].unique()}
    return pd.DataFrame(
        {
            "candidate_id": raw["candidate_id"],
            "interviewer_id": raw["interviewer_id"],
            "session_type": raw["rubric_hash"].map(types).astype(str),
            "normalised": (raw["overall"] - raw["min"]) / (raw["max"] - raw["min"]),
        }
    )


@dataclass(frozen=True)
class Lenience:
    """One interviewer's measured leniency on an opening (share of the scale, with its 95%
    interval) and the candidates it rests on."""

    leniency: float
    low: float
    high: float
    shared: int


def opening_leniency(db, actor: Person, opening_id: int, path: str = "") -> dict | None:
    """Each interviewer's leniency on this opening as the actor may know it: None for someone
    who may not see the opening's score figures (`uncertainty.score_window`, the measured
    interval's window and rule). Kept until the next write (`uncertainty.kept`)."""
    if not may(actor, "see_score_figures", opening_facts(db, opening_id, actor)):
        return None

    def measure() -> dict[int, Lenience]:
        counted = uncertainty.score_window(db, actor, opening_id)
        if not counted:
            return {}
        from scoring import leniency  # lazily: numpy and pandas load where a figure is computed

        return {
            int(r.interviewer_id): Lenience(
                float(r.leniency), float(r.low), float(r.high), int(r.shared)
            )
            for r in leniency.fit(leniency_rows(db, counted)).itertuples()
        }

    what = ("leniency", path, actor.id, tuple(sorted(actor.roles)), opening_id)
    return uncertainty.kept(db, what, measure)


@dataclass(frozen=True)
class AdjustedReading:
    """The panel read with each interviewer's leniency taken out, next to the raw reading."""

    raw_mean: float  # mean written overall
    adjusted_mean: float  # mean overall with leniency taken out
    raw_counts: tuple[int, int, int]  # yes, no, undecided as written
    adjusted_counts: tuple[int, int, int]  # the same on the adjusted overalls
    adjusted: int  # scorecards whose interviewer has enough shared candidates to adjust
    scorecards: int
    scale: Scale
    largest: float  # the largest adjustment, in points (absolute)

    @property
    def changes_side(self) -> bool:
        """Does the panel lean the other way (or stop leaning) once leniency is taken out?"""
        return _lean(self.raw_counts) != _lean(self.adjusted_counts)

    @property
    def line(self) -> str:
        """The reading in one line: 'Leniency-adjusted: mean overall 2.9 of 5 (as written
        3.4) · 2 yes, 2 no (as written 3 yes, 1 no)'."""
        top = self.scale.max
        return (
            f"Leniency-adjusted: mean overall {self.adjusted_mean:.1f} of {top} (as written"
            f" {self.raw_mean:.1f}) · {_counts(self.adjusted_counts)} (as written"
            f" {_counts(self.raw_counts)})"
        )

    @property
    def caveat(self) -> str:
        """What the reading rests on and what it is not, in sentences."""
        if not self.adjusted:
            return (
                f"No interviewer on this panel has {MIN_SHARED} candidates shared with others on"
                " this opening yet: nothing is adjusted, the reading is the panel as written."
            )
        said = (
            f"A second reading, not the decision: {self.adjusted} of {self.scorecards}"
            " overall recommendations have their interviewer's measured leniency taken out (how"
            " much higher or lower they score than the average interviewer on the same"
            " candidates and kinds of session on this opening; the largest adjustment is"
            f" {self.largest:.1f} of a point)."
        )
        rest = self.scorecards - self.adjusted
        if rest == 1:
            said += (
                " The other one counts as written: too few shared candidates to measure its"
                " interviewer."
            )
        elif rest:
            said += (
                f" The other {rest} count as written: too few shared candidates to measure"
                " their interviewers."
            )
        said += (
            " Each leniency is an estimate with an interval; where the reading changes the"
            " panel's side, that is a question for the discussion, not an answer."
        )
        return said


def _lean(counts: tuple[int, int, int]) -> str:
    yes, no, _ = counts
    return "yes" if yes > no else "no" if no > yes else "even"


def _counts(counts: tuple[int, int, int]) -> str:
    yes, no, undecided = counts
    said = f"{yes} yes, {no} no"
    return said + (f", {undecided} undecided" if undecided else "")


def _tally(values: Iterable[float], scale: Scale) -> tuple[int, int, int]:
    yes = no = undecided = 0
    for v in values:
        # A shifted overall is no longer a point of the scale: compare with the midpoint.
        if abs(v - scale.midpoint) < 1e-9:
            undecided += 1
        elif v > scale.midpoint:
            yes += 1
        else:
            no += 1
    return yes, no, undecided


def reading(
    overalls: list[tuple[int, int]], found: dict[int, Lenience] | None, scale: Scale
) -> AdjustedReading | None:
    """The adjusted reading of a panel: `overalls` is (interviewer_id, written overall) per
    scorecard, `found` the opening's leniency per interviewer (`opening_leniency`). None when
    the viewer gets no leniency (`found` is None) or there is no scorecard."""
    if found is None or not overalls:
        return None
    width = scale.max - scale.min
    shifts = []
    for person, _ in overalls:
        known = found.get(person)
        ok = known is not None and known.shared >= MIN_SHARED
        shifts.append(known.leniency * width if ok else None)
    written = [float(o) for _, o in overalls]
    adjusted = [
        min(scale.max, max(scale.min, o - s)) if s is not None else o
        for o, s in zip(written, shifts, strict=True)
    ]
    return AdjustedReading(
        raw_mean=fmean(written),
        adjusted_mean=fmean(adjusted),
        raw_counts=_tally(written, scale),
        adjusted_counts=_tally(adjusted, scale),
        adjusted=sum(s is not None for s in shifts),
        scorecards=len(overalls),
        scale=scale,
        largest=max((abs(s) for s in shifts if s is not None), default=0.0),
    )
