"""Where Debrief's files are: the project folder and the database file's default place. Below
the store and the settings (which looks for the secrets file in the project folder), so the
settings need not import the store; `scoring.store` re-exports these names."""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_PATH = PROJECT_ROOT / "data" / "debrief.sqlite"


def default_path() -> Path:
    """``$DEBRIEF_DB`` when set, else ``data/debrief.sqlite`` in the project."""
    return Path(os.environ.get("DEBRIEF_DB") or DEFAULT_PATH)
