"""Tables behind the debrief's charts: pure pandas over scorecards the caller was allowed to read.

Every normalisation goes through `scoring.scale`; nothing here decides an outcome (that is the
engine's job) or checks access (the service already did).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import NamedTuple

import pandas as pd

from scoring.models.scorecards import Scorecard
from scoring.rubric import Rubric
from scoring.scale import Scale, criterion_force_map

DISCUSS_SHARE = 0.5  # interviewers this far apart (as a share of the scale) should talk it over


def criterion_frame(
    cards: Iterable[Scorecard],
    rubrics: Mapping[str, Rubric],
    labels: Iterable[str],
    *,
    forced: bool = False,
    overall: Scale | None = None,
    force_map: Mapping[int, int] | None = None,
) -> pd.DataFrame:
    """One row per interviewer × criterion of their rubric, in panel and rubric order: raw and
    effective point, the point normalised to 0..1 (NaN when not assessed), the scale, the
    criterion's kind (scale or binary) and the weight.

    Under forcing the effective point follows the opening's force map (`force_map` on the
    `overall` scale), carried to each criterion's own scale as the engine does
    (`criterion_force_map`); without an overall scale, on each criterion's own scale (no map:
    the default preset, a weak no to the lowest point and a weak yes as written)."""
    rows = []
    for label, card in zip(labels, cards, strict=True):
        rubric = rubrics[card.rubric_hash]
        for criterion in rubric.criteria:
            entry = card.criteria.get(criterion.id)
            raw = entry.score if entry else None
            scale = criterion.scale
            effective = None if raw is None else scale.check(raw)
            if forced and raw is not None:
                # The engine's own carry-over, so the frame's forced points are the rules' points.
                base = overall if overall is not None else scale
                effective = criterion_force_map(base, force_map, scale)[raw]
            rows.append(
                {
                    "interviewer": label,
                    "session": card.session_title,
                    "criterion_id": criterion.id,
                    "criterion": criterion.name,
                    "kind": criterion.kind,
                    "raw": raw,
                    "effective": effective,
                    "normalised": None if effective is None else scale.normalise(effective),
                    "min": scale.min,
                    "max": scale.max,
                    "weight": criterion.weight,
                    "assessed": raw is not None,
                }
            )
    frame = pd.DataFrame(
        rows,
        columns=[
            "interviewer",
            "session",
            "criterion_id",
            "criterion",
            "kind",
            "raw",
            "effective",
            "normalised",
            "min",
            "max",
            "weight",
            "assessed",
        ],
    )
    for column in ("raw", "effective"):
        frame[column] = frame[column].astype("Int64")
    frame["normalised"] = frame["normalised"].astype("float64")
    return frame


class Gap(NamedTuple):
    """One criterion rated by two or more interviewers of a session: the points they wrote."""

    session: str
    criterion_id: str
    criterion: str
    kind: str  # "scale" or "binary"
    min: int
    max: int
    raters: int
    lowest: int
    highest: int
    gap: int  # points of the criterion's scale between the lowest and the highest
    gap_share: float  # the gap as a share of the scale
    discuss: bool  # half the scale or more apart
    apart: str  # the gap in words


GAP_KEY = ("session", "criterion_id", "criterion", "kind", "min", "max")


def gaps(frame: pd.DataFrame) -> list[Gap]:
    """`spread` as plain rows, in the same order. Worked out in Python rather than by a pandas
    groupby: a debrief has a few dozen rows, and the groupby cost 10-20 ms on every rerun of
    the page."""
    columns = [frame[c].tolist() for c in (*GAP_KEY, "interviewer", "raw", "assessed")]
    found: dict[tuple, tuple[set, list]] = {}  # in order of first appearance, as groupby
    for *key, interviewer, raw, assessed in zip(*columns, strict=True):
        if assessed:
            raters, points = found.setdefault(tuple(key), (set(), []))
            raters.add(interviewer)
            points.append(raw)
    table = []
    for (session, criterion_id, criterion, kind, low, high), (raters, points) in found.items():
        if len(raters) < 2:
            continue
        lowest, highest = min(points), max(points)
        gap = highest - lowest
        share = gap / (high - low)
        table.append(
            Gap(
                session,
                criterion_id,
                criterion,
                kind,
                low,
                high,
                len(raters),
                lowest,
                highest,
                gap,
                share,
                share >= DISCUSS_SHARE,
                _apart(kind, gap, low, high),
            )
        )
    return table


def spread(frame: pd.DataFrame) -> pd.DataFrame:
    """Per criterion rated by two or more interviewers, on the points they wrote (raw: forcing
    would turn 2 vs 3 into 1 vs 4): lowest, highest, the gap in points of the criterion's scale
    and as a share of it, whether it is wide enough to discuss (half the scale or more), and
    the gap in words ("3 points apart on a 1–4 scale"). In rubric order within each session.
    (`gaps` gives the same rows without pandas.)"""
    table = pd.DataFrame(gaps(frame), columns=list(Gap._fields))
    for column in GAP_KEY[:4]:  # as the frame has them (an empty table too)
        table[column] = table[column].astype(frame[column].dtype)
    table["apart"] = table["apart"].astype("str")
    for column in ("min", "max", "raters"):
        table[column] = table[column].astype("int64")
    for column in ("lowest", "highest", "gap"):
        table[column] = table[column].astype("Int64")
    table["gap_share"] = table["gap_share"].astype("float64")
    table["discuss"] = table["discuss"].astype("bool")
    return table


def _apart(kind: str, gap: int, low: int, high: int) -> str:
    if kind == "binary":
        return "no and yes" if gap else "all the same"
    if gap == 0:
        return "all at the same point"
    return f"{gap} point{'s' if gap != 1 else ''} apart on a {low}–{high} scale"


def overall_frame(positions: Iterable, scale: Scale, labels: Mapping[int, str]) -> pd.DataFrame:
    """The overall recommendations as the engine saw them, for the dot plot."""
    rows = [
        {
            "interviewer": p.interviewer,
            "raw": p.raw,
            "effective": p.effective,
            "position": p.position.value,
            "strong": p.strong,
            "label": labels.get(p.effective, str(p.effective)),
            "moved": p.raw != p.effective,
        }
        for p in positions
    ]
    frame = pd.DataFrame(
        rows, columns=["interviewer", "raw", "effective", "position", "strong", "label", "moved"]
    )
    frame.attrs["midpoint"] = scale.midpoint
    return frame
