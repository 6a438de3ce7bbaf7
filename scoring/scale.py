"""The one place where scores on an integer scale are interpreted.

Every other module (the decision engine, the weighted score, later the pages and exports) asks a
`Scale` where a score stands, whether it is strong, what forcing makes of it and how it normalises.
Nothing else does this arithmetic.

The rules come from PRODUCT.md and the book's DJ Patil story (hiring-book.txt L907-911):
midpoint m = (min + max) / 2; a score above m is a yes, below m a no, at m undecided; the extremes
are strong; forcing pushes every score to an extreme, an undecided one to the bottom
("if this is a weak no, then I'm a zero").
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Position(StrEnum):
    """Where a score stands relative to the midpoint of its scale."""

    YES = "yes"
    NO = "no"
    UNDECIDED = "undecided"


class ScaleError(ValueError):
    """A scale that cannot exist, or a score that is not on its scale."""


@dataclass(frozen=True, slots=True)
class Scale:
    """An integer scale min..max (min < max), e.g. the overall recommendation 0..5."""

    min: int
    max: int

    def __post_init__(self) -> None:
        if isinstance(self.min, bool) or isinstance(self.max, bool):
            raise ScaleError("min and max must be integers")
        if not isinstance(self.min, int) or not isinstance(self.max, int):
            raise ScaleError(f"min and max must be integers (got {self.min!r}..{self.max!r})")
        if self.min >= self.max:
            raise ScaleError(f"min must be less than max (got {self.min}..{self.max})")

    @property
    def midpoint(self) -> float:
        """(min + max) / 2; may fall between two points (0..5 has midpoint 2.5)."""
        return (self.min + self.max) / 2

    @property
    def points(self) -> range:
        """Every point of the scale, lowest first."""
        return range(self.min, self.max + 1)

    def contains(self, score: int) -> bool:
        """True when `score` is an integer point of this scale."""
        return (
            isinstance(score, int) and not isinstance(score, bool) and self.min <= score <= self.max
        )

    def check(self, score: int) -> int:
        """Return `score` unchanged, or raise ScaleError saying why it is not on this scale."""
        if not self.contains(score):
            raise ScaleError(f"{score!r} is outside the scale {self.min}..{self.max}")
        return score

    def position(self, score: int) -> Position:
        """yes above the midpoint, no below it, undecided exactly on it."""
        self.check(score)
        # Compare doubled values so the midpoint never needs a float.
        twice = 2 * score
        if twice > self.min + self.max:
            return Position.YES
        if twice < self.min + self.max:
            return Position.NO
        return Position.UNDECIDED

    def is_strong(self, score: int) -> bool:
        """A strong score is one of the two extremes."""
        self.check(score)
        return score in (self.min, self.max)

    def force(self, score: int) -> int:
        """Push a score to an extreme: max if it is a yes, else min (undecided counts as no)."""
        return self.max if self.position(score) is Position.YES else self.min

    def effective(self, score: int, forced: bool) -> int:
        """The score the rules use: forced when the debrief's forcing toggle is on, else raw."""
        return self.force(score) if forced else self.check(score)

    def normalise(self, score: int) -> float:
        """Map a score to 0..1: min -> 0.0, max -> 1.0, linear in between."""
        self.check(score)
        return (score - self.min) / (self.max - self.min)

    def __str__(self) -> str:
        return f"{self.min}..{self.max}"
