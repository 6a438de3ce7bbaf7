"""The one place where scores on an integer scale are interpreted.

Every other module (the decision engine, the weighted score, later the pages and exports) asks a
`Scale` where a score stands, whether it is strong, what forcing makes of it and how it normalises.
Nothing else does this arithmetic.

The rules come from PRODUCT.md and the book's DJ Patil story (hiring-book.txt L907-911):
midpoint m = (min + max) / 2; a score above m is a yes, below m a no, at m undecided; the extremes
are strong. Forcing follows a *force map* (written point -> forced point; points not in it stay as
written). By default it is the book's rule, "if this is a weak no, then I'm a zero": every no and
the undecided midpoint go to the bottom, a yes stays as written. Two more presets follow DJ's
"he would always score a zero or a five" (every score to an extreme) and "we absolutely must hire
this person ... Or let's just move on" (only the top stays a yes). A map may never turn a no or
an undecided score into a yes, and the extremes stay where they are (a written extreme is what a
veto or a greenlight needs; forcing must not make or unmake one).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Literal

ForcePreset = Literal["weak_no_to_min", "all_extremes", "only_top_is_yes"]
FORCE_PRESETS: tuple[ForcePreset, ...] = ("weak_no_to_min", "all_extremes", "only_top_is_yes")
"""The named force maps a hiring manager picks from, the book's default first."""
DEFAULT_FORCE_PRESET: ForcePreset = "weak_no_to_min"


class Position(StrEnum):
    """Where a score stands relative to the midpoint of its scale."""

    YES = "yes"
    NO = "no"
    UNDECIDED = "undecided"


class ScaleError(ValueError):
    """A scale that cannot exist, or a score that is not on its scale."""


class ForceMapError(ScaleError):
    """A force map that breaks a rule; `point` is the written point (the map's key) at fault, so
    the caller can name the field (``strategy.force_map.4: ...``)."""

    def __init__(self, point: object, message: str) -> None:
        super().__init__(message)
        self.point = point


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

    def preset_map(self, preset: str = DEFAULT_FORCE_PRESET) -> dict[int, int]:
        """The complete force map (every point) of a named preset on this scale:
        weak_no_to_min: a no or undecided score goes to min, a yes stays (the book's default);
        all_extremes: a yes goes to max, anything else to min;
        only_top_is_yes: max stays, anything short of it goes to min."""
        if preset == "weak_no_to_min":
            return {p: p if self.position(p) is Position.YES else self.min for p in self.points}
        if preset == "all_extremes":
            return {
                p: self.max if self.position(p) is Position.YES else self.min for p in self.points
            }
        if preset == "only_top_is_yes":
            return {p: self.max if p == self.max else self.min for p in self.points}
        raise ScaleError(
            f"unknown forcing preset {preset!r} (expected one of {', '.join(FORCE_PRESETS)})"
        )

    def check_force_map(self, force_map: Mapping[int, int]) -> dict[int, int]:
        """Return the map as a plain dict, or raise ForceMapError naming the point at fault:
        every key and value a point of this scale; a no or undecided score may not become a yes;
        the extremes map to themselves."""
        for point, to in force_map.items():
            if not self.contains(point):
                raise ForceMapError(point, f"{point!r} is not a point of the scale {self}")
            if not self.contains(to):
                raise ForceMapError(
                    point, f"{point} is forced to {to!r}, which is not a point of the scale {self}"
                )
            if point in (self.min, self.max) and to != point:
                end = "lowest" if point == self.min else "highest"
                raise ForceMapError(
                    point,
                    f"the {end} score stays {point} (got {to}): a written extreme is what a veto"
                    " or a greenlight needs",
                )
            if self.position(point) is not Position.YES and self.position(to) is Position.YES:
                raise ForceMapError(
                    point,
                    f"{point} is {'a no' if self.position(point) is Position.NO else 'undecided'}"
                    f" and may not be forced to a yes ({to})",
                )
        return dict(force_map)

    def resolve_map(self, force_map: Mapping[int, int] | None) -> dict[int, int]:
        """The complete, checked map (every point of the scale): None is the default preset;
        points a partial map leaves out stay as written."""
        if force_map is None:
            return self.preset_map()
        given = self.check_force_map(force_map)
        return {p: given.get(p, p) for p in self.points}

    def preset_of(self, force_map: Mapping[int, int] | None) -> str:
        """The preset's name whose map this is on this scale, or "custom"."""
        resolved = self.resolve_map(force_map)
        return next((n for n in FORCE_PRESETS if self.preset_map(n) == resolved), "custom")

    def force(self, score: int, force_map: Mapping[int, int] | None = None) -> int:
        """Where forcing sends a written score, under `force_map` (None: the default preset)."""
        self.check(score)
        return self.resolve_map(force_map)[score]

    def effective(
        self, score: int, forced: bool, force_map: Mapping[int, int] | None = None
    ) -> int:
        """The score the rules use: forced (under `force_map`) when forcing is on, else raw."""
        return self.force(score, force_map) if forced else self.check(score)

    def normalise(self, score: int) -> float:
        """Map a score to 0..1: min -> 0.0, max -> 1.0, linear in between."""
        self.check(score)
        return (score - self.min) / (self.max - self.min)

    def __str__(self) -> str:
        return f"{self.min}..{self.max}"


def criterion_force_map(
    overall: Scale, force_map: Mapping[int, int] | None, criterion: Scale
) -> dict[int, int]:
    """The force map for a criterion's own scale, given the opening's map on the overall scale:
    the same map where the scales are the same, else the same preset on the criterion's scale
    (a custom map, which only names overall points, forces criteria by the default preset)."""
    if criterion == overall:
        return overall.resolve_map(force_map)
    preset = overall.preset_of(force_map)
    return criterion.preset_map(DEFAULT_FORCE_PRESET if preset == "custom" else preset)
