"""Where the service's random draws come from: a question from its pool for a seat
(`scoring.questions`), whether a rejection is spot-checked (`scoring.stage_reviews`). In use,
the operating system's randomness (`secrets.SystemRandom`): nobody can predict or steer a draw.
The demo and the tests draw from a seeded generator instead, for the unit of work they run
(`drawn_by`), so two builds of the demo give the same database."""

from __future__ import annotations

import random
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

_SEEDED: ContextVar[random.Random | None] = ContextVar("seeded_draws", default=None)


def source() -> random.Random:
    """The generator a draw uses now: the seeded one inside `drawn_by`, else the system's."""
    return _SEEDED.get() or secrets.SystemRandom()


@contextmanager
def drawn_by(rng: random.Random) -> Iterator[None]:
    """Draw from `rng` inside the block (the demo, a test), the system's randomness after it."""
    token = _SEEDED.set(rng)
    try:
        yield
    finally:
        _SEEDED.reset(token)
