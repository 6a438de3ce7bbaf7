"""Adverse impact (issue 28, item 5; L1381-1383, L1601-1603): per stage of an opening's process,
per self-identified category and the candidate's source, each group's selection rate (advanced
of those decided there: advanced + rejected) with Wilson's 95% interval, and its ratio to the
rate of the group selected most often, with a 95% interval for the ratio (Katz's log method for
a ratio of two proportions). A ratio under 0.8 is below four-fifths (the four-fifths rule of the
US Uniform Guidelines, 29 CFR 1607.4(D)): a flag to look closer, not a finding of
discrimination, and a ratio above it is no proof of fairness.

What may be read from it, and what not:

- **Aggregates only.** A group with fewer than `min_group` candidates decided at the stage is
  not shown (nor how many it has), and is never the reference. "Prefer not to say" and a
  source not recorded count in no rate. Nothing names or counts one candidate.
- **No differencing.** The figures count stage decisions made before the start of a month
  (UTC), each candidate under the answers in force then (`scoring.demographics`): a decision,
  an answer recorded or corrected, or an erasure today changes nothing shown today, so no one
  can read a single candidate's answer from the change their own write makes. And a stage's
  figures move only in batches: a month enters them once at least `min_group` candidates have
  been decided at that stage since the last month that entered (`stage_cutoffs`), so closing a
  month with one decision in it tells nothing either; each stage says where its figures stop.
- **Erasure moves nothing.** Erased candidates count through `fairness_tally`, month by month,
  exactly as they counted when live.

The coordinator and the opening's hiring manager see them (`see_adverse_impact`), for each
opening asked. The cost is one opening's candidates, outcomes and answers at a time.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import Any

from scoring.demographics import (
    SOURCE,
    SOURCES,
    categories,
    counted,
    cutoff_of,
    min_group,
    opening_counts,
)
from scoring.insights.limits import Z95, share_interval
from scoring.opening_record import load as load_opening
from scoring.permissions import Person, current, ensure, opening_facts
from scoring.stages import process
from scoring.store import Store, now_utc

FOUR_FIFTHS = 0.8

# How a group is named in a sentence ("Women were selected at ... of the rate of men"); any
# other answer is "candidates who answered “X” (its category)".
GROUP_WORDS = {
    "woman": "women",
    "man": "men",
    "non-binary": "non-binary candidates",
    "hispanic or latino": "Hispanic or Latino candidates",
    "white": "White candidates",
    "black or african american": "Black or African American candidates",
    "asian": "Asian candidates",
    "native hawaiian or other pacific islander": "Native Hawaiian or Other Pacific Islander"
    " candidates",
    "american indian or alaska native": "American Indian or Alaska Native candidates",
    "two or more races": "candidates of two or more races",
    "protected veteran": "protected veterans",
    "not a protected veteran": "candidates who are not protected veterans",
    "has a disability": "candidates with a disability",
    "no disability": "candidates without a disability",
}
SOURCE_WORDS = {
    "referral": "referred candidates",
    "agency": "candidates from agencies",
    "applied": "candidates who applied",
    "other": "candidates from other sources",
}


def group_words(category: str, answer: str) -> str:
    """A group named for a sentence, in lower case where it can be ("men", "referred
    candidates", "candidates who answered “Other”")."""
    if category == SOURCE:
        return SOURCE_WORDS.get(answer, f"candidates from “{answer}”")
    named = GROUP_WORDS.get(answer.casefold())
    return named or f"candidates who answered “{answer}” ({category_words(category).lower()})"


def category_words(category: str) -> str:
    """'Gender', 'Source', 'Disability status' for 'disability_status'."""
    return category.replace("_", " ").capitalize()


# ----------------------------------------------------------------------------- statistics


def ratio_interval(
    selected: int, decided: int, ref_selected: int, ref_decided: int
) -> tuple[float, float, float]:
    """The ratio of two selection rates (selected/decided over ref_selected/ref_decided) and
    its 95% interval by Katz's log method: ln(ratio) ± z·√(1/x₁ − 1/n₁ + 1/x₂ − 1/n₂). Where a
    group selected none, the interval is worked out with ½ added to each count (Haldane and
    Anscombe) and starts at 0. The reference must have selected someone."""
    if ref_selected <= 0 or decided <= 0 or ref_decided <= 0:
        raise ValueError("a ratio needs a reference that selected someone and a decided group")
    ratio = (selected / decided) / (ref_selected / ref_decided)
    x1, n1, x2, n2 = selected, decided, ref_selected, ref_decided
    if x1 == 0:
        x1, n1, x2, n2 = x1 + 0.5, n1 + 0.5, x2 + 0.5, n2 + 0.5
    spread = Z95 * math.sqrt(max(0.0, 1 / x1 - 1 / n1 + 1 / x2 - 1 / n2))
    centre = math.log((x1 / n1) / (x2 / n2))
    low = 0.0 if selected == 0 else math.exp(centre - spread)
    return ratio, low, math.exp(centre + spread)


# ----------------------------------------------------------------------------- the figures


@dataclass(frozen=True)
class GroupRate:
    """One group at one stage: decided (advanced + rejected), selected (advanced), the
    selection rate with its interval, and its ratio to the reference's rate with an interval
    (None where there is no comparison: one group, or nobody selected)."""

    category: str
    answer: str
    decided: int
    selected: int
    rate: float
    low: float
    high: float
    ratio: float | None = None
    ratio_low: float | None = None
    ratio_high: float | None = None
    reference: bool = False

    @property
    def below_four_fifths(self) -> bool:
        """The ratio to the reference is under 0.8."""
        return self.ratio is not None and self.ratio < FOUR_FIFTHS

    @property
    def words(self) -> str:
        """The group named for a sentence ("women")."""
        return group_words(self.category, self.answer)

    def to_json(self) -> dict[str, Any]:
        """The group as the JSON document has it."""
        return {
            "category": self.category,
            "group": self.answer,
            "decided": self.decided,
            "selected": self.selected,
            "rate": _round(self.rate),
            "low": _round(self.low),
            "high": _round(self.high),
            "reference": self.reference,
            "ratio": _round(self.ratio),
            "ratio_low": _round(self.ratio_low),
            "ratio_high": _round(self.ratio_high),
            "below_four_fifths": self.below_four_fifths,
        }


@dataclass(frozen=True)
class CategoryImpact:
    """One category (or the source) at one stage: its groups of at least `min_group` decided
    candidates, in the configured order; `hidden`: some offered group is not shown (fewer than
    `min_group` decided, none included: whether any was decided is not said)."""

    category: str
    groups: tuple[GroupRate, ...]
    hidden: bool
    min_group: int

    @property
    def reference(self) -> GroupRate | None:
        """The group selected most often (None with fewer than two groups shown)."""
        return next((g for g in self.groups if g.reference), None)

    def sentences(self) -> list[str]:
        """The category in plain words: who was selected most often, then each other group's
        ratio to them ("Women were selected at 0.62 of the rate of men (interval 0.41–0.94):
        below four-fifths")."""
        name = category_words(self.category)
        if not self.groups:
            return []  # said once for the stage (`StageImpact.sentences`)
        if len(self.groups) == 1:
            return [
                f"{name}: only one group has {self.min_group} or more candidates decided here:"
                " nothing to compare it with."
            ]
        ref = self.reference
        if ref is None:
            return [f"{name}: no one in the groups shown was selected here: no ratio to give."]
        said = [
            f"{_capital(ref.words)} were selected most often here: {_share(ref.rate)}"
            f" (interval {_share(ref.low)}–{_share(ref.high)}), the reference."
        ]
        for g in self.groups:
            if g.reference or g.ratio is None:
                continue
            verdict = "at or above four-fifths"
            if g.below_four_fifths:
                verdict = "below four-fifths"
                if (g.ratio_high or 0) >= 1:
                    verdict += ", though the interval reaches 1: too few to tell from chance"
            said.append(
                f"{_capital(g.words)} were selected at {g.ratio:.2f} of the rate of {ref.words}"
                f" (interval {g.ratio_low:.2f}–{g.ratio_high:.2f}): {verdict}."
            )
        return said


@dataclass(frozen=True)
class StageImpact:
    """One stage of the process and its categories, counting its decisions before `cutoff`
    (the start of the month after its last batch of `min_group` decisions; None: none yet)."""

    position: int
    kind: str
    title: str
    categories: tuple[CategoryImpact, ...]
    min_group: int = 5
    cutoff: datetime | None = None

    @property
    def through(self) -> date | None:
        """The last day its figures cover (None: no batch has closed here yet)."""
        return None if self.cutoff is None else (self.cutoff - timedelta(days=1)).date()

    def through_words(self) -> str:
        """'Decisions through 30 Sep 2026.', or that no batch has closed yet."""
        day = self.through
        if day is None:
            return (
                f"No batch of {self.min_group} or more decisions at this stage has closed yet:"
                " nothing counted here."
            )
        return f"Decisions through {_day(day)}."

    def sentences(self) -> list[str]:
        """Each category's sentences, then one naming the categories with no group shown."""
        said = [line for c in self.categories for line in c.sentences()]
        empty = [category_words(c.category) for c in self.categories if not c.groups]
        if empty:
            names = ", ".join(empty[:1] + [e.lower() for e in empty[1:]])
            said.append(
                f"{names}: no group has {self.min_group} or more candidates decided here yet."
            )
        return said


@dataclass(frozen=True)
class OpeningImpact:
    """One opening's stages (the offer left out: its outcome is the candidate's answer)."""

    opening_id: int
    title: str
    stages: tuple[StageImpact, ...]


@dataclass(frozen=True)
class AdverseImpact:
    """The adverse-impact figures of the openings asked, counting stage decisions before
    `cutoff` (the start of the month `at` is in)."""

    at: datetime
    cutoff: datetime
    min_group: int
    openings: tuple[OpeningImpact, ...]

    @property
    def through(self) -> date:
        """The last day the figures cover (the end of the last full month)."""
        return (self.cutoff - timedelta(days=1)).date()

    def through_words(self) -> str:
        """'through 31 Oct 2026 at most; figures move only in batches of at least 5 decisions
        per stage, added when a month ends, so no single decision can be read from a change'."""
        return (
            f"through {_day(self.through)} at most; figures move only in batches of at least"
            f" {self.min_group} decisions per stage, added when a month ends, so no single"
            " decision can be read from a change"
        )

    def to_json(self) -> dict[str, Any]:
        """The figures as one JSON document (groups shown only)."""
        return {
            "through": self.through.isoformat(),
            "min_group": self.min_group,
            "openings": [
                {
                    "id": o.opening_id,
                    "title": o.title,
                    "stages": [
                        {
                            "position": s.position,
                            "kind": s.kind,
                            "title": s.title,
                            "through": s.through.isoformat() if s.through else None,
                            "categories": [
                                {
                                    "category": c.category,
                                    "groups": [g.to_json() for g in c.groups],
                                    "groups_below_min_group_not_shown": c.hidden,
                                }
                                for c in s.categories
                            ],
                        }
                        for s in o.stages
                    ],
                }
                for o in self.openings
            ],
        }

    def rows(self) -> list[dict[str, Any]]:
        """One CSV row per group shown."""
        return [
            {
                "opening": o.title,
                "position": s.position,
                "stage": s.title,
                "through": s.through.isoformat() if s.through else None,
                **g.to_json(),
            }
            for o in self.openings
            for s in o.stages
            for c in s.categories
            for g in c.groups
        ]


def _category(
    category: str, offered: Iterable[str], counts: dict, position: int, smallest: int
) -> CategoryImpact:
    found = {
        answer: cell
        for (at, cat, answer), cell in counts.items()
        if at == position and cat == category and counted(answer)
    }
    order = [a for a in offered if counted(a)]
    order += sorted(a for a in found if a not in order)
    shown = []
    for answer in order:
        selected, rejected = found.get(answer, (0, 0))
        decided = selected + rejected
        if decided < smallest:
            continue
        low, high = share_interval(selected, decided)
        shown.append(GroupRate(category, answer, decided, selected, selected / decided, low, high))
    hidden = any(a not in {g.answer for g in shown} for a in offered if counted(a))
    if len(shown) < 2:
        return CategoryImpact(category, tuple(shown), hidden, smallest)
    best = max(shown, key=lambda g: (g.rate, g.decided, -shown.index(g)))
    if best.selected == 0:
        return CategoryImpact(category, tuple(shown), hidden, smallest)
    compared = []
    for g in shown:
        if g is best:
            compared.append(replace(g, ratio=1.0, reference=True))
            continue
        ratio, low, high = ratio_interval(g.selected, g.decided, best.selected, best.decided)
        compared.append(replace(g, ratio=ratio, ratio_low=low, ratio_high=high))
    return CategoryImpact(category, tuple(compared), hidden, smallest)


def adverse_impact(
    store: Store, actor: Person, opening_ids: Iterable[int], now: datetime | None = None
) -> AdverseImpact:
    """The adverse-impact figures of each opening asked, for whoever may see them on every one
    (`see_adverse_impact`: the coordinator, the opening's hiring manager; NotAllowed otherwise):
    per stage, per configured category and the source, the groups of at least `min_group`
    decided candidates with their selection rates and ratios. Counts stage decisions made
    before the start of the month `now` is in, each stage up to its last batch of at least
    `min_group` decisions (`scoring.demographics.stage_cutoffs`)."""
    at = now or now_utc()
    cutoff = cutoff_of(at)
    asked = list(dict.fromkeys(int(o) for o in opening_ids))
    with store.read() as db:
        person = current(db, actor)
        for opening_id in asked:
            facts = opening_facts(db, opening_id, person if person.has("interviewer") else None)
            ensure(person, "see_adverse_impact", facts)
        offered, smallest = categories(), min_group()  # a refusal comes before a bad setting
        found = []
        for opening_id in asked:
            counted = opening_counts(db, opening_id, cutoff, smallest)
            counts = counted.counts
            stages = [
                StageImpact(
                    stage.position,
                    stage.kind,
                    stage.title,
                    tuple(
                        _category(name, answers, counts, stage.position, smallest)
                        for name, answers in [*offered.items(), (SOURCE, list(SOURCES))]
                    ),
                    smallest,
                    counted.cutoffs.get(stage.position),
                )
                for stage in process(db, opening_id)
                if stage.kind != "offer"
            ]
            title = load_opening(db, opening_id).title
            found.append(OpeningImpact(opening_id, title, tuple(stages)))
    return AdverseImpact(at, cutoff, smallest, tuple(found))


def _day(day: date) -> str:
    return f"{day.day} {day:%b %Y}"


def _capital(words: str) -> str:
    return words[:1].upper() + words[1:]


def _share(value: float | None) -> str:
    return "—" if value is None or value != value else f"{value:.0%}"


def _round(value: float | None, digits: int = 4) -> float | None:
    return None if value is None or value != value else round(value, digits)
