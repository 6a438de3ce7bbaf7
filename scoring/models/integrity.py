"""What `verify` found (`scoring.integrity`): read by the backup, restore and migrate-to
commands on both engines."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field


@dataclass
class Report:
    """What `verify` found: problems (first broken row first) and what it checked."""

    problems: list[str] = field(default_factory=list)
    checked: Counter = field(default_factory=Counter)
    notes: list[str] = field(default_factory=list)  # worth saying, not wrong
    head: tuple[int, str] = (0, "")  # the last audit entry's id and stored hash
    unsealed: int = 0  # entries from before the audit key, not yet sealed (`adopt-key`)

    @property
    def ok(self) -> bool:
        """Nothing is wrong."""
        return not self.problems
