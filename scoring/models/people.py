"""Someone who signs in, as the database knows them."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Person:
    """Someone who signs in. `roles` are global: they grant powers and screens."""

    id: int
    name: str
    email: str
    roles: frozenset[str]
    active: bool = True

    def has(self, role: str) -> bool:
        """True when the person holds `role`."""
        return role in self.roles

    @classmethod
    def from_row(cls, row: Any) -> Person:
        """Build from a `people` row."""
        return cls(
            id=row["id"],
            name=row["name"],
            email=row["email"],
            roles=frozenset(json.loads(row["roles"])),
            active=bool(row["active"]),
        )
