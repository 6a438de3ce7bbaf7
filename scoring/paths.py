"""Where Debrief's files are: the project folder and the database file's default place. Below
the store and the settings (which looks for the secrets file in the project folder), so the
settings need not import the store; `scoring.store` re-exports these names."""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_PATH = PROJECT_ROOT / "data" / "debrief.sqlite"


def default_path() -> Path:
    """``$DEBRIEF_DB`` when set, else ``data/debrief.sqlite`` in the project (a file: see
    `default_target` for a database that may be on a server)."""
    return Path(os.environ.get("DEBRIEF_DB") or DEFAULT_PATH)


def is_url(target: object) -> bool:
    """Whether `target` (a `DEBRIEF_DB` value) names a PostgreSQL database, not a file."""
    return isinstance(target, str) and target.startswith(("postgresql://", "postgres://"))


def default_target() -> Path | str:
    """The database to use: ``$DEBRIEF_DB``, a file path or a ``postgresql://`` URL, else
    ``data/debrief.sqlite`` in the project."""
    given = os.environ.get("DEBRIEF_DB")
    if is_url(given):
        return given  # type: ignore[return-value]
    return Path(given or DEFAULT_PATH)
